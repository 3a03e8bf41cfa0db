"""JSON arrays, JSON Lines and single JSON objects of articles (e.g. the SaudiNewsNet dumps).

A top-level array is parsed incrementally from the stream, item by item, so a large dump is never held
whole. Fields: ``id``, ``title``, ``text``/``content``, ``published``/``date``/``date_extracted``, ``url``,
``source``, ``author``. An item without an ``id`` gets ``<file stem>-<index>`` (index from 0, at least three
digits: ``2015-07-21-022``); a lone object gets the stem. A line that is not JSON, or an item that is not
an object, is reported through ``on_error`` and the others still go in; an item with empty text is skipped
with a logged reason.
"""
from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from marsad.errors import InputError
from marsad.model import Article
from marsad.read.decode import MAX_FILE_BYTES, decode_bytes
from marsad.read.html import html_to_text
from marsad.read.text import clean_title, normalize_newlines, squash, unescape_entities

log = logging.getLogger(__name__)

CHUNK = 1 << 16
TEXT_KEYS = ("text", "content", "body", "article", "content_text")
DATE_KEYS = ("published", "date", "date_published", "published_at", "pubDate", "date_extracted")
SECTION_KEYS = ("section", "category")
LIST_KEYS = ("articles", "items", "data", "documents")
_HTML_TAG = re.compile(r"<(?:p|br|div|span|a|strong|em|b|i|h[1-6]|ul|ol|li|blockquote|img|table)\b[^>]*>", re.I)
_WS = re.compile(r"\s*")

OnError = Callable[[InputError], None]


def _raise(err: InputError) -> None:
    raise err


def parse_json(stream: BinaryIO, *, source_file: str, stem: str, on_error: OnError | None = None,
               max_bytes: int = MAX_FILE_BYTES) -> Iterator[Article]:
    """Articles of a JSON document read from ``stream`` (a file, a zip member, a response body)."""
    report = on_error or _raise
    head = stream.read(CHUNK)
    if not head.strip():
        raise InputError(source_file, "empty file")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"[" and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        for i, item in _iter_array(_chunks(head, stream, source_file, max_bytes), source_file):
            art = _article(item, i, source_file=source_file, default_id=f"{stem}-{i:03d}", report=report)
            if art is not None:
                yield art
        return
    data = head + _read_rest(stream, len(head), source_file, max_bytes)
    text = decode_bytes(data, source_file)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        yield from _lines(text, source_file=source_file, stem=stem, report=report)
        return
    if isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict) and not _has_text(doc) and any(isinstance(doc.get(k), list) for k in LIST_KEYS):
        items = next(doc[k] for k in LIST_KEYS if isinstance(doc.get(k), list))
    else:
        art = _article(doc, 0, source_file=source_file, default_id=stem, report=report)
        if art is not None:
            yield art
        return
    for i, item in enumerate(items):
        art = _article(item, i, source_file=source_file, default_id=f"{stem}-{i:03d}", report=report)
        if art is not None:
            yield art


def _lines(text: str, *, source_file: str, stem: str, report: OnError) -> Iterator[Article]:
    index = 0
    for lineno, line in enumerate(normalize_newlines(text).split("\n"), start=1):
        if not line.strip():
            continue
        i, index = index, index + 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            report(InputError(source_file, f"line {lineno} is not JSON ({e.msg} at column {e.colno})"))
            continue
        art = _article(item, i, source_file=source_file, default_id=f"{stem}-{i:03d}", report=report,
                       where=f"line {lineno}")
        if art is not None:
            yield art


def _article(item: Any, i: int, *, source_file: str, default_id: str, report: OnError,
             where: str | None = None) -> Article | None:
    where = where or f"item {i}"
    if not isinstance(item, dict):
        report(InputError(source_file, f"{where} is not a JSON object"))
        return None
    body = _first(item, TEXT_KEYS)
    raw = ""
    if body is not None:
        raw = html_to_text(body) if _HTML_TAG.search(body) else unescape_entities(normalize_newlines(body)).strip()
    if not raw:  # common in scraped dumps (a page whose body was not captured): skipped, not an error
        log.info("%s: skipped %s: no text or content", source_file, where)
        return None
    ident = item.get("id")
    ident = squash(str(ident)) if ident not in (None, "") else None
    return Article(
        id=ident or default_id,
        source_file=source_file,
        kind="json",
        title=clean_title(_first(item, ("title", "headline"))),
        published_raw=_first(item, DATE_KEYS),
        source=squash(_first(item, ("source", "publisher", "site"))),
        author=squash(_first(item, ("author", "authors", "byline"))),
        section=squash(_first(item, SECTION_KEYS)),
        url=_first(item, ("url", "link")),
        raw=raw,
    )


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = item.get(k)
        if isinstance(v, list):
            v = "، ".join(str(x) for x in v if isinstance(x, (str, int, float)) and str(x).strip())
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if isinstance(v, str) and v.strip():
            return v.strip() if k not in TEXT_KEYS else v
    return None


def _has_text(doc: dict[str, Any]) -> bool:
    return _first(doc, TEXT_KEYS) is not None


def _read_rest(stream: BinaryIO, already: int, source_file: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes - already + 1)
    if already + len(data) > max_bytes:
        raise InputError(source_file, f"too large: over the {max_bytes / 1_000_000:.1f} MB limit")
    return data


def _chunks(head: bytes, stream: BinaryIO, source_file: str, max_bytes: int) -> Iterator[str]:
    """The stream as text chunks (UTF-8, BOM allowed), enforcing ``max_bytes``."""
    dec = codecs.getincrementaldecoder("utf-8-sig")()
    total = 0
    chunk = head
    while True:
        total += len(chunk)
        if total > max_bytes:
            raise InputError(source_file, f"too large: over the {max_bytes / 1_000_000:.1f} MB limit")
        try:
            text = dec.decode(chunk, final=not chunk)
        except UnicodeDecodeError as e:
            raise InputError(source_file, f"JSON is not UTF-8 (near byte {total - len(chunk) + e.start})") from None
        if text:
            yield text
        if not chunk:
            return
        chunk = stream.read(CHUNK)


def _iter_array(chunks: Iterator[str], source_file: str) -> Iterator[tuple[int, Any]]:
    """Items of a top-level JSON array, decoded one at a time from text chunks."""
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False

    def more() -> None:
        nonlocal buf, pos, eof
        try:
            piece = next(chunks)
        except StopIteration:
            eof = True
            return
        buf, pos = buf[pos:] + piece, 0

    def skip_ws() -> str:
        nonlocal pos
        while True:
            pos = _WS.match(buf, pos).end()
            if pos < len(buf) or eof:
                return buf[pos:pos + 1]
            more()

    if skip_ws() != "[":
        raise InputError(source_file, "not a JSON array")
    pos += 1
    if skip_ws() == "]":
        return
    i = 0
    while True:
        while True:
            try:
                item, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as e:
                if eof:
                    raise InputError(source_file, f"malformed JSON in item {i} ({e.msg})") from None
                more()
                continue
            if end >= len(buf) and not eof:  # a number or literal may continue in the next chunk
                more()
                continue
            break
        pos = end
        yield i, item
        i += 1
        c = skip_ws()
        if c == ",":
            pos += 1
            skip_ws()
        elif c == "]":
            return
        else:
            raise InputError(source_file, f"malformed JSON after item {i - 1} (expected ',' or ']')")

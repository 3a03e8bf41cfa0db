"""Which reader a document needs (by extension, content type or sniffing), and the call to it."""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import PurePath
from types import MappingProxyType

from marsad.errors import InputError
from marsad.model import Article
from marsad.read.decode import MAX_FILE_BYTES, decode_bytes, looks_binary
from marsad.read.feed import looks_like_feed, parse_feed
from marsad.read.html import parse_html
from marsad.read.jsonl import parse_json
from marsad.read.text import parse_text

EXTENSIONS = MappingProxyType({
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".zip": "zip",
})
ZIP_MAGIC = b"PK\x03\x04"
_HTML_START = re.compile(r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"<(?:html|head|body|article|main|div|p|h1|title|meta)\b[^>]*>", re.I)


def kind_for_path(path: PurePath) -> str | None:
    """The reader an extension calls for, or None when the content must be sniffed."""
    return EXTENSIONS.get(path.suffix.lower())


def sniff_text(text: str) -> str:
    """html | feed | json | text, from the start of a decoded document."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if looks_like_feed(head):
        return "feed"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    if head[:1] in "[{":
        return "json"
    return "text"


def parse_document(data: bytes, kind: str | None, *, source_file: str, stem: str, url: str | None = None,
                   declared: str | None = None, on_error: Callable[[InputError], None] | None = None,
                   max_bytes: int = MAX_FILE_BYTES) -> Iterator[Article]:
    """Articles of one document held in memory. ``kind`` None: sniff it (a zip is the caller's business)."""
    if not data:
        raise InputError(source_file, "empty file")
    if kind is None:
        if data.startswith(ZIP_MAGIC):
            raise InputError(source_file, "a zip archive where a document was expected")
        if looks_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(source_file, "unknown file type and binary, not text")
        try:
            text = decode_bytes(data, source_file, declared=declared)
        except InputError as e:
            raise InputError(source_file, f"unknown file type and not text ({e.problem})") from None
        kind = sniff_text(text)
    if kind == "json":
        yield from parse_json(io.BytesIO(data), source_file=source_file, stem=stem, on_error=on_error,
                              max_bytes=max_bytes)
    elif kind == "feed":
        yield from parse_feed(data, source_file=source_file, on_error=on_error)
    elif kind == "html":
        yield parse_html(decode_bytes(data, source_file, declared=declared), source_file=source_file, id=stem,
                         url=url)
    elif kind == "text":
        yield parse_text(decode_bytes(data, source_file, declared=declared), source_file=source_file, id=stem)
    else:
        raise InputError(source_file, f"cannot read a {kind} here")

"""RSS and Atom feeds (feedparser). Entries with full content become articles; teasers are skipped.

Full content is ``content:encoded`` / Atom ``<content>``, or a description of at least ``MIN_CONTENT_CHARS``
characters once HTML is stripped. An entry's id is its guid, else its link; ``source_file`` is its link.
"""
from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator

from marsad.errors import InputError
from marsad.model import Article
from marsad.read.decode import decode_bytes
from marsad.read.html import html_to_text
from marsad.read.text import clean_title, squash

log = logging.getLogger(__name__)

MIN_CONTENT_CHARS = 300
_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.I)


def looks_like_feed(head: str) -> bool:
    """Whether the start of a document is an RSS/Atom/RDF feed."""
    h = head[:2048].lstrip("\ufeff \t\r\n").lower()
    return any(tag in h for tag in ("<rss", "<feed", "<rdf:rdf")) and not h.startswith(("<!doctype html", "<html"))


def parse_feed(data: bytes | str, *, source_file: str,
               on_error: Callable[[InputError], None] | None = None) -> Iterator[Article]:
    """Articles of a feed document. InputError when it is not an RSS/Atom feed."""
    import feedparser

    if isinstance(data, bytes):
        data = decode_bytes(data, source_file)
    # Re-encoded as UTF-8, so the XML declaration must say so.
    data = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', data, count=1).encode("utf-8")
    # A stream, never a str: feedparser would fetch a str that looks like a URL or open one naming a file.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and not parsed.feed.get("title") and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS/Atom elements"
        raise InputError(source_file, f"not an RSS/Atom feed: {_one_line(reason)}")
    if parsed.bozo:
        log.info("%s: feed is not well-formed XML, read leniently (%s)", source_file,
                 _one_line(parsed.get("bozo_exception")))
    feed_title = clean_title(parsed.feed.get("title"))
    for i, entry in enumerate(parsed.entries):
        link = entry.get("link") or None
        where = link or f"{source_file}#{i + 1}"
        body = _content(entry)
        if body is None:
            log.info("%s: skipped entry %s: no full content, only a teaser", source_file, where)
            continue
        ident = squash(entry.get("id")) or link
        if not ident:
            msg = "feed entry has neither a guid nor a link"
            err = InputError(where, msg)
            if on_error is None:
                raise err
            on_error(err)
            continue
        tags = entry.get("tags") or []
        yield Article(
            id=ident,
            source_file=where,
            kind="feed",
            title=clean_title(entry.get("title")),
            published_raw=entry.get("published") or entry.get("updated") or None,
            source=feed_title,
            author=squash(entry.get("author")),
            section=squash(tags[0].get("term")) if tags else None,
            url=link,
            raw=body,
        )


def _content(entry) -> str | None:
    """The entry's full text, HTML stripped, or None when it only has a short teaser."""
    for c in entry.get("content") or []:
        text = html_to_text(c.get("value") or "")
        if text:
            return text
    summary = html_to_text(entry.get("summary") or "")
    if len(summary) >= MIN_CONTENT_CHARS:
        return summary
    return None


def _one_line(x: object) -> str:
    return " ".join(str(x).split())[:200]

"""Documents over HTTP(S) with httpx: redirects followed, a timeout, a streamed size cap, a content-type check."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from types import MappingProxyType
from urllib.parse import unquote, urlsplit

import httpx

from marsad.errors import InputError
from marsad.model import Article
from marsad.read.dispatch import parse_document, sniff_text
from marsad.read.feed import looks_like_feed

log = logging.getLogger(__name__)

MAX_URL_BYTES = 20_000_000
USER_AGENT = "marsad"
CONTENT_TYPES = MappingProxyType({
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "feed", "text/xml": "feed", "application/feed+xml": "feed",
    "application/json": "json", "text/json": "json", "application/x-ndjson": "json",
    "application/jsonl": "json", "application/x-jsonlines": "json", "application/ld+json": "json",
    "text/plain": "text",
})


def read_url(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_URL_BYTES, client: httpx.Client | None = None,
             on_error: Callable[[InputError], None] | None = None) -> Iterator[Article]:
    """Articles of the document at ``url`` (an HTML page, a feed, JSON or text). InputError on any failure."""
    data, mime, charset, final = fetch(url, timeout=timeout, max_bytes=max_bytes, client=client)
    kind = CONTENT_TYPES.get(mime) if mime else None
    if mime and kind is None:
        raise InputError(url, f"unsupported content type {mime!r} (expected HTML, a feed, JSON or text)")
    if kind == "feed" and not looks_like_feed(data[:4096].decode("utf-8", "replace")):
        sniffed = sniff_text(data[:4096].decode("utf-8", "replace"))
        kind = sniffed if sniffed == "html" else kind
    yield from parse_document(data, kind, source_file=url, stem=url_stem(final), url=final, declared=charset,
                              on_error=on_error, max_bytes=max_bytes)


def fetch(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_URL_BYTES,
          client: httpx.Client | None = None) -> tuple[bytes, str, str | None, str]:
    """(body, mime type, charset, final URL). The body is streamed and cut off past ``max_bytes``."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise InputError(url, "only http and https URLs can be read")
    own = client is None
    if own:
        client = httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})
    try:
        with client.stream("GET", url, follow_redirects=True, timeout=timeout) as resp:
            if resp.status_code >= 400:
                raise InputError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
            ctype = resp.headers.get("content-type", "")
            mime = ctype.split(";")[0].strip().lower()
            charset = resp.charset_encoding
            length = resp.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise InputError(url, f"response too large: {int(length) / 1e6:.1f} MB over the "
                                      f"{max_bytes / 1e6:.1f} MB limit")
            if mime and mime not in CONTENT_TYPES:
                raise InputError(url, f"unsupported content type {mime!r} (expected HTML, a feed, JSON or text)")
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise InputError(url, f"response too large: over the {max_bytes / 1e6:.1f} MB limit")
            final = str(resp.url)
    except httpx.TimeoutException:
        raise InputError(url, f"timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise InputError(url, "too many redirects") from None
    except httpx.HTTPError as e:
        raise InputError(url, f"cannot fetch ({type(e).__name__}: {e})") from None
    finally:
        if own:
            client.close()
    if not body:
        raise InputError(url, "empty response")
    if final != url:
        log.info("%s: redirected to %s", url, final)
    return bytes(body), mime, charset, final


def url_stem(url: str) -> str:
    """An id for a page: its last path segment without extension, else its host."""
    parts = urlsplit(url)
    segs = [s for s in unquote(parts.path).split("/") if s]
    if segs:
        stem = PurePosixPath(segs[-1]).stem or segs[-1]
        if stem:
            return stem
    return parts.hostname or url

"""Plain-text page dumps, and small text helpers shared by the readers.

A text dump is only decoded: the clean stage parses its layout (date line, repeated title, share buttons).
"""
from __future__ import annotations

import html
import re

from marsad.model import Article

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_entities(s: str) -> str:
    """Unescape HTML entities left in text, twice for pages that double-escape (``&amp;#8221;`` -> ``”``)."""
    for _ in range(2):
        if not _ENTITY.search(s):
            break
        s = html.unescape(s)
    return s


def squash(s: str | None) -> str | None:
    """Collapse white space to single spaces and strip; None for empty."""
    if s is None:
        return None
    s = " ".join(s.split())
    return s or None


def clean_title(s: str | None) -> str | None:
    return squash(unescape_entities(s)) if s else None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, *, source_file: str, id: str) -> Article:
    """One article from a decoded text dump: ``raw`` is the whole text (newlines normalized to ``\\n``)."""
    return Article(id=id, source_file=source_file, kind="text", raw=normalize_newlines(text))

"""Bytes to text, biased to Arabic: BOMs, strict UTF-8, windows-1256 / ISO-8859-6, then charset-normalizer.

Undecodable or binary input is an `InputError`, never mojibake. `read_bytes` checks the size with ``stat``
before reading, so a huge file fails fast without being loaded.
"""
from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from marsad.errors import InputError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50_000_000
ARABIC_SHARE = 0.6  # a single-byte Arabic decoding must give at least this share of Arabic letters
# Code pages charset-normalizer may choose from: Arabic and Western ones only, never Cyrillic/Greek/Hebrew,
# which would turn Arabic windows-1256 bytes into plausible-looking mojibake.
FALLBACK_CODEPAGES = ("cp1256", "iso8859_6", "cp720", "cp864", "utf_8", "cp1252", "latin_1", "iso8859_15")
_CONTROL = frozenset(range(0, 32)) - {8, 9, 10, 11, 12, 13, 27}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_DECLARED = re.compile(rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])"""
                       rb"""([A-Za-z0-9._:-]+)""", re.I)


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; InputError when missing, not a file, empty or over ``max_bytes`` (checked first)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None
    if not path.is_file():
        raise InputError(path, "not a regular file")
    if st.st_size == 0:
        raise InputError(path, "empty file")
    if st.st_size > max_bytes:
        raise InputError(path, f"file too large: {_mb(st.st_size)} over the {_mb(max_bytes)} limit")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise InputError(path, f"file too large: over the {_mb(max_bytes)} limit")
    return data


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML declaration names in the first 4 KB, if Python knows it."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def arabic_share(text: str) -> float:
    """Share of letters that are Arabic (0 when there are no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f") / len(letters)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 2% control characters other than white space, in the first 64 KB."""
    head = data[:65536]
    if b"\x00" in head:
        return True
    return sum(1 for b in head if b in _CONTROL) > 0.02 * max(len(head), 1)


def decode_bytes(data: bytes, path: str, *, declared: str | None = None) -> str:
    """Decode ``data`` (named ``path`` in errors) to text.

    Order: a BOM (UTF-8, UTF-16, UTF-32); strict UTF-8; windows-1256 or ISO-8859-6 when that gives mostly
    Arabic letters; the charset ``declared`` by the caller (HTTP header) or the document (meta/XML
    declaration); charset-normalizer limited to Arabic and Western code pages. Anything else is an error.
    """
    if not data:
        raise InputError(path, "empty file")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise InputError(path, f"invalid {label} text at byte {e.start + len(bom)}") from None
            return _nonempty(text, path)
    if looks_binary(data):
        raise InputError(path, "binary file (NUL or control bytes), not text")
    try:
        return _nonempty(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    best, best_share = None, 0.0
    for codec in ("cp1256", "iso8859_6"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = arabic_share(text)
        if share > best_share:  # ties go to windows-1256, tried first
            best, best_share = text, share
    if best is not None and best_share >= ARABIC_SHARE and _plausible(best) and _has_words(best):
        return _nonempty(best, path)
    for codec in (declared, declared_charset(data)):
        if codec and codec not in ("utf-8",):
            try:
                text = data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
            if _plausible(text):
                log.debug("%s: decoded as declared %s", path, codec)
                return _nonempty(text, path)
    text = _charset_normalizer(data)
    if text is not None:
        return _nonempty(text, path)
    raise InputError(path, "cannot decode: not UTF-8, UTF-16, windows-1256, ISO-8859-6 or another known text "
                           "encoding")


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data, cp_isolation=list(FALLBACK_CODEPAGES)).best()
    if match is None:
        return None
    text = str(match)
    return text if _plausible(text) else None


def _plausible(text: str) -> bool:
    """Mostly letters, digits, punctuation and white space, with no C1 controls or replacement characters."""
    if not text:
        return False
    bad = sum(1 for c in text if ("\x80" <= c <= "\x9f") or c == "\ufffd" or (c < " " and c not in "\t\n\r\f\b\x1b"))
    return bad <= 0.001 * len(text)


def _has_words(text: str) -> bool:
    """Text has white space between words; a run of high bytes decoded as letters does not."""
    return len(text) < 80 or sum(1 for c in text if c.isspace()) >= len(text) / 40


def _nonempty(text: str, path: str) -> str:
    if not text.strip():
        raise InputError(path, "empty file (only white space)")
    return text

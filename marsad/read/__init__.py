"""Readers: text dumps, HTML pages, RSS/Atom feeds, JSON/JSONL (also in zips), folders and URLs.

Each yields `Article` records with ``raw`` set to the document's text as read, ``kind`` set, ``text`` empty
(the clean stage fills it) and whatever metadata the input holds (``published_raw`` unparsed).

    >>> from marsad.read import read_paths
    >>> errors = []
    >>> arts = list(read_paths(["page.html", "feeds/", "dump.zip"], on_error=errors.append))  # doctest: +SKIP
"""
from marsad.read.decode import MAX_FILE_BYTES, decode_bytes
from marsad.read.files import read_file, read_paths
from marsad.read.url import MAX_URL_BYTES, read_url

__all__ = ["read_paths", "read_file", "read_url", "decode_bytes", "MAX_FILE_BYTES", "MAX_URL_BYTES"]

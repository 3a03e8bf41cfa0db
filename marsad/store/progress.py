"""Incremental-ingest bookkeeping: what was already read and stored, so a rerun processes only what is new.

Processing is the expensive part of ingesting (tens of milliseconds an article); reading and hashing are cheap.
So `marsad ingest` records, through two small `Store` methods (`Store.ledger_get`, `Store.ledger_put`), a
*ledger* of string keys and values next to the articles:

- ``item:<sha256>`` -> the `Article.content_hash` it was stored (or found duplicate) under. The key hashes the
  raw article as the reader gave it (id, raw text, title, date, url...; not the path it was read from): the
  same raw input always processes to the same record, so one already processed need not be processed again.
- ``file:<absolute path>`` -> a `FileMark` (JSON): size, mtime, sha256 and the ids and content hashes of every
  article of a file that was read completely and whose articles all went in. An unchanged file (same size and
  mtime, or same sha256) is not even read again.

An entry is trusted only while its articles are still stored (`Store.has_content`): delete an article and the
next ingest processes its input again. Entries are written after the batch they describe is committed; a run
killed between the two only processes that batch again on rerun (the store drops it as duplicate content).

A backend keeps the ledger in one table of two text columns; ``LEDGER_DDL`` is the SQLite one (PostgreSQL:
the same with ``TEXT PRIMARY KEY`` and ``INSERT ... ON CONFLICT (key) DO UPDATE``).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marsad.model import Article

if TYPE_CHECKING:
    from marsad.store import Store

LEDGER_DDL = "CREATE TABLE IF NOT EXISTS ingest_ledger (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
ITEM = "item:"
FILE = "file:"
_RAW_FIELDS = ("id", "title", "published_raw", "published", "source", "author", "section", "url", "kind", "raw")


def item_key(raw: Article) -> str:
    """The ledger key of a raw article (as read, before processing): a hash of everything processing sees
    except the path it came from."""
    h = hashlib.sha256()
    for name in _RAW_FIELDS:
        value = getattr(raw, name)
        h.update(b"\x01" if value is None else str(value).encode("utf-8"))
        h.update(b"\x00")
    return ITEM + h.hexdigest()


def file_key(path: str | os.PathLike[str]) -> str:
    return FILE + os.path.abspath(os.fspath(path))


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class FileMark:
    """A file read completely with every article of it stored: what it was, and what it gave."""

    size: int
    mtime_ns: int
    sha256: str
    ids: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()

    @classmethod
    def of(cls, path: str | os.PathLike[str], ids: Iterable[str] = (), hashes: Iterable[str] = ()) -> FileMark:
        st = os.stat(path)
        return cls(st.st_size, st.st_mtime_ns, sha256_file(path), tuple(ids), tuple(hashes))

    def to_json(self) -> str:
        return json.dumps({"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256,
                           "ids": list(self.ids), "hashes": list(self.hashes)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> FileMark:
        d = json.loads(text)
        return cls(int(d["size"]), int(d["mtime_ns"]), str(d["sha256"]), tuple(d.get("ids", ())),
                   tuple(d.get("hashes", ())))


@dataclass
class Ledger:
    """The ledger of one store, as `marsad.ingest` uses it."""

    store: Store

    def unchanged_file(self, path: str) -> FileMark | None:
        """The mark of ``path`` when it was ingested completely before, has not changed since, and its articles
        are all still stored; else None. A file touched but not changed gets its new mtime recorded."""
        key = file_key(path)
        found = self.store.ledger_get([key]).get(key)
        if found is None:
            return None
        try:
            mark = FileMark.from_json(found)
            st = os.stat(path)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if st.st_size != mark.size:
            return None
        if st.st_mtime_ns != mark.mtime_ns:
            if sha256_file(path) != mark.sha256:
                return None
            mark = FileMark(st.st_size, st.st_mtime_ns, mark.sha256, mark.ids, mark.hashes)
            self.store.ledger_put({key: mark.to_json()})
        if not all(self.store.has_content(h) for h in dict.fromkeys(mark.hashes)):
            return None
        return mark

    def done_items(self, keys: Iterable[str]) -> dict[str, str]:
        """Of ``keys`` (item keys), those already processed and still stored: key -> content hash."""
        found = self.store.ledger_get(keys)
        return {k: h for k, h in found.items() if self.store.has_content(h)}

    def record(self, items: Mapping[str, str], files: Mapping[str, FileMark] | None = None) -> None:
        """Record processed items (key -> content hash) and completed files, in one transaction."""
        entries = dict(items)
        entries.update({file_key(p): m.to_json() for p, m in (files or {}).items()})
        if entries:
            self.store.ledger_put(entries)

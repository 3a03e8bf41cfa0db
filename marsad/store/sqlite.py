"""The embedded SQLite store: WAL mode, one transaction per batch, FTS5 kept in sync by triggers."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import urllib.parse
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping, Sequence

from marsad.errors import StoreError
from marsad.model import Article
from marsad.store import AddResult, Connected, Store
from marsad.store.annotations import register_functions
from marsad.store.article_queries import NameIndex, name_index
from marsad.store.dedup import LAYOUT_KEY, Layout, Params, band_keys, layout
from marsad.store.dialect import SQLITE
from marsad.store.progress import LEDGER_DDL
from marsad.store.rows import ARTICLE_COLUMNS, COLUMNS, Prepared, Preparer, stored_article
from marsad.store.schema import CHILD_TABLES, SCHEMA_VERSION, TABLES, UPGRADES
from marsad.store.writer import Plan, plan
from marsad.store.reads import SharedReads
from marsad.store.search import date_bounds

_CHUNK = 500  # host parameters per IN (...) list


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SQLiteStore(Connected, SharedReads, Store):
    """`Store` on one SQLite file (or ``:memory:``). Safe to share between threads (calls are serialized)."""

    dialect = SQLITE
    _query_errors = (sqlite3.OperationalError,)

    def __init__(self, path: str, readonly: bool = False, params: Params | None = None):
        self.path = path
        self.readonly = readonly
        self._lock = threading.RLock()
        self._forms: dict[str, list[str]] = {}
        self._db: sqlite3.Connection | None = self._connect()
        self._preparer = Preparer(self._params(params), self._forms)

    # --- opening -----------------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        path, memory = self.path, self.path == ":memory:"
        if not memory:
            if os.path.isdir(path):
                raise StoreError(f"{path}: is a directory, not a database file")
            if self.readonly and not os.path.exists(path):
                raise StoreError(f"{path}: no such database")
            if not self.readonly:
                self._check_writable(path)
        uri = "file:" + urllib.parse.quote(os.path.abspath(path) if not memory else ":memory:")
        if self.readonly:
            uri += "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"{path}: cannot open the database ({e})") from e
        try:
            conn.execute("PRAGMA schema_version").fetchone()
            conn.execute("PRAGMA foreign_keys = ON")
            register_functions(conn)
            conn.execute("PRAGMA busy_timeout = 10000")
            if not memory and not self.readonly:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    raise StoreError(f"{path}: cannot switch the database to WAL mode (got {mode})")
                conn.execute("PRAGMA synchronous = NORMAL")
            if not self.readonly:
                self._create(conn)
            elif conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is None:
                raise StoreError(f"{path}: not a marsad database (no articles table)")
            else:
                self._check_version(self._version(conn))
        except sqlite3.DatabaseError as e:
            conn.close()
            msg = str(e)
            if "not a database" in msg or "malformed" in msg or "encrypted" in msg:
                raise StoreError(f"{path}: not a SQLite database ({msg})") from e
            if "readonly" in msg or "read-only" in msg:
                raise StoreError(f"{path}: the database is read-only ({msg})") from e
            raise StoreError(f"{path}: cannot open the database ({msg})") from e
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _check_writable(path: str) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise StoreError(f"{path}: the folder {folder} does not exist")
        if os.path.exists(path) and not os.access(path, os.W_OK):
            raise StoreError(f"{path}: the database file is read-only (open it read-only to search it)")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(f"{path}: the folder {folder} is read-only (SQLite needs to write its WAL there)")

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int | None:
        """The schema version recorded (None for a new database)."""
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _check_version(self, version: int | None) -> None:
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: database schema version {version} is newer than this marsad "
                             f"({SCHEMA_VERSION}): upgrade marsad")
        if self.readonly and (version or 1) < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: the database has schema version {version or 1}, this marsad needs "
                             f"{SCHEMA_VERSION}: open it once for writing (e.g. marsad ingest) to upgrade it")

    def _create(self, conn: sqlite3.Connection) -> None:
        """Create the schema, or upgrade an older one (`UPGRADES`), in one transaction."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = self._version(conn)
            self._check_version(version)
            if version is not None:
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for stmt in UPGRADES.get(step, ()):
                        conn.execute(stmt)
            for stmt in TABLES:
                conn.execute(stmt)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _params(self, wanted: Params | None) -> Params:
        """The MinHash parameters stored with the signatures, else ``wanted`` (recorded on first open)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'minhash'").fetchone()
        if row is not None:
            return Params(**json.loads(row[0]))
        params = wanted or Params()
        if not self.readonly:
            self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('minhash', ?)", (json.dumps(params.__dict__),))
        return params

    # --- writing -----------------------------------------------------------------------------------------

    def _transaction(self, work: Any, *args: Any) -> Any:
        """Run ``work(*args)`` in one IMMEDIATE transaction; on any failure roll back."""
        if self.readonly:
            raise StoreError(f"{self.path}: the store was opened read-only")
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            out = work(*args)
            conn.execute("COMMIT")
            return out
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"{self.path}: write failed, batch rolled back ({e})") from e
            raise

    def add_prepared(self, batch: Iterable[Prepared]) -> AddResult:
        prepared = list(batch)
        if not prepared:
            return AddResult()
        with self._lock:
            return self._transaction(self._write_batch, prepared)

    def _lookup(self, sql: str, keys: Sequence[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for part in _chunks(list(dict.fromkeys(keys))):
            out.update(self._conn.execute(sql.format(_marks(len(part))), part).fetchall())
        return out

    # the planner's questions (`marsad.store.writer.Lookups`)

    def stored_hashes(self, hashes: list[str]) -> dict[str, str]:
        return self._lookup("SELECT content_hash, id FROM articles WHERE content_hash IN ({})", hashes)

    def stored_ids(self, ids: list[str]) -> set[str]:
        return set(self._lookup("SELECT id, 1 FROM articles WHERE id IN ({})", ids))

    def similar_stored(self, keys: list[int]) -> list[tuple[str, bytes]]:
        return self._conn.execute(
            "SELECT m.article_id, m.signature FROM minhash m WHERE m.article_id IN "
            f"(SELECT article_id FROM minhash_bands WHERE band IN ({_marks(len(keys))}))", keys).fetchall()

    def stored_group(self, article_id: str) -> str | None:
        row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def _layout(self) -> Layout:
        """Inside the write transaction: the band layout of ``minhash_bands``; on the first write to a
        database without one (new, or upgraded from the in-memory index), fill the table from the stored
        signatures, a page at a time."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (LAYOUT_KEY,)).fetchone()
        if row is not None:
            return Layout(**json.loads(row[0]))
        lay = layout(self._preparer.params)
        self._conn.execute("DELETE FROM minhash_bands")
        last = ""
        while page := self._conn.execute("SELECT article_id, signature FROM minhash WHERE article_id > ? "
                                         "ORDER BY article_id LIMIT 1000", (last,)).fetchall():
            self._conn.executemany("INSERT INTO minhash_bands (band, article_id) VALUES (?, ?)",
                                   [(k, aid) for aid, sig in page for k in band_keys(sig, lay)])
            last = page[-1][0]
        self._conn.execute("INSERT INTO meta VALUES (?, ?)", (LAYOUT_KEY, json.dumps(lay.__dict__)))
        return lay

    def _write_batch(self, prepared: list[Prepared]) -> AddResult:
        todo = plan(prepared, self, self._preparer, self._layout(), self.path)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._insert("articles", ARTICLE_COLUMNS, [p.row(todo.groups[p.id], now) for p in todo.fresh])
        self._conn.executemany("UPDATE articles SET near_dup_group = ? WHERE id = ?", todo.regroup)
        self._insert_dedup(todo)
        for table, rows in todo.children().items():
            self._insert(table, COLUMNS[table], rows)
        return todo.result

    def _insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(len(columns))})", rows)

    def _insert_dedup(self, todo: Plan) -> None:
        self._insert("minhash", ("article_id", "signature"), todo.signatures)
        self._insert("minhash_bands", ("band", "article_id"), todo.bands)

    def update(self, article: Article) -> None:
        with self._lock:
            self._transaction(self._update, article)

    def _update(self, a: Article) -> None:
        row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = ?", (a.id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no article {a.id!r} to update")
        other = self._conn.execute("SELECT id FROM articles WHERE content_hash = ? AND id != ?",
                                   (a.content_hash, a.id)).fetchone()
        if other is not None:
            raise StoreError(f"{self.path}: cannot update {a.id!r}: its new content is already stored as {other[0]!r}")
        lay = self._layout()
        p = self._preparer(a)
        cols = [c for c in ARTICLE_COLUMNS if c not in ("id", "near_dup_group", "ingested_at")]
        self._conn.execute(f"UPDATE articles SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                           [p.article[c] for c in cols] + [a.id])
        for table in CHILD_TABLES + ("minhash", "minhash_bands"):
            self._conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))
        for table, rows in p.children.items():
            self._insert(table, COLUMNS[table], rows)
        if p.signature is not None:
            self._insert_dedup(Plan(signatures=[(a.id, p.signature)],
                                    bands=[(k, a.id) for k in band_keys(p.signature, lay)]))

    def delete(self, ids: Iterable[str]) -> int:
        wanted = list(dict.fromkeys(ids))
        with self._lock:
            return self._transaction(self._delete, wanted)

    def _delete(self, ids: list[str]) -> int:
        """Delete; a near-duplicate group left with one member dissolves, one that lost its head is renamed
        after its next-oldest member."""
        groups: set[str] = set()
        n = 0
        for part in _chunks(ids):
            groups.update(r[0] for r in self._conn.execute(
                f"SELECT near_dup_group FROM articles WHERE id IN ({_marks(len(part))}) "
                "AND near_dup_group IS NOT NULL", part))
            n += self._conn.execute(f"DELETE FROM articles WHERE id IN ({_marks(len(part))})", part).rowcount
        for group in groups:
            members = [r[0] for r in self._conn.execute(
                "SELECT id FROM articles WHERE near_dup_group = ? ORDER BY pk", (group,))]
            head = members[0] if len(members) > 1 else None
            self._conn.execute("UPDATE articles SET near_dup_group = ? WHERE near_dup_group = ?", (head, group))
        return n

    def ledger_put(self, entries: Mapping[str, str]) -> None:
        rows = list(entries.items())
        if rows:
            with self._lock:
                self._transaction(self._put_ledger, rows)

    def _put_ledger(self, rows: list[tuple[str, str]]) -> None:
        self._conn.execute(LEDGER_DDL)
        self._conn.executemany("INSERT OR REPLACE INTO ingest_ledger (key, value) VALUES (?, ?)", rows)

    # --- reading -----------------------------------------------------------------------------------------

    def ledger_get(self, keys: Iterable[str]) -> dict[str, str]:
        with self._lock:
            if self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ingest_ledger'").fetchone() is None:
                return {}
            return self._lookup("SELECT key, value FROM ingest_ledger WHERE key IN ({})", list(keys))

    def get(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._conn.execute("SELECT record, text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return stored_article(*row) if row else None

    def has_content(self, content_hash: str) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM articles WHERE content_hash = ?",
                                      (content_hash,)).fetchone() is not None

    def known_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT id FROM articles")}

    def near_duplicates(self, article_id: str) -> list[str]:
        with self._lock:
            row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = ?", (article_id,)).fetchone()
            if not row or row[0] is None:
                return []
            return [r[0] for r in self._conn.execute(
                "SELECT id FROM articles WHERE near_dup_group = ? AND id != ? ORDER BY pk", (row[0], article_id))]

    def iter_articles(self, since: str | None = None, until: str | None = None) -> Iterator[Article]:
        where, params = _date_filter(since, until)
        last = 0
        while True:
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT pk, record, text FROM articles WHERE pk > ?{where} ORDER BY pk LIMIT 500",
                    [last, *params]).fetchall()
            if not rows:
                return
            for _, record, text in rows:
                yield stored_article(record, text)
            last = rows[-1][0]

    def _name_index(self) -> NameIndex:
        """`marsad.store.article_queries.name_index`, rebuilt only after the database changed."""
        version = (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes)
        cached = getattr(self, "_names_cache", None)
        if cached is None or cached[0] != version:
            cached = self._names_cache = (version, name_index(self._conn))
        return cached[1]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            c = self._conn

            def count(table: str) -> int:
                return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

            first, last = c.execute("SELECT min(published), max(published) FROM articles").fetchone()
            sources = dict(c.execute("SELECT coalesce(source, ''), count(*) FROM articles GROUP BY 1 "
                                     "ORDER BY 2 DESC, 1").fetchall())
            groups = c.execute("SELECT count(DISTINCT near_dup_group) FROM articles").fetchone()[0]
            return {"articles": count("articles"), "entities": count("entities"), "quotes": count("quotes"),
                    "references": count("refs"), "events": count("events"), "sources": sources,
                    "near_duplicate_groups": int(groups), "first_published": first, "last_published": last}

    def verify(self) -> list[str]:
        """Problems found by SQLite's integrity check and by comparing the FTS index with the table."""
        with self._lock:
            c = self._conn
            problems = [r[0] for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
            try:
                c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as e:
                problems.append(f"full-text index: {e}")
            docs = c.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
            rows = c.execute("SELECT count(*) FROM articles").fetchone()[0]
            if docs != rows:
                problems.append(f"full-text index holds {docs} documents, articles table {rows}")
            dated = c.execute("SELECT count(*) FROM articles WHERE published IS NOT NULL").fetchone()[0]
            dates = c.execute("SELECT count(*) FROM article_dates d JOIN articles a ON a.pk = d.pk "
                              "AND a.published = d.published").fetchone()[0]
            if dates != dated or dates != c.execute("SELECT count(*) FROM article_dates").fetchone()[0]:
                problems.append(f"article_dates holds {dates} of the {dated} dated articles' dates")
            return problems


def _date_filter(since: str | None, until: str | None) -> tuple[str, list[str]]:
    """A condition on ``published`` keeping the articles within `date_bounds`, and its params."""
    bounds = date_bounds(since, until)
    return "".join(f" AND published {op} ?" for op, _ in bounds), [v for _, v in bounds]

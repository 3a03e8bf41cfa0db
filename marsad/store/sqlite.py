"""The embedded SQLite store: WAL mode, one transaction per batch, FTS5 kept in sync by triggers."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import urllib.parse
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping, Sequence

from marsad.arabic import normalize
from marsad.errors import StoreError
from marsad.model import Article
from marsad.store import AddResult, Hit, Store
from marsad.store.annotations import actor_counts, articles_mentioning, register_functions
from marsad.store.dedup import NearDupIndex, Params, to_blob
from marsad.store.event_queries import count_event_groups, event_groups
from marsad.store.progress import LEDGER_DDL
from marsad.store.rows import ARTICLE_COLUMNS, COLUMNS, article_row, child_rows
from marsad.store.schema import CHILD_TABLES, SCHEMA_VERSION, TABLES
from marsad.store.search import (QueryError, date_bounds, index_text, match_spans, parse_query, snippet,
                                  words)

_CHUNK = 500  # host parameters per IN (...) list
TITLE_WEIGHT = 5.0


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SQLiteStore(Store):
    """`Store` on one SQLite file (or ``:memory:``). Safe to share between threads (calls are serialized)."""

    def __init__(self, path: str, readonly: bool = False, params: Params | None = None):
        self.path = path
        self.readonly = readonly
        self._lock = threading.RLock()
        self._forms: dict[str, list[str]] = {}
        self._data_version = -1
        self._db: sqlite3.Connection | None = self._connect()
        self._dedup = NearDupIndex(self._params(params))

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
    def _create(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if row else None
            if version is not None and int(version[0]) > SCHEMA_VERSION:
                raise StoreError(f"database schema version {version[0]} is newer than this marsad "
                                 f"({SCHEMA_VERSION}): upgrade marsad")
            for stmt in TABLES:
                conn.execute(stmt)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
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

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
                self._dedup.forget()

    # --- writing -----------------------------------------------------------------------------------------

    def _transaction(self, work: Any, *args: Any) -> Any:
        """Run ``work(*args)`` in one IMMEDIATE transaction; on any failure roll back and drop the LSH index
        (it is rebuilt from the committed signatures on next use)."""
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
            self._dedup.forget()
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"{self.path}: write failed, batch rolled back ({e})") from e
            raise

    def add_articles(self, batch: Iterable[Article]) -> AddResult:
        articles = list(batch)
        if not articles:
            return AddResult()
        with self._lock:
            return self._transaction(self._write_batch, articles)

    def _sync_dedup(self) -> None:
        """Inside the write transaction: (re)build the LSH index from the stored signatures when it is not
        loaded yet or another connection has committed since (``PRAGMA data_version``)."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if not self._dedup.loaded or version != self._data_version:
            self._dedup.load(self._conn.execute("SELECT article_id, signature FROM minhash"))
            self._data_version = version

    def _lookup(self, sql: str, keys: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for part in _chunks(list(dict.fromkeys(keys))):
            out.update(self._conn.execute(sql.format(_marks(len(part))), part).fetchall())
        return out

    def _free_id(self, article: Article, taken: dict[str, Any]) -> str:
        """The article's own id, or ``id_<hash prefix>`` when another content already has it."""
        h = article.content_hash
        candidates = [article.id] + [f"{article.id}_{h[:n]}" for n in (8, 12, 16, 64)]
        for cand in candidates:
            if cand not in taken and self._conn.execute(
                    "SELECT 1 FROM articles WHERE id = ?", (cand,)).fetchone() is None:
                return cand
        raise StoreError(f"{self.path}: cannot find a free id for {article.id!r}")

    def _write_batch(self, articles: list[Article]) -> AddResult:
        self._sync_dedup()
        hashes = self._lookup("SELECT content_hash, id FROM articles WHERE content_hash IN ({})",
                              [a.content_hash for a in articles])
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        ids: list[str] = []
        fresh: list[Article] = []
        groups: dict[str, str | None] = {}  # group of each new article, and of stored ones we regroup
        signatures: list[tuple[str, bytes]] = []
        search_body: dict[str, str] = {}
        duplicate = near = 0
        for a in articles:
            h = a.content_hash
            if h in hashes:
                duplicate += 1
                ids.append(hashes[h])
                continue
            aid = self._free_id(a, groups)
            if aid != a.id:
                a = replace(a, id=aid)
            hashes[h] = aid
            ids.append(aid)
            fresh.append(a)
            groups[aid] = None
            toks = words(a.text)
            search_body[aid] = index_text(toks, self._forms)
            sig = self._dedup.signature([t.norm for t in toks])
            if sig is None:
                continue
            matches = self._dedup.matches(sig)
            if matches:
                groups[aid] = self._group_of(matches[0], groups)
                near += 1
            self._dedup.add(aid, sig)
            signatures.append((aid, to_blob(sig)))
        rows = [article_row(a, groups[a.id], now, index_text(a.title, self._forms), search_body[a.id])
                for a in fresh]
        self._conn.executemany(
            f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({_marks(len(ARTICLE_COLUMNS))})", rows)
        new_ids = {a.id for a in fresh}
        stored = [(g, k) for k, g in groups.items() if k not in new_ids]
        self._conn.executemany("UPDATE articles SET near_dup_group = ? WHERE id = ?", stored)
        self._conn.executemany("INSERT INTO minhash (article_id, signature) VALUES (?, ?)", signatures)
        self._insert_children(fresh)
        return AddResult(new=len(fresh), duplicate=duplicate, near_duplicate=near, ids=ids)

    def _group_of(self, key: str, groups: dict[str, str | None]) -> str:
        """The group a near-duplicate of ``key`` joins: ``key``'s group, or a new one headed by ``key``."""
        if key not in groups:
            row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = ?", (key,)).fetchone()
            groups[key] = row[0] if row else None
        if groups[key] is None:
            groups[key] = key
        return groups[key]  # type: ignore[return-value]

    def _insert_children(self, articles: list[Article]) -> None:
        tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        for a in articles:
            for table, rows in child_rows(a).items():
                tables[table].extend(rows)
        for table, rows in tables.items():
            if rows:
                cols = COLUMNS[table]
                self._conn.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({_marks(len(cols))})", rows)

    def update(self, article: Article) -> None:
        with self._lock:
            self._transaction(self._update, article)

    def _update(self, a: Article) -> None:
        self._sync_dedup()
        row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = ?", (a.id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no article {a.id!r} to update")
        other = self._conn.execute("SELECT id FROM articles WHERE content_hash = ? AND id != ?",
                                   (a.content_hash, a.id)).fetchone()
        if other is not None:
            raise StoreError(f"{self.path}: cannot update {a.id!r}: its new content is already stored as {other[0]!r}")
        values = article_row(a, row[0], "", index_text(a.title, self._forms), index_text(a.text, self._forms))
        cols = [c for c in ARTICLE_COLUMNS if c not in ("id", "near_dup_group", "ingested_at")]
        data = dict(zip(ARTICLE_COLUMNS, values))
        self._conn.execute(f"UPDATE articles SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                           [data[c] for c in cols] + [a.id])
        for table in CHILD_TABLES + ("minhash",):
            self._conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))
        self._insert_children([a])
        self._dedup.remove(a.id)
        sig = self._dedup.signature(a.text)
        if sig is not None:
            self._dedup.add(a.id, sig)
            self._conn.execute("INSERT INTO minhash (article_id, signature) VALUES (?, ?)", (a.id, to_blob(sig)))

    def delete(self, ids: Iterable[str]) -> int:
        wanted = list(dict.fromkeys(ids))
        with self._lock:
            return self._transaction(self._delete, wanted)

    def _delete(self, ids: list[str]) -> int:
        """Delete; a near-duplicate group left with one member dissolves, one that lost its head is renamed
        after its next-oldest member."""
        self._sync_dedup()
        groups: set[str] = set()
        n = 0
        for part in _chunks(ids):
            groups.update(r[0] for r in self._conn.execute(
                f"SELECT near_dup_group FROM articles WHERE id IN ({_marks(len(part))}) "
                "AND near_dup_group IS NOT NULL", part))
            n += self._conn.execute(f"DELETE FROM articles WHERE id IN ({_marks(len(part))})", part).rowcount
        for aid in ids:
            self._dedup.remove(aid)
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
            row = self._conn.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return Article.from_json(row[0]) if row else None

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
        where, params = _date_filter(since, until, rowid="pk")
        last = 0
        while True:
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT pk, record FROM articles WHERE pk > ?{where} ORDER BY pk LIMIT 500",
                    [last, *params]).fetchall()
            if not rows:
                return
            for pk, record in rows:
                yield Article.from_json(record)
            last = rows[-1][0]

    def search(self, query: str, since: str | None = None, until: str | None = None,
               limit: int = 20, offset: int = 0) -> list[Hit]:
        q = parse_query(query)
        if limit < 0 or offset < 0:
            raise QueryError(f"limit and offset must not be negative (got {limit}, {offset})")
        where, params = _date_filter(since, until)
        # rank inside FTS5 first (no article rows read), then fetch the page's rows
        sql = (f"WITH page AS (SELECT rowid AS pk, bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS rank "
               f"FROM articles_fts WHERE articles_fts MATCH ?{where} ORDER BY rank, rowid LIMIT ? OFFSET ?) "
               "SELECT a.id, a.title, a.published, a.source, a.text, a.near_dup_group, page.rank "
               "FROM page JOIN articles a ON a.pk = page.pk ORDER BY page.rank, page.pk")
        rows = self._query(sql, [q.fts, *params, limit, offset])
        hits = []
        for aid, title, published, source, text, group, rank in rows:
            snip = snippet(text, q.terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source, score=-rank,
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, q.terms, self._forms), snippet_start=snip.start,
                            near_dup_group=group))
        return hits

    def count_search(self, query: str, since: str | None = None, until: str | None = None) -> int:
        q = parse_query(query)
        where, params = _date_filter(since, until)
        sql = f"SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?{where}"
        return int(self._query(sql, [q.fts, *params])[0][0])

    def actors(self, type: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return actor_counts(self._conn, type, limit, offset)

    def entity_search(self, name: str, kb_ids: tuple[str, ...] = (), since: str | None = None,
                      until: str | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
        with self._lock:
            rows = articles_mentioning(self._conn, name, kb_ids, since, until, limit, offset)
        terms = frozenset(normalize(name).split())
        hits = []
        for aid, title, published, source, text, group, first in rows:
            snip = snippet(text[max(0, (first or 0) - 200):], terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source, score=0.0,
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, terms, self._forms), near_dup_group=group,
                            snippet_start=snip.start + max(0, (first or 0) - 200)))
        return hits

    def events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
               until: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return event_groups(self._conn, type, actor_keys, since, until, limit, offset)

    def count_events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                     until: str | None = None) -> int:
        with self._lock:
            return count_event_groups(self._conn, type, actor_keys, since, until)

    # --- views (marsad.store.article_queries, marsad.store.graph_queries) --------------------------------

    def find_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                      actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                      event_type: str | None = None, source: str | None = None,
                      limit: int = 20, offset: int = 0) -> list[Hit]:
        from marsad.store import article_queries as aq

        q = parse_query(query) if query is not None else None
        filters = dict(since=since, until=until, actor_keys=actor_keys, place_keys=place_keys,
                       event_type=event_type, source=source)
        with self._lock:
            filters["names"] = self._name_index() if actor_keys or place_keys else None
            rows = self._guarded(aq.find_articles, q.fts if q else None, limit, offset, **filters)
        terms = q.terms if q else frozenset()
        hits = []
        for aid, title, published, source_, text, group, rank in rows:
            snip = snippet(text, terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source_, score=-rank,
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, terms, self._forms), snippet_start=snip.start,
                            near_dup_group=group))
        return hits

    def count_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                       actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                       event_type: str | None = None, source: str | None = None) -> int:
        from marsad.store.article_queries import count_articles

        fts = parse_query(query).fts if query is not None else None
        with self._lock:
            names = self._name_index() if actor_keys or place_keys else None
            return self._guarded(count_articles, fts, since=since, until=until, actor_keys=actor_keys,
                                 place_keys=place_keys, event_type=event_type, source=source, names=names)

    def count_actors(self, type: str | None = None) -> int:
        from marsad.store.article_queries import count_actors

        with self._lock:
            return count_actors(self._conn, type)

    def actor_profile(self, key: str) -> dict[str, Any] | None:
        from marsad.store.graph_queries import actor_profile

        with self._lock:
            return actor_profile(self._conn, key, self._name_index())

    def places(self, since: str | None = None, until: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        from marsad.store.graph_queries import places

        with self._lock:
            return places(self._conn, since, until, type)

    def network(self, type: str | None = None, since: str | None = None, until: str | None = None,
                min_weight: int = 1, limit: int = 500) -> dict[str, Any]:
        from marsad.store.graph_queries import network

        with self._lock:
            return network(self._conn, type, since, until, min_weight, limit)

    def timeline(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                 until: str | None = None) -> list[tuple[str, str | None, int]]:
        from marsad.store.graph_queries import timeline

        with self._lock:
            return timeline(self._conn, type, actor_keys, since, until)

    def _name_index(self) -> dict[str, list[tuple[str, str]]]:
        """`marsad.store.article_queries.name_index`, rebuilt only after the database changed."""
        from marsad.store.article_queries import name_index

        version = (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes)
        cached = getattr(self, "_names_cache", None)
        if cached is None or cached[0] != version:
            cached = self._names_cache = (version, name_index(self._conn))
        return cached[1]

    def _guarded(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn(conn, ...)``, with SQLite's complaints about a query turned into `QueryError`."""
        try:
            return fn(self._conn, *args, **kwargs)
        except sqlite3.OperationalError as e:
            raise QueryError(f"search failed: {e}") from e

    def _query(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as e:
                raise QueryError(f"search failed: {e}") from e

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
            return problems


def _date_filter(since: str | None, until: str | None, rowid: str = "+rowid") -> tuple[str, list[str]]:
    """A condition keeping rows whose article is within `date_bounds`. ``+rowid`` keeps SQLite from handing
    the IN list to FTS5 (one index probe per row: seconds); FTS5 matches are filtered against the index."""
    bounds = date_bounds(since, until)
    if not bounds:
        return "", []
    cond = " AND ".join(f"published {op} ?" for op, _ in bounds)
    return f" AND {rowid} IN (SELECT pk FROM articles WHERE {cond})", [v for _, v in bounds]

"""The PostgreSQL store: the `Store` interface on a server, for deployments bigger than one file.

``open_store("postgresql://user:pass@host/db")`` (or ``postgres://``; any libpq URI, ``?options=-csearch_path=s``
picks a schema). On open the schema is brought up to date by the ordered steps of `marsad.store.pg_schema`
(recorded in ``schema_migrations``). The records, deduplication and search are the SQLite store's:

- the same rows (`marsad.store.rows`), the same folded search text (`marsad.store.search.index_text`), indexed
  as a generated ``tsvector`` (``simple`` configuration, GIN), queried through `marsad.store.pg_search`;
  snippets are cut in Python from the original text, as for SQLite;
- ``content_hash`` is UNIQUE; near-duplicates use the same MinHash LSH (`marsad.store.dedup`, the shared
  planner `marsad.store.writer`), its signatures stored as ``bytea`` and its band keys in ``minhash_bands``;
- each batch is one transaction (all or nothing), written with COPY. Writers are serialized on the ``writes``
  row of ``meta`` (a counter bumped by every write); readers never wait.

Differences: text may not hold NUL characters in PostgreSQL (they are stored as U+FFFD in the columns; the
record keeps them); a tsvector holds at most 1 MB and positions up to 16383, so the indexed text of a huge
article is cut (see `fit_index`) and phrase proximity beyond ~4,000 words into an article is approximate.
"""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping

try:
    import psycopg
except ModuleNotFoundError:  # an optional dependency: opening a store says how to install it
    psycopg = None  # type: ignore[assignment]

from marsad.errors import StoreError
from marsad.model import Article
from marsad.store import AddResult, Connected, Store
from marsad.store.dedup import LAYOUT_KEY, Layout, Params, band_keys, layout
from marsad.store.pg_schema import TSV_EXPR, check_current, migrate
from marsad.store.dialect import POSTGRES
from marsad.store.pg_search import fit_index
from marsad.store.reads import SharedReads
from marsad.store.rows import ARTICLE_COLUMNS, COLUMNS, Prepared, Preparer, stored_article
from marsad.store.schema import CHILD_TABLES
from marsad.store.search import date_bounds
from marsad.store.writer import Plan, plan


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    url = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: U+FFFD instead (same length, so offsets still hold)."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


class PostgresStore(Connected, SharedReads, Store):
    """`Store` on a PostgreSQL database. Safe to share between threads (calls are serialized)."""

    dialect = POSTGRES
    _query_errors = (psycopg.Error,) if psycopg is not None else ()

    def __init__(self, url: str, readonly: bool = False, params: Params | None = None):
        self.url = url
        self.path = redact(url)  # what messages name, as SQLiteStore.path
        self.readonly = readonly
        self._lock = threading.RLock()
        self._forms: dict[str, list[str]] = {}
        self._db: psycopg.Connection | None = self._connect()
        try:
            self._preparer = Preparer(self._params(params), self._forms)
        except BaseException:
            self.close()
            raise

    # --- opening -----------------------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection:
        if psycopg is None:
            raise StoreError(f"{self.path}: PostgreSQL support needs psycopg: pip install 'psycopg[binary]==3.3.9'")
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=15)
        except psycopg.Error as e:
            raise StoreError(f"{self.path}: cannot connect to PostgreSQL ({str(e).strip()})") from e
        try:
            encoding = conn.execute("SHOW server_encoding").fetchone()[0]
            if encoding.upper() not in ("UTF8", "UTF-8"):
                raise StoreError(f"{self.path}: the database encoding is {encoding}; marsad needs UTF8 "
                                 "(CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)")
            if self.readonly:
                conn.execute("SET default_transaction_read_only = on")
                check_current(conn, self.path)
            else:
                migrate(conn, self.path)
        except psycopg.Error as e:
            conn.close()
            raise StoreError(f"{self.path}: cannot open the store ({str(e).strip()})") from e
        except BaseException:
            conn.close()
            raise
        return conn

    def _params(self, wanted: Params | None) -> Params:
        """The MinHash parameters stored with the signatures, else ``wanted`` (recorded on first open)."""
        if not self.readonly:
            self._conn.execute("INSERT INTO meta (key, value) VALUES ('minhash', %s) ON CONFLICT DO NOTHING",
                               (json.dumps((wanted or Params()).__dict__),))
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'minhash'").fetchone()
        return Params(**json.loads(row[0])) if row else (wanted or Params())

    # --- writing -----------------------------------------------------------------------------------------

    def _transaction(self, work: Any, *args: Any, bump: bool = True) -> Any:
        """Run ``work(*args)`` in one transaction; with ``bump``, first take the writers' lock (the ``writes``
        row), so that batches are planned against everything committed before them."""
        if self.readonly:
            raise StoreError(f"{self.path}: the store was opened read-only")
        conn = self._conn
        try:
            with conn.transaction():
                if bump:
                    conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'writes'")
                return work(*args)
        except psycopg.Error as e:
            raise StoreError(f"{self.path}: write failed, batch rolled back ({str(e).strip()})") from e

    def add_prepared(self, batch: Iterable[Prepared]) -> AddResult:
        prepared = list(batch)
        if not prepared:
            return AddResult()
        with self._lock:
            return self._transaction(self._write_batch, prepared)

    # the planner's questions (`marsad.store.writer.Lookups`)

    def stored_hashes(self, hashes: list[str]) -> dict[str, str]:
        return dict(self._conn.execute("SELECT content_hash, id FROM articles WHERE content_hash = ANY(%s)",
                                       ([_clean(h) for h in hashes],)).fetchall())

    def stored_ids(self, ids: list[str]) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM articles WHERE id = ANY(%s)",
                                                 ([_clean(i) for i in ids],))}

    def similar_stored(self, keys: list[int]) -> list[tuple[str, bytes]]:
        return [(aid, bytes(sig)) for aid, sig in self._conn.execute(
            "SELECT article_id, signature FROM minhash WHERE article_id IN "
            "(SELECT article_id FROM minhash_bands WHERE band = ANY(%s))", (keys,))]

    def stored_group(self, article_id: str) -> str | None:
        row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = %s", (article_id,)).fetchone()
        return row[0] if row else None

    def _layout(self) -> Layout:
        """Inside the write transaction: the band layout of ``minhash_bands``; on the first write to a
        database without one (new, or migrated from the in-memory index), fill it from the stored
        signatures, a page at a time."""
        conn = self._conn
        row = conn.execute("SELECT value FROM meta WHERE key = %s", (LAYOUT_KEY,)).fetchone()
        if row is not None:
            return Layout(**json.loads(row[0]))
        lay = layout(self._preparer.params)
        conn.execute("DELETE FROM minhash_bands")
        last = ""
        while page := conn.execute("SELECT article_id, signature FROM minhash WHERE article_id > %s "
                                   "ORDER BY article_id LIMIT 1000", (last,)).fetchall():
            self._copy("minhash_bands", ("band", "article_id"),
                       [(k, aid) for aid, sig in page for k in band_keys(bytes(sig), lay)])
            last = page[-1][0]
        conn.execute("INSERT INTO meta (key, value) VALUES (%s, %s)", (LAYOUT_KEY, json.dumps(lay.__dict__)))
        return lay

    def _write_batch(self, prepared: list[Prepared]) -> AddResult:
        todo = plan(prepared, self, self._preparer, self._layout(), self.path)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._copy("articles", ARTICLE_COLUMNS, (_fitted(p.row(todo.groups[p.id], now)) for p in todo.fresh))
        if todo.regroup:
            with self._conn.cursor() as cur:
                cur.executemany("UPDATE articles SET near_dup_group = %s WHERE id = %s", todo.regroup)
        self._insert_dedup(todo)
        self._insert_children(todo.children())
        return todo.result

    def _copy(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
        with self._conn.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_clean(v) for v in row])

    def _insert_dedup(self, todo: Plan) -> None:
        self._copy("minhash", ("article_id", "signature"), todo.signatures)
        self._copy("minhash_bands", ("band", "article_id"), todo.bands)

    def _insert_children(self, children: Mapping[str, list[tuple[Any, ...]]]) -> None:
        for table, rows in children.items():
            if rows:
                self._copy(table, COLUMNS[table], rows)

    def update(self, article: Article) -> None:
        with self._lock:
            self._transaction(self._update, article)

    def _update(self, a: Article) -> None:
        conn = self._conn
        row = conn.execute("SELECT near_dup_group FROM articles WHERE id = %s", (a.id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no article {a.id!r} to update")
        other = conn.execute("SELECT id FROM articles WHERE content_hash = %s AND id != %s",
                             (a.content_hash, a.id)).fetchone()
        if other is not None:
            raise StoreError(f"{self.path}: cannot update {a.id!r}: its new content is already stored as {other[0]!r}")
        lay = self._layout()
        p = self._preparer(a)
        data = dict(zip(ARTICLE_COLUMNS, _fitted(p.row(row[0], ""))))
        cols = [c for c in ARTICLE_COLUMNS if c not in ("id", "near_dup_group", "ingested_at")]
        conn.execute(f"UPDATE articles SET {', '.join(c + ' = %s' for c in cols)} WHERE id = %s",
                     [_clean(data[c]) for c in cols] + [a.id])
        for table in CHILD_TABLES + ("minhash", "minhash_bands"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = %s", (a.id,))
        self._insert_children(p.children)
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
        conn = self._conn
        gone = conn.execute("DELETE FROM articles WHERE id = ANY(%s) RETURNING near_dup_group", (ids,)).fetchall()
        for group in sorted({g for (g,) in gone if g is not None}):
            members = [r[0] for r in conn.execute(
                "SELECT id FROM articles WHERE near_dup_group = %s ORDER BY pk", (group,))]
            head = members[0] if len(members) > 1 else None
            conn.execute("UPDATE articles SET near_dup_group = %s WHERE near_dup_group = %s", (head, group))
        return len(gone)

    def ledger_put(self, entries: Mapping[str, str]) -> None:
        rows = [(_clean(k), _clean(v)) for k, v in entries.items()]
        if rows:
            with self._lock:
                self._transaction(self._put_ledger, rows, bump=False)

    def _put_ledger(self, rows: list[tuple[str, str]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany("INSERT INTO ingest_ledger (key, value) VALUES (%s, %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", rows)

    # --- reading -----------------------------------------------------------------------------------------

    def _all(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except psycopg.OperationalError as e:
                raise StoreError(f"{self.path}: {str(e).strip()}") from e

    def ledger_get(self, keys: Iterable[str]) -> dict[str, str]:
        return dict(self._all("SELECT key, value FROM ingest_ledger WHERE key = ANY(%s)",
                              ([_clean(k) for k in keys],)))

    def get(self, article_id: str) -> Article | None:
        rows = self._all("SELECT record, text FROM articles WHERE id = %s", (_clean(article_id),))
        return stored_article(*rows[0]) if rows else None

    def has_content(self, content_hash: str) -> bool:
        return bool(self._all("SELECT 1 FROM articles WHERE content_hash = %s", (_clean(content_hash),)))

    def known_ids(self) -> set[str]:
        return {r[0] for r in self._all("SELECT id FROM articles")}

    def near_duplicates(self, article_id: str) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT b.id FROM articles a JOIN articles b ON b.near_dup_group = a.near_dup_group "
            "WHERE a.id = %s AND b.id != a.id ORDER BY b.pk", (_clean(article_id),))]

    def iter_articles(self, since: str | None = None, until: str | None = None) -> Iterator[Article]:
        where, params = _date_filter(since, until)
        last = 0
        while True:
            rows = self._all(f"SELECT pk, record, text FROM articles a WHERE pk > %s{where} ORDER BY pk LIMIT 500",
                             [last, *params])
            if not rows:
                return
            for _, record, text in rows:
                yield stored_article(record, text)
            last = rows[-1][0]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            c = self._conn
            counts = c.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM entities), "
                               "(SELECT count(*) FROM quotes), (SELECT count(*) FROM refs), "
                               "(SELECT count(*) FROM events), (SELECT count(DISTINCT near_dup_group) FROM articles), "
                               "(SELECT min(published) FROM articles), (SELECT max(published) FROM articles)"
                               ).fetchone()
            sources = dict(c.execute("SELECT coalesce(source, ''), count(*) FROM articles GROUP BY 1 "
                                     "ORDER BY 2 DESC, 1").fetchall())
        n, ents, quotes, refs, events, groups, first, last = counts
        return {"articles": int(n), "entities": int(ents), "quotes": int(quotes), "references": int(refs),
                "events": int(events), "sources": {k: int(v) for k, v in sources.items()},
                "near_duplicate_groups": int(groups), "first_published": first, "last_published": last}

    def verify(self) -> list[str]:
        """Problems found: the schema not up to date, search vectors out of step with the search text."""
        problems = []
        with self._lock:
            try:
                check_current(self._conn, self.path)
            except StoreError as e:
                problems.append(str(e))
            stale = self._conn.execute(
                f"SELECT count(*) FROM articles WHERE tsv IS DISTINCT FROM ({TSV_EXPR})").fetchone()[0]
        if stale:
            problems.append(f"full-text index: {stale} articles with a stale search vector")
        return problems


_SEARCH_TITLE, _SEARCH_BODY = ARTICLE_COLUMNS.index("search_title"), ARTICLE_COLUMNS.index("search_body")


def _fitted(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An articles row with its search text cut to what a tsvector holds (`fit_index`)."""
    out = list(row)
    out[_SEARCH_TITLE], out[_SEARCH_BODY] = fit_index(row[_SEARCH_TITLE]), fit_index(row[_SEARCH_BODY])
    return tuple(out)


def _date_filter(since: str | None, until: str | None) -> tuple[str, list[str]]:
    bounds = date_bounds(since, until)
    return "".join(f" AND a.published {op} %s" for op, _ in bounds), [v for _, v in bounds]

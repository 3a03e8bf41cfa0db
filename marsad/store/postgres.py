"""The PostgreSQL store: the `Store` interface on a server, for deployments bigger than one file.

``open_store("postgresql://user:pass@host/db")`` (or ``postgres://``; any libpq URI, ``?options=-csearch_path=s``
picks a schema). On open the schema is brought up to date by the ordered steps of `marsad.store.pg_schema`
(recorded in ``schema_migrations``). The records, deduplication and search are the SQLite store's:

- the same rows (`marsad.store.rows`), the same folded search text (`marsad.store.search.index_text`), indexed
  as a generated ``tsvector`` (``simple`` configuration, GIN), queried through `marsad.store.pg_search`;
  snippets are cut in Python from the original text, as for SQLite;
- ``content_hash`` is UNIQUE; near-duplicates use the same MinHash LSH (`marsad.store.dedup`), its signatures
  stored as ``bytea`` and the in-memory index rebuilt when another connection has written since;
- each batch is one transaction (all or nothing), written with COPY. Writers are serialized on the ``writes``
  row of ``meta`` (a counter bumped by every write, which also tells a store that someone else wrote);
  readers never wait.

Differences: text may not hold NUL characters in PostgreSQL (they are stored as U+FFFD in the columns; the
record keeps them); a tsvector holds at most 1 MB and positions up to 16383, so the indexed text of a huge
article is cut (see `fit_index`) and phrase proximity beyond ~4,000 words into an article is approximate.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping

try:
    import psycopg
except ModuleNotFoundError:  # an optional dependency: opening a store says how to install it
    psycopg = None  # type: ignore[assignment]

from marsad.errors import StoreError
from marsad.model import Article
from marsad.store import AddResult, Hit, Store
from marsad.store import pg_queries as pq
from marsad.store.pg_queries import AnnotationsMixin
from marsad.store.dedup import NearDupIndex, Params, to_blob
from marsad.store.pg_schema import TSV_EXPR, check_current, migrate
from marsad.store.pg_search import compile_query, fit_index
from marsad.store.pg_views import ViewsMixin
from marsad.store.rows import ARTICLE_COLUMNS, COLUMNS, article_row, child_rows
from marsad.store.schema import CHILD_TABLES
from marsad.store.search import QueryError, date_bounds, index_text, match_spans, parse_query, snippet, words

ENTITY_COLUMNS = COLUMNS["entities"] + ("norm_text", "norm_canonical")


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    url = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: U+FFFD instead (same length, so offsets still hold)."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


class PostgresStore(AnnotationsMixin, ViewsMixin, Store):
    """`Store` on a PostgreSQL database. Safe to share between threads (calls are serialized)."""

    def __init__(self, url: str, readonly: bool = False, params: Params | None = None):
        self.url = url
        self.path = redact(url)  # what messages name, as SQLiteStore.path
        self.readonly = readonly
        self._lock = threading.RLock()
        self._forms: dict[str, list[str]] = {}
        self._seen = -1  # the writes counter as of our last sync of the LSH index
        self._db: psycopg.Connection | None = self._connect()
        try:
            self._dedup = NearDupIndex(self._params(params))
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

    @property
    def _conn(self) -> psycopg.Connection:
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

    def _transaction(self, work: Any, *args: Any, bump: bool = True) -> Any:
        """Run ``work(*args)`` in one transaction; with ``bump``, first take the writers' lock (the ``writes``
        row) and resync the LSH index if another connection wrote since. On failure roll back and drop the
        LSH index (rebuilt from the committed signatures on next use)."""
        if self.readonly:
            raise StoreError(f"{self.path}: the store was opened read-only")
        conn = self._conn
        try:
            with conn.transaction():
                version = None
                if bump:
                    version = int(conn.execute("UPDATE meta SET value = (value::bigint + 1)::text "
                                               "WHERE key = 'writes' RETURNING value").fetchone()[0])
                    if not self._dedup.loaded or version - 1 != self._seen:
                        self._dedup.load(conn.execute("SELECT article_id, signature FROM minhash"))
                out = work(*args)
            if version is not None:
                self._seen = version
            return out
        except BaseException as e:
            self._dedup.forget()
            self._seen = -1
            if isinstance(e, psycopg.Error):
                raise StoreError(f"{self.path}: write failed, batch rolled back ({str(e).strip()})") from e
            raise

    def add_articles(self, batch: Iterable[Article]) -> AddResult:
        articles = list(batch)
        if not articles:
            return AddResult()
        with self._lock:
            return self._transaction(self._write_batch, articles)

    def _free_id(self, article: Article, taken: dict[str, Any], stored: set[str]) -> str:
        """The article's own id, or ``id_<hash prefix>`` when another content already has it."""
        h = article.content_hash
        for cand in [article.id] + [f"{article.id}_{h[:n]}" for n in (8, 12, 16, 64)]:
            if cand in taken or cand in stored:
                continue
            if cand == article.id or self._conn.execute("SELECT 1 FROM articles WHERE id = %s",
                                                        (cand,)).fetchone() is None:
                return cand
        raise StoreError(f"{self.path}: cannot find a free id for {article.id!r}")

    def _write_batch(self, articles: list[Article]) -> AddResult:
        conn = self._conn
        hashes = dict(conn.execute("SELECT content_hash, id FROM articles WHERE content_hash = ANY(%s)",
                                   ([a.content_hash for a in articles],)).fetchall())
        stored = {r[0] for r in conn.execute("SELECT id FROM articles WHERE id = ANY(%s)",
                                             ([a.id for a in articles],))}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        ids: list[str] = []
        fresh: list[Article] = []
        groups: dict[str, str | None] = {}
        signatures: list[tuple[str, bytes]] = []
        search_body: dict[str, str] = {}
        duplicate = near = 0
        for a in articles:
            h = a.content_hash
            if h in hashes:
                duplicate += 1
                ids.append(hashes[h])
                continue
            aid = self._free_id(a, groups, stored)
            if aid != a.id:
                a = replace(a, id=aid)
            hashes[h] = aid
            ids.append(aid)
            fresh.append(a)
            groups[aid] = None
            toks = words(a.text)
            search_body[aid] = fit_index(index_text(toks, self._forms))
            sig = self._dedup.signature([t.norm for t in toks])
            if sig is None:
                continue
            matches = self._dedup.matches(sig)
            if matches:
                groups[aid] = self._group_of(matches[0], groups)
                near += 1
            self._dedup.add(aid, sig)
            signatures.append((aid, to_blob(sig)))
        self._copy("articles", ARTICLE_COLUMNS, (
            article_row(a, groups[a.id], now, fit_index(index_text(a.title, self._forms)), search_body[a.id])
            for a in fresh))
        new_ids = {a.id for a in fresh}
        stored_groups = [(g, k) for k, g in groups.items() if k not in new_ids]
        if stored_groups:
            with conn.cursor() as cur:
                cur.executemany("UPDATE articles SET near_dup_group = %s WHERE id = %s", stored_groups)
        self._copy("minhash", ("article_id", "signature"), signatures)
        self._insert_children(fresh)
        return AddResult(new=len(fresh), duplicate=duplicate, near_duplicate=near, ids=ids)

    def _group_of(self, key: str, groups: dict[str, str | None]) -> str:
        if key not in groups:
            row = self._conn.execute("SELECT near_dup_group FROM articles WHERE id = %s", (key,)).fetchone()
            groups[key] = row[0] if row else None
        if groups[key] is None:
            groups[key] = key
        return groups[key]  # type: ignore[return-value]

    def _copy(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
        with self._conn.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_clean(v) for v in row])

    def _insert_children(self, articles: list[Article]) -> None:
        tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        for a in articles:
            for table, rows in child_rows(a).items():
                if table == "entities":
                    rows = [(*r, pq.norm_name(r[3]), pq.norm_name(r[4])) for r in rows]
                tables[table].extend(rows)
        for table, rows in tables.items():
            if rows:
                self._copy(table, ENTITY_COLUMNS if table == "entities" else COLUMNS[table], rows)

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
        values = article_row(a, row[0], "", fit_index(index_text(a.title, self._forms)),
                             fit_index(index_text(a.text, self._forms)))
        cols = [c for c in ARTICLE_COLUMNS if c not in ("id", "near_dup_group", "ingested_at")]
        data = dict(zip(ARTICLE_COLUMNS, values))
        conn.execute(f"UPDATE articles SET {', '.join(c + ' = %s' for c in cols)} WHERE id = %s",
                     [_clean(data[c]) for c in cols] + [a.id])
        for table in CHILD_TABLES + ("minhash",):
            conn.execute(f"DELETE FROM {table} WHERE article_id = %s", (a.id,))
        self._insert_children([a])
        self._dedup.remove(a.id)
        sig = self._dedup.signature(a.text)
        if sig is not None:
            self._dedup.add(a.id, sig)
            conn.execute("INSERT INTO minhash (article_id, signature) VALUES (%s, %s)", (a.id, to_blob(sig)))

    def delete(self, ids: Iterable[str]) -> int:
        wanted = list(dict.fromkeys(ids))
        with self._lock:
            return self._transaction(self._delete, wanted)

    def _delete(self, ids: list[str]) -> int:
        """Delete; a near-duplicate group left with one member dissolves, one that lost its head is renamed
        after its next-oldest member."""
        conn = self._conn
        gone = conn.execute("DELETE FROM articles WHERE id = ANY(%s) RETURNING near_dup_group", (ids,)).fetchall()
        for aid in ids:
            self._dedup.remove(aid)
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
        rows = self._all("SELECT record FROM articles WHERE id = %s", (_clean(article_id),))
        return Article.from_json(rows[0][0]) if rows else None

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
            rows = self._all(f"SELECT pk, record FROM articles a WHERE pk > %s{where} ORDER BY pk LIMIT 500",
                             [last, *params])
            if not rows:
                return
            for _, record in rows:
                yield Article.from_json(record)
            last = rows[-1][0]

    def _hits(self, rows: list[tuple[Any, ...]], terms: frozenset[str]) -> list[Hit]:
        hits = []
        for aid, title, published, source, text, group, rank in rows:
            snip = snippet(text, terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source, score=float(rank),
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, terms, self._forms), snippet_start=snip.start,
                            near_dup_group=group))
        return hits

    def search(self, query: str, since: str | None = None, until: str | None = None,
               limit: int = 20, offset: int = 0) -> list[Hit]:
        q = parse_query(query)
        if limit < 0 or offset < 0:
            raise QueryError(f"limit and offset must not be negative (got {limit}, {offset})")
        c = compile_query(q)
        where, params = _date_filter(since, until)
        sql = (f"WITH page AS (SELECT a.pk, {c.rank} AS rank FROM articles a WHERE {c.where}{where} "
               "ORDER BY rank DESC, a.pk LIMIT %s OFFSET %s) "
               "SELECT a.id, a.title, a.published, a.source, a.text, a.near_dup_group, page.rank "
               "FROM page JOIN articles a ON a.pk = page.pk ORDER BY page.rank DESC, page.pk")
        return self._hits(self._query(sql, [*c.rank_params, *c.params, *params, limit, offset]), q.terms)

    def count_search(self, query: str, since: str | None = None, until: str | None = None) -> int:
        c = compile_query(parse_query(query))
        where, params = _date_filter(since, until)
        return int(self._query(f"SELECT count(*) FROM articles a WHERE {c.where}{where}",
                               [*c.params, *params])[0][0])

    def _query(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        try:
            return self._all(sql, params)
        except psycopg.Error as e:
            raise QueryError(f"search failed: {str(e).strip()}") from e

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


def _date_filter(since: str | None, until: str | None) -> tuple[str, list[str]]:
    bounds = date_bounds(since, until)
    return "".join(f" AND a.published {op} %s" for op, _ in bounds), [v for _, v in bounds]

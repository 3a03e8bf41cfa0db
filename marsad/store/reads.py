"""The read-side methods both stores share: full-text search, the views of the API, actors and events.

Each method takes the store's lock and runs the shared queries (`marsad.store.article_queries`,
`marsad.store.graph_queries`, `marsad.store.event_queries`) in the store's `Dialect`; snippets are cut in
Python from the original text, the same way for both backends.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marsad.arabic import normalize
from marsad.store import Hit
from marsad.store import article_queries as aq
from marsad.store import event_queries as eq
from marsad.store import graph_queries as gq
from marsad.store.article_queries import NameIndex
from marsad.store.search import QueryError, match_spans, parse_query, snippet

if TYPE_CHECKING:
    from marsad.store.dialect import Dialect

MENTION_MARGIN = 200  # characters before an entity's first mention where its snippet starts looking


class SharedReads:
    """Mixed into `SQLiteStore` and `PostgresStore`, which provide the attributes and hooks below."""

    dialect: Dialect
    _query_errors: tuple[type[BaseException], ...]  # the driver's errors that mean "this query failed"
    _lock: Any
    _conn: Any
    _forms: dict[str, list[str]]

    def _guarded(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn(conn, dialect, ...)``, with the database's complaints about a query as `QueryError`."""
        try:
            return fn(self._conn, self.dialect, *args, **kwargs)
        except self._query_errors as e:
            raise QueryError(f"search failed: {str(e).strip()}") from e

    def _name_index(self) -> NameIndex | None:
        """The store's cached `marsad.store.article_queries.name_index`, or None to look names up in SQL."""
        return None

    def _hits(self, rows: list[tuple[Any, ...]], terms: frozenset[str]) -> list[Hit]:
        hits = []
        for aid, title, published, source, text, group, score in rows:
            snip = snippet(text, terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source, score=float(score),
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, terms, self._forms), snippet_start=snip.start,
                            near_dup_group=group))
        return hits

    def search(self, query: str, since: str | None = None, until: str | None = None,
               limit: int = 20, offset: int = 0) -> list[Hit]:
        q = parse_query(query)
        with self._lock:
            rows = self._guarded(aq.find_articles, q, limit, offset, since=since, until=until)
        return self._hits(rows, q.terms)

    def count_search(self, query: str, since: str | None = None, until: str | None = None) -> int:
        q = parse_query(query)
        with self._lock:
            return self._guarded(aq.count_articles, q, since=since, until=until)

    def find_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                      actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                      event_type: str | None = None, source: str | None = None,
                      limit: int = 20, offset: int = 0) -> list[Hit]:
        q = parse_query(query) if query is not None else None
        with self._lock:
            names = self._name_index() if actor_keys or place_keys else None
            rows = self._guarded(aq.find_articles, q, limit, offset, since=since, until=until,
                                 actor_keys=actor_keys, place_keys=place_keys, event_type=event_type,
                                 source=source, names=names)
        return self._hits(rows, q.terms if q else frozenset())

    def count_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                       actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                       event_type: str | None = None, source: str | None = None) -> int:
        q = parse_query(query) if query is not None else None
        with self._lock:
            names = self._name_index() if actor_keys or place_keys else None
            return self._guarded(aq.count_articles, q, since=since, until=until, actor_keys=actor_keys,
                                 place_keys=place_keys, event_type=event_type, source=source, names=names)

    def actors(self, type: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return self.dialect.actor_counts(self._conn, type, limit, offset)

    def count_actors(self, type: str | None = None) -> int:
        with self._lock:
            return aq.count_actors(self._conn, self.dialect, type)

    def entity_search(self, name: str, kb_ids: tuple[str, ...] = (), since: str | None = None,
                      until: str | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
        with self._lock:
            rows = self.dialect.articles_mentioning(self._conn, name, kb_ids, since, until, limit, offset)
        terms = frozenset(normalize(name).split())
        hits = []
        for aid, title, published, source, text, group, first in rows:
            cut = max(0, (first or 0) - MENTION_MARGIN)
            snip = snippet(text[cut:], terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source, score=0.0,
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, terms, self._forms), near_dup_group=group,
                            snippet_start=snip.start + cut))
        return hits

    def events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
               until: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return eq.event_groups(self._conn, self.dialect, type, actor_keys, since, until, limit, offset)

    def count_events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                     until: str | None = None) -> int:
        with self._lock:
            return eq.count_event_groups(self._conn, self.dialect, type, actor_keys, since, until)

    def actor_profile(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return gq.actor_profile(self._conn, self.dialect, key, self._name_index())

    def places(self, since: str | None = None, until: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return gq.places(self._conn, self.dialect, since, until, type)

    def network(self, type: str | None = None, since: str | None = None, until: str | None = None,
                min_weight: int = 1, limit: int = 500) -> dict[str, Any]:
        with self._lock:
            return gq.network(self._conn, self.dialect, type, since, until, min_weight, limit)

    def timeline(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                 until: str | None = None) -> list[tuple[str, str | None, int]]:
        with self._lock:
            return gq.timeline(self._conn, self.dialect, type, actor_keys, since, until)

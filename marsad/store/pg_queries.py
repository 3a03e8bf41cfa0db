"""Queries over the annotation tables of the PostgreSQL store: the most mentioned actors, the articles that
mention one, and events across articles. The PostgreSQL twins of `marsad.store.annotations` and
`marsad.store.event_queries`, returning the same rows: names compare through the normalized columns
``norm_text`` / ``norm_canonical`` (filled in Python with `marsad.arabic.normalize`, where SQLite calls it from
SQL), NULLs sort as SQLite sorts them (smallest), and every value is a bound parameter.
"""
from __future__ import annotations

from typing import Any

from marsad.arabic import normalize
from marsad.store import Hit
from marsad.store.event_queries import event_group
from marsad.store.search import match_spans, snippet

ACTOR_KEY = "coalesce(e.kb_id, e.type || ':' || e.norm_canonical)"


def norm_name(name: str | None) -> str | None:
    """What SQLite's ``marsad_norm`` returns for a name."""
    return " ".join(normalize(name).split()) if name else name


def actor_counts(conn: Any, type: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """As `marsad.store.annotations.actor_counts`."""
    where = "WHERE e.type = %s" if type else ""
    sql = (f"SELECT {ACTOR_KEY} AS k, e.type, max(e.kb_id), max(e.canonical), max(e.name_en), "
           "count(DISTINCT e.article_id), coalesce(sum(m.n), 0) "
           "FROM entities e LEFT JOIN (SELECT article_id, entity_id, count(*) AS n FROM mentions "
           "GROUP BY 1, 2) m ON m.article_id = e.article_id AND m.entity_id = e.entity_id "
           f"{where} GROUP BY 1, 2 ORDER BY 6 DESC, 7 DESC, 1 NULLS FIRST LIMIT %s OFFSET %s")
    rows = conn.execute(sql, ([type] if type else []) + [limit, offset]).fetchall()
    return [{"key": k, "type": t, "kb_id": kb, "name": name, "name_en": en, "articles": int(n), "mentions": int(m)}
            for k, t, kb, name, en, n, m in rows]


def count_actors(conn: Any, type: str | None = None) -> int:
    where = "WHERE e.type = %s" if type else ""
    sql = f"SELECT count(*) FROM (SELECT DISTINCT {ACTOR_KEY}, e.type FROM entities e {where}) x"
    return int(conn.execute(sql, [type] if type else []).fetchone()[0])


def articles_mentioning(conn: Any, name: str, kb_ids: tuple[str, ...] = (), since: str | None = None,
                        until: str | None = None, limit: int = 20, offset: int = 0) -> list[tuple[Any, ...]]:
    """As `marsad.store.annotations.articles_mentioning` (the first mention: the earliest of any matching
    entity of the article)."""
    key = norm_name(name)
    params: list[Any] = [key, key]
    kb_clause = ""
    if kb_ids:
        kb_clause = " OR e.kb_id = ANY(%s)"
        params.append(list(kb_ids))
    dates = ""
    if since:
        dates += " AND a.published >= %s"
        params.append(since)
    if until:
        dates += " AND a.published <= %s"
        params.append(until + "\uffff")
    sql = ("SELECT a.id, a.title, a.published, a.source, a.text, a.near_dup_group, min(m.span_start) "
           "FROM entities e JOIN articles a ON a.id = e.article_id "
           "LEFT JOIN mentions m ON m.article_id = e.article_id AND m.entity_id = e.entity_id "
           f"WHERE (e.norm_text = %s OR e.norm_canonical = %s{kb_clause}){dates} "
           "GROUP BY a.pk ORDER BY a.published DESC NULLS LAST, a.pk LIMIT %s OFFSET %s")
    return conn.execute(sql, [*params, limit, offset]).fetchall()


def event_filters(type: str | None, actor_keys: tuple[str, ...], since: str | None, until: str | None,
                  alias: str = "e") -> tuple[str, list[Any]]:
    """As `marsad.store.event_queries._filters`."""
    where, params = [f"{alias}.negated = 0"], []
    if type:
        where.append(f"{alias}.type = %s")
        params.append(type.upper())
    if actor_keys:
        where.append(f"({alias}.source_key = ANY(%s) OR {alias}.target_key = ANY(%s))")
        params += [list(actor_keys), list(actor_keys)]
    if since:
        where.append(f"{alias}.date >= %s")
        params.append(since)
    if until:
        where.append(f"{alias}.date <= %s")
        params.append(until + "\uffff")
    return " AND ".join(where), params


def event_groups(conn: Any, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                 until: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """As `marsad.store.event_queries.event_groups`: newest first (undated last), then by articles."""
    where, params = event_filters(type, actor_keys, since, until)
    groups = conn.execute(
        "SELECT e.group_key, count(DISTINCT e.article_id), count(DISTINCT coalesce(a.source, a.id)), "
        "array_agg(DISTINCT e.article_id), max(e.date) "
        f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} "
        "GROUP BY e.group_key ORDER BY max(e.date) IS NULL, max(e.date) DESC, 2 DESC, e.group_key NULLS FIRST "
        "LIMIT %s OFFSET %s", [*params, limit, offset]).fetchall()
    if not groups:
        return []
    best: dict[str, tuple] = {}
    for row in conn.execute(
            "SELECT e.group_key, e.type, e.mode, e.cameo, e.date, e.source, e.target, e.source_key, e.target_key, "
            "e.place, e.place_entity, e.sentence, e.article_id, e.span_start, e.span_end, e.confidence, a.url, "
            "a.source_file, a.published, p.lat, p.lon, p.kb_id "
            "FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN entities p "
            "ON p.article_id = e.article_id AND p.entity_id = e.place_entity "
            "WHERE e.negated = 0 AND e.group_key = ANY(%s) "
            "ORDER BY e.confidence DESC NULLS LAST, a.published NULLS FIRST, e.article_id, e.n",
            [[g[0] for g in groups]]):
        best.setdefault(row[0], row)
    return [event_group(key, n_articles, n_sources, sorted(articles), best[key])
            for key, n_articles, n_sources, articles, _ in groups]


def count_event_groups(conn: Any, type: str | None = None, actor_keys: tuple[str, ...] = (),
                       since: str | None = None, until: str | None = None) -> int:
    where, params = event_filters(type, actor_keys, since, until)
    return int(conn.execute(f"SELECT count(DISTINCT e.group_key) FROM events e WHERE {where}",
                            params).fetchone()[0])


class AnnotationsMixin:
    """The annotation queries of `marsad.store.postgres.PostgresStore`."""

    _lock: Any
    _conn: Any
    _forms: dict[str, list[str]]

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
            cut = max(0, (first or 0) - 200)
            snip = snippet(text[cut:], terms, cache=self._forms)
            hits.append(Hit(id=aid, title=title, published=published, source=source, score=0.0,
                            snippet=snip.marked, snippet_plain=snip.plain, spans=snip.spans,
                            title_spans=match_spans(title, terms, self._forms), near_dup_group=group,
                            snippet_start=snip.start + cut))
        return hits

    def events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
               until: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return event_groups(self._conn, type, actor_keys, since, until, limit, offset)

    def count_events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                     until: str | None = None) -> int:
        with self._lock:
            return count_event_groups(self._conn, type, actor_keys, since, until)

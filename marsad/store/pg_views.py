"""The views of the API on PostgreSQL: articles by filters, an actor's profile, places, the actor network and
the event timeline. The PostgreSQL twins of `marsad.store.article_queries` and `marsad.store.graph_queries`
(same rows, same order; see there for what each returns), with normalized names read from the
``norm_canonical`` column and every value a bound parameter.
"""
from __future__ import annotations

from typing import Any, Sequence

from marsad.store import Hit
from marsad.store.article_queries import split_key
from marsad.store.graph_queries import event_key, profile
from marsad.store.pg_queries import count_actors, event_filters
from marsad.store.pg_search import Compiled, compile_query
from marsad.store.rows import SYMMETRIC
from marsad.store.search import QueryError, date_bounds, parse_query

_SYM = ",".join(f"'{t}'" for t in sorted(SYMMETRIC))  # constants of the code, not user input
PLACE_KEY = "coalesce({a}.kb_id, 'LOC:' || {a}.norm_canonical)"


def canonicals(conn: Any, name: str, type: str | None = None) -> list[str]:
    """The stored canonical names of unlinked entities (of ``type``) that normalize to ``name``."""
    where = "kb_id IS NULL AND norm_canonical = %s" + (" AND type = %s" if type else "")
    return [r[0] for r in conn.execute(f"SELECT DISTINCT canonical FROM entities WHERE {where}",
                                       [name] + ([type] if type else []))]


def entity_condition(conn: Any, keys: Sequence[str], type: str | None = None, alias: str = "e"
                     ) -> tuple[str, list[Any]]:
    """As `marsad.store.article_queries.entity_condition`; ``false`` when no key matches anything."""
    kb_ids: list[str] = []
    names: list[str] = []
    for key in keys:
        kb_id, kind, name = split_key(key)
        if kb_id:
            kb_ids.append(kb_id)
        elif name and (type is None or kind in (None, type)):
            names += canonicals(conn, name, kind or type)
    parts, params = [], []
    if kb_ids:
        parts.append(f"{alias}.kb_id = ANY(%s)")
        params.append(kb_ids)
    if names:
        parts.append(f"({alias}.kb_id IS NULL AND {alias}.canonical = ANY(%s))")
        params.append(sorted(set(names)))
    if not parts:
        return "false", []
    cond = "(" + " OR ".join(parts) + ")"
    if type:
        cond += f" AND {alias}.type = %s"
        params.append(type)
    return cond, params


def article_conditions(conn: Any, since: str | None = None, until: str | None = None,
                       actor_keys: Sequence[str] = (), place_keys: Sequence[str] = (),
                       event_type: str | None = None, source: str | None = None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for op, value in date_bounds(since, until):
        where.append(f"a.published {op} %s")
        params.append(value)
    if source is not None:
        where.append("a.source = %s")
        params.append(source)
    if event_type:
        where.append("a.id IN (SELECT article_id FROM events WHERE type = %s AND negated = 0)")
        params.append(event_type.upper())
    for keys, type in ((actor_keys, None), (place_keys, "LOC")):
        if keys:
            cond, p = entity_condition(conn, keys, type)
            where.append(f"a.id IN (SELECT e.article_id FROM entities e WHERE {cond})")
            params += p
    return where, params


COLS = "a.id, a.title, a.published, a.source, a.text, a.near_dup_group"


def find_articles(conn: Any, c: Compiled | None, limit: int = 20, offset: int = 0,
                  **filters: Any) -> list[tuple[Any, ...]]:
    """(id, title, published, source, text, near_dup_group, rank): by rank when ``c`` (a compiled query) is
    given, else newest first (undated last)."""
    where, params = article_conditions(conn, **filters)
    if c is None:
        cond = " WHERE " + " AND ".join(where) if where else ""
        sql = (f"SELECT {COLS}, 0.0 FROM articles a{cond} ORDER BY a.published DESC NULLS LAST, a.pk DESC "
               "LIMIT %s OFFSET %s")
        return conn.execute(sql, [*params, limit, offset]).fetchall()
    cond = "".join(f" AND {w}" for w in where)
    sql = (f"WITH page AS (SELECT a.pk, {c.rank} AS rank FROM articles a WHERE {c.where}{cond} "
           "ORDER BY rank DESC, a.pk LIMIT %s OFFSET %s) "
           f"SELECT {COLS}, page.rank FROM page JOIN articles a ON a.pk = page.pk ORDER BY page.rank DESC, page.pk")
    return conn.execute(sql, [*c.rank_params, *c.params, *params, limit, offset]).fetchall()


def count_articles(conn: Any, c: Compiled | None, **filters: Any) -> int:
    where, params = article_conditions(conn, **filters)
    if c is not None:
        where.insert(0, c.where)
        params = [*c.params, *params]
    cond = " WHERE " + " AND ".join(where) if where else ""
    return int(conn.execute(f"SELECT count(*) FROM articles a{cond}", params).fetchone()[0])


def actor_profile(conn: Any, key: str) -> dict[str, Any] | None:
    """As `marsad.store.graph_queries.actor_profile`."""
    ekey = event_key(key)
    if ekey is None:
        return None
    _, kind, _ = split_key(key)
    cond, params = entity_condition(conn, [key], kind)
    names = conn.execute(f"SELECT e.canonical, e.type, max(e.name_en), count(*) FROM entities e WHERE {cond} "
                         "GROUP BY 1, 2 ORDER BY 4 DESC, 1 NULLS FIRST", params).fetchall()
    texts = conn.execute(f"SELECT e.text, count(*) FROM entities e WHERE {cond} GROUP BY 1 ORDER BY 2 DESC, 1 "
                         "LIMIT 50", params).fetchall()
    roles = conn.execute(f"SELECT e.role, count(*) FROM entities e WHERE {cond} AND e.role IS NOT NULL "
                         "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50", params).fetchall()
    n_articles, n_entities = conn.execute(
        f"SELECT count(DISTINCT e.article_id), count(*) FROM entities e WHERE {cond}", params).fetchone()
    mentions = conn.execute(
        f"SELECT count(*) FROM entities e JOIN mentions m ON m.article_id = e.article_id "
        f"AND m.entity_id = e.entity_id WHERE {cond}", params).fetchone()[0]
    by_type = conn.execute(
        "SELECT type, sum((side = 's')::int), sum((side = 't')::int) FROM ("
        " SELECT DISTINCT type, group_key, 's' AS side FROM events WHERE negated = 0 AND source_key = %s"
        " UNION SELECT DISTINCT type, group_key, 't' FROM events WHERE negated = 0 AND target_key = %s) x "
        "GROUP BY type ORDER BY type", [ekey, ekey]).fetchall()
    total = conn.execute("SELECT count(DISTINCT group_key) FROM events WHERE negated = 0 "
                         "AND (source_key = %s OR target_key = %s)", [ekey, ekey]).fetchone()[0]
    partners = conn.execute(
        f"SELECT type, other, CASE WHEN type IN ({_SYM}) THEN 'both' ELSE dir END AS d, "
        "count(DISTINCT group_key), max(other_name) FROM ("
        " SELECT type, target_key AS other, 'out' AS dir, group_key, target_name AS other_name FROM events"
        " WHERE negated = 0 AND source_key = %s AND target_key IS NOT NULL AND target_key != source_key"
        " UNION ALL SELECT type, source_key, 'in', group_key, source_name FROM events"
        " WHERE negated = 0 AND target_key = %s AND source_key IS NOT NULL AND target_key != source_key) x "
        "GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2", [ekey, ekey]).fetchall()
    return profile(key, ekey, kind, names, texts, roles, n_articles, n_entities, mentions, by_type, total,
                   partners)


def places(conn: Any, since: str | None = None, until: str | None = None,
           type: str | None = None) -> list[dict[str, Any]]:
    """As `marsad.store.graph_queries.places`."""
    dates, params = [], []
    if since:
        dates.append("a.published >= %s")
        params.append(since)
    if until:
        dates.append("a.published <= %s")
        params.append(until + "\uffff")
    join = " JOIN articles a ON a.id = p.article_id" if dates else ""
    cond = "".join(" AND " + d for d in dates)
    rows = conn.execute(
        f"SELECT {PLACE_KEY.format(a='p')}, max(p.kb_id), max(p.canonical), max(p.name_en), avg(p.lat), "
        f"avg(p.lon), count(DISTINCT p.article_id) FROM entities p{join} "
        f"WHERE p.type = 'LOC' AND p.lat IS NOT NULL AND p.lon IS NOT NULL{cond} GROUP BY 1", params).fetchall()
    where, eparams = event_filters(type, (), since, until)
    counts = dict(conn.execute(
        f"SELECT {PLACE_KEY.format(a='p')}, count(DISTINCT e.group_key) FROM events e "
        "JOIN entities p ON p.article_id = e.article_id AND p.entity_id = e.place_entity "
        f"WHERE p.lat IS NOT NULL AND p.lon IS NOT NULL AND {where} GROUP BY 1", eparams).fetchall())
    out = []
    for key, kb_id, name, name_en, lat, lon, n in rows:
        events = int(counts.get(key, 0))
        if type and not events:
            continue
        out.append({"key": key, "kb_id": kb_id, "name": name, "name_en": name_en, "lat": lat, "lon": lon,
                    "articles": n, "events": events})
    out.sort(key=lambda p: (-p["articles"], -p["events"], p["key"]))
    return out


def network(conn: Any, type: str | None = None, since: str | None = None, until: str | None = None,
            min_weight: int = 1, limit: int = 500) -> dict[str, Any]:
    """As `marsad.store.graph_queries.network`."""
    where, params = event_filters(type, (), since, until)
    where += " AND e.source_key IS NOT NULL AND e.target_key IS NOT NULL AND e.source_key != e.target_key"
    lo = f"CASE WHEN e.type IN ({_SYM}) AND e.source_key > e.target_key THEN e.target_key ELSE e.source_key END"
    hi = f"CASE WHEN e.type IN ({_SYM}) AND e.source_key > e.target_key THEN e.source_key ELSE e.target_key END"
    edges = conn.execute(
        f"SELECT {lo} AS s, {hi} AS t, e.type, count(DISTINCT e.group_key) AS w FROM events e WHERE {where} "
        "GROUP BY 1, 2, 3 HAVING count(DISTINCT e.group_key) >= %s ORDER BY w DESC, s, t, e.type LIMIT %s",
        [*params, min_weight, limit]).fetchall()
    nodes: dict[str, dict[str, Any]] = {}
    if edges:
        both = (f" SELECT e.source_key AS k, e.source_name AS n, e.group_key AS g FROM events e WHERE {where}"
                f" UNION ALL SELECT e.target_key, e.target_name, e.group_key FROM events e WHERE {where}")
        rows = conn.execute(f"SELECT k, n, count(*) FROM ({both}) x GROUP BY k, n ORDER BY k, 3 DESC, n NULLS FIRST",
                            [*params, *params]).fetchall()
        wanted = {s for s, _, _, _ in edges} | {t for _, t, _, _ in edges}
        for k, n, _ in rows:
            if k in wanted and k not in nodes:
                nodes[k] = {"id": k, "label": n, "count": 0}
        totals = conn.execute(f"SELECT k, count(DISTINCT g) FROM ({both}) x GROUP BY k",
                              [*params, *params]).fetchall()
        for k, n in totals:
            if k in nodes:
                nodes[k]["count"] = n
    return {"nodes": list(nodes.values()),
            "edges": [{"source": s, "target": t, "type": ty, "weight": w} for s, t, ty, w in edges]}


def timeline(conn: Any, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
             until: str | None = None) -> list[tuple[str, str | None, int]]:
    """As `marsad.store.graph_queries.timeline`."""
    where, params = event_filters(type, actor_keys, since, until)
    return [tuple(r) for r in conn.execute(
        f"SELECT e.type, substr(e.date, 1, 10), count(DISTINCT e.group_key) FROM events e WHERE {where} "
        "GROUP BY 1, 2 ORDER BY 2 NULLS FIRST, 1", params).fetchall()]


class ViewsMixin:
    """The view methods of `marsad.store.postgres.PostgresStore` (the `Store` ABC's ``views`` section)."""

    _lock: Any
    _conn: Any

    def find_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                      actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                      event_type: str | None = None, source: str | None = None,
                      limit: int = 20, offset: int = 0) -> list[Hit]:
        q = parse_query(query) if query is not None else None
        with self._lock:
            rows = self._guarded(find_articles, compile_query(q) if q else None, limit, offset, since=since,
                                 until=until, actor_keys=actor_keys, place_keys=place_keys,
                                 event_type=event_type, source=source)
        return self._hits(rows, q.terms if q else frozenset())  # type: ignore[attr-defined]

    def count_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                       actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                       event_type: str | None = None, source: str | None = None) -> int:
        c = compile_query(parse_query(query)) if query is not None else None
        with self._lock:
            return self._guarded(count_articles, c, since=since, until=until, actor_keys=actor_keys,
                                 place_keys=place_keys, event_type=event_type, source=source)

    def count_actors(self, type: str | None = None) -> int:
        with self._lock:
            return count_actors(self._conn, type)

    def actor_profile(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return actor_profile(self._conn, key)

    def places(self, since: str | None = None, until: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return places(self._conn, since, until, type)

    def network(self, type: str | None = None, since: str | None = None, until: str | None = None,
                min_weight: int = 1, limit: int = 500) -> dict[str, Any]:
        with self._lock:
            return network(self._conn, type, since, until, min_weight, limit)

    def timeline(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                 until: str | None = None) -> list[tuple[str, str | None, int]]:
        with self._lock:
            return timeline(self._conn, type, actor_keys, since, until)

    def _guarded(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn(conn, ...)``, with PostgreSQL's complaints about a query turned into `QueryError`."""
        import psycopg

        try:
            return fn(self._conn, *args, **kwargs)
        except psycopg.Error as e:
            raise QueryError(f"search failed: {str(e).strip()}") from e

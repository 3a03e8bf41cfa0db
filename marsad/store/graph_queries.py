"""Aggregates over entities and events, for both backends: an actor's profile, places, the actor network and
the event timeline. Each is a handful of GROUP BY queries (no query per actor, place or day), written once
(the `Dialect` supplies what differs); every value reaches the database as a parameter. Event counts are
distinct events (``group_key``: one per real event however many articles report it), non-negated, as
`marsad.store.event_queries` counts them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marsad.store.article_queries import NameIndex, entity_condition, split_key
from marsad.store.event_queries import event_filters
from marsad.store.rows import SYMMETRIC

if TYPE_CHECKING:
    from marsad.store.dialect import Dialect

_SYM = ",".join(f"'{t}'" for t in sorted(SYMMETRIC))  # constants of the code, not user input


PLACE_KEY = "coalesce(p.kb_id, 'LOC:' || p.norm_canonical)"  # a place: its KB id, else its normalized name


def event_key(key: str) -> str | None:
    """The key events use for an actor key: its KB id, else ``name:<normalized name>``."""
    kb_id, _, name = split_key(key)
    return kb_id or (f"name:{name}" if name else None)


def actor_profile(conn: Any, d: Dialect, key: str, names: NameIndex | None = None) -> dict[str, Any] | None:
    """What the store knows of an actor: its entities (type, names, roles, counts) and its events (by type,
    as source and as target, and its partners per type). None when it appears nowhere."""
    ekey = event_key(key)
    if ekey is None:
        return None
    _, kind, _ = split_key(key)
    cond, params = entity_condition(conn, d, [key], kind, names=names)

    def rows(sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
        return d.run(conn, sql, values).fetchall()

    found = rows(f"SELECT e.canonical, e.type, max(e.name_en), count(*) FROM entities e WHERE {cond} "
                 "GROUP BY 1, 2 ORDER BY 4 DESC, 1 NULLS FIRST", params)
    texts = rows(f"SELECT e.text, count(*) FROM entities e WHERE {cond} GROUP BY 1 ORDER BY 2 DESC, 1 "
                 "LIMIT 50", params)
    roles = rows(f"SELECT e.role, count(*) FROM entities e WHERE {cond} AND e.role IS NOT NULL "
                 "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50", params)
    (n_articles, n_entities), = rows(
        f"SELECT count(DISTINCT e.article_id), count(*) FROM entities e WHERE {cond}", params)
    (mentions,), = rows(f"SELECT count(*) FROM entities e JOIN mentions m ON m.article_id = e.article_id "
                        f"AND m.entity_id = e.entity_id WHERE {cond}", params)
    by_type = rows(
        "SELECT type, sum(CASE WHEN side = 's' THEN 1 ELSE 0 END), sum(CASE WHEN side = 't' THEN 1 ELSE 0 END) "
        "FROM (SELECT DISTINCT type, group_key, 's' AS side FROM events WHERE negated = 0 AND source_key = ?"
        " UNION SELECT DISTINCT type, group_key, 't' FROM events WHERE negated = 0 AND target_key = ?) x "
        "GROUP BY type ORDER BY type", [ekey, ekey])
    (total,), = rows("SELECT count(DISTINCT group_key) FROM events WHERE negated = 0 "
                     "AND (source_key = ? OR target_key = ?)", [ekey, ekey])
    partners = rows(
        f"SELECT type, other, CASE WHEN type IN ({_SYM}) THEN 'both' ELSE dir END AS d, "
        "count(DISTINCT group_key), max(other_name) FROM ("
        " SELECT type, target_key AS other, 'out' AS dir, group_key, target_name AS other_name FROM events"
        " WHERE negated = 0 AND source_key = ? AND target_key IS NOT NULL AND target_key != source_key"
        " UNION ALL SELECT type, source_key, 'in', group_key, source_name FROM events"
        " WHERE negated = 0 AND target_key = ? AND source_key IS NOT NULL AND target_key != source_key) x "
        "GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2", [ekey, ekey])
    return profile(key, ekey, kind, found, texts, roles, n_articles, n_entities, mentions, by_type, total,
                   partners)


def profile(key: str, ekey: str, kind: str | None, names: list, texts: list, roles: list, n_articles: int,
            n_entities: int, mentions: int, by_type: list, total: int, partners: list) -> dict[str, Any] | None:
    """The actor profile from its query rows (shared by the SQLite and PostgreSQL backends)."""
    if not names and not total:
        return None
    relations: dict[str, list[dict[str, Any]]] = {}
    for type, other, direction, n, other_name in partners:
        relations.setdefault(type, []).append({"key": other, "name": other_name, "count": n,
                                               "direction": direction})
    name, etype, name_en = (names[0][0], names[0][1], names[0][2]) if names else (None, kind, None)
    return {
        "key": key, "event_key": ekey, "type": etype, "name": name, "name_en": name_en,
        "names": [{"name": n, "count": c} for n, _, _, c in names],
        "aliases": [{"name": t, "count": c} for t, c in texts],
        "roles": [{"role": r, "count": c} for r, c in roles],
        "articles_count": n_articles, "entities": n_entities, "mentions": mentions,
        "events": {"as_source": {t: int(s) for t, s, _ in by_type if s},
                   "as_target": {t: int(g) for t, _, g in by_type if g}, "total": total},
        "relations": relations,
    }


def places(conn: Any, d: Dialect, since: str | None = None, until: str | None = None,
           type: str | None = None) -> list[dict[str, Any]]:
    """Places with coordinates, one per key (KB id, else ``LOC:<normalized name>``): the articles that
    mention them (published in range) and the events placed there (event date in range, of ``type``)."""
    dates, params = [], []
    if since:
        dates.append("a.published >= ?")
        params.append(since)
    if until:
        dates.append("a.published <= ?")
        params.append(until + "\uffff")
    join = " JOIN articles a ON a.id = p.article_id" if dates else ""
    cond = "".join(" AND " + x for x in dates)
    rows = d.run(conn, (
        f"SELECT {PLACE_KEY}, max(p.kb_id), max(p.canonical), max(p.name_en), avg(p.lat), "
        f"avg(p.lon), count(DISTINCT p.article_id) FROM entities p{join} "
        f"WHERE p.type = 'LOC' AND p.lat IS NOT NULL AND p.lon IS NOT NULL{cond} GROUP BY 1"), params).fetchall()
    where, eparams = event_filters(d, type, (), since, until)
    counts = dict(d.run(conn, (
        f"SELECT {PLACE_KEY}, count(DISTINCT e.group_key) FROM events e "
        "JOIN entities p ON p.article_id = e.article_id AND p.entity_id = e.place_entity "
        f"WHERE p.lat IS NOT NULL AND p.lon IS NOT NULL AND {where} GROUP BY 1"), eparams).fetchall())
    out = []
    for key, kb_id, name, name_en, lat, lon, n in rows:
        events = int(counts.get(key, 0))
        if type and not events:
            continue
        out.append({"key": key, "kb_id": kb_id, "name": name, "name_en": name_en, "lat": lat, "lon": lon,
                    "articles": n, "events": events})
    out.sort(key=lambda p: (-p["articles"], -p["events"], p["key"]))
    return out


def network(conn: Any, d: Dialect, type: str | None = None, since: str | None = None,
            until: str | None = None, min_weight: int = 1, limit: int = 500) -> dict[str, Any]:
    """Edges (source key, target key, type, distinct events), heaviest first, and for every actor on them the
    number of distinct events it takes part in and its most frequent name. Symmetric types are undirected:
    the smaller key is the source."""
    where, params = event_filters(d, type, (), since, until)
    where += " AND e.source_key IS NOT NULL AND e.target_key IS NOT NULL AND e.source_key != e.target_key"
    lo = f"CASE WHEN e.type IN ({_SYM}) AND e.source_key > e.target_key THEN e.target_key ELSE e.source_key END"
    hi = f"CASE WHEN e.type IN ({_SYM}) AND e.source_key > e.target_key THEN e.source_key ELSE e.target_key END"
    edges = d.run(conn, (
        f"SELECT {lo} AS s, {hi} AS t, e.type, count(DISTINCT e.group_key) AS w FROM events e WHERE {where} "
        "GROUP BY 1, 2, 3 HAVING count(DISTINCT e.group_key) >= ? ORDER BY w DESC, s, t, e.type LIMIT ?"),
        [*params, min_weight, limit]).fetchall()
    nodes: dict[str, dict[str, Any]] = {}
    if edges:
        both = (f" SELECT e.source_key AS k, e.source_name AS n, e.group_key AS g FROM events e WHERE {where}"
                f" UNION ALL SELECT e.target_key, e.target_name, e.group_key FROM events e WHERE {where}")
        rows = d.run(conn, f"SELECT k, n, count(*) FROM ({both}) x GROUP BY k, n ORDER BY k, 3 DESC, n NULLS FIRST",
                     [*params, *params]).fetchall()
        wanted = {s for s, _, _, _ in edges} | {t for _, t, _, _ in edges}
        for k, n, _ in rows:
            if k in wanted and k not in nodes:
                nodes[k] = {"id": k, "label": n, "count": 0}
        totals = d.run(conn, f"SELECT k, count(DISTINCT g) FROM ({both}) x GROUP BY k",
                       [*params, *params]).fetchall()
        for k, n in totals:
            if k in nodes:
                nodes[k]["count"] = n
    return {"nodes": list(nodes.values()),
            "edges": [{"source": s, "target": t, "type": ty, "weight": w} for s, t, ty, w in edges]}


def timeline(conn: Any, d: Dialect, type: str | None = None, actor_keys: tuple[str, ...] = (),
             since: str | None = None, until: str | None = None) -> list[tuple[str, str | None, int]]:
    """(type, day or None, distinct events) with the filters of `Store.events`; None gathers undated events."""
    where, params = event_filters(d, type, actor_keys, since, until)
    return [tuple(r) for r in d.run(conn, (
        f"SELECT e.type, substr(e.date, 1, 10), count(DISTINCT e.group_key) FROM events e WHERE {where} "
        "GROUP BY 1, 2 ORDER BY 2 NULLS FIRST, 1"), params).fetchall()]

"""Events across articles: one row per real event however many articles report it, as GDELT's NumArticles.

Rows of the ``events`` table that share a ``group_key`` (type, date, source and target; see
`marsad.store.rows.event_keys`) are one event; it counts its articles and its distinct publishers, and shows the
most confident report (its sentence, actors' names, place, mode and CAMEO code).
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from marsad.arabic import normalize

if TYPE_CHECKING:
    from marsad.store.dialect import Dialect


def event_filters(d: Dialect, type: str | None, actor_keys: tuple[str, ...], since: str | None,
                  until: str | None, alias: str = "e") -> tuple[str, list[Any]]:
    """The condition on ``events AS alias`` (non-negated, of ``type``, with one of ``actor_keys`` as source or
    target, dated in range) and its params."""
    where, params = [f"{alias}.negated = 0"], []
    if type:
        where.append(f"{alias}.type = ?")
        params.append(type.upper())
    if actor_keys:
        sources, p = d.any_of(f"{alias}.source_key", actor_keys)
        targets, _ = d.any_of(f"{alias}.target_key", actor_keys)
        where.append(f"({sources} OR {targets})")
        params += p + p
    if since:
        where.append(f"{alias}.date >= ?")
        params.append(since)
    if until:
        where.append(f"{alias}.date <= ?")
        params.append(until + "\uffff")
    return " AND ".join(where), params


def ids(value: Any) -> list[str]:
    """The ids of a `Dialect.id_list` aggregate, sorted (SQLite gives a comma-separated string)."""
    return sorted(value.split(",") if isinstance(value, str) else value)


def actor_keys_for(name: str, kb_ids: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The keys an actor filter matches: its knowledge-base ids and its normalized name."""
    return (*kb_ids, "name:" + " ".join(normalize(name).split()))


def event_groups(conn: Any, d: Dialect, type: str | None = None, actor_keys: tuple[str, ...] = (),
                 since: str | None = None, until: str | None = None, limit: int = 100,
                 offset: int = 0) -> list[dict[str, Any]]:
    """Events, newest first (undated last), then by how many articles report them."""
    where, params = event_filters(d, type, actor_keys, since, until)
    groups = d.run(conn, (
        "SELECT e.group_key, count(DISTINCT e.article_id), count(DISTINCT coalesce(a.source, a.id)), "
        f"{d.id_list.format('e.article_id')}, max(e.date) "
        f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} "
        "GROUP BY e.group_key ORDER BY max(e.date) IS NULL, max(e.date) DESC, 2 DESC, e.group_key NULLS FIRST "
        "LIMIT ? OFFSET ?"), [*params, limit, offset]).fetchall()
    if not groups:
        return []
    keys, kparams = d.any_of("e.group_key", [g[0] for g in groups])
    best: dict[str, tuple] = {}
    for row in d.run(conn, (
            "SELECT e.group_key, e.type, e.mode, e.cameo, e.date, e.source, e.target, e.source_key, e.target_key, "
            "e.place, e.place_entity, e.sentence, e.article_id, e.span_start, e.span_end, e.confidence, a.url, "
            "a.source_file, a.published, p.lat, p.lon, p.kb_id "
            "FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN entities p "
            "ON p.article_id = e.article_id AND p.entity_id = e.place_entity "
            f"WHERE e.negated = 0 AND {keys} "
            "ORDER BY e.confidence DESC NULLS LAST, a.published NULLS FIRST, e.article_id, e.n"), kparams):
        best.setdefault(row[0], row)
    return [event_group(key, n_articles, n_sources, ids(articles), best[key])
            for key, n_articles, n_sources, articles, _ in groups]


def event_group(key: str, n_articles: int, n_sources: int, articles: list[str], best: tuple) -> dict[str, Any]:
    """One event across articles from its group counts and its most confident report's row (both backends)."""
    (_, typ, mode, cameo, date, src, tgt, skey, tkey, place, _place_entity, sentence, aid, s, e, conf, url,
     source_file, published, lat, lon, place_key) = best
    return {
        "event_id": hashlib.sha1(key.encode("utf-8")).hexdigest()[:16], "type": typ, "mode": mode,
        "cameo": cameo, "date": date, "source": json.loads(src), "target": json.loads(tgt),
        "source_key": skey, "target_key": tkey, "place": place, "place_key": place_key, "lat": lat, "lon": lon,
        "num_articles": n_articles, "num_sources": n_sources, "articles": articles, "article_id": aid,
        "sentence": sentence, "span": [s, e], "confidence": conf, "url": url or source_file,
        "published": published,
    }


def count_event_groups(conn: Any, d: Dialect, type: str | None = None, actor_keys: tuple[str, ...] = (),
                       since: str | None = None, until: str | None = None) -> int:
    where, params = event_filters(d, type, actor_keys, since, until)
    return int(d.run(conn, f"SELECT count(DISTINCT e.group_key) FROM events e WHERE {where}",
                     params).fetchone()[0])

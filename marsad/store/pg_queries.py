"""Queries over the annotation tables of the PostgreSQL store: the most mentioned actors and the articles that
mention one. The PostgreSQL twins of `marsad.store.annotations`, returning the same rows: names compare
through the normalized columns ``norm_text`` / ``norm_canonical`` (filled at write time with
`marsad.store.rows.norm_name`, as in SQLite), NULLs sort as SQLite sorts them (smallest), and every value is a
bound parameter.
"""
from __future__ import annotations

from typing import Any

from marsad.store.article_queries import ACTOR_KEY
from marsad.store.rows import norm_name


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

"""Queries over the annotation tables (entities, mentions) of the SQLite store: the most mentioned actors and
the articles that mention one. Names compare through the Arabic normalization, so أمينة and امينه are one
name: entity rows hold their names normalized (``norm_text``, ``norm_canonical``) and their mention count,
written at insert (`marsad.store.rows`); the ``marsad_norm`` SQL function the store registers does the same
for queries over other columns.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from marsad.store.rows import norm_name

ACTOR_KEY = "coalesce(e.kb_id, e.type || ':' || e.norm_canonical)"  # the entities_actor index (schema.py)


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("marsad_norm", 1, norm_name, deterministic=True)


def actor_counts(conn: sqlite3.Connection, type: str | None = None, limit: int = 50,
                 offset: int = 0) -> list[dict[str, Any]]:
    """Actors by the number of articles that mention them (then mentions): one row per knowledge-base id,
    or per type and normalized name for entities the knowledge base does not know."""
    where = "WHERE e.type = ?" if type else ""
    sql = (f"SELECT {ACTOR_KEY} AS key, e.type, max(e.kb_id), max(e.canonical), max(e.name_en), "
           "count(DISTINCT e.article_id), sum(e.mention_count) "
           f"FROM entities e {where} GROUP BY key, e.type ORDER BY 6 DESC, 7 DESC, key LIMIT ? OFFSET ?")
    rows = conn.execute(sql, ([type] if type else []) + [limit, offset]).fetchall()
    return [{"key": k, "type": t, "kb_id": kb, "name": name, "name_en": en, "articles": n, "mentions": m}
            for k, t, kb, name, en, n, m in rows]


def articles_mentioning(conn: sqlite3.Connection, name: str, kb_ids: tuple[str, ...] = (),
                        since: str | None = None, until: str | None = None,
                        limit: int = 20, offset: int = 0) -> list[tuple[Any, ...]]:
    """(id, title, published, source, text, near_dup_group, first mention start) of the articles with an
    entity named ``name`` (its text or canonical name, normalized) or linked to one of ``kb_ids``, newest
    first."""
    key = norm_name(name)
    marks = ",".join("?" * len(kb_ids))
    kb_clause = f" OR e.kb_id IN ({marks})" if kb_ids else ""
    dates, params = "", [key, key, *kb_ids]
    if since:
        dates += " AND a.published >= ?"
        params.append(since)
    if until:
        dates += " AND a.published <= ?"
        params.append(until + "\uffff")
    sql = ("SELECT a.id, a.title, a.published, a.source, a.text, a.near_dup_group, "
           "(SELECT min(m.span_start) FROM mentions m WHERE m.article_id = e.article_id "
           " AND m.entity_id = e.entity_id) "
           "FROM entities e JOIN articles a ON a.id = e.article_id "
           f"WHERE (e.norm_text = ? OR e.norm_canonical = ?{kb_clause}){dates} "
           "GROUP BY a.id ORDER BY a.published DESC, a.pk LIMIT ? OFFSET ?")
    return conn.execute(sql, [*params, limit, offset]).fetchall()

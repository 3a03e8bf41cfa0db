"""Articles by filters (full text, dates, actor, place, event type, publisher) in the SQLite store.

An actor or place is given by keys as `Store.actors` returns them: a knowledge-base id (``org:sdc``), or
``TYPE:<normalized name>`` (``PER:امينه عمر``) for an entity the knowledge base does not know, or
``name:<normalized name>`` (any type; the key events use). A name key is first resolved to the exact
``canonical`` strings stored for it (normalizing each distinct unlinked name once), so the filter itself uses
the ``entities_canonical`` index. Every value reaches SQLite as a parameter.
"""
from __future__ import annotations

import re
import sqlite3
from typing import Any, Sequence

from marsad.arabic import normalize
from marsad.store.search import date_bounds

NameIndex = dict[str, list[tuple[str, str]]]

KB_ID = re.compile(r"^(per|org|loc):")
NAME_KEY = re.compile(r"^(PER|ORG|LOC|name):(.+)$", re.S)
TITLE_WEIGHT = 5.0


def split_key(key: str) -> tuple[str | None, str | None, str | None]:
    """(kb_id, type, normalized name) of an actor key; type None for ``name:`` keys, all None when malformed."""
    if KB_ID.match(key):
        return key, None, None
    m = NAME_KEY.match(key)
    if not m:
        return None, None, None
    kind, name = m.group(1), " ".join(m.group(2).split())
    return None, (None if kind == "name" else kind), name


def canonicals(conn: sqlite3.Connection, name: str, type: str | None = None) -> list[str]:
    """The stored canonical names of unlinked entities (of ``type``) that normalize to ``name``. ``LIMIT -1``
    keeps SQLite from pushing the test into the DISTINCT subquery: each distinct name is normalized once."""
    where = "kb_id IS NULL" + (" AND type = ?" if type else "")
    sql = (f"SELECT c FROM (SELECT DISTINCT canonical AS c FROM entities WHERE {where} LIMIT -1) "
           "WHERE marsad_norm(c) = ?")
    return [r[0] for r in conn.execute(sql, ([type] if type else []) + [name])]


def name_index(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """normalized name -> [(type, canonical)] of every unlinked entity name: built once by a store that
    caches it (see `SQLiteStore._name_index`), so a name key costs a dict look-up."""
    out: dict[str, list[tuple[str, str]]] = {}
    for type, canonical in conn.execute("SELECT DISTINCT type, canonical FROM entities "
                                        "WHERE kb_id IS NULL AND canonical IS NOT NULL"):
        out.setdefault(" ".join(normalize(canonical).split()), []).append((type, canonical))
    return out


def entity_condition(conn: sqlite3.Connection, keys: Sequence[str], type: str | None = None,
                     alias: str = "e", names: NameIndex | None = None) -> tuple[str, list[Any]]:
    """A condition on ``entities AS alias`` true for the entities of any of ``keys`` (restricted to ``type``
    when given); ``"0"`` when no key matches anything. ``names`` (`name_index`) spares the scan of names."""
    kb_ids: list[str] = []
    found: list[str] = []
    for key in keys:
        kb_id, kind, name = split_key(key)
        if kb_id:
            kb_ids.append(kb_id)
        elif name and (type is None or kind in (None, type)):
            wanted = kind or type
            found += (canonicals(conn, name, wanted) if names is None else
                      [c for t, c in names.get(name, ()) if wanted is None or t == wanted])
    parts, params = [], []
    if kb_ids:
        parts.append(f"{alias}.kb_id IN ({','.join('?' * len(kb_ids))})")
        params += kb_ids
    if found:
        found = sorted(set(found))
        parts.append(f"({alias}.kb_id IS NULL AND {alias}.canonical IN ({','.join('?' * len(found))}))")
        params += found
    if not parts:
        return "0", []
    cond = "(" + " OR ".join(parts) + ")"
    if type:
        cond += f" AND {alias}.type = ?"
        params.append(type)
    return cond, params


def articles_of(conn: sqlite3.Connection, keys: Sequence[str], type: str | None,
                names: NameIndex | None) -> tuple[str, list[Any]]:
    """A subquery of the ids of the articles that mention any of ``keys``: one indexed branch per kind of
    key (KB ids, then canonical names), so neither scans the entities table."""
    branches, params = [], []
    for key in keys:
        cond, p = entity_condition(conn, [key], type, names=names)
        if cond != "0":
            branches.append(f"SELECT e.article_id FROM entities e WHERE {cond}")
            params += p
    return (" UNION ".join(branches) or "SELECT NULL WHERE 0"), params


def article_conditions(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                       actor_keys: Sequence[str] = (), place_keys: Sequence[str] = (),
                       event_type: str | None = None, source: str | None = None,
                       names: NameIndex | None = None) -> tuple[list[str], list[Any]]:
    """Conditions on ``articles AS a`` for the filters (ANDed by the caller)."""
    where: list[str] = []
    params: list[Any] = []
    for op, value in date_bounds(since, until):
        where.append(f"a.published {op} ?")
        params.append(value)
    if source is not None:
        where.append("a.source = ?")
        params.append(source)
    if event_type:
        where.append("a.id IN (SELECT article_id FROM events WHERE type = ? AND negated = 0)")
        params.append(event_type.upper())
    for keys, type in ((actor_keys, None), (place_keys, "LOC")):
        if keys:
            sub, p = articles_of(conn, keys, type, names)
            where.append(f"a.id IN ({sub})")
            params += p
    return where, params


def find_articles(conn: sqlite3.Connection, fts: str | None, limit: int = 20, offset: int = 0,
                  **filters: Any) -> list[tuple[Any, ...]]:
    """(id, title, published, source, text, near_dup_group, rank) of the matching articles: by bm25 rank when
    ``fts`` (an FTS5 expression from `parse_query`) is given, else newest first (undated last)."""
    where, params = article_conditions(conn, **filters)
    cols = "a.id, a.title, a.published, a.source, a.text, a.near_dup_group"
    if fts is None:
        cond = " WHERE " + " AND ".join(where) if where else ""
        sql = f"SELECT {cols}, 0.0 FROM articles a{cond} ORDER BY a.published DESC, a.pk DESC LIMIT ? OFFSET ?"
        return conn.execute(sql, [*params, limit, offset]).fetchall()
    cond = f" AND +rowid IN (SELECT a.pk FROM articles a WHERE {' AND '.join(where)})" if where else ""
    sql = (f"WITH page AS (SELECT rowid AS pk, bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS rank "
           f"FROM articles_fts WHERE articles_fts MATCH ?{cond} ORDER BY rank, rowid LIMIT ? OFFSET ?) "
           f"SELECT {cols}, page.rank FROM page JOIN articles a ON a.pk = page.pk ORDER BY page.rank, page.pk")
    return conn.execute(sql, [fts, *params, limit, offset]).fetchall()


def count_articles(conn: sqlite3.Connection, fts: str | None, **filters: Any) -> int:
    where, params = article_conditions(conn, **filters)
    if fts is None:
        cond = " WHERE " + " AND ".join(where) if where else ""
        return int(conn.execute(f"SELECT count(*) FROM articles a{cond}", params).fetchone()[0])
    cond = f" AND +rowid IN (SELECT a.pk FROM articles a WHERE {' AND '.join(where)})" if where else ""
    sql = f"SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?{cond}"
    return int(conn.execute(sql, [fts, *params]).fetchone()[0])


def count_actors(conn: sqlite3.Connection, type: str | None = None) -> int:
    """How many actors `marsad.store.annotations.actor_counts` would list without limit."""
    from marsad.store.annotations import ACTOR_KEY

    where = "WHERE e.type = ?" if type else ""
    sql = f"SELECT count(*) FROM (SELECT DISTINCT {ACTOR_KEY} AS key, e.type FROM entities e {where})"
    return int(conn.execute(sql, [type] if type else []).fetchone()[0])

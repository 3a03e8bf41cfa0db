"""Articles by filters (full text, dates, actor, place, event type, publisher), for both backends.

An actor or place is given by keys as `Store.actors` returns them: a knowledge-base id (``org:sdc``), or
``TYPE:<normalized name>`` (``PER:امينه عمر``) for an entity the knowledge base does not know, or
``name:<normalized name>`` (any type; the key events use). A name key is first resolved to the exact
``canonical`` strings stored for it (through the ``norm_canonical`` column both backends fill at write time),
so the filter itself uses the ``entities_canonical`` index. The SQL is
written once; the `Dialect` supplies what differs. Every value reaches the database as a parameter.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Sequence

from marsad.arabic import normalize
from marsad.store.search import Query, QueryError, date_bounds

if TYPE_CHECKING:
    from marsad.store.dialect import Dialect

NameIndex = dict[str, list[tuple[str, str]]]

KB_ID = re.compile(r"^(per|org|loc):")
NAME_KEY = re.compile(r"^(PER|ORG|LOC|name):(.+)$", re.S)
ACTOR_KEY = "coalesce(e.kb_id, e.type || ':' || e.norm_canonical)"  # who an entity is across articles
COLS = "a.id, a.title, a.published, a.source, a.text, a.near_dup_group"
NOTHING = "1 = 0"


def split_key(key: str) -> tuple[str | None, str | None, str | None]:
    """(kb_id, type, normalized name) of an actor key; type None for ``name:`` keys, all None when malformed."""
    if KB_ID.match(key):
        return key, None, None
    m = NAME_KEY.match(key)
    if not m:
        return None, None, None
    kind, name = m.group(1), " ".join(m.group(2).split())
    return None, (None if kind == "name" else kind), name


def canonicals(conn: Any, d: Dialect, name: str, type: str | None = None) -> list[str]:
    """The stored canonical names of unlinked entities (of ``type``) that normalize to ``name``."""
    where = "kb_id IS NULL AND norm_canonical = ?" + (" AND type = ?" if type else "")
    return [r[0] for r in d.run(conn, f"SELECT DISTINCT canonical FROM entities WHERE {where}",
                                [name] + ([type] if type else []))]


def name_index(conn: Any) -> NameIndex:
    """normalized name -> [(type, canonical)] of every unlinked entity name: built once by a store that
    caches it (see `SQLiteStore._name_index`), so a name key costs a dict look-up."""
    out: NameIndex = {}
    for type, canonical in conn.execute("SELECT DISTINCT type, canonical FROM entities "
                                        "WHERE kb_id IS NULL AND canonical IS NOT NULL"):
        out.setdefault(" ".join(normalize(canonical).split()), []).append((type, canonical))
    return out


def entity_condition(conn: Any, d: Dialect, keys: Sequence[str], type: str | None = None,
                     alias: str = "e", names: NameIndex | None = None) -> tuple[str, list[Any]]:
    """A condition on ``entities AS alias`` true for the entities of any of ``keys`` (restricted to ``type``
    when given); `NOTHING` when no key matches anything. ``names`` (`name_index`) spares the look-up of names."""
    kb_ids: list[str] = []
    found: list[str] = []
    for key in keys:
        kb_id, kind, name = split_key(key)
        if kb_id:
            kb_ids.append(kb_id)
        elif name and (type is None or kind in (None, type)):
            wanted = kind or type
            found += (canonicals(conn, d, name, wanted) if names is None else
                      [c for t, c in names.get(name, ()) if wanted is None or t == wanted])
    parts, params = [], []
    if kb_ids:
        cond, p = d.any_of(f"{alias}.kb_id", kb_ids)
        parts.append(cond)
        params += p
    if found:
        cond, p = d.any_of(f"{alias}.canonical", sorted(set(found)))
        parts.append(f"({alias}.kb_id IS NULL AND {cond})")
        params += p
    if not parts:
        return NOTHING, []
    cond = "(" + " OR ".join(parts) + ")"
    if type:
        cond += f" AND {alias}.type = ?"
        params.append(type)
    return cond, params


def articles_of(conn: Any, d: Dialect, keys: Sequence[str], type: str | None,
                names: NameIndex | None) -> tuple[str, list[Any]]:
    """A subquery of the ids of the articles that mention any of ``keys``: one indexed branch per key, so
    none scans the entities table."""
    branches, params = [], []
    for key in keys:
        cond, p = entity_condition(conn, d, [key], type, names=names)
        if cond != NOTHING:
            branches.append(f"SELECT e.article_id FROM entities e WHERE {cond}")
            params += p
    return (" UNION ".join(branches) or f"SELECT NULL WHERE {NOTHING}"), params


def article_conditions(conn: Any, d: Dialect, since: str | None = None, until: str | None = None,
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
            sub, p = articles_of(conn, d, keys, type, names)
            where.append(f"a.id IN ({sub})")
            params += p
    return where, params


def find_articles(conn: Any, d: Dialect, q: Query | None, limit: int = 20, offset: int = 0,
                  **filters: Any) -> list[tuple[Any, ...]]:
    """(id, title, published, source, text, near_dup_group, score) of the matching articles: best first when
    ``q`` is given (the dialect's full-text rank), else newest first (undated last) with score 0."""
    if limit < 0 or offset < 0:
        raise QueryError(f"limit and offset must not be negative (got {limit}, {offset})")
    where, params = article_conditions(conn, d, **filters)
    if q is None:
        cond = " WHERE " + " AND ".join(where) if where else ""
        sql = (f"SELECT {COLS}, 0.0 FROM articles a{cond} ORDER BY a.published DESC NULLS LAST, a.pk DESC "
               "LIMIT ? OFFSET ?")
        return d.run(conn, sql, [*params, limit, offset]).fetchall()
    page, page_params = d.ranked_page(q, where, params, limit, offset, _per_match(conn, d, q, where, params, filters))
    sql = (f"WITH page AS ({page}) SELECT {COLS}, page.score FROM page JOIN articles a ON a.pk = page.pk "
           "ORDER BY page.score DESC, page.pk")
    return d.run(conn, sql, page_params).fetchall()


def count_articles(conn: Any, d: Dialect, q: Query | None, **filters: Any) -> int:
    where, params = article_conditions(conn, d, **filters)
    if q is None:
        cond = " WHERE " + " AND ".join(where) if where else ""
        return int(d.run(conn, f"SELECT count(*) FROM articles a{cond}", params).fetchone()[0])
    sql, params = d.count_matches(q, where, params, _per_match(conn, d, q, where, params, filters))
    return int(d.run(conn, sql, params).fetchone()[0])


def _per_match(conn: Any, d: Dialect, q: Query, where: list[str], params: list[Any], filters: dict[str, Any]) -> bool:
    """Whether the dialect checks the conditions match by match: only dates (`Dialect.dates_per_match`)."""
    dates_only = bool(where) and not any(v for k, v in filters.items() if k not in ("since", "until", "names"))
    return dates_only and d.dates_per_match(conn, q, where, params)


def count_actors(conn: Any, d: Dialect, type: str | None = None) -> int:
    """How many distinct actors (`Store.actors` would list them without limit)."""
    where = "WHERE e.type = ?" if type else ""
    sql = f"SELECT count(*) FROM (SELECT DISTINCT {ACTOR_KEY} AS key, e.type FROM entities e {where}) x"
    return int(d.run(conn, sql, [type] if type else []).fetchone()[0])

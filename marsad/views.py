"""The view layer: plain functions from a `Store` and validated parameters to JSON-able dicts.

The JSON API (`marsad.api`) only wraps these; the web pages call the same functions. Nothing here knows about
HTTP. A bad parameter raises `ViewError` (a ``ValueError``: the API answers 422); an absent article or actor
returns ``None`` (the API answers 404).

Contract (stable; add keys freely, never rename or drop):

Common parameters: ``since``/``until`` ISO dates ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, both inclusive
(`check_date`); ``type`` a PLOVER event type of `EVENT_TYPES` (case-insensitive); ``limit`` 1..`MAX_LIMIT`,
``offset`` >= 0; ``actor``/``place`` any name (resolved through the knowledge base, as the CLI does) or an actor
key as `actors` returns it (``org:sdc``, ``PER:<normalized name>``, ``name:<normalized name>``).

``search_articles(store, q=None, since=None, until=None, actor=None, place=None, type=None, source=None,
                  limit=20, offset=0, kb=None)``
    -> {"items": [ARTICLE_ITEM], "total": int, "limit": int, "offset": int, "q": str|None}
    ARTICLE_ITEM = {"id", "title", "published", "source", "score" (bm25, 0.0 without q), "near_dup_group",
                    "snippet": plain text, "spans": [[s, e]] matches in snippet,
                    "snippet_parts": [{"text": str, "match": bool}] (snippet cut at the spans: wrap
                    ``match`` parts in <mark>), "title_spans": [[s, e]], "title_parts": same for the title}
    With ``q``: full-text (store.search semantics: Arabic folding, "phrase", OR, -word), best first.
    Without ``q``: newest first. ``type``: articles reporting an event of that type. ``source``: publisher,
    exact.
``article(store, id)`` -> the SCHEMA.md record (dict) plus "near_duplicates": [ids], or None.
``actors(store, type=None, limit=50, offset=0)``
    -> {"items": [{"key", "type", "kb_id", "name", "name_en", "articles", "mentions"}], "total", "limit",
        "offset"}; ``type`` PER | ORG | LOC.
``actor(store, key, kb=None, limit=20)`` -> None when nothing is known of ``key``, else
    {"key", "type", "kb_id", "name", "name_en", "cameo", "country", "description" (KB, else null),
     "roles": [{"role", "count"}], "aliases": [{"name", "count"}], "positions": [KB positions],
     "articles_count", "mentions", "event_key" (the key events use),
     "events": {"as_source": {TYPE: n}, "as_target": {TYPE: n}, "total": n},
     "relations": {"CONSULT": [PARTNER], "ACCUSE": [PARTNER], "SUPPORT": [PARTNER], ...other types},
        PARTNER = {"key", "name", "count", "direction": "out"|"in"|"both"}  (most frequent first)
     "recent_events": [EVENT] (up to ``limit``), "articles": [ARTICLE_ITEM] (up to ``limit``, newest first)}
``events(store, type=None, actor=None, since=None, until=None, limit=50, offset=0, kb=None)``
    -> {"items": [EVENT], "total", "limit", "offset"}; EVENT as `Store.events` returns it ("event_id",
    "type", "mode", "cameo", "date", "source"/"target" [{"name","entity"}], "source_key", "target_key",
    "place", "place_key", "lat", "lon", "num_articles", "num_sources", "articles", "article_id", "sentence",
    "span", "confidence", "url", "published"). Dates filter the event date.
``export_events(store, fmt, type=None, actor=None, since=None, until=None, kb=None)``
    -> (bytes, media_type, filename); fmt in `EXPORT_FORMATS` (csv, jsonl, plover, cameo-tsv, parquet);
    every matching event (no paging).
``places(store, since=None, until=None, type=None)`` -> GeoJSON FeatureCollection:
    {"type": "FeatureCollection", "features": [{"type": "Feature", "id": key,
     "geometry": {"type": "Point", "coordinates": [lon, lat]},
     "properties": {"key", "kb_id", "name", "name_en", "articles", "events"}}]}
    Places are LOC entities with coordinates, one feature per key (KB id, else LOC:<name>). ``since``/``until``
    filter article publication for "articles" and the event date for "events"; ``type`` counts only events of
    that type and keeps only places that have some.
``network(store, type=None, since=None, until=None, min_weight=1, limit=500)``
    -> {"nodes": [{"id", "label", "type" (PER|ORG|LOC|null), "count"}],
        "edges": [{"source", "target", "type", "weight"}]}
    Nodes are event actor keys (KB id or ``name:<normalized name>``; `actor` accepts them); an edge is a
    (source, target, PLOVER type) with ``weight`` distinct events; symmetric types (CONSULT, AGREE,
    COOPERATE) are undirected (source < target). The ``limit`` heaviest edges; only nodes on an edge.
``timeline(store, interval="day", type=None, actor=None, since=None, until=None, kb=None)``
    -> {"interval": "day"|"week", "series": {TYPE: [{"date": "YYYY-MM-DD", "count": n}]}, "total": n,
        "undated": n}; a week is dated by its Monday; total = dated events + undated = ``events()["total"]``.
``stats(store)`` -> `Store.stats()`.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

from marsad.arabic import normalize
from marsad.extract.event_lexicon import PLOVER
from marsad.kb import KnowledgeBase, load_kb
from marsad.store import Hit, Store
from marsad.store.article_queries import NAME_KEY, split_key
from marsad.store.graph_queries import event_key

__all__ = ["ACTOR_TYPES", "EVENT_TYPES", "EXPORT_FORMATS", "MAX_LIMIT", "ViewError", "actor", "actors", "article",
           "check_date", "events", "export_events", "network", "parts", "places", "search_articles", "stats",
           "timeline"]

EVENT_TYPES: tuple[str, ...] = tuple(PLOVER)
ACTOR_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC")
EXPORT_FORMATS: dict[str, tuple[str, str]] = {  # format: (media type, file extension)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "plover": ("application/x-ndjson; charset=utf-8", "plover.jsonl"),
    "cameo-tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
MAX_LIMIT = 200
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ViewError(ValueError):
    """A parameter a view cannot use; the message says which and why."""


# --- parameters ----------------------------------------------------------------------------------------------

def check_date(value: str | None, name: str = "date") -> str | None:
    """``value`` when it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and a real date, else `ViewError`."""
    if value is None or value == "":
        return None
    m = _DATE.match(value) if isinstance(value, str) else None
    if m is not None:
        try:
            date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
            return value
        except ValueError:
            pass
    raise ViewError(f"{name}: {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


def check_type(value: str | None, allowed: tuple[str, ...] = EVENT_TYPES, name: str = "type") -> str | None:
    if value is None or value == "":
        return None
    if value.upper() not in allowed:
        raise ViewError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value.upper()


def check_page(limit: int, offset: int, most: int = MAX_LIMIT) -> None:
    if not 1 <= limit <= most:
        raise ViewError(f"limit: must be between 1 and {most} (got {limit})")
    if offset < 0:
        raise ViewError(f"offset: must not be negative (got {offset})")


def actor_keys(name: str | None, kb: KnowledgeBase, type: str | None = None) -> tuple[str, ...]:
    """The keys an actor (or, with ``type="LOC"``, a place) filter matches: the key itself when given one
    (``org:sdc``, ``PER:…``, ``name:…``), else the KB ids the name resolves to and its normalized name."""
    name = (name or "").strip()
    if not name:
        return ()
    kb_id, _, _ = split_key(name)
    if kb_id or NAME_KEY.match(name):
        return (name,)
    norm = " ".join(normalize(name).split())
    if not norm:
        return ()
    ids = tuple(a.id for a in kb.lookup(name) if type is None or a.type == type)
    return (*ids, f"{type}:{norm}" if type else f"name:{norm}")


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else load_kb()


# --- articles ------------------------------------------------------------------------------------------------

def parts(text: str | None, spans: list) -> list[dict[str, Any]]:
    """``text`` cut at ``spans``: [{"text", "match"}], for templates to wrap the matches in <mark>."""
    text = text or ""
    out, last = [], 0
    for s, e in spans:
        if s > last:
            out.append({"text": text[last:s], "match": False})
        out.append({"text": text[s:e], "match": True})
        last = e
    if last < len(text) or not out:
        out.append({"text": text[last:], "match": False})
    return out


def article_item(h: Hit) -> dict[str, Any]:
    spans = [list(s) for s in h.spans]
    title_spans = [list(s) for s in h.title_spans]
    return {"id": h.id, "title": h.title, "published": h.published, "source": h.source, "score": h.score,
            "near_dup_group": h.near_dup_group, "snippet": h.snippet_plain, "spans": spans,
            "snippet_parts": parts(h.snippet_plain, spans), "title_spans": title_spans,
            "title_parts": parts(h.title, title_spans)}


def search_articles(store: Store, q: str | None = None, since: str | None = None, until: str | None = None,
                    actor: str | None = None, place: str | None = None, type: str | None = None,
                    source: str | None = None, limit: int = 20, offset: int = 0,
                    kb: KnowledgeBase | None = None) -> dict[str, Any]:
    check_page(limit, offset)
    q = q if q and q.strip() else None
    kb = _kb(kb)
    filters = dict(since=check_date(since, "since"), until=check_date(until, "until"),
                   actor_keys=actor_keys(actor, kb), place_keys=actor_keys(place, kb, "LOC"),
                   event_type=check_type(type), source=source or None)
    try:
        hits = store.find_articles(q, limit=limit, offset=offset, **filters)
        total = store.count_articles(q, **filters)
    except ValueError as e:  # QueryError: a query of punctuation only, exclusions only...
        raise ViewError(f"q: {e}") from e
    return {"items": [article_item(h) for h in hits], "total": total, "limit": limit, "offset": offset, "q": q}


def article(store: Store, id: str) -> dict[str, Any] | None:
    found = store.get(id)
    if found is None:
        return None
    record = found.to_dict()
    record["near_duplicates"] = store.near_duplicates(found.id)
    return record


# --- actors --------------------------------------------------------------------------------------------------

def actors(store: Store, type: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    check_page(limit, offset)
    type = check_type(type, ACTOR_TYPES)
    return {"items": store.actors(type, limit=limit, offset=offset), "total": store.count_actors(type),
            "limit": limit, "offset": offset}


def _label(key: str | None, fallback: str | None, kb: KnowledgeBase) -> str | None:
    known = kb.actors.get(key) if key else None
    return known.name if known else fallback


def actor(store: Store, key: str, kb: KnowledgeBase | None = None, limit: int = 20) -> dict[str, Any] | None:
    """The actor page: see the module doc. ``key`` as `actors` returns it, or an event actor key."""
    check_page(limit, 0)
    kb = _kb(kb)
    kb_id, kind, name = split_key(key)
    if kb_id is None and name is None:
        return None
    known = kb.actors.get(kb_id) if kb_id else None
    profile = store.actor_profile(key)
    if profile is None and known is None:
        return None
    profile = profile or {"key": key, "event_key": event_key(key), "type": None, "name": None, "name_en": None,
                          "names": [], "aliases": [], "roles": [], "articles_count": 0, "entities": 0,
                          "mentions": 0, "events": {"as_source": {}, "as_target": {}, "total": 0},
                          "relations": {}}
    country = kb.actors.get(known.country) if known and known.country else None
    for partners in profile["relations"].values():
        for p in partners:
            p["name"] = _label(p["key"], p["name"], kb)
    profile.update({
        "type": (known.type if known else None) or profile["type"] or kind,
        "kb_id": kb_id, "name": (known.name if known else None) or profile["name"] or name,
        "name_en": (known.name_en if known else None) or profile["name_en"],
        "cameo": known.cameo if known else None, "country": country.name if country else None,
        "country_id": known.country if known else None, "positions": list(known.positions) if known else [],
        "kb_aliases": list(known.aliases) if known else [],
        "recent_events": store.events(actor_keys=(profile["event_key"],), limit=limit),
        "articles": [article_item(h) for h in store.find_articles(actor_keys=(key,), limit=limit)],
    })
    return profile


# --- events --------------------------------------------------------------------------------------------------

def _event_filters(type: str | None, actor: str | None, since: str | None, until: str | None,
                   kb: KnowledgeBase | None) -> dict[str, Any]:
    keys = tuple(k for k in (event_key(k) for k in actor_keys(actor, _kb(kb))) if k) if actor else ()
    if actor and not keys:
        keys = ("name:",)  # a name of punctuation only: matches nothing
    return dict(type=check_type(type), actor_keys=keys, since=check_date(since, "since"),
                until=check_date(until, "until"))


def events(store: Store, type: str | None = None, actor: str | None = None, since: str | None = None,
           until: str | None = None, limit: int = 50, offset: int = 0,
           kb: KnowledgeBase | None = None) -> dict[str, Any]:
    check_page(limit, offset)
    f = _event_filters(type, actor, since, until, kb)
    return {"items": store.events(limit=limit, offset=offset, **f), "total": store.count_events(**f),
            "limit": limit, "offset": offset}


def export_events(store: Store, fmt: str, type: str | None = None, actor: str | None = None,
                  since: str | None = None, until: str | None = None,
                  kb: KnowledgeBase | None = None) -> tuple[bytes, str, str]:
    """Every matching event as a download: (content, media type, file name)."""
    from marsad.export import csv_row, paged, to_string

    if fmt not in EXPORT_FORMATS:
        raise ViewError(f"format: {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    kb = _kb(kb)
    f = _event_filters(type, actor, since, until, kb)
    rows = paged(lambda limit, offset: store.events(limit=limit, offset=offset, **f))
    media, ext = EXPORT_FORMATS[fmt]
    if fmt == "parquet":
        data = _parquet([csv_row(ev, kb) for ev in rows])
    else:
        data = to_string(rows, fmt, kb).encode("utf-8-sig" if fmt == "csv" else "utf-8")
    return data, media, f"marsad-events.{ext}"


def _parquet(rows: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from marsad.export import CSV_COLUMNS

    types = {"lat": pa.float64(), "lon": pa.float64(), "confidence": pa.float64(), "num_articles": pa.int64(),
             "num_sources": pa.int64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in CSV_COLUMNS])
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), buf)
    return buf.getvalue()


# --- places, network, timeline, stats -------------------------------------------------------------------------

def places(store: Store, since: str | None = None, until: str | None = None, type: str | None = None,
           kb: KnowledgeBase | None = None) -> dict[str, Any]:
    kb = _kb(kb)
    rows = store.places(check_date(since, "since"), check_date(until, "until"), check_type(type))
    features = []
    for p in rows:
        known = kb.actors.get(p["kb_id"]) if p["kb_id"] else None
        props = {"key": p["key"], "kb_id": p["kb_id"], "name": known.name if known else p["name"],
                 "name_en": (known.name_en if known else None) or p["name_en"], "articles": p["articles"],
                 "events": p["events"]}
        features.append({"type": "Feature", "id": p["key"], "properties": props,
                         "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]}})
    return {"type": "FeatureCollection", "features": features}


def network(store: Store, type: str | None = None, since: str | None = None, until: str | None = None,
            min_weight: int = 1, limit: int = 500, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    if not 1 <= min_weight <= 1_000_000:
        raise ViewError(f"min_weight: must be between 1 and 1000000 (got {min_weight})")
    check_page(limit, 0, most=5000)
    kb = _kb(kb)
    graph = store.network(check_type(type), check_date(since, "since"), check_date(until, "until"),
                          min_weight, limit)
    for node in graph["nodes"]:
        known = kb.actors.get(node["id"])
        node["label"] = known.name if known else node["label"]
        node["name_en"] = known.name_en if known else None
        node["type"] = known.type if known else (node["id"][:3].upper() if split_key(node["id"])[0] else None)
    return graph


def timeline(store: Store, interval: str = "day", type: str | None = None, actor: str | None = None,
             since: str | None = None, until: str | None = None, kb: KnowledgeBase | None = None
             ) -> dict[str, Any]:
    if interval not in ("day", "week"):
        raise ViewError(f"interval: {interval!r} is not day or week")
    f = _event_filters(type, actor, since, until, kb)
    series: dict[str, dict[str, int]] = {}
    total = undated = 0
    for etype, day, n in store.timeline(**f):
        total += n
        try:
            when = date.fromisoformat(day) if day else None
        except ValueError:
            when = None
        if when is None:
            undated += n
            continue
        if interval == "week":
            when -= timedelta(days=when.weekday())
        bucket = series.setdefault(etype, {})
        bucket[when.isoformat()] = bucket.get(when.isoformat(), 0) + n
    return {"interval": interval, "total": total, "undated": undated,
            "series": {t: [{"date": d, "count": c} for d, c in sorted(b.items())] for t, b in sorted(series.items())}}


def stats(store: Store) -> dict[str, Any]:
    return store.stats()

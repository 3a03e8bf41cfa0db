"""An `Article` as table rows: the articles row and the rows of its annotation tables (backend-neutral).

Column order matches the INSERT statements in `COLUMNS`; a backend only adds placeholders.
"""
from __future__ import annotations

import json
from typing import Any

from marsad.arabic import normalize
from marsad.model import Actor, Article, Entity, Event

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "content_hash", "source_file", "title", "published", "published_raw", "source", "author", "section",
    "language", "text", "url", "kind", "near_dup_group", "ingested_at", "record", "search_title", "search_body",
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "entities": ("article_id", "entity_id", "type", "text", "canonical", "name_en", "kb_id", "role",
                 "affiliation", "lat", "lon"),
    "mentions": ("article_id", "entity_id", "span_start", "span_end"),
    "quotes": ("article_id", "n", "speaker_name", "speaker_entity", "text", "span_start", "span_end"),
    "refs": ("article_id", "n", "kind", "ref_id", "text", "mentions"),
    "events": ("article_id", "n", "type", "mode", "cameo", "source", "target", "source_name", "target_name",
               "date", "place", "place_entity", "sentence", "span_start", "span_end", "negated", "confidence",
               "source_key", "target_key", "group_key"),
}


def article_row(a: Article, near_dup_group: str | None, ingested_at: str, search_title: str,
                search_body: str) -> tuple[Any, ...]:
    """The articles row of ``a``, in `ARTICLE_COLUMNS` order."""
    return (a.id, a.content_hash, a.source_file, a.title, a.published, a.published_raw, a.source, a.author,
            a.section, a.language, a.text or "", a.url, a.kind, near_dup_group, ingested_at, a.to_json(),
            search_title, search_body)


def _actors(actors: list[Actor]) -> str:
    return json.dumps([{"name": x.name, "entity": x.entity} for x in actors], ensure_ascii=False)


def _span(span: Any) -> tuple[int | None, int | None]:
    if span and len(span) == 2:
        return int(span[0]), int(span[1])
    return None, None


def child_rows(a: Article) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of each annotation table for ``a``, keyed by table name (see `COLUMNS`)."""
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
    for e in a.entities:
        out["entities"].append((a.id, e.id, e.type, e.text, e.canonical, e.name_en, e.kb_id, e.role,
                                e.affiliation, e.lat, e.lon))
        out["mentions"].extend((a.id, e.id, *_span(m)) for m in e.mentions)
    for n, q in enumerate(a.quotes):
        out["quotes"].append((a.id, n, q.speaker.name, q.speaker.entity, q.text, *_span(q.span)))
    for n, r in enumerate(a.references):
        out["refs"].append((a.id, n, r.kind, r.id, r.text, json.dumps([list(m) for m in r.mentions])))
    ents = {e.id: e for e in a.entities}
    for n, ev in enumerate(a.events):
        out["events"].append((
            a.id, n, ev.type, ev.mode, ev.cameo, _actors(ev.source), _actors(ev.target),
            ev.source[0].name if ev.source else None, ev.target[0].name if ev.target else None,
            ev.date, ev.place.name if ev.place else None, ev.place.entity if ev.place else None,
            ev.sentence, *_span(ev.span), int(bool(ev.negated)), ev.confidence,
            *event_keys(a, ev, ents),
        ))
    return out


def actor_key(actor: Actor, ents: dict[str, Entity]) -> str:
    """Who an actor is across articles: its knowledge-base id, else its normalized name."""
    e = ents.get(actor.entity) if actor.entity else None
    if e is not None and e.kb_id:
        return e.kb_id
    name = e.canonical if e is not None else actor.name
    return "name:" + " ".join(normalize(name).split())


def event_keys(a: Article, ev: Event, ents: dict[str, Entity]) -> tuple[str | None, str | None, str]:
    """(source key, target key, group key). One real event reported by several articles shares a group key:
    same type, date, source and target (either way round for CONSULT, AGREE, COOPERATE). An undated event
    cannot be told apart from another, so it is grouped only within its own article."""
    src = actor_key(ev.source[0], ents) if ev.source else None
    tgt = actor_key(ev.target[0], ents) if ev.target else None
    pair = sorted([src or "", tgt or ""]) if ev.type in SYMMETRIC else [src or "", tgt or ""]
    when = ev.date or f"article:{a.id}"
    return src, tgt, "|".join([ev.type, when, *pair])

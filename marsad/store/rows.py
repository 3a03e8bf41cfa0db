"""An `Article` as table rows: the articles row and the rows of its annotation tables (backend-neutral).

`Preparer` turns an article into a `Prepared`: every value the store writes that needs no database (the
record as JSON, its text left to the ``text`` column: `record_json`, `stored_article`; the folded search text
with its clitic forms, the MinHash signature, the content hash, the annotation rows with their normalized
names and mention counts). It is pure and runs wherever the stages run
(a Dask worker, or the ingesting process); `Store.add_prepared` then only looks up what needs the database
(duplicates, free ids, near-duplicate candidates) and inserts. Column order matches the INSERT statements in
`COLUMNS`; a backend only adds placeholders.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from marsad.arabic import normalize
from marsad.model import Actor, Article, Entity, Event
from marsad.store.dedup import Params, Signer
from marsad.store.search import index_text, words

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "content_hash", "source_file", "title", "published", "published_raw", "source", "author", "section",
    "language", "text", "url", "kind", "near_dup_group", "ingested_at", "record", "search_title", "search_body",
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "entities": ("article_id", "entity_id", "type", "text", "canonical", "name_en", "kb_id", "role",
                 "affiliation", "lat", "lon", "norm_text", "norm_canonical", "mention_count"),
    "mentions": ("article_id", "entity_id", "span_start", "span_end"),
    "quotes": ("article_id", "n", "speaker_name", "speaker_entity", "text", "span_start", "span_end"),
    "refs": ("article_id", "n", "kind", "ref_id", "text", "mentions"),
    "events": ("article_id", "n", "type", "mode", "cameo", "source", "target", "source_name", "target_name",
               "date", "place", "place_entity", "sentence", "span_start", "span_end", "negated", "confidence",
               "source_key", "target_key", "group_key"),
}


FORMS_LIMIT = 50_000
"""Words whose search forms a `Preparer` keeps (~0.5 KB each); past it the cache starts again. Most running
words are among the commonest few thousand, so a larger cache buys little speed for its memory."""


@dataclass(frozen=True)
class Prepared:
    """One article as the store writes it. ``article``: its `ARTICLE_COLUMNS` values by name but for the
    near-duplicate group and the time, which the store adds (`row`); ``children``:
    the rows of each annotation table (`COLUMNS` order); ``signature``: the MinHash blob (None for a text too
    short to compare), made with ``params``."""

    article: dict[str, Any]
    children: dict[str, list[tuple[Any, ...]]]
    signature: bytes | None
    params: Params

    @property
    def id(self) -> str:
        return self.article["id"]

    @property
    def content_hash(self) -> str:
        return self.article["content_hash"]

    def row(self, near_dup_group: str | None, ingested_at: str) -> tuple[Any, ...]:
        """The articles row, in `ARTICLE_COLUMNS` order."""
        values = {**self.article, "near_dup_group": near_dup_group, "ingested_at": ingested_at}
        return tuple(values[c] for c in ARTICLE_COLUMNS)


class Preparer:
    """``preparer(article)`` is the article's `Prepared`. Holds what is worth keeping between articles: the
    MinHash permutations and a caller-owned cache of search forms (bounded by `FORMS_LIMIT`)."""

    def __init__(self, params: Params | None = None, forms: dict[str, list[str]] | None = None):
        self.signer = Signer(params)
        self.forms: dict[str, list[str]] = {} if forms is None else forms

    @property
    def params(self) -> Params:
        return self.signer.params

    def __call__(self, a: Article) -> Prepared:
        if len(self.forms) > FORMS_LIMIT:
            self.forms.clear()
        toks = words(a.text)
        article = {
            "id": a.id, "content_hash": a.content_hash, "source_file": a.source_file, "title": a.title,
            "published": a.published, "published_raw": a.published_raw, "source": a.source, "author": a.author,
            "section": a.section, "language": a.language, "text": a.text or "", "url": a.url, "kind": a.kind,
            "record": record_json(a), "search_title": index_text(a.title, self.forms),
            "search_body": index_text(toks, self.forms)}
        return Prepared(article, child_rows(a), self.signer.signature([t.norm for t in toks]), self.params)

    def renamed(self, p: Prepared, new_id: str) -> Prepared:
        """``p`` stored under another id (its own is taken by other content): the record and every row
        name the new id (an undated event's group key too), the search text and signature stay."""
        a = replace(stored_article(p.article["record"], p.article["text"]), id=new_id)
        return Prepared({**p.article, "id": new_id, "record": record_json(a)}, child_rows(a), p.signature, p.params)

    def resigned(self, p: Prepared) -> Prepared:
        """``p`` with its signature made with this preparer's parameters (when it was made with others)."""
        if p.params == self.params:
            return p
        return replace(p, signature=self.signer.signature(p.article["text"]), params=self.params)


def record_json(a: Article) -> str:
    """The ``record`` column: the article as JSON but for its text, which the ``text`` column holds (a second
    copy made every row ~6 KB, a quarter, longer). A text that is empty, or holds a NUL character (which a
    PostgreSQL text column cannot, `marsad.store.postgres` replaces it there), stays in the record, so that
    `stored_article` gives back exactly the article stored.

    >>> record = json.loads(record_json(Article(id="a", source_file="a.txt", text="نص")))
    >>> record["id"], "text" in record, "text" in json.loads(record_json(Article(id="a", source_file="a.txt")))
    ('a', False, True)
    """
    d = a.to_dict()
    if d.get("text") and isinstance(d["text"], str) and "\x00" not in d["text"]:
        del d["text"]
    return json.dumps(d, ensure_ascii=False)


def stored_article(record: str, text: str | None) -> Article:
    """The article of an articles row from its ``record`` and ``text`` columns (rows written before the
    record left its text out hold it in both: the record's is taken).

    >>> a = Article(id="a", source_file="a.txt", text="نص")
    >>> stored_article(record_json(a), "نص") == a == stored_article(a.to_json(), "نص")
    True
    """
    d = json.loads(record)
    if "text" not in d:
        d["text"] = text
    return Article.from_dict(d)


def norm_name(name: str | None) -> str | None:
    """A name as names are compared across articles: normalized, spaces collapsed."""
    return " ".join(normalize(name).split()) if name else name


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
                                e.affiliation, e.lat, e.lon, norm_name(e.text), norm_name(e.canonical),
                                len(e.mentions)))
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

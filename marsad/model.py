"""The article record of SCHEMA.md and everything it holds.

One `Article` flows through every stage; each stage returns a new one (``dataclasses.replace``).
Annotations are flat spans with offsets into ``Article.text`` (end exclusive). JSON in and out lives here only.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True)
class Entity:
    id: str
    type: str  # PER | ORG | LOC
    text: str
    canonical: str
    mentions: list[Span] = field(default_factory=list)
    name_en: str | None = None
    kb_id: str | None = None
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    lat: float | None = None
    lon: float | None = None
    rule: str | None = None  # which rule or model produced it (kb, crf, title-pattern...)


@dataclass(frozen=True)
class Reference:
    kind: str  # UNSC_RESOLUTION | UNGA_RESOLUTION | LAW | AGREEMENT
    id: str
    text: str
    mentions: list[Span] = field(default_factory=list)
    rule: str | None = None


@dataclass(frozen=True)
class Speaker:
    name: str
    entity: str | None = None


@dataclass(frozen=True)
class Quote:
    speaker: Speaker
    text: str
    span: Span
    rule: str | None = None


@dataclass(frozen=True)
class Actor:
    name: str
    entity: str | None = None


@dataclass(frozen=True)
class Event:
    type: str
    source: list[Actor]
    target: list[Actor]
    sentence: str
    span: Span
    mode: str | None = None
    cameo: str | None = None
    date: str | None = None
    place: Actor | None = None
    negated: bool = False
    confidence: float = 0.5
    trigger: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Article:
    """The record of SCHEMA.md. ``raw`` is the input as read and never leaves the process."""

    id: str
    source_file: str
    title: str | None = None
    published: str | None = None
    published_raw: str | None = None
    source: str | None = None
    author: str | None = None
    section: str | None = None
    language: str = "ar"
    text: str = ""
    url: str | None = None
    kind: str = "text"  # text | html | feed | json: which reader produced it
    entities: list[Entity] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    raw: str = field(default="", repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        """Key for deduplication: the cleaned title and body, nothing that depends on where it came from."""
        h = hashlib.sha256()
        h.update((self.title or "").encode("utf-8"))
        h.update(b"\x00")
        h.update(self.text.encode("utf-8"))
        return h.hexdigest()

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "raw"}
        for key in ("entities", "references", "quotes", "events"):
            d[key] = [_plain(x) for x in d[key]]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        kw["entities"] = [Entity(**_spans(e, "mentions")) for e in d.get("entities", [])]
        kw["references"] = [Reference(**_spans(r, "mentions")) for r in d.get("references", [])]
        kw["quotes"] = [
            Quote(speaker=Speaker(**q["speaker"]), text=q["text"], span=tuple(q["span"]), rule=q.get("rule"))
            for q in d.get("quotes", [])
        ]
        kw["events"] = [_event(e) for e in d.get("events", [])]
        return cls(**kw)

    @classmethod
    def from_json(cls, line: str) -> Article:
        return cls.from_dict(json.loads(line))


def _plain(x: Any) -> Any:
    """An annotation as JSON values: dataclasses become dicts and tuples lists, so that JSON round-trips
    compare equal."""
    if hasattr(x, "__dataclass_fields__"):
        return {name: _plain(getattr(x, name)) for name in x.__dataclass_fields__}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _spans(d: dict[str, Any], key: str) -> dict[str, Any]:
    d = dict(d)
    d[key] = [tuple(s) for s in d.get(key, [])]
    return d


def _event(e: dict[str, Any]) -> Event:
    e = dict(e)
    e["source"] = [Actor(**a) for a in e.get("source", [])]
    e["target"] = [Actor(**a) for a in e.get("target", [])]
    e["place"] = Actor(**e["place"]) if e.get("place") else None
    e["span"] = tuple(e["span"])
    known = {f.name for f in fields(Event)}
    return Event(**{k: v for k, v in e.items() if k in known})

"""The knowledge base: actors and places as data, loaded once into an immutable index.

Files (in ``marsad/kb/`` or the folder given to :func:`load_kb`):

* ``actors.yaml`` and ``places.yaml``: curated by hand, read as they are (no rebuild needed);
* ``actors_compiled.json`` and ``places_compiled.json``: derived by ``scripts/build_kb.py`` from the
  UniversalPetrarch dictionaries and GeoNames; curated entries win over them (same id: curated fields win,
  aliases are merged; an alias a curated actor claims is dropped from every other compiled actor);
* ``titles.yaml``: title heads by kind and nationality adjectives.

Every name is indexed through :func:`marsad.arabic.normalize`.

>>> kb = load_kb()
>>> kb.lookup("مسد")[0].id
'org:sdc'
>>> kb.lookup("سورية") == kb.lookup("سوريا")
True
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

import yaml

from marsad.arabic import normalize, normalize_word
from marsad.errors import KnowledgeBaseError

HERE = Path(__file__).resolve().parent
TYPES = ("PER", "ORG", "LOC")
ID_RE = re.compile(r"^(per|org|loc):[a-z0-9][a-z0-9-]*$")
FIELDS = {"id", "type", "name", "aliases", "en", "name_en", "cameo", "country", "positions", "description",
          "lat", "lon", "note", "shared_aliases", "kind", "iso", "geonameid", "population", "freq", "source",
          "cue_only", "noun_cue_only", "quoted_only", "home_only", "construct_noun",
          "described_noun", "theatre", "__line__"}


@dataclass(frozen=True)
class Actor:
    """One actor or place: a person, an organisation or a location."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    name_en: str | None = None
    cameo: str | None = None
    country: str | None = None
    positions: tuple[str, ...] = ()
    description: bool = False
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None
    population: int | None = None
    cue_only: frozenset[str] = frozenset()  # normalized names that denote it only after a cue (في، مدينة…)
    noun_cue_only: frozenset[str] = frozenset()  # ... only after a place noun (مدينة مشهد, not في مشهد)
    quoted_only: frozenset[str] = frozenset()  # ... only written in quotation marks (لـ«الشرق الأوسط»)
    home_only: frozenset[str] = frozenset()  # ... only where no other country is named more than its own
    construct_noun: frozenset[str] = frozenset()  # ... not when it governs the word after it (حماة الوطن)
    described_noun: frozenset[str] = frozenset()  # ... not when an adjective follows it (القاعدة الجوية)
    theatre: frozenset[str] = frozenset()  # countries it acts in besides its own: the Saudi-led coalition, Yemen


@dataclass(frozen=True)
class KnowledgeBase:
    """The immutable index. ``lookup`` by any name; ``names`` to build a matcher."""

    actors: Mapping[str, Actor]
    index: Mapping[str, tuple[Actor, ...]]
    titles: Mapping[str, str]
    nationalities: Mapping[str, str]
    max_alias_tokens: int
    max_title_tokens: int
    place_cues: frozenset[str] = frozenset()
    preposition_cues: frozenset[str] = frozenset()  # في، قرب: place cues that a noun_cue_only name does not take
    facility_heads: frozenset[str] = frozenset()  # مستشفى: the words after it name an organisation
    facility_adjectives: frozenset[str] = frozenset()  # الحكومي: may close such a name
    facility_not_names: frozenset[str] = frozenset()  # متخصص: describes, names no facility
    governed: frozenset[str] = frozenset()  # له، لهم: words a construct_noun name governs though not definite
    governed_endings: frozenset[str] = frozenset()  # نا، هم: possessive endings of a word so governed (ديننا)
    not_governed: frozenset[str] = frozenset()  # التي، اليوم: definite words that may follow any name
    place_adjectives: frozenset[str] = frozenset()  # الغربي، الكبرى: definite words that follow a place's name
    not_names: frozenset[str] = frozenset()  # المعارضة، الشيعة، بتوفيق الله: never a name on their own
    name_heads: frozenset[str] = frozenset()  # منظمة، بيت: open names (بيت لحم), are none alone
    eulogies: frozenset[str] = frozenset()  # رحمه الله، صلى الله: praise after a name, no part of it
    spelled_not_names: frozenset[str] = frozenset()  # زائد: no name as spelt (not normalized)
    not_names_after: frozenset[str] = frozenset()  # في صالح: a phrase whose last word names no one there
    never_last: frozenset[str] = frozenset()  # هو، أن، قائلا: words that never end a person's name
    number_words: frozenset[str] = frozenset()  # الخامس، عشر، ثلاثة: a name of only these is none

    def lookup(self, name: str) -> tuple[Actor, ...]:
        """Every actor one of whose names normalizes like ``name`` (empty when none)."""
        return self.index.get(" ".join(normalize_word(name).split()), ())

    def names(self) -> Iterator[tuple[str, Actor]]:
        """Every (normalized name, actor) pair, canonical names and aliases alike."""
        for key, actors in self.index.items():
            for actor in actors:
                yield key, actor

    def title_kind(self, words: str) -> str | None:
        """The kind of a title head ("head", "minister", "spokesperson"...), else None."""
        return self.titles.get(" ".join(normalize_word(words).split()))

    def nationality(self, adjective: str) -> str | None:
        """The country id of a nationality adjective: ``nationality("الروسية") == "loc:russia"``."""
        return self.nationalities.get(normalize_word(adjective))


# --- reading -------------------------------------------------------------------------------------------------

class _LineLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loader that records each mapping's line as ``__line__``."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, key: str) -> list[dict]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as err:
        raise KnowledgeBaseError(f"{path}: not valid YAML: {err}".replace("\n", " ")) from err
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(key, []), list):
        raise KnowledgeBaseError(f"{path}: expected a mapping with a list under '{key}'")
    return doc.get(key) or []


def _read_json(path: Path) -> list[dict]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise KnowledgeBaseError(f"{path}: not valid JSON: {err}") from err
    entries = doc.get("entries") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise KnowledgeBaseError(f"{path}: expected an object with a list under 'entries'")
    return entries


def _where(path: Path, i: int, entry: Any) -> str:
    if isinstance(entry, dict) and "__line__" in entry:
        return f"{path}: line {entry['__line__']}"
    ident = entry.get("id") if isinstance(entry, dict) else None
    return f"{path}: entry {i + 1}" + (f" ({ident})" if ident else "")


def _strings(value: Any, field: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeBaseError(f"{where}: '{field}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def _check_entry(entry: Any, where: str, partial: bool) -> None:
    """Raise unless ``entry`` is well formed; ``partial`` entries only extend an existing one."""
    if not isinstance(entry, dict):
        raise KnowledgeBaseError(f"{where}: expected a mapping, got {type(entry).__name__}")
    unknown = set(entry) - FIELDS
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    ident = entry.get("id")
    if not ident:
        raise KnowledgeBaseError(f"{where}: missing id")
    if not isinstance(ident, str) or not ID_RE.match(ident):
        raise KnowledgeBaseError(f"{where}: bad id {ident!r} (expected per:/org:/loc: and a lower-case slug)")
    if "type" in entry and entry["type"] not in TYPES:
        raise KnowledgeBaseError(f"{where}: unknown type {entry['type']!r} for {ident} (expected PER, ORG or LOC)")
    if "type" in entry and not ident.startswith(entry["type"].lower() + ":"):
        raise KnowledgeBaseError(f"{where}: id {ident} does not match type {entry['type']}")
    if not partial:
        for field in ("type", "name"):
            if not entry.get(field):
                raise KnowledgeBaseError(f"{where}: {ident} has no {field}")
    if "name" in entry and (not isinstance(entry["name"], str) or not entry["name"].strip()):
        raise KnowledgeBaseError(f"{where}: {ident} has an empty or non-text name")
    for field in ("aliases", "positions", "shared_aliases", "theatre", *_PER_NAME):
        _strings(entry.get(field), field, where)
    lat, lon = entry.get("lat"), entry.get("lon")
    if (lat is None) != (lon is None):
        raise KnowledgeBaseError(f"{where}: {ident} has only one of lat/lon")
    if lat is not None:
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon))
        if not ok or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise KnowledgeBaseError(f"{where}: {ident} has bad coordinates lat={lat!r} lon={lon!r}")
    if "description" in entry and not isinstance(entry["description"], bool):
        raise KnowledgeBaseError(f"{where}: {ident}: description must be true or false")


def _merge(base: dict, over: dict) -> dict:
    merged = {**base, **{k: v for k, v in over.items() if k not in ("aliases", "shared_aliases")}}
    for field in ("aliases", "shared_aliases"):
        merged[field] = list(dict.fromkeys([*(base.get(field) or []), *(over.get(field) or [])]))
    return merged


def _layer(paths: list[Path], curated: bool, into: dict[str, dict], origin: dict[str, str]) -> None:
    """Read entries into ``into`` (id -> entry); a curated file may extend an id it does not define."""
    for path in paths:
        if not path.exists():
            continue
        entries = _read_yaml(path, "actors" if "actor" in path.name else "places") if path.suffix == ".yaml" \
            else _read_json(path)
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            where = _where(path, i, entry)
            ident = entry.get("id") if isinstance(entry, dict) else None
            _check_entry(entry, where, partial=curated and ".json" in origin.get(ident, ""))
            if ident in seen:
                raise KnowledgeBaseError(f"{where}: duplicate id {ident}")
            seen.add(ident)
            if ident in into and ".json" not in origin[ident]:
                raise KnowledgeBaseError(f"{where}: duplicate id {ident} (also in {origin[ident]})")
            into[ident] = _merge(into[ident], entry) if ident in into else dict(entry)
            origin[ident] = where


def _actor(e: dict, aliases: list[str]) -> Actor:
    return Actor(id=e["id"], type=e["type"], name=e["name"].strip(), aliases=tuple(aliases),
                 name_en=e.get("en") or e.get("name_en"), cameo=e.get("cameo"), country=e.get("country"),
                 positions=tuple(p.strip() for p in e.get("positions") or ()),
                 description=bool(e.get("description", False)),
                 lat=float(e["lat"]) if e.get("lat") is not None else None,
                 lon=float(e["lon"]) if e.get("lon") is not None else None, kind=e.get("kind"),
                 population=e.get("population"),
                 cue_only=_names(e.get("cue_only")), noun_cue_only=_names(e.get("noun_cue_only")),
                 quoted_only=_names(e.get("quoted_only")), home_only=_names(e.get("home_only")),
                 construct_noun=_names(e.get("construct_noun")), described_noun=_names(e.get("described_noun")),
                 theatre=frozenset(e.get("theatre") or ()))


_ABD_SPLIT = re.compile(r"(?:^|(?<= ))عبد (?=ال)")
_ABD_JOINED = re.compile(r"(?:^|(?<= ))عبد(?=ال)")


def spacing_variants(key: str) -> set[str]:
    """The other ways news writes the compound names of a normalized key: عبدالله <-> عبد الله (the compounds
    with ال; عبدربه and the like are listed where they occur).

    >>> sorted(spacing_variants("عبد الله بن عبدالعزيز")), spacing_variants("العبده")
    (['عبد الله بن عبد العزيز', 'عبدالله بن عبدالعزيز'], set())
    """
    return {_ABD_SPLIT.sub("عبد", key), _ABD_JOINED.sub("عبد ", key)} - {key}


_PER_NAME = ("cue_only", "noun_cue_only", "quoted_only", "home_only", "construct_noun",  # some of its names
             "described_noun")


def _names(names: list[str] | None) -> frozenset[str]:
    """Names as the matcher keys them: normalized, single spaces."""
    return frozenset(" ".join(normalize(n).split()) for n in names or ())


def _build_index(entries: dict[str, dict], origin: dict[str, str]) -> tuple[dict, dict]:
    """Actors and the name index; compiled aliases claimed by curated actors are dropped."""
    claims: dict[str, list[str]] = {}
    keyed: dict[str, list[tuple[str, str]]] = {}
    for ident, e in entries.items():
        pairs = [(n, " ".join(normalize(n).split())) for n in [e["name"].strip(), *(e.get("aliases") or [])]]
        keyed[ident] = pairs
        for _, key in pairs:
            if key and ident not in claims.setdefault(key, []):
                claims[key].append(ident)
    curated = {i for i, w in origin.items() if ".json" not in w}
    actors, index = {}, {}
    for ident, e in entries.items():
        pairs = keyed[ident]
        if ident not in curated:
            pairs = [(n, k) for n, k in pairs if not any(o in curated for o in claims[k] if o != ident)]
            if not pairs:
                continue
            kept = {k for _, k in pairs}  # a claimed name leaves the compiled entry's per-name lists too
            e = {**e, **{f: [n for n in e[f] if _names([n]) <= kept] for f in _PER_NAME if e.get(f)}}
        name, aliases = pairs[0][0], list(dict.fromkeys(n for n, _ in pairs[1:] if n != pairs[0][0]))
        actor = _actor({**e, "name": name}, aliases)
        for field in _PER_NAME:
            if stray := getattr(actor, field) - {key for _, key in pairs}:
                raise KnowledgeBaseError(f"{origin[ident]}: {ident}: {field} {', '.join(sorted(stray))} "
                                         "not among its name and aliases")
        if actor.home_only and not actor.country:
            raise KnowledgeBaseError(f"{origin[ident]}: {ident}: home_only names need the actor's country")
        actors[ident] = actor
        for _, key in pairs:
            if key and actor not in index.get(key, ()):
                index[key] = (*index.get(key, ()), actor)
    for key in list(index):
        for variant in spacing_variants(key) - index.keys():
            index[variant] = index[key]
    for key, group in index.items():
        types = {a.type for a in group}
        if len(types) > 1:
            shared = [a for a in group if key in _names(entries[a.id].get("shared_aliases"))]
            if not shared:
                ids = ", ".join(f"{a.id} ({a.type}, {origin[a.id]})" for a in group)
                raise KnowledgeBaseError(f"alias {key!r} is claimed by actors of different types: {ids}; "
                                         "list it under shared_aliases with a note if that is intended")
    return actors, index


WORD_LISTS = ("place_cues", "preposition_cues", "facility_heads", "facility_adjectives",  # titles.yaml
              "facility_not_names", "governed", "governed_endings", "not_governed",
              "place_adjectives", "not_names", "name_heads", "eulogies",
              "spelled_not_names", "not_names_after", "never_last", "number_words")


AS_SPELT = frozenset({"spelled_not_names"})  # word lists kept as written, not normalized


def _titles(path: Path, index: Mapping[str, tuple[Actor, ...]],
            actors: Mapping[str, Actor]) -> tuple[dict[str, str], dict[str, str], dict[str, frozenset[str]]]:
    if not path.exists():
        return {}, {}, {}
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        raise KnowledgeBaseError(f"{path}: not valid YAML: {err}".replace("\n", " ")) from err
    doc = doc or {}
    titles: dict[str, str] = {}
    for kind, words in (doc.get("titles") or {}).items():
        for w in _strings(words, f"titles.{kind}", str(path)):
            titles.setdefault(" ".join(normalize(w).split()), kind)
    nationalities: dict[str, str] = {}
    for country, words in (doc.get("nationalities") or {}).items():
        if country not in actors:
            raise KnowledgeBaseError(f"{path}: nationalities: unknown country id {country}")
        for w in _strings(words, f"nationalities.{country}", str(path)):
            bare = normalize(w)
            bare = bare[2:] if bare.startswith("ال") else bare
            nationalities["ال" + bare] = country
            if bare not in index:  # "سورية" is the country's name too
                nationalities[bare] = country
    lists = {name: (frozenset if name in AS_SPELT else _names)(_strings(doc.get(name) or [], name, str(path)))
             for name in WORD_LISTS}
    return titles, nationalities, lists


def _build(folder: Path) -> KnowledgeBase:
    entries: dict[str, dict] = {}
    origin: dict[str, str] = {}
    _layer([folder / "places_compiled.json", folder / "actors_compiled.json"], False, entries, origin)
    compiled = set(entries)
    _layer([folder / "places.yaml", folder / "actors.yaml"], True, entries, origin)
    extended = [i for i in compiled if ".json" not in origin[i]]
    for ident in extended:
        _check_entry(entries[ident], origin[ident], partial=False)
    for ident, e in entries.items():
        for country in filter(None, [e.get("country"), *(e.get("theatre") or ())]):
            if country not in entries:
                raise KnowledgeBaseError(f"{origin[ident]}: {ident}: unknown country id {country}")
    actors, index = _build_index(entries, origin)
    titles, nationalities, lists = _titles(folder / "titles.yaml", index, actors)
    return KnowledgeBase(
        actors=MappingProxyType(actors), index=MappingProxyType(index), titles=MappingProxyType(titles),
        nationalities=MappingProxyType(nationalities),
        max_alias_tokens=max((len(k.split()) for k in index), default=0),
        max_title_tokens=max((len(k.split()) for k in titles), default=0), **lists)


@lru_cache(maxsize=8)
def _cached(folder: str) -> KnowledgeBase:
    return _build(Path(folder))


def load_kb(path: str | Path | None = None) -> KnowledgeBase:
    """The knowledge base in ``path`` (a folder; default: the one shipped in ``marsad/kb``), built once."""
    folder = Path(path) if path is not None else HERE
    if not folder.is_dir():
        raise KnowledgeBaseError(f"{folder}: not a knowledge-base folder")
    return _cached(str(folder.resolve()))


__all__ = ["Actor", "KnowledgeBase", "load_kb"]

"""Linking within an article: mentions of one real-world thing become one entity, however it is written.

- the knowledge base decides for what it knows (مسد = مجلس سوريا الديمقراطية);
- a person named in full and later by one of the names (آرام الدوماني … الدوماني) is one person, and a
  knowledge-base place that is only that name (حماه after "صلاح حماه") is that person too, as is a word the
  tagger took for an organisation or a place (برناردينو ليون … أكد ليون; عبدالله الربيعة … الدكتور الربيعة)
  unless a place cue goes before it (سليم العراقيب … قرية العراقيب);
- word-order variants (التحالف الوطني السوري / التحالف السوري الوطني) and a shorter form that opens a longer
  name (المرصد السوري / المرصد السوري لحقوق الإنسان) are one organisation;
- a short form in parentheses after a name (صلاح حماه (أبو محمد), منظمة الأغذية والزراعة (فاو)) is an alias.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from marsad.arabic import Token, clitic_splits, normalize, word_before
from marsad.extract.kb_match import Match
from marsad.extract.name_shapes import LINEAGE
from marsad.extract.roles import known_position, person_role
from marsad.kb import KnowledgeBase
from marsad.model import Entity

_PAREN = re.compile(r"\s*\(\s*([^()\d]{2,40}?)\s*\)")


@lru_cache(maxsize=20_000)
def _words(surface: str) -> tuple[str, ...]:
    return tuple(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalize(surface).split())


class _Clusters:
    """Union-find over candidate indices."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _parenthetical(text: str, cands: list, kb: KnowledgeBase) -> list:
    """Short forms in parentheses right after a name, as extra candidates of the same type and actor."""
    from marsad.extract.entities import Candidate

    taken = {(c.start, c.end) for c in cands}
    extra = []
    for c in cands:
        m = _PAREN.match(text, c.end)
        if not m or any(c2.start >= m.start(1) and c2.end <= m.end(1) for c2 in cands):
            continue
        inner = m.group(1).strip()
        words = inner.split()
        kunya = c.type == "PER" and normalize(words[0]) in ("ابو", "ام") and len(words) <= 3
        abbreviation = c.type == "ORG" and len(words) == 1 and len(inner) >= 2
        if (kunya or abbreviation) and not kb.nationality(inner) and (m.start(1), m.end(1)) not in taken:
            extra.append(Candidate(m.start(1), m.end(1), c.type, inner, "parenthesis", c.actor, c.confidence))
    return extra


def _cluster(cands: list, text: str = "", kb: KnowledgeBase | None = None) -> _Clusters:
    uf = _Clusters(len(cands))
    starts = {c.start: i for i, c in enumerate(cands)}
    for i, c in enumerate(cands):  # "صلاح حماه (أبو محمد)": the name in parentheses is the same one's
        m = _PAREN.match(text, c.end)
        j = starts.get(m.start(1)) if m else None
        if j is not None and cands[j].end == m.end(1) and cands[j].actor is None and cands[j].type == c.type:
            uf.union(i, j)
    by_key: dict = {}
    for i, c in enumerate(cands):
        key = ("kb", c.actor.id) if c.actor else ("name", c.type, frozenset(_words(c.surface)))
        if key in by_key:
            uf.union(by_key[key], i)
        else:
            by_key[key] = i
    words = [_words(c.surface) for c in cands]
    people = [(i, w) for i, (c, w) in enumerate(zip(cands, words)) if c.type == "PER" and len(w) > 1]
    orgs = [(j, w) for j, (c, w) in enumerate(zip(cands, words)) if c.type == "ORG"]
    for i, (c, w) in enumerate(zip(cands, words)):
        if c.type == "PER" or (c.actor is not None and c.actor.type == "LOC" and len(w) == 1) or (
                len(w) == 1 and _tagged_surname(c, text, kb)):
            # a later short form of a person's name: the last name, or the name without the first word
            owners = {uf.find(j) for j, full in people if j != i and len(full) > len(w) and (
                (full[-len(w):] == w and full[-len(w) - 1] not in LINEAGE)  # بن عبدالعزيز: the father's name
                or (len(w) == 1 and w[0] == full[0] and c.type == "PER"))}
            if len(owners) == 1 and (c.actor is None or c.actor.type == "LOC"):
                uf.union(owners.pop(), i)
        if c.type == "ORG" and c.actor is None and len(w) >= 2:
            for j, ow in orgs:
                if j != i and len(ow) > len(w) and ow[:len(w)] == w:
                    uf.union(i, j)
    return uf


def _tagged_surname(c, text: str, kb: KnowledgeBase | None) -> bool:
    """A word the tagger alone typed ORG or LOC, with no place cue before it: it may be a person's last name."""
    if c.rule != "crf" or c.actor is not None or c.type == "PER" or kb is None:
        return False
    before = word_before(text, c.start)[1]
    return not any(stem in kb.place_cues for _, stem in clitic_splits(normalize(before)))


def link(text: str, toks: list[Token], cands: list, titles: list[Match], kb: KnowledgeBase) -> list[Entity]:
    """Entities with ids E1, E2… in order of first mention."""
    cands = sorted(cands + _parenthetical(text, cands, kb), key=lambda c: c.start)
    titles = _role_titles(titles, cands)
    uf = _cluster(cands, text, kb)
    groups: dict[int, list] = defaultdict(list)
    for i, c in enumerate(cands):
        groups[uf.find(i)].append(c)
    ordered = sorted(groups.values(), key=lambda g: g[0].start)
    ids = {id(c): f"E{n}" for n, g in enumerate(ordered, 1) for c in g}
    entities = []
    for n, group in enumerate(ordered, 1):
        entities.append(_entity(f"E{n}", group, text, toks, titles, cands, ids))
    return entities


_AND_TO = frozenset(("وإلى", "والى", "وإلي"))  # 'and to', which normalizes as والي, the governor


def _role_titles(titles: list[Match], cands: list) -> list[Match]:
    """The title matches that may open a role: none inside another name (مركز الملك سلمان للإغاثة: no king),
    nor وإلى read as والي."""
    inside = [(c.start, c.end) for c in cands if c.type != "PER"]
    return [m for m in titles if m.surface not in _AND_TO and not any(a < m.start < b for a, b in inside)]


def _entity(eid: str, group: list, text: str, toks: list[Token], titles: list[Match], cands: list,
            ids: dict[int, str]) -> Entity:
    types = [c.type for c in group]
    kb_types = {c.actor.type for c in group if c.actor is not None}
    if "PER" in types and kb_types <= {"PER", "LOC"}:
        etype = "PER"  # a place name that is only a person's name here (حماه after صلاح حماه)
    elif kb_types:
        etype = next(c.actor.type for c in group if c.actor is not None)
    else:
        etype = max(set(types), key=types.count)
    actor = next((c.actor for c in group if c.actor is not None and c.actor.type == etype), None)
    forms: list[str] = []
    for c in sorted(group, key=lambda c: (c.rule == "parenthesis", -len(c.surface), c.start)):
        if normalize(c.surface) not in {normalize(f) for f in forms}:
            forms.append(" ".join(c.surface.split()))
    role = affiliation = None
    if etype == "PER":
        people = [(o.start, o.end) for o in cands if o.type == "PER"]
        own = {(c.start, c.end) for c in group}
        for c in group:
            r = person_role(text, toks, titles, c.start, c.end, people, own)
            if r and actor is not None:
                r = known_position(r, actor.positions)
            if r:
                role = r.text
                inside = [o for o in cands if o.type == "ORG" and r.start <= o.start and o.end <= r.end]
                affiliation = ids[id(inside[0])] if inside else None
                break
    rules = sorted({c.rule.split(":")[0] for c in group})
    return Entity(
        id=eid, type=etype, text=forms[0], canonical=actor.name if actor else forms[0],
        mentions=[(c.start, c.end) for c in group], name_en=actor.name_en if actor else None,
        kb_id=actor.id if actor else None, aliases=forms[1:], role=role, affiliation=affiliation,
        lat=actor.lat if actor and etype == "LOC" else None, lon=actor.lon if actor and etype == "LOC" else None,
        rule="+".join(rules))


def nested_mentions(entities: list[Entity]) -> frozenset[tuple[int, int]]:
    """The mentions that lie inside another entity's mention: a name written inside a description (الأسد in
    "نظام الأسد"). The description is the actor or speaker there; the name inside it is not one by itself.

    >>> outer = Entity("E1", "ORG", "نظام الأسد", "النظام السوري", mentions=[(0, 10)])
    >>> inner = Entity("E2", "PER", "الأسد", "بشار الأسد", mentions=[(5, 10), (20, 25)])
    >>> sorted(nested_mentions([outer, inner]))
    [(5, 10)]
    """
    found, reach = set(), -1
    for start, end in sorted({m for e in entities for m in e.mentions}, key=lambda m: (m[0], -m[1])):
        if end <= reach:
            found.add((start, end))
        reach = max(reach, end)
    return frozenset(found)

"""The entities stage: people, organisations and places, from three sources merged by one explicit rule.

Sources (each match records its rule, so the UI can say why a name was found):
- ``kb``: every alias of the knowledge base, through the Arabic normalization, clitics allowed;
- ``crf``: the statistical tagger, for names the knowledge base has never seen;
- ``title``: title heads ("وزير الخارجية", "الرئيسة المشتركة") that give people their role and affiliation;
- ``facility``: a facility head and the name after it ("مستشفى الخير"; `marsad.extract.facilities`).

The merge rule (`marsad.extract.entity_merge`): knowledge-base candidates are taken first, longest first, then
the tagger's, longest first; a candidate overlapping one already taken is dropped, except that a confident
tagger span (an ORG or PER that wholly contains knowledge-base places only, as in "جامعة دمشق") replaces what it
contains, and a tagger person that runs on past a knowledge-base place keeps the name after it. Tagger spans that are
nationality adjectives, title words or stop words are never entities (`marsad.extract.crf_names`), nor a word the
knowledge base reads as an ordinary word where it stands (its ``cue_only``, ``noun_cue_only``, ``quoted_only`` and
``home_only`` names: في مشهد مؤثر; `marsad.extract.kb_context`). A name several actors share is the one whose
country the article names otherwise (عمان beside الجيش الأردني).
After the merge, the names written inside a knowledge-base description (الأسد in "نظام الأسد", سوريا in
"شمالي سوريا") are added as mentions of their own, nested in the description's (`_inner_names`); quotes and
events keep the description as the actor.
Linking the mentions into entities is ``marsad.extract.linking``.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from marsad.arabic import Token, clitic_splits, normalize, normalize_word, sentences, tokens, word_before
from marsad.extract.crf import CrfTagger
from marsad.extract.crf_names import is_title_word, tagger_name
from marsad.extract.entity_merge import merge
from marsad.extract.facilities import facility_matcher, facility_spans
from marsad.extract.kb_context import (actor_choice, actors_here, adjectives_beside, countries_named, country_counts,
                                        listed_after, listed_with, place_cue, set_aside, unwritable)
from marsad.extract.kb_match import Match, PhraseMatcher
from marsad.extract.linking import link
from marsad.extract.name_clitics import known_name
from marsad.extract.name_shapes import LINEAGE, in_phrase, named_after_people
from marsad.extract.ner_features import TRIGGERS
from marsad.kb import Actor, KnowledgeBase, load_kb
from marsad.model import Article


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: str
    surface: str  # the name as written, clitics removed
    rule: str
    actor: Actor | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class EntityResources:
    kb: KnowledgeBase
    names: PhraseMatcher
    titles: PhraseMatcher
    tagger: CrfTagger | None
    facilities: PhraseMatcher
    surnames: frozenset[str] = frozenset()  # the tagger's word clusters of family names (الربيعة، الزياني)
    given_names: frozenset[str] = frozenset()  # first words of the knowledge base's people (تميم، خوان)

    @classmethod
    def build(cls, kb: KnowledgeBase | None = None, tagger: CrfTagger | None = None, *, use_crf: bool = True):
        kb = kb or load_kb()
        tagger = tagger or (CrfTagger.load() if use_crf else None)
        return cls(kb=kb, names=PhraseMatcher(kb.names(), "kb"), titles=PhraseMatcher(kb.titles.items(), "title"),
                   tagger=tagger, facilities=facility_matcher(kb), surnames=_surname_clusters(kb, tagger),
                   given_names=_given_names(kb))


def _given_names(kb: KnowledgeBase) -> frozenset[str]:
    """The first words of the knowledge base's people's names and aliases, titles left out (الأمير)."""
    firsts = {normalize(n).split()[0] for a in kb.actors.values() if a.type == "PER" for n in (a.name, *a.aliases)
              if len(n.split()) > 1}
    return frozenset(w for w in firsts if len(w) >= 3 and not kb.title_kind(w))


def _surname_clusters(kb: KnowledgeBase, tagger: CrfTagger | None, share: float = 0.1) -> frozenset[str]:
    """The top-level word clusters that hold a tenth or more of the family names (last words with ال) of the
    knowledge base's people: a word in them after a lineage is a family name, not a title (المشرف) or an
    adjective (الخيرية)."""
    if tagger is None:
        return frozenset()
    clusters = tagger.featurizer.clusters
    last = [normalize(a.name.split()[-1]) for a in kb.actors.values() if a.type == "PER"]
    found = Counter(clusters[w][0] for w in last if w.startswith("ال") and w in clusters)
    return frozenset(c for c, n in found.items() if n >= share * sum(found.values()))


@cache
def default_resources() -> EntityResources:
    return EntityResources.build()


def extract_entities(article: Article, res: EntityResources | None = None) -> Article:
    """Fill ``entities``: one entity per real-world thing, every mention with its offsets."""
    res = res or default_resources()
    text = article.text
    if not text:
        return replace(article, entities=[])
    toks = tokens(text)
    titles = res.titles.find(text, toks)
    cands = recognize(text, res, toks)
    return replace(article, entities=link(text, toks, cands + _inner_names(text, toks, cands, res), titles, res.kb))


def recognize(text: str, res: EntityResources, toks: list[Token] | None = None) -> list[Candidate]:
    """The name spans of a text from every source, merged: recognition without linking."""
    toks = tokens(text) if toks is None else toks
    kb, ordinary = _kb_candidates(text, toks, res)
    crf = [c for c in _crf_candidates(text, res) if (c.start, c.end) not in ordinary]
    found = named_after_people(text, kb + _quoted_names(text, toks) + crf)
    found += [Candidate(s, e, "ORG", text[s:e], rule, None, 0.9)
              for s, e, rule in facility_spans(text, toks, [(c.start, c.end) for c in found], res.facilities, res.kb)]
    return _with_nisba(text, toks, merge(found, lambda word: _given_name(word, res)), res)


def _given_name(word: str, res: EntityResources) -> bool:
    """A word that can be a person's given name: a known name, but no particle (فإن folds like فان, Van)."""
    norm = normalize_word(word)
    return norm not in _NOT_NOUNS and word not in _PARTICLES and known_name(norm, res)


_PARTICLES = frozenset("إن فإن وإن أن بأن لأن وأن فأن كأن لكن ولكن ثم بل".split())


def _with_nisba(text: str, toks: list[Token], cands: list[Candidate], res: EntityResources) -> list[Candidate]:
    """A kunya is followed by its nisba, which is part of the name: "أبو أسامة العراقي", "أبو قتادة التونسي"
    (a definite adjective in ـي right after "أبو/أم X" that is no other name and no title)."""
    starts = {t.start: i for i, t in enumerate(toks)}
    taken = {c.start for c in cands}
    out = []
    for c in cands:
        words = c.surface.split()
        i = starts.get(c.end + 1) if c.end < len(text) and text[c.end] == " " else None
        if (c.type == "PER" and c.actor is None and len(words) == 2 and normalize(words[0]) in ("ابو", "ام")
                and i is not None and toks[i].start not in taken):
            nisba = toks[i].norm
            if (nisba.startswith("ال") and nisba.endswith("ي") and len(nisba) > 4 and not res.kb.lookup(nisba)
                    and not is_title_word(toks[i].text, res)):  # "أبو محمد الشرعي": a role, not his nisba
                c = replace(c, end=toks[i].end, surface=c.surface + " " + toks[i].text, rule=c.rule + "+nisba")
        out.append(c)
    return out


def _inner_names(text: str, toks: list[Token], cands: list[Candidate], res: EntityResources) -> list[Candidate]:
    """Names written inside a description: الأسد in "نظام الأسد", سوريا in "شمالي سوريا", أنقرة in "الحكومة في
    أنقرة". A knowledge-base actor marked ``description`` is no name itself, so the names inside it are mentioned
    in their own right (GOLD.md: only a name inside a longer *name* is no entity of its own). These mentions
    lie inside another entity's; recognition (`recognize`, `marsad ner`) keeps to the flat spans."""
    starts = [t.start for t in toks]
    out = []
    for c in cands:
        if c.actor is None or not c.actor.description:
            continue
        inside = toks[bisect.bisect_left(starts, c.start):bisect.bisect_left(starts, c.end)]
        names, _ = _kb_candidates(text, inside, res)
        out.extend(replace(m, rule=m.rule.replace("kb:", "kb-inner:", 1)) for m in names
                   if m.end - m.start < c.end - c.start and m.actor is not None and m.actor.id != c.actor.id
                   and not m.actor.description)
    return out


_QUOTED = re.compile(r"[«\"“]([^«»\"“”\n]{2,40})[»\"”]")
_QUOTE_TRIM = " \t،,.:;؛!?؟"


def _quoted_names(text: str, toks: list[Token]) -> list[Candidate]:
    """A name in quotation marks right after an organisation word: قناة «الخبر», موقع «مراسل سوري»."""
    out = []
    ends = {t.end: t for t in toks}
    for m in _QUOTED.finditer(text):
        head = ends.get(word_before(text, m.start())[0])
        inner = m.group(1).strip(_QUOTE_TRIM)  # «داعش،» names داعش
        if head is None or not 1 <= len(inner.split()) <= 4:
            continue
        if any(stem in TRIGGERS["ORGHEAD"] for _, stem in clitic_splits(head.norm)):
            start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip(_QUOTE_TRIM)))
            out.append(Candidate(start, start + len(inner), "ORG", inner, "quoted-name", None, 0.9))
    return out


def _kb_candidates(text: str, toks: list[Token], res: EntityResources
                   ) -> tuple[list[Candidate], set[tuple[int, int]]]:
    """The knowledge base's names, and the spans of the names it reads here as ordinary words (في مشهد مؤثر, 'in
    a moving scene'; جنديا تركيا, 'a Turkish soldier'), which the tagger may not take for names on their own
    either."""
    out: list[Candidate] = []
    ordinary: set[tuple[int, int]] = set()
    starts = {t.start: i for i, t in enumerate(toks)}
    ends = [t.end for t in toks]
    groups = res.names.find_readings(text, toks)
    found = [readings[0] for readings in groups]
    named = countries_named(found, toks, res.kb) if any(len(m.values) > 1 for m in found) else frozenset()
    people = {m.start for m in found if any(a.type == "PER" for a in m.values)}
    countries_found = [m for m in found if all(a.kind == "country" for a in m.values)] if named else []
    countries = country_counts(found, toks, res.kb) if named or any(a.home_only for m in found for a in m.values) \
        else {}
    place_end = None  # where the last town read after a cue ends: a list of them shares the cue
    for readings in groups:
        for m in readings:  # the first reading that names something here: وجدة is not the town but و + جدة
            key = " ".join(m.key)
            cue = place_cue(text, toks, starts, m, res.kb) or (m.surface not in _PARTICLES  # وأن: no Van
                                                                and listed_after(text, m, place_end))
            if not unwritable(text, m, starts) and (actors := actors_here(text, m, key, cue, res.kb, countries)):
                break
        else:
            m = readings[0]
            other = set_aside(m, countries)
            if other is not None and other.type == "ORG" and not other.description:  # "الحرس الجمهوري" in news
                out.append(Candidate(m.start, m.end, "ORG", m.surface, "kb-abroad:" + " ".join(m.key), None, 0.8))
            elif other is None or other.type != "PER":  # about Yemen: Yemen's; "المعلم" abroad: the tagger's call
                ordinary.add((m.start, m.end))
            continue
        listed = beside = frozenset()
        if len(actors) > 1:  # the tokens the match begins and ends in (وعمان: after the clitic)
            listed = listed_with(text, m, countries_found, actors) if countries_found else listed
            beside = adjectives_beside(toks, bisect.bisect_right(ends, m.start), bisect.bisect_left(ends, m.end),
                                       res.kb)
        actor = actor_choice(actors, bool(cue), named, listed, beside, countries)
        if actor.type == "LOC" and _adjective_reading(text, toks, starts, m, res, actor) or \
                len(m.key) == 1 and in_phrase(text, m.start, m.key[0], res.kb.not_names_after):
            ordinary.add((m.start, m.end))   # "تعويض مالي": financial; "في صالح": in favour of
            continue
        if actor.type == "PER" and res.kb.title_kind(key) and _deputy_of(toks, starts, m):
            continue   # "نائب خادم الحرمين الشريفين": the deputy's title, not the king
        if actor.type == "PER" and _name_goes_on(text, toks, starts, m, res):
            continue   # "الأمير مشعل بن ماجد", "عبدالله بن عبدالعزيز الربيعة": another man's name begins so
        son = _son_of(text, toks, starts, m, res) if actor.type == "PER" else None
        if son is not None:  # "حمدان بن محمد بن راشد": the son, someone the knowledge base may not know
            if not any(son <= p < m.start for p in people):  # it does: "الأمير محمد بن نايف" matched there
                out.append(Candidate(son, m.end, "PER", text[son:m.end], f"kb-nasab:{key}", None, 0.9))
            continue
        out.append(Candidate(m.start, m.end, actor.type, m.surface, f"kb:{key}", actor))
        place_end = m.end if cue and actor.type == "LOC" and actor.kind != "country" else None
    return out, ordinary


def _son_of(text: str, toks: list[Token], starts: dict[int, int], m: Match, res: EntityResources) -> int | None:
    """Where a name starts that continues with بن/بنت and a known person's name: the person is their
    parent, the name is the child's (walking back over "X بن Y بن"). None when no بن comes before, or when
    ابن stands before a family name (يظهر ابن القذافي: Gaddafi's son, unnamed)."""
    i = starts.get(m.start)
    if i is not None and i >= 1 and toks[i - 1].norm == "ابن" and len(m.key) == 1 and m.key[0].startswith("ال"):
        return None
    start = None
    while i is not None and i >= 2 and toks[i - 1].norm in LINEAGE and _name_word(toks[i - 2], res) \
            and text[toks[i - 2].end:toks[i].start].split() == [toks[i - 1].text]:
        start, i = toks[i - 2].start, i - 2
    return start


_DEPUTY = frozenset(normalize(w) for w in "نائب نائبة مستشار مستشارة مساعد مساعدة ممثل ممثلة مبعوث مبعوثة".split())


def _deputy_of(toks: list[Token], starts: dict[int, int], m: Match) -> bool:
    """Whether a name that is also a title follows 'deputy/adviser/envoy of': the title is another's."""
    i = starts.get(m.start)
    return i is not None and i > 0 and toks[i - 1].norm in _DEPUTY


def _name_goes_on(text: str, toks: list[Token], starts: dict[int, int], m: Match, res: EntityResources) -> bool:
    """A one-word name or a lineage (X بن Y) at m continues with بن/بنت and a name ("مشعل بن ماجد", "فهد بن
    عبدالعزيز بن معمر"), or a lineage with a family name the knowledge base does not know ("عبدالله بن عبدالعزيز
    الربيعة", a word of the family names' clusters; آل سعود is the family's own): another man's name."""
    i = starts.get(m.start)
    if i is None:
        return False
    j = i + len(m.key)  # the token after the name
    if j >= len(toks) or toks[j - 1].end != m.end or text[m.end:toks[j].start] != " ":
        return False
    lineage = len(m.key) > 1 and bool(LINEAGE & set(m.key))
    if toks[j].norm in LINEAGE:  # "مشعل بن ماجد", "فهد بن عبدالعزيز بن معمر"
        return (len(m.key) == 1 or lineage) and j + 1 < len(toks) and _name_word(toks[j + 1], res)
    family = toks[j].norm
    cluster = res.tagger.featurizer.clusters.get(family) if res.tagger is not None else None
    return lineage and family.startswith("ال") and len(family) > 3 and cluster is not None \
        and cluster[0] in res.surnames and _name_word(toks[j], res) and not res.kb.lookup(family)


def _name_word(tok: Token, res: EntityResources) -> bool:
    return (len(tok.norm) > 1 and not any(c.isdigit() for c in tok.norm) and tok.norm not in _NOT_NOUNS
            and tok.norm not in LINEAGE and not is_title_word(tok.text, res))


_NOT_NOUNS = frozenset(normalize(w) for w in """على عن مع حول ضد بين إلى الى من في لدى عبر تجاه داخل خارج و أمام خلف
نحو عند حتى منذ""".split())


def _adjective_reading(text: str, toks: list[Token], starts: dict[int, int], m: Match, res: EntityResources,
                       actor: Actor) -> bool:
    """A place name that is also an adjective, agreeing with the noun before it: a country's nationality
    adjective (السعودية in "الحملة الوطنية السعودية", سورية in "مجلة سورية", the accusative تركيا in "جنديا
    تركيا", a Turkish soldier), or a town's name of a nisba's shape after a definite feminine noun
    (الإسماعيلية in "الطائفة الإسماعيلية", the Ismaili sect): they describe, they do not name."""
    if len(m.key) != 1 or m.start not in starts:  # with a clitic (وسورية، لسورية) it is a noun
        return False
    key = m.key[0]
    definite = key.startswith("ال")
    accusative = not definite and key.endswith("يا") and res.kb.nationalities.get("ال" + key[:-1]) is not None
    nisba = definite and actor.kind != "country" and key.endswith("يه")
    if res.kb.nationalities.get(key if definite else "ال" + key) is None and not accusative and not nisba:
        return False
    i = starts[m.start]
    if i == 0 or not text[toks[i - 1].end:m.start].isspace():
        return False
    prev = toks[i - 1].norm
    if prev in _NOT_NOUNS or prev in res.kb.place_cues or res.kb.lookup(prev):
        return False
    if accusative and (not prev.endswith("ا") or prev.endswith(("وا", "ها"))):  # جنديا تركيا: the noun's
        return False  # tanween alef, not a plural verb's (يهاجموا تركيا) nor a pronoun's (ضمتها روسيا)
    if nisba and not prev.endswith("ه"):  # the noun agrees: الطائفة الإسماعيلية, not "سكان الإسماعيلية"
        return False
    return any(stem.startswith("ال") for _, stem in clitic_splits(prev)) == definite


_NEEDS_NEXT = frozenset(normalize(w) for w in ("أبو", "آل", "عبد"))
_POINTERS = frozenset(normalize(w) for w in "هذا هذه ذلك تلك".split())


def _goes_on(text: str, last: tuple[int, int], following: tuple[int, int]) -> bool:
    """A tagger name ending in a word that needs the next (a kunya's أبو, a family's آل, a servant's عبد; a
    lineage's ابن before a name, not before an age or a description: "ابن الاربع سنوات", "ابن هذه العائلة")."""
    word, after = normalize_word(text[slice(*last)]), text[slice(*following)]
    if not after.isalpha():
        return False
    after = normalize_word(after)
    return word in _NEEDS_NEXT or (word in LINEAGE and not after.startswith("ال") and after not in _POINTERS)


_TAGGER_TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|[^\w\s]")  # words and punctuation marks


def _crf_candidates(text: str, res: EntityResources) -> list[Candidate]:
    if res.tagger is None:
        return []
    words = frozenset(t.norm for t in tokens(text))
    bounds = sentences(text)
    out = []
    offsets: dict[int, list[tuple[int, int]]] = {}  # the tokens' offsets, for the sentences that have names
    for s, a, b, typ, conf in res.tagger.document_entities([_TAGGER_TOKEN.findall(text, *se) for se in bounds]):
        if s not in offsets:
            offsets[s] = [m.span() for m in _TAGGER_TOKEN.finditer(text, *bounds[s])]
        if b < len(offsets[s]) and _goes_on(text, offsets[s][b - 1], offsets[s][b]):
            b += 1   # "نبيل أبو" is "نبيل أبو ردينة", "عبد الله ابن" "عبد الله ابن مساعد"
        found = tagger_name(text, offsets[s][a:b], typ, conf, res, words)
        if found is not None:
            start, end, surface = found
            out.append(Candidate(start, end, typ, surface, "crf", None, round(conf, 3)))
    return out

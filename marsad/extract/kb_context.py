"""Which actor a knowledge-base name denotes where it stands: the readings that depend on the words around it
and on what else the article names (the entities stage asks; `marsad.extract.entities`).

- a place cue before it (``cue_only``, ``noun_cue_only``: "مدينة مشهد", not "في مشهد مؤثر");
- quotation marks around it (``quoted_only``: «الشرق الأوسط» the newspaper, unquoted the region);
- the word after it (``construct_noun``: "حماة الوطن", the homeland's protectors, governs الوطن; "ريف حماة
  الغربي" and "مجزرة حماة التي" name the city: `governs`; ``described_noun``: "القاعدة الجوية" is an air
  base, "القاعدة التي" al-Qaeda: `described`);
- several actors sharing the name (عمان: Amman, Oman): `actor_choice`;
- the article's country (``home_only``): "الحكومة المؤقتة", "الجيش الوطني", "مجلس الشعب" name a Syrian body in
  news about Syria and another country's in news about Libya, Yemen or Egypt; "الدفاع المدني" is Syria's White
  Helmets there and Saudi Arabia's civil defence in Saudi news; "المعلم", "الجعفري", "مشعل" are Walid Muallem,
  Bashar Jaafari and Khaled Meshaal in news about their countries, a teacher and other men elsewhere. Such a
  name denotes its actor only where the article names no other country more often than the actor's (itself, its
  places, people and bodies, its nationality adjective: `country_counts`); elsewhere an
  organisation is that country's body of the kind, a name the knowledge base does not link, and a person is
  left to the tagger (`set_aside`). An article that names no country at all keeps a place's reading (محايل عسير in
  local news), not a body's or a surname's.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from marsad.arabic import Token, clitic_splits, normalize_word
from marsad.extract.kb_match import Match
from marsad.extract.quote_marks import CLOSING, OPENING
from marsad.kb import Actor, KnowledgeBase


def actors_here(text: str, m: Match, key: str, cue: str | None, kb: KnowledgeBase,
                countries: Mapping[str, int]) -> tuple[Actor, ...]:
    """The actors a match can name where it stands (``cue``: the place cue before it; ``countries``: the
    article's `country_counts`)."""
    quoted = any(key in a.quoted_only for a in m.values) and quoted_match(text, m)
    return tuple(a for a in m.values if not (key in a.cue_only and (key in kb.place_cues or not cue))
                 and not (key in a.noun_cue_only and (not cue or cue in kb.preposition_cues))
                 and (quoted or key not in a.quoted_only)
                 and not (key in a.home_only and abroad(a, countries))
                 and not (key in a.construct_noun and (not cue or cue in kb.preposition_cues)
                          and governs(text, m, kb))
                 and not (key in a.described_noun and described(text, m, kb)))


_NEXT_WORD = re.compile(r"[ \t\u00a0]+([^\W\d_][\w\u064b-\u065f\u0670\u0640]*)")


def _next_word(text: str, m: Match) -> str | None:
    after = _NEXT_WORD.match(text, m.end)
    return normalize_word(after[1]) if after else None


def governs(text: str, m: Match, kb: KnowledgeBase) -> bool:
    """Whether the word right after a match is one a common noun would govern: a definite word but for those
    that follow any name (``kb.not_governed``: التي، اليوم) or a place's (``kb.place_adjectives``: الغربي, and
    nationality adjectives), ل with a pronoun or ال, or a word with a possessive ending
    (``kb.governed_endings``: ديننا).

    >>> from marsad.kb import load_kb
    >>> kb, hama = load_kb(), Match(0, 4, "حماة", ("حماه",), (), "kb")
    >>> [governs(t, hama, kb) for t in ("حماة الوطن", "حماة للوطن", "حماة لهم", "حماة ديننا")]
    [True, True, True, True]
    >>> [governs(t, hama, kb) for t in ("حماة التي", "حماة السورية", "حماة الغربي", "حماة، الوطن", "حماة وحمص")]
    [False, False, False, False, False]
    """
    word = _next_word(text, m)
    if word is None:
        return False
    if word.startswith("لل") or word in kb.governed or (len(word) > 3 and word[-2:] in kb.governed_endings):
        return True
    return word.startswith("ال") and word not in kb.not_governed and word not in kb.place_adjectives \
        and word not in kb.nationalities


def described(text: str, m: Match, kb: KnowledgeBase) -> bool:
    """Whether an adjective agreeing with a match follows it: a definite word of its gender (ة) but for those
    that follow any name (``kb.not_governed``). "القاعدة الجوية" is an air base, "القاعدة التركية" a Turkish
    one, "القاعدة التي" al-Qaeda; "التحالف الاستراتيجي" an alliance, but in "قوات التحالف الجوية" the adjective
    describes the forces.

    >>> from marsad.kb import load_kb
    >>> kb, base = load_kb(), Match(0, 7, "القاعدة", ("القاعده",), (), "kb")
    >>> [described(t, base, kb) for t in ("القاعدة الجوية", "القاعدة التركية", "القاعدة التي", "القاعدة في")]
    [True, True, False, False]
    >>> ally = Match(0, 7, "التحالف", ("التحالف",), (), "kb")
    >>> [described(t, ally, kb) for t in ("التحالف الاستراتيجي", "التحالف الجوية")]
    [True, False]
    """
    word = _next_word(text, m)
    return word is not None and word.startswith("ال") and word not in kb.not_governed \
        and word.endswith("ه") == m.key[-1].endswith("ه")


def abroad(actor: Actor, countries: Mapping[str, int]) -> bool:
    """Whether the article names another country more often than the actor's; for a person or a body, also whether
    it never names the actor's (a surname or a generic body needs its country; a place keeps its reading in an
    article that names no country at all: "محايل عسير" in local news).

    >>> abroad(Actor("org:x", "ORG", "x", country="loc:syria"), {"loc:libya": 5, "loc:syria": 1})
    True
    >>> abroad(Actor("org:x", "ORG", "x", country="loc:syria"), {"loc:libya": 1, "loc:syria": 1})
    False
    >>> abroad(Actor("loc:x", "LOC", "x", country="loc:syria"), {}), abroad(Actor("org:x", "ORG", "x"), {})
    (False, True)
    """
    own = countries.get(actor.country or "", 0)
    return own < max(countries.values(), default=0) or (own == 0 and actor.type != "LOC")


def set_aside(m: Match, countries: Mapping[str, int]) -> Actor | None:
    """The actor a ``home_only`` name would denote but for the article's country, if any."""
    key = " ".join(m.key)
    return next((a for a in m.values if key in a.home_only and abroad(a, countries)), None)


def country_counts(found: Iterable[Match], toks: list[Token], kb: KnowledgeBase) -> Counter[str]:
    """How often the article names each country: a country itself, or a place, organisation or person of it
    (unambiguous knowledge-base names but ``home_only`` ones), and its nationality adjectives (الجيش الليبي)."""
    counts: Counter[str] = Counter()
    for m in found:
        if len(m.values) == 1 and " ".join(m.key) not in m.values[0].home_only:  # those are in question
            a = m.values[0]
            country = a.id if a.kind == "country" else a.country
            if country:
                counts[country] += 1
    counts.update(_nationalities(toks, kb))
    return counts


def countries_named(found: list[Match], toks: list[Token], kb: KnowledgeBase) -> frozenset[str]:
    """The ids and countries of a text's unambiguous knowledge-base names, and the countries of its nationality
    adjectives (الجيش الأردني)."""
    named = {c for m in found if len(m.values) == 1 for c in (m.values[0].id, m.values[0].country) if c}
    named.update(_nationalities(toks, kb))
    return frozenset(named)


def _nationalities(toks: list[Token], kb: KnowledgeBase) -> Iterator[str]:
    """The country of each nationality adjective of the text (الجيش الأردني: loc:jordan)."""
    return (c for t in toks if t.norm.startswith("ال") and (c := kb.nationalities.get(t.norm)))


def quoted_match(text: str, m: Match) -> bool:
    """Whether a match is written between quotation marks: «الميادين», لـ«الشرق الأوسط»."""
    before, after = text[max(0, m.start - 3):m.start].rstrip(), text[m.end:m.end + 3].lstrip()
    return bool(before and after) and before[-1] in OPENING and after[0] in CLOSING


def actor_choice(actors: tuple[Actor, ...], after_cue: bool, named: frozenset[str] = frozenset(),
                 listed: frozenset[str] = frozenset(), beside: frozenset[str] = frozenset(),
                 counts: Mapping[str, int] | None = None) -> Actor:
    """Several actors share an alias: after a place cue (في الشرق الأوسط) the place; otherwise a named one
    before a description, places last; then the one of the country whose adjective stands right beside it
    (``beside``: "العاصمة الأردنية عمان" is Amman); then, listed with other countries (``listed``:
    `listed_with`), the country: "المغرب، عمان، فلسطين" is Oman; then one the article names the country of
    (``named``: the ids and countries of its unambiguous names, or one of the countries it acts in, its
    ``theatre``): عمان is Amman beside الأردن, Oman beside مسقط; التحالف is the Saudi-led coalition in news about
    Yemen, the US-led one in news about Syria or Iraq; when the article names both, the one whose countries it
    names most (``counts``: `country_counts`)."""
    counts = counts or {}
    return min(actors, key=lambda a: (a.type != "LOC" if after_cue else a.type == "LOC", a.description,
                                      a.country not in beside, not (a.kind == "country" and listed - {a.id}),
                                      a.id not in named and a.country not in named and not (a.theatre & named),
                                      -max((counts.get(c, 0) for c in (a.country, *a.theatre) if c), default=0)))


def adjectives_beside(toks: list[Token], i: int, j: int, kb: KnowledgeBase) -> frozenset[str]:
    """The countries of the nationality adjectives right before token ``i`` and right after token ``j``."""
    near = [toks[k].norm for k in (i - 1, j + 1) if 0 <= k < len(toks)]
    return frozenset(c for w in near if w.startswith("ال") and (c := kb.nationalities.get(w)))


_LIST_GAP = re.compile(r"\s*[،,]?\s*و?")
_IN = re.compile(r"\s+(في|ب)\s*")


def listed_with(text: str, m: Match, countries: list[Match], actors: tuple[Actor, ...]) -> frozenset[str]:
    """The countries named right before or after ``m`` in a list (a comma or و between), but the country of
    one of its readings: "عمان، الأردن" is Amman, Jordan, and no list."""
    own = {a.country for a in actors}
    out = set()
    for c in countries:
        gap = text[c.end:m.start] if c.end <= m.start else text[m.end:c.start] if m.end <= c.start else None
        if gap is None or len(gap) > 5:
            continue
        if m.end <= c.start and _IN.fullmatch(gap) and any(a.id in own for a in c.values):
            return frozenset()   # "والإسكندرية في مصر وعمان في الأردن": Amman, in Jordan
        if _LIST_GAP.fullmatch(gap):
            out.update(a.id for a in c.values if a.kind == "country" and a.id not in own)
    return frozenset(out)


def unwritable(text: str, m: Match, starts: dict[int, int]) -> bool:
    """A name is not written with tanwin (دومًا 'always', not Duma; كوبًا 'a cup'), and a short town's name takes
    no ك 'like': كسرت 'broke', كامل 'whole', كلوي 'renal' (a country or a longer name may: كروسيا، كالرقة)."""
    if "\u064b" in text[m.start:m.end]:
        return True
    return len(m.key) == 1 and len(m.key[0]) <= 4 and m.start not in starts and text[m.start - 1:m.start] == "ك" \
        and all(a.type == "LOC" and a.kind != "country" for a in m.values)


LIST_CUE = "،"  # the cue a place inherits from the place before it in a list
_LIST_SEP = re.compile(r"\s*(?:[،,]\s*و?|و)")


def listed_after(text: str, m: Match, place_end: int | None) -> str | None:
    """`LIST_CUE` when a match follows, in a list, a place read after a cue (``place_end``: where it ends): what
    cued the list's first place cues the rest (مديريات المنصورة، والشيخ عثمان، والبريقة; في محافظات صعدة وعمران
    وحجة); else None. An unanchored list proves nothing: "تعز وسحب" is Taiz and a withdrawal; nor does a word
    followed by a masculine adjective or noun: a town's name is feminine (هيت والقائم الحدودية), so "محافظة إب
    والزعيم القبلي" adds a tribal leader and "عدن ومعسكر العند" a camp."""
    if place_end is None or not _LIST_SEP.fullmatch(text, place_end, m.start):
        return None
    after = _DESCRIBED.match(text, m.end)
    if after is None or after[1].endswith(("ة", "ه")) or after[1].startswith(_OF_PLACES):
        return LIST_CUE
    return None   # "محافظة إب والزعيم القبلي", "عدن ومعسكر العند": a masculine noun, described or governing


_DESCRIBED = re.compile(r"[ \u00a0]+(ال[\u0621-\u064a]{3,})")
_OF_PLACES = ("اللت", "التي", "التابع", "المجاور")  # the words after a town's name: صنعاء وعمران اللتين…


def place_cue(text: str, toks: list[Token], starts: dict[int, int], m: Match, kb: KnowledgeBase) -> str | None:
    """The place cue that the word before a match (or the two before it) is, if any: في كسب، بالقرب من الباب،
    بمدينة حلب; not a definite noun, which governs no name (المنطقة وأن 'the region, and that')."""
    i = next((starts[s] for s in range(m.start, max(m.start - 4, -1), -1) if s in starts), None)
    if i is None or i == 0:
        return None
    two = toks[i - 2].norm + " " + toks[i - 1].norm if i > 1 else ""
    if two in kb.place_cues:
        return two
    return next((stem for clitic, stem in clitic_splits(toks[i - 1].norm)  # المنطقة وأن: a definite noun governs
                 if stem in kb.place_cues and not clitic.endswith(("ال", "لل"))), None)  # no name after it

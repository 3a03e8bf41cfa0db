"""Where, not who: the words that make a name a place rather than an actor, and an event's place.

A name after a place noun (مدينة، قرى، شوارع) or a compass word (غرب بغداد) locates; "في + place" in the
trigger's sentence is where the event happened; an event told again in the next sentence may give it there.
"""
from __future__ import annotations

import dataclasses
import re

from marsad.arabic import Token, normalize
from marsad.extract.event_actors import Cand, bare, readings
from marsad.extract.event_lexicon import Trigger
from marsad.model import Actor, Article, Event


COMPASS = frozenset(normalize(w) for w in "شرق غرب شمال جنوب وسط".split())
THROUGHOUT = frozenset(normalize(w) for w in "أنحاء أرجاء ربوع".split())   # "في جميع أنحاء تركيا": all over
PLACE_NOUNS = COMPASS | frozenset(normalize(w) for w in """مدينة بلدة قرية محافظة منطقة حي مخيم ريف ناحية مقر
العاصمة مدن بلدات قرى مناطق أحياء أطراف ضواحي محيط شارع شوارع ساحة""".split()) | THROUGHOUT   # "بشرق القاهرة": where


def after_place_noun(toks: list[Token], i: int) -> bool:
    """"في مدينة X", "بمحافظة X": a place noun after في/ب stands between the preposition and the name."""
    if i < 1:
        return False
    if any(stem in PLACE_NOUNS and bare(clit) == "ب" for clit, stem in readings(toks[i - 1].norm)):
        return True
    return i >= 2 and toks[i - 2].norm == "في" and toks[i - 1].norm in PLACE_NOUNS


def under_compass(toks: list[Token], c: Cand) -> bool:
    """"شمال غرب بغداد": a place named after a compass word locates something else."""
    return c.entity is not None and c.entity.type == "LOC" and c.i >= 1 and \
        any(stem in COMPASS for _, stem in readings(toks[c.i - 1].norm))


def under_place_noun(toks: list[Token], c: Cand) -> bool:
    """"داخل مدينة الرقة": a place named after a place noun is where, never who."""
    return c.entity is not None and c.entity.type == "LOC" and c.i >= 1 and \
        any(stem in PLACE_NOUNS for _, stem in readings(toks[c.i - 1].norm))


_QUOTE_MARKS = frozenset('"“”«»')


def place(toks, cands, t: Trigger, actors, text: str = "") -> Actor | None:
    """"في + place" in the trigger's sentence ("في مدينة القامشلي" too), never across a quotation mark: the
    place of what a quotation reports is not the place of the event that frames it."""
    ids = {c.entity.id for c in actors if c.entity is not None}
    locs = [c for c in cands if c.entity is not None and c.entity.type == "LOC" and c.entity.id not in ids
            and (bare(c.prep) in ("في", "ب") or after_place_noun(toks, c.i))]
    if text:
        locs = [c for c in locs if not _QUOTE_MARKS.intersection(
            text[min(toks[c.i].start, toks[t.i].start):max(toks[c.i].start, toks[t.i].start)])]
    if not locs:
        return None
    best = min(locs, key=lambda c: abs(c.i - t.i) + (0 if c.i > t.i else 5))
    return best.actor


def place_of_retold(article: Article, events: list[Event]) -> list[Event]:
    """An event whose trigger noun the next sentence repeats is told again there, often with its place:
    "عقد X وY مؤتمراً صحفياً" ... "أعلنت ... في مؤتمر صحفي، وذلك في مقر ... في مدينة القامشلي"."""
    text, out = article.text, []
    locs = [(s, e, ent) for ent in article.entities if ent.type == "LOC" for s, e in ent.mentions]
    for ev in events:
        head = normalize(ev.trigger or "").split()[:1]
        if ev.place is None and not ev.negated and head and len(head[0]) > 3:
            word = head[0].rstrip("ا")
            window = text[ev.span[1]:ev.span[1] + 500]
            at = normalize(window).find(word)
            if at >= 0:
                cut = ev.span[1] + at
                for s, e, ent in sorted(locs, key=lambda m: m[0]):
                    if cut < s < ev.span[1] + len(window) and _PLACE_PREFIX.search(text[max(0, s - 12):s]):
                        ev = dataclasses.replace(ev, place=Actor(name=ent.text, entity=ent.id),
                                                 rule=(ev.rule or "") + "; place:retold")
                        break
        out.append(ev)
    return out


_PLACE_PREFIX = re.compile(r"(?:\bفي|\bب)\s*(?:(?:مدينة|بلدة|قرية|محافظة|منطقة|ريف|حي|مخيم)\s+)?$|\bب$")

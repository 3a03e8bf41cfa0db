"""The date of an attack told again: "هجوم سوروتش الانتحاري الذي تبناه تنظيم داعش" has no date of its own, but
the article dated the attack on that town elsewhere: "تفجير وقع أول من أمس (الاثنين) ... ببلدة سروج".

An undated ASSAULT event whose target is a known place takes the day that other sentences give right after an
attack word (تفجير، هجوم، غارة، قصف…) near that place, when they all give the same day and it is within two
weeks before publication. Two different days (two attacks on one town) leave it undated, and so do a plural
trigger ("هجماتها في تشاد": many attacks) and a sentence of its own that names a time. Matching
(`attack_days`) is apart from annotating (`date_retold_attacks`: ``date:same-attack`` in the event's rule).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from marsad import dates
from marsad.arabic import normalize, sentences, tokens
from marsad.extract.event_owners import readings
from marsad.extract.event_slots import ATTACK_NOUNS
from marsad.model import Article, Event

ATTACK_WORDS = ATTACK_NOUNS | frozenset(normalize(w) for w in "تفجير تفجيرات انفجار اعتداء هجوما".split())
MANY = frozenset(normalize(w) for w in "هجمات غارات ضربات تفجيرات اعتداءات عمليات معارك".split())   # not one attack
RECENT_DAYS = 14   # a retold attack is news: dated at most two weeks before the article
NEAR = 40   # characters from the attack word to the day after it: "تفجير وقع أول من أمس (الاثنين)"
PLACE_NEAR = 120   # ... and between the attack word and the place: "... في حديقة مركز ثقافي ببلدة سروج"


def _attack_word(norm: str) -> bool:
    return any(stem in ATTACK_WORDS or stem.startswith("ال") and stem[2:] in ATTACK_WORDS
               for _, stem in readings(norm))


def attack_days(article: Article, place_id: str, skip: tuple[int, int]) -> set[str]:
    """The days given right after an attack word near a mention of the place ``place_id``, in the sentences
    outside the span ``skip``."""
    place = next((e for e in article.entities if e.id == place_id), None)
    if place is None:
        return set()
    text, out = article.text, set()
    for s, e in sentences(text):
        if s < skip[1] and skip[0] < e or not any(s <= ms and me <= e for ms, me in place.mentions):
            continue
        sent = text[s:e]
        places = [ms - s for ms, me in place.mentions if s <= ms and me <= e]
        attacks = [t.end for t in tokens(sent) if _attack_word(t.norm)
                   and any(abs(k - t.end) <= PLACE_NEAR for k in places)]
        out |= {m.date for m in dates.find_dates(sent, article.published) if m.date and m.granularity == "day"
                and any(0 <= m.start - k <= NEAR for k in attacks)}
    return out


def _recent(day: str, published: str | None) -> bool:
    if not published:
        return False
    d, p = dt.date.fromisoformat(day), dt.date.fromisoformat(published[:10])
    return dt.timedelta(0) <= p - d <= dt.timedelta(days=RECENT_DAYS)


def _retold(article: Article, ev: Event) -> bool:
    """An undated report of one attack whose own sentence names no time at all (a sentence that dates it some
    other way, by month or year, is not this rule's to date)."""
    trigger = [stem for _, stem in readings(normalize((ev.trigger or "").split(" ")[0]))]
    return ev.type == "ASSAULT" and ev.date is None and not ev.negated and not any(
        t in MANY or t.startswith("ال") and t[2:] in MANY or t.rstrip("اهم") in MANY for t in trigger) and \
        not dates.find_dates(ev.sentence or "", article.published)


def _days_of(article: Article, ev: Event, actors: list) -> set[str]:
    """The days the article gives elsewhere for attacks on the places among ``actors``."""
    places = {a.entity for a in actors if a.entity and any(e.id == a.entity and e.type == "LOC"
                                                             for e in article.entities)}
    return set().union(*(attack_days(article, p, tuple(ev.span)) for p in places)) if places else set()


def date_retold_attacks(article: Article, events: list[Event]) -> list[Event]:
    """Undated attacks on a place the article dates elsewhere, with that date."""
    out = []
    for ev in events:
        if _retold(article, ev):
            days = _days_of(article, ev, ev.target)
            if len(days) == 1 and _recent(next(iter(days)), article.published):
                ev = dataclasses.replace(ev, date=days.pop(), rule=(ev.rule or "").replace("date:none",
                                                                                         "date:same-attack"))
        out.append(ev)
    return out

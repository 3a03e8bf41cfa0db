"""Whose actor a noun phrase stands for, when an event's object is named through someone it belongs to.

Two kinds of phrase put an entity X in the place of the noun before it:
- a place or target owned by X: "قصفت أهدافاً تابعة لـ X", "على مواقع X", "مقرات لـ X": X was attacked;
- people who belong to X: "أوقفت 320 شخصاً من المنتمين إلى تنظيم X", "اعتقلت 15 شخصاً يشتبه بانتمائهم إلى X":
  X's members, so X, are the target (CAMEO codes an arrest of a group's members as an act against the group).
  The head must be a word for people or a number: "مدينة تنتمي إلى X" is no one. Counted victims ("قتل 10 من
  عناصر X") are left to the victim rules: read as X, most came out in the wrong direction.

`owner_head` finds the head noun a mention of X stands for; `marsad.extract.event_actors` then gives X that
head's preposition (none for an object), and for members the head's place too: the slotting rules read X
where "320 شخصاً" stands (a target noun stays X's own place: "لقصف أهداف داعش" is no genitive agent).

>>> from marsad.arabic import tokens
>>> toks = tokens("أوقفت الشرطة 320 شخصاً من المنتمين إلى تنظيم داعش")
>>> owner_head(toks, 8, 0)
Head(i=3, clitics='', members=True)
>>> toks = tokens("قصفت الطائرات أهدافاً تابعة لداعش")
>>> owner_head(toks, 4, 0)
Head(i=2, clitics='', members=False)
>>> owner_head(tokens("مدينة تنتمي إلى محافظة حلب"), 3, 0) is None
True
"""
from __future__ import annotations

import functools
from typing import NamedTuple

from marsad.arabic import Token, normalize


def _norm_set(words) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "وب", "ول", "فب", "فل", "وبال", "ولل",
            "فبال", "فلل")
_BY_FIRST = {c: tuple(p for p in PREFIXES if p.startswith(c)) for c in "وفبلكا"}

TARGET_NOUNS = _norm_set("اهداف هدف مواقع موقع مقرات مقر مقار نقاط تجمعات معاقل مخابي تمركزات مراكز".split())
OWNED = _norm_set("تابعه تابعا التابعه تابعين".split())
# words for people that can belong to an organisation (the head before a membership phrase)
MEMBERS = _norm_set("""اشخاص شخص عناصر عنصر مسلحين مسلحون مسلح مقاتلين مقاتلون مقاتل اعضاء عضو متشددين متشددون
متشدد متطرفين متطرفون متطرف ارهابيين ارهابيون ارهابي متهمين متهم مطلوبين مطلوب مشتبه موقوفين موقوف رجال شبان شاب
اجانب اجنبي قياديين قيادي نساء""".split())   # singulars for counted nouns, accusative: "12 متشدداً"
# what links them to it, read backwards from the organisation (the last word may carry ل instead of إلى)
MEMBER_LINKS = tuple(tuple(normalize(w) for w in phrase.split()) for phrase in (
    "من المنتمين إلى", "المنتمين إلى", "من المنتمين", "المنتمين", "ينتمون إلى", "ينتمون", "ينتمي إلى", "ينتمي",
    "يشتبه بانتمائهم إلى", "يشتبه في انتمائهم إلى", "للاشتباه بانتمائهم إلى", "المشتبه بانتمائهم إلى",
    "بتهمة الانتماء إلى", "بتهمة الانتماء", "بشبهة الانتماء إلى"))
_LINK_ENDS = frozenset(link[-1] for link in MEMBER_LINKS)
ORG_WORDS = _norm_set("تنظيم تنظيمي جماعه حركه حزب منظمه ميليشيا مليشيا".split())   # "إلى تنظيم X"
MASS = _norm_set("عشرات العشرات مئات المئات".split())


class Head(NamedTuple):
    """The noun a mention stands for: its index, its clitics, and whether it names members (people)."""

    i: int
    clitics: str
    members: bool


@functools.lru_cache(maxsize=65536)
def readings(norm: str) -> tuple[tuple[str, str], ...]:
    """(clitics, stem) readings of a normalized word under و ف ب ل ك ال (a fast clitic_splits for lookups)."""
    out = [("", norm)]
    for p in _BY_FIRST.get(norm[:1], ()):
        if p and norm.startswith(p) and len(norm) - len(p) >= 2:
            out.append((p, norm[len(p):]))
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def stem_in(norm: str, words: frozenset[str]) -> tuple[str, str] | None:
    """The (clitics, stem) reading of a word whose stem (or its accusative ـا stripped) is in ``words``."""
    for prefix, stem in readings(norm):
        if stem.endswith("ا") and stem[:-1] in words:   # accusative: "أهدافاً"
            stem = stem[:-1]
        if stem in words or stem.startswith("ال") and stem[2:] in words:
            return prefix, stem
    return None


def owner_head(toks: list[Token], k: int, lo: int) -> Head | None:
    """(index, clitics) of the noun that the mention at toks[k] stands for, if it is owned by it (a target
    noun, "تابعة لـ" allowed between) or a word for its members (through `MEMBER_LINKS`); None otherwise."""
    m = k - 1
    if m >= lo and toks[m].norm in OWNED:
        m -= 1
    if m >= lo and (owned := stem_in(toks[m].norm, TARGET_NOUNS)) is not None:
        return Head(m, owned[0], False)
    return _member_head(toks, k, lo)


def _member_head(toks: list[Token], k: int, lo: int) -> Head | None:
    m = k - 1
    if m >= lo and stem_in(toks[m].norm, ORG_WORDS) is not None:
        m -= 1
    if m < lo or toks[m].norm not in _LINK_ENDS:
        return None
    for link in MEMBER_LINKS:
        start = m - len(link) + 1
        if start - 1 < lo or any(toks[start + i].norm != w for i, w in enumerate(link)):
            continue
        if link[-1] != "الي" and not toks[m + 1].norm.startswith("ل"):
            continue   # "ينتمون لـX": without إلى, the organisation carries ل
        if is_count(toks[start - 1].norm):
            return Head(start - 1, "", True)
        if (reading := stem_in(toks[start - 1].norm, MEMBERS)) is not None:
            return Head(start - 1, reading[0], True)
    return None


def is_count(norm: str) -> bool:
    """A number of people: "320", "عشرات"."""
    return norm.isdigit() or norm in MASS


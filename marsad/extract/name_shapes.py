"""What a name found by the tagger or the knowledge base cannot be, read off its words and what precedes it.

- A future verb with its dual or plural ending, or a present one with its dual ending, written after a name is
  no part of it: "عبد المجيد السواط سيغيبون", "وقباني يشربان" (but "موشيه يعالون"); so is a singular future
  verb whose present tense is a common word of the news and that no name list knows: "صلاح المزروع سيرأس".
- A place after a name, with ب, ends it: "فيصل بن محمد بالعقيق", "سطام بن عبدالعزيز بالخرج", "البنك المركزي
  بالمدينة"; so do "للـ" after a person's name ("شهاب بيومي للاولمبي"; an organisation's may go on: "الاتحاد
  للطيران") and "بإ…" after any ("فهد بإجمالي").
- A one-word person that is a present verb with its dual or plural ending (يغيبان، ويصرخون) or a plural
  participle (مستهلكون) is no name; nor are words written with tanwin (سياسياً أم دينياً).
- A dash written onto the word after it, spaced from the name before, opens an aside: "نجيب محفوظ -رحمه الله-";
  a eulogy ends a name even without the dash: "الملك فهد رحمه الله", "محمد صلى الله عليه وسلم".
- A person's name after a road, a bridge, a park, a museum, an airport, a university, a centre, a mosque, a
  prize, a league or a cup names the place, the body or the event: "طريق الملك فهد", "جسر الملك فهد", "متحف
  مدام توسو", "مطار الملك فهد الدولي", "جامعة الملك سعود", "جائزة الملك فيصل", "كأس خادم الحرمين الشريفين"
  (not "عن طريق X", 'by way of X', nor بطولة, a championship but also 'starring' in film news).

>>> tail_words(["عبد", "المجيد", "السواط", "سيغيبون"], "PER"), tail_words(["موشيه", "يعالون"], "PER")
(1, 0)
>>> tail_words(["وقباني", "يشربان"], "PER")
1
>>> tail_words(["شهاب", "بيومي", "للاولمبي"], "PER"), tail_words(["الاتحاد", "للطيران"], "ORG")
(1, 0)
>>> tail_words(["سطام", "بن", "عبدالعزيز", "بالخرج"], "PER", lambda w: w == "الخرج")
1
>>> no_name(["يغيبان"]), no_name(["مستهلكون"]), no_name(["مأمون"]), no_name(["تانجشان"]), no_name(["يعالون"])
(True, True, False, False, True)
>>> no_name(["سياسياً", "أم", "دينياً"])
True
>>> named_after("لتنفيذ طريق الملك ", 18), named_after("وقال الملك ", 11), named_after("عن طريق ", 8)
(True, False, False)
>>> named_after("مغادرته مطار الملك ", 19)
True
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from marsad.arabic import normalize, word_before

if TYPE_CHECKING:
    from marsad.extract.entities import Candidate

LINEAGE = frozenset(normalize(w) for w in ("بن", "ابن", "بنت"))  # X بن Y: the name goes on with the father's
_FUTURE_VERB = re.compile(r"^[وف]?س[يت][\u0621-\u064a]{3,}(?:ون|ان)$")   # سيغيبون (not ستراكان: see below)
_FUTURE_SINGULAR = re.compile(r"^س[يتن][\u0621-\u064a]{3,}$")   # سيرأس، ستزور (checked against the corpus)
_PRESENT_VERB = re.compile(r"^[وف]?ي[\u0621-\u064a]{3,}(?:ون|ان)$")     # يغيبان، ويصرخون
_PARTICIPLE = re.compile(r"^م[\u0621-\u064a]{4,}ون$")                    # مستهلكون (not مأمون)
_BROKEN_PLURAL = re.compile(r"^[وف]?[\u0621-\u064a]{2}ائ[\u0621-\u064a]$")  # كتائب، كمائن (not وائل)
_AGENT = re.compile(r"^[\u0621-\u064a]ائ[\u0621-\u064a]$")  # رائد، قائد: the active participle, a name
_PLACE_NAMED_AFTER = re.compile(r"(?:^|\s)[وبل]?(?:شارع|(?<!عن\s)طريق|ميدان|حديقة|جسر|نفق|دوار|متحف|مطار|"
                                r"جامعة|جامعتي|مدينة|مسجد|جامع|ميناء|كلية|مجمع|مركز|جائزة|قاعدة|معهد|ملعب|استاد|"
                                r"دوري|كأس)\s+"
                                r"(?:(?:الملك|الأمير|الأميرة|الشيخ|الإمام)\s+)?$")


def tail_words(words: list[str], typ: str, is_place: Callable[[str], bool] = lambda w: False,
               never_last: frozenset[str] = frozenset(), is_future: Callable[[str], bool] = lambda w: False) -> int:
    """How many of a multi-word name's last words are no part of it (see the module docstring); ``is_place``
    tells a known place's name; ``never_last`` (normalized, titles.yaml) are words that never end a person's
    name (هو, أن, قائلا: "وختم الدكتور عبدالغني قائلا"); ``is_future`` a singular future verb (`future_verb`)."""
    def tail(w: str) -> bool:
        if w.startswith("بإ") or (w.startswith("لل") and typ == "PER") or (typ == "PER" and normalize(w) in never_last):
            return True
        if w.startswith("ب") and len(w) > 3 and is_place(w[1:]):
            return True
        return typ == "PER" and bool(w.startswith("سي") and _FUTURE_VERB.match(w)
                                     or w.endswith("ان") and _PRESENT_VERB.match(w) or is_future(w))  # not يعالون
    n = 0
    while len(words) - n > 1 and tail(words[-1 - n]):
        n += 1
    return n


def future_verb(word: str, common: Callable[[str], bool], name_word: Callable[[str], bool]) -> bool:
    """A singular future verb (سيرأس، ستزور): س before a present verb that is ``common`` on its own (يرأس،
    تزور), the word itself no ``name_word`` (the name lists know سيرجي، سيلفا).

    >>> future_verb("سيرأس", {"يراس"}.__contains__, lambda w: False), future_verb("سيف", bool, lambda w: False)
    (True, False)
    >>> future_verb("سيرجي", {"يرجي"}.__contains__, {"سيرجي"}.__contains__)
    False
    """
    norm = normalize(word)
    return bool(_FUTURE_SINGULAR.match(norm)) and common(norm[1:]) and not name_word(norm)


def before_eulogy(words: list[str], eulogies: frozenset[str]) -> int:
    """How many of a name's words come before a eulogy (titles.yaml ``eulogies``) written after it: "محمد صلى
    الله عليه وسلم", "فهد رحمه الله" keep one; "أيده الله" none; a name without one keeps them all.

    >>> before_eulogy(["فهد", "رحمه", "الله"], frozenset({"رحمه الله"})), before_eulogy(["عبد", "الله"], frozenset())
    (1, 2)
    """
    keys = [normalize(w) for w in words]
    return next((k for k in range(len(keys) - 1) if keys[k] + " " + keys[k + 1] in eulogies), len(words))


def in_phrase(text: str, start: int, key: str, phrases: frozenset[str]) -> bool:
    """Whether the word before a one-word name (``key``, normalized) makes one of ``phrases`` with it: "في صالح
    المنظمة" is 'in favour of the organisation'.

    >>> in_phrase("وهو في صالح المنظمة", 7, "صالح", frozenset({"في صالح"}))
    True
    """
    before = word_before(text, start)[1]
    return bool(before) and normalize(before) + " " + key in phrases


def no_name(words: list[str], typ: str = "PER", nationality: Callable[[str], object] = lambda w: None,
            numbers: frozenset[str] = frozenset()) -> bool:
    """A one-word person that is a present verb, a plural participle or a broken plural of the pattern فعائل
    (كتائب, كمائن); a person one of whose words is a nationality in the dual or plural (شخصيتان يمنيتان
    قياديتان, خبيران أوروبيان: ``nationality`` tells the singular's country); a name of any type all of whose
    words are ``numbers`` (normalized: the tagger's "اللواء الخامس عشر", the 15th brigade), or one of whose
    words carries tanwin (سياسياً أم دينياً: adverbs; a name is not written so).

    >>> no_name(["كتائب"]), no_name(["وكنائس"]), no_name(["وائل"]), no_name(["ورائد"])
    (True, True, False, False)
    >>> no_name(["الخامس", "عشر"], "PER", numbers=frozenset({"الخامس", "عشر"}))
    True
    >>> nisba = {"يمني": "loc:yemen", "اوروبي": None}.get
    >>> no_name(["خبيران", "يمنيان"], nationality=nisba), no_name(["محمد", "اليمني"], nationality=nisba)
    (True, False)
    """
    if any("\u064b" in w for w in words):
        return True
    if numbers and all(normalize(w) in numbers for w in words):
        return True
    if typ != "PER":
        return False
    if any(_plural_nisba(normalize(w), nationality) for w in words):
        return True
    return len(words) == 1 and bool(_PRESENT_VERB.match(words[0]) or _PARTICIPLE.match(words[0])
                                    or _BROKEN_PLURAL.match(words[0]) and not (  # ورائد is و + رائد
                                        words[0][0] in "وف" and _AGENT.match(words[0][1:])))


def _plural_nisba(norm: str, nationality: Callable[[str], object]) -> bool:
    """يمنيتان, اليمنيون, أوروبيين: a nisba (…ي) with a dual or plural ending, whose singular is a nationality."""
    for end in _NISBA_ENDINGS:
        stem = norm[:-len(end)]
        if norm.endswith(end) and stem.endswith("ي") and len(stem) > 3 and nationality(stem) is not None:
            return True
    return False


_NISBA_ENDINGS = ("تان", "تين", "ات", "ان", "ين", "ون")


def named_after(text: str, start: int) -> bool:
    """The name at ``start`` follows a road, bridge, park or museum noun (and maybe a title): a place's name."""
    return bool(_PLACE_NAMED_AFTER.search(text, max(0, start - 30), start))


def opens_aside(text: str, spans: list[tuple[int, int]], k: int) -> bool:
    """Token ``k`` is a dash opening an aside: spaced from the name before it, written onto the word after it
    ("محمد العلي -غفر الله له-", "نجيب محفوظ -رحمه الله-"); a dash spaced on both sides may join a name
    ("تشونغ مونغ - جون", "لوفتس - شيك")."""
    return (text[spans[k][0]:spans[k][1]] in "-–—" and text[spans[k - 1][1]:spans[k][0]].isspace()
            and spans[k][1] == spans[k + 1][0])


def named_after_people(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A person named after a road, an airport, a university... (`named_after`) is no person: "طريق الملك فهد"
    is a road; a name just before it ends there, and takes the person's name in: "جامعة الأمير" and "سطام بن
    عبدالعزيز" tagged apart are one university."""
    people = [c for c in cands if c.type == "PER" and named_after(text, c.start)]
    out = [c for c in cands if c not in people]
    for p in people:
        k = next((k for k, c in enumerate(out) if c.type != "PER" and c.end <= p.start
                  and text[c.end:p.start].isspace()), None)
        if k is not None:
            out[k] = replace(out[k], end=p.end, surface=out[k].surface + text[out[k].end:p.end])
    return out

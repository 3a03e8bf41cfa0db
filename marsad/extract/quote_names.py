"""Speakers the entities stage did not give: described noun phrases (`np_ok`) and a person's name read off a
title phrase (`guess_name`): "وقال المسؤول في الـ«فاو» دومينيك بورجون في روما:", "الكاتب السوري الساخر وليد
معماري، لخّص…".

Only the plainest shape is trusted: a title head (titles.yaml) earlier in the phrase, with no punctuation since;
then a definite word, a mention or a name introducer (ويدعى) right before two or three words that cannot be words
of a title phrase (no ال, stop word, speech cue, title word, mention); then punctuation, a preposition or stop
word, or an addressee (لـ«…»). "قائد عسكري ميداني" is no name (its words follow an indefinite title), nor is
"المدير العام … في ألبانيا طريقة توزيع هذه المساعدات" (a demonstrative continues the phrase).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from marsad.extract.quote_table import SpeechTable

_WORD = re.compile(r"[^\W\d_]+|\d+")
_DEFINITE = ("ال", "وال", "فال", "بال", "لل", "كال")
_CLOSERS = " »”\"\u00a0"
_DEMONSTRATIVES = frozenset("هذا هذه ذلك تلك هولاء".split())
MIN_WORDS, MAX_WORDS = 2, 3


def _stop(w: str, table: SpeechTable) -> bool:
    return w in table.np_stops or (w[0] in "وف" and w[1:] in table.np_stops)


def _known(w: str, table: SpeechTable) -> bool:
    return w in table.title_words or w in table.name_intro or w in table.not_before or _stop(w, table)


def np_ok(words: list[str]) -> bool:
    """A described speaker: الجانب الأمريكي (definite words), مصدر عسكري (indefinite + nisba), or a construct
    state: سكان المنطقة، مسؤولو المعارضة (indefinite + definite words)."""
    if words[0].startswith("ال"):
        return all(w.startswith(("ال", "وال")) for w in words[1:])
    if len(words) > 1 and words[1].startswith("ال"):
        return all(w.startswith(("ال", "وال")) for w in words[2:])
    return all(w.endswith(("ي", "يه", "يون", "يين")) or w.startswith("و") for w in words[1:])


def _boundary(norm: str, last: re.Match[str], nxt: re.Match[str], table: SpeechTable) -> bool:
    """What may follow a name: punctuation, a preposition or stop word (not هذه: "طريقة توزيع هذه المساعدات"),
    an addressee (لـ«…», لوكالة)."""
    t = nxt.group()
    if norm[last.end():nxt.start()].strip():
        return True
    if t in _DEMONSTRATIVES:
        return False
    return _stop(t, table) or (t[0] == "ل" and (len(t) == 1 or _known(t[1:], table) or t.startswith("لل")))


def _name_like(w: str, table: SpeechTable) -> bool:
    """Not a word of a title phrase: no ال, no stop word or cue, no title or name noun, bare or after لـ/بـ."""
    return (len(w) >= 2 and not w[0].isdigit() and not w.startswith(_DEFINITE) and table.cue(w) is None
            and not _known(w, table) and not (w[0] in "لبو" and _known(w[1:], table)))


def guess_name(norm: str, start: int, end: int, table: SpeechTable,
               covered: Callable[[int], str | None]) -> tuple[int, int] | None:
    """Normalized (start, end) of the first name after a title in ``norm[start:end]``, or None.

    ``covered(i)`` is the type of the entity mention at offset ``i`` (PER, ORG, LOC), or None.
    """
    words = list(_WORD.finditer(norm, start, end))
    titled = False
    for j, w in enumerate(words):
        t = w.group()
        if j and norm[words[j - 1].end():w.start()].strip(_CLOSERS + "«“"):
            titled = False  # punctuation ends the title phrase
        if t in table.title_heads:
            titled = True
        if not titled or j == 0 or not _name_like(t, table) or covered(w.start()):
            continue
        prev = words[j - 1]
        if norm[prev.end():w.start()].strip(_CLOSERS):
            continue  # a comma or other punctuation between: not one phrase
        if not covered(prev.start()) and (_stop(prev.group(), table) or not (
                prev.group().startswith(_DEFINITE) or prev.group() in table.name_intro)):
            continue
        k = j
        while k + 1 < len(words) and k - j <= MAX_WORDS and not norm[words[k].end():words[k + 1].start()].strip() \
                and _name_like(words[k + 1].group(), table) and not covered(words[k + 1].start()):
            k += 1
        n = k - j + 1
        if MIN_WORDS <= n <= MAX_WORDS and (k + 1 == len(words) or _boundary(norm, words[k], words[k + 1], table)):
            return w.start(), words[k].end()
    return None

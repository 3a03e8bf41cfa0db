"""The merge rule of the entities stage (`marsad.extract.entities`): one span per stretch of text.

Knowledge-base candidates are taken first, longest first, then the tagger's (rule ``crf``), longest first. A
candidate overlapping one already taken is dropped, with two exceptions:

- a confident tagger ORG or PER that wholly contains knowledge-base places only, and is longer, replaces them
  ("جامعة دمشق", "ستيوا بوخارست"; "العراق" tagged ORG stays the place);
- a confident tagger person that adds a given name before a knowledge-base person matched by a surname alone is
  someone else of that name and replaces it ("ميشيل أوباما", "فهد الجبير"), unless the given name is the known
  person's own;
- a tagger person that begins inside a knowledge-base place and goes on past it keeps what follows, if that is
  a name of two words or more: "أمين منطقة عسير صالح بن عبدالله القاضي" tagged as one person is منطقة عسير and
  صالح بن عبدالله القاضي.

After the merge, a tagger "ابن X" right after a person is the lineage of that person's name, not a person.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from marsad.arabic import normalize_word

if TYPE_CHECKING:
    from marsad.extract.entities import Candidate

CRF_OVERRIDE_CONFIDENCE = 0.6
MIN_TRIMMED_WORDS = 2
_NAME_GOES_ON = ("آل ", "ال ", "بن ", "ابن ", "بنت ")  # the place was the name's own (سلمان بن عبدالعزيز آل سعود)


def merge(cands: list[Candidate], given_name: Callable[[str], bool] = lambda word: False) -> list[Candidate]:
    """Apply the merge rule; candidates come back in text order. ``given_name`` tells a word that is a given
    name (a tagger person adding one before a known person's surname is someone else)."""
    order = sorted(cands, key=lambda c: (c.rule == "crf", -(c.end - c.start), c.start))
    taken: list[Candidate] = []
    for c in order:
        clashes = [t for t in taken if t.start < c.end and c.start < t.end]
        if not clashes:
            taken.append(c)
        elif (c.rule == "crf" and c.type in ("ORG", "PER") and c.confidence >= CRF_OVERRIDE_CONFIDENCE
              and all(c.start <= t.start and t.end <= c.end and (t.start, t.end) != (c.start, c.end)
                      and t.type == "LOC" and t.rule != "crf" for t in clashes)):
            taken = [t for t in taken if t not in clashes] + [c]
        elif c.rule == "crf" and c.type == "PER" and c.confidence >= CRF_OVERRIDE_CONFIDENCE \
                and all(_another_bearer(c, t, given_name) for t in clashes):
            taken = [t for t in taken if t not in clashes] + [c]
        elif (rest := _past(c, clashes)) is not None and not any(t.start < rest.end and rest.start < t.end
                                                                 for t in taken):
            taken.append(rest)
    taken.sort(key=lambda c: c.start)
    # "الملك عبدالله الثاني ابن الحسين": the tagger's "ابن الحسين" is the lineage of the name before it
    return [c for k, c in enumerate(taken) if not (
        k and c.rule == "crf" and c.type == "PER" and c.surface.startswith(("ابن ", "بن ")) and
        taken[k - 1].type == "PER" and c.start - taken[k - 1].end <= 1)]


def _another_bearer(c: Candidate, t: Candidate, given_name: Callable[[str], bool]) -> bool:
    """Whether the tagger's person ``c`` is someone else bearing the surname that the knowledge-base person ``t``
    is matched by alone: ``c`` begins with a given name before it that is not ``t``'s own, however spelt
    (ميشيل أوباما, فهد الجبير, زاهر العبادي; not عبدالله بن يحيى المعلمي, the ambassador المعلمي, nor فرنسوا
    هولاند), and ``t`` is no second name of a list (صدام والأسد)."""
    if t.rule == "crf" or t.type != "PER" or t.actor is None or " " in t.surface.strip() \
            or not (c.start < t.start and t.end <= c.end) or c.surface[t.start - c.start - 1:t.start - c.start] == "و":
        return False
    first = c.surface.split()[0]
    own = {_skeleton(n.split()[0]) for n in (t.actor.name, *t.actor.aliases)}
    return given_name(first) and _skeleton(first) not in own


def _skeleton(word: str) -> str:
    """A name without its long vowels, for spellings of one name: فرنسوا and فرانسوا, فيدريكا and فيديريكا."""
    return "".join(ch for ch in normalize_word(word) if ch not in "اويى")


def _past(c: Candidate, clashes: list[Candidate]) -> Candidate | None:
    """What of a tagger person lies past the knowledge-base places it begins inside, when that is a name of
    `MIN_TRIMMED_WORDS` words or more (None otherwise, or when the span's surface is not its text as written)."""
    if c.rule != "crf" or c.type != "PER" or len(c.surface) != c.end - c.start or \
            not all(t.rule != "crf" and t.type == "LOC" and t.start <= c.start < t.end < c.end for t in clashes):
        return None
    cut = max(t.end for t in clashes) - c.start
    rest = c.surface[cut:].lstrip()
    if len(rest.split()) < MIN_TRIMMED_WORDS or rest.startswith(_NAME_GOES_ON):
        return None
    return replace(c, start=c.end - len(rest), surface=rest)

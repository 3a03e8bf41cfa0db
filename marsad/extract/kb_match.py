"""Knowledge-base matching: every alias of every actor found in a text, clitics allowed (لروسيا -> روسيا).

The article ال is part of a name, never stripped: aliases are written with it where the text writes it.

The matcher is built once from the knowledge base: a dictionary from tuples of normalized words to actors.
Matching walks the tokens; at each token it tries every clitic reading of the first word and the longest run
of following words that is an alias (it reads on only while what it has read begins some alias). Matches
never cross punctuation, but for a dash between spaces ("التحالف العربي – الدولي" is the alias التحالف العربي
الدولي).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from marsad.arabic import Token, clitic_splits, normalize, normalize_with_map

_WORD_GAP = re.compile(r"[\s\u0640]*")  # only white space (or tatweel) may stand between the words of a name
MIN_ALIAS_CHARS = 2
READINGS_MEMO = 100_000


@dataclass(frozen=True)
class Match:
    """A span of the text naming something: offsets without the clitic, the surface form without it."""

    start: int
    end: int
    surface: str
    key: tuple[str, ...]
    values: tuple  # what the key maps to (actors, title kinds...)
    rule: str


_SPACED_DASH = re.compile(r"\s+[-–—]\s+")


def joined(gap: str) -> bool:
    """Whether two words with this between them can be one name: only white space (or tatweel)."""
    return gap == " " or _WORD_GAP.fullmatch(gap) is not None


def _alias_gap(gap: str) -> bool:
    """`joined`, or a dash with spaces around it inside a phrase the index holds: "التحالف العربي – الدولي"."""
    return joined(gap) or _SPACED_DASH.fullmatch(gap) is not None


class PhraseMatcher:
    """Finds phrases (tuples of normalized words) in token sequences, with clitics on the first word."""

    def __init__(self, phrases: Iterable[tuple[str, object]], rule: str):
        index: dict[tuple[str, ...], list] = defaultdict(list)
        for phrase, value in phrases:
            key = tuple(normalize(phrase).split())
            if key and len("".join(key)) >= MIN_ALIAS_CHARS and value not in index[key]:
                index[key].append(value)
        self._index: Mapping[tuple[str, ...], tuple] = MappingProxyType({k: tuple(v) for k, v in index.items()})
        self._first = frozenset(k[0] for k in self._index)
        self._open = frozenset(k[:n] for k in self._index for n in range(1, len(k)))  # a longer key goes on
        self.rule = rule
        self._readings: dict[str, tuple[tuple[str, str], ...]] = {}  # a memo of _word_readings (bounded)

    def _word_readings(self, norm: str) -> tuple[tuple[str, str], ...]:
        """The (clitic, stem) readings of a word whose stem can open a phrase; names keep their ال, so a
        reading that strips one is none (السورية is not سورية)."""
        return tuple((prefix, stem) for prefix, stem in clitic_splits(norm)
                     if stem in self._first and not prefix.endswith(("ال", "لل")))

    def _all_readings(self, norms: list[str]) -> list[tuple[tuple[str, str], ...]]:
        """`_word_readings` of each word, from a plain dictionary (a hit costs a quarter of an lru_cache's);
        when it holds more than `READINGS_MEMO` words it starts again empty."""
        memo = self._readings
        out = list(map(memo.get, norms))
        if None in out:
            if len(memo) > READINGS_MEMO:
                memo.clear()
            for i in [i for i, r in enumerate(out) if r is None]:
                out[i] = memo[norms[i]] = self._word_readings(norms[i])
        return out

    def __contains__(self, key: tuple[str, ...]) -> bool:
        return key in self._index

    def get(self, key: tuple[str, ...]) -> tuple:
        return self._index.get(key, ())

    def find(self, text: str, toks: list[Token]) -> list[Match]:
        """Every match, the longest one per start token."""
        return [readings[0] for readings in self.find_readings(text, toks)]

    def find_readings(self, text: str, toks: list[Token]) -> list[list[Match]]:
        """For each token that starts a match, every match there: longest first, then least clitic stripped
        (وجدة: the town وجدة, then و + جدة)."""
        out: list[list[Match]] = []
        n = len(toks)
        index, open_ = self._index, self._open
        readings = self._all_readings([t.norm for t in toks])
        for i in [i for i, r in enumerate(readings) if r]:
            tok = toks[i]
            found: list[Match] = []
            for prefix, stem in readings[i]:
                words = (stem,)
                key = words if words in index else None
                j = i + 1
                while j < n and words in open_ and _alias_gap(text[toks[j - 1].end:toks[j].start]):
                    words += (toks[j].norm,)
                    if words in index:
                        key = words
                    j += 1
                if key is not None:
                    found.append(self._match(text, tok, prefix, stem, toks[i + len(key) - 1].end, key))
            if found:
                found.sort(key=lambda m: (m.start - m.end, m.start))
                out.append(found)
        return out

    def _match(self, text: str, tok: Token, prefix: str, stem: str, end: int, key: tuple[str, ...]) -> Match:
        if not prefix and normalize(tok.text[0]):  # the match starts where the token does
            return Match(tok.start, end, text[tok.start:end], key, self._index[key], self.rule)
        norm, offsets = normalize_with_map(tok.text)
        # للتحالف = ل + التحالف: the article's alef is not written, so the form without the clitic gets it back
        synthetic_alef = stem.startswith("ال") and not norm.startswith(stem, len(prefix))
        cut = len(prefix)
        start = tok.start + (offsets[cut] if cut < len(offsets) else len(tok.text))
        surface = ("ا" if synthetic_alef else "") + text[start:end]
        return Match(start, end, surface, key, self._index[key], self.rule)

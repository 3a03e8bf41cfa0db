"""Document label propagation: a name the tagger found once in an article is a name where it missed it.

After the sentences of an article are tagged, two steps (Mikheev-style, as in many NER systems that tag a
document at once):

1. phrases: where the normalized words of a multi-word entity tagged elsewhere in the document occur with
   every word tagged O, they get that entity's tags (longer phrases first);
2. single words: a word tagged O whose key (its clitic-stripped stem, `doc_key`) is a one-word entity of type
   T elsewhere in the document becomes B-T when the document has it as T at least as often as O, less one.

A propagated word gets the best confidence of the entities it was copied from (an entity's confidence: its
least confident word). On the ANERcorp dev split this is worth about two points of F1, mostly recall.

The document is its sentences laid end to end (sentence k is tokens ``starts[k]:ends[k]``) and its tags are
arrays: ``types`` (0 for O, else 1 + the index in `marsad.extract.bio.TYPES`), ``begins`` (the tag is a B-)
and ``conf``. An I- always continues the entity before it (the tagger's output and both steps keep it so).

>>> norms = ["زار", "بوتين", "دمشق", "وقال", "بوتين", "ان"]
>>> keys = [doc_key(w) for w in norms]
>>> types, begins = np.array([0, 1, 3, 0, 0, 0]), np.array([False, True, True, False, False, False])
>>> t, b, c = propagate_types(norms, keys, types, begins, np.array([1, .9, .8, 1, .6, 1]), [0, 3], [3, 6])
>>> t.tolist(), b.tolist()[4], c.tolist()
([0, 1, 3, 0, 1, 0], True, [1.0, 0.9, 0.8, 1.0, 0.9, 1.0])
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from marsad.arabic import clitic_splits, normalize
from marsad.extract.bio import TYPES


@lru_cache(maxsize=100_000)
def doc_key(word: str) -> str | None:
    """The form under which the occurrences of a word in a document are pooled: its shortest clitic-stripped
    stem, the same with and without a conjunction (None for punctuation, numbers and one-letter forms).

    >>> doc_key("وأوغلو") == doc_key("أوغلو"), doc_key("،"), doc_key("2015")
    (True, None, None)
    """
    n = normalize(word)
    if not any(c.isalnum() for c in n) or any(c.isdigit() for c in n):
        return None
    stems = [stem for _, stem in clitic_splits(n)]
    stem = stems[-1] if stems else n
    return stem if len(stem) > 1 else None


def entity_spans(types: np.ndarray, begins: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, end, type) of the entities of a tag sequence: each B- with the I-s after it."""
    opens = np.flatnonzero(begins)
    if not len(opens):
        return []
    stops = np.append(np.flatnonzero((types == 0) | begins), len(types))  # where no entity goes on
    ends = stops[np.searchsorted(stops, opens, side="right")]
    return list(zip(opens.tolist(), ends.tolist(), types[opens].tolist()))


class _Document:
    """A document's sentences as positions: which sentence each token is in, and the tokens around one."""

    def __init__(self, starts: Sequence[int], ends: Sequence[int], window: int | None):
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        self.window = window

    def sentence(self, i: int) -> int:
        return int(np.searchsorted(self.ends, i, side="right"))

    def near(self, a: int, b: int) -> bool:
        """Whether sentences a and b pool together."""
        return self.window is None or abs(a - b) <= self.window

    def around(self, i: int) -> tuple[int, int]:
        """The token range pooled with the token at i."""
        if self.window is None:
            return 0, int(self.ends[-1])
        s = self.sentence(i)
        return (int(self.starts[max(0, s - self.window)]),
                int(self.ends[min(len(self.ends) - 1, s + self.window)]))


def _phrases(norms: Sequence[str], types: np.ndarray, begins: np.ndarray, conf: np.ndarray,
             doc: _Document) -> None:
    """Step 1, in place: multi-word entities copied onto their untagged occurrences, longest phrase first."""
    sources: dict[tuple, list[tuple[int, float]]] = {}
    for a, b, t in entity_spans(types, begins):
        if b - a > 1:
            sources.setdefault((tuple(norms[a:b]), t), []).append((doc.sentence(a), float(conf[a:b].min())))
    if not sources:
        return
    order = sorted(sources, key=lambda p: (-len(p[0]), p[0], TYPES[p[1] - 1]))
    firsts: dict[str, list[int]] = {}
    for words, _ in order:
        firsts.setdefault(words[0], [])
    for i, w in enumerate(norms):
        if w in firsts:
            firsts[w].append(i)
    for words, t in order:
        size = len(words)
        for i in firsts[words[0]]:
            s = doc.sentence(i)
            if i + size > doc.ends[s] or types[i:i + size].any() or tuple(norms[i:i + size]) != words:
                continue
            near = [c for src, c in sources[words, t] if doc.near(src, s)]
            if near:
                types[i:i + size] = t
                begins[i:i + size] = False
                begins[i] = True
                conf[i:i + size] = max(near)


def _single_words(keys: Sequence[str | None], types: np.ndarray, begins: np.ndarray, conf: np.ndarray,
                  doc: _Document) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 2: untagged words whose key is mostly a one-word entity around them (the new tags)."""
    ones: dict[str, list[tuple[int, int, float]]] = {}  # key -> (position, type, confidence)
    for a, b, t in entity_spans(types, begins):
        if b - a == 1 and keys[a] is not None:
            ones.setdefault(keys[a], []).append((a, t, float(conf[a])))
    new_types, new_begins, new_conf = types.copy(), begins.copy(), conf.copy()
    if not ones:
        return new_types, new_begins, new_conf
    untagged = [i for i in np.flatnonzero(types == 0).tolist() if keys[i] in ones]
    verdicts: dict[tuple, tuple[int, float] | None] = {}  # (key, pooled range) -> (type, confidence)
    for i in untagged:
        pool = (keys[i], *doc.around(i))
        if pool not in verdicts:
            verdicts[pool] = _verdict(pool, ones[keys[i]], untagged, keys)
        if verdicts[pool] is not None:
            new_types[i], new_begins[i] = verdicts[pool][0], True
            new_conf[i] = verdicts[pool][1]
    return new_types, new_begins, new_conf


def _verdict(pool: tuple, ones: list[tuple[int, int, float]], untagged: list[int], keys: Sequence[str | None]
             ) -> tuple[int, float] | None:
    """The type (and best confidence) an untagged word takes from the one-word entities of its key in a pooled
    range, if they are at least as many as its untagged occurrences there, less one."""
    key, lo, hi = pool
    outside = sum(1 for j in untagged if lo <= j < hi and keys[j] == key)
    counts: dict[int, int] = {}
    best: dict[int, float] = {}
    for pos, t, c in ones:
        if lo <= pos < hi:
            counts[t] = counts.get(t, 0) + 1
            best[t] = max(best.get(t, 0.0), c)
    if not counts:
        return None
    top = min(counts, key=lambda t: (-counts[t], TYPES[t - 1]))
    return (top, best[top]) if counts[top] >= outside - 1 else None


def propagate_types(norms: Sequence[str], keys: Sequence[str | None], types: np.ndarray, begins: np.ndarray,
                    conf: np.ndarray, starts: Sequence[int], ends: Sequence[int], window: int | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The two steps of the module docstring over a document: each token's normalized form and `doc_key`, its
    tag (``types``, ``begins``) and confidence, and the sentences' token ranges; ``window``: pool only the
    sentences within that many of each one (corpora without article boundaries). Returns new arrays."""
    if not begins.any():
        return types, begins, conf
    doc = _Document(starts, ends, window)
    types, begins, conf = types.copy(), begins.copy(), np.asarray(conf, dtype=np.float64).copy()
    _phrases(norms, types, begins, conf, doc)
    return _single_words(keys, types, begins, conf, doc)

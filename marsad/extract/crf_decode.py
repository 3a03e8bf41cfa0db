"""Decoding the shipped linear-chain CRF from its weights, many sentences at once.

A first-order CRF scores a label sequence as the sum of its tokens' state scores (the weights of each token's
attributes for its label) plus the transition weights between neighbouring labels. Every attribute of a token
is a function of one word (its own features, or a neighbour's context features) except a few sentence-level
extras, so a word's contribution is a fixed vector per label: `marsad.extract.crf.CrfTagger` caches it per
word type and only adds the vectors up here. Viterbi and the forward-backward marginals then run over all the
sentences of an article at once, laid end to end (sentence k is rows ``starts[k]:ends[k]``), in loops that
numba compiles (cached on disk after the first run): a token costs a few dozen multiply-adds.

The weights are read from the model itself (`ChainWeights.from_model`), so the tags are the ones crfsuite's
own tagger gives (the test suite checks both agree on the ANERcorp dev split).

>>> import numpy as np
>>> w = ChainWeights(("O", "B-PER"), np.zeros((2, 2)), {"name": 0}, np.array([[0.0, 2.0], [0.0, 0.0]]))
>>> em = np.array([w.matrix[w.row_of("name")], [0.0, 0.0]])
>>> viterbi(em, w.transitions, [0, 1], [1, 2]).tolist()
[1, 0]
>>> round(float(marginals(em, w.transitions, [0, 1], [1, 2])[0, 1]), 3)
0.881
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

import numpy as np
from numba import njit


@dataclass(frozen=True, eq=False)
class ChainWeights:
    """A CRF's labels, transition matrix (from, to) and state weights: one row of ``matrix`` per attribute
    (``rows`` says which), one column per label, and a last row of zeros."""

    labels: tuple[str, ...]
    transitions: np.ndarray
    rows: Mapping[str, int]
    matrix: np.ndarray
    row_of: Callable[..., int | None] = field(init=False, repr=False)  # rows.get

    @classmethod
    def from_model(cls, tagger) -> "ChainWeights":
        """The weights of an open ``pycrfsuite.Tagger`` (attributes without a weight are left out)."""
        info = tagger.info()
        labels = tuple(tagger.labels())
        index = {lab: i for i, lab in enumerate(labels)}
        trans = np.zeros((len(labels), len(labels)))
        for (src, dst), weight in info.transitions.items():
            trans[index[src], index[dst]] = weight
        rows: dict[str, int] = {}
        for attr, _ in info.state_features:
            rows.setdefault(attr, len(rows))
        matrix = np.zeros((len(rows) + 1, len(labels)))
        for (attr, lab), weight in info.state_features.items():
            matrix[rows[attr], index[lab]] = weight
        trans.flags.writeable = matrix.flags.writeable = False
        return cls(labels, trans, rows, matrix)

    def __post_init__(self) -> None:
        rows = dict(self.rows)  # read-only to callers; its own get is several times faster than a proxy's
        object.__setattr__(self, "rows", MappingProxyType(rows))
        object.__setattr__(self, "row_of", rows.get)


class WordTable:
    """A bounded cache of per-word rows: a word's facts (a tuple: its normalized form and what else the
    tagger needs of it) and its weight vectors (5, labels), kept in one preallocated array so a document's
    vectors are one gather. ``compute`` gives both for a list of new words at once. When full it starts again
    empty (memory stays bounded; frequent words come back at once). Thread-safe."""

    def __init__(self, capacity: int, labels: int,
                 compute: Callable[[list[str]], tuple[list[tuple], np.ndarray]]):
        self.capacity = capacity
        self._compute = compute
        self._matrix = np.zeros((capacity, 5, labels))  # pages are only touched as rows are filled
        self._index: dict[str, int] = {}
        self._info: list[tuple] = []
        self._lock = threading.Lock()

    def lookup(self, words: Sequence[str]) -> tuple[np.ndarray, list[tuple]]:
        """The vectors (n, 5, labels) and the facts of each word."""
        with self._lock:
            index = self._index
            missing = list(set(words).difference(index))  # the order new rows take does not matter
            if len(missing) > self.capacity:  # one text with more distinct words than the table holds
                facts, vecs = self._compute(missing)
                at = {w: i for i, w in enumerate(missing)}
                return vecs[[at[w] for w in words]], [facts[at[w]] for w in words]
            if len(index) + len(missing) > self.capacity:
                index.clear()
                self._info.clear()
                missing = list(set(words))
            if missing:
                facts, vecs = self._compute(missing)
                first = len(self._info)
                self._matrix[first:first + len(missing)] = vecs
                self._info.extend(facts)
                index.update(zip(missing, range(first, first + len(missing))))
            rows = list(map(index.__getitem__, words))
            return self._matrix[rows], list(map(self._info.__getitem__, rows))


def _pair(text: str) -> tuple[str, str]:
    """The two tokens of a pair feature's value ``a|b``: a token is a word without "|" or one punctuation mark,
    so "|" itself can only be a whole token (``||b``, ``a||``)."""
    if text.startswith("||"):
        return "|", text[2:]
    a, _, b = text.partition("|")
    return a, b


class PairRows:
    """The weight rows of one kind of neighbour-pair feature, ``NAME-=a|b`` (a right before b) and ``NAME+=a|b``
    (b right after a; `marsad.extract.ner_features.Featurizer.pair_columns`), as sorted integer keys over a
    vocabulary of the tokens they name: a document's pairs are then looked up in a few array operations
    instead of one new string and one dictionary lookup per word.

    >>> pairs = PairRows({"bg-=<s>|قال": 0, "bg+=قال|ان": 1, "w=قال": 2}, "bg", zero=3)
    >>> before, after = pairs.rows(["قال", "ان", "قال"], np.array([0]), np.array([2]))
    >>> before.tolist(), after.tolist()
    ([0, 3, 3], [1, 3, 3])
    """

    def __init__(self, rows: Mapping[str, int], name: str, zero: int):
        self.zero = zero
        self._vocab: dict[str, int] = {"<s>": 0, "</s>": 1}
        sides: dict[str, list[tuple[int, int, int]]] = {"-": [], "+": []}
        for feature, row in rows.items():
            side = feature[len(name):len(name) + 2]
            if feature.startswith(name) and side in ("-=", "+="):
                a, b = (self._vocab.setdefault(t, len(self._vocab)) for t in _pair(feature[len(name) + 2:]))
                sides[side[0]].append((a, b, row))
        size = self._size = len(self._vocab)
        self._tables = {}
        for side, found in sides.items():
            found.sort()
            self._tables[side] = (np.array([a * size + b for a, b, _ in found], dtype=np.int64),
                                  np.array([r for _, _, r in found], dtype=np.int64))

    def _find(self, side: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        keys, rows = self._tables[side]
        if not len(keys):
            return np.full(len(a), self.zero, dtype=np.int64)
        key = a * self._size + b
        at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
        return np.where((a >= 0) & (b >= 0) & (keys[at] == key), rows[at], self.zero)

    def rows(self, seq: Sequence[str], starts: np.ndarray, lasts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each token of ``seq`` (sentences end to end: the first and last token of each at ``starts``
        and ``lasts``), the row of its pair with the token before it and of its pair with the token after it
        (``zero`` when the model has no such feature)."""
        ids = np.fromiter(map(self._vocab.get, seq, itertools.repeat(-1)), dtype=np.int64, count=len(seq))
        left, right = np.roll(ids, 1), np.roll(ids, -1)
        left[starts], right[lasts] = self._vocab["<s>"], self._vocab["</s>"]
        return self._find("-", left, ids), self._find("+", ids, right)


@njit(cache=True, nogil=True)
def _with_context(vecs: np.ndarray, starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    n, _, size = vecs.shape
    em = np.empty((n, size))
    for s in range(starts.shape[0]):
        a, b = starts[s], ends[s]
        for t in range(a, b):
            for j in range(size):
                em[t, j] = vecs[t, 0, j]
            for k in range(offsets.shape[0]):
                u = t + offsets[k]
                if a <= u < b:
                    for j in range(size):
                        em[t, j] += vecs[u, k + 1, j]
    return em


def with_context(vecs: np.ndarray, starts: np.ndarray, ends: np.ndarray, offsets: Sequence[int]) -> np.ndarray:
    """The state scores (n, L) of consecutive sentences' words from their vectors (n, 1 + K, L): a word's own
    (``vecs[:, 0]``) plus, for each offset k, what the word at that offset within the same sentence adds
    (``vecs[:, 1 + k]``).

    >>> v = np.zeros((3, 2, 1)); v[:, 0, 0] = 1.0; v[:, 1, 0] = [10.0, 20.0, 30.0]
    >>> with_context(v, np.array([0, 2]), np.array([2, 3]), [-1]).ravel().tolist()
    [1.0, 11.0, 1.0]
    """
    return _with_context(np.ascontiguousarray(vecs, dtype=np.float64), np.asarray(starts, dtype=np.int64),
                         np.asarray(ends, dtype=np.int64), np.asarray(offsets, dtype=np.int64))


@njit(cache=True, nogil=True)
def _viterbi(em: np.ndarray, trans: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    n, size = em.shape
    path = np.zeros(n, dtype=np.int64)
    back = np.zeros((n, size), dtype=np.int64)
    delta = np.empty(size)
    step = np.empty(size)
    for s in range(starts.shape[0]):
        a, b = starts[s], ends[s]
        if a >= b:
            continue
        delta[:] = em[a]
        for t in range(a + 1, b):
            for j in range(size):
                best, arg = delta[0] + trans[0, j], 0
                for i in range(1, size):
                    v = delta[i] + trans[i, j]
                    if v > best:  # the first best, as numpy's argmax
                        best, arg = v, i
                step[j] = best + em[t, j]
                back[t, j] = arg
            delta[:] = step
        arg = 0
        for j in range(1, size):
            if delta[j] > delta[arg]:
                arg = j
        path[b - 1] = arg
        for t in range(b - 1, a, -1):
            arg = back[t, arg]
            path[t - 1] = arg
    return path


@njit(cache=True, nogil=True)
def _marginals(em: np.ndarray, expt: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    n, size = em.shape
    expe = np.empty((n, size))
    for t in range(n):
        top = em[t].max()  # a constant per position cancels out
        for j in range(size):
            expe[t, j] = np.exp(em[t, j] - top)
    alpha = np.empty((n, size))
    beta = np.empty((n, size))
    for s in range(starts.shape[0]):
        a, b = starts[s], ends[s]
        if a >= b:
            continue
        alpha[a] = expe[a] / expe[a].sum()
        for t in range(a + 1, b):
            for j in range(size):
                acc = 0.0
                for i in range(size):
                    acc += alpha[t - 1, i] * expt[i, j]
                alpha[t, j] = acc * expe[t, j]
            alpha[t] /= alpha[t].sum()
        beta[b - 1] = 1.0
        for t in range(b - 2, a - 1, -1):
            for i in range(size):
                acc = 0.0
                for j in range(size):
                    acc += beta[t + 1, j] * expe[t + 1, j] * expt[i, j]
                beta[t, i] = acc
            beta[t] /= beta[t].sum()
    prob = alpha * beta
    for t in range(n):
        prob[t] /= max(prob[t].sum(), 1e-300)
    return prob


def viterbi(emissions: np.ndarray, transitions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The best label index of every token: ``emissions`` (n, L) are the state scores of consecutive
    sentences, sentence k being rows ``starts[k]:ends[k]``."""
    return _viterbi(np.ascontiguousarray(emissions, dtype=np.float64), transitions,
                    np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))


def marginals(emissions: np.ndarray, transitions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Each token's probability of each label (n, L), by scaled forward-backward within each sentence."""
    return _marginals(np.ascontiguousarray(emissions, dtype=np.float64), np.exp(transitions),
                      np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))

"""Decoding the shipped linear-chain CRF from its weights, many sentences at once.

A first-order CRF scores a label sequence as the sum of its tokens' state scores (the weights of each token's
attributes for its label) plus the transition weights between neighbouring labels. Every attribute of a token
is a function of one word (its own features, or a neighbour's context features) except a few sentence-level
extras, so a word's contribution is a fixed vector per label: `marsad.extract.crf.CrfTagger` caches it per
word type and only adds the vectors up here. Viterbi and the forward-backward marginals then run over all the
sentences of an article together, one numpy step per token position: a sentence costs what its length costs,
not what its feature strings cost.

The weights are read from the model itself (`ChainWeights.from_model`), so the tags are the ones crfsuite's
own tagger gives (the test suite checks both agree on the ANERcorp dev split).

>>> import numpy as np
>>> w = ChainWeights(("O", "B-PER"), np.zeros((2, 2)), {"name": 0}, np.array([[0.0, 2.0], [0.0, 0.0]]))
>>> em = [w.vectors([["name", "unknown"]]), np.zeros((1, 2))]
>>> [p.tolist() for p in viterbi(em, w.transitions)]
[[1], [0]]
>>> round(float(marginals(em, w.transitions)[0][0, 1]), 3)
0.881
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np


@dataclass(frozen=True, eq=False)
class ChainWeights:
    """A CRF's labels, transition matrix (from, to) and state weights: one row of ``matrix`` per attribute
    (``rows`` says which), one column per label, and a last row of zeros."""

    labels: tuple[str, ...]
    transitions: np.ndarray
    rows: Mapping[str, int]
    matrix: np.ndarray

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
        return cls(labels, trans, MappingProxyType(rows), matrix)

    def vectors(self, groups: Sequence[Iterable[str]]) -> np.ndarray:
        """The summed weights of each group of attributes: (len(groups), labels); unknown attributes weigh 0."""
        get = self.rows.get
        zero = len(self.matrix) - 1
        rows: list[int] = []
        starts = []
        for group in groups:
            starts.append(len(rows))
            rows.extend([r for f in group if (r := get(f)) is not None])
            rows.append(zero)  # no group is empty for reduceat
        return np.add.reduceat(self.matrix[rows], starts, axis=0)


class WordTable:
    """A bounded cache of per-word rows: a word's strings (normalized form, bigram cluster) and its weight
    vectors (5, labels), kept in one preallocated array so a sentence's vectors are one gather. When full it
    starts again empty (memory stays bounded; frequent words come back at once). Thread-safe."""

    def __init__(self, capacity: int, labels: int, compute: Callable[[str], tuple[str, str, np.ndarray]]):
        self.capacity = capacity
        self._compute = compute
        self._matrix = np.zeros((capacity, 5, labels))  # pages are only touched as rows are filled
        self._index: dict[str, int] = {}
        self._info: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def lookup(self, words: Sequence[str]) -> tuple[np.ndarray, list[tuple[str, str]]]:
        """The vectors (n, 5, labels) and the (normalized form, bigram cluster) of each word."""
        with self._lock:
            index = self._index
            missing = [w for w in dict.fromkeys(words) if w not in index]
            if len(missing) > self.capacity:  # one text with more distinct words than the table holds
                computed = {w: self._compute(w) for w in missing}
                return (np.stack([computed[w][2] for w in words]),
                        [(computed[w][0], computed[w][1]) for w in words])
            if len(index) + len(missing) > self.capacity:
                index.clear()
                self._info.clear()
                missing = list(dict.fromkeys(words))
            for w in missing:
                norm, bigram, vecs = self._compute(w)
                row = len(self._info)
                self._matrix[row] = vecs
                self._info.append((norm, bigram))
                index[w] = row
            rows = [index[w] for w in words]
            info = self._info
            return self._matrix[rows], [info[r] for r in rows]


def _batch(emissions: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentences (n_i, L) -> longest first, padded into (S, T, L), with the order and the lengths."""
    order = np.argsort([-len(e) for e in emissions], kind="stable")
    lengths = np.array([len(emissions[i]) for i in order])
    batch = np.zeros((len(emissions), int(lengths[0]) if len(lengths) else 0, emissions[0].shape[1]
                      if emissions else 0))
    for row, i in enumerate(order):
        batch[row, :lengths[row]] = emissions[i]
    return batch, order, lengths


def _active(lengths: np.ndarray) -> np.ndarray:
    """How many sentences (longest first) are still running at each position."""
    return np.searchsorted(-lengths, -np.arange(int(lengths[0]) if len(lengths) else 0), side="right")


def viterbi(emissions: Sequence[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """The best label index sequence of each sentence, given its (n, L) state scores."""
    if not emissions:
        return []
    batch, order, lengths = _batch(emissions)
    active = _active(lengths)
    steps = batch.shape[1]
    back = np.zeros(batch.shape[:2] + (batch.shape[2],), dtype=np.intp)
    delta = batch[:, 0].copy()
    for t in range(1, steps):
        k = active[t]
        cand = delta[:k, :, None] + transitions
        back[:k, t] = cand.argmax(axis=1)
        delta[:k] = cand.max(axis=1) + batch[:k, t]
    out: list[np.ndarray] = [np.empty(0, dtype=np.intp)] * len(emissions)
    last = delta.argmax(axis=1).tolist()
    for row, i in enumerate(order):
        n = int(lengths[row])
        pointers = back[row, :n].tolist()
        path = [0] * n
        path[n - 1] = label = last[row]
        for t in range(n - 1, 0, -1):
            path[t - 1] = label = pointers[t][label]
        out[i] = np.array(path, dtype=np.intp)
    return out


def marginals(emissions: Sequence[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """Each token's probability of each label (n, L), by scaled forward-backward."""
    if not emissions:
        return []
    batch, order, lengths = _batch(emissions)
    active = _active(lengths)
    steps = batch.shape[1]
    expt = np.exp(transitions)
    expe = np.exp(batch - batch.max(axis=2, keepdims=True))  # a constant per position cancels out
    alpha = np.zeros_like(expe)
    alpha[:, 0] = expe[:, 0] / expe[:, 0].sum(axis=1, keepdims=True)
    for t in range(1, steps):
        k = active[t]
        a = (alpha[:k, t - 1] @ expt) * expe[:k, t]
        alpha[:k, t] = a / a.sum(axis=1, keepdims=True)
    beta = np.ones_like(expe)
    for t in range(steps - 2, -1, -1):
        k = active[t + 1]  # sentences that go on past t
        b = (beta[:k, t + 1] * expe[:k, t + 1]) @ expt.T
        beta[:k, t] = b / b.sum(axis=1, keepdims=True)
    prob = alpha * beta
    prob /= np.maximum(prob.sum(axis=2, keepdims=True), np.finfo(float).tiny)
    out: list[np.ndarray] = [np.empty((0, batch.shape[2]))] * len(emissions)
    for row, i in enumerate(order):
        out[i] = prob[row, :lengths[row]]
    return out

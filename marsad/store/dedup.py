"""Near-duplicate detection: MinHash signatures of normalized word 3-grams, and an LSH index over them.

The same story reprinted by several outlets, trivially edited (a paragraph split differently, a source line
added), lands in one group; two different stories do not. Signatures are plain ``uint32`` arrays so that a
backend can persist them as blobs and rebuild the in-memory LSH index lazily, without re-reading any text.

>>> idx = NearDupIndex()
>>> a = idx.signature("طالب الرئيس اليمني المليشيات الحوثية باحترام الهدنة الإنسانية التي جرى سريانها "
...                   "منتصف الليلة الماضية ودعا المبعوث الأممي إلى زيارة محافظة عدن بعد تحريرها")
>>> b = idx.signature("طالب الرئيس اليمني المليشيات الحوثية باحترام الهدنة الانسانية التي جرى سريانها "
...                   "منتصف الليلة الماضية. ودعا المبعوث الأممي إلى زيارة محافظة عدن بعد تحريرها.")
>>> idx.add("a", a)
>>> idx.matches(b)
['a']
>>> idx.signature("قصيرة جدا") is None
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from marsad.store.search import words as _words

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 3
MIN_SHINGLES = 8  # texts shorter than ~10 words are too short to call anything a near-duplicate of them
SCHEME = "affine32"
DTYPE = np.uint32


@dataclass(frozen=True)
class Params:
    """What signatures were made with; a store keeps them so old and new signatures stay comparable."""

    num_perm: int = NUM_PERM
    threshold: float = THRESHOLD
    shingle: int = SHINGLE
    scheme: str = SCHEME


class _Sketch:
    """The two things `MinHashLSH` reads from a MinHash, without rebuilding a full MinHash per row."""

    __slots__ = ("hashvalues",)

    def __init__(self, hashvalues: np.ndarray):
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)


def shingles(text: str | list[str], n: int = SHINGLE) -> list[bytes]:
    """Normalized word n-grams of ``text`` (or of its normalized words), as the bytes MinHash hashes."""
    norms = [t.norm for t in _words(text)] if isinstance(text, str) else text
    return [" ".join(norms[i:i + n]).encode("utf-8") for i in range(len(norms) - n + 1)]


def to_blob(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype=DTYPE).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=DTYPE)


class NearDupIndex:
    """An in-memory LSH index of signatures keyed by article id, filled lazily from a loader."""

    def __init__(self, params: Params | None = None):
        self.params = params or Params()
        self._lsh: MinHashLSH | None = None
        self._sigs: dict[str, np.ndarray] = {}
        self._template = MinHash(num_perm=self.params.num_perm, scheme=self.params.scheme)

    @property
    def loaded(self) -> bool:
        return self._lsh is not None

    def load(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """(Re)build the index from persisted ``(id, signature blob)`` rows."""
        self._lsh = MinHashLSH(threshold=self.params.threshold, num_perm=self.params.num_perm)
        self._sigs = {}
        for key, blob in rows:
            sig = from_blob(blob)
            if len(sig) == self.params.num_perm:
                self._insert(key, sig)

    def _ensure(self) -> MinHashLSH:
        if self._lsh is None:
            self.load(())
        return self._lsh  # type: ignore[return-value]

    def signature(self, text: str | list[str]) -> np.ndarray | None:
        """The MinHash signature of ``text`` (or of its normalized words), or None when it is too short."""
        sh = set(shingles(text, self.params.shingle))
        if len(sh) < MIN_SHINGLES:
            return None
        m = MinHash(num_perm=self.params.num_perm, scheme=self.params.scheme,
                    permutations=self._template.permutations)
        m.update_batch(list(sh))
        return np.asarray(m.hashvalues, dtype=DTYPE)

    def matches(self, sig: np.ndarray) -> list[str]:
        """Keys whose estimated Jaccard similarity with ``sig`` reaches the threshold, most similar first."""
        lsh = self._ensure()
        found = []
        for key in lsh.query(_Sketch(sig)):
            sim = float(np.mean(self._sigs[key] == sig))
            if sim >= self.params.threshold:
                found.append((-sim, key))
        return [k for _, k in sorted(found)]

    def add(self, key: str, sig: np.ndarray) -> None:
        self._ensure()
        if key in self._sigs:
            self.remove(key)
        self._insert(key, sig)

    def _insert(self, key: str, sig: np.ndarray) -> None:
        self._lsh.insert(key, _Sketch(sig), check_duplication=False)  # type: ignore[union-attr]
        self._sigs[key] = sig

    def remove(self, key: str) -> None:
        if self._lsh is not None and key in self._sigs:
            self._lsh.remove(key)
            del self._sigs[key]

    def forget(self) -> None:
        """Drop the in-memory index; the next use rebuilds it from the loader (after a rollback)."""
        self._lsh = None
        self._sigs = {}

    def __len__(self) -> int:
        return len(self._sigs)

"""Near-duplicate detection: MinHash signatures of normalized word 3-grams, and LSH band keys over them.

The same story reprinted by several outlets, trivially edited (a paragraph split differently, a source line
added), lands in one group; two different stories do not. A signature is a plain ``uint32`` array, persisted
as a blob. The LSH index lives in the database, not in memory: each signature is cut into `Layout.bands`
bands of `Layout.rows` values, each band hashed to a 64-bit key (`band_keys`) stored in an indexed table, and
the candidates of a new article are the stored articles sharing a key with it, kept when their estimated
Jaccard similarity reaches the threshold (`best_first`). This is the band layout and the candidate test of
`datasketch.MinHashLSH`, so the groups are the ones its in-memory index gave, and memory stays flat in the
corpus size.

>>> signer = Signer()
>>> a = signer.signature("طالب الرئيس اليمني المليشيات الحوثية باحترام الهدنة الإنسانية التي جرى سريانها "
...                      "منتصف الليلة الماضية ودعا المبعوث الأممي إلى زيارة محافظة عدن بعد تحريرها")
>>> b = signer.signature("طالب الرئيس اليمني المليشيات الحوثية باحترام الهدنة الانسانية التي جرى سريانها "
...                      "منتصف الليلة الماضية. ودعا المبعوث الأممي إلى زيارة محافظة عدن بعد تحريرها.")
>>> layout = Layout(bands=14, rows=9)
>>> bool(set(band_keys(a, layout)) & set(band_keys(b, layout)))
True
>>> best_first(b, [("a", a)], Params())
['a']
>>> signer.signature("قصيرة جدا") is None
True
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from datasketch import MinHash

from marsad.store.search import words as _words

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 3
MIN_SHINGLES = 8  # texts shorter than ~10 words are too short to call anything a near-duplicate of them
SCHEME = "affine32"
DTYPE = np.uint32
LAYOUT_KEY = "lsh_layout"  # the meta row recording the band layout the band table was filled with


@dataclass(frozen=True)
class Params:
    """What signatures were made with; a store keeps them so old and new signatures stay comparable."""

    num_perm: int = NUM_PERM
    threshold: float = THRESHOLD
    shingle: int = SHINGLE
    scheme: str = SCHEME


@dataclass(frozen=True)
class Layout:
    """How a signature is cut into LSH bands: ``bands`` bands of ``rows`` values (the first bands * rows)."""

    bands: int
    rows: int


def layout(params: Params) -> Layout:
    """The band layout `datasketch.MinHashLSH` picks for ``params`` (minimizing false positives and negatives
    at the threshold). Takes about a second: a store computes it once and records it (`LAYOUT_KEY`)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm)
    return Layout(bands=lsh.b, rows=lsh.r)


def shingles(text: str | list[str], n: int = SHINGLE) -> list[bytes]:
    """Normalized word n-grams of ``text`` (or of its normalized words), as the bytes MinHash hashes."""
    norms = [t.norm for t in _words(text)] if isinstance(text, str) else text
    return [" ".join(norms[i:i + n]).encode("utf-8") for i in range(len(norms) - n + 1)]


class Signer:
    """Makes MinHash signatures; holds the permutations (drawn once, immutable afterwards)."""

    def __init__(self, params: Params | None = None):
        self.params = params or Params()
        self._template = MinHash(num_perm=self.params.num_perm, scheme=self.params.scheme)

    def signature(self, text: str | list[str]) -> bytes | None:
        """The signature of ``text`` (or of its normalized words) as a blob, or None when it is too short."""
        sh = set(shingles(text, self.params.shingle))
        if len(sh) < MIN_SHINGLES:
            return None
        m = MinHash(num_perm=self.params.num_perm, scheme=self.params.scheme,
                    permutations=self._template.permutations)
        m.update_batch(list(sh))
        return np.asarray(m.hashvalues, dtype=DTYPE).tobytes()


def band_keys(signature: bytes, lay: Layout) -> list[int]:
    """The LSH keys of a signature blob, one per band: the band's index and values hashed to a signed 64-bit
    integer (equal bands give equal keys; a collision of unequal ones only adds a candidate, which
    `best_first` then checks)."""
    width = 4 * lay.rows
    return [int.from_bytes(hashlib.blake2b(bytes((i,)) + signature[i * width:(i + 1) * width],
                                           digest_size=8).digest(), "big", signed=True)
            for i in range(lay.bands)]


def best_first(signature: bytes, candidates: Iterable[tuple[str, bytes]], params: Params) -> list[str]:
    """The keys of ``candidates`` whose estimated Jaccard similarity with ``signature`` reaches the
    threshold, most similar first (ties by key); signatures of another length are ignored."""
    sig = np.frombuffer(signature, dtype=DTYPE)
    found = []
    for key, blob in dict(candidates).items():
        other = np.frombuffer(blob, dtype=DTYPE)
        if len(other) != params.num_perm or len(sig) != params.num_perm:
            continue
        sim = float(np.mean(other == sig))
        if sim >= params.threshold:
            found.append((-sim, key))
    return [k for _, k in sorted(found)]

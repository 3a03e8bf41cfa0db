"""Document label propagation: a name the tagger found once in an article is a name where it missed it.

After the sentences of an article are tagged, two steps (Mikheev-style, as in many NER systems that tag a
document at once):

1. phrases: where the normalized words of a multi-word entity tagged elsewhere in the document occur with
   every word tagged O, they get that entity's tags (longer phrases first);
2. single words: a word tagged O whose key (its clitic-stripped stem, `doc_key`) is a one-word entity of type
   T elsewhere in the document becomes B-T when the document has it as T at least as often as O, less one.

A propagated word gets the best confidence of the entities it was copied from (an entity's confidence: its
least confident word). On the ANERcorp dev split this is worth about two points of F1, mostly recall.

>>> words = [["زار", "بوتين", "دمشق"], ["وقال", "بوتين", "إن"]]
>>> propagate_types(words, [["O", "B-PER", "B-LOC"], ["O", "O", "O"]], [[1.0, 0.9, 0.8], [1.0, 0.6, 1.0]])
([['O', 'B-PER', 'B-LOC'], ['O', 'B-PER', 'O']], [[1.0, 0.9, 0.8], [1.0, 0.9, 1.0]])
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from marsad.arabic import clitic_splits, normalize, normalize_word
from marsad.extract.bio import spans


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


def _around(s: int, n: int, window: int | None) -> range:
    return range(0, n) if window is None else range(max(0, s - window), min(n, s + window + 1))


def _entities(tags: Sequence[Sequence[str]], conf: Sequence[Sequence[float]]) -> list[list[tuple]]:
    """Per sentence: (start, end, type, confidence) of its tagged entities."""
    return [[(a, b, t, min(conf[j][a:b])) for a, b, t in sorted(spans(sent))] if any(x != "O" for x in sent)
            else [] for j, sent in enumerate(tags)]


def _phrases(ents: list[list[tuple]], norms: list[list[str]], sents: range) -> list:
    """The multi-word entities of some sentences: ((words, type), best confidence), longest first."""
    phrases: dict = {}
    for j in sents:
        for a, b, t, c in ents[j]:
            if b - a > 1:
                key = (tuple(norms[j][a:b]), t)
                phrases[key] = max(phrases.get(key, 0.0), c)
    return sorted(phrases.items(), key=lambda p: (-len(p[0][0]), p[0]))


def _word_counts(ents: list[list[tuple]], keys: list[list[str | None]], tags: Sequence[Sequence[str]],
                 sents: range) -> tuple[dict, dict]:
    """How often each key is a one-word entity of each type (or O) in some sentences, and its best confidence
    as each type."""
    counts: dict = {}
    best: dict = {}
    for j in sents:
        for a, b, t, c in ents[j]:
            if b - a == 1 and keys[j][a] is not None:
                cnt = counts.setdefault(keys[j][a], {})
                cnt[t] = cnt.get(t, 0) + 1
                best[keys[j][a], t] = max(best.get((keys[j][a], t), 0.0), c)
        for k, x in zip(keys[j], tags[j]):
            if x == "O" and k is not None:
                cnt = counts.setdefault(k, {})
                cnt["O"] = cnt.get("O", 0) + 1
    return counts, best


def propagate_types(words: Sequence[Sequence[str]], tags: Sequence[Sequence[str]],
                    probs: Sequence[Sequence[float]], window: int | None = None
                    ) -> tuple[list[list[str]], list[list[float]]]:
    """The two steps of the module docstring over a document's sentences (words, BIO tags and each word's
    confidence); ``window``: pool only the sentences within that many of each one (corpora without article
    boundaries). Returns the new tags and confidences."""
    n = len(words)
    conf = [list(p) for p in probs]
    ents = _entities(tags, conf)
    if not any(ents):
        return [list(t) for t in tags], conf
    norms = [list(map(normalize_word, s)) for s in words]
    keys = [list(map(doc_key, s)) for s in words]
    whole = _phrases(ents, norms, range(n)) if window is None else None
    step1 = []
    for s in range(n):
        new = list(tags[s])
        present = set(norms[s])
        for (phrase, typ), c in (whole if whole is not None else _phrases(ents, norms, _around(s, n, window))):
            if phrase[0] not in present:
                continue
            size = len(phrase)
            for i in range(len(new) - size + 1):
                if tuple(norms[s][i:i + size]) == phrase and all(x == "O" for x in new[i:i + size]):
                    new[i:i + size] = ["B-" + typ] + ["I-" + typ] * (size - 1)
                    conf[s][i:i + size] = [c] * size
        step1.append(new)
    ents = _entities(step1, conf)
    pooled = _word_counts(ents, keys, step1, range(n)) if window is None else None
    out = []
    for s in range(n):
        counts, best = pooled if pooled is not None else _word_counts(ents, keys, step1, _around(s, n, window))
        new = list(step1[s])
        for i, k in enumerate(keys[s]):
            if new[i] != "O" or k is None or k not in counts:
                continue
            cnt = counts[k]
            types = sorted((t for t in cnt if t != "O"), key=lambda t: (-cnt[t], t))
            if types and cnt[types[0]] >= cnt.get("O", 0) - 1:
                new[i] = "B-" + types[0]
                conf[s][i] = best[k, types[0]]
        out.append(new)
    return out, conf

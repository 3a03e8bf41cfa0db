"""Tagging CoNLL files (``token [TAG]`` a line, a blank line between sentences) with marsad's recognizer, so
that it can be compared with published results on ANERcorp.

Two recognizers: ``crf``, the statistical tagger alone, and ``full``, the entities stage's recognition
(knowledge base, tagger and the merge rule) run on the sentence's text, its spans projected back onto the
tokens (a token that a name overlaps takes the name's tag, B- on the first).
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from marsad.extract.bio import conll_f1, read_conll
from marsad.extract.entities import EntityResources, recognize

RECOGNIZERS = ("full", "crf")
WINDOW = 8  # sentences on each side pooled by the label propagation of a file without article boundaries


def tag_sentence(words: list[str], res: EntityResources, recognizer: str = "full") -> list[str]:
    """BIO tags (PER, ORG, LOC) for one sentence given as tokens."""
    if recognizer == "crf":
        return res.tagger.tag(words)
    offsets, pos = [], 0
    for w in words:
        offsets.append((pos, pos + len(w)))
        pos += len(w) + 1
    text = " ".join(words)
    tags = ["O"] * len(words)
    for cand in recognize(text, res):
        inside = [i for i, (s, e) in enumerate(offsets) if s < cand.end and cand.start < e]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + cand.type
    return tags


def tag_file(path: str | Path, res: EntityResources, recognizer: str = "full", window: int | None = WINDOW
             ) -> Iterator[tuple[list[tuple[str, str]], list[str]]]:
    """Each sentence of the file as (token, gold tag) pairs with the predicted tags. The tagger alone tags the
    file as a document (its label propagation pools the ``window`` sentences around each: a CoNLL file has no
    article boundaries; None pools the whole file)."""
    if recognizer != "crf":
        for sent in read_conll(path):
            yield sent, tag_sentence([w for w, _ in sent], res, recognizer)
        return
    sents = list(read_conll(path))
    tagged = res.tagger.tag_document([[w for w, _ in s] for s in sents], window=window)
    for sent, tags in zip(sents, tagged):
        yield sent, [t for t, _ in tags]


def score(pairs: list[tuple[list[tuple[str, str]], list[str]]]) -> dict:
    """Entity-level precision, recall and F1 (conlleval style) of predicted against gold tags."""
    return conll_f1([s for s, _ in pairs], [p for _, p in pairs])

"""BIO tag sequences: the public tags, entity spans, conlleval-style scoring, and CoNLL files.

>>> sorted(spans(["B-PER", "I-PER", "O", "B-LOC"]))
[(0, 2, 'PER'), (3, 4, 'LOC')]
>>> conll_f1([[("a", "B-PER")]], [["B-PER"]])["micro"]["f1"]
1.0
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Sequence

TYPES = ("PER", "ORG", "LOC")
_TYPE_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


def output_tags(labels: Sequence[str]) -> list[str]:
    """Model labels -> public tags: PERS->PER, MISC->O, and an I- that starts an entity becomes B-."""
    out = []
    prev = "O"
    for lab in labels:
        if lab == "O":
            out.append(prev := "O")
            continue
        pre, _, typ = lab.partition("-")
        typ = _TYPE_MAP.get(typ, typ)
        if typ not in TYPES:
            tag = "O"
        elif pre == "I" and prev[2:] != typ:
            tag = "B-" + typ
        else:
            tag = pre + "-" + typ
        out.append(tag)
        prev = tag
    return out


def read_conll(path: str | Path) -> Iterator[list[tuple[str, str]]]:
    """Sentences of (token, tag) from `token TAG` lines, a blank line between sentences (tag O if absent)."""
    sent: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                    sent = []
                continue
            sent.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if sent:
        yield sent


def spans(tags: Sequence[str], types: Iterable[str] = TYPES) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) of a BIO sequence, conlleval-style (an I- after another type starts one)."""
    keep = set(types)
    out = set()
    start, cur = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        pre, _, typ = tag.partition("-")
        typ = _TYPE_MAP.get(typ, typ)
        if cur is not None and (pre != "I" or typ != cur):
            if cur in keep:
                out.add((start, i, cur))
            cur = None
        if pre in ("B", "I") and cur is None:
            start, cur = i, typ
    return out


def conll_f1(gold_sents: Iterable[Sequence], pred_sents: Iterable[Sequence[str]],
             types: Sequence[str] = TYPES) -> dict:
    """Entity-level (exact span and type) precision, recall and F1 per type and micro over ``types``.

    ``gold_sents`` are sentences of (token, tag) pairs or of tags; ``pred_sents`` sentences of tags.
    """
    counts = {t: [0, 0, 0] for t in types}  # true positives, predicted, gold
    for gold, pred in zip(gold_sents, pred_sents, strict=True):
        gtags = [g[1] if isinstance(g, tuple) else g for g in gold]
        if len(gtags) != len(pred):
            raise ValueError(f"sentence lengths differ: gold {len(gtags)}, predicted {len(pred)}")
        g, p = spans(gtags, types), spans(pred, types)
        for s in g:
            counts[s[2]][2] += 1
        for s in p:
            counts[s[2]][1] += 1
            counts[s[2]][0] += s in g
    out = {t: _prf(*c) for t, c in counts.items()}
    out["micro"] = _prf(*(sum(c[k] for c in counts.values()) for k in range(3)))
    return out


def _prf(tp: int, pred: int, gold: int) -> dict:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": pred, "gold": gold}

"""Scoring article records against gold annotations, as the project's evaluation guidelines define it.

The gold format (one JSON object per article: title, published, source, author, body_must_contain,
body_must_not_contain, entities, references, quotes, events, each item possibly ``optional``) and the matching
rules (greedy one-to-one; optional gold items absorb predictions without counting; names compared after folding
spelling variants; CONSULT/AGREE/COOPERATE match either way round) follow the shared scorer, so that
`marsad eval` prints the same figures without importing anything from outside the project.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_NON_WORD = re.compile(r"[^\w\s]")
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
META_FIELDS = ("title", "published", "source", "author", "body", "event_date")
PRF_FIELDS = ("entities", "entities_untyped", "references", "quotes", "events")


def fold(s: str | None) -> str:
    """The comparison form of a name: NFKC, no diacritics, folded letters and punctuation, lower case."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s)
    s = _DIACRITICS.sub("", s).translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", s).split()).lower()


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def row(self) -> dict[str, Any]:
        if self.tp + self.fp + self.fn == 0:
            return {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 0, "fp": 0, "fn": 0}
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def match(gold: list[dict], pred: list[dict], same: Callable[[dict, dict], bool],
          pairs: list | None = None, prefer: Callable[[dict, dict], bool] | None = None) -> tuple[int, int, int]:
    """Greedy one-to-one matching, non-optional gold first; returns (tp, fp, fn)."""
    used: set[int] = set()
    tp = fn = 0
    for g in sorted(gold, key=lambda g: bool(g.get("optional"))):
        free = [i for i, p in enumerate(pred) if i not in used and same(g, p)]
        hit = next((i for i in free if prefer and prefer(g, pred[i])), free[0] if free else None)
        if hit is not None:
            used.add(hit)
            if not g.get("optional"):
                tp += 1
                if pairs is not None:
                    pairs.append((g, pred[hit]))
        elif not g.get("optional"):
            fn += 1
    return tp, len(pred) - len(used), fn


def entity_names(e: dict) -> set[str]:
    return {fold(n) for n in [e.get("text"), e.get("canonical"), *(e.get("aliases") or [])] if n}


def actor_names(actors: Iterable, ents: dict[str, dict]) -> set[str]:
    out: set[str] = set()
    for a in actors or []:
        if isinstance(a, str):
            out.add(fold(a))
            continue
        out.add(fold(a.get("name")))
        if a.get("entity") in ents:
            out |= entity_names(ents[a["entity"]])
    out.discard("")
    return out


def actors_match(gold_groups: list[list[str]], names: set[str]) -> bool:
    return any({fold(n) for n in group} & names for group in gold_groups or [])


def _key(rec: dict) -> tuple[str | None, str | None]:
    src = rec.get("source_file") or rec.get("file") or ""
    return rec.get("id"), Path(src).stem if src else None


def _score_article(g: dict, p: dict, acc: dict[str, PRF], meta: dict[str, list[int]]) -> None:
    for name in ("title", "published", "source", "author"):
        if name in g:
            meta[name][1] += 1
            meta[name][0] += fold(str(g[name] or "")) == fold(str(p.get(name) or ""))
    body = fold(p.get("text", ""))
    for s in g.get("body_must_contain", []):
        meta["body"][1] += 1
        meta["body"][0] += fold(s) in body
    for s in g.get("body_must_not_contain", []):
        meta["body"][1] += 1
        meta["body"][0] += fold(s) not in body

    pents = [e for e in p.get("entities", []) if e.get("type") in ("PER", "ORG", "LOC")]
    ents = {e.get("id"): e for e in pents}
    gents = g.get("entities", [])
    acc["entities"].add(*match(gents, pents, lambda ge, pe: ge["type"] == pe.get("type")
                               and bool({fold(n) for n in ge["names"]} & entity_names(pe))))
    acc["entities_untyped"].add(*match(gents, pents, lambda ge, pe: bool({fold(n) for n in ge["names"]}
                                                                         & entity_names(pe))))
    acc["references"].add(*match(g.get("references", []), p.get("references", []),
                                 lambda gr, pr: gr["kind"] == pr.get("kind") and fold(gr["id"]) == fold(str(pr.get("id")))))

    def quote_same(gq: dict, pq: dict) -> bool:
        sp = pq.get("speaker") or {}
        names = actor_names([sp], ents) if sp else set()
        return actors_match([gq["speaker"]], names) and fold(pq.get("text", "")).startswith(fold(gq["starts"]))

    acc["quotes"].add(*match(g.get("quotes", []), p.get("quotes", []), quote_same))

    def event_same(ge: dict, pe: dict) -> bool:
        if pe.get("type") not in ge["types"]:
            return False
        src, tgt = actor_names(pe.get("source"), ents), actor_names(pe.get("target"), ents)
        straight = actors_match(ge["source"], src) and actors_match(ge["target"], tgt)
        swapped = pe.get("type") in SYMMETRIC and actors_match(ge["source"], tgt) and actors_match(ge["target"], src)
        return straight or swapped

    pairs: list = []
    pevents = [e for e in p.get("events", []) if not e.get("negated")]
    acc["events"].add(*match(g.get("events", []), pevents, event_same, pairs,
                             prefer=lambda ge, pe: pe.get("date") == ge.get("date")))
    for ge, pe in pairs:
        if ge.get("date"):
            meta["event_date"][1] += 1
            meta["event_date"][0] += pe.get("date") == ge["date"]


def score(golds: list[dict], preds: list[dict]) -> dict[str, Any]:
    """Precision, recall and F1 per annotation layer, and accuracy of the metadata fields."""
    by_id, by_stem = {}, {}
    for p in preds:
        i, stem = _key(p)
        by_id[i] = p
        if stem:
            by_stem[stem] = p
    acc = {k: PRF() for k in PRF_FIELDS}
    meta = {k: [0, 0] for k in META_FIELDS}
    missing = []
    for g in golds:
        gi, gstem = _key(g)
        p = by_id.get(gi) or by_stem.get(gstem)
        if p is None:
            missing.append(gi)
            p = {}
        _score_article(g, p, acc, meta)
    out: dict[str, Any] = {"articles": len(golds), "missing": missing}
    out.update({k: v.row() for k, v in acc.items()})
    for name, (ok, n) in meta.items():
        out[name] = {"accuracy": round(ok / n, 4) if n else None, "n": n}
    return out


def format_table(result: dict[str, Any]) -> str:
    lines = [f"articles {result['articles']}  missing {len(result['missing'])}"]
    for k in PRF_FIELDS:
        r = result[k]
        lines.append(f"{k:17} P {r['p']:.3f}  R {r['r']:.3f}  F1 {r['f1']:.3f}   "
                     f"(tp {r['tp']} fp {r['fp']} fn {r['fn']})")
    for k in META_FIELDS:
        r = result[k]
        acc = "n/a" if r["accuracy"] is None else f"{r['accuracy']:.3f}"
        lines.append(f"{k:17} accuracy {acc}  (n {r['n']})")
    return "\n".join(lines)

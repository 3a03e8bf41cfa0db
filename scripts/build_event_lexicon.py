#!/usr/bin/env python3
"""Seed candidate event triggers from the UniversalPetrarch Arabic CAMEO dictionary.

    python scripts/build_event_lexicon.py [CAMEO.ar.0.5.txt] [-o marsad/kb/events_compiled.json]

Reads the VERB PATTERNS section: blocks "--- LEMMA [CODE] ---" followed by synonym lemmas ("word  # gloss",
"+" joins a particle) and patterns "- * WORDS [CODE] # lemmas". A lemma gets the block's code, a pattern
gives "lemma + first pattern word" with its code. Codes map to PLOVER types with the table of GOLD.md;
01x (statements) and 09x (investigate) have no PLOVER type and are dropped. The output (source:
universalpetrarch) is a review list: the curated marsad/kb/events.yaml is what the stage uses by default
(load_lexicon(include_generated=True) adds these).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "universalpetrarch" / "dictionaries" / "CAMEO.ar.0.5.txt"
sys.path.insert(0, str(ROOT))
from marsad.arabic import normalize  # noqa: E402

BLOCK = re.compile(r"^---\s+(\S+)\s+\[(\S+)\]\s+---")
PATTERN = re.compile(r"^-\s*\*\s*(.*?)\s*\[(\d{2,4})\]")


def plover(code: str) -> str | None:
    """GOLD.md's table: CAMEO code -> PLOVER type."""
    if code.startswith("057") or code.startswith("03"):
        return "AGREE"
    if code in ("087", "0874"):
        return "RETREAT"
    top = {"02": "REQUEST", "10": "REQUEST", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
           "08": "CONCEDE", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE",
           "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT"}
    return top.get(code[:2])


def parse(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if "VERB PATTERNS" in l)
    out, seen = [], set()
    lemmas: list[str] = []
    block_code = None
    for line in lines[start + 1:]:
        m = BLOCK.match(line)
        if m:
            lemmas, block_code = [], (m.group(2) if m.group(2).isdigit() else None)
            continue
        p = PATTERN.match(line)
        if p:
            words = [w for w in re.sub(r"[(){}&*]", " ", p.group(1)).split() if not w.isupper()]
            if words and lemmas:
                for lemma in lemmas[:3]:
                    _add(out, seen, f"{lemma} {words[0]}", p.group(2))
            continue
        w = line.split("#")[0].strip()
        if w and not w.startswith(("-", "+", "&")) and not line.startswith("#"):
            lemma = w.split("[")[0].strip().replace("+", " ")
            if lemma:
                lemmas.append(lemma)
                if block_code:
                    _add(out, seen, lemma, block_code)
    return out


def _add(out: list[dict], seen: set, phrase: str, code: str) -> None:
    typ = plover(code)
    phrase = " ".join(normalize(phrase).split())
    if typ is None or (phrase, code) in seen or len(phrase) < 2:
        return
    seen.add((phrase, code))
    out.append({"id": f"up.{len(out) + 1}", "type": typ, "mode": None, "cameo": code, "forms": [phrase],
                "preps": [""], "source": "universalpetrarch"})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dictionary", nargs="?", default=str(DEFAULT))
    ap.add_argument("-o", "--output", default=str(ROOT / "marsad" / "kb" / "events_compiled.json"))
    a = ap.parse_args(argv)
    entries = parse(Path(a.dictionary))
    Path(a.output).write_text(json.dumps({"source": "universalpetrarch", "dictionary": Path(a.dictionary).name,
                                          "entries": entries}, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    counts: dict[str, int] = {}
    for e in entries:
        counts[e["type"]] = counts.get(e["type"], 0) + 1
    sys.stderr.write(f"{len(entries)} candidate triggers -> {a.output}: {dict(sorted(counts.items()))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

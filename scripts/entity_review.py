"""Read the entities of news no gold covers, and what a change does to them: how the entity rules of sessions
11 and 12 were found and checked.

    .venv/bin/python scripts/entity_review.py dump before.jsonl        # before the change (git stash it)
    .venv/bin/python scripts/entity_review.py dump after.jsonl         # after it
    .venv/bin/python scripts/entity_review.py diff before.jsonl after.jsonl
    .venv/bin/python scripts/entity_review.py top after.jsonl --type PER --rule crf --unlinked

``dump`` runs the pipeline over the political SaudiNewsNet articles (three or more mentions of the war's names:
سوري, اليمن, داعش, الأمم المتحدة...) that are not dev pages, shuffled with ``--seed``, and writes one JSON line per
entity: its article, type, text, knowledge-base id, canonical name, rule and the words around its first mention.
``diff`` prints the entities one dump has and the other has not; ``top`` the most frequent texts of a kind. A rule
goes in when nearly every change it makes in the diff is a fix (sessions 11 and 12: 4,681 articles).
Reads ``../shared`` (SaudiNewsNet, dev.meta.jsonl); writes nothing but its output.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.bench import corpus_paths, load_articles  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402

POLITICAL = re.compile("سوري|العراق|اليمن|الحوثي|داعش|الأسد|ليبيا|لبنان|فلسطين|إيران|حزب الله|المعارضة|الأمم المتحدة|"
                       "مجلس الأمن")
CONTEXT = 40


def dev_ids(shared: Path) -> set[str]:
    """The SaudiNewsNet ids of the dev pages (``snn-2015-07-21-022`` -> ``2015-07-21-022``)."""
    return {json.loads(line)["id"].removeprefix("snn-") for line in (shared / "eval/dev.meta.jsonl").open()}


def dump(shared: Path, out: Path, n: int, seed: int) -> int:
    skip = dev_ids(shared)
    articles = [a for a in load_articles(corpus_paths(shared), 40_000)
                if a.id not in skip and len(POLITICAL.findall(a.raw or "")) >= 3]
    random.Random(seed).shuffle(articles)
    pipeline = Pipeline()
    with out.open("w", encoding="utf-8") as fh:
        for article in articles[:n]:
            article = pipeline.process(article)
            text = article.text
            for e in article.entities:
                s, t = e.mentions[0][0], e.mentions[0][1]
                fh.write(json.dumps({"art": article.id, "type": e.type, "text": e.text, "kb": e.kb_id,
                                     "canon": e.canonical, "rule": e.rule, "n": len(e.mentions),
                                     "ctx": f"{text[max(0, s - CONTEXT):s]}[{text[s:t]}]{text[t:t + CONTEXT]}"},
                                    ensure_ascii=False) + "\n")
    return min(n, len(articles))


def _rows(path: Path) -> Counter:
    return Counter((r["art"], r["type"], r["text"], r["kb"], r["ctx"].replace("\n", " "))
                   for r in map(json.loads, path.open(encoding="utf-8")))


def diff(old: Path, new: Path) -> None:
    before, after = _rows(old), _rows(new)
    for label, rows in (("only in " + old.name, before - after), ("only in " + new.name, after - before)):
        print(f"{label}: {sum(rows.values())}")
        for (art, typ, text, kb, ctx), k in sorted(rows.items()):
            print(f"  {art}  {typ}  {text}  {kb or '-'}  x{k}  | {ctx}")


def top(path: Path, typ: str | None, rule: str | None, unlinked: bool, most: int) -> None:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    found = Counter(r["text"] for r in rows if (typ is None or r["type"] == typ)
                    and (rule is None or r["rule"] == rule) and not (unlinked and r["kb"]))
    for text, k in found.most_common(most):
        print(f"{k:5d}  {text}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="entities of the political articles outside dev, a JSON line each")
    d.add_argument("out", type=Path)
    d.add_argument("--n", type=int, default=5000, help="articles (all 4,681 by default)")
    d.add_argument("--seed", type=int, default=7)
    c = sub.add_parser("diff", help="entities one dump has and the other has not")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    t = sub.add_parser("top", help="the most frequent entity texts of a kind")
    t.add_argument("dump", type=Path)
    t.add_argument("--type", choices=["PER", "ORG", "LOC"])
    t.add_argument("--rule", help="kb, crf, facility... (the rule that found the first mention)")
    t.add_argument("--unlinked", action="store_true", help="only entities with no knowledge-base id")
    t.add_argument("--most", type=int, default=100)
    args = ap.parse_args(argv)
    if args.command == "dump":
        if not (args.shared / "data").is_dir():
            ap.error(f"{args.shared}/data not found: pass --shared")
        sys.stderr.write(f"{dump(args.shared, args.out, args.n, args.seed)} articles -> {args.out}\n")
    elif args.command == "diff":
        diff(args.old, args.new)
    else:
        top(args.dump, args.type, args.rule, args.unlinked, args.most)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

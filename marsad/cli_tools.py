"""Commands that measure marsad rather than run it: ``eval`` against gold annotations, ``ner`` on CoNLL files,
``bench`` for speed. They register on the same app as the pipeline's commands (`marsad.cli`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from marsad.cli_common import command, err, out
from marsad.errors import MarsadError


@command
def bench(
    quick: Annotated[bool, typer.Option("--quick", help="300 articles, well under two minutes.")] = False,
    articles: Annotated[int, typer.Option("--articles", "-n", min=10, help="How many articles (without --quick).")] = 2000,
    shared: Annotated[Path, typer.Option(help="The shared data folder (SaudiNewsNet).")] = Path("../shared"),
    search_db: Annotated[Optional[list[Path]], typer.Option(
        "--search-db", help="Report the search latency of this existing database (repeatable); without "
                            "--quick, only that is run.")] = None,
):
    """Per-stage speed as a ratio to a baseline (read, normalize, tokenize), ingest rate, search latency, memory.

    Example: [bold]marsad bench --quick > bench.json[/bold];
    [bold]marsad bench --search-db /tmp/marsad-1m.db[/bold] (databases built by bench/run.py search)
    """
    from marsad.bench import run_bench, search_db_figures

    report = run_bench(shared, n=300 if quick else articles, quick=quick) if quick or not search_db else {}
    if search_db:
        for path in search_db:
            if not path.is_file():
                raise MarsadError(f"{path}: no such database (bench/run.py search --db {path} builds one)")
        report["search_dbs"] = [search_db_figures(str(path)) for path in search_db]
    out.file.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")


@command
def ner(
    path: Annotated[str, typer.Argument(help="CoNLL file: `token [TAG]` a line, a blank line between sentences.")],
    recognizer: Annotated[str, typer.Option(help="full (knowledge base + tagger) or crf (tagger alone).")] = "full",
    score: Annotated[bool, typer.Option("--score", help="Print entity-level P/R/F1 against the file's tags "
                                                      "to stderr.")] = False,
):
    """Tag the tokens of a CoNLL file with marsad's recognizer; prints `token TAG` lines (BIO, PER/ORG/LOC).

    Example: [bold]marsad ner dev.conll --score > dev.tagged[/bold]
    """
    from marsad.extract.conll import RECOGNIZERS, score as conll_score, tag_file
    from marsad.extract.entities import default_resources

    if recognizer not in RECOGNIZERS:
        raise MarsadError(f"--recognizer must be one of {', '.join(RECOGNIZERS)}")
    if not Path(path).is_file():
        raise MarsadError(f"{path}: no such file")
    pairs = []
    for sent, tags in tag_file(path, default_resources(), recognizer):
        out.file.write("".join(f"{w} {t}\n" for (w, _), t in zip(sent, tags)) + "\n")
        if score:
            pairs.append((sent, tags))
    if score:
        figures = conll_score(pairs)
        for k, v in figures.items():
            err.print(f"{k:6} P {v['precision']:.4f}  R {v['recall']:.4f}  F1 {v['f1']:.4f}", highlight=False)


@command(name="eval")
def evaluate(
    gold: Annotated[str, typer.Argument(help="Gold annotations, one JSON object per line.")],
    paths: Annotated[list[str], typer.Argument(help="The articles the gold annotates.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    floor: Annotated[Optional[list[str]], typer.Option("--min", help="e.g. entities.f1=0.9; exit 1 below.")] = None,
):
    """Run extraction on the articles and print precision, recall and F1 per field against the gold.

    Example: [bold]marsad eval ../shared/eval/dev.gold.jsonl ../shared/eval/dev --min events.f1=0.6[/bold]
    """
    from marsad.evaluate import format_table, score
    from marsad.pipeline import Pipeline

    try:
        golds = [json.loads(line) for line in Path(gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as e:
        raise MarsadError(f"{gold}: cannot read the gold annotations ({e})") from e
    failures = []
    preds = [a.to_dict() for a in Pipeline().run(paths, on_error=failures.append)]
    for f in failures:
        err.print(f"skipped {f}", highlight=False)
    result = score(golds, preds)
    out.file.write((json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_table(result)) + "\n")
    short = []
    for item in floor or []:
        name, _, value = item.partition("=")
        section, _, figure = name.partition(".")
        got = (result.get(section) or {}).get(figure)
        if got is None or got < float(value):
            short.append(f"{name}={got} < {value}")
    if short:
        err.print("below floor: " + "; ".join(short), highlight=False)
        raise typer.Exit(1)

"""The command line: subcommands mirror the pipeline, each a thin wrapper over a plain function.

Every command shares ``--db`` and ``--format`` where they apply, prints one line and exits non-zero on error.
"""
from __future__ import annotations

import functools
import json
import logging
import re
import sys
from pathlib import Path
from enum import Enum
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.errors import MarsadError

app = typer.Typer(help="marsad (مرصد): Arabic political news to structured, searchable event data.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="rich")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = "marsad.db"
DbOption = Annotated[str, typer.Option("--db", help="SQLite file (or sqlite:///path), or postgresql://user:pass@host/db.",
                                       envvar="MARSAD_DB")]


def shown(db: str) -> str:
    """A database URL as it may be printed: without its password.

    >>> shown("postgresql://me:secret@host/db")
    'postgresql://me:***@host/db'
    """
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", db)


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class ListFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class StatsFormat(str, Enum):
    json = "json"
    table = "table"


def id_table(ids: list[str], *columns: str) -> Table:
    """A table whose first column holds ids, which users copy into `show`: never cut or wrapped."""
    table = Table()
    table.add_column("id", no_wrap=True, min_width=max([len(i) for i in ids] + [2]))
    for name in columns:
        table.add_column(name)
    return table


def command(fn=None, *, name: str | None = None):
    """Register a command that turns MarsadError into one line on stderr and exit code 1."""
    if fn is None:
        return functools.partial(command, name=name)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MarsadError as e:
            err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted: what was committed is kept")
            raise typer.Exit(130) from None

    return app.command(name)(wrapper)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what is skipped and why.")] = False):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@command
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, zips or URLs.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.jsonl,
    strict: Annotated[bool, typer.Option(help="Stop at the first bad input instead of skipping it.")] = False,
):
    """Print the article records (SCHEMA.md) of the inputs; no database needed.

    Example: [bold]marsad extract ../shared/seeds --format jsonl > seeds.jsonl[/bold]
    """
    from marsad.pipeline import Pipeline

    failures = []
    records = Pipeline().run(paths, on_error=None if strict else failures.append)
    if format is ExtractFormat.jsonl:
        for a in records:
            out.file.write(a.to_json() + "\n")
    elif format is ExtractFormat.json:
        out.file.write(json.dumps([a.to_dict() for a in records], ensure_ascii=False, indent=1) + "\n")
    else:
        records = list(records)
        table = id_table([a.id for a in records], "published", "source", "title", "entities", "events")
        for a in records:
            table.add_row(a.id, a.published or "", a.source or "", a.title or "", str(len(a.entities)),
                          str(len(a.events)))
        out.print(table)
    for f in failures:
        err.print(f"skipped {f}", highlight=False)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@command
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, zips, feeds or URLs.")],
    db: DbOption = DEFAULT_DB,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per atomic write.")] = 200,
    strict: Annotated[bool, typer.Option(help="Stop at the first bad input instead of skipping it.")] = False,
    format: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table,
    reprocess: Annotated[bool, typer.Option("--reprocess", help="Process every input again, also what an "
                                            "earlier run already did (default: only what is new).")] = False,
    engine: Annotated[Engine, typer.Option(help="local: this process; dask: a Dask cluster.")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(help="dask: scheduler address (tcp://host:8786), or "
                                                    "local:N for a local cluster of N worker processes "
                                                    "(default local:<cores>).")] = None,
    parquet: Annotated[Optional[Path], typer.Option(help="dask: folder for the Parquet tables (default: "
                                                    "beside the database, marsad.parquet).")] = None,
    partition_size: Annotated[int, typer.Option(min=1, help="dask: articles per task.")] = 25,
):
    """Read, process and store articles; prints how many were new, duplicate and failed.

    Reruns process only what is new (unchanged files and already stored items are skipped); a killed run resumes.

    Example: [bold]marsad ingest ../shared/seeds ../shared/eval/dev --db marsad.db[/bold]
    Example: [bold]marsad ingest dumps/ --db marsad.db --engine dask --scheduler local:2[/bold]
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from marsad.ingest import ingest as run_ingest
    from marsad.store import open_store

    if engine is Engine.local and (scheduler or parquet):
        raise MarsadError("--scheduler and --parquet need --engine dask")
    with open_store(db) as store, Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                                           TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None)
        advance = lambda n: bar.advance(task, n)  # noqa: E731
        if engine is Engine.dask:
            try:
                from marsad import scale
            except ImportError as e:
                raise MarsadError(f"--engine dask needs dask[distributed] and pyarrow installed ({e})") from e
            folder = parquet or Path(scale.default_parquet_dir(db))
            with scale.connect(scheduler or "local") as client:
                report = scale.ingest_dask(paths, store, client, folder, batch_size=batch_size,
                                           partition_size=partition_size, strict=strict, progress=advance,
                                           incremental=not reprocess)
        else:
            from marsad.pipeline import Pipeline

            report = run_ingest(paths, store, Pipeline(), batch_size=batch_size, strict=strict, progress=advance,
                                incremental=not reprocess)
    for f in report.failures:
        err.print(f"skipped {f}", highlight=False)
    if format is StatsFormat.json:
        out.file.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
    else:
        skipped = f"  skipped (done before) {report.skipped}" if report.skipped else ""
        out.print(f"new {report.new}  duplicate {report.duplicate}  near-duplicate {report.near_duplicate}"
                  f"  failed {report.failed}{skipped}  -> {shown(db)}", highlight=False)


@command
def search(
    query: Annotated[Optional[str], typer.Argument(help="Words to find; spelling variants and clitics do not matter.")] = None,
    entity: Annotated[Optional[str], typer.Option("--entity", "-e", help="Articles mentioning this actor or place.")] = None,
    db: DbOption = DEFAULT_DB,
    since: Annotated[Optional[str], typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
):
    """Full-text search in Arabic, or the articles that mention an entity: id, title, date, highlighted snippet.

    Example: [bold]marsad search "الائتلاف الوطني" --db marsad.db --since 2020-01-01[/bold]
    Example: [bold]marsad search --entity "مسد" --db marsad.db[/bold]
    """
    from marsad.store import open_store

    if not query and not entity:
        raise MarsadError("give words to search for, or --entity NAME")
    with open_store(db, readonly=True) as store:
        if entity:
            from marsad.kb import load_kb

            kb_ids = tuple(a.id for a in load_kb().lookup(entity))
            hits = store.entity_search(entity, kb_ids, since=since, until=until, limit=limit)
            if query:
                found = {h.id for h in store.search(query, since=since, until=until, limit=10_000)}
                hits = [h for h in hits if h.id in found]
        else:
            hits = store.search(query, since=since, until=until, limit=limit)
    if format is ListFormat.jsonl:
        for h in hits:
            out.file.write(json.dumps(h.to_dict(), ensure_ascii=False) + "\n")
        return
    table = id_table([h.id for h in hits], "published", "title", "snippet")
    for h in hits:
        snippet = Text(h.snippet_plain)
        for s, e in h.spans:
            snippet.stylize("bold yellow", s, e)
        table.add_row(h.id, h.published or "", h.title or "", snippet)
    out.print(table)
    out.print(f"{len(hits)} hit(s)", highlight=False)


@command
def actors(
    db: DbOption = DEFAULT_DB,
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="PER, ORG or LOC.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 30,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
):
    """The most mentioned actors and places: articles and mentions per actor.

    Example: [bold]marsad actors --db marsad.db --type PER --limit 20[/bold]
    """
    from marsad.store import open_store

    if type is not None and type.upper() not in ("PER", "ORG", "LOC"):
        raise MarsadError(f"--type must be PER, ORG or LOC, not {type!r}")
    with open_store(db, readonly=True) as store:
        rows = store.actors(type.upper() if type else None, limit=limit)
    if format is ListFormat.jsonl:
        for r in rows:
            out.file.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    table = Table("actor", "type", "English", "articles", "mentions", "id")
    for r in rows:
        table.add_row(r["name"], r["type"], r["name_en"] or "", str(r["articles"]), str(r["mentions"]), r["key"])
    out.print(table)


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    cameo_tsv = "cameo-tsv"
    plover = "plover"


def _actor_keys(actor: str | None) -> tuple[str, ...]:
    if not actor:
        return ()
    from marsad.kb import load_kb
    from marsad.store.event_queries import actor_keys_for

    return actor_keys_for(actor, tuple(a.id for a in load_kb().lookup(actor)))


@command
def events(
    db: DbOption = DEFAULT_DB,
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="PLOVER type: CONSULT, ASSAULT...")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", "-a", help="Source or target, by any name.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Event date on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Event date on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
):
    """Who did what to whom: events across articles, one per real event with its count of articles.

    Example: [bold]marsad events --db marsad.db --type CONSULT --actor "الائتلاف" --since 2020-01-01[/bold]
    """
    from marsad.store import open_store

    with open_store(db, readonly=True) as store:
        rows = store.events(type, _actor_keys(actor), since, until, limit=limit)
    if format is ListFormat.jsonl:
        for r in rows:
            out.file.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    table = Table()
    for name in ("date", "type"):
        table.add_column(name, no_wrap=True)
    for name in ("source", "target", "place", "articles", "sentence"):
        table.add_column(name)
    for r in rows:
        sentence = r["sentence"] or ""
        table.add_row(r["date"] or "", r["type"], "، ".join(a["name"] for a in r["source"]),
                      "، ".join(a["name"] for a in r["target"]), r["place"] or "", str(r["num_articles"]),
                      sentence if len(sentence) <= 90 else sentence[:90] + "…")
    out.print(table)
    out.print(f"{len(rows)} event(s)", highlight=False)


@command
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="Only this PLOVER type.")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", "-a")] = None,
    since: Annotated[Optional[str], typer.Option()] = None,
    until: Annotated[Optional[str], typer.Option()] = None,
):
    """Export the events for pandas, R, spreadsheets (csv) and event-data tools (plover, cameo-tsv, jsonl).

    Example: [bold]marsad export --db marsad.db --format cameo-tsv -o events.tsv[/bold]
    """
    from marsad.export import paged, write_events
    from marsad.kb import load_kb
    from marsad.store import open_store

    keys = _actor_keys(actor)
    with open_store(db, readonly=True) as store:
        events_ = paged(lambda limit, offset: store.events(type, keys, since, until, limit=limit, offset=offset))
        if output is None:
            n = write_events(events_, format.value, out.file, load_kb())
        else:
            tmp = output.with_name(output.name + ".partial")
            with open(tmp, "w", encoding="utf-8-sig" if format is ExportFormat.csv else "utf-8", newline="") as fh:
                n = write_events(events_, format.value, fh, load_kb())
            tmp.replace(output)
    err.print(f"{n} event(s) exported" + (f" to {output}" if output else ""), highlight=False)


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


@command
def show(
    id: Annotated[str, typer.Argument(help="Article id, as `search` and `extract` print it.")],
    db: DbOption = DEFAULT_DB,
):
    """Print one stored article record as JSON.

    Example: [bold]marsad show 001_a63e9325d7f618af --db marsad.db[/bold]
    """
    from marsad.store import open_store

    with open_store(db, readonly=True) as store:
        article = store.get(id)
    if article is None:
        raise MarsadError(f"{shown(db)}: no article with id {id!r}")
    out.file.write(json.dumps(article.to_dict(), ensure_ascii=False, indent=1) + "\n")


@command
def stats(db: DbOption = DEFAULT_DB, format: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table):
    """Counts of what the database holds.

    Example: [bold]marsad stats --db marsad.db --format json[/bold]
    """
    from marsad.store import open_store

    with open_store(db, readonly=True) as store:
        figures = store.stats()
    if format is StatsFormat.json:
        out.file.write(json.dumps(figures, ensure_ascii=False) + "\n")
        return
    table = Table("figure", "value")
    for k, v in figures.items():
        table.add_row(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v))
    out.print(table)


@command
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[Optional[str], typer.Option(help="Allow POST /api/ingest with this bearer token.",
                                                 envvar="MARSAD_TOKEN")] = None,
):
    """Serve the JSON API (docs at /docs); read-only unless started with --token.

    Example: [bold]marsad serve --db marsad.db --port 8000[/bold]
    """
    try:
        import uvicorn

        from marsad.api import create_app
    except ImportError as e:
        raise MarsadError(f"serve needs the web extras: pip install 'marsad[serve]' ({e})") from None
    err.print(f"serving {db} on http://{host}:{port} (docs: /docs)" + (", ingest allowed" if token else ""),
              highlight=False)
    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="warning")


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


def run() -> None:
    app()


if __name__ == "__main__":
    run()


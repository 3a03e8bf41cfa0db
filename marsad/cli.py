"""The command line: subcommands mirror the pipeline, each a thin wrapper over a plain function.

Every command shares ``--db`` and ``--format`` where they apply, prints one line and exits non-zero on error.
"""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from marsad.cli_common import (DEFAULT_DB, DbOption, ExtractFormat, ListFormat, StatsFormat, app, command, err,
                               id_table, out, shown)
from marsad.errors import MarsadError


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
    partition_size: Annotated[int, typer.Option(min=1, help="dask: articles per task (at most: the tasks "
                                                "shrink towards the end of the input).")] = 100,
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


from marsad import cli_tools  # noqa: E402,F401  (registers eval, ner and bench after the pipeline's commands)


def run() -> None:
    app()


if __name__ == "__main__":
    run()


"""The same stages on a Dask cluster: `marsad ingest PATH... --engine dask --scheduler ADDRESS|local:N`.

The client reads (cheap): it enumerates the inputs and cuts the raw articles into small partitions, leaving
out what an earlier run already did (`marsad.ingest.read_new`). Workers process (expensive): each worker
builds one `Pipeline` when it joins (`PipelinePlugin`: knowledge base, CRF model and tables loaded once per
worker process, never per task), runs the stages over a partition, turns each article into the rows the
store writes (`marsad.store.rows.Preparer`: record JSON, folded search text, MinHash signature, annotation
rows) and writes them as Parquet, one file per table and partition:

    DIR/articles/part-<run>-<n>.parquet   one row per article: the scalar fields and text, counts, ``record``
                                          (the rest of the record as JSON: `marsad.store.rows.stored_article`
                                          gives the article back whole from it and ``text``), the search
                                          text (``search_title``, ``search_body``) and ``minhash`` signature
    DIR/entities/part-<run>-<n>.parquet   one row per entity, with ``article_id`` (mentions as JSON)
    DIR/events/part-<run>-<n>.parquet     one row per event, with ``article_id`` (actors as JSON; the keys
                                          the store groups events by)
    DIR/mentions|quotes|refs/part-…       the rows of the store's other annotation tables

The client takes the prepared rows back with each task's result and loads the partitions in input order
through `Store.add_prepared`, in batches: it only deduplicates, finds near-duplicate candidates and inserts,
with the result of a single-process run (which prepares the same rows in-process); and only then renames a
partition's files from ``_pending-…`` to ``part-…``: Parquet readers skip names starting with ``_``, so
``DIR`` read as a dataset (``pandas.read_parquet(DIR / "events")``) holds exactly what was committed, across
runs. Workers and the client must see ``DIR`` at the same path (a local cluster does; a remote one needs a
shared file system). At most a few partitions per worker are in flight: memory stays flat.
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from marsad.errors import MarsadError
from marsad.ingest import DEFAULT_BATCH, IngestReport, Item, Window, commit, process_one, read_new
from marsad.model import Article
from marsad.pipeline import Failure, Pipeline
from marsad.store import Store
from marsad.store.dedup import Params
from marsad.store.progress import Ledger
from marsad.store.rows import COLUMNS, Prepared, Preparer

log = logging.getLogger(__name__)

PLUGIN = "marsad-pipeline"
DEFAULT_PARTITION = 100
SMALLEST_TASK = 10
"""Articles in the smallest tasks, those the end of the input is cut into (and the size it is read in)."""
PENDING = "_pending-"
ARTICLE_FIELDS = ("id", "source_file", "title", "published", "published_raw", "source", "author", "section",
                  "language", "url", "kind", "content_hash", "text", "n_entities", "n_quotes", "n_references",
                  "n_events", "record", "search_title", "search_body", "minhash")
FIELDS: dict[str, tuple[str, ...]] = {
    "articles": ARTICLE_FIELDS,
    "entities": COLUMNS["entities"] + ("mentions", "aliases", "rule"),
    "events": COLUMNS["events"] + ("trigger", "rule"),
    "mentions": COLUMNS["mentions"],
    "quotes": COLUMNS["quotes"],
    "refs": COLUMNS["refs"],
}
TABLES = tuple(FIELDS)
PARAMS_KEY = b"marsad.minhash"  # Parquet schema metadata: the MinHash parameters of the signatures
_INTS = frozenset({"n", "span_start", "span_end", "negated", "n_entities", "n_quotes", "n_references", "n_events",
                   "mention_count"})
_FLOATS = frozenset({"lat", "lon", "confidence"})


class PipelinePlugin(WorkerPlugin):
    """Loads the stages' resources once when a worker joins; tasks use ``plugin.pipeline``."""

    name = PLUGIN

    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None
        self.preparer: Preparer | None = None
        self.loads = 0
        self.partitions = 0

    def setup(self, worker: Any) -> None:
        self.pipeline = Pipeline()
        self.loads += 1

    def preparer_for(self, params: Params) -> Preparer:
        """This worker's `Preparer` for the store's MinHash parameters (its search-form cache kept)."""
        if self.preparer is None or self.preparer.params != params:
            self.preparer = Preparer(params, self.preparer.forms if self.preparer else None)
        return self.preparer


def _schema(fields: tuple[str, ...], params: Params) -> Any:
    import pyarrow as pa

    return pa.schema([(f, pa.int64() if f in _INTS else pa.float64() if f in _FLOATS else
                       pa.binary() if f == "minhash" else pa.string()) for f in fields],
                     metadata={PARAMS_KEY: json.dumps(params.__dict__)})


def table_rows(articles: Iterable[tuple[Article, Prepared]]) -> dict[str, list[dict[str, Any]]]:
    """The flat rows of each Parquet table for the processed articles and their prepared rows."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for a, p in articles:
        out["articles"].append({
            **p.article, "minhash": p.signature, "n_entities": len(a.entities), "n_quotes": len(a.quotes),
            "n_references": len(a.references), "n_events": len(a.events)})
        for row, e in zip(p.children["entities"], a.entities):
            out["entities"].append({**dict(zip(COLUMNS["entities"], row)), "rule": e.rule,
                                    "mentions": json.dumps([list(m) for m in e.mentions]),
                                    "aliases": json.dumps(e.aliases, ensure_ascii=False)})
        for row, ev in zip(p.children["events"], a.events):
            out["events"].append({**dict(zip(COLUMNS["events"], row)), "trigger": ev.trigger, "rule": ev.rule})
        for table in ("mentions", "quotes", "refs"):
            out[table].extend(dict(zip(COLUMNS[table], row)) for row in p.children[table])
    return out


def write_partition(out_dir: str | os.PathLike[str], name: str, articles: list[tuple[Article, Prepared]],
                    params: Params) -> None:
    """Write one partition's tables as ``_pending-<name>.parquet`` files (see `publish_partition`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = table_rows(articles)
    for table, fields in FIELDS.items():
        folder = Path(out_dir) / table
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(rows[table], schema=_schema(fields, params)), tmp)
        tmp.replace(folder / f"{PENDING}{name}.parquet")


def publish_partition(out_dir: str | os.PathLike[str], name: str) -> None:
    """Rename a committed partition's files to ``part-<name>.parquet``: from now on readers see them."""
    for table in TABLES:
        folder = Path(out_dir) / table
        (folder / f"{PENDING}{name}.parquet").replace(folder / f"part-{name}.parquet")


def clear_pending(out_dir: str | os.PathLike[str]) -> int:
    """Delete the partitions a killed run wrote but never committed (the rerun processes them again); finish
    publishing a partition the run was killed while publishing (committed: some table has its ``part-``)."""
    n = 0
    for table in TABLES:
        for f in (Path(out_dir) / table).glob(f"{PENDING}*.parquet"):
            name = f.name[len(PENDING):]
            if any((Path(out_dir) / t / f"part-{name}").exists() for t in TABLES):
                f.replace(f.with_name(f"part-{name}"))
            else:
                f.unlink(missing_ok=True)
                n += 1
    return n


def merged(windows: list[Window]) -> Window:
    """Consecutive windows as one (items and finished documents in input order)."""
    return Window([it for w in windows for it in w.items], [d for w in windows for d in w.finished],
                  sum(w.skipped for w in windows))


def tasks(windows: Iterable[Window], largest: int, workers: int) -> Iterator[Window]:
    """Small consecutive windows joined into tasks of at most ``largest`` articles while the input lasts. The
    last ``2 * workers * largest`` articles, held back until the input ends, go out in shrinking tasks
    (guided self-scheduling: each takes 1/(2 * workers) of what is left, one window at least), so that the
    workers finish together rather than one of them working alone through a whole last task.

    Every task but the ones at the end costs the client and a worker a fixed ~5 ms each (scheduling, the
    result's transfer, six Parquet files): large tasks while there is plenty left, small ones at the end.

    >>> from marsad.ingest import Window
    >>> [len(t.items) for t in tasks([Window([0] * 10, []) for _ in range(100)], largest=100, workers=2)]
    [100, 100, 100, 100, 100, 100, 100, 70, 50, 40, 30, 20, 20, 10, 10, 10, 10, 10, 10, 10]
    """
    buf: deque[Window] = deque()
    held = 0
    ahead = 2 * workers * largest

    def take(limit: int) -> Window:
        nonlocal held
        out = [buf.popleft()]
        n = len(out[0].items)
        while buf and n + len(buf[0].items) <= limit:
            out.append(buf.popleft())
            n += len(out[-1].items)
        held -= n
        return merged(out)

    for window in windows:
        buf.append(window)
        held += len(window.items)
        while held >= ahead + largest:
            yield take(largest)
    while buf:
        yield take(min(largest, -(-held // (2 * workers))))


def process_partition(raws: list[Article], out_dir: str, name: str, params: Params) -> dict[str, Any]:
    """A task: run the stages of this worker's pipeline over ``raws``, prepare the store's rows (signatures
    made with ``params``, the store's) and write the partition. Returns the indexes processed, the failures
    (index, path, problem) and the prepared rows (what the partition's files hold, handed back with the
    result: cheaper for the client than reading six small Parquet files)."""
    plugin = get_worker().plugins[PLUGIN]
    preparer = plugin.preparer_for(params)
    ok: list[int] = []
    failures: list[tuple[int, str, str]] = []
    articles: list[tuple[Article, Prepared]] = []
    for i, raw in enumerate(raws):
        out = process_one(plugin.pipeline, raw)
        if isinstance(out, Failure):
            failures.append((i, out.path, out.problem))
        else:
            ok.append(i)
            articles.append((out, preparer(out)))
    write_partition(out_dir, name, articles, params)
    plugin.partitions += 1
    return {"ok": ok, "failures": failures, "prepared": [p for _, p in articles]}


BATCH_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
}
"""Dask settings for a batch job on the client and the local cluster's scheduler and workers (a remote
cluster's workers keep their own):
- no statistical profiler sampling every worker's stack each 10 ms (it feeds the dashboard, which a local
  cluster here does not start), and the event-loop watchdog and the resource monitor at a slower pace. An idle
  two-worker cluster then takes ~3% of a core instead of ~12%;
- the nannies, which run in the client's process, check their worker's memory each second, not ten times;
- no work stealing: the tasks are alike and queued on the scheduler until a worker is free, so there is
  nothing to rebalance;
- worker processes spawned without Dask's ``MALLOC_TRIM_THRESHOLD_=65536``: that setting makes glibc hand
  freed memory back to the system at once, and an article's many short-lived objects then page-fault back
  in. Measured on 1,500 SaudiNewsNet articles in one process (pipeline and store rows): 170 minor faults and
  ~0.5 ms of system time an article with it, 21 faults and ~0.15 ms without; memory stays bounded by
  glibc's own dynamic threshold."""


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A client with the pipeline plugin registered: ``local:N`` starts a local cluster of N worker processes
    (one thread each) for the duration; anything else is a scheduler address (``tcp://host:8786``)."""
    with dask.config.set(BATCH_CONFIG):
        with _connect(scheduler) as client:
            yield client


@contextmanager
def _connect(scheduler: str) -> Iterator[Client]:
    cluster = None
    quiet = logging.getLogger("distributed")
    level = quiet.level
    if not log.isEnabledFor(logging.INFO):  # dask logs its start and stop at INFO: only with --verbose
        quiet.setLevel(logging.WARNING)
    try:
        if scheduler.startswith("local:") or scheduler == "local":
            n = scheduler.partition(":")[2] or str(os.cpu_count() or 1)
            if not n.isdigit() or int(n) < 1:
                raise MarsadError(f"--scheduler local:N needs a number of workers, not {n!r}")
            cluster = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="20s")
    except OSError as e:
        if cluster is not None:
            cluster.close()
        quiet.setLevel(level)
        raise MarsadError(f"{scheduler}: cannot reach the Dask scheduler ({e})") from e
    try:
        client.register_plugin(PipelinePlugin(), name=PLUGIN)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        quiet.setLevel(level)


def ingest_dask(paths: Iterable[str], store: Store, client: Client, parquet_dir: str | os.PathLike[str], *,
                batch_size: int = DEFAULT_BATCH, partition_size: int = DEFAULT_PARTITION, strict: bool = False,
                progress: Callable[[int], None] | None = None, incremental: bool = True) -> IngestReport:
    """`marsad.ingest.ingest` with the processing on ``client``'s workers and Parquet written to
    ``parquet_dir``; the store ends up exactly as after a single-process run. Finished tasks are committed
    in order, ``batch_size`` articles at a time, or whatever is held when the next task is still running:
    the store then keeps up with the workers, and the run ends with its last task instead of a batch of
    inserts after it."""
    report = IngestReport()
    ledger = Ledger(store) if incremental else None
    out_dir = os.path.abspath(os.fspath(parquet_dir))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    if cleared := clear_pending(out_dir):
        log.info("%s: removed %d uncommitted partition files of an earlier run", out_dir, cleared)
    run = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    limit = max(2, 3 * sum(client.nthreads().values()))
    pending: deque[tuple[Window, str, Any]] = deque()
    staged: list[tuple[Item, Prepared]] = []
    staged_docs: list = []
    names: list[str] = []
    handled = 0

    def flush() -> None:
        nonlocal handled
        commit(store, ledger, staged, staged_docs, report)
        for name in names:
            publish_partition(out_dir, name)
        if progress and handled:
            progress(handled)
        staged.clear()
        staged_docs.clear()
        names.clear()
        handled = 0

    def collect() -> None:
        nonlocal handled
        window, name, future = pending.popleft()
        if staged and future is not None and not future.done():  # commit what is held while the workers work
            flush()
        handled += len(window.items) + window.skipped
        staged_docs.extend(window.finished)
        if future is not None:
            result = future.result()
            for i, path, problem in result["failures"]:
                if strict:
                    raise MarsadError(f"{path}: {problem}")
                report.fail(Failure(path, problem))
                window.items[i].doc.failed = True
            staged.extend(zip((window.items[i] for i in result["ok"]), result["prepared"]))
            names.append(name)
            report.processed += len(window.items)
        if len(staged) >= batch_size:
            flush()

    windows = read_new(paths, ledger, report, window=min(SMALLEST_TASK, partition_size),
                       on_error=None if strict else report.fail)
    for n, window in enumerate(tasks(windows, partition_size, max(1, sum(client.nthreads().values())))):
        name = f"{run}-{n:06d}"
        future = None
        if window.items:
            future = client.submit(process_partition, [it.article for it in window.items], out_dir, name,
                                   store.preparer.params, pure=False, key=f"marsad-{name}")
        pending.append((window, name, future))
        while len(pending) >= limit:
            collect()
    while pending:
        collect()
    flush()
    return report


def default_parquet_dir(db: str) -> str:
    """``marsad.db`` -> ``marsad.parquet`` beside it (``marsad.parquet`` here for an in-memory store)."""
    target = db.split("://", 1)[1][1:] if "://" in db else db
    if target in ("", ":memory:", "/:memory:"):
        return "marsad.parquet"
    return str(Path(target).with_suffix(".parquet"))

"""Benchmarks: what each stage costs, as a ratio to what the machine can do at all, measured in one run.

The baseline is reading, normalizing and tokenizing the same articles: every figure is reported beside it
(``x_baseline``), so numbers from different machines compare. Each article goes through every stage in
turn, as in `marsad extract`, and each stage's time is summed; ``extract`` is reading and all stages, the
work of `marsad extract` but for writing its JSON. Then: ingest rate into SQLite, search latency
percentiles, and the peak resident memory of the process.

``marsad bench --quick`` runs in well under two minutes; ``bench/run.py`` runs the larger configurations.
"""
from __future__ import annotations

import gc
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import islice, product
from pathlib import Path
from typing import Any

from marsad.arabic import normalize, tokens
from marsad.model import Article
from marsad.pipeline import Pipeline
from marsad.read import read_paths

QUERIES = ("السعودية", "الرياض", "الأسد", "قامشلي", "الائتلاف", "الحوثي صنعاء", '"الأمم المتحدة"', "إيران OR العراق",
           "الملك سلمان", "داعش", "النفط", "وزير الخارجية", "الهدنة الإنسانية", "تنظيم الدولة", "مجلس الأمن",
           "الإرهاب", "القامشلي", "اليمن", "مصر", "حلب")


def corpus_paths(shared: Path) -> list[str]:
    folder = shared / "data" / "saudinewsnet" / "dataset"
    paths = sorted(str(p) for p in folder.glob("*.zip"))
    if not paths:
        from marsad.errors import MarsadError

        raise MarsadError(f"{folder}: no SaudiNewsNet zips here; pass --shared with the shared data folder")
    return paths


def load_articles(paths: list[str], n: int) -> list[Article]:
    """The first ``n`` readable articles of the inputs (what the read stage gives)."""
    return list(islice(read_paths(paths, on_error=lambda e: None), n))


def _timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _normalize_and_tokenize(articles: list[Article]) -> None:
    for a in articles:
        tokens(normalize(a.raw))


def stage_figures(articles: list[Article], pipeline: Pipeline, read_ms: float = 0.0) -> dict[str, dict[str, float]]:
    """Milliseconds per article and articles per second of the baseline, of each stage, of all stages, and of
    `marsad extract`'s work (reading and all stages).

    The baseline is what the issue calls it: reading (``read_ms`` a article, timed by the caller),
    normalizing and tokenizing. Articles go through every stage one after the other, as in `marsad extract`
    (what one stage leaves in a cache, such as the tokens, the next one finds); each stage's time is summed
    over the articles."""
    n = len(articles)
    prepare = _timed(lambda: _normalize_and_tokenize(articles))
    out = {"read": _figure(read_ms * n / 1000, n, None),
           "baseline": _figure(read_ms * n / 1000 + prepare, n, None)}
    base = out["baseline"]["ms_per_article"]
    spent = {name: 0.0 for name, _ in pipeline.stages}
    clock = time.perf_counter
    gc.collect()
    for article in articles:
        for name, stage in pipeline.stages:
            start = clock()
            article = stage(article)
            spent[name] += clock() - start
    for name, seconds in spent.items():
        out[name] = _figure(seconds, n, base)
    out["all_stages"] = _figure(sum(spent.values()), n, base)
    out["extract"] = _figure(read_ms * n / 1000 + sum(spent.values()), n, base)
    return out


def corpus_figures(paths: list[str], pipeline: Pipeline, limit: int | None = None) -> dict[str, Any]:
    """`stage_figures` over a whole corpus, streamed (memory stays flat): every article is read, timed
    through the baseline (its reading included), then through each stage. The averages are what a long
    `marsad extract` run spends per article."""
    clock = time.perf_counter
    spent = {"read": 0.0, "normalize_tokenize": 0.0, **{name: 0.0 for name, _ in pipeline.stages}}
    chars = n = 0
    articles = iter(read_paths(paths, on_error=lambda e: None))
    gc.collect()
    while limit is None or n < limit:
        start = clock()
        article = next(articles, None)
        spent["read"] += clock() - start
        if article is None:
            break
        n += 1
        chars += len(article.raw)
        start = clock()
        tokens(normalize(article.raw))
        spent["normalize_tokenize"] += clock() - start
        for name, stage in pipeline.stages:
            start = clock()
            article = stage(article)
            spent[name] += clock() - start
    base = 1000 * (spent["read"] + spent["normalize_tokenize"]) / max(n, 1)
    out: dict[str, Any] = {"articles": n, "chars_per_article": round(chars / max(n, 1)),
                           "read": _figure(spent["read"], n, None),
                           "baseline": _figure(spent["read"] + spent["normalize_tokenize"], n, None)}
    stages = [name for name, _ in pipeline.stages]
    for name in stages:
        out[name] = _figure(spent[name], n, base)
    out["all_stages"] = _figure(sum(spent[s] for s in stages), n, base)
    out["extract"] = _figure(spent["read"] + sum(spent[s] for s in stages), n, base)
    return out


def _figure(seconds: float, n: int, baseline_ms: float | None) -> dict[str, float]:
    ms = 1000 * seconds / max(n, 1)
    fig = {"ms_per_article": round(ms, 3), "articles_per_second": round(n / seconds, 1) if seconds else None}
    if baseline_ms:
        fig["x_baseline"] = round(ms / baseline_ms, 2)
    return fig


def ingest_figures(articles: list[Article], pipeline: Pipeline, db: str, batch: int = 200) -> dict[str, Any]:
    """Articles per second through every stage into a SQLite file, and the database size."""
    from marsad.store import open_store

    with open_store(db) as store:
        def run() -> None:
            for i in range(0, len(articles), batch):
                store.add_articles([pipeline.process(a) for a in articles[i:i + batch]])

        seconds = _timed(run)
    return {"articles": len(articles), "articles_per_second": round(len(articles) / seconds, 1),
            "db_mb": round(os.path.getsize(db) / 1e6, 1)}


def search_figures(db: str, queries: tuple[str, ...] = QUERIES, rounds: int = 3) -> dict[str, Any]:
    """Latency percentiles (milliseconds) of full-text search with 20 hits and snippets; under ``dated``, the
    same queries filtered by date (`date_ranges`), each range on its own."""
    from marsad.store import open_store

    with open_store(db, readonly=True) as store:
        for q in queries:  # warm the cache once, as a running server would be
            store.search(q, limit=20)
        out: dict[str, Any] = _percentiles(_search_times(store, queries, rounds))
        ranges = date_ranges(store)
        if ranges:
            out["dated"] = {f"{since or ''}..{until or ''}": _percentiles(
                _search_times(store, queries, 1, since, until)) for since, until in ranges}
    return out


def date_ranges(store: Any) -> list[tuple[str | None, str | None]]:
    """Date filters an analyst uses, placed in the store's dates: the latest year on, the month before the
    latest, and the whole span but its latest year (everything older: a wide range)."""
    last = store.stats()["last_published"]
    if not last or len(last) < 7:
        return []
    year, month = int(last[:4]), int(last[5:7])
    before = f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"
    return [(f"{year}", None), (before, before), (None, f"{year - 1}")]


def _search_times(store: Any, queries: tuple[str, ...], rounds: int, since: str | None = None,
                  until: str | None = None) -> list[float]:
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            store.search(q, since=since, until=until, limit=20)
            times.append(1000 * (time.perf_counter() - start))
    return sorted(times)


def _percentiles(times: list[float]) -> dict[str, float]:
    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))], 2)

    return {"queries": len(times), "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": round(times[-1], 2), "mean_ms": round(statistics.fmean(times), 2)}


SYNTH_STRIDE = 7919  # a prime: copy c of base article i takes its title from base article i + c * stride
SYNTH_DAYS = 30  # copy c is dated c * SYNTH_DAYS days before its body's article


def synthesize(base: str, target: str, n: int) -> dict[str, Any]:
    """Fill ``target`` (a new SQLite store) with ``n`` articles made from the articles of the store ``base``,
    in SQL, through the store's own FTS5 triggers: first the base articles as they are (the first ``n``), then
    copies ``c = 1, 2, ...`` of them in which the article ``i`` keeps its body (text and search text), takes
    the title of article ``(i + c * SYNTH_STRIDE) mod B``, is dated ``c * SYNTH_DAYS`` days earlier and has the
    id ``<id>~<c>``. Every row is a distinct title and body pair, and each word's share of documents stays
    the real corpus's. Annotation rows and MinHash signatures are not copied (a search benchmark needs
    neither). Returns the articles written and the seconds taken."""
    import sqlite3

    from marsad.errors import MarsadError
    from marsad.store import open_store
    from marsad.store.rows import ARTICLE_COLUMNS

    if os.path.exists(target):
        raise MarsadError(f"{target}: already exists (remove it to build it again, or search it as it is)")
    if not os.path.isfile(base):
        raise MarsadError(f"{base}: no such database (bench/run.py search builds it from SaudiNewsNet)")
    started = time.perf_counter()
    for path in (base, target):  # brings an older base up to the current schema; creates the target's
        with open_store(path):
            pass
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -400000")
        conn.execute("ATTACH DATABASE ? AS b", (f"file:{base}?mode=ro",))
        conn.execute("CREATE TEMP TABLE base_rows (n INTEGER PRIMARY KEY, pk INTEGER NOT NULL)")
        conn.execute("INSERT INTO base_rows SELECT row_number() OVER (ORDER BY pk) - 1, pk FROM b.articles")
        size = conn.execute("SELECT count(*) FROM base_rows").fetchone()[0]
        if not size:
            raise MarsadError(f"{base}: holds no articles to build from (ingest some first)")
        cols = ", ".join(ARTICLE_COLUMNS)
        plain = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS)
        swapped = {
            "id": "a.id || '~' || :c", "content_hash": "a.content_hash || '~' || :c", "title": "t.title",
            "published": "date(a.published, '-' || (:c * :days) || ' days')",
            "near_dup_group": "a.near_dup_group || '~' || :c", "search_title": "t.search_title",
            "record": "json_set(a.record, '$.id', a.id || '~' || :c, '$.title', t.title, '$.published', "
                      "date(a.published, '-' || (:c * :days) || ' days'))",
        }
        copied = ", ".join(swapped.get(c, f"a.{c}") for c in ARTICLE_COLUMNS)
        written, copy = 0, 0
        while written < n:
            take = min(size, n - written)
            conn.execute("BEGIN")
            if copy == 0:
                conn.execute(f"INSERT INTO articles ({cols}) SELECT {plain} FROM base_rows r "
                             "JOIN b.articles a ON a.pk = r.pk WHERE r.n < :take ORDER BY r.n", {"take": take})
            else:
                conn.execute(
                    f"INSERT INTO articles ({cols}) SELECT {copied} FROM base_rows r JOIN b.articles a ON a.pk = r.pk "
                    "JOIN base_rows rt ON rt.n = (r.n + :c * :stride) % :size JOIN b.articles t ON t.pk = rt.pk "
                    "WHERE r.n < :take ORDER BY r.n",
                    {"c": copy, "days": SYNTH_DAYS, "stride": SYNTH_STRIDE, "size": size, "take": take})
            conn.execute("COMMIT")
            written += take
            copy += 1
    finally:
        conn.close()
    return {"articles": written, "base_articles": size, "copies": copy,
            "seconds": round(time.perf_counter() - started, 1)}


def db_mb(path: str) -> float:
    """The size of a SQLite database with its WAL, in MB."""
    return round(sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) / 1e6, 1)


def search_db_figures(db: str) -> dict[str, Any]:
    """`search_figures` of an existing database, with its article count and size."""
    from marsad.store import open_store

    with open_store(db, readonly=True) as store:
        n = store.count_articles()
    return {"db": db, "articles": n, "db_mb": db_mb(db), **search_figures(db)}


def peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


WARMUP = 700  # articles run untimed between the fresh-process and the steady-state measures


def run_bench(shared: Path, n: int = 300, quick: bool = True, db: str | None = None,
              warmup: int = WARMUP) -> dict[str, Any]:
    """The benchmark report as a dict (what `marsad bench` prints as JSON).

    The stages are timed twice, on two sets of ``n`` articles (alternate ones of the first ``2 n``):
    ``stages_fresh_process`` on the first set right after loading (each new word's features are computed
    once, then cached), and ``stages`` on the second after ``warmup`` more articles have run untimed: the
    steady state of a long `marsad extract` or `marsad ingest` run, where most words have been seen. Ingest
    and search use the second set."""
    started = time.perf_counter()
    paths = corpus_paths(shared)
    pipeline = Pipeline()
    started_reading = time.perf_counter()
    articles = load_articles(paths, 2 * n + warmup)  # the two timed sets alike: alternate articles
    read_ms = 1000 * (time.perf_counter() - started_reading) / max(len(articles), 1)
    fresh, measured, warm = articles[:2 * n:2], articles[1:2 * n:2], articles[2 * n:]
    if not measured:
        from marsad.errors import MarsadError

        raise MarsadError(f"{shared}: the corpus has {len(articles)} articles, the bench needs {2 * n + warmup}")
    report: dict[str, Any] = {"machine": {"cores": os.cpu_count()}, "articles": len(measured),
                              "chars_per_article": round(statistics.fmean(len(a.raw) for a in measured))}
    report["stages_fresh_process"] = stage_figures(fresh, pipeline, read_ms)
    for article in warm:
        pipeline.process(article)
    report["articles_before_steady_state"] = n + len(warm)
    report["stages"] = stage_figures(measured, pipeline, read_ms)
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "bench.db")
        report["ingest"] = ingest_figures(measured, pipeline, path)
        report["search"] = search_figures(path)
        report["search"]["articles_in_db"] = len(measured)
    report["peak_memory_mb"] = peak_memory_mb()
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def iter_corpus(shared: Path) -> Iterator[Article]:
    return read_paths(corpus_paths(shared), on_error=lambda e: None)


def write_corpus(articles: list[Article], path: Path) -> Path:
    """The raw articles as one JSON array the JSON reader reads back to the same raw articles."""
    import json

    rows = [{"id": a.id, "title": a.title, "date": a.published_raw, "source": a.source, "author": a.author,
             "section": a.section, "url": a.url, "text": a.raw} for a in articles]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def _workers_cpu(client: Any) -> float:
    """The CPU seconds the cluster's worker processes have used so far."""
    return sum(client.run(time.process_time).values())


def dask_speedup(shared: Path, n: int = 1500, workers: tuple[int, ...] = (1, 2), partition_size: int = 100,
                 single: bool = True, warmup: int = 300, repeats: int = 3) -> dict[str, Any]:
    """Ingest the same ``n`` SaudiNewsNet articles with the Dask engine on local clusters of each size in
    ``workers`` (one thread per worker process), and in this process (``single``). Seconds exclude starting
    the cluster (reported apart) and a warm-up: first ``warmup`` other articles go through the same engine
    into a store of their own, so that every worker has loaded its resources and filled its word caches, as
    it has for all but the first moments of a long run. The cluster sizes take turns ``repeats`` times (this
    host's speed drifts by up to 40% over minutes: a pair of neighbouring runs shares the drift);
    ``speedup`` is the median over the rounds of the smallest cluster's time over the largest's. Beside each
    cluster size's seconds: the CPU an article took in this process (the client: reading, the store's
    writes, and a local cluster's scheduler and nannies) and in the workers, and how many cores were busy
    on average; the speed-up is about two divided by the workers' slowdown when both run (their CPU an
    article over one worker's) plus the client's share of the work."""
    from marsad.ingest import ingest
    from marsad.scale import connect, ingest_dask
    from marsad.store import open_store

    loaded = load_articles(corpus_paths(shared), warmup + n)
    articles = loaded[warmup:]
    report: dict[str, Any] = {"articles": len(articles), "warmup_articles": warmup,
                              "partition_size": partition_size, "rounds": repeats,
                              "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp:
        src = str(write_corpus(articles, Path(tmp) / "corpus.json"))
        first = str(write_corpus(loaded[:warmup], Path(tmp) / "warmup.json"))
        if single:
            pipeline = Pipeline()
            with open_store(str(Path(tmp) / "single-warmup.db")) as store:
                ingest([first], store, pipeline)
            with open_store(str(Path(tmp) / "single.db")) as store:
                seconds = _timed(lambda: ingest([src], store, pipeline))
            report["single_process"] = {"seconds": round(seconds, 1),
                                        "articles_per_second": round(len(articles) / seconds, 1)}
        took: dict[int, list[float]] = {w: [] for w in workers}
        cpu: dict[int, list[tuple[float, float]]] = {w: [] for w in workers}
        for r, w in product(range(repeats), workers):
            run = Path(tmp) / f"dask{w}-{r}"
            started = time.perf_counter()
            with connect(f"local:{w}") as client:
                startup = time.perf_counter() - started
                with open_store(f"{run}-warmup.db") as store:
                    ingest_dask([first], store, client, f"{run}-warmup.parquet", partition_size=partition_size)
                with open_store(f"{run}.db") as store:
                    result = {}
                    own, theirs = time.process_time(), _workers_cpu(client)
                    took[w].append(_timed(lambda: result.update(r=ingest_dask(
                        [src], store, client, f"{run}.parquet", partition_size=partition_size))))
                    cpu[w].append((time.process_time() - own, _workers_cpu(client) - theirs))
            per_article = 1000 / len(articles)
            report[f"dask_{w}_workers"] = {
                "seconds": [round(t, 1) for t in took[w]], "cluster_start_seconds": round(startup, 1),
                "articles_per_second": round(len(articles) / statistics.median(took[w]), 1),
                "client_cpu_ms_per_article": round(statistics.median(c for c, _ in cpu[w]) * per_article, 2),
                "workers_cpu_ms_per_article": round(statistics.median(k for _, k in cpu[w]) * per_article, 2),
                "cores_busy": round(statistics.median((c + k) / t for (c, k), t in zip(cpu[w], took[w])), 2),
                "new": result["r"].new}
        lo, hi = min(workers), max(workers)
        if lo != hi:
            ratios = [a / b for a, b in zip(took[lo], took[hi])]
            report["speedups"] = [round(x, 2) for x in ratios]
            report["speedup"] = round(statistics.median(ratios), 2)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return report

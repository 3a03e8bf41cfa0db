"""The larger benchmark configurations, built on `marsad.bench` (``marsad bench`` runs the quick one).

    .venv/bin/python bench/run.py stages --articles 2000        # per-stage cost, ingest rate, search latency
    .venv/bin/python bench/run.py corpus                        # per-stage cost over all of SaudiNewsNet
    .venv/bin/python bench/run.py dask --articles 1500          # Dask speed-up: 2 workers vs 1 (local cluster)
    .venv/bin/python bench/run.py memory --sizes 5000 20000     # peak RSS of `marsad ingest` vs corpus size
    .venv/bin/python bench/run.py search --articles 1000000 --db /tmp/marsad-1m.db   # search latency at scale
    .venv/bin/python bench/run.py all > bench.json

Each prints one JSON object; ``--shared`` points at the shared data folder (SaudiNewsNet under
``data/saudinewsnet/dataset``). See bench/README.md for what each measures and the figures last obtained.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.bench import corpus_paths, db_mb, run_bench, search_figures, synthesize  # noqa: E402


def zips_for(paths: list[str], n: int) -> tuple[list[str], int]:
    """The shortest prefix of the SaudiNewsNet zips holding at least ``n`` articles, and how many it holds."""
    from marsad.read import read_paths

    chosen, total = [], 0
    for p in paths:
        if total >= n:
            break
        chosen.append(p)
        total += sum(1 for _ in read_paths([p], on_error=lambda e: None))
    return chosen, total


def ingest_child(argv: list[str]) -> None:
    """In a child process: ingest ARGV[2:] into ARGV[0] with the stages named in ARGV[1] (comma-separated, or
    ``all``) and print the report as JSON: what `marsad ingest` does, with a cheaper pipeline on demand."""
    from marsad.ingest import ingest
    from marsad.pipeline import Pipeline
    from marsad.store import open_store

    db, stages, inputs = argv[0], argv[1], argv[2:]
    pipeline = Pipeline()
    if stages != "all":
        pipeline.stages = tuple(s for s in pipeline.stages if s[0] in stages.split(","))
    with open_store(db) as store:
        report = ingest(inputs, store, pipeline)
    sys.stdout.write(json.dumps(report.as_dict()) + "\n")


def ingest_rss(inputs: list[str], stages: str = "all") -> dict[str, Any]:
    """Ingest ``inputs`` in a child process into a fresh database; its peak RSS and time."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "_child", str(Path(tmp) / "m.db"), stages, *inputs]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        stdout = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        db_mb = sum(f.stat().st_size for f in Path(tmp).glob("m.db*")) / 1e6
    report = json.loads(stdout.decode().strip().splitlines()[-1]) if proc.returncode == 0 else {}
    return {"exit_code": proc.returncode, "new": report.get("new"), "failed": report.get("failed"),
            "seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "db_mb": round(db_mb, 1)}


def memory(shared: Path, sizes: list[int], stages: str = "all") -> dict[str, Any]:
    """Peak RSS of the ingesting process for each corpus size: flat means streaming works."""
    paths = corpus_paths(shared)
    out: dict[str, Any] = {"stages": stages}
    for n in sizes:
        inputs, total = zips_for(paths, n)
        out[str(n)] = {"zips": len(inputs), "articles": total, **ingest_rss(inputs, stages)}
    return out


def build_base(shared: Path, path: str) -> dict[str, Any]:
    """The SaudiNewsNet articles, read, cleaned and dated (the cheap stages), stored in ``path``."""
    from marsad.ingest import ingest
    from marsad.pipeline import Pipeline
    from marsad.store import open_store

    pipeline = Pipeline()
    pipeline.stages = tuple(s for s in pipeline.stages if s[0] in ("clean", "dates"))
    started = time.perf_counter()
    with open_store(path) as store:
        report = ingest(corpus_paths(shared), store, pipeline)
    return {"path": path, "new": report.new, "duplicate": report.duplicate,
            "seconds": round(time.perf_counter() - started, 1), "db_mb": db_mb(path)}


def search_scale(shared: Path, n: int, db: str, base: str) -> dict[str, Any]:
    """Search latency on a store of ``n`` articles at ``db``: reused when it exists, else made by
    `marsad.bench.synthesize` from the real articles in ``base`` (built first when missing)."""
    out: dict[str, Any] = {}
    if not os.path.exists(db):
        if not os.path.exists(base):
            out["base"] = build_base(shared, base)
        out["build"] = synthesize(base, db, n)
    out["db"] = db
    out["db_mb"] = db_mb(db)
    out["search"] = search_figures(db)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("config", choices=["stages", "corpus", "dask", "memory", "search", "all"])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--articles", type=int, default=None,
                    help="articles (stages: 2000, corpus: all, dask: 1500, search: 1000000)")
    ap.add_argument("--db", default=None, help="search: the database (default /tmp/marsad-search-N.db), "
                    "reused when it exists, else built from --base")
    ap.add_argument("--base", default="/tmp/marsad-snn-base.db",
                    help="search: the store of the real SaudiNewsNet articles (built first when missing)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="dask: worker counts to compare")
    ap.add_argument("--warmup", type=int, default=300, help="dask: other articles each engine runs untimed first")
    ap.add_argument("--rounds", type=int, default=3, help="dask: times the cluster sizes take turns")
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000], help="memory: corpus sizes")
    ap.add_argument("--stages", default="all", help="memory: the stages to run, comma-separated (e.g. "
                    "clean,dates,quotes,references,events: all but the costly entities), or all")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return ingest_child(argv[1:])
    args = ap.parse_args(argv)
    report: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()}}
    if args.config in ("stages", "all"):
        report["stages"] = run_bench(args.shared, n=args.articles or 2000, quick=False)
    if args.config == "corpus":
        from marsad.bench import corpus_figures
        from marsad.pipeline import Pipeline

        report["corpus"] = corpus_figures(corpus_paths(args.shared), Pipeline(), args.articles)
    if args.config in ("dask", "all"):
        from marsad.bench import dask_speedup

        report["dask"] = dask_speedup(args.shared, n=args.articles or 1500, workers=tuple(args.workers),
                                      warmup=args.warmup, repeats=args.rounds)
    if args.config in ("memory", "all"):
        report["memory"] = memory(args.shared, args.sizes, args.stages)
    if args.config == "search":
        n = args.articles or 1_000_000
        report["search"] = search_scale(args.shared, n, args.db or f"/tmp/marsad-search-{n}.db", args.base)
    sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()

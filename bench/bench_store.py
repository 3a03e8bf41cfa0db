"""Rough store benchmark on SaudiNewsNet: ingest rate and search latency (not a test; run it by hand).

    .venv/bin/python bench/bench_store.py [DB] [--batch 500] [--max 5000]

DB is a SQLite path (deleted first) or a PostgreSQL URL (use an empty database or schema, e.g. one started by
``scripts/pg_test_server.sh``: ``'postgresql://postgres@/postgres?host=/tmp/marsad-pg/socket'``).
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import itertools
import json
import os
import statistics
import sys
import time
import zipfile
from typing import Iterator

from marsad.model import Article
from marsad.store import open_store

DATA = "/work/shared/data/saudinewsnet/dataset/*.zip"
QUERIES = ["السعودية", "الرياض", "الأسد", "قامشلي", "الائتلاف", "الحوثي صنعاء", '"الأمم المتحدة"',
           "إيران OR العراق", "الملك سلمان", "داعش -العراق", "النفط", "وزير الخارجية", "الهدنة الإنسانية",
           "كرة القدم", "تنظيم الدولة", "مجلس الأمن 2216", "عاصفة الحزم", "الإرهاب", "زير", "القامشلي"]


def snn_articles(pattern: str = DATA) -> Iterator[Article]:
    for path in sorted(glob.glob(pattern)):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for i, d in enumerate(json.loads(z.read(name))):
                    url = d.get("url") or f"{name}#{i}"
                    yield Article(id="snn-" + hashlib.sha1(url.encode()).hexdigest()[:16], source_file=url,
                                  title=d.get("title"), published=(d.get("date_extracted") or "")[:10] or None,
                                  source=d.get("source"), author=d.get("author"), text=d.get("content") or "",
                                  url=url, kind="json")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", default="/tmp/marsad-bench.db")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--max", type=int, default=None, help="ingest at most this many articles")
    ap.add_argument("--keep", action="store_true", help="reuse an existing database (skip ingest timing)")
    args = ap.parse_args()
    if not args.keep and "://" not in args.db:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
    out = sys.stdout.write
    with open_store(args.db) as store:
        if not args.keep:
            t0, batch, totals = time.perf_counter(), [], [0, 0, 0]
            for a in itertools.islice(snn_articles(), args.max):
                batch.append(a)
                if len(batch) == args.batch:
                    r = store.add_articles(batch)
                    totals = [totals[0] + r.new, totals[1] + r.duplicate, totals[2] + r.near_duplicate]
                    batch = []
            if batch:
                r = store.add_articles(batch)
                totals = [totals[0] + r.new, totals[1] + r.duplicate, totals[2] + r.near_duplicate]
            dt = time.perf_counter() - t0
            n = sum(totals[:2])
            out(f"ingest: {n} articles in {dt:.1f} s = {n / dt:.0f} articles/s "
                f"(new {totals[0]}, duplicate {totals[1]}, near-duplicate {totals[2]})\n")
        out(f"stats: {json.dumps({k: v for k, v in store.stats().items() if k != 'sources'})}\n")
        times = []
        for _ in range(5):
            for q in QUERIES:
                t = time.perf_counter()
                store.search(q, limit=20)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        out(f"search: {len(times)} queries, median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"max {times[-1]:.1f} ms\n")
        for q in QUERIES:
            t = time.perf_counter()
            n = store.count_search(q)
            hits = store.search(q, since="2015-07-25", limit=20)
            out(f"  {q!r}: {n} hits, {len(hits)} since 07-25, {(time.perf_counter() - t) * 1000:.1f} ms\n")
        t = time.perf_counter()
        reopened = open_store(args.db)
        reopened.add_articles([next(snn_articles())])  # a duplicate (the LSH index is queried in the database)
        out(f"reopen + 1 add: {(time.perf_counter() - t) * 1000:.0f} ms\n")
        reopened.close()


if __name__ == "__main__":
    main()

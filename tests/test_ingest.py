"""Incremental ingest: a grown folder or file processes only what is new; a killed run resumes to the same DB."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.ingest import ingest
from marsad.store import open_store
from marsad.store.progress import FileMark, item_key
from tests.conftest import ROOT, SEEDS


def paragraphs() -> list[str]:
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        out += [p.strip() for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 80]
    return out


def items(start: int, n: int) -> list[dict]:
    """Small distinct articles made of seed paragraphs and a numbered sentence."""
    paras = paragraphs()
    return [{"id": f"syn-{k:04d}", "title": f"خبر رقم {k} عن اجتماع في القامشلي", "date": "2023-01-11",
             "text": "\n".join([paras[k % len(paras)], paras[(3 * k + 1) % len(paras)],
                                f"وأفاد المصدر بأن عدد المشاركين في الاجتماع بلغ {k} شخصا."])}
            for k in range(start, start + n)]


def write_array(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def records(db: Path) -> list[dict]:
    with open_store(str(db), readonly=True) as store:
        return [a.to_dict() for a in store.iter_articles()]


def groups(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, content_hash, near_dup_group FROM articles ORDER BY pk").fetchall()


def run(paths, db: Path, pipeline, **kw):
    with open_store(str(db)) as store:
        return ingest([str(p) for p in paths], store, pipeline, **kw)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for f in SEEDS.glob("*.txt"):
        (d / f.name).write_bytes(f.read_bytes())
    write_array(d / "a.json", items(0, 6))
    return d


def test_grown_folder_processes_only_the_new_file(folder, tmp_path, pipeline):
    db = tmp_path / "m.db"
    first = run([folder], db, pipeline)
    assert (first.new, first.processed, first.skipped) == (8, 8, 0)
    (folder / "b.txt").write_text("20/03/2023\n\nخبر جديد\n\n" + paragraphs()[2], encoding="utf-8")
    second = run([folder], db, pipeline)
    assert second.processed == 1 and second.new == 1
    assert second.skipped_inputs == 3 and second.skipped == 8 and second.duplicate == 8
    clean = tmp_path / "clean.db"
    run([folder], clean, pipeline, incremental=False)
    assert records(db) == records(clean)
    third = run([folder], db, pipeline)
    assert (third.processed, third.new, third.skipped_inputs) == (0, 0, 4)


def test_grown_file_processes_only_its_new_items(folder, tmp_path, pipeline):
    db = tmp_path / "m.db"
    run([folder], db, pipeline)
    write_array(folder / "a.json", items(0, 9))  # three items appended to the dump
    again = run([folder], db, pipeline)
    assert again.processed == 3 and again.new == 3 and again.skipped == 8 and again.skipped_inputs == 2
    clean = tmp_path / "clean.db"
    run([folder], clean, pipeline, incremental=False)
    assert records(db) == records(clean)


def test_touched_file_is_not_read_and_a_changed_one_is(folder, tmp_path, pipeline):
    db = tmp_path / "m.db"
    run([folder], db, pipeline)
    seed = next(folder.glob("000_*.txt"))
    os.utime(seed, ns=(time.time_ns(), time.time_ns() + 10**9))
    touched = run([folder], db, pipeline)
    assert touched.processed == 0 and touched.skipped_inputs == 3
    seed.write_text(seed.read_text(encoding="utf-8").replace("القامشلي", "الحسكة"), encoding="utf-8")
    changed = run([folder], db, pipeline)
    assert changed.processed == 1 and changed.new == 1 and changed.skipped_inputs == 2


def test_deleted_article_is_processed_again(folder, tmp_path, pipeline):
    db = tmp_path / "m.db"
    run([folder], db, pipeline)
    with open_store(str(db)) as store:
        assert store.delete(["syn-0002"]) == 1
    again = run([folder], db, pipeline)
    assert again.processed == 1 and again.new == 1
    with open_store(str(db), readonly=True) as store:
        assert store.get("syn-0002") is not None


def test_bad_input_is_reported_on_every_run(folder, tmp_path, pipeline):
    db = tmp_path / "m.db"
    (folder / "bad.txt").write_bytes(b"")
    for _ in range(2):
        report = run([folder], db, pipeline)
        assert report.failed == 1 and "bad.txt" in str(report.failures[0])


def test_reprocess_processes_everything(folder, tmp_path, pipeline):
    db = tmp_path / "m.db"
    run([folder], db, pipeline)
    again = run([folder], db, pipeline, incremental=False)
    assert (again.processed, again.new, again.duplicate) == (8, 0, 8)


def test_ledger_round_trips(tmp_path, pipeline):
    art = next(iter(pipeline.run([str(SEEDS)])))
    assert item_key(art) == item_key(art) and item_key(art).startswith("item:")
    mark = FileMark.of(next(SEEDS.glob("*.txt")), ["a"], ["h"])
    assert FileMark.from_json(mark.to_json()) == mark
    with open_store(":memory:") as store:
        assert store.ledger_get(["x"]) == {}
        store.ledger_put({"x": "1", "y": "2"})
        store.ledger_put({"x": "3"})
        assert store.ledger_get(["x", "y", "z"]) == {"x": "3", "y": "2"}


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_killed_run_resumes_to_the_same_database(tmp_path, pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(4):
        write_array(corpus / f"dump{i}.json", items(40 * i, 40))
    clean = tmp_path / "clean.db"
    run([corpus], clean, pipeline, batch_size=10)
    total = len(records(clean))
    assert total == 160

    db = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "ingest", str(corpus), "--db", str(db),
                             "--batch-size", "10", "--format", "json"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    try:
        while _count(db) < 50 and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    stored = _count(db)
    assert 50 <= stored < total, f"the run should be killed half-way (stored {stored} of {total})"

    resumed = run([corpus], db, pipeline, batch_size=10)
    assert resumed.skipped >= stored - 10, "committed batches are not processed again"
    assert resumed.processed <= total - stored + 10
    assert resumed.failed == 0
    assert groups(db) == groups(clean)
    assert records(db) == records(clean)


def test_pipeline_keeps_the_collector_off_its_resources(pipeline):
    """The loaded resources are frozen out of the collector's sight and young collections are rarer: full
    collections walking the knowledge base were a fifth of the entities stage's time."""
    import gc

    from marsad.pipeline import GC_THRESHOLD

    assert gc.get_freeze_count() > 100_000  # the knowledge base, the tagger's tables, the lexicons
    assert gc.get_threshold()[0] == GC_THRESHOLD

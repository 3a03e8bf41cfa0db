"""Atomic batches under SIGKILL, and the files a store refuses to open."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from marsad.errors import StoreError
from marsad.store import open_store

from .conftest import annotated

CHILD = textwrap.dedent("""
    import os, signal, sys
    from marsad.model import Article
    from marsad.store import open_store

    path, batch_size = sys.argv[1], int(sys.argv[2])

    def batch(k):
        return [Article(id=f"b{k}-{i}", source_file="x.txt", title=f"عنوان {i}",
                        text=f"مقال رقم {i} من الدفعة وسمهادفعة{k} " + "نص طويل للتجربة " * 150)
                for i in range(batch_size)]

    store = open_store(path)
    store._conn.execute("PRAGMA cache_size = 5")  # spill dirty pages to the WAL before the commit
    store._conn.execute("PRAGMA wal_autocheckpoint = 0")  # so the WAL only grows
    store.add_articles(batch(1))
    store.add_articles(batch(2))
    print(os.path.getsize(path + "-wal"), flush=True)
    # die inside batch 3's transaction, after half of its rows (and their FTS entries) are written
    store._conn.create_function("die", 0, lambda: os.kill(os.getpid(), signal.SIGKILL))
    store._conn.execute(f"CREATE TEMP TRIGGER die AFTER INSERT ON main.articles "
                        f"WHEN new.id = 'b3-{batch_size // 2}' BEGIN SELECT die(); END")
    store.add_articles(batch(3))
    print("not killed", flush=True)
""")


def test_sigkill_mid_batch_keeps_committed_batches(tmp_path):
    path = tmp_path / "crash.db"
    size = 200
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path), str(size)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    wal_before = int(proc.stdout.split()[0])
    assert "not killed" not in proc.stdout
    assert os.path.getsize(str(path) + "-wal") > wal_before  # batch 3's uncommitted pages reached the disk
    with open_store(path) as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.verify() == []
        assert store.stats()["articles"] == 2 * size
        assert store.known_ids() == {f"b{k}-{i}" for k in (1, 2) for i in range(size)}
        assert store.count_search("وسمهادفعة1") == size and store.count_search("وسمهادفعة2") == size
        assert store.count_search("وسمهادفعة3") == 0
        fts_docs = store._conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
        assert fts_docs == 2 * size
        assert store._conn.execute("SELECT count(*) FROM minhash").fetchone()[0] == 2 * size
        r = store.add_articles([annotated()])  # and it keeps working
        assert r.new == 1 and store.verify() == []


def test_not_a_database(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database, just some text " * 100)
    with pytest.raises(StoreError, match="notes.db.*not a SQLite database"):
        open_store(bad)
    with pytest.raises(StoreError, match="notes.db"):
        open_store(bad, readonly=True)


def test_not_a_marsad_database(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a marsad database"):
        open_store(other, readonly=True)


def test_directory_and_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "no" / "such" / "m.db")
    with pytest.raises(StoreError, match="no such database"):
        open_store(tmp_path / "absent.db", readonly=True)


def test_unwritable_location():
    with pytest.raises(StoreError, match="/proc/marsad-test.db"):
        open_store("/proc/marsad-test.db")


def test_read_only_open(tmp_path):
    path = tmp_path / "m.db"
    with open_store(path) as s:
        s.add_articles([annotated()])
    with open_store(path, readonly=True) as s:
        assert s.count_search("القامشلي") == 1 and s.get(annotated().id) == annotated()
        with pytest.raises(StoreError, match="read-only"):
            s.add_articles([annotated()])


def test_read_only_file_for_an_unprivileged_user():
    """chmod 444 only binds a non-root user: as root, run the check as `nobody`."""
    folder = Path(tempfile.mkdtemp(prefix="marsad-ro-"))
    try:
        path = folder / "ro.db"
        with open_store(path) as s:
            s.add_articles([annotated()])
        path.chmod(0o444)
        code = (f"from marsad.store import open_store\n"
                f"try:\n    open_store({str(path)!r})\nexcept Exception as e:\n    print(type(e).__name__, e)")
        if os.geteuid() != 0:
            with pytest.raises(StoreError, match="read-only"):
                open_store(path)
            return
        folder.chmod(0o755)
        try:
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, user="nobody",
                                  cwd="/", timeout=60, env={**os.environ, "HOME": "/"})
        except (PermissionError, KeyError, OSError) as e:
            pytest.skip(f"cannot run as nobody: {e}")
        if proc.returncode != 0:
            pytest.skip(f"cannot import marsad as nobody: {proc.stderr[-200:]}")
        assert proc.stdout.startswith("StoreError") and "ro.db" in proc.stdout and "read-only" in proc.stdout
    finally:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()

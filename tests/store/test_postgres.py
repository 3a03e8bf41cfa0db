"""PostgreSQL only: migrations, read-only opens, connection errors, what PostgreSQL text cannot hold, the
search translation, and atomic batches when the writer is killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest

from marsad.errors import StoreError
from marsad.store import Store, open_store
from marsad.store import pg_schema
from marsad.store.pg_search import compile_query, parse_fts
from marsad.store.search import parse_query

from .conftest import annotated, art


@pytest.fixture
def pg(pg_url):
    with open_store(pg_url) as s:
        yield s


def test_opens_a_postgres_store(pg, pg_url):
    from marsad.store.postgres import PostgresStore

    assert isinstance(pg, Store) and isinstance(pg, PostgresStore)
    versions = [r[0] for r in pg._conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == [m.version for m in pg_schema.MIGRATIONS]
    assert pg.verify() == []
    with open_store(pg_url.replace("postgresql://", "postgres://", 1)) as again:
        assert again.stats()["articles"] == 0


def test_migrations_are_idempotent_and_a_new_step_applies_once(pg_url, monkeypatch):
    import psycopg

    with open_store(pg_url) as s:
        s.add_articles([annotated()])
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert pg_schema.migrate(conn, "x") == []  # up to date: nothing to do
        step = pg_schema.Migration(99, "a later change", (
            "ALTER TABLE articles ADD COLUMN reviewed BOOLEAN NOT NULL DEFAULT false",))
        later = (*pg_schema.MIGRATIONS, step)
        assert pg_schema.migrate(conn, "x", later) == [99]
        assert pg_schema.migrate(conn, "x", later) == []
        assert conn.execute("SELECT count(*) FROM articles WHERE NOT reviewed").fetchone()[0] == 1
    # the database is now newer than this code: refused, writable or not
    with pytest.raises(StoreError, match="migration 99, newer than this marsad"):
        open_store(pg_url)
    with pytest.raises(StoreError, match="newer"):
        open_store(pg_url, readonly=True)
    monkeypatch.setattr(pg_schema, "MIGRATIONS", later)
    monkeypatch.setattr("marsad.store.postgres.migrate",
                        lambda conn, where: pg_schema.migrate(conn, where, later))
    monkeypatch.setattr("marsad.store.postgres.check_current",
                        lambda conn, where: pg_schema.check_current(conn, where, later))
    with open_store(pg_url) as s:
        assert s.get(annotated().id) == annotated()


def test_a_failing_step_is_rolled_back_whole(pg_url):
    import psycopg

    with open_store(pg_url):
        pass
    bad = pg_schema.Migration(50, "half done", ("CREATE TABLE half (x int)", "SELECT no_such_function()"))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        with pytest.raises(psycopg.Error):
            pg_schema.migrate(conn, "x", (*pg_schema.MIGRATIONS, bad))
        assert conn.execute("SELECT to_regclass('half')").fetchone()[0] is None
        assert 50 not in pg_schema.applied(conn)


def test_read_only(pg_url, pg_server):
    with open_store(pg_url) as s:
        s.add_articles([annotated()])
    with open_store(pg_url, readonly=True) as s:
        assert s.count_search("القامشلي") == 1 and s.get(annotated().id) == annotated()
        with pytest.raises(StoreError, match="read-only"):
            s.add_articles([art("x", "نص")])
        with pytest.raises(Exception):
            s._conn.execute("DELETE FROM articles")
    empty = pg_url.rsplit("options=", 1)[0] + "options=-csearch_path%3Dno_such_schema"
    with pytest.raises(StoreError, match="not a marsad database"):
        open_store(empty, readonly=True)


def test_connection_errors_name_the_server_without_password(tmp_path):
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg: pip install 'psycopg[binary]==3.3.9'")
    url = f"postgresql://marsad:secret@/nodb?host={tmp_path}&port=1"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as err:
        open_store(url)
    assert "secret" not in str(err.value) and "marsad:***@" in str(err.value)


def test_nul_characters_and_huge_texts(pg):
    a = art("nul", "قال الناطق\x00 باسم الأسد إن الوضع مستقر", title="عنوان\x00")
    pg.add_articles([a])
    assert pg.get("nul") == a  # the record keeps them
    (hit,) = pg.search("الأسد")
    assert hit.id == "nul" and "\x00" not in hit.snippet
    words = " ".join(f"كلمة{i}" for i in range(60_000))
    pg.add_articles([art("huge", words)])  # would exceed a tsvector's 1 MB: its indexed text is cut
    assert pg.count_search("كلمة10") == 1 and pg.get("huge").text == words
    assert pg.verify() == []


def test_phrase_proximity_like_fts5(pg):
    pg.add_articles([
        art("near", "اجتمع الائتلاف الوطني السوري في إسطنبول"),
        art("far", "الائتلاف " + "كلمة " * 20 + "الوطني"),
        art("split", "الائتلاف", title="الوطني"),  # one word in the title, the other in the body
    ])
    assert [h.id for h in pg.search('"الائتلاف الوطني"')] == ["near"]
    assert [h.id for h in pg.search('"الوطني الائتلاف"')] == ["near"]  # any order, as FTS5's NEAR
    assert sorted(h.id for h in pg.search("الائتلاف الوطني")) == ["far", "near", "split"]
    assert sorted(h.id for h in pg.search('الائتلاف -"الائتلاف الوطني"')) == ["far", "split"]
    assert sorted(h.id for h in pg.search('"الائتلاف الوطني" OR اسطنبول')) == ["near"]
    assert pg.search('"الائتلاف الوطني" OR اسطنبول', until="2020") == []  # the date binds the whole OR


def test_numbers_split_as_fts5_splits_them(pg):
    pg.add_articles([art("num", "ارتفع المؤشر 9.5 بالمئة وبلغ العجز 2,254 مليون في 2015/7/21")])
    for q in ("9", "5", "9.5", '"9.5"', "2,254", "254", "2015", "21"):
        assert [h.id for h in pg.search(q)] == ["num"], q
    assert pg.search("95") == [] and pg.search("9.4") == []


def test_query_translation_is_parameterized():
    c = compile_query(parse_query("الأسد OR حلب دمشق -\"مجلس الأمن\""))
    assert "الاسد" not in c.where and c.params[:3] == ["الاسد", "حلب", "دمشق"]
    assert c.where.count("?") == len(c.params)
    assert c.rank.count("?") == len(c.rank_params) and "مجلس" not in c.rank_params
    assert parse_fts('"a ""b"" c"').text == 'a "b" c'


CHILD = textwrap.dedent("""
    import os, signal, sys
    from marsad.model import Article
    from marsad.store import open_store
    from marsad.store.postgres import PostgresStore

    url, size = sys.argv[1], int(sys.argv[2])

    def batch(k):
        return [Article(id=f"b{k}-{i}", source_file="x.txt", title=f"عنوان {i}",
                        text=f"مقال رقم {i} من الدفعة وسمهادفعة{k} " + "نص طويل للتجربة " * 50)
                for i in range(size)]

    store = open_store(url)
    store.add_articles(batch(1))
    store.add_articles(batch(2))
    print("committed", flush=True)
    # die inside batch 3's transaction, after its articles and signatures are written, before its annotations
    PostgresStore._insert_children = lambda self, arts: os.kill(os.getpid(), signal.SIGKILL)
    store.add_articles(batch(3))
    print("not killed", flush=True)
""")


def test_sigkill_mid_batch_keeps_committed_batches(pg_url):
    size = 100
    proc = subprocess.run([sys.executable, "-c", CHILD, pg_url, str(size)], capture_output=True, text=True,
                          timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "committed" in proc.stdout and "not killed" not in proc.stdout
    with open_store(pg_url) as store:
        assert store.stats()["articles"] == 2 * size
        assert store.count_search("وسمهادفعة2") == size and store.count_search("وسمهادفعة3") == 0
        assert store._conn.execute("SELECT count(*) FROM minhash").fetchone()[0] == 2 * size
        r = store.add_articles([annotated(), replace(annotated(), id="dup")])
        assert (r.new, r.duplicate) == (1, 1) and store.verify() == []


def test_two_writers_are_serialized(pg_url):
    """Two stores writing the same content at once: one stores it, the other sees a duplicate."""
    import threading

    batch = [art(f"w{i}", f"نص رقم {i} " + "كلمات متكررة في كل مقال " * 5) for i in range(200)]
    with open_store(pg_url) as first, open_store(pg_url) as second:
        results = {}
        threads = [threading.Thread(target=lambda s=s, k=k: results.__setitem__(k, s.add_articles(batch)))
                   for k, s in (("a", first), ("b", second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(r.new for r in results.values()) == [0, 200]
        assert first.stats()["articles"] == 200

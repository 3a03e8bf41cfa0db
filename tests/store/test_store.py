"""The store interface on SQLite: round trip, annotation tables, deduplication by content, ids, stats."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

from marsad.errors import StoreError
from marsad.store import AddResult, Store, open_store
from marsad.store.sqlite import SQLiteStore

from .conftest import annotated, art


def test_round_trip_with_annotations(store):
    a = annotated()
    r = store.add_articles([a])
    assert r == AddResult(new=1, duplicate=0, near_duplicate=0, ids=[a.id])
    got = store.get(a.id)
    assert got == a
    assert got.to_dict() == a.to_dict()
    assert store.get("nope") is None


def test_the_record_leaves_the_text_to_its_column_and_older_rows_still_read(store):
    a, nul = annotated(), art("nul", "نص فيه\x00 محرف لا تحمله أعمدة PostgreSQL")
    store.add_articles([a, nul])
    c = store._conn
    rows = dict(c.execute("SELECT id, record FROM articles").fetchall())
    assert "text" not in json.loads(rows[a.id]) and json.loads(rows["nul"])["text"] == nul.text
    mark = "?" if isinstance(store, SQLiteStore) else "%s"
    c.execute(f"UPDATE articles SET record = {mark} WHERE id = {mark}", (a.to_json(), a.id))  # as written before
    assert store.get(a.id) == a and store.get("nul") == nul
    assert [x.id for x in store.iter_articles()] == [a.id, "nul"] and list(store.iter_articles())[0] == a


def test_annotation_tables_are_filled(store):
    a = annotated()
    store.add_articles([a])
    c = store._conn
    ents = c.execute("SELECT entity_id, type, canonical, name_en, kb_id, role, affiliation, lat, lon "
                     "FROM entities ORDER BY entity_id").fetchall()
    assert ents[0] == ("E1", "PER", "أمينة عمر", "Amina Omar", "per:amina-omar",
                       "الرئيسة المشتركة لمجلس سوريا الديمقراطية", "E2", None, None)
    assert ents[2][-2:] == (37.05, 41.22)
    assert c.execute("SELECT count(*) FROM mentions").fetchone()[0] == 4
    assert c.execute("SELECT span_start, span_end FROM mentions WHERE entity_id='E1'").fetchall() == [(6, 15)]
    assert c.execute("SELECT kind, ref_id, text FROM refs").fetchall() == [("UNSC_RESOLUTION", "2254", "القرار 2254")]
    q = c.execute("SELECT speaker_name, speaker_entity, text FROM quotes").fetchone()
    assert q == ("أمينة عمر", "E1", a.quotes[0].text)
    ev = c.execute("SELECT type, mode, cameo, source_name, target_name, date, place, place_entity, negated, "
                   "confidence, source FROM events").fetchone()
    assert ev[:-1] == ("CONSULT", "visit", "043", "أمينة عمر", "الائتلاف", "2023-01-10", "القامشلي", "E3", 0, 0.8)
    assert len(json.loads(ev[-1])) == 2
    st = store.stats()
    assert (st["articles"], st["entities"], st["quotes"], st["references"], st["events"]) == (1, 3, 1, 1, 1)
    assert st["sources"] == {"شبكة شام": 1}
    assert st["first_published"] == st["last_published"] == "2023-01-11"


def test_reingest_is_idempotent(filestore):
    batch = [annotated(), art("a", "نص أول عن الاجتماع"), art("b", "نص ثان عن المؤتمر", published="2023-02-01")]
    assert filestore.add_articles(batch).new == 3
    before = filestore.stats()
    r = filestore.add_articles(batch)
    assert (r.new, r.duplicate, r.ids) == (0, 3, [a.id for a in batch])
    assert filestore.stats() == before
    assert filestore.known_ids() == {a.id for a in batch}
    assert filestore.has_content(batch[1].content_hash) and not filestore.has_content("0" * 64)


def test_duplicates_inside_one_batch(store):
    a = art("a", "نص واحد")
    r = store.add_articles([a, replace(a, id="a-copy", source_file="elsewhere.txt")])
    assert (r.new, r.duplicate, r.ids) == (1, 1, ["a", "a"])


def test_id_collision_gets_hash_suffix(store):
    a1 = art("page", "النسخة الأولى من الصفحة")
    a2 = art("page", "النسخة الثانية من الصفحة بعد التعديل")
    store.add_articles([a1])
    r = store.add_articles([a2])
    new_id = f"page_{a2.content_hash[:8]}"
    assert r.ids == [new_id] and r.new == 1
    assert store.get("page").text == a1.text
    assert store.get(new_id).text == a2.text and store.get(new_id).id == new_id
    a3 = art("page", "نسخة ثالثة")  # same id again, inside one batch with another
    r = store.add_articles([a3, art("page", "نسخة رابعة")])
    assert len(set(r.ids)) == 2 and all(i.startswith("page_") for i in r.ids)


def test_iter_articles_in_ingest_order_with_dates(store):
    arts = [art(f"x{i}", f"نص رقم {i}", published=f"2023-0{i + 1}-15") for i in range(5)]
    store.add_articles(arts)
    assert [a.id for a in store.iter_articles()] == [a.id for a in arts]
    assert [a.id for a in store.iter_articles(since="2023-02", until="2023-03")] == ["x1", "x2"]


def test_persists_across_reopen(store_url, backend):
    with open_store(store_url) as s:
        s.add_articles([annotated()])
    with open_store(f"sqlite:///{store_url}" if backend == "sqlite" else store_url) as s:
        assert s.get(annotated().id) == annotated()
        assert s.add_articles([annotated()]).duplicate == 1
    if backend == "sqlite":
        conn = sqlite3.connect(store_url)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_update_and_delete_cascade(store):
    a = annotated()
    store.add_articles([a, art("other", "نص آخر")])
    store.update(replace(a, text=a.text + " وأضاف.", entities=a.entities[:1], events=[]))
    assert store.get(a.id).text.endswith("وأضاف.")
    st = store.stats()
    assert (st["entities"], st["events"], st["quotes"]) == (1, 0, 1)
    with pytest.raises(StoreError):
        store.update(art("missing", "x"))
    with pytest.raises(StoreError, match="already stored"):
        store.update(replace(a, title=None, text="نص آخر"))
    assert store.delete([a.id, "missing"]) == 1
    st = store.stats()
    assert (st["articles"], st["entities"], st["quotes"], st["references"]) == (1, 0, 0, 0)
    assert store._conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0


def test_open_store_urls_and_interface(tmp_path):
    for url in (":memory:", "sqlite://", "sqlite:///:memory:"):
        with open_store(url) as s:
            assert isinstance(s, Store) and isinstance(s, SQLiteStore) and s.path == ":memory:"
    with open_store(f"sqlite:///{tmp_path}/a.db") as s:
        assert s.path == f"{tmp_path}/a.db"
    with pytest.raises(StoreError, match="unsupported"):
        open_store("mysql://x/y")
    s = open_store(":memory:")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.get("x")


def test_empty_batch(store):
    assert store.add_articles([]) == AddResult()

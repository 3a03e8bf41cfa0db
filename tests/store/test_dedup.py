"""Near-duplicates: the same story from two outlets is grouped (not dropped), across ingest runs too."""
from __future__ import annotations

from marsad.store import open_store
from marsad.store.dedup import NearDupIndex

from .conftest import art, page

A, B = "snn-2015-07-26-1020.html", "snn-2015-07-26-676.html"
OTHER = ("snn-2015-07-21-077.html", "snn-2015-07-22-027.html", "snn-2015-07-22-102.html")


def test_dev_pages_are_near_duplicates(store):
    a, b = page(A), page(B)
    assert a.content_hash != b.content_hash and a.source != b.source
    r1 = store.add_articles([a])
    r2 = store.add_articles([b])
    assert (r1.new, r1.near_duplicate, r2.new, r2.near_duplicate) == (1, 0, 1, 1)
    assert store.near_duplicates(b.id) == [a.id] and store.near_duplicates(a.id) == [b.id]
    groups = dict(store._conn.execute("SELECT id, near_dup_group FROM articles"))
    assert groups == {a.id: a.id, b.id: a.id}  # the group is named after its first article
    assert store.stats()["near_duplicate_groups"] == 1 and store.stats()["articles"] == 2


def test_different_stories_are_not_grouped(store):
    arts = [page(A)] + [page(n) for n in OTHER]
    r = store.add_articles(arts)
    assert (r.new, r.near_duplicate) == (4, 0)
    assert all(store.near_duplicates(a.id) == [] for a in arts)
    assert store.stats()["near_duplicate_groups"] == 0


def test_near_duplicates_in_one_batch_and_a_third_copy(store):
    a, b = page(A), page(B)
    c = art("copy3", b.text.replace("المليشيات", "الميليشيات", 1) + "\nالمصدر: وكالات", title=b.title)
    r = store.add_articles([a, b, c])
    assert (r.new, r.near_duplicate) == (3, 2)
    assert store.near_duplicates(a.id) == [b.id, c.id]


def test_lsh_survives_reopen(store_url):
    path = store_url
    with open_store(path) as s:
        s.add_articles([page(A)] + [page(n) for n in OTHER])
    with open_store(path) as s:
        assert not s._dedup.loaded  # rebuilt lazily, on the first write
        r = s.add_articles([page(B)])
        assert r.near_duplicate == 1 and s.near_duplicates(page(B).id) == [page(A).id]
        assert len(s._dedup) == 5


def test_rolled_back_batch_leaves_no_signature(store):
    a = page(A)
    broken = art("broken", page(B).text)
    object.__setattr__(broken, "kind", object())  # not bindable: the INSERT fails after LSH was updated
    try:
        store.add_articles([a, broken])
    except Exception:
        pass
    assert store.stats()["articles"] == 0
    r = store.add_articles([page(B)])
    assert (r.new, r.near_duplicate) == (1, 0)  # nothing left of the rolled-back pair


def test_deleting_a_group_head_renames_the_group(store):
    a, b = page(A), page(B)
    c = art("copy3", b.text + "\nالمصدر: وكالات", title=b.title)
    store.add_articles([a, b, c])
    store.delete([a.id])
    assert store.near_duplicates(b.id) == [c.id]
    assert dict(store._conn.execute("SELECT id, near_dup_group FROM articles")) == {b.id: b.id, c.id: b.id}
    store.delete([c.id])
    assert store.near_duplicates(b.id) == [] and store.stats()["near_duplicate_groups"] == 0


def test_short_texts_take_no_part():
    idx = NearDupIndex()
    assert idx.signature("عاجل: انفجار في دمشق") is None


def test_sees_signatures_committed_by_another_connection(store_url):
    path = store_url
    with open_store(path) as first, open_store(path) as second:
        first.add_articles([page(OTHER[0])])   # loads first's LSH index
        second.add_articles([page(A)])         # committed by another connection
        r = first.add_articles([page(B)])
        assert r.near_duplicate == 1 and first.near_duplicates(page(B).id) == [page(A).id]

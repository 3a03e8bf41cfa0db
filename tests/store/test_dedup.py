"""Near-duplicates: the same story from two outlets is grouped (not dropped), across ingest runs too."""
from __future__ import annotations

import gc
import tracemalloc

from marsad.store import open_store
from marsad.store.dedup import Params, Signer
from marsad.store.rows import Preparer

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


def band_rows(s) -> int:
    return s._conn.execute("SELECT count(*) FROM minhash_bands").fetchone()[0]


def test_lsh_survives_reopen(store_url):
    path = store_url
    with open_store(path) as s:
        s.add_articles([page(A)] + [page(n) for n in OTHER])
        assert band_rows(s) == 4 * 14  # 14 bands of 9 values (datasketch's layout for 0.7 and 128)
    with open_store(path) as s:
        r = s.add_articles([page(B)])
        assert r.near_duplicate == 1 and s.near_duplicates(page(B).id) == [page(A).id]
        assert band_rows(s) == 5 * 14


def test_memory_does_not_grow_with_the_stored_articles(store):
    """The LSH index is queried in the database: storing 200 more articles keeps nothing of them in memory
    (the in-memory index held ~5.6 KB an article)."""
    texts = [page(n).text for n in (A, *OTHER)]

    def batch(k: int) -> list:
        return [art(f"m{k}-{i}", f"{texts[i % 4]} رقم {k} {i}") for i in range(20)]

    store.add_articles(batch(0))
    tracemalloc.start(25)
    before = tracemalloc.take_snapshot()
    for k in range(1, 11):
        store.add_articles(batch(k))
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    in_store = [tracemalloc.Filter(True, "*/marsad/store/*", all_frames=True),
                tracemalloc.Filter(False, "*/marsad/arabic.py", all_frames=True)]  # its bounded token cache
    kept = sum(d.size_diff for d in after.filter_traces(in_store).compare_to(before.filter_traces(in_store),
                                                                                "filename"))
    assert store.stats()["articles"] == 220
    assert kept < 100_000, f"the store kept {kept} bytes after 200 articles"


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


def test_short_texts_take_no_part(store):
    assert Signer().signature("عاجل: انفجار في دمشق") is None
    r = store.add_articles([art("s1", "عاجل: انفجار في دمشق"), art("s2", "عاجل: انفجار في دمشق اليوم")])
    assert (r.new, r.near_duplicate) == (2, 0) and band_rows(store) == 0


def test_sees_signatures_committed_by_another_connection(store_url):
    path = store_url
    with open_store(path) as first, open_store(path) as second:
        first.add_articles([page(OTHER[0])])   # loads first's LSH index
        second.add_articles([page(A)])         # committed by another connection
        r = first.add_articles([page(B)])
        assert r.near_duplicate == 1 and first.near_duplicates(page(B).id) == [page(A).id]


def test_rows_prepared_with_other_minhash_parameters_are_signed_again(store):
    """`add_prepared` of rows made elsewhere (a Dask worker) with other parameters: the store's are used."""
    store.add_articles([page(A)])
    r = store.add_prepared([Preparer(Params(num_perm=64))(page(B))])
    assert r.near_duplicate == 1 and store.near_duplicates(page(B).id) == [page(A).id]
    assert {n for (n,) in store._conn.execute("SELECT length(signature) FROM minhash")} == {4 * 128}


def test_the_preparers_search_form_cache_is_bounded(monkeypatch):
    monkeypatch.setattr("marsad.store.rows.FORMS_LIMIT", 50)
    prep = Preparer()
    texts = [page(n).text for n in (A, B, *OTHER)]
    sizes = []
    for text in texts:
        prep(art("x", text))
        sizes.append(len(prep.forms))
    assert max(sizes) <= 50 + max(len(set(t.split())) for t in texts) and min(sizes[1:]) < max(sizes)

"""The search benchmark's synthetic store (`marsad.bench.synthesize`) and the SQL the dialects run."""
from __future__ import annotations

import pytest

from marsad.bench import SYNTH_DAYS, search_db_figures, synthesize
from marsad.errors import MarsadError
from marsad.store import open_store
from marsad.store.dialect import POSTGRES, SQLITE

from .conftest import art

BASE = [art(f"a{i}", f"نص المقال رقم {i} عن {place} في المنطقة", title=f"{kind} اليوم", published="2015-07-21")
        for i, (place, kind) in enumerate(zip(["حلب", "دمشق", "الرياض", "صنعاء", "القاهرة"],
                                              ["خبر", "تقرير", "بيان", "مقابلة", "تحليل"]))]


@pytest.fixture
def base(tmp_path):
    path = str(tmp_path / "base.db")
    with open_store(path) as store:
        store.add_articles(BASE)
    return path


def test_synthesize_multiplies_the_base_articles(base, tmp_path):
    target = str(tmp_path / "big.db")
    report = synthesize(base, target, 12)
    assert report["articles"] == 12 and report["base_articles"] == 5 and report["copies"] == 3
    with open_store(target) as store:
        assert store.verify() == []
        assert store.count_articles() == 12
        assert store.count_search("حلب") == 3  # the body of a0 in each copy (0, 1, 2)
        copy = store.get("a0~1")
        assert copy is not None and copy.id == "a0~1" and copy.text == BASE[0].text
        assert copy.title != BASE[0].title and copy.title in {a.title for a in BASE}
        assert copy.published == "2015-06-21" and SYNTH_DAYS == 30
        assert {h.id for h in store.search("حلب")} == {"a0", "a0~1", "a0~2"}
    with pytest.raises(MarsadError, match="already exists"):
        synthesize(base, target, 12)
    with pytest.raises(MarsadError, match="no such database"):
        synthesize(str(tmp_path / "none.db"), str(tmp_path / "other.db"), 12)


def test_search_db_figures(base):
    figures = search_db_figures(base)
    assert figures["articles"] == 5 and figures["queries"] > 0
    assert 0 <= figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]


def test_dialects_write_the_same_sql_with_their_placeholders():
    sql = "SELECT 1 FROM t WHERE a = ? AND b LIKE '10%' AND c IN (?)"
    assert SQLITE.sql(sql) == sql
    assert POSTGRES.sql(sql) == "SELECT 1 FROM t WHERE a = %s AND b LIKE '10%%' AND c IN (%s)"
    assert SQLITE.any_of("e.kb_id", ["x", "y"]) == ("e.kb_id IN (?,?)", ["x", "y"])
    assert POSTGRES.any_of("e.kb_id", ["x", "y"]) == ("e.kb_id = ANY(?)", [["x", "y"]])

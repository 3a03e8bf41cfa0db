"""JSON arrays, JSON Lines and the SaudiNewsNet zip dumps."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.read import read_file, read_paths

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SNN = SHARED / "data" / "saudinewsnet" / "dataset"

ITEMS = [
    {"id": "a1", "title": "تركيا تحجب مواقع موالية لـ&#8221;داعش&#8221;", "text": "حجبت تركيا أكثر من ستة مواقع.",
     "published": "2015-07-21", "url": "http://x/1", "source": "alweeam", "author": "الوئام"},
    {"title": "بلا معرف", "content": "<p>الفقرة الأولى.</p><p>الفقرة الثانية.</p>", "date": "21/07/2015"},
    {"title": "بلا نص", "content": " "},
    {"title": "تاريخ الاستخراج", "content": "نص.", "date_extracted": "2015-07-21 02:51:32"},
]


def test_json_array(tmp_path):
    f = tmp_path / "dump.json"
    f.write_text(json.dumps(ITEMS, ensure_ascii=False, indent=2), encoding="utf-8")
    arts = list(read_file(f))
    assert [a.id for a in arts] == ["a1", "dump-001", "dump-003"]  # the item's id, else stem-index; empty skipped
    a, b, c = arts
    assert a.kind == "json" and a.title == "تركيا تحجب مواقع موالية لـ”داعش”"
    assert (a.raw, a.published_raw, a.url, a.source, a.author) == (
        "حجبت تركيا أكثر من ستة مواقع.", "2015-07-21", "http://x/1", "alweeam", "الوئام")
    assert a.source_file == str(f)
    assert b.raw == "الفقرة الأولى.\nالفقرة الثانية." and b.published_raw == "21/07/2015"
    assert c.published_raw == "2015-07-21 02:51:32"


def test_json_array_streams_across_chunks(tmp_path):
    items = [{"id": f"n{i}", "text": "نص طويل " * 2000} for i in range(30)]  # ~0.9 MB, many 64 KB chunks
    f = tmp_path / "big.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    assert [a.id for a in read_file(f)] == [f"n{i}" for i in range(30)]


def test_single_object_and_empty_array(tmp_path):
    f = tmp_path / "one.json"
    f.write_text(json.dumps({"title": "ع", "text": "نص"}, ensure_ascii=False), encoding="utf-8")
    assert [a.id for a in read_file(f)] == ["one"]
    g = tmp_path / "none.json"
    g.write_text("[ ]", encoding="utf-8")
    assert list(read_file(g)) == []


def test_jsonl_with_a_broken_line(tmp_path):
    f = tmp_path / "lines.jsonl"
    lines = [json.dumps(ITEMS[0], ensure_ascii=False), "{not json", "", json.dumps({"id": "z", "text": "آخر"})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    arts = list(read_paths([str(f)], on_error=errors.append))
    assert [a.id for a in arts] == ["a1", "z"]
    [err] = errors
    assert str(err).startswith(f"{f}: line 2 is not JSON")
    with pytest.raises(InputError, match="line 2 is not JSON"):
        list(read_paths([str(f)]))


def test_malformed_array_is_reported(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text('[{"id": "ok", "text": "نص"}, {"id": "x", "text": ', encoding="utf-8")
    errors: list[InputError] = []
    arts = list(read_paths([str(f)], on_error=errors.append))
    assert [a.id for a in arts] == ["ok"] and "malformed JSON" in str(errors[0])


def test_item_not_an_object(tmp_path):
    f = tmp_path / "mixed.json"
    f.write_text('[1, {"text": "نص"}]', encoding="utf-8")
    errors: list[InputError] = []
    assert [a.id for a in read_paths([str(f)], on_error=errors.append)] == ["mixed-001"]
    assert "item 0 is not a JSON object" in str(errors[0])


def test_zip_of_json_members(tmp_path):
    z = tmp_path / "pack.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("b.json", json.dumps([{"text": "ب"}, {"text": "ج"}], ensure_ascii=False))
        zf.writestr("a.jsonl", json.dumps({"id": "x1", "text": "أ"}, ensure_ascii=False))
        zf.writestr("page.html", "<html><body><p>صفحة في أرشيف.</p></body></html>")
        zf.writestr(".hidden.json", "[]")
        zf.writestr("__MACOSX/._b.json", "junk")
    arts = list(read_file(z))
    assert [a.id for a in arts] == ["x1", "b-000", "b-001", "page"]
    assert arts[1].source_file == f"{z}!b.json" and arts[3].kind == "html"


@pytest.mark.skipif(not SNN.exists(), reason=f"needs {SNN} (the SaudiNewsNet dumps in ../shared), absent here")
def test_saudinewsnet_zip():
    z = SNN / "2015-07-21.zip"
    errors: list[InputError] = []
    arts = list(read_paths([str(z)], on_error=errors.append))
    with zipfile.ZipFile(z) as zf:
        items = json.loads(zf.read("2015-07-21.json"))
    assert len(items) == 2972
    assert errors == []
    assert len(arts) == sum(1 for it in items if it["content"].strip()) == 2888
    assert len({a.id for a in arts}) == len(arts)
    by_id = {a.id: a for a in arts}
    a = by_id["2015-07-21-022"]  # the dev set names its pages after these ids: snn-2015-07-21-022
    assert a.title == "«النصرة» تعزل أحد مؤسسيها بسبب الموقف من «داعش»" and a.source == "aawsat"
    assert a.published_raw.startswith("2015-07-21") and a.url.startswith("http://aawsat.com/")
    assert "قررت «جبهة النصرة» المتشددة عزل أحد مؤسسيها" in a.raw
    b = by_id["2015-07-21-1760"]
    assert b.title == "تركيا تحجب الدخول لمواقع الكترونية موالية لـ”داعش”" and b.source == "alweeam"
    first = arts[0]
    assert first.id == "2015-07-21-000" and first.author == "لندن: رنيم حنوش" and first.kind == "json"

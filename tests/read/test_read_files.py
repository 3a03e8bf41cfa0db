"""Text dumps, folders, mixed runs, duplicate ids and error handling of read_paths."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.read import read_file, read_paths

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "eval" / "dev"
needs_shared = pytest.mark.skipif(not SEEDS.exists(), reason=f"needs {SHARED} (the shared development data), absent")


@needs_shared
def test_seed_text_dumps():
    arts = list(read_paths([str(SEEDS)]))
    assert [a.id for a in arts] == ["000_46770df6502fba50", "001_a63e9325d7f618af"]
    a = arts[0]
    assert a.kind == "text" and a.text == "" and a.title is None
    assert a.raw == (SEEDS / "000_46770df6502fba50.txt").read_text(encoding="utf-8")
    assert a.source_file == str(SEEDS / "000_46770df6502fba50.txt")


@needs_shared
def test_dev_folder_in_sorted_order():
    arts = list(read_paths([str(DEV)]))
    assert [a.id for a in arts] == sorted(p.stem for p in DEV.iterdir())
    kinds = {a.id: a.kind for a in arts}
    assert kinds["snn-2015-07-21-180"] == "text" and kinds["snn-2015-07-21-022"] == "html"


def test_crlf_and_utf8_bom_text(tmp_path):
    f = tmp_path / "win.txt"
    f.write_bytes(b"\xef\xbb\xbf" + "سطر أول\r\nسطر ثان\r\n".encode("utf-8"))
    [a] = read_file(f)
    assert a.raw == "سطر أول\nسطر ثان\n"


def test_folder_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "x.txt").write_text("ب", encoding="utf-8")
    (tmp_path / "a" / "y.txt").write_text("أ", encoding="utf-8")
    (tmp_path / "c.txt").write_text("ج", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (tmp_path / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    assert [a.raw for a in read_paths([str(tmp_path)])] == ["أ", "ب", "ج"]


def test_duplicate_ids_get_a_hash_suffix(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "news.txt").write_text("خبر أول", encoding="utf-8")
    (tmp_path / "two" / "news.html").write_text("<p>خبر ثان</p>", encoding="utf-8")
    ids = [a.id for a in read_paths([str(tmp_path)])]
    assert ids[0] == "news" and ids[1].startswith("news_") and len(ids[1]) == len("news_") + 8
    assert ids == [a.id for a in read_paths([str(tmp_path)])]  # deterministic
    same = [a.id for a in read_paths([str(tmp_path / "one" / "news.txt")] * 3)]
    assert len(set(same)) == 3


def test_errors_go_to_on_error_and_reading_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("نص سليم", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.dat"
    binary.write_bytes(bytes(range(256)) * 4)
    feed = tmp_path / "feed.rss"
    feed.write_text("ليس XML", encoding="utf-8")
    errors: list[InputError] = []
    paths = [str(empty), str(binary), str(feed), str(tmp_path / "missing.txt"), str(good)]
    arts = list(read_paths(paths, on_error=errors.append))
    assert [a.id for a in arts] == ["good"]
    msgs = [str(e) for e in errors]
    assert msgs[0] == f"{empty}: empty file"
    assert msgs[1].startswith(f"{binary}: unknown file type and binary")
    assert msgs[2].startswith(f"{feed}: not an RSS/Atom feed")
    assert msgs[3] == f"{tmp_path / 'missing.txt'}: no such file"
    assert all("\n" not in m for m in msgs)
    with pytest.raises(InputError, match="empty file"):
        list(read_paths(paths))


def test_unknown_extension_sniffed_as_text_or_refused(tmp_path):
    f = tmp_path / "notes.dat"
    f.write_text("ملاحظات عن الاجتماع", encoding="utf-8")
    [a] = read_file(f)
    assert a.kind == "text" and a.id == "notes"
    g = tmp_path / "blob.bin"
    g.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(InputError, match=r"blob\.bin: unknown file type and binary"):
        list(read_file(g))


def test_json_sniffed_without_extension(tmp_path):
    f = tmp_path / "export"
    f.write_text(json.dumps([{"id": "q", "text": "نص"}]), encoding="utf-8")
    assert [(a.id, a.kind) for a in read_paths([str(f)])] == [("q", "json")]


def test_non_arabic_article_is_not_an_error(tmp_path):
    f = tmp_path / "en.html"
    f.write_text("<html><body><article><h1>Talks</h1><p>The delegations met in Geneva.</p></article></body></html>",
                 encoding="utf-8")
    [a] = read_file(f)
    assert a.raw == "The delegations met in Geneva." and a.title == "Talks"


def test_bad_zip(tmp_path):
    z = tmp_path / "broken.zip"
    z.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError, match=r"broken\.zip: not a valid zip archive"):
        list(read_file(z))

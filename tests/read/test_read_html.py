"""The HTML reader on the development pages and on hand-made pages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.read import read_file, read_paths
from marsad.read.html import html_to_text, parse_html

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "eval" / "dev"


def _dev_gold() -> list[dict]:
    path = SHARED / "eval" / "dev.gold.jsonl"
    if not path.exists():
        return []
    golds = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [g for g in golds if g["file"].endswith(".html")]


def _fold(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.skipif(not DEV.exists(), reason=f"needs {DEV} (the shared development data), absent here")
@pytest.mark.parametrize("gold", _dev_gold(), ids=lambda g: g["id"])
def test_dev_pages_against_gold(gold):
    [art] = read_file(DEV / gold["file"])
    assert art.id == gold["id"] and art.kind == "html" and art.text == ""
    assert _fold(art.title) == _fold(gold["title"])
    assert art.published_raw and art.published_raw.startswith(gold["published"])
    assert art.source == gold["source"]
    for phrase in gold["body_must_contain"]:
        assert phrase in art.raw
    for phrase in gold["body_must_not_contain"]:
        assert phrase not in art.raw  # the "read also" aside, nav and footer are gone
    assert "الرئيسية" not in art.raw and "جميع الحقوق محفوظة" not in art.raw
    assert not art.raw.startswith(art.title)  # the headline is not repeated in the body


@pytest.mark.skipif(not DEV.exists(), reason=f"needs {DEV}, absent here")
def test_double_escaped_title_and_paragraph_lines():
    [art] = read_file(DEV / "snn-2015-07-21-1760.html")
    assert art.title == "تركيا تحجب الدخول لمواقع الكترونية موالية لـ”داعش”"
    [art] = read_file(DEV / "snn-2015-07-21-077.html")
    assert len(art.raw.split("\n")) == 8  # one line per <p>


def test_metadata_fallbacks():
    page = """<html><head><title>اجتماع في جنيف - الموقع</title>
    <meta name="author" content="فريق التحرير"><meta property="article:section" content="سياسة">
    <link rel="canonical" href="https://example.org/a/1"></head>
    <body><div><time datetime="2020-01-07">7 يناير</time>
    <p>اجتمع الوفدان في جنيف اليوم لبحث الحل السياسي.</p></div></body></html>"""
    art = parse_html(page, source_file="p.html", id="p")
    assert art.title == "اجتماع في جنيف"
    assert art.published_raw == "2020-01-07"
    assert art.author == "فريق التحرير" and art.section == "سياسة"
    assert art.url == "https://example.org/a/1"
    assert art.raw == "اجتمع الوفدان في جنيف اليوم لبحث الحل السياسي."


def test_og_title_and_site_suffix():
    page = """<html><head><title>خبر | شبكة شام</title>
    <meta property="og:title" content="عنوان &amp;quot;الخبر&amp;quot;">
    <meta property="og:site_name" content="شبكة شام"></head><body><p>نص الخبر هنا بما يكفي.</p></body></html>"""
    art = parse_html(page, source_file="p.html", id="p")
    assert art.title == 'عنوان "الخبر"' and art.source == "شبكة شام"
    page2 = page.replace('<meta property="og:title" content="عنوان &amp;quot;الخبر&amp;quot;">', "")
    assert parse_html(page2, source_file="p.html", id="p").title == "خبر"


def test_short_page_is_not_dropped():
    art = parse_html("<html><body><article><h1>عاجل</h1><p>انفجار في دمشق.</p></article></body></html>",
                     source_file="s.html", id="s")
    assert art.title == "عاجل" and art.raw == "انفجار في دمشق."


def test_truncated_html_keeps_what_is_there(tmp_path):
    f = tmp_path / "cut.html"
    f.write_text("<html><body><article><h1>عنوان</h1><p>الفقرة الأولى كاملة.</p><p>الفقرة الثانية مقطو",
                 encoding="utf-8")
    [art] = read_file(f)
    assert art.raw == "الفقرة الأولى كاملة.\nالفقرة الثانية مقطو"


def test_boilerplate_only_page_is_an_error(tmp_path):
    f = tmp_path / "nav.html"
    f.write_text("<html><body><nav>الرئيسية</nav><footer>حقوق</footer></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"nav\.html: no article text"):
        list(read_file(f))


def test_aside_inside_article_is_dropped():
    page = """<html><body><header>قائمة</header><article><h1>ع</h1><p>الفقرة الأولى من الخبر الطويل هنا.</p>
    <aside><h3>اقرأ أيضاً</h3><ul><li><a href="/x">خبر آخر لا علاقة له</a></li></ul></aside>
    <p>الفقرة الثانية من الخبر.</p></article></body></html>"""
    art = parse_html(page, source_file="p.html", id="p")
    assert art.raw == "الفقرة الأولى من الخبر الطويل هنا.\nالفقرة الثانية من الخبر."


def test_windows_1256_page_with_meta_charset(tmp_path):
    page = ('<html><head><meta charset="windows-1256"><title>بيان</title></head>'
            "<body><p>أدان المجلس القصف على إدلب.</p></body></html>")
    f = tmp_path / "p.htm"
    f.write_bytes(page.encode("cp1256"))
    [art] = read_file(f)
    assert art.raw == "أدان المجلس القصف على إدلب." and art.title == "بيان"


def test_sniffed_html_without_extension(tmp_path):
    f = tmp_path / "page"
    f.write_text("<!doctype html><html><body><p>نص الصفحة.</p></body></html>", encoding="utf-8")
    [art] = read_paths([str(f)])
    assert art.kind == "html" and art.id == "page"


def test_html_to_text():
    assert html_to_text("<p>سطر&nbsp;أول<br>سطر ثان</p><div>ثالث <b>عريض</b></div><script>x()</script>") == \
        "سطر أول\nسطر ثان\nثالث عريض"
    assert html_to_text("بلا وسوم &amp; كيان") == "بلا وسوم & كيان"

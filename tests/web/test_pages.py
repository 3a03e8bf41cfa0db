"""The HTML pages without a browser: status, what each page says, and escaping of everything from articles."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from marsad.web.highlight import ENTITY, EVENT, QUOTE, Mark, article_marks, render
from tests.web.conftest import HOSTILE, SEED_000


def text_of(html: str) -> str:
    """The page's text, tags removed and entities left as they are (enough for Arabic assertions)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_answers(web):
    for url in ("/", "/?q=" + quote("القامشلي"), f"/articles/{SEED_000}", "/actors", "/actors?type=PER",
                "/actors/org:sdc", "/network", "/network?type=CONSULT", "/timeline?interval=week", "/map",
                "/static/marsad.css", "/static/vendor/d3.min.js", "/static/geo/region.geojson"):
        r = web.get(url)
        assert r.status_code == 200, url
    assert web.get("/").headers["content-type"].startswith("text/html")


def test_pages_are_arabic_rtl_and_load_nothing_from_elsewhere(web):
    for url in ("/", f"/articles/{SEED_000}", "/network", "/timeline", "/map"):
        html = web.get(url).text
        assert '<html lang="ar" dir="rtl">' in html
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), url


def test_search_marks_matches_and_offers_facets(web):
    html = web.get("/", params={"q": "قامشلي"}).text
    assert "<mark>القامشلي</mark>" in html
    assert 'data-facet="year"' in html and 'data-facet="type"' in html
    assert f'href="/articles/{SEED_000}"' in html
    chosen = web.get("/", params={"q": "القامشلي", "year": "2023"}).text
    assert "السنة: 2023" in chosen


def test_search_reports_bad_parameters(web):
    assert web.get("/", params={"type": "NOPE"}).status_code == 422
    assert web.get("/", params={"year": "20x3"}).status_code == 422
    r = web.get("/", params={"q": "!!!"})
    assert r.status_code in (200, 422)


def test_seed_000_shows_people_roles_meeting_and_plan(web):
    html = web.get(f"/articles/{SEED_000}").text
    people = text_of(html.split('id="people"')[1].split("</section>")[0])
    assert "أمينة عمر" in people and "الرئيسة المشتركة لمجلس سوريا الديمقراطية" in people
    assert "آرام الدوماني" in people and "السكرتير العام للتحالف السوري الوطني" in people
    events = text_of(html.split('id="events"')[1].split("</section>")[0])
    assert "تشاور ولقاء" in events and "2023-01-10" in events
    assert "خطة عمل مشتركة" in events
    assert re.search(r'<span class="ent ent-LOC"[^>]*>القامشلي</span>', html)
    assert re.search(r'<span class="trigger ev-AGREE"[^>]*>خطة عمل مشتركة</span>', html)
    assert "القاعدة: kb" in html and "الثقة: 0." in html  # the hover titles say why


def test_article_text_is_escaped(web):
    html = web.get(f"/articles/{HOSTILE}").text
    assert "<script>window" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;window.__pwned = 1;&lt;/script&gt;" in html
    assert "&lt;b onmouseover=&#34;x&#34;&gt;" in html
    search = web.get("/", params={"q": "مريب"}).text
    assert "<script>window" not in search


def test_missing_article_and_actor_are_404(web):
    assert web.get("/articles/no-such-article").status_code == 404
    assert web.get("/actors/org:no-such-actor").status_code == 404


def test_actor_page(web):
    html = web.get("/actors/per:amina-omar").text
    assert "أمينة عمر" in html and "الرئيسة المشتركة لمجلس سوريا الديمقراطية" in html
    assert f"/articles/{SEED_000}" in html
    sdc = text_of(web.get("/actors/org:sdc").text)
    assert "التحالف السوري الوطني" in sdc.split("العلاقات")[1]


def test_graph_pages_embed_their_api_and_a_table(web):
    net = web.get("/network").text
    assert '"api": "/api/network"' in net and 'id="edge-table"' in net
    assert '"/api/places"' in web.get("/map").text
    assert '"params": {"type": "ASSAULT"}' in web.get("/timeline?type=ASSAULT").text


def test_pages_are_registered_once(web_app):
    paths = [getattr(r, "path", None) for r in web_app.routes]
    assert paths.count("/map") == 1 and paths.count("/static") == 1


# --- highlighting ---------------------------------------------------------------------------------------------

def test_overlapping_marks_nest_and_split():
    text = "أ ب ج د"
    html = str(render(text, [Mark(0, 7, EVENT, "ev", "e"), Mark(0, 3, QUOTE, "q", "q"), Mark(2, 5, ENTITY, "n", "n")]))
    assert re.sub(r"<[^>]+>", "", html) == text
    assert html.count("<span") == html.count("</span>")
    assert html.startswith('<span class="ev" title="e"><span class="q" title="q">أ <span class="n"')


def test_marks_outside_the_text_are_dropped():
    assert str(render("abc", [Mark(2, 9, ENTITY, "x", ""), Mark(-1, 1, ENTITY, "x", "")])) == "abc"


def test_titles_and_text_are_escaped():
    html = str(render('<i>"x"</i>', [Mark(0, 3, ENTITY, 'a" onclick="b', '<t>"')]))
    assert "<i>" not in html and 'onclick="b"' not in html
    assert 'title="&lt;t&gt;&#34;"' in html


@pytest.mark.parametrize("field", ["entities", "quotes", "references", "events"])
def test_article_marks_tolerate_missing_parts(field):
    record = {"text": "abc", "entities": [], "quotes": [], "references": [], "events": []}
    record[field] = None
    assert article_marks(record) == []

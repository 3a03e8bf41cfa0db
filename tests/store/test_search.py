"""Arabic full-text search: normalization, clitics, snippets, filters, safety, and FTS kept in sync."""
from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from marsad.store import QueryError, open_store
from marsad.store.search import mark, parse_query

from .conftest import art

DOCS = [
    art("assad", "قال الرئيس بشار الأسد في خطاب ألقاه اليوم إن الجيش سيواصل عملياته.", title="خطاب الأسد",
        published="2015-07-26"),
    art("qamishli", "شهدت مدينة القامشلي اجتماعاً موسعاً لممثلي العشائر والأحزاب الكردية.",
        published="2015-07-21"),
    art("coalition", "وقال رئيس الائتلاف الوطني إن المعارضة لن تشارك. وأكد والائتلاف ماضٍ في موقفه.",
        title="بيان المعارضة", published="2015-08-01"),
    art("syria", "أعلنت وزارة الخارجية في سوريا أن الوزير سيزور موسكو.", published=None),
    art("diac", "أَعْلَنَ المُتَحَدِّثُ بِاسْمِ الحُكُومَةِ عَنْ خُطَّةٍ جَدِيدَةٍ لِلتَّعْلِيمِ.", published="2015-07-23"),
]


@pytest.fixture
def docs(store):
    store.add_articles(DOCS)
    return store


def ids(hits):
    return sorted(h.id for h in hits)


@pytest.mark.parametrize("query, expected", [
    ("الاسد", ["assad"]),                 # alef with hamza folded
    ("الأسد", ["assad"]),
    ("اسد", ["assad"]),                   # ال stripped in the index
    ("قامشلي", ["qamishli"]),             # finds القامشلي
    ("القامشلي", ["qamishli"]),
    ("الائتلاف", ["coalition"]),          # finds والائتلاف and الائتلاف
    ("ائتلاف", ["coalition"]),
    ("سوريا", ["syria"]),
    ("الخارجيه", ["syria"]),              # taa marbuta folded
    ("الحكومة", ["diac"]),                # diacritics in the text ignored
    ("الحُكُومَة", ["diac"]),              # and in the query
    ("للتعليم", ["diac"]),
    ("خطاب الأسد", ["assad"]),            # AND across words, title indexed too
    ("الأسد القامشلي", []),
    ("الأسد OR القامشلي", ["assad", "qamishli"]),
    ("الأسد | القامشلي", ["assad", "qamishli"]),
    ('"الائتلاف الوطني"', ["coalition"]),
    ('"الرئيس بشار"', ["assad"]),
    ('"بشار القامشلي"', []),
    ("قال -بشار", ["coalition"]),
    ("موسكو", ["syria"]),
    ("واشنطن", []),                       # absent word
    ("سورية", []),                        # ة -> ه: سوريه is not سوريا
])
def test_search_cases(docs, query, expected):
    assert ids(docs.search(query)) == expected
    assert docs.count_search(query) == len(expected)


def test_clitic_matching_is_one_way(docs):
    """A query word with a clitic matches only that form: والائتلاف does not find plain الائتلاف texts."""
    docs.add_articles([art("plain", "اجتمع الائتلاف أمس في إسطنبول لبحث الخطة الجديدة.")])
    assert ids(docs.search("الائتلاف")) == ["coalition", "plain"]
    assert ids(docs.search("والائتلاف")) == ["coalition"]


def test_snippet_from_original_text(docs):
    (hit,) = docs.search("الاسد")
    assert hit.title == "خطاب الأسد" and hit.published == "2015-07-26"
    assert "[الأسد]" in hit.snippet
    assert [hit.snippet_plain[s:e] for s, e in hit.spans] == ["الأسد"]
    assert mark(hit.snippet_plain, hit.spans) == hit.snippet
    assert [hit.title[s:e] for s, e in hit.title_spans] == ["الأسد"]
    (hit,) = docs.search("الحكومة")
    assert "[الحُكُومَةِ]" in hit.snippet  # diacritics kept in what is shown
    (hit,) = docs.search("الائتلاف")
    assert [hit.snippet_plain[s:e] for s, e in hit.spans] == ["الائتلاف", "والائتلاف"]


def test_snippet_window_in_long_text(store):
    filler = " ".join(f"كلمة{i}" for i in range(400))
    text = f"{filler} ثم وصل الموفد الأممي إلى دمشق، {filler}"
    store.add_articles([art("long", text)])
    (hit,) = store.search("دمشق")
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert "[دمشق]" in hit.snippet and len(hit.snippet.split()) <= 34
    assert text[hit.snippet_start:].startswith(hit.snippet_plain[2:].split(" …")[0])
    (hit,) = store.search("كلمة399")
    assert [hit.snippet_plain[s:e] for s, e in hit.spans] == ["كلمة399"]


def test_arabic_punctuation_does_not_hide_words(store):
    store.add_articles([art("comma", "قال الناطق باسم الأسد، إن الوضع مستقر؛ وهل تغير شيء؟")])
    (hit,) = store.search("الأسد")
    assert [hit.snippet_plain[s:e] for s, e in hit.spans] == ["الأسد"]
    assert ids(store.search("مستقر")) == ["comma"] and ids(store.search("شيء")) == ["comma"]


@pytest.fixture(params=["per-match", "listed"])
def date_plan(request, monkeypatch):
    """SQLite checks a date range match by match (in article_dates) or lists the range's articles first,
    by their counts (`dates_per_match`): the cap forces each way; the results must not differ."""
    from marsad.store import search

    monkeypatch.setattr(search, "DATE_PROBE_CAP", 1 if request.param == "per-match" else 10 ** 9)
    return request.param


def test_since_until(docs, date_plan):
    q = "الأسد OR القامشلي OR الائتلاف OR الحكومة OR سوريا"
    assert len(docs.search(q)) == 5
    assert ids(docs.search(q, since="2015-07-23")) == ["assad", "coalition", "diac"]
    assert ids(docs.search(q, until="2015-07-23")) == ["diac", "qamishli"]
    assert ids(docs.search(q, since="2015-07-22", until="2015-07-26")) == ["assad", "diac"]
    assert ids(docs.search(q, since="2015-08")) == ["coalition"]
    assert ids(docs.search(q, until="2015-07")) == ["assad", "diac", "qamishli"]
    assert docs.count_search(q, since="2015-07-23") == 3
    with pytest.raises(QueryError, match="ISO"):
        docs.search(q, since="yesterday")


def test_limit_offset_and_ranking(store):
    store.add_articles([art(f"d{i}", "دمشق " * (i + 1) + "نص " * 20) for i in range(5)]
                       + [art("t", "نص عادي", title="دمشق")])
    hits = store.search("دمشق", limit=3)
    assert len(hits) == 3 and hits[0].score >= hits[1].score >= hits[2].score
    rest = store.search("دمشق", limit=3, offset=3)
    assert len(rest) == 3 and not {h.id for h in hits} & {h.id for h in rest}
    assert store.search("دمشق", limit=10)[0].id == "t"  # the title weighs more


@pytest.mark.parametrize("query", ["", "   ", "،؟!...", '""', "-الأسد", "OR", "|"])
def test_empty_queries_are_clear_errors(docs, query):
    with pytest.raises(QueryError):
        docs.search(query)
    with pytest.raises(QueryError):
        docs.count_search(query)


@pytest.mark.parametrize("query", ['"', 'الأسد"', "NEAR(", "الأسد AND", "AND", "NOT الأسد", "*", "^الأسد",
                                   "الأسد:", "col:الأسد", "(الأسد", "'", "{a b}", "الأسد OR", "a\"b\"c",
                                   "-", "--الأسد", "الأسد -", "-\"\"", "\x00", "+", "الأسد*"])
def test_user_text_cannot_break_fts(docs, query):
    try:
        hits = docs.search(query)
    except QueryError as e:
        assert "search failed" not in str(e)  # a clear message, never an FTS5 syntax error
    else:
        assert isinstance(hits, list)


def test_parse_query():
    assert parse_query("الأسد حلب").fts == '"الاسد" AND "حلب"'
    assert parse_query("الأسد OR حلب دمشق").fts == '("الاسد" OR "حلب") AND "دمشق"'
    assert parse_query('"or" AND').terms == frozenset({"or", "and"})
    assert parse_query("الأسد -حلب").fts == '"الاسد" NOT ("حلب")'


def test_dates_in_sync_after_update_and_delete(docs, date_plan):
    docs.update(replace(DOCS[2], published="2016-01-02"))  # coalition
    docs.update(replace(DOCS[3], published="2016-01-01"))  # syria, undated until now
    docs.update(replace(DOCS[4], published=None))  # diac, dated until now
    q = "الأسد OR القامشلي OR الائتلاف OR الحكومة OR سوريا"
    assert ids(docs.search(q, since="2016")) == ["coalition", "syria"]
    assert ids(docs.search(q, until="2015-12")) == ["assad", "qamishli"]
    assert docs.delete(["coalition"]) == 1
    assert ids(docs.search(q, since="2016")) == ["syria"] and docs.count_search(q, since="2015") == 3
    assert docs.verify() == []


def test_fts_in_sync_after_update_and_delete(docs):
    docs.update(replace(DOCS[0], text="نص جديد عن طرطوس", title="عنوان جديد"))
    assert docs.search("الأسد") == []
    assert ids(docs.search("طرطوس")) == ["assad"]
    assert docs.delete(["assad", "qamishli"]) == 2
    assert docs.search("طرطوس") == [] and docs.search("القامشلي") == []
    assert ids(docs.search("الائتلاف")) == ["coalition"]
    assert docs.verify() == []
    docs._conn.execute("UPDATE articles SET search_body = 'حمص' WHERE id = 'syria'")  # trigger on raw SQL too
    assert ids(docs.search("حمص")) == ["syria"] and docs.search("موسكو") == []
    assert docs.verify() == []


def test_common_queries_rank_their_newest_matches(store, monkeypatch):
    """A query matching more than RANK_WINDOW articles ranks only the newest of them (its cost stays bounded
    at any corpus size); below that, every match is ranked."""
    from marsad.store import pg_search, search

    store.add_articles([art(f"d{i}", "خبر عن حلب" + (" حلب" * (5 - i)) + " ودمشق" * i, published="2015-07-21")
                        for i in range(5)])  # stored in this order: d4 is the newest
    ranked = [h.id for h in store.search("حلب")]
    assert sorted(ranked) == ["d0", "d1", "d2", "d3", "d4"]
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    monkeypatch.setattr(pg_search, "PG_RANK_WINDOW", 3)
    newest = [i for i in ranked if i in ("d2", "d3", "d4")]
    assert [h.id for h in store.search("حلب", limit=3)] == newest
    assert [h.id for h in store.search("حلب", until="2015-07-21", limit=2)] == newest[:2]
    deeper = [i for i in ranked if i != "d0"]  # a page past the window widens it: the newest limit + offset
    assert [h.id for h in store.search("حلب", limit=2, offset=2)] == deeper[2:4]
    assert store.count_search("حلب") == 5


def test_latin_greek_cyrillic_letters_fold_for_search(store):
    """The index text is folded in Python (FTS5's ascii tokenizer, PostgreSQL's 'simple' configuration fold
    nothing beyond ASCII): any case and accent of a Latin word finds it, any case of a Greek or Cyrillic one
    (whose accents are letters of their own: й is no и)."""
    store.add_articles([art("latin", "وصل Éric ZEMMOUR إلى Genève أمس، والتقى Σοφία و Жуков.")])
    for query in ("eric", "ÉRIC", "Éric", "zemmour", "geneve", "GENÈVE", "σοφία", "ΣΟΦΊΑ", "жуков", "ЖУКОВ"):
        assert ids(store.search(query)) == ["latin"], query
    (hit,) = store.search("GENEVE")
    assert [hit.snippet_plain[s:e] for s, e in hit.spans] == ["Genève"]
    assert ids(store.search("genf")) == [] and ids(store.search("жукoв")) == []  # a Latin o in the Cyrillic


def test_a_database_indexed_with_unicode61_still_searches(tmp_path):
    """Stores made before the ascii tokenizer keep their unicode61 index and find the same words."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(search_title, search_body, content='articles', "
                     "content_rowid='pk', tokenize='unicode61 remove_diacritics 2')")
    with open_store(str(path)) as old:
        old.add_articles(DOCS + [art("latin", "وصل Éric ZEMMOUR إلى Genève")])
        tokenizer = old._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
        assert "unicode61" in tokenizer
        for query, expected in [("الأسد", ["assad"]), ("قامشلي", ["qamishli"]), ("والائتلاف", ["coalition"]),
                                ("للتعليم", ["diac"]), ('"الائتلاف الوطني"', ["coalition"]), ("سورية", []),
                                ("GENÈVE", ["latin"]), ("eric", ["latin"])]:
            assert ids(old.search(query)) == expected, query

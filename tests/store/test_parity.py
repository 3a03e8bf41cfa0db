"""The two backends agree: the seed and development articles, through the whole pipeline, stored in SQLite and
in PostgreSQL give the same search hits (ids; ranks may order ties differently), counts, actors, events and
views."""
from __future__ import annotations

import pytest

from marsad.store import open_store

from ..conftest import SEEDS, SHARED

QUERIES = [
    "الاسد", "الأسد", "قامشلي", "القامشلي", "الائتلاف", "والائتلاف", "ائتلاف", "سوريا", "سورية", "دمشق",
    "الحوثي", "الحوثيين صنعاء", "الأمم المتحدة", '"الأمم المتحدة"', '"المتحدة الأمم"', '"مجلس الأمن"',
    "مجلس الأمن 2254", "إيران OR العراق", "روسيا | تركيا", "داعش -العراق", "الرئيس -الأسد", "هدنة",
    '"وقف إطلاق النار"', "2254", "الخارجيه", "المعارضة السورية", '"الائتلاف الوطني" OR قسد', "-دمشق حلب",
    "واشنطن", "موسكو", "قال", "في", "لا توجد كلمة كهذه", "9", "2015", "1", "5",
]
DATES = [(None, None), ("2015-07-23", None), (None, "2015-07-22"), ("2015-07", "2015-07-25"), ("2020", None)]


@pytest.fixture(scope="module")
def articles(pipeline):
    paths = [str(SEEDS)] + ([str(SHARED / "eval" / "dev")] if (SHARED / "eval" / "dev").is_dir() else [])
    return list(pipeline.run(paths))


@pytest.fixture
def pair(articles, pg_url):
    with open_store(":memory:") as lite, open_store(pg_url) as pg:
        for s in (lite, pg):
            s.add_articles(articles[:10])
            s.add_articles(articles[10:])
        yield lite, pg


def test_same_search_hits(pair, articles):
    lite, pg = pair
    found = 0
    for q in QUERIES:
        for since, until in DATES:
            a = sorted(h.id for h in lite.search(q, since=since, until=until, limit=1000))
            b = sorted(h.id for h in pg.search(q, since=since, until=until, limit=1000))
            assert a == b, (q, since, until)
            assert lite.count_search(q, since, until) == pg.count_search(q, since, until) == len(a)
            found += len(a)
    assert found > 50


def test_same_snippets(pair):
    lite, pg = pair
    for q in ("الاسد", "قامشلي", "الائتلاف", '"مجلس الأمن"'):
        a = {h.id: (h.snippet, h.spans, h.title_spans, h.snippet_start) for h in lite.search(q, limit=100)}
        b = {h.id: (h.snippet, h.spans, h.title_spans, h.snippet_start) for h in pg.search(q, limit=100)}
        assert a == b


def test_same_ranking_head(pair):
    """Not the same scores (bm25 against ts_rank), but the title still weighs most: the best hit of a word
    found in some titles has it in its title on both backends."""
    lite, pg = pair
    for q in ("الأسد", "الحوثي", "سوريا"):
        a, b = lite.search(q, limit=3), pg.search(q, limit=3)
        if a and a[0].title_spans:
            assert b[0].title_spans, q


def test_same_stats_actors_events(pair):
    lite, pg = pair
    assert lite.stats() == pg.stats()
    assert lite.actors(limit=1000) == pg.actors(limit=1000)
    assert lite.actors(type="PER", limit=5, offset=2) == pg.actors(type="PER", limit=5, offset=2)
    assert lite.events(limit=1000) == pg.events(limit=1000)
    for kind in ("CONSULT", "ASSAULT", None):
        assert lite.count_events(kind) == pg.count_events(kind)
    for actor in lite.actors(limit=8):
        keys = (actor["key"],)
        assert lite.events(actor_keys=keys, since="2015") == pg.events(actor_keys=keys, since="2015")
        name = actor["name"] or ""
        a = [(h.id, h.snippet) for h in lite.entity_search(name, (actor["kb_id"],) if actor["kb_id"] else ())]
        b = [(h.id, h.snippet) for h in pg.entity_search(name, (actor["kb_id"],) if actor["kb_id"] else ())]
        assert sorted(a) == sorted(b), name


def test_same_views(pair):
    lite, pg = pair
    assert lite.count_actors() == pg.count_actors() and lite.count_actors("LOC") == pg.count_actors("LOC")
    assert lite.places() == pg.places() and lite.places(type="CONSULT") == pg.places(type="CONSULT")
    assert lite.network() == pg.network() and lite.network(min_weight=2) == pg.network(min_weight=2)
    assert lite.timeline() == pg.timeline()
    for actor in lite.actors(limit=10):
        assert lite.actor_profile(actor["key"]) == pg.actor_profile(actor["key"]), actor["key"]
        assert lite.timeline(actor_keys=(actor["key"],)) == pg.timeline(actor_keys=(actor["key"],))
        keys = (actor["key"],)
        assert [h.id for h in lite.find_articles(actor_keys=keys)] == [h.id for h in pg.find_articles(actor_keys=keys)]
        assert lite.count_articles("سوريا", actor_keys=keys) == pg.count_articles("سوريا", actor_keys=keys)
    for q in (None, "الأسد", "مجلس الأمن"):
        a = sorted(h.id for h in lite.find_articles(q, since="2015-07-22", limit=100))
        assert a == sorted(h.id for h in pg.find_articles(q, since="2015-07-22", limit=100))
        assert lite.count_articles(q, event_type="CONSULT") == pg.count_articles(q, event_type="CONSULT")
    sources = list(lite.stats()["sources"])
    for src in sources[:3]:
        assert lite.count_articles(source=src) == pg.count_articles(source=src)

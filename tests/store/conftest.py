"""Fixtures for the store tests: small hand-made articles and the two dev pages that are near-duplicates.

``store``, ``filestore`` and ``store_url`` run each test on both backends: SQLite, and PostgreSQL in a fresh
schema of a throwaway server (`tests.store.pg_server`, started once per session) or of the database named by
``MARSAD_TEST_PG`` (a DSN) when set. The PostgreSQL runs skip, with the reason, when neither psycopg nor a server
is available.
"""
from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from marsad.model import Actor, Article, Entity, Event, Quote, Reference, Speaker
from marsad.store import open_store

DEV = Path("/work/shared/eval/dev")
BACKENDS = ("sqlite", "postgres")


def page(name: str) -> Article:
    """An Article from a dev HTML page: its <h1> and <p> text, tags stripped."""
    html = (DEV / name).read_text(encoding="utf-8")
    title = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)).strip()
    paras = [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", html, re.S)]
    published = re.search(r'published_time" content="(\d{4}-\d\d-\d\d)', html).group(1)
    source = re.search(r'og:site_name" content="([^"]+)"', html).group(1)
    return Article(id=name.rsplit(".", 1)[0], source_file=str(DEV / name), title=title, text="\n".join(paras),
                   published=published, source=source, kind="html")


def art(aid: str, text: str, title: str | None = None, published: str | None = "2023-01-11", **kw) -> Article:
    return Article(id=aid, source_file=f"{aid}.txt", title=title, text=text, published=published, **kw)


def annotated() -> Article:
    text = ("التقت أمينة عمر الرئيسة المشتركة لمجلس سوريا الديمقراطية وفدا من الائتلاف في القامشلي، "
            "وقالت: \"الحل في تطبيق القرار 2254\".")
    e1 = Entity(id="E1", type="PER", text="أمينة عمر", canonical="أمينة عمر", mentions=[(6, 15)],
                name_en="Amina Omar", kb_id="per:amina-omar", aliases=["عمر"],
                role="الرئيسة المشتركة لمجلس سوريا الديمقراطية", affiliation="E2", rule="kb")
    e2 = Entity(id="E2", type="ORG", text="مجلس سوريا الديمقراطية", canonical="مجلس سوريا الديمقراطية",
                mentions=[(33, 55)], kb_id="org:msd")
    e3 = Entity(id="E3", type="LOC", text="القامشلي", canonical="القامشلي", mentions=[(73, 81), (73, 81)],
                lat=37.05, lon=41.22, kb_id="loc:qamishli")
    i = text.index("2254")
    ref = Reference(kind="UNSC_RESOLUTION", id="2254", text="القرار 2254", mentions=[(i - 7, i + 4)])
    qs = text.index("الحل")
    quote = Quote(speaker=Speaker(name="أمينة عمر", entity="E1"), text=text[qs:text.index("\"", qs)],
                  span=(qs, text.index("\"", qs)))
    ev = Event(type="CONSULT", source=[Actor("أمينة عمر", "E1"), Actor("مجلس سوريا الديمقراطية", "E2")],
               target=[Actor("الائتلاف")], sentence=text, span=(0, len(text)), mode="visit", cameo="043",
               date="2023-01-10", place=Actor("القامشلي", "E3"), negated=False, confidence=0.8,
               trigger="التقت", rule="meet")
    return Article(id="000_46770df6502fba50", source_file="seeds/000.txt", title="لقاء في القامشلي",
                   published="2023-01-11", published_raw="11/01/2023", source="شبكة شام", author="فريق التحرير",
                   section="أخبار سورية", text=text, url="https://example.org/a", entities=[e1, e2, e3],
                   references=[ref], quotes=[quote], events=[ev])


@pytest.fixture(scope="session")
def pg_server():
    """The DSN of a PostgreSQL database the tests may create schemas in."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg: pip install 'psycopg[binary]==3.3.9'")
    if os.environ.get("MARSAD_TEST_PG"):
        yield os.environ["MARSAD_TEST_PG"]
        return
    from tests.store import pg_server as server

    if server.bin_dir() is None:
        pytest.skip("PostgreSQL tests need a server: set MARSAD_TEST_PG=postgresql://... or install the "
                    "PostgreSQL binaries (apt-get install -y postgresql)")
    folder = tempfile.mkdtemp(prefix="marsad-pg-")
    try:
        dsn = server.start(folder)
    except (OSError, RuntimeError, KeyError) as e:
        server.stop(folder)
        pytest.skip(f"cannot start a throwaway PostgreSQL server: {e}")
    try:
        yield dsn
    finally:
        server.stop(folder)


def with_schema(dsn: str, schema: str) -> str:
    """``dsn`` with ``schema`` first on the search path."""
    return f"{dsn}{'&' if '?' in dsn else '?'}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_url(pg_server):
    """A DSN whose tables live in a fresh schema, dropped after the test."""
    import psycopg

    schema = f"marsad_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(pg_server, schema)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_url(backend, request, tmp_path) -> str:
    """Where a store can be opened (and reopened): a SQLite file, or a PostgreSQL schema."""
    if backend == "sqlite":
        return str(tmp_path / "marsad.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(backend, request):
    url = ":memory:" if backend == "sqlite" else request.getfixturevalue("pg_url")
    with open_store(url) as s:
        yield s


@pytest.fixture
def filestore(store_url):
    with open_store(store_url) as s:
        yield s

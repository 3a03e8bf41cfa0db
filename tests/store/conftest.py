"""Fixtures for the store tests: small hand-made articles and the two dev pages that are near-duplicates."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from marsad.model import Actor, Article, Entity, Event, Quote, Reference, Speaker
from marsad.store import open_store

DEV = Path("/work/shared/eval/dev")


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


@pytest.fixture
def store():
    with open_store(":memory:") as s:
        yield s


@pytest.fixture
def filestore(tmp_path):
    with open_store(tmp_path / "marsad.db") as s:
        yield s

"""The web pages over a temporary database: the seeds, a hostile article (markup in its text), and the dev pages
when ../shared is beside the repository. The pages come with the API app (`create_app` calls
`marsad.web.pages.register`)."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.conftest import SHARED, ingested_db

DEV = SHARED / "eval" / "dev"
SEED_000 = "000_46770df6502fba50"
HOSTILE = "hostile_markup"
HOSTILE_TEXT = """بيان مريب عن القامشلي

القامشلي 11/01/2023

قال مسؤول في القامشلي إن <script>window.__pwned = 1;</script> ظهر في الخبر، وإن <b onmouseover="x">هذا</b> ليس وسماً & لا "اقتباساً".
"""

pytest.importorskip("fastapi", reason="the web pages need the serve extra: pip install -e '.[serve]'")
pytest.importorskip("jinja2", reason="the web pages need Jinja2")

with warnings.catch_warnings():  # Starlette's notice about httpx, once, at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def web_db(tmp_path_factory, pipeline) -> str:
    folder = tmp_path_factory.mktemp("web")
    extra = folder / "extra"
    extra.mkdir()
    (extra / f"{HOSTILE}.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    return ingested_db(folder / "web.db", pipeline, extra)


@pytest.fixture(scope="session")
def web_app(web_db):
    from marsad.api import create_app

    return create_app(web_db)


@pytest.fixture(scope="session")
def web(web_app):
    with TestClient(web_app) as c:
        yield c


@pytest.fixture
def dev() -> Path:
    if not DEV.is_dir():
        pytest.skip(f"needs {DEV} (the shared development pages beside the repository), absent here")
    return DEV


SHOTS: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if SHOTS:
        terminalreporter.write_line(f"web screenshots: {SHOTS[0]} (and a copy of the main pages in "
                                    f"/tmp/marsad-shots)")

"""The API over a temporary database ingested from the seeds and, when ../shared is present, the dev pages."""
from __future__ import annotations

import warnings

import pytest

from tests.conftest import SHARED, ingested_db

DEV = SHARED / "eval" / "dev"

with warnings.catch_warnings():  # Starlette's notice about httpx, once, at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def db_path(tmp_path_factory, pipeline) -> str:
    return ingested_db(tmp_path_factory.mktemp("api") / "api.db", pipeline)


@pytest.fixture(scope="session")
def app(db_path):
    from marsad.api import create_app

    return create_app(db_path)


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def store(db_path):
    from marsad.store import open_store

    with open_store(db_path, readonly=True) as s:
        yield s


@pytest.fixture
def dev() -> None:
    """Skip a test that needs the development pages when ../shared is absent."""
    if not DEV.is_dir():
        pytest.skip(f"needs {DEV} (the shared development pages beside the repository), absent here")

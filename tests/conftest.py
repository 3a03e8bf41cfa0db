"""Shared fixtures: the repository's seeds, ../shared when it is beside the repository, one pipeline per session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip naming what is missing (a user's fresh clone has no ../shared)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared development data beside the repository), absent here")
    return path


def ingested_db(path: Path, pipeline, *extra: Path) -> str:
    """A fresh SQLite store at ``path`` holding the seeds, any ``extra`` inputs and, when ../shared is beside
    the repository, the dev pages; every input must go in."""
    from marsad.ingest import ingest
    from marsad.store import open_store

    dev = SHARED / "eval" / "dev"
    inputs = [str(SEEDS), *map(str, extra)] + ([str(dev)] if dev.is_dir() else [])
    with open_store(str(path)) as store:
        report = ingest(inputs, store, pipeline)
    assert report.new > 0 and report.failed == 0, report.as_dict()
    return str(path)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def pipeline():
    from marsad.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_records(pipeline) -> dict[str, dict]:
    """The seeds through the whole pipeline, by id."""
    return {a.id: a.to_dict() for a in pipeline.run([str(SEEDS)])}


@pytest.fixture(scope="session")
def dev_gold() -> list[dict]:
    return load_jsonl(shared_path("eval", "dev.gold.jsonl"))


@pytest.fixture(scope="session")
def seeds_gold() -> list[dict]:
    return load_jsonl(shared_path("eval", "seeds.gold.jsonl"))


@pytest.fixture(scope="session")
def dev_records(pipeline) -> list[dict]:
    """The development pages through the whole pipeline."""
    return [a.to_dict() for a in pipeline.run([str(shared_path("eval", "dev"))])]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files under tests/golden from the current output (on purpose only)")


@pytest.fixture(scope="session")
def golden(request):
    """Compare with a golden JSON file, or rewrite it when run with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual):
        path = ROOT / "tests" / "golden" / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        assert path.exists(), f"{path} missing: run pytest --update-golden once, and review the diff"
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert actual == expected, f"output differs from {path}; if the change is intended, --update-golden"

    return check

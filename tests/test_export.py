"""Events across articles in the store, and their exports."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.export import quad_class
from marsad.store import open_store
from tests.conftest import SEEDS, shared_path

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "marsad.db"
    inputs = [str(SEEDS)]
    dev = shared_path("eval", "dev")
    inputs += [str(dev / "snn-2015-07-26-1020.html"), str(dev / "snn-2015-07-26-676.html")]
    assert runner.invoke(app, ["ingest", *inputs, "--db", str(path)]).exit_code == 0
    return path


def test_one_event_reported_by_two_outlets_is_one_event(db):
    with open_store(db, readonly=True) as store:
        both = [e for e in store.events(limit=1000) if e["num_articles"] == 2]
    assert both, "the Yemeni president's meeting is reported by two outlets"
    for e in both:
        assert e["num_sources"] == 2
        assert e["articles"] == ["snn-2015-07-26-1020", "snn-2015-07-26-676"]


def test_seed_events_are_listed_with_filters(db):
    with open_store(db, readonly=True) as store:
        consult = store.events(type="CONSULT", since="2023-01-01")
        assert [(e["date"], e["source_key"], e["target_key"]) for e in consult] == [
            ("2023-01-10", "org:sdc", "org:syrian-national-alliance")]
        assert store.events(type="CONSULT", since="2023-01-11") == []
        accuse = store.events(actor_keys=("org:syrian-government",), type="ACCUSE")
        assert accuse and accuse[0]["date"] == "2020-01-07"


def test_events_command_filters_by_actor_name(db):
    out = runner.invoke(app, ["events", "--db", str(db), "--actor", "مسد", "--format", "jsonl"]).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all("org:sdc" in (r["source_key"], r["target_key"]) for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "cameo-tsv", "plover"])
def test_every_export_format(db, fmt, tmp_path):
    target = tmp_path / f"events.{fmt}"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8-sig")
    if fmt in ("jsonl", "plover"):
        records = [json.loads(line) for line in text.splitlines()]
        assert records
        if fmt == "plover":
            agree = next(r for r in records if r["event"] == "AGREE")
            assert agree["source"][0]["cameo"] == "SYROPP" and agree["date"] == "2023-01-10"
    else:
        rows = list(csv.DictReader(io.StringIO(text), dialect="excel" if fmt == "csv" else "excel-tab"))
        assert rows
        if fmt == "cameo-tsv":
            consult = next(r for r in rows if r["PLOVERType"] == "CONSULT" and r["SQLDATE"] == "20230110")
            assert (consult["Actor1Code"], consult["EventRootCode"], consult["QuadClass"]) == ("SYROPP", "04", "1")
    assert not (tmp_path / f"events.{fmt}.partial").exists()


@pytest.mark.parametrize("code, quad", [("040", 1), ("057", 1), ("073", 2), ("111", 3), ("190", 4), (None, None)])
def test_quad_class(code, quad):
    assert quad_class(code) == quad

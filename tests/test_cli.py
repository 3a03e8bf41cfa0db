"""The command line end to end: records, ingest, search, show, stats, eval, and bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.evaluate import score
from marsad.store import open_store
from tests.conftest import ROOT, SEEDS, load_jsonl, shared_path

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "marsad.db"
    result = run("ingest", str(SEEDS), "--db", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1])["new"] == 2
    return path


def test_extract_seeds_scores_perfectly_on_the_metadata(seeds_gold):
    result = run("extract", str(SEEDS), "--format", "jsonl")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["000_46770df6502fba50", "001_a63e9325d7f618af"]
    figures = score(seeds_gold, records)
    for field in ("title", "published", "source", "author", "body"):
        assert figures[field]["accuracy"] == 1.0, field


def test_extract_json_and_table_formats():
    as_json = json.loads(run("extract", str(SEEDS), "--format", "json").stdout)
    assert len(as_json) == 2 and as_json[1]["source"] == "شبكة شام"
    table = run("extract", str(SEEDS), "--format", "table").stdout
    assert "001_a63e9325d7f618af" in table


def test_reingest_adds_nothing(db):
    again = json.loads(run("ingest", str(SEEDS), "--db", str(db), "--format", "json").stdout.splitlines()[-1])
    assert (again["new"], again["duplicate"]) == (0, 2)
    stats = json.loads(run("stats", "--db", str(db), "--format", "json").stdout)
    assert stats["articles"] == 2 and stats["entities"] > 20 and stats["events"] > 0


@pytest.mark.parametrize("query, expected", [
    ("الاسد", "001_a63e9325d7f618af"),
    ("قامشلي", "000_46770df6502fba50"),
    ("الائتلاف", "001_a63e9325d7f618af"),
])
def test_search_folds_arabic_spelling(db, query, expected):
    hits = [json.loads(line) for line in run("search", query, "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    assert expected in [h["id"] for h in hits]
    assert all("[" in h["snippet"] for h in hits)


def test_search_absent_word_finds_nothing(db):
    assert run("search", "بطاطا", "--db", str(db), "--format", "jsonl").stdout.strip() == ""


def test_search_by_entity_and_dates(db):
    out = run("search", "--entity", "مسد", "--db", str(db), "--format", "jsonl").stdout
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["000_46770df6502fba50"]
    out = run("search", "الائتلاف", "--db", str(db), "--since", "2021-01-01", "--format", "jsonl").stdout
    assert out.strip() == ""


def test_show_and_actors(db):
    record = json.loads(run("show", "001_a63e9325d7f618af", "--db", str(db)).stdout)
    assert record["published"] == "2020-01-07" and record["entities"]
    actors = [json.loads(line) for line in run("actors", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    assert actors[0]["articles"] >= actors[-1]["articles"]
    assert any(a["kb_id"] == "org:etilaf" for a in actors)


def test_unknown_id_is_a_one_line_error(db):
    result = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert result.exit_code == 1
    assert "no article with id 'nope'" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"),
    (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
])
def test_bad_input_is_skipped_with_its_name(tmp_path, db, content, problem):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(app, ["ingest", str(bad), str(SEEDS), "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["failed"] == 1 and str(bad) in report["failures"][0] and problem in report["failures"][0]
    assert report["duplicate"] == 2, "the good inputs in the same run still go in"


def test_strict_stops_with_exit_code_1(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(bad), "--strict"])
    assert result.exit_code == 1 and str(bad) in result.stderr


def test_not_a_database(tmp_path):
    fake = tmp_path / "fake.db"
    fake.write_text("this is not sqlite", encoding="utf-8")
    result = runner.invoke(app, ["stats", "--db", str(fake)])
    assert result.exit_code == 1 and str(fake) in result.stderr


@pytest.mark.parametrize("command", ["extract", "ingest", "search", "show", "stats", "actors", "eval", "ner"])
def test_every_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_eval_prints_the_scorer_table_and_enforces_floors():
    gold = shared_path("eval", "seeds.gold.jsonl")
    result = runner.invoke(app, ["eval", str(gold), str(SEEDS), "--min", "entities.f1=0.99"])
    assert result.exit_code == 0, result.output
    assert "entities          P 1.000  R 1.000  F1 1.000" in result.stdout
    assert runner.invoke(app, ["eval", str(gold), str(SEEDS), "--min", "events.f1=1.01"]).exit_code == 1


def test_ner_tags_conll(tmp_path):
    conll = tmp_path / "s.conll"
    conll.write_text("وقال O\nوزير O\nالخارجية O\nالروسي O\nسيرغي B-PER\nلافروف I-PER\nفي O\nموسكو B-LOC\n\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["ner", str(conll), "--score"])
    assert result.exit_code == 0
    tags = [line.split()[1] for line in result.stdout.splitlines() if line.strip()]
    assert tags == ["O", "O", "O", "O", "B-PER", "I-PER", "O", "B-LOC"]
    assert "micro  P 1.0000  R 1.0000  F1 1.0000" in result.stderr


def test_the_installed_command_runs():
    result = subprocess.run([sys.executable, "-m", "marsad.cli", "extract", str(SEEDS / "000_46770df6502fba50.txt")],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0 and json.loads(result.stdout)["published"] == "2023-01-11"


def test_dev_records_match_the_gold_files(dev_records):
    gold = load_jsonl(shared_path("eval", "dev.gold.jsonl"))
    assert sorted(r["id"] for r in dev_records) == sorted(g["id"] for g in gold)


def test_windows_1256_copy_is_the_same_article_and_english_is_kept(tmp_path):
    db = tmp_path / "m.db"
    seed = SEEDS / "001_a63e9325d7f618af.txt"
    legacy = tmp_path / "legacy" / "001_copy.txt"
    legacy.parent.mkdir()
    text = seed.read_text(encoding="utf-8")
    # what a windows-1256 site can hold: ASCII digits, no "●" bullet, no en space
    legacy.write_bytes(text.translate(str.maketrans("٠٢٧\u2002●", "027 •")).encode("cp1256", errors="replace"))
    english = tmp_path / "legacy" / "english.txt"
    english.write_text("Turkey blocks websites\n\nTurkey blocked more than six Islamist news websites this week, "
                       "officials said on Tuesday, citing a court order.", encoding="utf-8")
    report = json.loads(run("ingest", str(legacy.parent), "--db", str(db), "--format", "json").stdout.splitlines()[-1])
    assert (report["new"], report["failed"]) == (2, 0)
    with open_store(db, readonly=True) as store:
        copy = store.get("001_copy")
        assert copy.source == "شبكة شام" and copy.published == "2020-01-07" and "اسطيفو" in copy.text
        assert store.get("english").language == "en"



def test_bench_reports_each_stage_against_the_baseline():
    from marsad.bench import run_bench

    shared_path("data", "saudinewsnet", "dataset")
    report = run_bench(shared_path(), n=4, warmup=3)
    assert report["articles"] == 4 and report["articles_before_steady_state"] == 7
    for figures in (report["stages"], report["stages_fresh_process"]):
        assert set(figures) == {"read", "baseline", "extract", "clean", "dates", "entities", "quotes", "references",
                                "events", "all_stages"}
        assert all(figures[s]["ms_per_article"] > 0 for s in ("baseline", "entities", "all_stages"))
        assert figures["all_stages"]["x_baseline"] > 1  # ~10x: a margin no timing noise closes
    assert report["ingest"]["articles"] == 4 and report["search"]["queries"] == 60


def test_corpus_bench_streams_every_article_through_each_stage(pipeline):
    from marsad.bench import corpus_figures

    report = corpus_figures([str(SEEDS)], pipeline)
    assert report["articles"] == 2 and report["chars_per_article"] > 1000
    assert report["extract"]["ms_per_article"] > 0 and report["all_stages"]["ms_per_article"] > 0
    assert report["extract"]["x_baseline"] > 1 and report["entities"]["ms_per_article"] > 0
    assert corpus_figures([str(SEEDS)], pipeline, limit=1)["articles"] == 1

"""The Dask engine on a local cluster of two worker processes: the same records as one process, Parquet tables,
resources loaded once per worker, incremental reruns."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

from marsad.errors import MarsadError  # noqa: E402
from marsad.ingest import ingest  # noqa: E402
from marsad import scale  # noqa: E402
from marsad.scale import (PENDING, PLUGIN, TABLES, PipelinePlugin, clear_pending, connect,  # noqa: E402
                          default_parquet_dir, ingest_dask)
from marsad.store import open_store  # noqa: E402
from marsad.store.rows import stored_article  # noqa: E402
from tests.conftest import SEEDS, shared_path  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with connect("local:2") as c:
        assert len(c.nthreads()) == 2 and set(c.nthreads().values()) == {1}
        yield c


@pytest.fixture(scope="module")
def inputs():
    return [str(SEEDS), str(shared_path("eval", "dev"))]


@pytest.fixture(scope="module")
def dask_run(client, inputs, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dask")
    db, out = tmp / "m.db", tmp / "parquet"
    with open_store(str(db)) as store:
        report = ingest_dask(inputs, store, client, out, batch_size=16, partition_size=4)
    return db, out, report


def stored(db) -> list[dict]:
    with open_store(str(db), readonly=True) as store:
        return [a.to_dict() for a in store.iter_articles()]


def table(out, name: str):
    return pq.read_table(out / name)  # a folder: every committed part-*.parquet, the _pending-* ones skipped


def test_records_identical_to_a_single_process_run(dask_run, inputs, seed_records, dev_records):
    _, out, report = dask_run
    single = list(seed_records.values()) + dev_records
    assert report.failed == 0 and report.processed == len(single)
    rows = table(out, "articles").to_pylist()
    assert [stored_article(r["record"], r["text"]).to_dict() for r in rows] == single  # in input order, every field
    assert not any("text" in json.loads(r["record"]) for r in rows)  # the text column holds it, not a 2nd copy
    assert [r["id"] for r in rows] == [a["id"] for a in single]


def test_store_identical_to_a_single_process_ingest(dask_run, inputs, pipeline, tmp_path):
    db, _, report = dask_run
    with open_store(str(tmp_path / "single.db")) as store:
        single = ingest(inputs, store, pipeline, batch_size=16)
    assert (report.new, report.duplicate, report.near_duplicate) == (single.new, single.duplicate,
                                                                     single.near_duplicate)
    assert stored(db) == stored(tmp_path / "single.db")
    with open_store(str(db), readonly=True) as store:
        assert store.search("القامشلي", limit=5)  # the search index was filled through add_prepared


def test_flat_tables_one_row_per_entity_and_event(dask_run):
    _, out, _ = dask_run
    arts = table(out, "articles").to_pylist()
    ents, evs = table(out, "entities"), table(out, "events")
    assert ents.num_rows == sum(a["n_entities"] for a in arts) > 0
    assert evs.num_rows == sum(a["n_events"] for a in arts) > 0
    assert set(ents.column("article_id").to_pylist()) <= {a["id"] for a in arts}
    assert {"article_id", "type", "cameo", "source_name", "target_name", "sentence", "group_key"} <= set(
        evs.column_names)
    assert not list(out.glob("*/_pending-*"))


def test_tables_hold_the_rows_prepared_for_the_store(dask_run):
    _, out, _ = dask_run
    arts = table(out, "articles")
    assert {"search_title", "search_body", "minhash"} <= set(arts.column_names)
    assert all(arts.column("search_body").to_pylist()) and any(arts.column("minhash").to_pylist())
    counts = arts.select(["n_quotes", "n_references"]).to_pydict()
    ents = table(out, "entities").select(["mention_count", "norm_canonical"]).to_pydict()
    assert table(out, "mentions").num_rows == sum(ents["mention_count"]) > 0 and all(ents["norm_canonical"])
    assert table(out, "quotes").num_rows == sum(counts["n_quotes"])
    assert table(out, "refs").num_rows == sum(counts["n_references"])


def test_a_run_killed_while_publishing_is_published_by_the_next(tmp_path):
    """Partition x was committed and partly published (articles renamed), y never committed."""
    for t in TABLES:
        (tmp_path / t).mkdir()
        (tmp_path / t / f"{PENDING}y.parquet").write_bytes(b"y")
        (tmp_path / t / ("part-x.parquet" if t == "articles" else f"{PENDING}x.parquet")).write_bytes(b"x")
    assert clear_pending(tmp_path) == len(TABLES)  # y's files
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/*")) == sorted(
        f"{t}/part-x.parquet" for t in TABLES)


def test_resources_load_once_per_worker(client, dask_run):
    per_worker = client.run(lambda dask_worker: (dask_worker.plugins[PLUGIN].loads,
                                                 dask_worker.plugins[PLUGIN].partitions))
    assert [loads for loads, _ in per_worker.values()] == [1, 1]
    assert all(parts > 0 for _, parts in per_worker.values()), "both workers took partitions"


def test_workers_run_without_the_dashboard_profiler(client):
    def settings(dask_worker):
        import dask
        return (dask.config.get("distributed.worker.profile.enabled"), dask_worker.profile_recent["count"])
    assert list(client.run(settings).values()) == [(False, 0), (False, 0)], "no stack sampling on the workers"


def test_workers_keep_glibc_free_memory_and_do_not_steal(client):
    def settings():
        import os

        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")
    assert list(client.run(settings).values()) == [(None, "1"), (None, "1")]
    assert client.run_on_scheduler(
        lambda dask_scheduler: "stealing" in dask_scheduler.extensions) is False


def test_rerun_processes_nothing_and_adds_no_parquet(client, dask_run, inputs):
    db, out, first = dask_run
    before = sorted(p.name for p in (out / "articles").iterdir())
    with open_store(str(db)) as store:
        again = ingest_dask(inputs, store, client, out, batch_size=16, partition_size=4)
    assert again.processed == 0 and again.new == 0 and again.skipped == first.processed
    assert sorted(p.name for p in (out / "articles").iterdir()) == before


def test_bad_scheduler_and_parquet_default():
    with pytest.raises(MarsadError, match="number of workers"):
        with connect("local:x"):
            pass
    assert default_parquet_dir("data/marsad.db") == "data/marsad.parquet"
    assert default_parquet_dir("sqlite:////abs/m.db") == "/abs/m.parquet"


def test_tasks_join_windows_in_order_and_shrink_at_the_end():
    from marsad.ingest import Window
    from marsad.scale import tasks

    windows = [Window(list(range(i * 10, i * 10 + 10)), [f"doc{i}"]) for i in range(30)]
    windows.insert(5, Window([], ["skipped-doc"], skipped=7))  # all of a window already stored
    out = list(tasks(iter(windows), largest=40, workers=2))
    assert [it for t in out for it in t.items] == list(range(300))
    assert [d for t in out for d in t.finished][:7] == ["doc0", "doc1", "doc2", "doc3", "doc4", "skipped-doc", "doc5"]
    assert sum(t.skipped for t in out) == 7
    sizes = [len(t.items) for t in out]
    assert max(sizes) == 40 and sizes[-1] == 10 and sizes == sorted(sizes, reverse=True)
    assert [len(t.items) for t in tasks(iter(windows[:3]), largest=40, workers=2)] == [10, 10, 10]


def test_cli_default_task_size_is_the_engines():
    import inspect

    from marsad.cli import ingest as ingest_command
    from marsad.scale import DEFAULT_PARTITION

    assert inspect.signature(ingest_command).parameters["partition_size"].default == DEFAULT_PARTITION


class _RunsWhenAsked:
    """A task's future that is still running until its result is asked for (it is computed then, here)."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def done(self) -> bool:
        return False

    def result(self):
        return self.fn(*self.args)


class _OneWorkerHere:
    """A client with one worker thread that runs every task in this process, as late as it can."""

    def nthreads(self) -> dict[str, int]:
        return {"here": 1}

    def submit(self, fn, *args, pure, key):
        return _RunsWhenAsked(fn, args)


def test_held_rows_are_committed_while_the_next_task_runs(pipeline, tmp_path, monkeypatch):
    """With a batch far larger than the input, each finished task is still committed before the client
    waits on the next one: nothing is left to insert after the last task."""
    plugin = PipelinePlugin()
    plugin.pipeline = pipeline
    monkeypatch.setattr(scale, "get_worker", lambda: type("Worker", (), {"plugins": {PLUGIN: plugin}}))
    commits: list[int] = []
    with open_store(str(tmp_path / "m.db")) as store:
        report = ingest_dask([str(SEEDS)], store, _OneWorkerHere(), tmp_path / "parquet", batch_size=10_000,
                             partition_size=1, progress=commits.append)
        assert report.new == 2 and len(list(store.iter_articles())) == 2
    assert commits == [1, 1], "one commit as the second task was awaited, one for the last task"

"""Read, process and store, in atomic batches: what `marsad ingest` does, as a plain function.

Incremental by default: inputs are enumerated (folders walked, files, URLs), and what an earlier run already
processed is skipped before the expensive part (see `marsad.store.progress`): an unchanged file is not read at
all, an item of a grown file, zip, feed or JSON dump already stored is read but not processed. A run killed
half-way keeps its committed batches, and the rerun skips them and goes on. ``incremental=False`` processes
everything again (the store still drops what it already holds as duplicate content).

The same windows of raw articles (`read_new`) feed the single-process loop here and the Dask engine
(`marsad.scale`), which only processes them elsewhere.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import InputError, MarsadError
from marsad.model import Article
from marsad.pipeline import Failure, Pipeline
from marsad.read import read_paths
from marsad.read.files import UniqueIds, is_url, walk
from marsad.store import Store
from marsad.store.progress import FileMark, Ledger, item_key
from marsad.store.rows import Prepared

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200


@dataclass
class IngestReport:
    """What a run did. ``duplicate`` counts every article already stored, including the ``skipped`` ones
    (already processed by an earlier run, so not processed again); ``skipped_inputs`` counts files not even
    read (unchanged since they were ingested); ``processed`` the articles that went through the stages."""

    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: int = 0
    processed: int = 0
    skipped: int = 0
    skipped_inputs: int = 0
    failures: list[Failure] = field(default_factory=list)

    def fail(self, failure: Failure | InputError) -> None:
        if isinstance(failure, InputError):
            failure = Failure(failure.path, failure.problem)
        self.failed += 1
        self.failures.append(failure)

    def as_dict(self) -> dict:
        return {"new": self.new, "duplicate": self.duplicate, "near_duplicate": self.near_duplicate,
                "failed": self.failed, "processed": self.processed, "skipped": self.skipped,
                "skipped_inputs": self.skipped_inputs, "failures": [str(f) for f in self.failures]}


class RunIds(UniqueIds):
    """The ids of one run (see `UniqueIds`), which can also take the ids of a file skipped as unchanged, so
    that later inputs get the same ids as in a run that read everything."""

    def register(self, ids: Iterable[str]) -> None:
        self._seen.update(ids)


@dataclass(eq=False)
class Doc:
    """One input document (a file or a URL) as it is read: its ids, the content hashes of its articles once
    known, and whether any of them failed (then it is not marked done: the rerun tries the failed ones again)."""

    path: str
    mark: FileMark | None = None
    ids: list[str] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    failed: bool = False

    def done_mark(self) -> FileMark | None:
        if self.mark is None or self.failed:
            return None
        return FileMark(self.mark.size, self.mark.mtime_ns, self.mark.sha256, tuple(self.ids),
                        tuple(dict.fromkeys(self.hashes)))


@dataclass(eq=False)
class Item:
    article: Article
    key: str
    doc: Doc


@dataclass
class Window:
    """Raw articles to process (in input order), and the documents whose last article is in this window or
    an earlier one (to mark done once this window is committed)."""

    items: list[Item]
    finished: list[Doc]
    skipped: int = 0


def documents(paths: Iterable[str]) -> Iterator[str]:
    """Each input document: URLs as given, folders walked (as `read_paths` walks them), files as given."""
    for p in paths:
        p = str(p)
        if not is_url(p) and Path(p).is_dir():
            yield from (str(f) for f in walk(Path(p)))
        else:
            yield p


def read_new(paths: Iterable[str], ledger: Ledger | None, report: IngestReport, *, window: int = DEFAULT_BATCH,
             on_error: Callable[[InputError], None] | None = None) -> Iterator[Window]:
    """Raw articles of the inputs in windows of at most ``window``, what ``ledger`` says is done left out.

    Ids are those `read_paths` gives in one run over the same inputs. Input errors go to ``on_error`` (None:
    raised). Counts skipped articles and inputs in ``report``.
    """
    ids = RunIds()
    buf: list[Item] = []
    finished: list[Doc] = []

    def flush() -> Window:
        done = ledger.done_items(it.key for it in buf) if ledger else {}
        fresh = []
        for it in buf:
            h = done.get(it.key)
            if h is None:
                fresh.append(it)
            else:
                it.doc.hashes.append(h)
        skipped = len(buf) - len(fresh)
        report.skipped += skipped
        report.duplicate += skipped
        out = Window(fresh, list(finished), skipped)
        buf.clear()
        finished.clear()
        return out

    for where in documents(paths):
        doc = Doc(where)
        if ledger is not None and not is_url(where) and Path(where).is_file():
            mark = ledger.unchanged_file(where)
            if mark is not None:
                log.info("%s: unchanged since it was ingested, skipped", where)
                ids.register(mark.ids)
                report.skipped_inputs += 1
                report.skipped += len(mark.ids)
                report.duplicate += len(mark.ids)
                continue
            try:
                doc.mark = FileMark.of(where)
            except OSError:
                doc.mark = None
        for art in read_paths([where], on_error=_noting(doc, on_error)):
            art = ids(art)
            doc.ids.append(art.id)
            buf.append(Item(art, item_key(art), doc))
            if len(buf) >= window:
                yield flush()
        finished.append(doc)
    if buf or finished:
        yield flush()


def _noting(doc: Doc, on_error: Callable[[InputError], None] | None) -> Callable[[InputError], None] | None:
    """``on_error`` that also notes the document as not done (a bad input is reported again on rerun)."""
    if on_error is None:
        return None

    def noted(err: InputError) -> None:
        doc.failed = True
        on_error(err)

    return noted


def process_one(pipeline: Pipeline, raw: Article, strict: bool = False) -> Article | Failure:
    """The processed article, or the failure (reported with its input, as `Pipeline.run` does)."""
    try:
        return pipeline.process(raw)
    except MarsadError as e:
        if strict:
            raise
        return Failure(raw.source_file, str(e))
    except Exception as e:  # a bug on one article must not cost a batch
        if strict:
            raise
        log.exception("processing %s failed", raw.source_file)
        return Failure(raw.source_file, f"processing failed: {type(e).__name__}: {e}")


def commit(store: Store, ledger: Ledger | None, done: Sequence[tuple[Item, Prepared]], finished: Iterable[Doc],
           report: IngestReport) -> None:
    """Store processed articles (as `Prepared` rows) in one transaction, then record them and the finished
    documents as done."""
    if done:
        result = store.add_prepared([p for _, p in done])
        report.new += result.new
        report.duplicate += result.duplicate
        report.near_duplicate += result.near_duplicate
    for item, p in done:
        item.doc.hashes.append(p.content_hash)
    if ledger is not None:
        marks = {d.path: m for d in finished if (m := d.done_mark()) is not None}
        ledger.record({item.key: p.content_hash for item, p in done}, marks)


def ingest(paths: Iterable[str], store: Store, pipeline: Pipeline, *, batch_size: int = DEFAULT_BATCH,
           strict: bool = False, progress: Callable[[int], None] | None = None,
           incremental: bool = True) -> IngestReport:
    """Process every new input and write it in batches; each batch is committed whole or not at all.

    With ``strict`` the first failure stops the run (what was committed stays); otherwise failures are
    counted, kept in the report, and the run goes on. ``progress`` gets the number of articles handled
    (processed or skipped) after each batch. Each processed article is turned into rows here
    (`Store.preparer`), as the Dask engine does on its workers, then inserted (`Store.add_prepared`).
    """
    report = IngestReport()
    ledger = Ledger(store) if incremental else None
    for window in read_new(paths, ledger, report, window=batch_size, on_error=None if strict else report.fail):
        done = []
        for item in window.items:
            out = process_one(pipeline, item.article, strict)
            if isinstance(out, Failure):
                report.fail(out)
                item.doc.failed = True
            else:
                done.append((item, store.preparer(out)))
        report.processed += len(window.items)
        commit(store, ledger, done, window.finished, report)
        if progress:
            progress(len(window.items) + window.skipped)
    return report

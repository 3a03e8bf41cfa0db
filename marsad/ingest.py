"""Read, process and store, in atomic batches: what `marsad ingest` does, as a plain function."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from marsad.pipeline import Failure, Pipeline
from marsad.store import Store

DEFAULT_BATCH = 200


@dataclass
class IngestReport:
    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"new": self.new, "duplicate": self.duplicate, "near_duplicate": self.near_duplicate,
                "failed": self.failed, "failures": [str(f) for f in self.failures]}


def ingest(paths: Iterable[str], store: Store, pipeline: Pipeline, *, batch_size: int = DEFAULT_BATCH,
           strict: bool = False, progress: Callable[[int], None] | None = None) -> IngestReport:
    """Process every input and write it in batches; each batch is committed whole or not at all.

    With ``strict`` the first failure stops the run (what was committed stays); otherwise failures are
    counted, kept in the report, and the run goes on.
    """
    report = IngestReport()

    def failed(f: Failure) -> None:
        report.failed += 1
        report.failures.append(f)

    batch = []

    def flush() -> None:
        if not batch:
            return
        result = store.add_articles(batch)
        report.new += result.new
        report.duplicate += result.duplicate
        report.near_duplicate += result.near_duplicate
        if progress:
            progress(len(batch))
        batch.clear()

    for article in pipeline.run(paths, on_error=None if strict else failed):
        batch.append(article)
        if len(batch) >= batch_size:
            flush()
    flush()
    return report

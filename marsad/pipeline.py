"""Wires the stages: read -> clean -> dates -> entities -> quotes -> references -> events -> store.

Resources (the knowledge base, the tagger, the tables) are loaded once in `Resources` and passed to the stages;
`Pipeline.process` is a pure function of an article. Batch mode chooses, per article, to raise or to skip and
log (`on_error`).

Once the resources are loaded, the garbage collector is told to leave them alone (`settle_collector`): they
live as long as the process, and scanning them again and again was a fifth of the entities stage's time.
"""
from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from marsad import clean, dates
from marsad.errors import InputError, MarsadError
from marsad.extract import entities, events, quotes, references
from marsad.model import Article
from marsad.read import read_paths

log = logging.getLogger(__name__)

Stage = Callable[[Article], Article]


@dataclass(frozen=True)
class Failure:
    """An input or article that could not be processed, and why."""

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class Resources:
    """Everything the stages read, loaded once and shared (immutable)."""

    boilerplate: clean.Boilerplate
    calendar: dates.Calendar
    entities: entities.EntityResources
    speech: quotes.SpeechTable
    references: references.ReferenceTable
    lexicon: events.Lexicon

    @classmethod
    def load(cls) -> Resources:
        return cls(boilerplate=clean.load_boilerplate(), calendar=dates.load_calendar(),
                   entities=entities.default_resources(), speech=quotes.load_speech_table(),
                   references=references.load_reference_table(), lexicon=events.load_lexicon())


GC_THRESHOLD = 10_000  # allocations between young-generation collections (Python's default: 700)


def settle_collector() -> None:
    """Move every object alive now (the loaded resources) out of the collector's sight, and collect the young
    generation less often: a stage allocates many short-lived tuples, and each full collection walked the
    whole knowledge base. Process-wide; called once the resources are loaded."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


class Pipeline:
    """The stages bound to their resources, in the order of DESIGN.md."""

    def __init__(self, resources: Resources | None = None):
        self.resources = res = resources or Resources.load()
        settle_collector()
        self.stages: tuple[tuple[str, Stage], ...] = (
            ("clean", lambda a: clean.clean(a, res.boilerplate)),
            ("dates", lambda a: dates.date_article(a, calendar=res.calendar)),
            ("entities", lambda a: entities.extract_entities(a, res.entities)),
            ("quotes", lambda a: quotes.extract_quotes(a, res.speech)),
            ("references", lambda a: references.extract_references(a, res.references)),
            ("events", lambda a: events.extract_events(a, res.lexicon, res.entities.kb)),
        )

    def process(self, article: Article) -> Article:
        for _, stage in self.stages:
            article = stage(article)
        return article

    def run(self, paths: Iterable[str], on_error: Callable[[Failure], None] | None = None) -> Iterator[Article]:
        """Read and process every input, in order. Without ``on_error`` the first failure raises."""

        def reader_error(err: InputError) -> None:
            if on_error is None:
                raise err
            on_error(Failure(err.path, err.problem))

        for raw in read_paths(paths, on_error=reader_error if on_error else None):
            try:
                yield self.process(raw)
            except MarsadError as e:
                if on_error is None:
                    raise
                on_error(Failure(raw.source_file, str(e)))
            except Exception as e:  # a bug on one article must not cost a batch: report it with its input
                if on_error is None:
                    raise
                log.exception("processing %s failed", raw.source_file)
                on_error(Failure(raw.source_file, f"processing failed: {type(e).__name__}: {e}"))

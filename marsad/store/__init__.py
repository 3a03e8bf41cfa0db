"""The store: articles and their annotations, deduplicated and searchable, behind one small interface.

`open_store` picks the backend from a URL: a path, ``sqlite:///path``, ``sqlite://`` or ``":memory:"`` give the
embedded SQLite store (WAL mode, FTS5); ``postgresql://...`` the PostgreSQL store (`marsad.store.postgres`)
behind the same `Store` interface.

    with open_store("marsad.db") as store:
        result = store.add_articles(batch)      # one transaction per call: all or nothing
        hits = store.search("الائتلاف", since="2023-01-01", limit=20)
"""
from __future__ import annotations

import abc
import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from marsad.errors import StoreError
from marsad.model import Article
from marsad.store.search import QueryError

if TYPE_CHECKING:
    from marsad.store.rows import Prepared, Preparer

__all__ = ["AddResult", "Hit", "QueryError", "Store", "StoreError", "open_store"]


@dataclass(frozen=True)
class AddResult:
    """What one `Store.add_articles` call did.

    ``new``: articles stored; ``duplicate``: inputs whose content was already stored (in the store or earlier
    in the same batch), nothing written for them; ``near_duplicate``: new articles that joined a group of
    near-duplicates (they are stored too); ``ids``: for each input, in order, the id it is stored under
    (the existing article's id for a duplicate; a suffixed id when its own id was taken by other content).
    """

    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    """One search result. ``snippet`` is ~30 words of the original text with ``[``…``]`` around matches;
    ``snippet_plain`` the same without marks, ``spans`` the matches as offsets into ``snippet_plain``;
    ``snippet_start`` the offset of the window in the article text; ``title_spans`` the matches in ``title``.
    ``score`` is the bm25 relevance, higher is better."""

    id: str
    title: str | None
    published: str | None
    source: str | None
    score: float
    snippet: str
    snippet_plain: str
    spans: list[tuple[int, int]]
    title_spans: list[tuple[int, int]]
    snippet_start: int = 0
    near_dup_group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["spans"] = [list(s) for s in self.spans]
        d["title_spans"] = [list(s) for s in self.title_spans]
        return d


class Store(abc.ABC):
    """The interface every backend implements. Articles are immutable records keyed by ``id``."""

    def add_articles(self, batch: Iterable[Article]) -> AddResult:
        """Store a batch in one transaction (all or nothing); see `AddResult` for deduplication."""
        return self.add_prepared([self.preparer(a) for a in batch])

    @abc.abstractmethod
    def add_prepared(self, batch: Iterable[Prepared]) -> AddResult:
        """`add_articles` of articles already turned into rows (`marsad.store.rows.Preparer`, with this
        store's `preparer` parameters, or others: their signatures are then made again)."""

    @property
    @abc.abstractmethod
    def preparer(self) -> Preparer:
        """What turns articles into the rows this store writes (its MinHash parameters; a cache of search
        forms). Pure: `marsad.scale` runs one with the same parameters on the workers."""

    @abc.abstractmethod
    def get(self, article_id: str) -> Article | None:
        """The stored article, or None."""

    @abc.abstractmethod
    def update(self, article: Article) -> None:
        """Replace a stored article (same id) and its annotations, keeping the search index in sync."""

    @abc.abstractmethod
    def delete(self, ids: Iterable[str]) -> int:
        """Delete articles and everything attached to them; returns how many were deleted."""

    @abc.abstractmethod
    def search(self, query: str, since: str | None = None, until: str | None = None,
               limit: int = 20, offset: int = 0) -> list[Hit]:
        """Full-text search (see `marsad.store.search`), best first; ``since``/``until`` are ISO date
        prefixes, both inclusive, on ``published``. Raises `QueryError` for an empty query."""

    @abc.abstractmethod
    def count_search(self, query: str, since: str | None = None, until: str | None = None) -> int:
        """How many articles `search` would find without limit."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts: articles, entities, quotes, references, events, sources {name: n} (``""`` for articles
        with no source), near_duplicate_groups, first_published, last_published (ISO, or None)."""

    @abc.abstractmethod
    def iter_articles(self, since: str | None = None, until: str | None = None) -> Iterator[Article]:
        """Every stored article (optionally filtered on ``published``), in ingest order."""

    @abc.abstractmethod
    def has_content(self, content_hash: str) -> bool:
        """Whether an article with this `Article.content_hash` is stored."""

    @abc.abstractmethod
    def known_ids(self) -> set[str]:
        """The ids of every stored article."""

    @abc.abstractmethod
    def near_duplicates(self, article_id: str) -> list[str]:
        """Ids of the other articles in the near-duplicate group of ``article_id``, in ingest order."""

    @abc.abstractmethod
    def actors(self, type: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """The most mentioned actors: key, type, kb_id, name, name_en, articles, mentions."""

    @abc.abstractmethod
    def entity_search(self, name: str, kb_ids: tuple[str, ...] = (), since: str | None = None,
                      until: str | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
        """Articles that mention an entity named ``name`` (or linked to ``kb_ids``), newest first, each with
        a snippet around the first mention."""

    @abc.abstractmethod
    def events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
               until: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Events across articles (one per group of reports; see `marsad.store.event_queries`), filtered by
        PLOVER type, actor keys (knowledge-base ids or ``name:`` + normalized name) and event date."""

    @abc.abstractmethod
    def count_events(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                     until: str | None = None) -> int:
        """How many events `events` would list without limit."""

    @abc.abstractmethod
    def ledger_get(self, keys: Iterable[str]) -> dict[str, str]:
        """Incremental-ingest bookkeeping (`marsad.store.progress`): of ``keys``, those recorded, with their
        values. An empty dict when nothing is recorded (or the store is read-only and has no ledger yet)."""

    @abc.abstractmethod
    def ledger_put(self, entries: Mapping[str, str]) -> None:
        """Record ``key -> value`` pairs (inserting or replacing) in one transaction, all or nothing."""

    # --- views (the API and the web pages; see marsad.views) ----------------------------------------------

    @abc.abstractmethod
    def find_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                      actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                      event_type: str | None = None, source: str | None = None,
                      limit: int = 20, offset: int = 0) -> list[Hit]:
        """Articles by full text (``query``, as `search`; best first) or, without it, newest first; filtered
        on ``published``, on mentioning any of ``actor_keys`` / ``place_keys`` (actor keys as `actors`
        returns them: a KB id, ``TYPE:<normalized name>`` or ``name:<normalized name>``), on reporting an
        event of ``event_type`` and on ``source`` (exact)."""

    @abc.abstractmethod
    def count_articles(self, query: str | None = None, since: str | None = None, until: str | None = None,
                       actor_keys: tuple[str, ...] = (), place_keys: tuple[str, ...] = (),
                       event_type: str | None = None, source: str | None = None) -> int:
        """How many articles `find_articles` would list without limit."""

    @abc.abstractmethod
    def count_actors(self, type: str | None = None) -> int:
        """How many actors `actors` would list without limit."""

    @abc.abstractmethod
    def actor_profile(self, key: str) -> dict[str, Any] | None:
        """One actor by key (as `actors` returns it, or an event actor key): key, event_key, type, name,
        name_en, names, aliases, roles [{role, count}], articles_count, mentions, events {as_source,
        as_target: {TYPE: n}, total}, relations {TYPE: [{key, name, count, direction}]}; None if unknown."""

    @abc.abstractmethod
    def places(self, since: str | None = None, until: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        """Places with coordinates: key, kb_id, name, name_en, lat, lon, articles (published in range),
        events (event date in range, of ``type``; only places with some when ``type`` is given)."""

    @abc.abstractmethod
    def network(self, type: str | None = None, since: str | None = None, until: str | None = None,
                min_weight: int = 1, limit: int = 500) -> dict[str, Any]:
        """Actor network: nodes [{id, label, count}], edges [{source, target, type, weight}] between event
        actor keys, ``weight`` distinct events; the ``limit`` heaviest edges of at least ``min_weight``."""

    @abc.abstractmethod
    def timeline(self, type: str | None = None, actor_keys: tuple[str, ...] = (), since: str | None = None,
                 until: str | None = None) -> list[tuple[str, str | None, int]]:
        """(PLOVER type, day ``YYYY-MM-DD`` or None when undated, distinct events) with the filters of
        `events`; the counts add up to `count_events`."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; the store cannot be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Connected:
    """What both backends do the same with their one connection (``_db``, guarded by ``_lock``): hand it out
    or say the store is closed, close it once, and hand out the store's `Preparer` (``_preparer``)."""

    path: str
    _db: Any
    _lock: Any
    _preparer: Preparer

    @property
    def preparer(self) -> Preparer:
        return self._preparer

    @property
    def _conn(self) -> Any:
        if self._db is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def open_store(url: str | os.PathLike[str] = "marsad.db", readonly: bool = False) -> Store:
    """Open (creating when needed) the store at ``url``.

    ``marsad.db`` or ``sqlite:///marsad.db`` (relative), ``sqlite:////abs/marsad.db`` (absolute),
    ``:memory:`` or ``sqlite://`` (in memory); ``postgresql://user:pass@host:port/db`` (or ``postgres://``, any
    libpq URI) a PostgreSQL database, its schema migrated on open (`marsad.store.postgres`, needs ``psycopg``).
    ``readonly`` opens an existing database without writing.
    Raises `StoreError` naming the file when it is not a database or cannot be written.
    """
    target = os.fspath(url)
    if "://" in target:
        scheme, _, rest = target.partition("://")
        if scheme.lower() in ("postgresql", "postgres"):
            try:
                from marsad.store.postgres import PostgresStore
            except ImportError as e:
                raise StoreError(f"PostgreSQL support needs psycopg: pip install 'psycopg[binary]==3.3.9' ({e})"
                                 ) from e
            return PostgresStore(target, readonly=readonly)
        if scheme.lower() not in ("sqlite", "sqlite3"):
            raise StoreError(f"{target}: unsupported store URL scheme {scheme!r} "
                             "(supported: sqlite:///path, postgresql://user@host/db)")
        if rest in ("", "/", "/:memory:"):
            target = ":memory:"
        elif rest.startswith("/"):
            target = rest[1:]
        else:
            raise StoreError(f"{target}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(target, readonly=readonly)

"""What differs between the two backends' SQL in the read-side queries they share.

The shared queries (`marsad.store.article_queries`, `marsad.store.graph_queries`,
`marsad.store.event_queries`) are written once, in SQL both SQLite and PostgreSQL read, with ``?`` for each
parameter and explicit ``NULLS FIRST`` / ``NULLS LAST`` (SQLite's order, which PostgreSQL reverses by
default). A `Dialect` supplies the rest: the placeholder, a list parameter, the aggregate of ids, the
full-text search (`marsad.store.search` for FTS5, `marsad.store.pg_search` for tsquery), and the two
annotation queries each backend writes its own way (`marsad.store.annotations`, `marsad.store.pg_queries`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from marsad.store.search import Query

# (query, conditions on ``articles AS a``, their params, limit, offset) -> the SQL and params of the page of
# matches as (pk, score) rows, best first (score descending, then pk)
# (and whether date conditions are checked match by match: `dates_per_match`)
RankedPage = Callable[[Query, list[str], list[Any], int, int, bool], tuple[str, list[Any]]]
# (query, conditions, params, per match) -> the SQL and params counting the matches
CountMatches = Callable[[Query, list[str], list[Any], bool], tuple[str, list[Any]]]
# (connection, query, date conditions, params) -> whether to check the dates match by match
DatesPerMatch = Callable[[Any, Query, list[str], list[Any]], bool]
# the backend's `actor_counts` and `articles_mentioning` (`marsad.store.annotations`, `marsad.store.pg_queries`)
ActorCounts = Callable[..., list[dict[str, Any]]]
Mentioning = Callable[..., list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Dialect:
    name: str
    mark: str  # the placeholder of the driver
    id_list: str  # an aggregate of distinct ids: {} the expression
    ranked_page: RankedPage
    count_matches: CountMatches
    actor_counts: ActorCounts
    articles_mentioning: Mentioning
    dates_per_match: DatesPerMatch

    def sql(self, text: str) -> str:
        """``text`` (written with ``?`` placeholders) for this driver."""
        return text if self.mark == "?" else text.replace("%", "%%").replace("?", self.mark)

    def run(self, conn: Any, text: str, params: Sequence[Any] = ()) -> Any:
        """Execute ``text`` on ``conn``: the cursor."""
        return conn.execute(self.sql(text), list(params))

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A condition true when ``column`` is one of ``values`` (not empty), and its params."""
        if self.mark == "?":
            return f"{column} IN ({','.join('?' * len(values))})", list(values)
        return f"{column} = ANY(?)", [list(values)]


def _sqlite() -> Dialect:
    from marsad.store.annotations import actor_counts, articles_mentioning
    from marsad.store.search import dates_per_match, fts_count, fts_page

    return Dialect(
        name="sqlite", mark="?", id_list="group_concat(DISTINCT {})", ranked_page=fts_page,
        count_matches=fts_count, actor_counts=actor_counts, articles_mentioning=articles_mentioning,
        dates_per_match=dates_per_match)


def _never(*_: Any) -> bool:
    """PostgreSQL filters the GIN index's matches by date one way (its planner chooses)."""
    return False


def _postgres() -> Dialect:
    from marsad.store.pg_queries import actor_counts, articles_mentioning
    from marsad.store.pg_search import ts_count, ts_page

    return Dialect(
        name="postgres", mark="%s", id_list="array_agg(DISTINCT {})", ranked_page=ts_page,
        count_matches=ts_count, actor_counts=actor_counts, articles_mentioning=articles_mentioning,
        dates_per_match=_never)


SQLITE = _sqlite()
POSTGRES = _postgres()

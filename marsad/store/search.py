"""Arabic full-text search, backend-neutral parts: the folded index text, the query parser and the snippet.

Indexing: every token of the title and body is written as all of its `search_forms` (itself normalized and
folded for search, `marsad.arabic.fold_for_search`, and every clitic-stripped stem), so ``والائتلاف`` is
indexed as ``والايتلاف الايتلاف ايتلاف`` and ``Genève`` as ``geneve``.
Querying: each query token is looked up under its full normalized form only, so ``الائتلاف`` finds
``والائتلاف`` and ``الأسد`` finds ``الاسد``, while ``والائتلاف`` finds only ``والائتلاف``.

Query language (kept small, and nothing the user types reaches FTS5 unquoted):

- words are ANDed: ``الأسد حلب``
- ``"..."`` is a phrase: its words must occur close together and in any order (the index holds several
  forms per word, so exact adjacency cannot be asked of FTS5; the window is a few forms per word)
- ``OR`` (or ``|``) between two words or phrases: either, binding tighter than AND
- ``-word`` or ``-"phrase"`` excludes; a query of exclusions only is an error

Ranking (bm25 in SQLite; the title counts `TITLE_WEIGHT` times the body) costs a few microseconds a match,
so a query matching more than `RANK_WINDOW` articles ranks only the newest (last stored) that many: on a
million articles the commonest words match 190,000, and ranking them all takes 0.4 s. (PostgreSQL's
ts_rank costs more a match: `marsad.store.pg_search.PG_RANK_WINDOW`.) Counting the matches stays exact.

>>> parse_query('الأسد OR "الائتلاف الوطني" -حلب').fts
'("الاسد" OR NEAR("الايتلاف" "الوطني", 8)) NOT ("حلب")'
>>> index_text("والائتلاف السوري")
'والايتلاف الايتلاف ايتلاف السوري سوري'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from marsad.arabic import _WORD as WORD  # the pattern of a word in `tokens`
from marsad.arabic import Token, fold_for_search, normalize, search_forms, tokens
from marsad.errors import StoreError

TITLE_WEIGHT = 5.0  # a match in the title counts as much as this many in the body
RANK_WINDOW = 10_000  # a query ranks its newest matches up to this many (its cost grows with those it ranks)
SNIPPET_WORDS = 30
SNIPPET_BEFORE = 10
PHRASE_GAP = 8  # tokens FTS5 may find between two words of a phrase: each word is indexed under <= 5 forms
MAX_TERMS = 32
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?$")
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryError(StoreError, ValueError):
    """A search query that cannot be run: empty, punctuation only, or only exclusions."""


def words(text: str) -> list[Token]:
    """The words of a text as search sees them: `tokens` (Arabic punctuation is no part of a word).

    >>> [t.text for t in words("لبشار الأسد، إن")]
    ['لبشار', 'الأسد', 'إن']
    """
    return tokens(text)


def forms_of(word: str, cache: dict[str, list[str]] | None = None) -> list[str]:
    """`search_forms`, memoized in a caller-owned dict (vocabulary repeats a lot within a batch)."""
    if cache is None:
        return search_forms(word)
    hit = cache.get(word)
    if hit is None:
        if len(cache) > 200_000:
            cache.clear()
        hit = cache[word] = search_forms(word)
    return hit


def index_text(text: str | list[Token] | None, cache: dict[str, list[str]] | None = None) -> str:
    """The folded, clitic-expanded text written to the full-text index for ``text`` (or its `words`)."""
    if not text:
        return ""
    out: list[str] = []
    for tok in words(text) if isinstance(text, str) else text:
        out.extend(forms_of(tok.text, cache))
    return " ".join(out)


@dataclass(frozen=True)
class Query:
    """A parsed query: the FTS5 expression to run, and the normalized words to highlight."""

    text: str
    fts: str
    terms: frozenset[str] = field(default_factory=frozenset)


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _phrase(norms: list[str]) -> str:
    if len(norms) == 1:
        return _quote(norms[0])
    gap = PHRASE_GAP * (len(norms) - 1) + max(0, len(norms) - 2)
    return "NEAR(" + " ".join(_quote(w) for w in norms) + f", {gap})"


def parse_query(text: str) -> Query:
    """Turn what a user typed into a safe FTS5 expression (see the module doc), or raise `QueryError`."""
    if not isinstance(text, str) or not text.strip():
        raise QueryError("empty search query: give at least one word")
    clauses: list[list[str]] = []  # AND of (OR of phrases)
    excluded: list[str] = []
    terms: set[str] = set()
    pending_or = False
    for m in _CHUNK.finditer(text):
        neg, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare in ("OR", "|"):
            pending_or = bool(clauses)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            neg, bare = "-", bare[1:]
        source = quoted if quoted is not None else bare
        norms = [fold_for_search(t.norm) for t in words(source or "")]
        if not norms:
            continue
        if quoted is None and not neg:  # a bare chunk such as "حلب،دمشق" is several ANDed words
            for i, w in enumerate(norms):
                _add(clauses, _quote(w), pending_or and i == 0)
            terms.update(norms)
        elif neg:
            excluded.append(_phrase(norms))
        else:
            _add(clauses, _phrase(norms), pending_or)
            terms.update(norms)
        pending_or = False
    if len(clauses) + len(excluded) > MAX_TERMS:
        raise QueryError(f"search query too long: at most {MAX_TERMS} words")
    if not clauses:
        if excluded:
            raise QueryError(f"search query {text!r} only excludes words: give at least one word to find")
        raise QueryError(f"search query {text!r} has no words (only punctuation)")
    fts = " AND ".join("(" + " OR ".join(c) + ")" if len(c) > 1 else c[0] for c in clauses)
    if excluded:
        fts = f"({fts})" if len(clauses) > 1 else fts
        fts = f"{fts} NOT ({' OR '.join(excluded)})"
    return Query(text, fts, frozenset(terms))


def _add(clauses: list[list[str]], expr: str, alternative: bool) -> None:
    if alternative and clauses:
        clauses[-1].append(expr)
    else:
        clauses.append([expr])


def rank_window(limit: int, offset: int) -> int:
    """How many of the newest matches a query ranks: `RANK_WINDOW`, or more for a page beyond it."""
    return max(RANK_WINDOW, limit + offset)


DATE_PROBE_CAP = 100_000
"""A date range holding at least this many articles is checked match by match whatever the query
(`dates_per_match`)."""


def dates_per_match(conn: Any, q: Query, where: list[str], params: list[Any]) -> bool:
    """Whether to check date conditions (``where``: on ``published`` only) match by match, in
    ``article_dates``, rather than list the range's articles first. Listing costs ~0.6 µs an article of the
    range (a year of a million articles: ~250 ms), checking ~0.7 µs a match walked: so per match when the
    query matches fewer articles than the range holds, or the range holds `DATE_PROBE_CAP` articles or more.
    Both counts stop early (the range's at the cap, the matches at one more than the range): a few ms."""
    in_range = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {' AND '.join(where)} LIMIT ?)",
                            [*params, DATE_PROBE_CAP]).fetchone()[0]
    if in_range >= DATE_PROBE_CAP:
        return True
    matches = conn.execute("SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
                           [q.fts, in_range + 1]).fetchone()[0]
    return matches <= in_range


def _filter(where: list[str], per_match: bool) -> str:
    if not where:
        return ""
    if per_match:  # `dates_per_match`: the conditions read published only, which article_dates holds
        return f" AND EXISTS (SELECT 1 FROM article_dates a WHERE a.pk = articles_fts.rowid AND {' AND '.join(where)})"
    return f" AND +rowid IN (SELECT a.pk FROM articles a WHERE {' AND '.join(where)})"


def fts_page(q: Query, where: list[str], params: list[Any], limit: int, offset: int,
             per_match: bool = False) -> tuple[str, list[Any]]:
    """SQLite: the page of matches of ``q`` among the articles meeting ``where`` (conditions on ``articles AS
    a``), as (pk, score) rows, best first: ranked inside FTS5 (no article row read but for the filters), over
    the newest `rank_window` matches (FTS5 walks its doclist backwards to the oldest of them, without ranking
    anything). ``+rowid`` keeps SQLite from handing the IN list to FTS5 (one index probe per row); the matches
    are checked against the list instead, or, ``per_match``, each against its date (`dates_per_match`)."""
    match = f"articles_fts MATCH ?{_filter(where, per_match)}"
    oldest = f"SELECT rowid FROM articles_fts WHERE {match} ORDER BY rowid DESC LIMIT 1 OFFSET ?"
    sql = (f"SELECT rowid AS pk, -bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS score FROM articles_fts "
           f"WHERE {match} AND rowid >= coalesce(({oldest}), 0) ORDER BY score DESC, rowid LIMIT ? OFFSET ?")
    return sql, [q.fts, *params, q.fts, *params, rank_window(limit, offset) - 1, limit, offset]


def fts_count(q: Query, where: list[str], params: list[Any], per_match: bool = False) -> tuple[str, list[Any]]:
    """SQLite: how many articles meeting ``where`` match ``q``."""
    return f"SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?{_filter(where, per_match)}", [q.fts, *params]


def date_bounds(since: str | None, until: str | None) -> list[tuple[str, str]]:
    """``(operator, value)`` conditions on ``published`` for ISO prefixes, both ends inclusive:
    ``until="2023-01"`` keeps the whole of January.

    >>> date_bounds("2023", "2023-01")
    [('>=', '2023'), ('<=', '2023-01\\uffff')]
    """
    out = []
    for value, op in ((since, ">="), (until, "<=")):
        if value is None:
            continue
        if not isinstance(value, str) or not _ISO_PREFIX.match(value):
            raise QueryError(f"not an ISO date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        out.append((op, value if op == ">=" else value + "\uffff"))
    return out


@dataclass(frozen=True)
class Snippet:
    """A window of the original text with the matching words: ``plain`` and ``spans`` into it, ``marked``
    with ``[``…``]`` around each match, ``start`` its offset in the article text."""

    plain: str
    marked: str
    spans: list[tuple[int, int]]
    start: int


def match_spans(text: str | None, terms: frozenset[str], cache: dict[str, list[str]] | None = None
                ) -> list[tuple[int, int]]:
    """Offsets of the tokens of ``text`` that a query word matches (the word is one of the token's forms)."""
    if not text or not terms:
        return []
    return [(t.start, t.end) for t in words(text) if terms.intersection(forms_of(t.text, cache))]


def mark(text: str, spans: list[tuple[int, int]], left: str = "[", right: str = "]") -> str:
    """``text`` with ``left``/``right`` around each span (spans sorted, non-overlapping)."""
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], left, text[s:e], right]
        last = e
    out.append(text[last:])
    return "".join(out)


def _scan_start(text: str, terms: frozenset[str], margin: int = 300, block: int = 2000) -> int:
    """Where to start looking for the first match: a word boundary ``margin`` characters before the first
    place a query word occurs in the normalized text (a cheap C-level find, a ``block`` of text at a time so
    that a long article is normalized only up to its first match; the token scan confirms it). Normalization
    only deletes characters, unless presentation forms expand: then from the start."""
    if not terms or len(text) < 2 * margin:
        return 0
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + block)
        while end < len(text) and not text[end].isspace():  # a query word holds no space: none is cut
            end += 1
        norm = fold_for_search(normalize(text[pos:end]))
        if len(norm) > end - pos:
            return 0
        found = [p for p in (norm.find(t) for t in terms) if p >= 0]
        if found:
            p = pos + min(found) - margin
            while p > 0 and not text[p - 1].isspace():
                p -= 1
            return max(p, 0)
        pos = end
    return 0


def snippet(text: str | None, terms: frozenset[str], size: int = SNIPPET_WORDS,
            cache: dict[str, list[str]] | None = None) -> Snippet:
    """About ``size`` words of ``text`` around its first match (the start of the text when none)."""
    text = text or ""
    toks: list[re.Match[str]] = []  # the words of `tokens`, matched one at a time: no more than needed
    hit = -1
    origin = _scan_start(text, terms)
    for t in WORD.finditer(text, origin):
        toks.append(t)
        if hit < 0 and terms and terms.intersection(forms_of(t.group(), cache)):
            hit = len(toks) - 1
        if (hit >= 0 or not terms) and len(toks) > max(hit, 0) + size:
            break
    if not toks:
        return Snippet("", "", [], 0)
    first = max(0, hit - SNIPPET_BEFORE) if hit >= 0 else 0
    last = min(len(toks), first + size)
    first = max(0, min(first, last - size))
    start, end = toks[first].start(), toks[last - 1].end()
    prefix = "… " if first > 0 or origin > 0 else ""
    suffix = " …" if last < len(toks) else ""  # the scan stops only beyond the window
    plain = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start
    spans = [(toks[i].start() + shift, toks[i].end() + shift) for i in range(first, last)
             if i >= hit >= 0 and terms.intersection(forms_of(toks[i].group(), cache))]
    return Snippet(plain, mark(plain, spans), spans, start)

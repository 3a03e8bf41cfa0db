"""Full-text search on PostgreSQL: the `Query` that `marsad.store.search.parse_query` returns, as SQL.

`parse_query` already turned what the user typed into a small, safe FTS5 expression (``Query.fts``): quoted
words, ``NEAR("w1" "w2" ..., n)``, ``AND``, ``OR``, ``NOT`` and parentheses. `compile_query` parses that
expression back into a tree and builds the same condition for PostgreSQL, every word a bound parameter:

- a word is ``phraseto_tsquery('simple', ?)``, the same parser and dictionary that built ``articles.tsv``;
- ``AND`` / ``OR`` / ``NOT`` are the tsquery operators ``&&``, ``||`` and ``&& !!`` (one GIN-indexed ``@@``);
- ``NEAR`` (a phrase: words close together, any order) is the AND of its words, for the index, and
  ``marsad_near(tsv, words, n)`` for the proximity, as FTS5 checks it; a branch holding a NEAR is combined
  with SQL ``AND`` / ``OR`` / ``NOT`` around ``@@`` tests instead.

The rank is ``ts_rank`` of the OR of the words the query looks for (not the excluded ones), the title weighted
`TITLE_WEIGHT` times the body, normalized by document length (``1 + log(length)``).

Placeholders are ``?``, as in all the shared queries (`marsad.store.dialect.Dialect.sql` turns them into
the driver's).

>>> from marsad.store.search import parse_query
>>> c = compile_query(parse_query('الأسد OR "الائتلاف الوطني" -حلب'))
>>> c.where
"((a.tsv @@ phraseto_tsquery('simple', ?) OR (a.tsv @@ (phraseto_tsquery('simple', ?) && \
phraseto_tsquery('simple', ?)) AND marsad_near(a.tsv, ?::text[], ?))) AND NOT a.tsv @@ \
phraseto_tsquery('simple', ?))"
>>> c.params
['الاسد', 'الايتلاف', 'الوطني', ['الايتلاف', 'الوطني'], 8, 'حلب']
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Union

from marsad.store.search import TITLE_WEIGHT, Query, QueryError

PG_RANK_WINDOW = 2_000  # a query ranks its newest matches up to this many (see `ts_page`)
INDEX_BYTES = 900_000  # a tsvector holds at most 1 MB
RANK_WEIGHTS = f"'{{0,0,{1 / TITLE_WEIGHT:g},1}}'::float4[]"  # {D, C, B (body), A (title)}
# a decimal point or thousands separator between digits, which FTS5's tokenizer splits on and PostgreSQL's
# does not: `split_digits` and the tsv column (`marsad.store.pg_schema.TSV_EXPR`) replace it with a space
DIGIT_SEPARATOR = re.compile(r"(?<=[0-9])[.,\u066b](?=[0-9])")
_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(NEAR\()|(\()|(\))|(,)|(\d+)|(AND|OR|NOT)\b)')


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Near:
    words: tuple[str, ...]
    gap: int


@dataclass(frozen=True)
class Op:
    op: str  # AND, OR, NOT
    left: Node
    right: Node


Node = Union[Word, Near, Op]


def _tokens(fts: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(fts):
        if not fts[pos:].strip():
            break
        m = _TOKEN.match(fts, pos)
        if m is None:
            raise QueryError(f"cannot translate search expression {fts!r} at {pos}")
        word, near, lp, rp, comma, num, op = m.groups()
        if word is not None:
            out.append(("word", word.replace('""', '"')))
        elif near:
            out.append(("near", None))
        elif lp:
            out.append(("(", None))
        elif rp:
            out.append((")", None))
        elif comma:
            out.append((",", None))
        elif num:
            out.append(("num", int(num)))
        else:
            out.append(("op", op))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent over FTS5's precedence: NOT binds tightest, then AND, then OR."""

    def __init__(self, fts: str):
        self.fts = fts
        self.toks = _tokens(fts)
        self.i = 0

    def _peek(self) -> tuple[str, Any] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def _take(self, kind: str) -> Any:
        tok = self._peek()
        if tok is None or tok[0] != kind:
            raise QueryError(f"cannot translate search expression {self.fts!r}: expected {kind}")
        self.i += 1
        return tok[1]

    def parse(self) -> Node:
        node = self._binary(0)
        if self._peek() is not None:
            raise QueryError(f"cannot translate search expression {self.fts!r}: trailing input")
        return node

    _LEVELS = ("OR", "AND", "NOT")

    def _binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self._primary()
        node = self._binary(level + 1)
        while self._peek() == ("op", self._LEVELS[level]):
            self.i += 1
            node = Op(self._LEVELS[level], node, self._binary(level + 1))
        return node

    def _primary(self) -> Node:
        tok = self._peek()
        if tok is not None and tok[0] == "word":
            self.i += 1
            return Word(tok[1])
        if tok is not None and tok[0] == "(":
            self.i += 1
            node = self._binary(0)
            self._take(")")
            return node
        self._take("near")
        words = []
        while self._peek() is not None and self._peek()[0] == "word":  # type: ignore[index]
            words.append(self._take("word"))
        self._take(",")
        gap = self._take("num")
        self._take(")")
        if not words:
            raise QueryError(f"cannot translate search expression {self.fts!r}: empty NEAR")
        return Near(tuple(words), gap)


def parse_fts(fts: str) -> Node:
    """The tree of an FTS5 expression as `parse_query` writes them."""
    return _Parser(fts).parse()


@dataclass(frozen=True)
class Compiled:
    """A WHERE condition on ``articles AS a`` and the rank expression, with their parameters in order."""

    where: str
    params: list[Any]
    rank: str
    rank_params: list[Any]


_WORD_SQL = "phraseto_tsquery('simple', ?)"
_SQL_OPS = {"AND": ("&&", "AND"), "OR": ("||", "OR")}


def split_digits(word: str) -> str:
    """``word`` as the index holds it for PostgreSQL: "9.5" as "9 5" (see `DIGIT_SEPARATOR`)."""
    return DIGIT_SEPARATOR.sub(" ", word)


def _compile(node: Node, col: str) -> tuple[bool, str, list[Any]]:
    """(is a tsquery expression, SQL, params); a branch with a NEAR is a boolean SQL expression instead."""
    if isinstance(node, Word):
        return True, _WORD_SQL, [split_digits(node.text)]
    if isinstance(node, Near):
        words = [split_digits(w) for w in node.words]
        index = "(" + " && ".join([_WORD_SQL] * len(words)) + ")"
        return False, f"({col} @@ {index} AND marsad_near({col}, ?::text[], ?))", [*words, words, node.gap]
    lq, lsql, lp = _compile(node.left, col)
    rq, rsql, rp = _compile(node.right, col)
    if lq and rq:
        if node.op == "NOT":
            return True, f"({lsql} && !!{rsql})", lp + rp
        return True, f"({lsql} {_SQL_OPS[node.op][0]} {rsql})", lp + rp
    lb = lsql if not lq else f"{col} @@ {lsql}"
    rb = rsql if not rq else f"{col} @@ {rsql}"
    if node.op == "NOT":
        return False, f"({lb} AND NOT {rb})", lp + rp
    return False, f"({lb} {_SQL_OPS[node.op][1]} {rb})", lp + rp


def _wanted(node: Node) -> list[str]:
    """The words a match is ranked on: all but those under the right side of a NOT."""
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Near):
        return list(node.words)
    return _wanted(node.left) + ([] if node.op == "NOT" else _wanted(node.right))


def compile_query(q: Query, col: str = "a.tsv") -> Compiled:
    """The PostgreSQL condition and rank of a parsed query (see the module doc)."""
    node = parse_fts(q.fts)
    is_q, sql, params = _compile(node, col)
    where = f"{col} @@ {sql}" if is_q else sql  # parenthesized: callers AND more conditions to it
    words = list(dict.fromkeys(split_digits(w) for w in _wanted(node)))
    rank = f"ts_rank({RANK_WEIGHTS}, {col}, " + " || ".join([_WORD_SQL] * len(words)) + ", 1)"
    return Compiled(where, params, rank, words)


def ts_page(q: Query, where: list[str], params: list[Any], limit: int, offset: int,
            per_match: bool = False) -> tuple[str, list[Any]]:
    """PostgreSQL: the page of matches of ``q`` among the articles meeting ``where`` (conditions on
    ``articles AS a``), as (pk, score) rows, best first, ranked over the newest `PG_RANK_WINDOW` matches (or
    ``limit + offset``): the window is found through the GIN index and sorted by pk first, so that only its
    search vectors are read (``ts_rank`` reads the whole vector of each article: ~0.1 ms an article, thirty
    times bm25's cost a match, hence a smaller window than `marsad.store.search.RANK_WINDOW`). ``per_match``
    is SQLite's choice (`marsad.store.dialect.Dialect.dates_per_match`), never made here."""
    c = compile_query(q)
    match = c.where + "".join(f" AND {w}" for w in where)
    sql = (f"WITH w AS MATERIALIZED (SELECT a.pk FROM articles a WHERE {match} ORDER BY a.pk DESC LIMIT ?) "
           f"SELECT a.pk, {c.rank} AS score FROM w JOIN articles a ON a.pk = w.pk "
           "ORDER BY score DESC, a.pk LIMIT ? OFFSET ?")
    window = max(PG_RANK_WINDOW, limit + offset)
    return sql, [*c.params, *params, window, *c.rank_params, limit, offset]


def ts_count(q: Query, where: list[str], params: list[Any], per_match: bool = False) -> tuple[str, list[Any]]:
    """PostgreSQL: how many articles meeting ``where`` match ``q``."""
    c = compile_query(q)
    cond = "".join(f" AND {w}" for w in where)
    return f"SELECT count(*) FROM articles a WHERE {c.where}{cond}", [*c.params, *params]


def fit_index(text: str) -> str:
    """``text`` (folded search text), cut at a word so that its tsvector stays under `INDEX_BYTES`: an
    estimate of the tsvector's size (each distinct form, its bytes and 8 of overhead, 2 per position up to
    256). Short texts pass untouched."""
    if len(text) <= 100_000:
        return text
    counts: Counter[str] = Counter()
    size, end = 0, 0
    for m in re.finditer(r"\S+", text):
        form = m.group()
        n = counts[form]
        size += (len(form.encode("utf-8")) + 8 if n == 0 else 0) + (2 if n < 256 else 0)
        counts[form] = n + 1
        if size > INDEX_BYTES:
            return text[:end]
        end = m.end()
    return text

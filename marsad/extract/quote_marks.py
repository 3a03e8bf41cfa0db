"""Quotation marks: pairing “…”, «…» and "…" into top-level quoted spans, paragraph by paragraph.

Marks pair within one paragraph; «» and “” nest, "…" closes at the next ". An opening mark left open at the end of
the paragraph gives no quotation, with one repair: a doubled opening mark, “A “B” with A a short name (≤ 4
words), is read as a missing closing mark, the second mark serving twice: “A“ and “B”
(لصحيفة “موسكوفسكي كومسوموليتس “لا أنصح…”).
"""
from __future__ import annotations

import re

MARKS = re.compile("[«»“”\"]")
_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))
OPENING, CLOSING = ("".join(side) for side in zip(*_PAIRS))  # «“" and »”"
_WORD = re.compile(r"[^\W\d_]+|\d+")
MAX_REPAIR_WORDS = 4


def quoted_spans(norm: str) -> list[tuple[int, int]]:
    """(open mark, close mark) offsets of the top-level quotations of each paragraph."""
    out: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    depth = 0
    inner: list[tuple[int, int]] = []  # nested quotations of the open one, closed back to depth 1

    def unbalanced() -> None:
        if opened is not None and depth == 1 and len(inner) == 1 and opened[0] != '"':
            o2, c2 = inner[0]
            if len(_WORD.findall(norm, opened[1] + 1, o2)) <= MAX_REPAIR_WORDS:
                out.extend([(opened[1], o2), (o2, c2)])

    inner_open = -1
    for m in MARKS.finditer(norm):
        c, i = m.group(), m.start()
        if opened is not None and "\n" in norm[opened[1]:i]:
            unbalanced()  # the paragraph ended first
            opened, depth, inner = None, 0, []
        if opened is None:
            if c in "«“\"":
                opened, depth, inner = (c, i), 1, []
            continue
        kind = opened[0]
        if c == kind and kind != '"':
            depth += 1
            if depth == 2:
                inner_open = i
        elif (kind, c) in _PAIRS:
            depth -= 1
            if depth == 1:
                inner.append((inner_open, i))
            if depth == 0:
                out.append((opened[1], i))
                opened = None
    unbalanced()
    return out

"""Titles and roles of people: "الرئيسة المشتركة لمجلس سوريا الديمقراطية أمينة عمر" gives أمينة عمر the role
"الرئيسة المشتركة لمجلس سوريا الديمقراطية" and the council as affiliation.

A title head (data: ``marsad/kb/titles.yaml``) opens the role; the role runs to the name that follows
(title before name), or from the head after the name to the end of the clause (name, then title: "زهرة بيل
الرئيسة السياسية في البرنامج الأمريكي لدعم سورية"). Only white space, a comma before the name, and words of the
same clause may stand between them.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from marsad.arabic import Token
from marsad.extract.kb_match import Match

MAX_ROLE_WORDS = 10
_CLAUSE_BREAK = re.compile(r"[.؟?!؛;:\n«»“”\"()]")
_COMMA = re.compile(r"^\s*[،,]?\s*$")
# A role does not run through these words: they open a new clause or a new noun phrase that is no title.
_ROLE_STOP = frozenset({"ان", "انه", "انها", "الذي", "التي", "الذين", "حيث", "بعد", "قبل", "خلال", "عن", "على",
                        "مع", "الى", "الي", "حول", "منذ", "عندما", "كما", "لكن", "بينما", "اليوم", "امس", "يوم"})


@dataclass(frozen=True)
class Role:
    start: int
    end: int
    text: str
    rule: str


def _clean_role(text: str) -> str:
    return " ".join(text.strip(" ،,\n").split())


_END = attrgetter("end")


def _tok_index(toks: list[Token], offset: int) -> int:
    """Index of the first token that ends after ``offset`` (tokens are in text order)."""
    return bisect.bisect_right(toks, offset, key=_END)


def role_before(text: str, toks: list[Token], titles: list[Match], name_start: int,
                people: Sequence[tuple[int, int]] = ()) -> Role | None:
    """The title standing right before a name: the nearest title head within the clause, up to the name, with
    no other person (``people``: their spans) between: in "وزير الخارجية جون كيري ووزير الطاقة إرنست مونيز"
    مونيز is وزير الطاقة."""
    best = None
    for m in titles:
        if m.end > name_start or name_start - m.start > 160:
            continue
        if any(m.end <= a and b <= name_start for a, b in people):
            continue
        between = text[m.end:name_start]
        if _CLAUSE_BREAK.search(between):
            continue
        inner = between.rstrip(" ،,")
        if "،" in inner or "," in inner:
            continue
        words = [t for t in toks[_tok_index(toks, m.end):_tok_index(toks, name_start)]]
        if len(words) > MAX_ROLE_WORDS or any(t.norm in _ROLE_STOP for t in words):
            continue
        if best is None or m.start < best.start:  # the outermost head: "نائب وزير الخارجية", not "وزير الخارجية"
            best = m
    if best is None:
        return None
    return Role(best.start, name_start, _clean_role(text[best.start:name_start]), "title-before-name")


def role_after(text: str, toks: list[Token], titles: list[Match], name_end: int,
               people: Sequence[tuple[int, int]] = ()) -> Role | None:
    """A title right after a name ("زهرة بيل الرئيسة السياسية في …", "آرام الدوماني، السكرتير العام …"), up to
    the next person or a title joined by و (in a list, the next person's: "أبو همام القائد العسكري في جبهة
    النصرة والقيادي أبو عمر الكردي")."""
    for m in titles:
        if m.start < name_end:
            continue
        if not _COMMA.fullmatch(text[name_end:m.start]):
            return None
        heads = {h.start for h in titles if h.start > m.start}
        end = m.end
        i = _tok_index(toks, m.end)
        words = 0
        while i < len(toks) and words < MAX_ROLE_WORDS:
            t = toks[i]
            if _CLAUSE_BREAK.search(text[end:t.start]) or "،" in text[end:t.start] or "," in text[end:t.start]:
                break
            if t.norm in _ROLE_STOP or any(a <= t.start < b for a, b in people) or \
                    (t.norm.startswith("و") and t.start + 1 in heads):
                break
            end = t.end
            words += 1
            i += 1
        return Role(m.start, end, _clean_role(text[m.start:end]), "title-after-name")
    return None

"""References stage: UN resolutions cited by number, named laws and agreements (``marsad/kb/references.yaml``).

``extract_references(article, table)`` returns the article with one `Reference` per distinct (kind, id), every
mention in ``mentions`` and the first mention's phrase as ``text``. Matching (`match_references`, a list of
`RefMatch`) is separate from annotating (grouping into `Reference`s); each match records its ``rule``.

Resolutions: the word قرار (with its clitics, plural and dual) optionally followed by qualifiers (مجلس الأمن،
الأممي، الدولي، رقم، الجمعية العامة…) and one or more numbers joined by و or a comma (القرارين 2254 و2118).
The kind is UNGA_RESOLUTION when the phrase, or the 60 characters before it, names the General Assembly (and not
the Security Council), or the number is written N/M; otherwise UNSC_RESOLUTION. A number is rejected when:
it is above ``max_number``; without Security Council/UN context ("strong" context) it is below 100 (القرار رقم 10
is a decree), or it is followed by لعام/لسنة…; a bare "القرار 2015" (a year-like number, 1945–2030, with neither
strong context nor رقم) counts only when the same number is cited with strong context elsewhere in the article.

Matching runs on the normalized text (`fold`: hamza, yeh, taa marbuta, Arabic-Indic digits folded) and maps
offsets back into ``article.text``.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from marsad.arabic import TABLE, normalize, normalize_with_map
from marsad.errors import KnowledgeBaseError
from marsad.model import Article, Reference

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "kb" / "references.yaml"
UNSC, UNGA, LAW, AGREEMENT = "UNSC_RESOLUTION", "UNGA_RESOLUTION", "LAW", "AGREEMENT"

# --- normalized text with the way back ------------------------------------------------------------------

_DROPPED = re.compile("[" + "".join(re.escape(c) for c, r in TABLE.items() if r == "") + "]")
_EXPANDING = re.compile("[" + "".join(re.escape(c) for c, r in TABLE.items() if len(r) > 1) + "]")


@dataclass(frozen=True)
class Folded:
    """``normalize(text)`` and the offsets between it and ``text``.

    Normalization only deletes characters (diacritics, tatweel, bidi marks) except for rare presentation forms;
    the fast path keeps the sorted deleted positions, the slow path (presentation forms) a full offset map.
    """

    text: str
    norm: str
    keys: tuple[int, ...] = ()  # deleted position i minus its rank: normalized index where it was
    dropped: tuple[int, ...] = ()
    full: tuple[int, ...] | None = None  # normalize_with_map offsets, slow path only

    def orig(self, n: int) -> int:
        """Offset in ``text`` of the normalized character at ``n`` (``n == len(norm)`` maps to ``len(text)``)."""
        if self.full is not None:
            return self.full[n]
        return n + bisect.bisect_right(self.keys, n)

    def span(self, s: int, e: int) -> tuple[int, int]:
        """A normalized span as a span of ``text`` (end exclusive; trailing diacritics stay inside)."""
        if e <= s:
            o = self.orig(s)
            return o, o
        end = self.orig(e - 1) + 1
        while end < len(self.text) and _DROPPED.match(self.text, end):
            end += 1
        return self.orig(s), end

    def to_norm(self, o: int) -> int:
        """Normalized offset of the original offset ``o``."""
        if self.full is not None:
            return bisect.bisect_left(self.full, o)
        return o - bisect.bisect_left(self.dropped, o)


def _passes() -> MappingProxyType[str, re.Pattern[str]]:
    """``arabic.TABLE`` as one C-level substitution per replacement character (faster than str.translate)."""
    by_target: dict[str, list[str]] = {}
    for c, r in TABLE.items():
        if len(r) == 1:
            by_target.setdefault(r, []).append(c)
    return MappingProxyType({r: re.compile("[" + "".join(map(re.escape, cs)) + "]") for r, cs in by_target.items()})


_PASSES = _passes()
_FOLDABLE = re.compile("[" + "".join(re.escape(c) for c, r in TABLE.items() if len(r) == 1) + "]")


@functools.lru_cache(maxsize=4)
def fold(text: str) -> Folded:
    """Normalize ``text`` for matching (= ``arabic.normalize``), keeping the offsets. The last few texts are
    kept: the quotes and references stages fold the same article."""
    if _EXPANDING.search(text):
        norm, offsets = normalize_with_map(text)
        return Folded(text, norm, full=tuple(offsets))
    dropped = tuple(m.start() for m in _DROPPED.finditer(text))
    norm = _DROPPED.sub("", text) if dropped else text
    for r in {TABLE[c] for c in set(_FOLDABLE.findall(norm))}:
        norm = _PASSES[r].sub(r, norm)
    return Folded(text, norm, tuple(p - i for i, p in enumerate(dropped)), dropped)


# --- the table ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReferenceTable:
    """The compiled contents of references.yaml."""

    phrases: re.Pattern[str]  # every phrase (without a leading ال) in one trie regex; group 1 the phrase
    phrase_ids: Mapping[str, tuple[str, str, str]]  # normalized phrase -> (kind, slug, phrase)
    resolution: re.Pattern[str]
    unga: re.Pattern[str]
    strong: re.Pattern[str]
    not_after: re.Pattern[str]
    year_range: tuple[int, int]
    max_number: int


def _fail(path: Path | str, problem: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{path}: {problem}")


def _strings(path: Path | str, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, (str, int)) and str(v).strip()
                                                            for v in value):
        raise _fail(path, f"{where} must be a non-empty list of strings")
    return [str(v).strip() for v in value]


_SEP = r"[\s\"'«»“”]+"


def trie_pattern(phrases: list[str]) -> str:
    """One regex for many phrases, branching per character so that a failing position fails fast."""
    root: dict[str, Any] = {}
    for ph in phrases:
        node = root
        for ch in ph:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [(_SEP if ch == " " else re.escape(ch)) + emit(sub) for ch, sub in node.items() if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _regex(path: Path | str, where: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise _fail(path, f"{where}: bad regular expression ({e})") from e


@functools.cache
def load_reference_table(path: str | Path | None = None) -> ReferenceTable:
    """Load, validate and compile references.yaml (the packaged one by default), once per path."""
    p = Path(path) if path else DEFAULT_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise _fail(p, f"cannot read the reference table ({e})") from e
    except yaml.YAMLError as e:
        raise _fail(p, f"not valid YAML ({e})") from e
    if not isinstance(data, dict):
        raise _fail(p, "must be a mapping with laws, agreements and resolutions")
    for key in ("laws", "agreements", "resolutions"):
        if not isinstance(data.get(key), dict):
            raise _fail(p, f"'{key}' must be a mapping")
    entries: list[tuple[str, str, str]] = []
    for kind, key in ((LAW, "laws"), (AGREEMENT, "agreements")):
        for slug, phrases in data[key].items():
            if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                raise _fail(p, f"{key}: slug {slug!r} must be lower-case words joined by '-'")
            for ph in _strings(p, f"{key}.{slug}", phrases):
                entries.append((kind, slug, " ".join(normalize(ph).split())))
    entries.sort(key=lambda e: -len(e[2]))
    keys = sorted({e[2][2:] if e[2].startswith("ال") else e[2] for e in entries})
    phrases = _regex(p, "phrases", r"\b(?:[وف]?[بك]?(?:ال|لل)|[وف]?[بلك]?)(" + trie_pattern(keys) + r")(?!\w)")
    res = data["resolutions"]
    if not isinstance(res.get("head"), str) or not isinstance(res.get("qualifiers"), dict):
        raise _fail(p, "resolutions must give 'head' (a regex) and 'qualifiers' (unga: [...], unsc: [...])")
    quals = {k: _strings(p, f"resolutions.qualifiers.{k}", res["qualifiers"].get(k)) for k in ("unga", "unsc")}
    qual = "|".join(f"(?:{q})" for q in quals["unga"] + quals["unsc"])
    num = r"(?<![\d/])\d{1,4}(?:/\d{1,4})?(?![\d/])"
    if not res["head"].startswith("قرار"):
        raise _fail(p, "resolutions.head must start with the literal word قرار")
    resolution = _regex(p, "resolutions", rf"(?:{res['head']})(?:\s+(?:{qual}))*\s*(?P<nums>{num}"
                        rf"(?:\s*(?:[،,]|و)\s*(?:و\s*)?(?:ال)?(?:قرار\s+)?{num})*)")
    yr = res.get("year_range")
    if not (isinstance(yr, list) and len(yr) == 2 and all(isinstance(y, int) for y in yr)):
        raise _fail(p, "resolutions.year_range must be [first, last] years")
    if not isinstance(res.get("max_number"), int):
        raise _fail(p, "resolutions.max_number must be an integer")
    return ReferenceTable(
        phrases=phrases, phrase_ids=MappingProxyType({e[2]: e for e in entries}), resolution=resolution,
        unga=_regex(p, "qualifiers.unga", "|".join(quals["unga"])),
        strong=_regex(p, "strong", "|".join(_strings(p, "resolutions.strong", res.get("strong")))),
        not_after=_regex(p, "not_after", r"\s*(?:" + "|".join(_strings(p, "resolutions.not_after",
                                                                          res.get("not_after"))) + ")"),
        year_range=(yr[0], yr[1]), max_number=res["max_number"])


# --- matching -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RefMatch:
    kind: str
    id: str
    span: tuple[int, int]  # into article.text
    rule: str
    strong: bool = True


_WORDS = re.compile(r"[^\s\"'«»“”]+")
_CLITICS = re.compile(r"[^\w][وف]?(?:[بلك]|لل)?(?:ال)?$")
_NUM = re.compile(r"\d{1,4}(?:/\d{1,4})?")
_GA = re.compile(r"الجمعيه العامه")
_SC = re.compile(r"مجلس الامن")


def _resolutions(f: Folded, table: ReferenceTable) -> list[RefMatch]:
    out: list[RefMatch] = []
    norm = f.norm
    for m in table.resolution.finditer(norm):
        k = m.start()
        if not _CLITICS.search(norm[k - 7:k] if k >= 7 else " " + norm[:k]):
            continue  # قرار inside another word
        phrase = norm[m.start():m.start("nums")]
        before = norm[max(0, m.start() - 60):m.start()]
        strong = bool(table.strong.search(phrase)) or bool(_SC.search(before)) or "الامم المتحده" in before
        ga = bool(table.unga.search(phrase)) or (bool(_GA.search(before)) and not _SC.search(before + phrase))
        numbered = "رقم" in phrase
        for i, n in enumerate(_NUM.finditer(norm, m.start("nums"), m.end("nums"))):
            ident = n.group()
            kind = UNGA if ga or "/" in ident else UNSC
            value = int(ident.split("/")[0])
            if "/" not in ident and not 0 < value <= table.max_number:
                continue
            if not strong and (value < 100 or table.not_after.match(norm, m.end("nums"))):
                continue
            yearish = table.year_range[0] <= value <= table.year_range[1] and "/" not in ident
            start = _head_start(norm, m.start()) if i == 0 else n.start()
            rule = ("resolution:" + ("ga" if kind == UNGA else "un-context" if strong else
                                     "numbered" if numbered else "bare"))
            out.append(RefMatch(kind, ident, f.span(start, n.end()), rule, strong or numbered or not yearish))
    confirmed = {(r.kind, r.id) for r in out if r.strong}
    return [r for r in out if r.strong or (r.kind, r.id) in confirmed]


def _head_start(norm: str, start: int) -> int:
    """Where the mention starts: at ال or قرار, leaving the clitics و ف ب ل ك outside."""
    k = norm.find("قرار", start)
    return k - 2 if k >= 2 and norm[k - 2:k] == "ال" else k


def _named(f: Folded, table: ReferenceTable) -> list[RefMatch]:
    out = []
    norm = f.norm
    for m in table.phrases.finditer(norm):
        words = " ".join(_WORDS.findall(m.group(1)))
        start = m.start(1)
        article = norm[start - 2:start] if norm[start - 2:start] in ("ال", "لل") and start - 2 >= m.start() else ""
        entry = table.phrase_ids.get("ال" + words) if article else None
        entry = entry or table.phrase_ids.get(words)
        if entry is None:
            continue
        start -= 2 if article and entry[2].startswith("ال") else 0
        end = m.end(1)
        if sum(m.group(1).count(q) for q in "\"«“") % 2 and end < len(norm) and norm[end] in "\"»”":
            end += 1  # قانون "قيصر" keeps its closing mark
        out.append(RefMatch(entry[0], entry[1], f.span(start, end), f"phrase:{entry[2]}"))
    return out


def match_references(text: str, table: ReferenceTable | None = None) -> list[RefMatch]:
    """Every reference mention in ``text``, in text order."""
    table = table or load_reference_table()
    if not text:
        return []
    f = fold(text)
    return sorted(_resolutions(f, table) + _named(f, table), key=lambda r: r.span)


def extract_references(article: Article, table: ReferenceTable | None = None) -> Article:
    """The references stage: one Reference per distinct (kind, id), mentions in text order."""
    groups: dict[tuple[str, str], list[RefMatch]] = {}
    for r in match_references(article.text, table):
        groups.setdefault((r.kind, r.id), []).append(r)
    refs = [Reference(kind=k, id=i, text=article.text[ms[0].span[0]:ms[0].span[1]],
                      mentions=[r.span for r in ms], rule=ms[0].rule) for (k, i), ms in groups.items()]
    return replace(article, references=refs)

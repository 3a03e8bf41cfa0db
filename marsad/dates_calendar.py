"""The calendar data of ``marsad/kb/calendar.yaml``, validated, normalized and compiled into one regex.

Used by :mod:`marsad.dates`. A :class:`Calendar` is immutable (tuples, read-only mappings and a compiled
pattern); :func:`load_calendar` loads one per path, once.

>>> cal = load_calendar()
>>> cal.months["تموز"], cal.months["يوليو"], cal.months["كانون الثاني"], cal.months["اب"]
(7, 7, 1, 8)
>>> cal.weekdays["الثلاثاء"], cal.relative_days["امس"]
(1, ('ams', -1))
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from .arabic import TABLE, normalize, normalize_with_map
from .errors import KnowledgeBaseError

DEFAULT_PATH = Path(__file__).resolve().parent / "kb" / "calendar.yaml"

_WORD_LISTS = ("hijri_markers", "gregorian_markers", "weekday_not_after", "relative_day_not_before",
               "times_of_day", "day_word", "past", "next", "current", "this", "year_words", "month_word",
               "period_not_after", "day_month_not_after", "ordinal_day_not_after")


@dataclass(frozen=True)
class Calendar:
    """Normalized calendar words (word -> value) and the compiled pattern that finds dates in normalized text."""

    path: str
    months: Mapping[str, int]
    hijri_months: Mapping[str, int]
    ordinal_days: Mapping[str, int]                  # "الرابع" -> 4, before "من" and a month
    weekdays: Mapping[str, int]                      # Arabic forms: stand alone
    weekdays_latin: Mapping[str, int]                # only as the prefix of a full date
    relative_days: Mapping[str, tuple[str, int]]     # form -> (key, offset in days)
    periods: Mapping[str, str]                       # form -> "week" | "month" | "year"
    words: Mapping[str, tuple[str, ...]]             # the plain word lists, by their YAML key
    week_start: int
    year_range: tuple[int, int]
    pattern: re.Pattern                              # all forms, over normalized text
    starters: Mapping[bytes, re.Pattern]             # first word (cp1256) -> the forms that can begin with it
    triggers: frozenset[bytes]                       # those words, also with a و/ف/ب clitic
    month_firsts: frozenset[bytes]                   # the first words of month names

    def qualifier(self, word: str | None) -> str | None:
        """'past', 'next' or 'current' for a normalized qualifier word ("الماضي" -> 'past'), else None."""
        for kind in ("past", "next", "current"):
            if word in self.words[kind]:
                return kind
        return None


def _fail(path: Path | str, problem: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{path}: {problem}")


def _words(path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(w, (str, int)) for w in value):
        raise _fail(path, f"'{key}' must be a non-empty list of words, got {value!r}")
    out = tuple(dict.fromkeys(" ".join(normalize(str(w)).split()) for w in value))
    if "" in out:
        raise _fail(path, f"'{key}' holds an empty word")
    return out


def _table(path, key: str, value: Any, lo: int, hi: int, wanted: Mapping[str, int] | None = None) -> dict[str, int]:
    """``{number: [words]}`` -> ``{normalized word: number}``; every number lo..hi present, no word twice."""
    if not isinstance(value, dict):
        raise _fail(path, f"'{key}' must be a mapping of number -> list of words")
    out: dict[str, int] = {}
    for num, words in value.items():
        if not isinstance(num, int) or not lo <= num <= hi:
            raise _fail(path, f"'{key}': {num!r} is not a number from {lo} to {hi}")
        for w in _words(path, f"{key}.{num}", words):
            if out.get(w, num) != num:
                raise _fail(path, f"'{key}': '{w}' is given for both {out[w]} and {num}")
            out[w] = num
    missing = set(range(lo, hi + 1)) - set(value)
    if missing:
        raise _fail(path, f"'{key}' lacks {sorted(missing)}")
    return out


def _alt(words) -> str:
    """A regex alternation of normalized words, longest first; the words of a phrase match across any space."""
    ws = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ws) + ")"


def _compile(c: dict) -> dict[str, str]:
    """The alternatives of the date pattern, in priority order; the outer group of each is named after it, so
    that ``m.lastgroup`` tells which matched. They run over normalized text."""
    B = r"(?:(?<!\w)|(?<=(?<!\w)[وفب]))"   # word start, allowing a و/ف/ب clitic before it
    E = r"(?!\w)"
    M, HM = _alt(c["months"]), _alt(c["hijri_months"])
    WD, WDALL = _alt(c["weekdays"]), _alt(list(c["weekdays"]) + list(c["weekdays_latin"]))
    HMARK, GMARK = _alt(c["hijri_markers"]), _alt(c["gregorian_markers"])
    QUAL = _alt(c["past"] + c["next"] + c["current"])
    TOD, DAY, MW = _alt(c["times_of_day"]), _alt(c["day_word"]), _alt(c["month_word"])
    TIME = (r"(?:\s*[-–—,،|]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
            r"(?:\s*(?:z|[+-]\d{2}:?\d{2}|gmt|utc|am|pm|ص|م)(?!\w))?(?:\s*(?:gmt|utc)(?!\w))?)?")
    ORD = r"(?:st|nd|rd|th|er)?"
    # "الأسبوع الأول من أغسطس": an ordinal after these counts weeks or halves, not days (a lookbehind, so that
    # "أغسطس" is still read on its own)
    NOT_COUNTING = "".join(rf"(?<!{re.escape(w)}\s)" for w in c["ordinal_day_not_after"])

    def months2(p: str) -> str:   # "يوليو" | "تموز/يوليو" | "يوليو (تموز)" | "يوليو/ تموز"
        return rf"(?P<{p}_m>{M}){E}(?:\s*[/(\-–]?\s*(?P<{p}_m2>{M}){E}\s*\)?)?"

    alternatives = {
        "iso": rf"(?<![\d/.\-])(?P<iso_y>\d{{4}})(?P<iso_s>[\-/.])(?P<iso_m>\d{{1,2}})(?P=iso_s)(?P<iso_d>\d{{1,2}})"
               rf"(?!\d)(?!(?P=iso_s)\d)(?:\s*(?P<iso_h>{HMARK}){E})?"
               rf"(?:(?:t|\s+)\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:\s*(?:z|[+-]\d{{2}}:?\d{{2}}|gmt|utc){E})?)?",
        "dmy": rf"(?<![\d/.:\-])(?P<n_d>\d{{1,2}})(?P<n_s>[\-/.])(?P<n_m>\d{{1,2}})(?P=n_s)(?P<n_y>\d{{4}})(?!\d)"
               rf"(?!(?P=n_s)\d)(?:\s*(?P<n_h>{HMARK}){E})?{TIME}",
        "hijri": rf"(?<![\d.])(?P<hj_d>\d{{1,2}})(?!\d)\s*(?:من\s+)?(?P<hj_m>{HM}){E}\s*[,،]?\s*(?P<hj_y>\d{{4}})(?!\d)"
                 rf"(?:\s*{HMARK}{E})?",
        "text": rf"(?:(?:{DAY}\s+)?(?P<tx_wd>{WDALL}){E}\s*[,،]?\s*)?(?<![\d.])(?P<tx_d>\d{{1,2}}){ORD}(?!\d)\s*"
                rf"(?:من\s+)?{months2('tx')}(?:\s*[,،]?\s*(?P<tx_y>\d{{4}})(?!\d)(?:\s*{GMARK}{E})?{TIME})?"
                rf"(?:\s+(?P<tx_q>{QUAL}){E})?",
        "ordinal": rf"{B}(?:(?:{DAY}\s+)?(?P<od_wd>{WD}){E}\s*[,،]?\s*)?{NOT_COUNTING}"
                   rf"(?P<od_d>{_alt(c['ordinal_days'])}){E}\s+"
                   rf"من\s+(?:(?:{MW}\s+)?{months2('od')}(?:\s*[,،]?\s*(?P<od_y>\d{{4}})(?!\d)(?:\s*{GMARK}{E})?)?"
                   rf"(?:\s+(?P<od_q>{QUAL}){E})?|ال{MW}\s+(?P<od_mq>{QUAL}){E})",
        "mdy": rf"(?:(?P<md_wd>{WDALL}){E}\s*[,،]?\s*)?{months2('md')}\s*(?P<md_d>\d{{1,2}}){ORD}(?!\d)\s*[,،]?\s*"
               rf"(?P<md_y>\d{{4}})(?!\d){TIME}",
        "monthyear": rf"(?:{MW}\s+)?{months2('my')}\s*[,،]?\s*(?P<my_y>\d{{4}})(?!\d)(?:\s*{GMARK}{E})?",
        "monthrel": rf"(?:{MW}\s+)?{months2('mr')}\s+(?P<mr_q>{QUAL}){E}",
        "relday": rf"{B}(?:(?P<rd_tod>{TOD})\s+)?(?:{DAY}\s+)?(?P<rd_w>{_alt(c['relative_days'])}){E}"
                  rf"(?!\s+{_alt(c['relative_day_not_before'])}{E})"
                  rf"(?:\s*(?P<rd_p>\()?\s*(?P<rd_wd>{WD}){E}(?(rd_p)\s*\)))?",
        "weekday": rf"{B}(?:(?P<wd_tod>{TOD})\s+)?(?:{DAY}\s+)?(?P<wd_n>{WD}){E}(?:\s+(?P<wd_q>{QUAL}){E})?",
        "year": rf"{B}(?P<yr_w>{_alt(c['year_words'])})\s+(?P<yr_y>\d{{4}})(?!\d)(?:\s*{GMARK}{E})?",
        "period": rf"{B}(?:(?P<pr_this>{_alt(c['this'])})\s+(?P<pr_n1>{_alt(c['periods'])}){E}"
                  rf"|(?P<pr_n2>{_alt(c['periods'])})\s+(?P<pr_q>{QUAL}){E})",
    }
    return alternatives


# which alternatives of the pattern can begin with a word of each list ("digits": a run of digits)
_STARTS = {"digits": ("iso", "dmy", "hijri", "text"), "day_word": ("text", "ordinal", "relday", "weekday"),
           "weekdays": ("text", "ordinal", "mdy", "weekday"), "ordinal_days": ("ordinal",),
           "weekdays_latin": ("text", "mdy"),
           "months": ("mdy", "monthyear", "monthrel"), "hijri_months": (), "month_word": ("monthyear", "monthrel"),
           "times_of_day": ("relday", "weekday"), "relative_days": ("relday",), "year_words": ("year",),
           "this": ("period",), "periods": ("period",)}


def _starters(path, c: dict, alternatives: dict) -> tuple[re.Pattern, Mapping[bytes, re.Pattern]]:
    """The full pattern, and for each first word (cp1256 bytes, see :func:`scan`) the pattern made of just the
    alternatives that can begin with it, in the same order: the same match, tried much faster.
    The entry ``b"0"`` is for a run of digits."""
    order = list(alternatives)
    compiled: dict[tuple, re.Pattern] = {}

    def pattern(names) -> re.Pattern:
        key = tuple(n for n in order if n in names)
        if key not in compiled:
            compiled[key] = re.compile("|".join(f"(?P<{n}>{alternatives[n]})" for n in key))
        return compiled[key]

    by_word: dict[str, set] = {}
    for key, names in _STARTS.items():
        for w in (c[key] if key != "digits" else ()):
            by_word.setdefault(w.split()[0], set()).update(names)
    starters = {b"0": pattern(_STARTS["digits"])}
    for w, names in by_word.items():
        if names:
            if b"?" in _cp(w):
                raise _fail(path, f"'{w}' cannot be encoded in cp1256")
            starters[_cp(w)] = pattern(names)
    return pattern(order), MappingProxyType(starters)


def _build(path: Path | str, raw: Any) -> Calendar:
    if not isinstance(raw, dict):
        raise _fail(path, "expected a mapping at the top level")
    for key in ("months", "hijri_months", "ordinal_days", "weekdays", "relative_days", "periods", "week_start",
                "year_range",
                *_WORD_LISTS):
        if key not in raw:
            raise _fail(path, f"missing key '{key}'")
    c: dict[str, Any] = {k: _words(path, k, raw[k]) for k in _WORD_LISTS}
    c["months"] = _table(path, "months", raw["months"], 1, 12)
    c["hijri_months"] = _table(path, "hijri_months", raw["hijri_months"], 1, 12)
    c["ordinal_days"] = _table(path, "ordinal_days", raw["ordinal_days"], 1, 31)
    wd = raw["weekdays"]
    if not isinstance(wd, dict) or not all(isinstance(v, dict) and "ar" in v for v in wd.values()):
        raise _fail(path, "'weekdays' must map 0..6 to {ar: [...], latin: [...]}")
    c["weekdays"] = _table(path, "weekdays.ar", {k: v["ar"] for k, v in wd.items()}, 0, 6)
    c["weekdays_latin"] = {w: k for k, v in wd.items() if v.get("latin")
                           for w in _words(path, f"weekdays.{k}.latin", v["latin"])}
    rel: dict[str, tuple[str, int]] = {}
    if not isinstance(raw["relative_days"], dict):
        raise _fail(path, "'relative_days' must map a key to {offset: N, forms: [...]}")
    for key, spec in raw["relative_days"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("offset"), int):
            raise _fail(path, f"'relative_days.{key}' needs an integer 'offset' and a list 'forms'")
        for w in _words(path, f"relative_days.{key}.forms", spec.get("forms")):
            rel[w] = (str(key), spec["offset"])
    c["relative_days"] = rel
    per = raw["periods"]
    if not isinstance(per, dict) or set(per) - {"week", "month", "year"}:
        raise _fail(path, "'periods' must map week/month/year to lists of words")
    c["periods"] = {w: g for g, ws in per.items() for w in _words(path, f"periods.{g}", ws)}
    ws, yr = raw["week_start"], raw["year_range"]
    if not isinstance(ws, int) or not 0 <= ws <= 6:
        raise _fail(path, f"'week_start' must be 0..6 (0 = monday), got {ws!r}")
    if not (isinstance(yr, list) and len(yr) == 2 and all(isinstance(y, int) for y in yr) and yr[0] <= yr[1]):
        raise _fail(path, f"'year_range' must be [first, last], got {yr!r}")
    try:
        pattern, starters = _starters(path, c, _compile(c))
    except re.error as e:  # a word the regex builder cannot take
        raise _fail(path, f"cannot compile the date pattern: {e}") from e
    months = frozenset(_cp(w.split()[0]) for k in ("months", "hijri_months") for w in c[k])
    triggers = frozenset(set(starters) | {_cp(p) + w for w in starters for p in "وفب"} | months) - {b"0"}
    ro = MappingProxyType
    return Calendar(str(path), ro(c["months"]), ro(c["hijri_months"]), ro(c["ordinal_days"]), ro(c["weekdays"]),
                    ro(c["weekdays_latin"]),
                    ro(rel), ro(c["periods"]), ro({k: c[k] for k in _WORD_LISTS}), ws, (yr[0], yr[1]), pattern,
                    starters, triggers, months)


@functools.cache
def load_calendar(path: str | Path | None = None) -> Calendar:
    """Load, validate and compile a calendar file (``marsad/kb/calendar.yaml`` by default), once per path.

    A malformed file raises :class:`KnowledgeBaseError` naming the file and the problem.
    """
    p = Path(path) if path is not None else DEFAULT_PATH
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise _fail(p, f"cannot read: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise _fail(p, f"{where}invalid YAML: {getattr(e, 'problem', None) or e}") from e
    return _build(p, raw)


# --- scanning: where dates are in a body, fast ----------------------------------------------------------------
# Python's re costs ~15 ns per character when a pattern starts with a character class, so the big pattern is not
# run over the body: candidate starts come from C-speed operations (str.replace, bytes.translate/split/find on a
# one-byte-per-character cp1256 copy), and the pattern is only ``match``ed there. Same result as finditer.

_RARE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")            # presentation forms: the slow, general path
_DELETED = tuple(sorted(c for c, r in TABLE.items() if r == "" and not _RARE.match(c)))
_ONE_TO_ONE = tuple((c, r) for c, r in TABLE.items() if len(r) == 1 and not _RARE.match(c))
_MARKS = frozenset(c for c, r in TABLE.items() if r == "" and (unicodedata.category(c) == "Mn" or c == "\u0640"))
_BYTE_CHARS = bytes(range(256)).decode("cp1256", "replace")
_WORD_BYTES = bytes(i if re.match(r"\w", ch) else 32 for i, ch in enumerate(_BYTE_CHARS))
_DIGIT_BYTES = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))


def _cp(word: str) -> bytes:
    return word.encode("cp1256", "replace")


def _normalized(text: str):
    """``(arabic.normalize(text), span)``; ``span(s, e)`` maps a span of the normalized text back to ``text``.

    Only the characters normalization deletes or expands are located (a sparse map); the one-to-one folds are
    done with ``str.replace``, which skips the many characters that need none in C.
    """
    # presentation forms are not in cp1256: only a text with characters cp1256 lacks needs the regex check
    if _cp(text).count(b"?") != text.count("?") and _RARE.search(text):
        norm, offsets = normalize_with_map(text)
        orig = offsets.__getitem__
    else:
        idx, ns, parts, last = [], [], [], 0
        for c in (c for c in _DELETED if c in text):   # ``in`` is a C scan; a text holds few of these
            i = text.find(c)
            while i >= 0:
                idx.append(i)
                i = text.find(c, i + 1)
        idx.sort()
        for k, i in enumerate(idx):             # every one of them is deleted
            parts.append(text[last:i])
            ns.append(i - k)
            last = i + 1
        parts.append(text[last:])
        norm = "".join(parts)
        for c, r in _ONE_TO_ONE:
            if c in norm:
                norm = norm.replace(c, r)

        def orig(n: int) -> int:
            return n + bisect.bisect_right(ns, n)

    def span(s: int, e: int) -> tuple[int, int]:
        a, b = orig(s), orig(e - 1) + 1
        while b < len(text) and text[b] in _MARKS:   # keep the harakat of the last letter: "غداً"
            b += 1
        return a, b

    return norm, span


def _candidates(norm: str, cal: Calendar) -> list[tuple[int, re.Pattern]]:
    """Where a date can begin, with the part of the pattern that can match there: each trigger word (and just
    after its clitic), and each run of digits that a separator (11/01/2023) or, within a few characters, a month
    name (٧ يناير) follows. Covers every start ``cal.pattern.finditer(norm)`` would find."""
    raw = norm.encode("cp1256", "replace")        # one byte per character: byte offsets are string offsets
    words = raw.translate(_WORD_BYTES)
    starts, months, get = [], [], cal.starters.get
    for w in cal.triggers.intersection(words.split()):
        i, n = words.find(w), len(w)
        while i >= 0:
            if (i == 0 or words[i - 1] == 32) and (i + n == len(words) or words[i + n] == 32):
                if w in cal.starters:
                    starts.append((i, cal.starters[w]))
                if w[0] in b"\xe6\xdd\xc8" and get(w[1:]):         # و ف ب + a first word
                    starts.append((i + 1, cal.starters[w[1:]]))
                if w in cal.month_firsts:
                    months.append(i)
            i = words.find(w, i + 1)
    months.sort()
    digits, i, digit_pattern = b" " + raw.translate(_DIGIT_BYTES), 0, cal.starters[b"0"]
    while (i := digits.find(b" 0", i)) >= 0:
        e = digits.find(b"0 ", i + 1)
        e = len(raw) if e < 0 else e                # digits[k + 1] is raw[k]: e is the end of the run in raw
        j = bisect.bisect_left(months, e)
        if norm[e:e + 1] in ("-", "/", ".") and e < len(norm) or (j < len(months) and months[j] - e <= 12):
            starts.append((i, digit_pattern))
        i = e + 1
    starts.sort(key=lambda s: s[0])
    return starts


def scan(text: str, cal: Calendar):
    """``(normalized text, span mapper, matches)``: every non-overlapping match of ``cal.pattern``, leftmost
    first, as ``finditer`` over the normalized text would give them."""
    norm, span = _normalized(text)
    out, end = [], 0
    for i, pattern in _candidates(norm, cal):
        m = pattern.match(norm, i) if i >= end else None
        if m is not None:
            out.append(m)
            end = m.end()
    return norm, span, out

"""Dates in Arabic news: publication datelines, absolute dates in a body and relative expressions.

Every form is found by one regex built from the data in ``marsad/kb/calendar.yaml`` (month and weekday names,
relative words) and run over the normalized text, so hamza/alef/taa-marbuta variants, diacritics, tatweel and
Arabic-Indic digits need no special case; offsets are mapped back to the text given. Hijri dates are converted
with hijridate (Umm al-Qura); dateparser is only a last resort for a short dateline no pattern knows.
What cannot be known is None, never a guess: a relative expression without a publication date, an impossible
date (31/02/2020), a bare number (2254).

>>> parse_date("● أخبار سورية ٧ يناير ٢٠٢٠").date
'2020-01-07'
>>> parse_date("21 يوليو/تموز 2015 - 02:57 GMT").raw
'21 يوليو/تموز 2015 - 02:57 GMT'
>>> parse_date("11/01/2023").date, parse_date("31/02/2020"), parse_date("القرار 2254")
('2023-01-11', None, None)
>>> resolve("يوم الثلاثاء", "2023-01-11").date
'2023-01-10'
>>> resolve("أمس (الخميس)", "2015-07-24").date, resolve("أمس", None)
('2015-07-23', None)
>>> m = resolve("الشهر الماضي", "2015-07-24"); (m.date, m.granularity, m.rule)
('2015-06-01', 'month', 'period:month:past')
>>> resolve("5 شوال 1436 هـ", None).date
'2015-07-21'
>>> [(m.raw, m.date) for m in find_dates("التقى الوفدان اليومَ الثلاثاء، وكانا قد اجتمعا في 13 آذار", "2020-01-07")]
[('اليومَ الثلاثاء', '2020-01-07'), ('13 آذار', '2019-03-13')]
"""
from __future__ import annotations

import calendar as _cal
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from .arabic import clitic_splits, fold_digits
from .dates_calendar import Calendar, load_calendar, scan

__all__ = ["DateMention", "Calendar", "parse_date", "resolve", "find_dates", "load_calendar", "date_article"]

ABSOLUTE_RULES = frozenset({"iso", "ymd-numeric", "dmy-numeric", "hijri", "hijri-numeric", "dmy-text", "mdy-text",
                            "dmy-ordinal", "dateparser"})


@dataclass(frozen=True)
class DateMention:
    """A date expression: offsets into the text given, the ISO date it means (or None), how precise it is."""

    start: int
    end: int
    raw: str
    date: str | None          # ISO YYYY-MM-DD; the first day of the week/month/year for coarser granularity
    granularity: str          # "day" | "week" | "month" | "year"
    rule: str                 # the pattern that produced it: "dmy-numeric", "weekday", "relative:ams"...


# --- resolution ------------------------------------------------------------------------------------------------

_DROP = object()   # a match that is not a date after all (31/02/2020, "بين الاثنين")


def _published(published, cal: Calendar) -> dt.date | None:
    if published is None or isinstance(published, dt.date):
        return published.date() if isinstance(published, dt.datetime) else published
    try:
        return dt.date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        m = parse_date(str(published), calendar=cal)
        return dt.date.fromisoformat(m.date) if m and m.granularity == "day" else None


def _ymd(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _hijri(y: int, m: int, d: int) -> dt.date | None:
    from hijridate import Hijri   # imported on first use: most texts hold no Hijri date
    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(g.year, g.month, g.day)


def _month(m: re.Match, p: str, cal: Calendar):
    """The month number of "يوليو", "تموز/يوليو" or "يوليو (تموز)"; _DROP when the two names disagree."""
    a = cal.months[" ".join(m.group(f"{p}_m").split())]
    b = m.group(f"{p}_m2")
    return a if b is None or cal.months[" ".join(b.split())] == a else _DROP


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    q, r = divmod(m - 1 + k, 12)
    return y + q, r + 1


def _day_month(d: int, mon: int, pub: dt.date | None, q: str | None):
    """A day and month without a year: the last one on or before publication (strictly before with الماضي,
    after it with المقبل; الحالي is the publication year)."""
    if d > _cal.monthrange(2000, mon)[1]:
        return _DROP
    if pub is None:
        return None
    if q == "current":
        return _ymd(pub.year, mon, d)
    for y in ((pub.year + 1, pub.year) if q == "next" else (pub.year, pub.year - 1, pub.year - 2)):
        c = _ymd(y, mon, d)
        if c and ((c > pub) if q == "next" else (c < pub) if q == "past" else (c <= pub)):
            return c
    return None


def _prev_word_in(norm: str, start: int, words) -> bool:
    prev = norm[max(0, start - 24):start].split()
    if not prev:
        return False
    w = prev[-1]
    return any(f in words for f in [w, *(s for _, s in clitic_splits(w)), *("ال" + s for _, s in clitic_splits(w))])


def _of_month(d: int, q: str | None, pub: dt.date | None):
    """Day ``d`` of this (الجاري), the last (الماضي) or the next (المقبل) month of the publication date."""
    rule = f"dm-ordinal:month:{q}"
    if pub is None:
        return None, "day", rule
    y, mon = _add_months(pub.year, pub.month, {"past": -1, "current": 0, "next": 1}[q or "current"])
    return _ymd(y, mon, d) or _DROP, "day", rule


def _interpret(m: re.Match, norm: str, pub: dt.date | None, cal: Calendar):
    """(date | None, granularity, rule) for one match, or _DROP."""
    kind, g = m.lastgroup, m.group
    if kind in ("iso", "dmy"):
        p = "iso" if kind == "iso" else "n"
        y, mo, d = int(g(f"{p}_y")), int(g(f"{p}_m")), int(g(f"{p}_d"))
        if g(f"{p}_h"):
            return _hijri(y, mo, d) or _DROP, "day", "hijri-numeric"
        rule = "dmy-numeric" if kind == "dmy" else "iso" if g("iso_s") == "-" else "ymd-numeric"
        return _ymd(y, mo, d) or _DROP, "day", rule
    if kind == "hijri":
        return _hijri(int(g("hj_y")), cal.hijri_months[" ".join(g("hj_m").split())], int(g("hj_d"))) or _DROP, \
            "day", "hijri"
    if kind == "ordinal" and g("od_mq"):   # "في العشرين من الشهر الجاري"
        return _of_month(cal.ordinal_days[" ".join(g("od_d").split())], cal.qualifier(g("od_mq")), pub)
    if kind in ("text", "ordinal", "mdy", "monthyear", "monthrel"):
        p = {"text": "tx", "ordinal": "od", "mdy": "md", "monthyear": "my", "monthrel": "mr"}[kind]
        mon = _month(m, p, cal)
        if mon is _DROP:
            return _DROP
        if kind == "monthyear":
            y = int(g("my_y"))
            return (dt.date(y, mon, 1) if cal.year_range[0] <= y <= cal.year_range[1] else _DROP), "month", \
                "month-year"
        if kind == "monthrel":
            q = cal.qualifier(g("mr_q"))
            if pub is None:
                return None, "month", f"month:{q}"
            y = pub.year if q == "current" else pub.year - (mon >= pub.month) if q == "past" \
                else pub.year + (mon <= pub.month)
            return dt.date(y, mon, 1), "month", f"month:{q}"
        if kind == "ordinal":
            d = cal.ordinal_days[" ".join(g("od_d").split())]
            if g("od_y"):
                return _ymd(int(g("od_y")), mon, d) or _DROP, "day", "dmy-ordinal"
            q = cal.qualifier(g("od_q"))
            return _day_month(d, mon, pub, q), "day", "dm-ordinal" + (f":{q}" if q else "")
        if g(f"{p}_y"):
            return _ymd(int(g(f"{p}_y")), mon, int(g(f"{p}_d"))) or _DROP, "day", \
                "dmy-text" if p == "tx" else "mdy-text"
        if _prev_word_in(norm, m.start(), cal.words["day_month_not_after"]):
            return _DROP   # "شارع 26 سبتمبر", "قوى 14 آذار": a name
        q = cal.qualifier(g("tx_q"))
        r = _day_month(int(g("tx_d")), mon, pub, q)
        return r, "day", "dm-text" + (f":{q}" if q else "")
    if kind == "relday":
        key, off = cal.relative_days[" ".join(g("rd_w").split())]
        rule = f"relative:{key}"
        if pub is None:
            return None, "day", rule
        d = pub + dt.timedelta(days=off)
        if g("rd_wd") and cal.weekdays[g("rd_wd")] != d.weekday():
            return None, "day", rule   # "أمس الخميس" that is no Thursday: which one is wrong cannot be known
        return d, "day", rule
    if kind == "weekday":
        wd, q = cal.weekdays[g("wd_n")], cal.qualifier(g("wd_q"))
        if _prev_word_in(norm, m.start(), cal.words["weekday_not_after"]) and not re.match(
                r"\s*و\s*(\w+)", norm[m.end():]) or q == "current":
            return _DROP
        rule = "weekday" + (f":{q}" if q else "")
        if pub is None:
            return None, "day", rule
        if q == "next":
            return pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7), "day", rule
        back = (pub.weekday() - wd) % 7
        return pub - dt.timedelta(days=back or (7 if q == "past" else 0)), "day", rule
    if kind == "year":
        y = int(g("yr_y"))
        return (dt.date(y, 1, 1) if cal.year_range[0] <= y <= cal.year_range[1] else _DROP), "year", "year"
    # period: "الأسبوع الماضي", "الشهر المقبل", "هذا العام"
    gran = cal.periods[g("pr_n1") or g("pr_n2")]
    if _prev_word_in(norm, m.start(), cal.words["period_not_after"]):
        return _DROP
    q = "current" if g("pr_this") else cal.qualifier(g("pr_q"))
    rule = f"period:{gran}:{q}"
    if pub is None:
        return None, gran, rule
    k = {"past": -1, "current": 0, "next": 1}[q]
    if gran == "week":
        return pub - dt.timedelta(days=(pub.weekday() - cal.week_start) % 7 - 7 * k), gran, rule
    if gran == "month":
        return dt.date(*_add_months(pub.year, pub.month, k), 1), gran, rule
    return dt.date(pub.year + k, 1, 1), gran, rule


# --- public API --------------------------------------------------------------------------------------------------

def find_dates(text: str, published: str | dt.date | None, *, calendar: Calendar | None = None) -> list[DateMention]:
    """Every date expression in ``text``, absolute and relative, resolved against the publication date.

    A relative expression is kept with ``date=None`` when there is no publication date; impossible dates and
    bare numbers give no mention.

    >>> [(m.raw, m.date, m.rule) for m in find_dates("قصف مساء أمس وفي 31/02/2020 والقرار 2254", "2015-07-21")]
    [('مساء أمس', '2015-07-20', 'relative:ams')]
    """
    cal = calendar or load_calendar()
    pub = _published(published, cal)
    norm, span, matches = scan(text, cal)
    out = []
    for m in matches:
        r = _interpret(m, norm, pub, cal)
        if r is _DROP or r[0] is _DROP:
            continue
        d, gran, rule = r
        s, e = span(m.start(), m.end())
        out.append(DateMention(s, e, text[s:e], d.isoformat() if d else None, gran, rule))
    return out


def parse_date(text: str, *, calendar: Calendar | None = None) -> DateMention | None:
    """The publication date in a dateline or metadata string: the first absolute, day-precise date, else None.

    >>> parse_date("الجمعة 24 يوليو 2015").rule, parse_date("Tue, 21 Jul 2015 02:52:12 +0000").date
    ('dmy-text', '2015-07-21')
    """
    for m in find_dates(text, None, calendar=calendar):
        if m.date and m.granularity == "day" and m.rule in ABSOLUTE_RULES:
            return m
    return _dateparser(text)


def _dateparser(text: str) -> DateMention | None:
    """Last resort for a short dateline no pattern knows ("Tuesday 21st of July 2015"); all of day, month and
    year must be written, so nothing is filled in from today."""
    s = text.strip()
    if not s or len(s) > 80 or not re.search(r"\d{4}", fold_digits(s)):
        return None
    import dateparser   # slow to import and to run: only here
    d = dateparser.parse(s, languages=["ar", "en", "fr"], settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past"})
    if d is None:
        return None
    start = text.index(s)
    return DateMention(start, start + len(s), s, d.date().isoformat(), "day", "dateparser")


def resolve(span_text: str, published: str | dt.date | None, *,
            calendar: Calendar | None = None) -> DateMention | None:
    """Resolve one expression (absolute or relative) against the publication date; None when its date cannot
    be known (no publication date for a relative expression, an impossible date, no date at all).

    >>> resolve("الثلاثاء المقبل", "2023-01-10").date, resolve("27 يوليو (تموز) الحالي", "2015-07-28").date
    ('2023-01-17', '2015-07-27')
    """
    found = find_dates(span_text, published, calendar=calendar)
    if not found:
        return _dateparser(span_text)
    return found[0] if found[0].date else None


def date_article(article, *, calendar: Calendar | None = None):
    """The pipeline's dates stage: ``published`` as an ISO date, read from ``published`` (a feed's RFC 822
    date, a page's metadata) or else ``published_raw``; None when neither gives a day. Other fields untouched.

    >>> from marsad.model import Article
    >>> date_article(Article(id="a", source_file="f", published="Tue, 21 Jul 2015 02:52:12 +0000")).published
    '2015-07-21'
    >>> date_article(Article(id="a", source_file="f", published_raw="٢٧ تموز/يوليو ٢٠١٥")).published
    '2015-07-27'
    """
    cal = calendar or load_calendar()
    for value in (article.published, article.published_raw):
        d = _published(value, cal) if value else None
        if d is not None:
            return dataclasses.replace(article, published=d.isoformat(),
                                       published_raw=article.published_raw or article.published)
    return dataclasses.replace(article, published=None) if article.published else article

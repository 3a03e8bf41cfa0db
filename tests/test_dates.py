"""marsad.dates: publication dates, absolute and relative date expressions, offsets, the calendar data file."""
from __future__ import annotations

import dataclasses
import json
import statistics
import time
from pathlib import Path

import pytest

from marsad.arabic import normalize
from marsad.dates import DateMention, find_dates, load_calendar, parse_date, resolve
from marsad.dates_calendar import scan
from marsad.errors import KnowledgeBaseError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = REPO / "tests" / "fixtures" / "seeds"

# (expression, publication date, expected ISO date, granularity)
CASES = [
    # numeric, day first; ISO; RFC 822
    ("11/01/2023", None, "2023-01-11", "day"),
    ("23/07/2015", None, "2015-07-23", "day"),
    ("٢٣/٠٧/٢٠١٥", None, "2015-07-23", "day"),
    ("2015-07-27 18:22", None, "2015-07-27", "day"),
    ("2015-07-21T02:52:12Z", None, "2015-07-21", "day"),
    ("Tue, 21 Jul 2015 02:52:12 +0000", None, "2015-07-21", "day"),
    ("July 21, 2015", None, "2015-07-21", "day"),
    # datelines as the sites write them
    ("٧ يناير ٢٠٢٠", None, "2020-01-07", "day"),
    ("● أخبار سورية ٧ يناير ٢٠٢٠", None, "2020-01-07", "day"),
    ("21 يوليو/تموز 2015 - 02:57 GMT", None, "2015-07-21", "day"),
    ("الجمعة 24 يوليو 2015", None, "2015-07-24", "day"),
    ("٢٧ تموز/يوليو ٢٠١٥", None, "2015-07-27", "day"),
    ("27 يوليو (تموز) 2015", None, "2015-07-27", "day"),
    ("3 شباط/فبراير 2016", None, "2016-02-03", "day"),
    ("الأربعاء ٢٢ تـمـوز ٢٠١٥", None, "2015-07-22", "day"),
    ("الاربعاء، 22 يوليو 2015م", None, "2015-07-22", "day"),
    # Levantine months
    ("15 كانون الثاني 2016", None, "2016-01-15", "day"),
    ("1 آذار 2016", None, "2016-03-01", "day"),
    ("9 نيسان 2003", None, "2003-04-09", "day"),
    ("15 أيار 2011", None, "2011-05-15", "day"),
    ("5 حزيران 1967", None, "1967-06-05", "day"),
    ("6 آب 2015", None, "2015-08-06", "day"),
    ("13 أيلول 2015", None, "2015-09-13", "day"),
    ("6 تشرين الأول 1973", None, "1973-10-06", "day"),
    ("30 تشرين الثاني 2015", None, "2015-11-30", "day"),
    ("25 كانون الأول 2015", None, "2015-12-25", "day"),
    # Maghrebi months
    ("14 جانفي 2011", None, "2011-01-14", "day"),
    ("2 فيفري 2015", None, "2015-02-02", "day"),
    ("9 أفريل 2015", None, "2015-04-09", "day"),
    ("1 ماي 2015", None, "2015-05-01", "day"),
    ("10 جوان 2015", None, "2015-06-10", "day"),
    ("5 جويلية 1962", None, "1962-07-05", "day"),
    ("20 أوت 2015", None, "2015-08-20", "day"),
    ("1 نوفمبر 1954", None, "1954-11-01", "day"),
    # Egyptian months and variants
    ("25 يناير 2011", None, "2011-01-25", "day"),
    ("6 إبريل 2008", None, "2008-04-06", "day"),
    ("6 أبريل 2008", None, "2008-04-06", "day"),
    ("30 يونيه 2013", None, "2013-06-30", "day"),
    ("23 يوليه 1952", None, "1952-07-23", "day"),
    ("14 أغسطس 2013", None, "2013-08-14", "day"),
    ("11 سبتمبر 2001", None, "2001-09-11", "day"),
    ("8 أكتوبر 2015", None, "2015-10-08", "day"),
    ("17 ديسمبر 2010", None, "2010-12-17", "day"),
    # Hijri
    ("5 شوال 1436 هـ", None, "2015-07-21", "day"),
    ("5 شوال 1436هـ", None, "2015-07-21", "day"),
    ("1436/10/05 هـ", None, "2015-07-21", "day"),
    # coarser absolute
    ("تموز 2015", None, "2015-07-01", "month"),
    ("عام 2011", None, "2011-01-01", "year"),
    # relative to the publication date
    ("يوم الثلاثاء", "2023-01-11", "2023-01-10", "day"),          # seed 000
    ("اليوم الثلاثاء", "2020-01-07", "2020-01-07", "day"),        # seed 001
    ("الخميس", "2015-07-24", "2015-07-23", "day"),
    ("الجمعة", "2015-07-24", "2015-07-24", "day"),
    ("الثلاثاء الماضي", "2015-07-24", "2015-07-21", "day"),
    ("الثلاثاء الماضي", "2015-07-21", "2015-07-14", "day"),
    ("الثلاثاء المقبل", "2015-07-24", "2015-07-28", "day"),
    ("اليوم", "2015-07-24", "2015-07-24", "day"),
    ("أمس", "2015-07-24", "2015-07-23", "day"),
    ("امس", "2015-07-24", "2015-07-23", "day"),
    ("أول أمس", "2015-07-24", "2015-07-22", "day"),
    ("أمس الأول", "2015-07-24", "2015-07-22", "day"),
    ("غداً", "2015-07-24", "2015-07-25", "day"),
    ("أمس (الخميس)", "2015-07-24", "2015-07-23", "day"),
    ("أمس الاثنين", "2015-07-21", "2015-07-20", "day"),
    ("مساء أمس", "2015-07-24", "2015-07-23", "day"),
    ("فجر اليوم", "2015-07-24", "2015-07-24", "day"),
    ("الأسبوع الماضي", "2015-07-24", "2015-07-13", "week"),
    ("الشهر الماضي", "2015-07-24", "2015-06-01", "month"),
    ("العام الماضي", "2015-07-24", "2014-01-01", "year"),
    ("السنة المقبلة", "2015-07-24", "2016-01-01", "year"),
    ("في 13 آذار", "2015-07-24", "2015-03-13", "day"),
    ("في 13 آذار", "2015-02-01", "2014-03-13", "day"),
    ("27 يوليو (تموز) الحالي", "2015-07-28", "2015-07-27", "day"),
    ("مارس الماضي", "2015-07-24", "2015-03-01", "month"),
    ("يوم الثلاثاء", "2023-01-11T09:00:00", "2023-01-10", "day"),
    # a day written as an ordinal, before من and a month (or this, the last or the next month)
    ("في الرابع من تموز/يوليو", "2015-07-21", "2015-07-04", "day"),
    ("الحادي والعشرين من يوليو الجاري", "2015-07-21", "2015-07-21", "day"),
    ("يوم الخميس الثاني من يوليو 2015", None, "2015-07-02", "day"),
    ("في العشرين من شهر يونيو الماضي", "2015-07-21", "2015-06-20", "day"),
    ("في الخامس عشر من آذار 2011", None, "2011-03-15", "day"),
    ("في العاشر من الشهر الجاري", "2015-07-21", "2015-07-10", "day"),
    ("في الثلاثين من الشهر الماضي", "2015-07-21", "2015-06-30", "day"),
]


@pytest.mark.parametrize("text,published,expected,granularity", CASES)
def test_resolve(text, published, expected, granularity):
    m = resolve(text, published)
    assert m is not None, text
    assert (m.date, m.granularity) == (expected, granularity), m
    assert text[m.start:m.end] == m.raw


@pytest.mark.parametrize("text,expected", [(c[0], c[2]) for c in CASES if c[1] is None and c[3] == "day"])
def test_parse_date_absolute(text, expected):
    m = parse_date(text)
    assert m is not None and m.date == expected and text[m.start:m.end] == m.raw


def test_parse_date_is_day_precise_and_absolute_only():
    assert parse_date("تموز 2015") is None and parse_date("عام 2011") is None   # the day is not given
    assert parse_date("أمس") is None and parse_date("يوم الثلاثاء") is None
    m = parse_date("نشر في: Tuesday 21st of July 2015")                      # no pattern: dateparser
    assert m is None or m.date == "2015-07-21"
    assert parse_date("Tuesday 21st of July 2015").rule == "dateparser"


NEGATIVES = ["2254", "القرار الأممي 2254", "قرار مجلس الأمن 2165", "0933 123 456", "+963 11 2234567",
             "0933-123-4567", "31/02/2020", "30 فبراير 2016", "13/13/2015", "29/02/2015", "9.8 مليون سوري",
             "بين 10-15 قتيلاً", "الساعة 12:30", "اليوم العالمي للاجئين", "في اليوم التالي",
             "الأمين العام السابق للأمم المتحدة", "الخلاف بين الاثنين", "أهل السنة", "157 شخصًا بينهم 39 طفلاً",
             # a day and month that name a street, a movement or a city
             "في عقبة شارع ٢٦ سبتمبر وسط مدينة تعز", "وقال قيادي في قوى 14 آذار", "في مدينة 6 أكتوبر",
             # ordinals that count something else, and days a month does not have
             "وهو الأول من نوعه", "الثاني من حيث عدد السكان", "وحتى الأسبوع الأول من أغسطس (آب)"]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_date(text):
    assert resolve(text, "2015-07-24") is None
    assert find_dates(text, "2015-07-24") == []
    assert parse_date(text) is None


def test_an_ordinal_that_counts_no_day_leaves_the_month():
    assert [(m.raw, m.granularity) for m in find_dates("في النصف الثاني من يوليو 2015", None)] == [
        ("يوليو 2015", "month")]
    for text in ("الحادي والثلاثين من حزيران 2015", "الحادي والثلاثين من الشهر الماضي"):   # no such day
        assert not [m for m in find_dates(text, "2015-07-24") if m.granularity == "day"], text


def test_a_day_and_month_named_as_such_are_still_a_date():
    assert [m.date for m in find_dates("وقع الهجوم في 26 سبتمبر", "2015-07-21")] == ["2014-09-26"]
    assert [m.date for m in find_dates("وفي 14 آذار الماضي قال", "2015-07-21")] == ["2015-03-14"]


def test_weekday_between_the_two():
    ms = find_dates("كان الاثنين هادئاً، وبين الاثنين خلاف", "2015-07-24")
    assert [(m.raw, m.date) for m in ms] == [("الاثنين", "2015-07-20")]


def test_no_publication_date_means_none():
    for text in ("أمس", "يوم الثلاثاء", "الأسبوع الماضي", "في 13 آذار", "اليوم الثلاثاء"):
        assert resolve(text, None) is None
        (m,) = find_dates(text, None)
        assert m.date is None and text[m.start:m.end] == m.raw
    assert resolve("أمس", "not a date") is None


def test_weekday_that_contradicts_the_relative_day_is_none():
    assert resolve("أمس الخميس", "2015-07-21") is None     # 2015-07-20 is a Monday


def test_offsets_point_into_the_original_text():
    text = "قالَ المصدرُ إنّ اجتماعاً عُقِد أمسِ (الخميس) في دمشق، وسيُعقد آخرُ غداً، بعد لقاء ٢٣/٠٧/٢٠١٥ وفي ﻻ 13 آذار."
    ms = find_dates(text, "2015-07-24")
    assert [(m.raw, m.date, m.rule) for m in ms] == [
        ("أمسِ (الخميس)", "2015-07-23", "relative:ams"),
        ("غداً", "2015-07-25", "relative:ghadan"),
        ("٢٣/٠٧/٢٠١٥", "2015-07-23", "dmy-numeric"),
        ("13 آذار", "2015-03-13", "dm-text"),
    ]
    for m in ms:
        assert isinstance(m, DateMention) and text[m.start:m.end] == m.raw


def test_seed_articles():
    expected = {"000": ("2023-01-11", ("يوم الثلاثاء", "2023-01-10")),
                "001": ("2020-01-07", ("اليوم الثلاثاء", "2020-01-07"))}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        published, first_relative = expected[path.name[:3]]
        head = "\n".join(text.splitlines()[:4])
        assert parse_date(head).date == published
        found = [(m.raw, m.date) for m in find_dates(text, published) if m.rule != "dmy-numeric"
                 and m.rule != "dmy-text"]
        assert found[0] == first_relative
        for m in find_dates(text, published):
            assert text[m.start:m.end] == m.raw


def test_scan_equals_full_regex():
    """The fast candidate scan finds exactly what ``pattern.finditer`` over the normalized text finds."""
    cal = load_calendar()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")]
    if (SHARED / "eval" / "dev").is_dir():
        texts += [p.read_text(encoding="utf-8") for p in (SHARED / "eval" / "dev").glob("*.txt")]
    texts += [c[0] for c in CASES] + NEGATIVES
    for text in texts:
        norm, _, matches = scan(text, cal)
        assert norm == normalize(text)
        assert [(m.start(), m.end(), m.lastgroup) for m in matches] == \
            [(m.start(), m.end(), m.lastgroup) for m in cal.pattern.finditer(norm)]


@pytest.mark.skipif(not (SHARED / "eval" / "dev.gold.jsonl").exists(),
                    reason="the shared evaluation data (../shared/eval) is not checked out next to the repo")
def test_dev_datelines():
    gold = {}
    for line in (SHARED / "eval" / "dev.gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            gold[rec["id"]] = rec["published"]
    pages = sorted((SHARED / "eval" / "dev").glob("*.txt"))
    assert pages
    for page in pages:
        dateline = page.read_text(encoding="utf-8").splitlines()[1]
        m = parse_date(dateline)
        assert m is not None and m.date == gold[page.stem], (page.name, dateline)
        assert dateline[m.start:m.end] == m.raw


def test_speed_of_find_dates():
    """Finding dates in a 5,000-character article is a fraction of a millisecond (loose bound: CI machines vary)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    text = (text * (5000 // len(text) + 1))[:5000]
    find_dates(text, "2020-01-07")
    runs = []
    for _ in range(30):
        t = time.perf_counter()
        find_dates(text, "2020-01-07")
        runs.append(time.perf_counter() - t)
    assert statistics.median(runs) < 0.005


def test_calendar_is_immutable_and_loaded_once():
    cal = load_calendar()
    assert load_calendar() is cal
    with pytest.raises(dataclasses.FrozenInstanceError):
        cal.week_start = 6
    with pytest.raises(TypeError):
        cal.months["foo"] = 1
    assert cal.months[normalize("تشرين الأول")] == 10


def test_custom_calendar_keyword(tmp_path):
    src = (REPO / "marsad" / "kb" / "calendar.yaml").read_text(encoding="utf-8")
    path = tmp_path / "calendar.yaml"
    path.write_text(src.replace("week_start: 0", "week_start: 5"), encoding="utf-8")
    cal = load_calendar(path)
    assert resolve("الأسبوع الماضي", "2015-07-24", calendar=cal).date == "2015-07-11"   # a Saturday


@pytest.mark.parametrize("content,problem", [
    ("months: [unclosed", "invalid YAML"),
    ("- a list\n- not a mapping\n", "top level"),
    ("months: {}\n", "missing key"),
])
def test_malformed_calendar(tmp_path, content, problem):
    path = tmp_path / "calendar.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as e:
        load_calendar(path)
    assert str(path) in str(e.value) and problem in str(e.value)


def test_malformed_calendar_table(tmp_path):
    src = (REPO / "marsad" / "kb" / "calendar.yaml").read_text(encoding="utf-8")
    for old, new, problem in [("  12: [ديسمبر,", "  13: [ديسمبر,", "not a number from 1 to 12"),
                              ("  2:  [فبراير,", "  2:  [يناير,", "given for both"),
                              ("week_start: 0", "week_start: 9", "week_start")]:
        path = tmp_path / f"cal{len(problem)}.yaml"
        path.write_text(src.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(KnowledgeBaseError, match=problem):
            load_calendar(path)


def test_date_article_stage():
    from marsad.dates import date_article
    from marsad.model import Article
    a = date_article(Article(id="x", source_file="f", published_raw="الجمعة 24 يوليو 2015"))
    assert (a.published, a.published_raw) == ("2015-07-24", "الجمعة 24 يوليو 2015")
    assert date_article(Article(id="x", source_file="f", published="31/02/2020")).published is None
    assert date_article(Article(id="x", source_file="f")).published is None

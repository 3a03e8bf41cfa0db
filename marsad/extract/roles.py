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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from operator import attrgetter

from marsad.arabic import Token, normalize
from marsad.extract.kb_match import Match

MAX_ROLE_WORDS = 10
_POSSESSIVE = ("ه", "ها", "هم", "هما")   # written pronoun suffixes (ta marbuta is ة, not ه)
_CLAUSE_BREAK = re.compile(r"[.؟?!؛;:\n«»“”\"()–—]|\s[-ـ]\s")  # and a dash: "ـ حفظهم الله ـ"
_COMMA = re.compile(r"^\s*[،,]?\s*$")
# A role does not run through these words: they open a new clause or a new noun phrase that is no title.
_ROLE_STOP = frozenset(normalize(w) for w in """أن إنه إنها الذي التي الذين حيث بعد قبل خلال عن على مع إلى من حول منذ
عندما كما لكن بينما اليوم أمس يوم ضد تجاه حيال بشأن بسبب رغم إثر عقب السبت الأحد الاثنين الثلاثاء الأربعاء الخميس
الجمعة""".split())


# Honorifics and ranks written as part of how a person is named, after the title: a role ends before them.
# (الملكي only in صاحب السمو الملكي: "المستشار في الديوان الملكي"; no الملك: "مدير مكتب الملك الدكتور جعفر حسان")
_NAME_PREFIX = frozenset(normalize(w) for w in """الدكتور الدكتورة د المهندس المهندسة الأستاذ الأستاذة السيد السيدة
الحاج الشيخ الشيخة الأمير الأميرة صاحب وصاحب السمو سمو وسمو معالي ومعالي سعادة فضيلة السفير السفيرة اللواء العميد
العقيد المقدم الرائد النقيب الملازم المشير الفريق الجنرال أول ركن الركن طيار بحري""".split())


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
    k = _tok_index(toks, name_start) - 1
    if k >= 0 and toks[k].text == "علي" and not text[toks[k].end:name_start].strip():   # the name, not على
        name_start = toks[k].start   # "سفير المملكة في لبنان علي عواض عسيري": علي begins the name
    for m in titles:
        if m.end > name_start or name_start - m.start > 160:
            continue
        if any(m.start < b <= name_start for _, b in people):   # another person between, or named by this head
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
        if any(a.norm in ("لدي", "عند", "فور") and b.text.endswith(_POSSESSIVE) for a, b in zip(words, words[1:])):
            continue   # "ولي ولي العهد لدى وصوله المطار الأمير فيصل": 'on his arrival' opens a clause of time
        if best is None or m.start < best.start:  # the outermost head: "نائب وزير الخارجية", not "وزير الخارجية"
            best = m
    if best is None:
        return None
    end = _prefix_start(toks, best.end, name_start)
    if end > best.start and not _construct(text[best.start:end]) and \
            normalize(text[best.start:best.end]).split()[0] not in _NAME_PREFIX:   # "العميد ركن" is one rank
        # "وزير التعليم الدكتور عزام الدخيل": the minister; الدكتور is how he is named
        return _role(text, best, end, "title-before-name-prefix")
    return _role(text, best, name_start, "title-before-name")


def _role(text: str, head: Match, end: int, rule: str) -> Role:
    """The role from its head to ``end``, written as the article writes it; a head after لل (ل + ال, its
    alef not written) gets its alef back, in place of the ل: "للرئيس المخلوع علي صالح" gives الرئيس المخلوع.

    >>> t = "وقال للرئيس المخلوع علي صالح"
    >>> _role(t, Match(6, 11, "الرئيس", ("الرئيس",), ("head",), "title"), 19, "r")
    Role(start=5, end=19, text='الرئيس المخلوع', rule='r')
    """
    if head.start > 0 and text[head.start - 1:head.start + 1] == "لل" and normalize(head.surface).startswith("ال"):
        return Role(head.start - 1, end, "ا" + _clean_role(text[head.start:end]), rule)
    return Role(head.start, end, _clean_role(text[head.start:end]), rule)


def _construct(role: str) -> bool:
    """A lone title in the construct state ("قائد", "مدير"): the word after it is its complement ("قائد الفريق":
    the team's captain, no lieutenant general)."""
    words = role.split()
    return len(words) == 1 and not normalize(words[0]).startswith("ال")


def _prefix_start(toks: list[Token], head_end: int, name_start: int) -> int:
    """Where the honorifics and ranks standing right before a name begin ("صاحب السمو الملكي الأمير", "الفريق
    أول ركن", "الأستاذ الدكتور"), when a title ends before them; else -1."""
    k = _tok_index(toks, name_start) - 1
    start = -1
    while k >= 0 and toks[k].start >= head_end and (toks[k].norm in _NAME_PREFIX or (
            toks[k].norm == "الملكي" and k > 0 and toks[k - 1].norm == "السمو")):
        start = toks[k].start
        k -= 1
    return start


def role_after(text: str, toks: list[Token], titles: list[Match], name_end: int,
               people: Sequence[tuple[int, int]] = (), own: Collection[tuple[int, int]] = ()) -> Role | None:
    """A title right after a name ("زهرة بيل الرئيسة السياسية في …", "آرام الدوماني، السكرتير العام …"), up to
    the next person or a title joined by و (in a list, the next person's: "أبو همام القائد العسكري في جبهة
    النصرة والقيادي أبو عمر الكردي"). A title that opens another person's name (``people`` not in ``own``, the
    person's own mentions) is no role of this one."""
    for m in titles:
        if m.start < name_end or normalize(m.surface) == "الاب":  # "جورج بوش الأب": the elder, no priest
            continue
        if not _COMMA.fullmatch(text[name_end:m.start]) or \
                any(a <= m.start < b for a, b in people if (a, b) not in own):
            return None   # "خادم الحرمين الشريفين الأمير محمد بن نايف": that title is the next person's
        heads = {h.start for h in titles if h.start > m.start}
        end = m.end
        i = _tok_index(toks, m.end)
        words = 0
        while i < len(toks) and words < MAX_ROLE_WORDS:
            t = toks[i]
            if _CLAUSE_BREAK.search(text[end:t.start]) or "،" in text[end:t.start] or "," in text[end:t.start]:
                break
            if t.norm in _ROLE_STOP or any(a <= t.start < b for a, b in people) or \
                    (t.norm.startswith("و") and t.start + 1 in heads) or _pronoun_suffixed(t):
                break
            end = t.end
            words += 1
            i += 1
        return _role(text, m, end, "title-after-name")
    return None


def _pronoun_suffixed(t: Token) -> bool:
    """"كلمته", "منصبه": a noun with 'his' ends a title written after the name (not عبدالله)."""
    return len(t.text) > 3 and t.text.endswith("ه") and "الله" not in t.text


def person_role(text: str, toks: list[Token], titles: list[Match], start: int, end: int,
                people: Sequence[tuple[int, int]] = (), own: Collection[tuple[int, int]] = ()) -> Role | None:
    """The role of the name at [start, end): the title before it, unless a title follows the name directly and
    the one before is parted from it by a comma ("ووصل بمعية ولي ولي العهد، فهد العيسى المستشار في الديوان
    الملكي": the adviser) or is only an honorific ("الدكتور ماجد القصبي وزير الشؤون الاجتماعية": the minister)."""
    before = role_before(text, toks, titles, start, people)
    after = role_after(text, toks, titles, end, people, own)
    if before is None or after is None or text[end:after.start].strip():
        return before or after
    parted = text[before.start:start].rstrip().endswith(("،", ","))
    honorific = any(m.start == before.start and "honorific" in m.values and m.surface == before.text
                    for m in titles)
    return after if parted or honorific else before


def known_position(role: Role, positions: Sequence[str]) -> Role | None:
    """The part of a role that is the person's known position, when the role is another's title "of" it: in
    "المتحدث باسم المكتب الإعلامي لرئيس الوزراء حيدر العبادي" the spokesman is someone else, and العبادي (known as
    رئيس الوزراء العراقي) is رئيس الوزراء. A position of two words or more joined by لـ to the title before, or
    of one word when that word ends the role. Joined as للـ (لل + الرئيس), the position as written is no part
    of the text: None, the role is another's ("المبعوث الخاص للرئيس باراك اوباما": the envoy's).

    >>> r = Role(0, 44, "المتحدث باسم المكتب الإعلامي لرئيس الوزراء", "title-before-name")
    >>> known_position(r, ["رئيس الوزراء العراقي"]).text
    'رئيس الوزراء'
    >>> known_position(r, ["وزير الخارجية"]).text
    'المتحدث باسم المكتب الإعلامي لرئيس الوزراء'
    >>> known_position(Role(0, 21, "المبعوث الخاص للرئيس", "title-before-name"), ["الرئيس الأمريكي"]) is None
    True
    >>> known_position(Role(0, 21, "المبعوث الخاص للرئيس", "title-before-name"), ["المبعوث الأمريكي"]).text
    'المبعوث الخاص للرئيس'
    """
    words = [m for m in re.finditer(r"\S+", role.text)]
    norms = [normalize(m.group()) for m in words]
    for i in range(1, len(words)):
        if not norms[i].startswith("ل"):
            continue
        joined = norms[i].startswith("لل")
        rest = ["ال" + norms[i][2:] if joined else norms[i][1:], *norms[i + 1:]]
        for position in positions:
            head = normalize(position).split()[:len(rest)]
            if rest[:len(head)] == head and (len(head) >= 2 or len(rest) == 1 == len(head)):
                if joined:
                    return None
                cut = words[i].start() + 1
                return Role(role.start + cut, role.end, role.text[cut:], role.rule + "+known-position")
    return role


"""Arabic text for matching and search: normalization, sentences, tokens and clitics.

Normalization is a table of small named steps, composed into one character table. It is used for matching
and search only; the text that is shown, and every offset, stays in the unnormalized cleaned text.
`normalize_with_map` gives, for each normalized character, the offset of the character it came from.

>>> normalize("أَمِينَة")
'امينه'
>>> normalize("الإدارة الذاتيـــة")
'الاداره الذاتيه'
>>> normalize("٧ يناير ٢٠٢٠")
'7 يناير 2020'
>>> normalize(normalize("مُؤْتَمَرٌ صَحَفِيٌّ")) == normalize("مُؤْتَمَرٌ صَحَفِيٌّ")
True
>>> all(normalize(normalize(c)) == normalize(c) for c in TABLE)
True
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Mapping, NamedTuple


@dataclass(frozen=True)
class Step:
    """One normalization step: a name, what it does, and its character table (char -> replacement)."""

    name: str
    doc: str
    table: Mapping[str, str]


def _chars(*ranges: tuple[int, int]) -> list[str]:
    return [chr(i) for lo, hi in ranges for i in range(lo, hi + 1)]


def _presentation_forms() -> dict[str, str]:
    """Arabic presentation forms (FB50-FDFF, FE70-FEFF) decomposed to their letters: ﻻ -> لا."""
    out = {}
    for i in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        c = chr(i)
        folded = unicodedata.normalize("NFKC", c)
        if folded != c and folded.strip():
            out[c] = folded
    return out


STEPS: tuple[Step, ...] = (
    Step("bidi", "remove bidi, zero-width and BOM marks (\u200e\u200f\u061c\u200c\u200d\ufeff...)",
         {c: "" for c in "\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
          "\u2066\u2067\u2068\u2069"}),
    Step("presentation", "decompose Arabic presentation forms: ﻻ -> لا", _presentation_forms()),
    Step("diacritics", "remove harakat, tanwin, shadda, sukun, dagger alef and Quranic marks",
         {c: "" for c in _chars((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC),
                                 (0x06DF, 0x06E8), (0x06EA, 0x06ED))}),
    Step("tatweel", "remove tatweel (kashida): الذاتيـــة -> الذاتية", {"\u0640": ""}),
    Step("alef", "alef with hamza or madda, wasla -> bare alef: أ إ آ ٱ -> ا",
         {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا"}),
    Step("hamza", "hamza on waw or yeh seat -> the seat letter: ؤ -> و, ئ -> ي", {"ؤ": "و", "ئ": "ي"}),
    Step("yeh", "alef maqsura and Persian/Urdu yeh -> yeh: ى ی ې -> ي", {"ى": "ي", "ی": "ي", "ې": "ي"}),
    Step("taa_marbuta", "taa marbuta -> heh: ة -> ه", {"ة": "ه", "ۀ": "ه"}),
    Step("kaf", "Persian keheh -> kaf: ک -> ك", {"ک": "ك"}),
    Step("digits", "Arabic-Indic and Persian digits -> ASCII: ٢٠٢٣ -> 2023",
         {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}),
    Step("latin_case", "Latin letters to lower case", {chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)}),
)


def _compose(steps: tuple[Step, ...]) -> Mapping[str, str]:
    """One table doing all steps in order, so that normalization is a single ``str.translate``."""
    domain: set[str] = set()
    for s in steps:
        domain |= set(s.table)
    table = {}
    for c in domain:
        out = c
        for s in steps:
            out = "".join(s.table.get(ch, ch) for ch in out)
        if out != c:
            table[c] = out
    return MappingProxyType(table)


TABLE: Mapping[str, str] = _compose(STEPS)
_TRANSLATE = {ord(k): v for k, v in TABLE.items()}
DIGITS_ONLY = {ord(k): v for k, v in next(s for s in STEPS if s.name == "digits").table.items()}


def _letters_folded() -> dict[str, str]:
    """Latin letters beyond ASCII to lower case without accents, Greek and Cyrillic ones to lower case."""
    out = {}
    for i in [*range(0x00C0, 0x0530), *range(0x1E00, 0x1F00)]:
        c = chr(i)
        low = c.lower()
        if 0x0370 <= i < 0x0530:  # Greek and Cyrillic: case only (й is no и)
            base = low
        else:
            base = "".join(ch for ch in unicodedata.normalize("NFD", low) if not unicodedata.combining(ch))
        if c.isalpha() and len(base) == 1 and base != c:
            out[c] = base
    return out


SEARCH_LETTERS = Step("search_letters", "for search only, after the others: Latin letters to lower case without "
                      "accents, Greek and Cyrillic to lower case: É ç Ж -> e c ж", _letters_folded())
_SEARCH_FOLD = {ord(k): v for k, v in SEARCH_LETTERS.table.items()}


def fold_for_search(norm: str) -> str:
    """A normalized word as the full-text index holds it: `SEARCH_LETTERS` applied, as FTS5's unicode61
    tokenizer folded letters before the index took the ascii one (and PostgreSQL's 'simple' does not).

    >>> fold_for_search(normalize("Éric GENÈVE Жуков İstanbul"))
    'eric geneve жуков istanbul'
    >>> fold_for_search(normalize("الأسد"))
    'الاسد'
    """
    return norm.translate(_SEARCH_FOLD)


def normalize(text: str) -> str:
    """Apply every step. Idempotent: ``normalize(normalize(x)) == normalize(x)``.

    >>> normalize("إدلب") == normalize("ادلب")
    True
    >>> normalize("سوريّة")
    'سوريه'
    """
    return text.translate(_TRANSLATE)


def fold_digits(text: str) -> str:
    """Only the digits step: ``fold_digits("١١/٠١/٢٠٢٣") == "11/01/2023"``, length preserved.

    >>> fold_digits("٧ يناير ٢٠٢٠")
    '7 يناير 2020'
    """
    return text.translate(DIGITS_ONLY)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalized text and, for each of its characters, the offset in ``text`` it came from.

    >>> n, m = normalize_with_map("قالَ أمينة")
    >>> n, m[n.index("امينه")]
    ('قال امينه', 5)
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        r = TABLE.get(c, c)
        out.append(r)
        offsets.extend([i] * len(r))
    offsets.append(len(text))
    return "".join(out), offsets


# --- sentences -------------------------------------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
_SENT_END = re.compile(rf"(?:[.!?؟…]+[{re.escape(_CLOSERS)}]*)(?=\s)|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text``: a line break, or . ! ? ؟ … before white space.

    Numbers such as 9.8 do not end a sentence; spans never include surrounding white space.

    >>> t = "عقد المجلس اجتماعاً. وقال الرئيس: انتهى؟ نعم 9.8 مليون\\nسطر ثان"
    >>> [t[s:e] for s, e in sentences(t)]
    ['عقد المجلس اجتماعاً.', 'وقال الرئيس: انتهى؟', 'نعم 9.8 مليون', 'سطر ثان']
    """
    return list(_sentences(text))


@lru_cache(maxsize=16)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Several stages split the article they are given: the last few texts are kept, so it is done once."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


# --- tokens and clitics ----------------------------------------------------------------------------------

_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+(?:[.,٫][0-9٠-٩]+)*")


class Token(NamedTuple):
    """A word of a text: as written, its offsets, and its normalized form (a tuple: cheap to make)."""

    text: str
    start: int
    end: int
    norm: str


def tokens(text: str) -> list[Token]:
    """Word tokens with offsets and their normalized form; punctuation is not a token.

    >>> [t.text for t in tokens("وقال: “التقينا” في 9.8%، والقامشلي؛ وسوريّة")]
    ['وقال', 'التقينا', 'في', '9.8', 'والقامشلي', 'وسوريّة']
    """
    return list(_tokens(text))


_make_token = partial(tuple.__new__, Token)  # a Token without a Python-level call per token


@lru_cache(maxsize=16)
def _tokens(text: str) -> tuple[Token, ...]:
    """Every stage tokenizes the article it is given: the last few texts are kept, so it is done once."""
    found = list(_WORD.finditer(text))
    words = [m[0] for m in found]
    return tuple(map(_make_token, zip(words, [m.start() for m in found], [m.end() for m in found],
                                      map(normalize_word, words))))


def word_before(text: str, start: int) -> tuple[int, str]:
    """Where the white-space-separated word before offset ``start`` ends, and that word ('' at the start of
    the text): what ``text[:start].split()[-1]`` gives, without copying the text before it (stages ask it for
    every name of an article: copying would make them quadratic in its length).

    >>> word_before("وهو في  صالح", 8)
    (6, 'في')
    >>> word_before("للتحالف", 1), word_before("  صالح", 2)
    ((1, 'ل'), (0, ''))
    """
    end = start
    while end and text[end - 1].isspace():
        end -= 1
    begin = end
    while begin and not text[begin - 1].isspace():
        begin -= 1
    return end, text[begin:end]


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """`normalize` for a word or a short name, cached: the words of news repeat."""
    return normalize(word)


CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
MIN_STEM = 2


@lru_cache(maxsize=200_000)
def clitic_splits(word: str) -> tuple[tuple[str, str], ...]:
    """Every (prefix, stem) reading of a normalized word under the clitics و ف ب ل ك and ال, longest stem first.

    ل before ال writes لل (للتحالف = ل + التحالف), but a stem may also begin with ل (للبنان = ل + لبنان).
    Stems shorter than two letters are not offered.

    >>> list(clitic_splits("والايتلاف"))
    [('', 'والايتلاف'), ('و', 'الايتلاف'), ('وال', 'ايتلاف')]
    >>> list(clitic_splits("للتحالف"))
    [('', 'للتحالف'), ('ل', 'التحالف'), ('ل', 'لتحالف'), ('لل', 'تحالف')]
    """
    seen = set()
    results = []
    for conj in ("",) + CONJUNCTIONS:
        if not word.startswith(conj):
            continue
        rest = word[len(conj):]
        for prep in ("",) + PREPOSITIONS:
            if not rest.startswith(prep):
                continue
            body = rest[len(prep):]
            candidates = [(conj + prep, body)]
            if prep == "ل" and body.startswith("ل"):
                candidates.append((conj + prep, "ا" + body))  # لل = ل + ال
                candidates.append((conj + "لل", body[1:]))
            if body.startswith(ARTICLE):
                candidates.append((conj + prep + ARTICLE, body[2:]))
            for prefix, stem in candidates:
                if len(stem) >= MIN_STEM and (prefix, stem) not in seen:
                    seen.add((prefix, stem))
                    results.append((prefix, stem))
    results.sort(key=lambda ps: -len(ps[1]))
    return tuple(results)


def search_forms(word: str) -> list[str]:
    """The forms under which a word is indexed for search: itself (normalized, `fold_for_search`) and every
    clitic-stripped stem.

    >>> search_forms("والائتلاف")
    ['والايتلاف', 'الايتلاف', 'ايتلاف']
    """
    forms = []
    for _, stem in clitic_splits(fold_for_search(normalize(word))):
        if stem not in forms:
            forms.append(stem)
    return forms


def is_arabic(text: str, threshold: float = 0.5) -> bool:
    """Whether most letters of ``text`` are Arabic.

    >>> is_arabic("مرصد الأخبار"), is_arabic("The observatory")
    (True, False)
    """
    letters = sum(map(len, _LETTERS.findall(text)))  # counted by runs: far fewer objects than one per letter
    return bool(letters) and sum(map(len, _ARABIC_LETTERS.findall(text))) / letters >= threshold


_LETTERS = re.compile(r"[^\W\d_]+")  # letters of any script
_ARABIC_LETTERS = re.compile("[" + "".join(c for c in map(chr, [*range(0x600, 0x700), *range(0x750, 0x780)])
                                           if c.isalpha()) + "]+")


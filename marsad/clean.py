"""The clean stage: from what a reader read (``Article.raw``) to the title once, the metadata and a clean body.

Page dumps put the title, a dateline and a "● section date" line in some order at the top, sometimes
repeating the title; they end with "المصدر: … الكاتب: …", share lines and "read also" teasers. HTML bodies come
already extracted by the reader but still carry "…المزيد" and syndication lines. The patterns are data, in
``marsad/kb/boilerplate.yaml``; this module only applies them.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from marsad import dates
from marsad.arabic import is_arabic, normalize
from marsad.errors import KnowledgeBaseError
from marsad.model import Article

BOILERPLATE_FILE = Path(__file__).parent / "kb" / "boilerplate.yaml"

_PUNCT_EDGES = re.compile(r"^[\s:：،,.\-–—|…»«\"'“”()\[\]]+|[\s:：،,.\-–—|…»«\"'“”()\[\]]+$")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\bGMT\b|\bUTC\b|\b[AP]M\b|\bص\b|\bم\b", re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_TRUNCATED = re.compile(r"(\w…|\w\.\.\.)\s*$")
_SENTENCE_END = re.compile(r"[.!?؟…»”\")]\s*$")
TITLE_MAX_WORDS = 30
PARAGRAPH_MIN_CHARS = 200
DATELINE_MAX_WORDS = 20


@dataclass(frozen=True)
class Boilerplate:
    """The compiled contents of boilerplate.yaml, every phrase normalized."""

    teaser_markers: frozenset[str]
    drop_lines: frozenset[str]
    drop_prefixes: tuple[str, ...]
    link_back: re.Pattern[str]
    source_author: re.Pattern[str]
    section_bullets: str
    longest: int = 0  # characters of the longest normalized phrase (a line, a prefix)
    tags: re.Pattern[str] | None = None  # the last line's tail of tags ("... سوريا. سمات ايران قطر")
    byline: re.Pattern[str] | None = None  # "عوض الفهمي- سبق- أضم: ..." opening the body
    opening: re.Pattern[str] | None = None  # a share bar glued to the body's first paragraph
    footer: re.Pattern[str] | None = None  # what opens a columnist's contact footer, from there to the end


def _key(line: str) -> str:
    """A line as compared with the phrases: normalized, without edge punctuation."""
    return _PUNCT_EDGES.sub("", normalize(line))


@cache
def load_boilerplate(path: Path = BOILERPLATE_FILE) -> Boilerplate:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        keys = ("teaser_markers", "drop_lines", "drop_prefixes", "link_back_prefixes", "source_labels",
                "author_labels", "section_bullets")
        missing = [k for k in keys if not isinstance(data.get(k), list)]
    except (OSError, yaml.YAMLError, AttributeError) as e:
        raise KnowledgeBaseError(f"{path}: cannot read the boilerplate table ({e})") from e
    if missing:
        raise KnowledgeBaseError(f"{path}: each of {', '.join(missing)} must be a list of phrases")

    def alts(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    labels = alts(data["source_labels"])
    authors = alts(data["author_labels"])
    phrases = {"teaser_markers": frozenset(_key(p) for p in data["teaser_markers"]),
               "drop_lines": frozenset(_key(p) for p in data["drop_lines"]),
               "drop_prefixes": tuple(normalize(p).lower() for p in data["drop_prefixes"])}
    return Boilerplate(
        **phrases, longest=max(map(len, (p for group in phrases.values() for p in group)), default=0),
        link_back=re.compile(rf"\s*(?:{alts(data['link_back_prefixes'])})[^:：\n]{{0,40}}[:：].*$"),
        source_author=re.compile(
            rf"^\s*(?:(?:{labels})\s*[:：]\s*(?P<source>.+?))?\s*[|،,-]?\s*"
            rf"(?:(?:{authors})\s*[:：]\s*(?P<author>.+?))?\s*$"),
        section_bullets="".join(data["section_bullets"]),
        tags=re.compile(rf"(?:^|(?<=[.!؟?»\"”]))\s*(?:{alts(data['tag_markers'])})\s[^.!؟?\n]*$")
        if data.get("tag_markers") else None,
        byline=re.compile(rf"^(?:next previous\s*)?(?P<author>[^\W\d][^–ـ\-|:.،\d]{{2,40}}?)\s*[–ـ-]\s*"
                          rf"(?:{alts(data['byline_outlets'])})(?:\s*[–ـ-]\s*(?P<rest>.*)|\s*)$",
                          re.IGNORECASE | re.DOTALL)
        if data.get("byline_outlets") else None,
        opening=re.compile(rf"^\s*(?:{_spaced(data['opening_phrases'])})[\s:،,.\-–|]*")
        if data.get("opening_phrases") else None,
        footer=re.compile(rf"(?:{_spaced(data['footer_markers'])}).*$", re.DOTALL)
        if data.get("footer_markers") else None,
    )


def _drop_footer(out: list[str], footer: re.Pattern[str]) -> None:
    """Cut the body at its contact footer: a marker that opens a line, or follows only the columnist's e-mail
    address on it, among the short lines that end the body ("للتواصل مع الكاتب ارسل رسالة SMS", "تبدأ بالرمز
    (41) …", "88591 - Stc"); the e-mail addresses and handles just before the marker go with it."""
    for k in range(len(out) - 1, -1, -1):
        m = footer.search(out[k])
        if m is not None and (not out[k][:m.start()].strip() or _CONTACT_TAIL.match(out[k][:m.start()])):
            del out[k + 1:]
            out[k] = out[k][:m.start()]
            while out:
                out[-1] = _CONTACT_TAIL.sub("", out[-1]).strip()
                if out[-1] and not _CONTACT_LABEL.fullmatch(out[-1]):
                    return
                out.pop()
            return
        if len(out[k]) >= PARAGRAPH_MIN_CHARS:
            return


_EMAIL = r"[\w.+-]*@[\w.-]*\w"
_LABELS = r"(?:تويتر|twitter|T|البريد الإلكتروني|e-?mail)"
_CONTACT_TAIL = re.compile(rf"(?:\s*(?:{_LABELS}\s*[:：]\s*(?:{_EMAIL}|@?[\w.]+)|{_EMAIL}|www\.[\w.-]+\w))+\s*$",
                           re.IGNORECASE)  # "تويتر: Arfaj1", "aaljamili@yahoo.com", "www.alehaidib.com" ending a line
_CONTACT_LABEL = re.compile(rf"{_LABELS}\s*[:：]?", re.IGNORECASE)  # a label left alone on its line


def _spaced(phrases: list[str]) -> str:
    """Alternatives of ``phrases``, longest first, each space standing for any run of spaces."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


def clean(article: Article, boilerplate: Boilerplate | None = None) -> Article:
    """Title once, metadata from the page's own lines, body without boilerplate; sets ``text`` and ``language``."""
    bp = boilerplate or load_boilerplate()
    raw = article.raw
    if _ENTITY.search(raw):
        raw = html.unescape(raw)
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    meta = {"title": _clean_title(article.title) if article.title else None,
            "published_raw": article.published_raw, "source": article.source,
            "author": article.author, "section": article.section}
    body = _strip_body(_byline(_strip_header(lines, meta, bp), meta, bp), meta, bp)
    text = "\n\n".join(body)
    language = "ar" if is_arabic(text or (meta["title"] or "")) else _other_language(text)
    return replace(article, text=text, language=language, **meta)


def _clean_title(title: str) -> str:
    title = html.unescape(html.unescape(title)) if "&" in title else title
    return " ".join(title.split())


def _dateline(line: str) -> dates.DateMention | None:
    """The date of a line that holds a date and little else (weekday, time, "GMT"), else None."""
    if len(line.split()) > DATELINE_MAX_WORDS:  # a paragraph: not worth a search for dates
        return None
    m = dates.parse_date(line)
    if m is None or m.date is None:
        return None
    rest = _TIME.sub(" ", line[:m.start] + " " + line[m.end:])
    rest_words = [w for w in re.split(r"[\s\-–—|،,/()]+", rest) if w and normalize(w) not in _WEEKDAYS]
    return m if len(rest_words) <= 2 else None


_WEEKDAYS = frozenset(normalize(w) for w in ("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس",
                                              "الجمعة", "السبت", "يوم", "تاريخ", "النشر", "نشر", "في"))


def _section_line(line: str, bp: Boilerplate) -> tuple[str | None, dates.DateMention | None] | None:
    """ "● أخبار سورية ٧ يناير ٢٠٢٠" -> ("أخبار سورية", its date); None when the line is no such line, nor
    when it is a paragraph that opens with a bullet ("• لا أعرف ماذا يريد من يردد عبارة …": a column's first
    point)."""
    if not line or line[0] not in bp.section_bullets:
        return None
    body = line[1:].strip()
    if len(body.split()) > DATELINE_MAX_WORDS or _looks_like_paragraph(body):
        return None
    m = dates.parse_date(body)
    if m is None:
        return (body or None), None
    section = _PUNCT_EDGES.sub("", body[:m.start]).strip() or None
    return section, m


def _is_title_candidate(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= TITLE_MAX_WORDS and not _TRUNCATED.search(line)


def _strip_header(lines: list[str], meta: dict, bp: Boilerplate) -> list[str]:
    """Consume the page header: title (kept once), datelines, section lines; return the remaining lines."""
    title_key = _key(meta["title"]) if meta["title"] else None
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        section = _section_line(line, bp)
        if section is not None:
            meta["section"] = meta["section"] or section[0]
            if section[1] and not meta["published_raw"]:
                meta["published_raw"] = section[1].raw
            i += 1
            continue
        date = _dateline(line)
        if date is not None:
            if not meta["published_raw"]:
                meta["published_raw"] = date.raw
            i += 1
            continue
        if title_key is not None and _key(line) == title_key:
            i += 1
            continue
        if title_key is None and _is_title_candidate(line) and not _looks_like_paragraph(line):
            meta["title"] = _clean_title(line)
            title_key = _key(line)
            i += 1
            continue
        break
    return lines[i:]


def _byline(lines: list[str], meta: dict, bp: Boilerplate) -> list[str]:
    """The body's first line opening with "<author> - <outlet> -" (boilerplate.yaml ``byline_outlets``): the
    author goes to ``meta`` (unless the reader had one), the rest of the line stays."""
    k = next((k for k, line in enumerate(lines) if line), None)
    m = bp.byline.match(lines[k]) if bp.byline is not None and k is not None else None
    if m is None or len(m.group("author").split()) > 4:
        return lines
    meta["author"] = meta["author"] or m.group("author").strip()
    return lines[:k] + [(m.group("rest") or "").strip()] + lines[k + 1:]


def _looks_like_paragraph(line: str) -> bool:
    return len(line) >= PARAGRAPH_MIN_CHARS or (len(line.split()) > 15 and line.rstrip().endswith((".", "،")))


def _strip_body(lines: list[str], meta: dict, bp: Boilerplate) -> list[str]:
    """Drop share lines, teaser blocks, navigation and footers; lift source/author lines into ``meta``."""
    title_key = _key(meta["title"]) if meta["title"] else None
    longest = max(bp.longest, len(title_key or ""))
    out: list[str] = []
    in_teasers = False
    for line in lines:
        if not line:
            continue
        key = _line_key(line, longest)
        if not key:  # punctuation or tatweel only: "ـــــــ ــ"
            continue
        if key in bp.teaser_markers:
            in_teasers = True
            continue
        if in_teasers:
            if len(line) >= PARAGRAPH_MIN_CHARS and not _TRUNCATED.search(line):
                in_teasers = False
            else:
                continue
        if key in bp.drop_lines or key.lower().startswith(bp.drop_prefixes) or key == title_key:
            continue
        if _source_author(line, meta, bp):
            continue
        line = bp.link_back.sub("", line).strip()
        if line:
            out.append(line)
    if out and bp.opening is not None:
        out[0] = bp.opening.sub("", out[0], count=1)
        if not out[0]:
            out.pop(0)
    if out and bp.footer is not None:
        _drop_footer(out, bp.footer)
    while out and _TRUNCATED.search(out[-1]) and len(out[-1]) < PARAGRAPH_MIN_CHARS:
        out.pop()  # a trailing teaser cut off with "…" after the last paragraph
    if out and bp.tags is not None:
        out[-1] = bp.tags.sub("", out[-1]).strip()
        if not out[-1]:
            out.pop()
    return out


KEY_MARGIN = 40  # characters beyond the longest phrase read before a line's beginning decides


def _line_key(line: str, longest: int) -> str:
    """`_key` of a line, or of its beginning alone when that is already longer than ``longest``: no phrase can
    then equal the whole key, and the beginning decides every prefix test (a paragraph is not normalized
    whole only to be compared with short phrases)."""
    head = _key(line[:longest + KEY_MARGIN])
    return head if len(line) > longest + KEY_MARGIN and len(head) > longest else _key(line)


def _source_author(line: str, meta: dict, bp: Boilerplate) -> bool:
    """A "المصدر: X الكاتب: Y" line: record X and Y (when the reader had none) and report it was one."""
    if len(line) > 150:
        return False
    m = bp.source_author.match(line)
    if not m or not (m.group("source") or m.group("author")):
        return False
    if m.group("source"):
        meta["source"] = meta["source"] or m.group("source").strip()
    if m.group("author"):
        meta["author"] = meta["author"] or m.group("author").strip()
    return True


def _other_language(text: str) -> str:
    """ISO 639-1 code of a non-Arabic text, "und" when there is no text to tell."""
    if not text.strip():
        return "und"
    import py3langid

    code, _ = py3langid.classify(text[:2000])
    return code

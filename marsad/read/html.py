"""HTML pages: metadata from the head and the article, body text from trafilatura checked against lxml.

Body: trafilatura's main-text extraction, one paragraph a line. When the page has an ``<article>``/``<main>``
container, its ``<p>``-level blocks (minus nav/header/footer/aside/forms) are extracted with lxml as well; if
trafilatura dropped one of those paragraphs, or added a line found nowhere in the container (a "read also"
box, a footer), the lxml paragraphs are used instead. Pages without such a container use trafilatura's lines
that occur in the body outside nav/header/footer/aside, else the body's blocks. The headline is not repeated
at the top of ``raw``; a ``<time>`` dateline is metadata, not body.
"""
from __future__ import annotations

import copy
import logging
import re

import lxml.etree
import lxml.html

from marsad.errors import InputError
from marsad.model import Article
from marsad.read.text import clean_title, squash, unescape_entities

log = logging.getLogger(__name__)

BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript", "template",
                    "button", "select", "iframe", "svg", "figure")
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "pre", "td", "dd")
DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
             "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date")
AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TITLE_TAIL = re.compile(r"\s+[|\-–—]\s+([^|\-–—]{1,60})$")
_NON_WORD = re.compile(r"[\W_]+")


def parse_html(text: str, *, source_file: str, id: str, url: str | None = None) -> Article:
    """One article from an HTML page. InputError only when the page holds no text at all."""
    text = _XML_DECL.sub("", text, count=1)
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise InputError(source_file, f"not HTML with any text ({e})") from None
    meta = _meta(tree)
    title = _title(tree, meta)
    lines = _body(text, tree, source_file)
    if title and lines and _key(lines[0]) == _key(title):
        lines = lines[1:]
    lines = [unescape_entities(line) for line in lines]
    if not lines:
        raise InputError(source_file, "no article text found in the HTML")
    return Article(
        id=id,
        source_file=source_file,
        kind="html",
        title=title,
        published_raw=_published(text, tree, meta),
        source=squash(meta.get("og:site_name")),
        author=_author(meta),
        section=squash(meta.get("article:section")),
        url=url or meta.get("og:url") or _canonical(tree),
        raw="\n".join(lines),
    )


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed or JSON content): one block a line, entities unescaped, no scripts."""
    if "<" not in fragment:
        return unescape_entities(fragment).strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return unescape_entities(fragment).strip()
    _drop(root, ("script", "style", "noscript", "template", "iframe"))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter(*BLOCK_TAGS, "div", "h1", "tr", "section", "article"):
        el.tail = "\n" + (el.tail or "")
        if el.text is not None or len(el):
            el.text = "\n" + (el.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return unescape_entities("\n".join(line for line in lines if line))


# --- metadata --------------------------------------------------------------------------------------------

def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        value = (m.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    return out


def _title(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    for xpath in ("//article//h1", "//*[@itemprop='headline']"):
        for el in tree.xpath(xpath):
            t = clean_title(el.text_content())
            if t:
                return t
    if meta.get("og:title"):
        return clean_title(meta["og:title"])
    titles = tree.xpath("//title")
    if titles:
        t = clean_title(titles[0].text_content())
        if t:
            return _strip_site(t, meta.get("og:site_name"))
    for el in tree.xpath("//h1"):
        t = clean_title(el.text_content())
        if t:
            return t
    return None


def _strip_site(title: str, site: str | None) -> str:
    """Remove a trailing " | site" / " - site" from a <title>."""
    m = _TITLE_TAIL.search(title)
    if not m:
        return title
    head, tail = title[: m.start()].strip(), m.group(1).strip()
    is_site = bool(site) and _key(tail) == _key(site)
    if head and (is_site or (len(tail.split()) <= 4 and len(tail) < len(head))):
        return head
    return title


def _published(text: str, tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    if meta.get("article:published_time"):
        return meta["article:published_time"]
    for xpath in ("//article//time[@datetime]", "//time[@datetime]"):
        for el in tree.xpath(xpath):
            if el.get("datetime", "").strip():
                return el.get("datetime").strip()
    for key in DATE_META[1:]:
        if meta.get(key):
            return meta[key]
    try:
        from htmldate import find_date

        return find_date(text, extensive_search=False, original_date=True)
    except Exception as e:  # htmldate is a best-effort last resort
        log.debug("htmldate failed: %s", e)
        return None


def _author(meta: dict[str, str]) -> str | None:
    for key in AUTHOR_META:
        value = meta.get(key)
        if value and not value.startswith(("http://", "https://")):
            return squash(value)
    return None


def _canonical(tree: lxml.html.HtmlElement) -> str | None:
    for el in tree.xpath("//link[@rel='canonical'][@href]"):
        return el.get("href")
    return None


# --- body ------------------------------------------------------------------------------------------------

def _body(text: str, tree: lxml.html.HtmlElement, source_file: str) -> list[str]:
    container = _container(tree)
    paras = _blocks(container) if container is not None else []
    traf = _trafilatura(text, source_file)
    if paras:
        if not traf:
            log.debug("%s: trafilatura found no text; using the article's paragraphs", source_file)
            return paras
        joined = _key(" ".join(traf))
        missing = [p for p in paras if _key(p) and _key(p) not in joined]
        whole = _key(_text_without_boilerplate(container))
        extra = [t for t in traf if _key(t) and _key(t) not in whole]
        if missing or extra:
            log.debug("%s: trafilatura dropped %d and added %d paragraphs; using the article's paragraphs",
                      source_file, len(missing), len(extra))
            return paras
        return traf
    body = tree.find("body")
    if body is None:
        return traf
    whole = _key(_text_without_boilerplate(body))
    kept = [t for t in traf if _key(t) in whole]
    if len(kept) < len(traf):
        log.debug("%s: dropped %d trafilatura lines found only in nav/header/footer/aside", source_file,
                  len(traf) - len(kept))
    return kept or _blocks(body)


def _trafilatura(text: str, source_file: str) -> list[str]:
    import trafilatura

    try:
        out = trafilatura.extract(text, include_comments=False, include_tables=True, deduplicate=False)
    except Exception as e:  # trafilatura can fail on odd markup; the lxml path still runs
        log.debug("%s: trafilatura failed: %s", source_file, e)
        return []
    return [line for line in (squash(x) for x in (out or "").split("\n")) if line]


def _container(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for xpath in ("//article", "//*[@itemprop='articleBody']", "//main", "//*[@role='main']"):
        for el in tree.xpath(xpath):
            if _blocks(el):
                return el
    return None


def _blocks(el: lxml.html.HtmlElement) -> list[str]:
    """Text of the outermost block elements under ``el``, boilerplate removed; else its lines of text."""
    el = copy.deepcopy(el)
    _drop(el, BOILERPLATE_TAGS + ("h1", "time"))
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    out: list[str] = []
    for b in el.iter(*BLOCK_TAGS):
        if any(a.tag in BLOCK_TAGS for a in b.iterancestors()):
            continue
        for line in b.text_content().split("\n"):
            line = squash(line)
            if line:
                out.append(line)
    if not out:
        out = [s for s in (squash(x) for x in el.text_content().split("\n")) if s]
    return out


def _text_without_boilerplate(el: lxml.html.HtmlElement) -> str:
    """Text of ``el`` without boilerplate or ``<time>`` (a dateline is metadata, not body)."""
    el = copy.deepcopy(el)
    _drop(el, BOILERPLATE_TAGS + ("time",))
    return el.text_content()


def _drop(root: lxml.html.HtmlElement, tags: tuple[str, ...]) -> None:
    for el in list(root.iter(*tags)):
        if el is not root:
            el.drop_tree()


def _key(s: str) -> str:
    """Comparison key: entities unescaped, no punctuation or white space."""
    return _NON_WORD.sub("", unescape_entities(s))

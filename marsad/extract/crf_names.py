"""What a span the statistical tagger typed becomes: the entities stage's `recognize` takes the tagger's spans
through `tagger_name`, which trims what is no part of a name and drops what names nothing.

- Punctuation and a lone clitic open no name; nor does a title or a generic word (a place noun, a direction, a
  nationality, one of the knowledge base's ``not_names``): "القياديان أبو حمزة الفرنسي", "العربية حسين أمير
  عبد اللهيان" keep the name after them.
- A eulogy, a dash opening an aside and the words `marsad.extract.name_shapes.tail_words` finds end a name.
- A particle written with ى (على, إلى) opens none, as one word it is none: it normalizes like علي.
- What is left is none if it is only generic words, the shape of no name (`marsad.extract.name_shapes.no_name`),
  shorter than three letters, a number, a nationality, a title, one of the knowledge base's word lists of
  non-names (``not_names``, ``name_heads``, ``spelled_not_names``) or, after the word before it, one of its
  ``not_names_after`` phrases.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from marsad.arabic import clitic_splits, normalize, normalize_word
from marsad.extract.name_clitics import strip_clitic
from marsad.extract.name_shapes import (LINEAGE, before_eulogy, future_verb, in_phrase, no_name, opens_aside,
                                       tail_words)

if TYPE_CHECKING:
    from marsad.extract.entities import EntityResources

CRF_MIN_CONFIDENCE = 0.5
_PUNCT_TOKEN = re.compile(r"[^\w\s\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_CLITIC_ONLY = frozenset({"و", "ف", "ب", "ل", "ك", "لـ", "بـ", "كـ", "وب", "ول", "فب", "فل"})


def tagger_name(text: str, spans: list[tuple[int, int]], typ: str, conf: float, res: EntityResources,
                words: frozenset[str]) -> tuple[int, int, str] | None:
    """The name in a span the tagger typed ``typ`` with confidence ``conf`` (its tokens' offsets in ``spans``;
    ``words``: the article's normalized words), as (start, end, surface without clitics), or None when it is
    none."""
    if conf < CRF_MIN_CONFIDENCE:
        return None
    while spans and (_PUNCT_TOKEN.fullmatch(text[spans[0][0]:spans[0][1]])
                     or normalize_word(text[spans[0][0]:spans[0][1]]) in _CLITIC_ONLY):
        spans = spans[1:]
    spans = spans[:next((k for k in range(1, len(spans) - 1) if opens_aside(text, spans, k)), len(spans))]
    spans = spans[:before_eulogy([text[a:b] for a, b in spans], res.kb.eulogies)]  # "فهد رحمه الله"
    while spans and _PUNCT_TOKEN.fullmatch(text[spans[-1][0]:spans[-1][1]]):
        spans = spans[:-1]
    if not spans:
        return None
    # "القياديان أبو حمزة الفرنسي", "العربية حسين أمير عبد اللهيان": a title or an adjective opens no name
    while len(spans) > 1 and (is_title_word(text[spans[0][0]:spans[0][1]], res)
                              or _generic_word(normalize_word(text[spans[0][0]:spans[0][1]]), res)):
        spans = spans[1:]
    # nor does a particle written with ى, which normalizes like a name (على: علي); one word left is no name
    # either: "على حسن الجوار", "سوى بؤس". Before بن it is the name mis-spelt: "الدكتور على بن عبدالرحمن"
    if text[spans[0][0]:spans[0][1]] in _MAQSURA_PARTICLES and (
            len(spans) < 2 or normalize_word(text[spans[1][0]:spans[1][1]]) not in LINEAGE):
        if len(spans) < 3:
            return None
        spans = spans[1:]
    cut = tail_words([text[a:b] for a, b in spans], typ, lambda w: any(a.type == "LOC" for a in res.kb.lookup(w)),
                     res.kb.never_last, lambda w: _future_verb(w, res))
    spans = spans[:len(spans) - cut]   # "عبد المجيد السواط سيغيبون", "فيصل بن محمد بالعقيق"
    norms = [normalize_word(text[a:b]) for a, b in spans]
    if all(_generic_word(w, res) or _conjoined(w, res) for w in norms) \
            or no_name([text[a:b] for a, b in spans], typ, res.kb.nationality, res.kb.number_words):
        return None   # "المدينة", "الريف الشمالي الشرقي", "الولايات التركية"; "يغيبان", "مستهلكون"
    start, end = spans[0][0], spans[-1][1]
    first = text[spans[0][0]:spans[0][1]]
    cut, alef = strip_clitic(first, res, words)
    start += cut
    surface = ("ا" if alef else "") + text[start:end]
    key = normalize(surface)
    bare = key[2:] if key.startswith("ال") else key
    if (len(key) < 3 or key in res.kb.not_names or key in res.kb.name_heads or surface in res.kb.spelled_not_names
            or res.kb.nationality(key) or res.kb.title_kind(key)
            or any(c.isdigit() for c in key) or res.kb.nationality(bare)
            or in_phrase(text, start, key, res.kb.not_names_after)):
        return None
    return start, end, surface


_MAQSURA_PARTICLES = frozenset("على وعلى فعلى إلى وإلى الى والى حتى وحتى لدى سوى متى".split())
_DIRECTIONS = frozenset(normalize(w) for w in (
    "الشمالي الجنوبي الشرقي الغربي الشمالية الجنوبية الشرقية الغربية شمالي جنوبي شرقي غربي الأوسط الوسطى "
    "الكبرى الصغرى الكبير الصغير الجديدة الجديد القديمة القديم العليا السفلى الأعلى الأدنى "
    "كبرى صغرى كبير صغير كبيرة صغيرة جديدة جديد قديمة قديم").split())


def is_title_word(word: str, res: EntityResources) -> bool:
    """A title head, also in the dual or plural (القياديان، القياديون) and with clitics (والقيادي)."""
    for _, stem in clitic_splits(normalize(word)):
        forms = [stem] + [stem[:-len(end)] for end in ("ان", "ين", "ون") if stem.endswith(end) and len(stem) > 5]
        if any(res.kb.title_kind(f) for f in forms):
            return True
    return False


def _future_verb(word: str, res: EntityResources) -> bool:
    """`name_shapes.future_verb` with the tagger's SaudiNewsNet vocabulary for common words and its name lists
    (ANERGazet and the knowledge base) for names."""
    if res.tagger is None:
        return False
    feat = res.tagger.featurizer
    return future_verb(word, feat.clusters.__contains__,
                       lambda w: any(f.startswith("nPER") for f in feat.lexicon.get(w, ())) or w in res.given_names)


def _conjoined(norm: str, res: EntityResources) -> bool:
    """One of the knowledge base's ``not_names`` of three letters or more after the conjunction و or ف: "سنة
    وشيعة", "محوري وإيجابي", "ويرى محللون" (not وإب, Ibb: آب, August, is no name either)."""
    return norm[:1] in ("و", "ف") and len(norm) > 3 and norm[1:] in res.kb.not_names


def _generic_word(norm: str, res: EntityResources) -> bool:
    """A word that names no one on its own: a place noun, a direction, a nationality, a plural of them."""
    bare = norm[2:] if norm.startswith("ال") else norm
    return (norm in res.kb.place_cues or bare in res.kb.place_cues or norm in _DIRECTIONS or norm in res.kb.not_names
            or res.kb.nationality(norm) is not None or res.kb.nationality("ال" + bare) is not None
            or bare in ("ولايات", "مدن", "صحراء", "قصر", "قصره", "مناطق", "محافظات", "دول", "عواصم"))



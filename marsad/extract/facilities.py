"""Named facilities and ministries: a head noun from the knowledge base (``facility_heads`` in titles.yaml:
مستشفى، وزارة) and the name written after it are one organisation: "مستشفى الخير", "مستشفى رفيق الحريري
الجامعي", "ومستشفى طرابلس الحكومي", "وزارة الداخلية", "وزارة الخارجية المصرية".

The name is what another source already found right after the head (a known person or place, a tagged
name), else the next word (two for a compound given name: عبد الله، أبو بكر); one of ``facility_adjectives``
(الحكومي، العام) may close it. Nothing is a name when the next word is a function word, a number, a place
noun (مستشفى المدينة) or an indefinite adjective (مستشفى ميداني); the definite head (المستشفى) is no name.
"""
from __future__ import annotations

from collections.abc import Sequence

from marsad.arabic import Token, normalize
from marsad.extract.kb_match import PhraseMatcher, joined
from marsad.kb import KnowledgeBase

COMPOUND_FIRST = frozenset(normalize(w) for w in "عبد أبو أم ابن بن بنت آل ذو".split())
FUNCTION_WORDS = frozenset(normalize(w) for w in (
    "في على عن مع من إلى الى لدى عبر ضد حول بين تجاه داخل خارج قرب و أو ثم التي الذي الذين اللذين اللتين "
    "هذا هذه ذلك تلك كل بعض أي آخر أخرى واحد واحدة").split())


def facility_matcher(kb: KnowledgeBase) -> PhraseMatcher:
    """The knowledge base's facility heads, found with clitics (ومستشفى، بمستشفى) but never with ال."""
    return PhraseMatcher(((head, "facility") for head in kb.facility_heads), "facility")


def _opens_name(norm: str, kb: KnowledgeBase) -> bool:
    """Whether a word no other source knows can be the name after a head: not a function word, number, place
    noun or listed descriptor (مستشفى متخصص); if indefinite, no adjective (ميداني، مرجعياً) and no
    preposition before it (بالعاصمة، لمرضاه)."""
    if (norm in FUNCTION_WORDS or any(c.isdigit() for c in norm) or norm in kb.place_cues
            or norm in kb.facility_not_names):
        return False
    return norm.startswith("ال") or not (norm.endswith(("ي", "يه", "ا")) or norm.startswith(("ب", "ل", "لل")))


def _name_end(toks: Sequence[Token], text: str, i: int, kb: KnowledgeBase) -> int:
    """The token after a name no other source knows, starting at ``i``: one word; two for a compound given
    name (عبد الله) or a definite word and its adjective (القوات المسلحة); a title and the name after it
    (الملك فهد، الملك عبد العزيز)."""
    def next_joined(k: int) -> bool:
        return k < len(toks) and joined(text[toks[k - 1].end:toks[k].start])

    k = i + 1
    if kb.title_kind(toks[i].norm) and next_joined(k):
        i, k = k, k + 1
    if toks[i].norm in COMPOUND_FIRST and next_joined(k):
        k += 1
    elif (toks[i].norm.startswith("ال") and next_joined(k) and toks[k].norm.startswith("ال")
          and toks[k].norm.endswith(("ي", "يه", "ه")) and toks[k].norm not in kb.facility_adjectives
          and toks[k].norm not in FUNCTION_WORDS):  # "وزارة الداخلية التي", "إلى" (normalized الي)
        k += 1
    return k


def facility_spans(text: str, toks: Sequence[Token], names: Sequence[tuple[int, int]], heads: PhraseMatcher,
                   kb: KnowledgeBase) -> list[tuple[int, int, str]]:
    """(start, end, rule) of each named facility; ``names`` are the spans other sources found."""
    found = heads.find(text, toks)
    if not found:
        return []
    index = {t.end: i for i, t in enumerate(toks)}
    name_end = dict(names)
    out = []
    for m in found:
        i = index[m.end] + 1
        if i >= len(toks) or not joined(text[toks[i - 1].end:toks[i].start]):
            continue
        first = toks[i]
        if first.start in name_end:
            end = name_end[first.start]
            k = next((j + 1 for j in range(i, len(toks)) if toks[j].end >= end), len(toks))
        elif _opens_name(first.norm, kb):
            k = _name_end(toks, text, i, kb)
            end = toks[k - 1].end
        else:
            continue
        if k < len(toks) and toks[k].norm in kb.facility_adjectives and joined(text[toks[k - 1].end:toks[k].start]):
            end = toks[k].end
        out.append((m.start, end, "facility:" + " ".join(m.key)))
    return out

"""Where a name the tagger found begins: the letters of its first word that are clitics, not the name.

وال/بال/لل before a name are clitics (والأسد، بالقامشلي، للتحالف); a bare و ف ب ل ك, or فال/كال, only when what
follows is a name itself: وعامر is و + عامر, while فاليري is a name. A given name whose first letter could be a
clitic keeps it when the whole word is a name too, but for و: كريم is not ك + ريم, فيصل not ف + يصل, بروسيا
(دورتموند) not ب + روسيا; وأين stays و + أين (the gazetteer's واين, Wayne, would keep it whole).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from marsad.arabic import normalize
from marsad.extract.ner_features import TRIGGERS

if TYPE_CHECKING:
    from marsad.extract.entities import EntityResources


def strip_clitic(word: str, res: EntityResources, words: frozenset[str] = frozenset()) -> tuple[int, bool]:
    """How many leading letters of a tagged word are clitics, and whether an article alef must be restored.

    وال/بال/لل before a name are clitics; فال/كال and a bare و ف ب ل ك only when what follows is itself a
    name (in the knowledge base or the tagger's gazetteer, a kunya أبو/أم, or written alone in the text) and,
    for ف ب ل ك, the whole word is none (the module's docstring has examples).
    """
    norm = normalize(word)
    for prefix in ("وبال", "وال", "بال"):
        if norm.startswith(prefix) and len(norm) > len(prefix) + 1:
            return len(prefix) - 2, False
    for prefix in ("ولل", "فلل", "لل"):
        if norm.startswith(prefix) and len(norm) > len(prefix) + 1:
            return len(prefix) - 1, True
    whole_name = known_name(norm, res)
    for prefix in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب"):  # shortest first: ولبنان = و + لبنان
        rest = norm[len(prefix):]
        if word[len(prefix):len(prefix) + 1] in _NO_WORD_START:  # فؤاد: no Arabic word begins with ؤ
            continue
        if norm.startswith(prefix) and len(rest) >= 3 and not (whole_name and prefix[0] != "و") \
                and _known_word(rest, res, words):
            return len(prefix), False
    return 0, False


_NO_WORD_START = frozenset("ؤئءةىـ\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")


def known_name(norm: str, res: EntityResources) -> bool:
    """A given name, or a name of the knowledge base or of the tagger's gazetteer."""
    return norm in res.given_names or bool(res.kb.lookup(norm)) \
        or (res.tagger is not None and norm in res.tagger.featurizer.gazetteer)


def _known_word(norm: str, res: EntityResources, words: frozenset[str]) -> bool:
    """A name the knowledge base or the gazetteer knows (a person's given name too), an organisation head, a
    kunya, or a word the article writes on its own (``words``: the normalized tokens of the text)."""
    return norm in ("ابو", "ام") or norm in words or norm in TRIGGERS["ORGHEAD"] or known_name(norm, res)

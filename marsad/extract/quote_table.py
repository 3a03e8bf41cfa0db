"""The speech table of the quotes stage: ``marsad/kb/speech.yaml`` compiled (speech verbs, participles, statement
verbs, attribution phrases, noun-phrase stops, title words and name introducers)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from marsad.arabic import normalize
from marsad.errors import KnowledgeBaseError
from marsad.extract.references import trie_pattern

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "kb" / "speech.yaml"
TITLES_PATH = DEFAULT_PATH.with_name("titles.yaml")
VERB, PARTICIPLE, SOURCE, STATEMENT, RELAY = "verb", "participle", "source", "statement", "relay"
_KINDS = {"verbs": VERB, "participles": PARTICIPLE, "statement_verbs": STATEMENT}
_OPTIONAL_KINDS = {"relay_verbs": RELAY}


@dataclass(frozen=True)
class SpeechTable:
    """The compiled contents of speech.yaml: normalized cue word -> kind."""

    cues: Mapping[str, str]
    prefixes: tuple[str, ...]
    cue_regex: re.Pattern[str]  # every cue form, with or without a prefix; group 1 the prefix
    sources: re.Pattern[str]
    source_words: tuple[str, ...]  # the first word of each attribution phrase: a text without one has none
    np_stops: frozenset[str]
    not_before: frozenset[str]
    max_np_words: int
    name_intro: frozenset[str] = frozenset()  # ويدعى، المدعو: a name follows
    relatives: frozenset[str] = frozenset()  # الذي، التي: a cue right after one is in a relative clause
    complementizers: frozenset[str] = frozenset()  # أن، إن: a reported clause opens
    object_prepositions: frozenset[str] = frozenset()  # على، عن: an object, no subject, follows
    prepositions: frozenset[str] = frozenset()  # the prepositions of an addressee or a place
    pre_verb: frozenset[str] = frozenset()  # قد، سرعان ما: between a subject and its verb
    quantifiers: frozenset[str] = frozenset()  # عدد من، بعض: a described group follows
    title_words: frozenset[str] = frozenset()  # every word of a title in titles.yaml (رئيس، الناطق، باسم…)
    title_heads: frozenset[str] = frozenset()  # their first words (رئيس، الناطق، وزير…)

    def cue(self, word: str) -> tuple[str, bool] | None:
        """(kind, prefixed) of a normalized word, or None."""
        if word in self.cues:
            return self.cues[word], False
        if len(word) > 3 and word[0] in self.prefixes and word[1:] in self.cues:
            return self.cues[word[1:]], True
        return None


CLASSES = ("relatives", "complementizers", "object_prepositions", "prepositions", "pre_verb", "quantifiers")
"""The word classes of speech.yaml the speaker rules read (`SpeechTable` fields of the same names)."""


def _fail(path: Path | str, problem: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{path}: {problem}")


def _words(path: Path | str, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, f"{where} must be a list of words")
    return [" ".join(normalize(v).split()) for v in value]


@functools.cache
def load_speech_table(path: str | Path | None = None) -> SpeechTable:
    """Load and validate speech.yaml (the packaged one by default), once per path."""
    p = Path(path) if path else DEFAULT_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise _fail(p, f"cannot read the speech table ({e})") from e
    except yaml.YAMLError as e:
        raise _fail(p, f"not valid YAML ({e})") from e
    if not isinstance(data, dict):
        raise _fail(p, "must be a mapping with verbs, participles, sources, statement_verbs, np_stops")
    cues: dict[str, str] = {}
    for key, kind in (_KINDS | _OPTIONAL_KINDS).items():
        group = data.get(key, {} if key in _OPTIONAL_KINDS else None)
        if key in _OPTIONAL_KINDS and group == {}:
            continue
        if not isinstance(group, dict) or not group:
            raise _fail(p, f"'{key}' must map each lemma to a list of its other forms")
        for lemma, forms in group.items():
            for w in _words(p, f"{key}.{lemma}", [str(lemma)] + list(forms or [])):
                cues.setdefault(w, kind)
    sources = sorted(_words(p, "sources", data.get("sources")), key=len, reverse=True)
    if not sources:
        raise _fail(p, "'sources' must list attribution phrases")
    alts = [r"\s*".join(map(re.escape, s.split())) + ("" if len(s.split()[-1]) == 1 else r"(?!\w)") for s in sources]
    max_np = data.get("max_np_words", 5)
    if not isinstance(max_np, int) or max_np < 1:
        raise _fail(p, "max_np_words must be a positive integer")
    prefixes = tuple(_words(p, "prefixes", data.get("prefixes", ["و", "ف"])))
    cue_regex = re.compile(rf"(?<![^\W_])([{''.join(prefixes)}]?)({trie_pattern(sorted(cues))})(?![^\W_])")
    return SpeechTable(cues=MappingProxyType(cues), prefixes=prefixes, cue_regex=cue_regex,
                       sources=re.compile(r"(?<![^\W_])[وف]?(?:" + "|".join(alts) + ")"),
                       source_words=tuple(sorted({s.split()[0] for s in sources})),
                       np_stops=frozenset(_words(p, "np_stops", data.get("np_stops"))),
                       not_before=frozenset(_words(p, "not_before", data.get("not_before", []))),
                       max_np_words=max_np,
                       name_intro=frozenset(_words(p, "name_intro", data.get("name_intro", []))),
                       **{f: frozenset(_words(p, f, data.get(f, []))) for f in CLASSES},
                       title_words=_title_words(False), title_heads=_title_words(True))


@functools.cache
def _title_words(heads: bool) -> frozenset[str]:
    """The words (or first words) of the titles of titles.yaml (empty when it cannot be read: titles only help)."""
    try:
        doc = yaml.safe_load(TITLES_PATH.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return frozenset()
    groups = doc.get("titles") or {}
    return frozenset(w for group in groups.values() for t in group or [] if isinstance(t, str)
                     for w in normalize(t).split()[:1 if heads else None] if len(w) > 1)

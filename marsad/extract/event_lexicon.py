"""The event trigger lexicon (``marsad/kb/events.yaml``) and the trigger matcher.

``find_triggers`` finds lexicon entries in the tokens: inflected verbs with the clitics و ف (and the future
prefix س), event nouns with their clitics, accusative ending and possessive suffix, multi-word phrases.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from itertools import compress, count
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

from marsad.arabic import Token, normalize
from marsad.errors import KnowledgeBaseError
from marsad.extract import event_actors as ea

LEXICON_FILE = Path(__file__).resolve().parents[1] / "kb" / "events.yaml"
COMPILED_FILE = Path(__file__).resolve().parents[1] / "kb" / "events_compiled.json"
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
VERB_PREFIXES = frozenset({"", "و", "ف"})
# after one of these words a verb form is its verbal noun: "عن دعم أصدقائنا", "في قصف المدينة", "بعد قتل"
# (not من, which is also 'who': "من قتل"; not منذ, which takes a verb: "منذ بدأت الأزمة")
NOUN_GOVERNORS = frozenset(normalize(w) for w in
                           "في على عن إلى مع ضد لدى حول خلال عبر تجاه بعد قبل عند دون بدون بسبب جراء إثر".split())


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    mode: str | None
    cameo: str | None
    preps: frozenset[str]
    requires_prep: bool
    source: str
    genitive: str = "agent"                  # the noun's genitive is its agent (قصف النظام) or object (اعتقال X)
    no_place_target: bool = False            # a place cannot be the target (قتل: people are killed)
    blockers: frozenset[str] = frozenset()   # a word right after the trigger that cancels it (يهدد أمن)


@dataclass(frozen=True)
class Reading:
    """One way a word form triggers an entry: verb (past/present) or noun, and the words that must follow."""

    entry: Entry
    kind: str        # verb | noun
    tense: str       # past | present | noun
    rest: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Topic:
    """Words that mark an article as out of scope (sports), and how many different ones it takes. ``forms`` maps
    each written form (with و ف ب ل ك and ال) to its word."""

    forms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    min_words: int = 0

    def holds(self, norms: Iterable[str]) -> bool:
        """Whether ``norms`` (normalized tokens) use at least ``min_words`` different words of the topic.

        >>> t = Topic.of(["المباراة", "الدوري", "لاعب"], 3)
        >>> t.holds(["وفي", "مباراه", "الدوري", "فاز", "اللاعب"]), t.holds(["الدوري", "الدوري", "لاعب"])
        (True, False)
        """
        if not self.forms:
            return False
        return len({self.forms[n] for n in set(norms).intersection(self.forms)}) >= self.min_words

    @classmethod
    def of(cls, words: Iterable[str], min_words: int) -> "Topic":
        bare = {_bare(normalize(w)) for w in words}
        forms = {p + a + w: w for w in bare for a in ("", "ال") for p in ea.PREFIXES if not (a and p.endswith("ال"))}
        forms.update({p + "ل" + w: w for w in bare for p in ("", "و", "ف")})   # للمنتخب = ل + المنتخب
        return cls(MappingProxyType(forms), min_words)


def _bare(w: str) -> str:
    """A normalized word without ال: "المباراه" -> "مباراه"."""
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once, used as a cache key
class Lexicon:
    entries: tuple[Entry, ...]
    forms: Mapping[str, tuple[Reading, ...]]
    path: str
    surface: frozenset[str] = frozenset()   # every written form with a reading (clitics, future prefix)
    sports: Topic = field(default_factory=Topic)   # an article on this topic gives no events


@functools.lru_cache(maxsize=100_000)
def _word_hits(lexicon: Lexicon, norm: str) -> tuple[tuple[str, str, Reading], ...]:
    """The lexicon readings of a normalized word under its clitic and future-prefix readings."""
    readings = (*ea.readings(norm), *_future(norm))
    return tuple((prefix, stem, r) for prefix, stem in readings for r in lexicon.forms.get(stem, ()))


@dataclass(frozen=True)
class Trigger:
    reading: Reading
    i: int           # first token
    j: int           # one past the last token
    prefix: str      # clitics on the first token
    future: bool


# --- the lexicon ------------------------------------------------------------------------------------------

def _past_forms(p: str) -> list[str]:
    if p.endswith("ي"):
        b = p[:-1]
        return [p, b + "ت", b + "يا", b + "تا", b + "وا"]
    return [p, p + "ت", p + "ا", p + "تا", p + "وا"]


def _present_forms(p: str) -> list[str]:
    t = "ت" + p[1:] if p.startswith("ي") else p
    if p.endswith("ي") or p.endswith("و"):   # defective: يلتقي, jussive يلتق
        return [p, t, p + "ان", t + "ان", p[:-1] + "ون", p[:-1], t[:-1]]
    return [p, t, p + "ان", t + "ان", p + "ون"]


def _noun_forms(n: str) -> list[tuple[str, str]]:
    """(form, tense): the noun, its accusative, and with possessive suffixes ("poss": لقائه)."""
    out = [n, n + "ا"]
    base = n[:-1] + "ت" if n.endswith("ه") else n
    if n.endswith("اء"):
        out.append(n[:-1] + "ي")
        base = n[:-1] + "ي"
    poss = [base + suffix for suffix in ("ه", "ها", "هم", "هما")]
    return [(f, "noun") for f in out] + [(f, "poss") for f in poss if f not in out]


def _fail(path, entry, problem):
    raise KnowledgeBaseError(f"{path}: entry {entry!r}: {problem}")


def _build(data, path: str, source: str) -> tuple[list[Entry], dict[str, list[Reading]]]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise KnowledgeBaseError(f"{path}: expected a mapping with a list 'entries'")
    entries, forms, seen = [], {}, set()
    for k, raw in enumerate(data["entries"]):
        name = raw.get("id", f"#{k + 1}") if isinstance(raw, dict) else f"#{k + 1}"
        if not isinstance(raw, dict) or not raw.get("id"):
            _fail(path, name, "an entry needs a mapping with an 'id'")
        if name in seen:
            _fail(path, name, "duplicate id")
        seen.add(name)
        if raw.get("type") not in PLOVER:
            _fail(path, name, f"type {raw.get('type')!r} is not a PLOVER type")
        if raw.get("cameo") is not None and not re.fullmatch(r"\d{2,4}", str(raw["cameo"])):
            _fail(path, name, f"cameo {raw.get('cameo')!r} is not a CAMEO code")
        for key in ("verbs", "forms", "nouns", "preps", "blockers"):
            if not isinstance(raw.get(key, []), list) or not all(isinstance(x, str) for x in raw.get(key, [])):
                _fail(path, name, f"{key!r} must be a list of strings")
        if not (raw.get("verbs") or raw.get("nouns") or raw.get("forms")):
            _fail(path, name, "no verbs, forms or nouns")
        e = Entry(name, raw["type"], raw.get("mode"), str(raw["cameo"]) if raw.get("cameo") else None,
                  frozenset(normalize(p) for p in raw.get("preps", [""])), bool(raw.get("requires_prep")),
                  raw.get("source", source), raw.get("genitive", "agent"), bool(raw.get("no_place_target")),
                  frozenset(_loose(normalize(w)) for w in raw.get("blockers", [])))
        if e.genitive not in ("agent", "object"):
            _fail(path, name, f"genitive {e.genitive!r} must be agent or object")
        entries.append(e)

        def add(form: str, kind: str, tense: str, rest: tuple[str, ...]):
            forms.setdefault(form, []).append(Reading(e, kind, tense, rest))
        for v in raw.get("verbs", []):
            if v.count("|") != 1:
                _fail(path, name, f"verb {v!r} must be written PAST|PRESENT")
            past, present = (normalize(x).split() for x in v.split("|"))
            if not past or not present:
                _fail(path, name, f"verb {v!r} has an empty side")
            particles = {"عن", "علي", "من", "مع", "الي"}   # a verb's particle follows its subject: not adjacent
            for f in _past_forms(past[0]):
                add(f, "verb", "past", tuple(w for w in past[1:] if w not in particles))
            for f in _present_forms(present[0]):
                add(f, "verb", "present", tuple(w for w in present[1:] if w not in particles))
        for f in raw.get("forms", []):
            w = normalize(f).split()
            add(w[0], "verb", "present" if w[0][0] in "يت" else "past", tuple(w[1:]))
        for n in raw.get("nouns", []):
            w = normalize(n).split()
            for f, tense in _noun_forms(w[0]):
                add(f, "noun", tense, tuple(w[1:]))
    return entries, forms


@functools.cache
def load_lexicon(path: str | Path | None = None, include_generated: bool = False) -> Lexicon:
    """The trigger lexicon, loaded once. Malformed data raises KnowledgeBaseError naming file, entry, problem."""
    import yaml
    path = Path(path) if path else LEXICON_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise KnowledgeBaseError(f"{path}: cannot read the event lexicon: {err}") from err
    entries, forms = _build(data, str(path), "curated")
    if include_generated and COMPILED_FILE.exists():
        import json
        more, more_forms = _build(json.loads(COMPILED_FILE.read_text(encoding="utf-8")), str(COMPILED_FILE),
                                  "universalpetrarch")
        entries += more
        for f, rs in more_forms.items():
            forms.setdefault(f, []).extend(rs)
    return Lexicon(tuple(entries), MappingProxyType({f: tuple(rs) for f, rs in forms.items()}), str(path),
                   _surface(forms), _topic(data.get("sports"), path))


def _topic(raw, path) -> Topic:
    if raw is None:
        return Topic()
    if not isinstance(raw, dict) or not isinstance(raw.get("min_words"), int) or raw["min_words"] < 1 or \
            not isinstance(raw.get("words"), list) or not all(isinstance(w, str) and w for w in raw["words"]):
        raise KnowledgeBaseError(f"{path}: 'sports' needs 'min_words' (a number from 1) and 'words' (a list of "
                                 f"words)")
    return Topic.of(raw["words"], raw["min_words"])


def _surface(forms: Mapping[str, object]) -> frozenset[str]:
    """The written forms of the lexicon's words: a token not among them has no reading (a fast filter)."""
    out = {p + f for f in forms for p in ea.PREFIXES}
    out |= {p + f for f in forms if f[:1] in "يت" for p in ("س", "وس", "فس")}
    return frozenset(out)


# --- matching ---------------------------------------------------------------------------------------------

def _loose(w: str) -> str:
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    if w.endswith("ا") and len(w) > 3:
        w = w[:-1]
    return w[:-1] if w.endswith("ه") else w


_HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"


def find_triggers(toks: list[Token], lexicon: Lexicon, at: Iterable[int] | None = None) -> list[Trigger]:
    """Every lexicon reading at every token (a token may have several: قصف is a verb and a noun). ``at``: the
    only tokens to look at, when the caller has filtered them (a superset of those with a reading)."""
    out = []
    surface = lexicon.surface
    if at is None:
        at = compress(count(), map(surface.__contains__, [tk.norm for tk in toks]))
    for i in at:
        if toks[i].norm not in surface:
            continue
        taa = toks[i].text.rstrip(_HARAKAT).endswith("ة")   # أسرة is a family: ة is no pronoun ه (أسره)
        for prefix, stem, r in _word_hits(lexicon, toks[i].norm):
            if taa and r.tense == "poss" or prefix and _doubled(toks[i].text, prefix):
                continue
            future = prefix.endswith("س")
            if r.kind == "verb" and (prefix.rstrip("س") not in VERB_PREFIXES or future and r.tense != "present"
                                     or not prefix and _after_governor(toks, i)):
                continue
            j = i + 1
            for w in r.rest:
                if j < len(toks) and _loose(toks[j].norm) == _loose(w):
                    j += 1
                else:
                    break
            else:
                if j < len(toks) and r.entry.blockers and _loose(toks[j].norm) in r.entry.blockers:
                    continue
                out.append(Trigger(r, i, j, prefix, future))
    return out


def _doubled(text: str, prefix: str) -> bool:
    """Whether the letter after a clitic prefix carries a shadda: no word begins with a doubled letter, so the
    prefix is part of the word ("ودّعت", 'bade farewell', is no و + دعت, 'called'). After ال a sun letter is
    doubled by assimilation (والشّعب), so that prefix is not read.

    >>> _doubled("ودّعت", "و"), _doubled("ودعت", "و"), _doubled("والشّعب", "وال")
    (True, False, False)
    """
    if prefix.endswith(("ال", "لل")):
        return False
    letters = [k for k, c in enumerate(text) if c not in _HARAKAT and c != "\u0640"]
    n = len(prefix)
    if n >= len(letters):
        return False
    end = letters[n + 1] if n + 1 < len(letters) else len(text)
    return "\u0651" in text[letters[n]:end]


def _after_governor(toks: list[Token], i: int) -> bool:
    """toks[i] follows a preposition with nothing but a space between them."""
    return i > 0 and toks[i - 1].norm in NOUN_GOVERNORS and toks[i].start - toks[i - 1].end <= 1


def _future(norm: str) -> list[tuple[str, str]]:
    for p in ("وس", "فس", "س"):
        if norm.startswith(p) and len(norm) > len(p) + 2 and norm[len(p)] in "يت":
            return [(p, norm[len(p):])]
    return []

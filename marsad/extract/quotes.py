"""Quotes stage: direct quotations in “…”, «…» or "…" and who said them (``marsad/kb/speech.yaml``).

``extract_quotes(article, table)`` returns the article with its `Quote`s; ``span`` covers the quoted words only
(not the marks) and ``rule`` names the rule that found the speaker. Matching (`find_quotes`) works on the
normalized text (`references.fold`) and maps offsets back into ``article.text``.

What is a quotation (GOLD.md): a span in balanced marks of three words or more, attributed to a speaker.
- Marks pair within one paragraph (a line); «» and “” nest, "…" closes at the next ". An opening mark left open at
  the end of the paragraph gives no quotation (unbalanced or missing closing marks are dropped, never guessed).
- Names and titles in marks are not quotations: a span an entity mention covers, one after a title word
  (بعنوان، حزب، قناة… `not_before`), and a short one (≤ 4 words) standing as the subject of a speech verb
  (أعلنت «لجنة المتابعة» التابعة… / "دولت باهجة لي" قال).
- The speaker is found from the last speech cue between the clause start and the opening mark (or a cue right
  after the closing mark: «…»، بحسب X):
  ``subject-entity``  the first PER (else ORG; LOC only right after the verb) mention after the verb, up to the
                      next أن/إن/colon/quotation/cue, skipping addressees (لـX، عن X);
  ``subject-before``  "X قال": for a verb without و/ف, the last PER/ORG mention before it in the clause;
  ``described``       no entity there: the noun phrase after the verb up to a stop word (الجانب الأمريكي);
  ``quoted-name``     the subject written in marks: أعلنت «لجنة المتابعة والإشراف العليا»;
  ``pro-drop:*``      no subject ("وتابعت:", "قائلاً:"): an earlier cue's subject in the same sentence
                      (``same-sentence``), else the first PER/ORG of the sentence (``sentence-actor``), else the
                      speaker of the previous quotation or speech verb (``previous``);
  ``continuation``    «…» و«…»: the previous quotation's speaker; ``colon-clause``: "X …: «…»" with no verb.
  A quotation with no speaker is dropped.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from marsad.arabic import normalize
from marsad.errors import KnowledgeBaseError
from marsad.extract.references import Folded, fold, trie_pattern
from marsad.model import Article, Entity, Quote, Speaker

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "kb" / "speech.yaml"
VERB, PARTICIPLE, SOURCE, STATEMENT = "verb", "participle", "source", "statement"
MAX_GAP, MAX_GAP_SHORT = 30, 16  # words between the speech cue and the opening mark (quotations of ≤ 5 words)
_KINDS = {"verbs": VERB, "participles": PARTICIPLE, "statement_verbs": STATEMENT}
_WORD = re.compile(r"[^\W\d_]+|\d+")
_LAST_WORD = re.compile(r"([^\W\d_]+|\d+)[^\w]*$")
_MARKS = re.compile("[«»“”\"]")
_SENT_END = re.compile(r"[.!?؟]+(?=\s)|\n")
_COMPLEMENTIZERS = frozenset(normalize(w) for w in "أن إن أنه إنه أنها إنها بأن بأنه لأن أنهم إنهم".split())
_OBJECT_PREPS = frozenset(normalize(w) for w in "على عن إلى الى مع ضد حول بشأن تجاه".split())
_PREPOSITIONS = frozenset(normalize(w) for w in "عن مع من إلى الى في على لدى عبر ضد".split())


@dataclass(frozen=True)
class SpeechTable:
    """The compiled contents of speech.yaml: normalized cue word -> kind."""

    cues: Mapping[str, str]
    prefixes: tuple[str, ...]
    cue_regex: re.Pattern[str]  # every cue form, with or without a prefix; group 1 the prefix
    sources: re.Pattern[str]
    np_stops: frozenset[str]
    not_before: frozenset[str]
    max_np_words: int

    def cue(self, word: str) -> tuple[str, bool] | None:
        """(kind, prefixed) of a normalized word, or None."""
        if word in self.cues:
            return self.cues[word], False
        if len(word) > 3 and word[0] in self.prefixes and word[1:] in self.cues:
            return self.cues[word[1:]], True
        return None


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
    for key, kind in _KINDS.items():
        group = data.get(key)
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
                       np_stops=frozenset(_words(p, "np_stops", data.get("np_stops"))),
                       not_before=frozenset(_words(p, "not_before", data.get("not_before", []))),
                       max_np_words=max_np)


# --- matching -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cue:
    start: int  # normalized offsets
    end: int
    kind: str
    prefixed: bool


@dataclass(frozen=True)
class Mention:
    start: int  # normalized offsets
    end: int
    entity: Entity


@dataclass(frozen=True)
class QuoteMatch:
    start: int  # offsets of the quoted words in the text
    end: int
    speaker: Speaker
    rule: str


def quoted_spans(norm: str) -> list[tuple[int, int]]:
    """(open mark, close mark) offsets of the top-level quotations of each paragraph."""
    out = []
    opened: tuple[str, int] | None = None
    depth = 0
    for m in _MARKS.finditer(norm):
        c, i = m.group(), m.start()
        if opened is not None and "\n" in norm[opened[1]:i]:
            opened, depth = None, 0  # unbalanced: the paragraph ended first
        if opened is None:
            if c in "«“\"":
                opened, depth = (c, i), 1
            continue
        kind = opened[0]
        if c == kind and kind != '"':
            depth += 1
        elif (kind, c) in (("«", "»"), ("“", "”"), ('"', '"')):
            depth -= 1
            if depth == 0:
                out.append((opened[1], i))
                opened = None
    return out


class _Doc:
    """One article's normalized text, quotations, cues and mentions, and the speaker rules over them."""

    def __init__(self, f: Folded, entities: list[Entity], table: SpeechTable):
        self.f, self.norm, self.table = f, f.norm, table
        self.spans = quoted_spans(self.norm)
        inside = self._inside
        self.cues: list[Cue] = [Cue(m.start(), m.end(), table.cues[m.group(2)], bool(m.group(1)))
                                for m in table.cue_regex.finditer(self.norm) if not inside(m.start())]
        for m in table.sources.finditer(self.norm):
            if not inside(m.start()):
                self.cues.append(Cue(m.start(), m.end(), SOURCE, False))
        self.cues.sort(key=lambda c: c.start)
        self.cue_starts = [c.start for c in self.cues]
        self.mentions = sorted((Mention(f.to_norm(s), f.to_norm(e), ent) for ent in entities
                                if ent.type in ("PER", "ORG", "LOC") for s, e in ent.mentions),
                               key=lambda m: m.start)
        self.ends = [m.end() for m in _SENT_END.finditer(self.norm) if not inside(m.start())]
        self.names = {s for s in self.spans if self._is_name(*s)}
        self.subjects: dict[int, tuple[Speaker, str] | None] = {}

    def _inside(self, i: int) -> bool:
        k = bisect.bisect_right(self.spans, (i, len(self.norm))) - 1
        return k >= 0 and self.spans[k][0] < i < self.spans[k][1]

    def _word_after(self, i: int) -> re.Match[str] | None:
        return _WORD.search(self.norm, i)

    def _word_before(self, i: int) -> re.Match[str] | None:
        m = _LAST_WORD.search(self.norm, max(0, i - 60), i)
        return _WORD.match(self.norm, m.start(1)) if m else None

    def _words(self, start: int, end: int) -> list[re.Match[str]]:
        return list(_WORD.finditer(self.norm, start, end))

    def _is_name(self, o: int, c: int) -> bool:
        inner = self.norm[o + 1:c].strip()
        n = len(_WORD.findall(inner))
        if any(m.start <= o + 1 + (len(self.norm[o + 1:c]) - len(self.norm[o + 1:c].lstrip()))
               and m.end >= c - (len(self.norm[o + 1:c]) - len(self.norm[o + 1:c].rstrip()))
               for m in self.mentions if m.start < c and m.end > o):
            return True
        before, after = self._word_before(o), self._word_after(c + 1)
        if before is not None and not self.norm[before.end():o].strip():
            two = self._word_before(before.start())
            if before.group() in self.table.not_before or (two is not None and two.group() in self.table.not_before):
                return True
        if n > 4:
            return False
        gap_after = self.norm[c + 1:after.start()] if after else "."
        if after is not None and not gap_after.strip() and self.table.cue(after.group()):
            return True  # "دولت باهجة لي" قال
        return bool(before is not None and not self.norm[before.end():o].strip() and self.table.cue(before.group())
                    and after is not None and not gap_after.strip())

    def sentence_start(self, i: int) -> int:
        k = bisect.bisect_right(self.ends, i) - 1
        return self.ends[k] if k >= 0 else 0

    def sentence_end(self, i: int) -> int:
        k = bisect.bisect_right(self.ends, i)
        return self.ends[k] if k < len(self.ends) else len(self.norm)

    def _addressee(self, m: Mention) -> bool:
        head = self.norm[max(0, m.start - 3):m.start].replace("«", "").replace('"', "").replace("“", "")
        if head.endswith(("ل", "ب")) and (len(head) < 2 or not head[-2].isalpha()):
            return True
        w = self._word_before(m.start)
        return bool(w and w.group() in _PREPOSITIONS and not self.norm[w.end():m.start].strip("«“\" "))

    def _pick(self, start: int, end: int, last: bool = False) -> Mention | None:
        cands = [m for m in self.mentions if start <= m.start and m.end <= end and not self._inside(m.start)
                 and not self._addressee(m)]
        if last:
            cands.reverse()
        for types in (("PER",), ("ORG",)):
            for m in cands:
                if m.entity.type in types:
                    return m
        return None

    def _window_end(self, cue: Cue) -> int:
        """Where the subject of a cue may end: أن/إن, colon, a quotation, another cue, sentence end, 12 words."""
        limit = min(self.sentence_end(cue.end), cue.end + 160)
        k = bisect.bisect_right(self.cue_starts, cue.start)
        if k < len(self.cues):
            limit = min(limit, self.cues[k].start)
        for s in self.spans:
            if cue.end <= s[0] < limit and s not in self.names:
                limit = s[0]
        colon = self.norm.find(":", cue.end, limit)
        limit = colon if colon >= 0 else limit
        count = 0
        for w in self._words(cue.end, limit):
            count += 1
            if w.group() in _COMPLEMENTIZERS or w.group() in _OBJECT_PREPS or count > 12:
                return w.start()
        return limit

    def subject(self, cue: Cue) -> tuple[Speaker, str] | None:
        """The explicit subject of a cue (entity or described), or None when it has none (pro-drop)."""
        if cue.start in self.subjects:
            return self.subjects[cue.start]
        out = None
        if cue.kind != PARTICIPLE:
            end = self._window_end(cue)
            first = self._word_after(cue.end)
            m = None
            if first is not None and first.start() < end:  # the word right after the verb (or its quoted name)
                m = next((x for x in self.mentions if x.start == first.start() and not self._addressee(x)), None)
            m = m or self._pick(cue.end, end)
            if m is not None:
                out = (Speaker(m.entity.text, m.entity.id), "subject-entity")
            elif not cue.prefixed and cue.kind != SOURCE and (b := self._pick(self._clause_start(cue.start),
                                                                               cue.start, last=True)):
                out = (Speaker(b.entity.text, b.entity.id), "subject-before")
            else:
                out = self._described(cue.end, end)
                if out is None and not cue.prefixed and cue.kind != SOURCE:
                    out = self._described_before(cue.start)
        self.subjects[cue.start] = out
        return out

    def _clause_start(self, i: int) -> int:
        s = self.sentence_start(i)
        comma = max(self.norm.rfind("،", s, i), self.norm.rfind(",", s, i))
        return max(s, self.norm.rfind("،", s, comma) if comma > s else s)

    def _described(self, start: int, end: int) -> tuple[Speaker, str] | None:
        gap = self.norm[start:end].lstrip()
        lead = len(self.norm[start:end]) - len(gap)
        if gap[:1] in "«“\"":
            s = next((s for s in self.spans if s[0] == start + lead), None)
            if s in self.names:
                return Speaker(self.f.text[slice(*self.f.span(s[0] + 1, s[1]))].strip()), "quoted-name"
        words = []
        pos = start
        for w in self._words(start, end + 1):
            between = self.norm[pos:w.start()]
            if w.start() >= end or (words and any(ch in between for ch in "،,:؛.()")) or w.group()[0].isdigit():
                break
            t = w.group()
            if t in self.table.np_stops or self.table.cue(t) or t.startswith(("لل", "بال")) or len(t) < 2 or \
                    len(words) >= self.table.max_np_words or (words and not self._np_ok([words[0].group(), t])):
                break
            words.append(w)
            pos = w.end()
        if not words:
            return None
        s, e = self.f.span(words[0].start(), words[-1].end())
        return Speaker(self.f.text[s:e]), "described"

    def _described_before(self, i: int) -> tuple[Speaker, str] | None:
        """"مصدر عسكري قال": the noun phrase right before a verb, back to a stop word or punctuation."""
        words: list[re.Match[str]] = []
        pos = i
        for w in reversed(self._words(max(0, i - 80), i)):
            if self.norm[w.end():pos].strip() or w.group() in self.table.np_stops or self.table.cue(w.group()) \
                    or len(words) >= 3:
                break
            words.insert(0, w)
            pos = w.start()
        if not words or not self._np_ok([w.group() for w in words]):
            return None
        s, e = self.f.span(words[0].start(), words[-1].end())
        return Speaker(self.f.text[s:e]), "described-before"

    @staticmethod
    def _np_ok(words: list[str]) -> bool:
        """A described speaker: الجانب الأمريكي (definite words) or مصدر عسكري (indefinite + nisba)."""
        if words[0].startswith("ال"):
            return all(w.startswith(("ال", "وال")) for w in words[1:])
        return all(w.endswith(("ي", "يه", "يون", "يين")) or w.startswith("و") for w in words[1:])

    def _antecedent_ok(self, c: Cue) -> bool:
        """A cue whose subject a later pro-drop verb may take: a speech verb's, or a statement verb's entity."""
        sub = self.subject(c) if c.kind in (VERB, STATEMENT) else None
        return sub is not None and (c.kind == VERB or sub[1].startswith("subject-"))

    def antecedent(self, i: int, previous: tuple[int, Speaker] | None) -> tuple[Speaker, str] | None:
        """The speaker of a subject-less cue at ``i``."""
        sent = self.sentence_start(i)
        for c in reversed(self.cues[:bisect.bisect_left(self.cue_starts, i)]):
            if c.start < sent:
                break
            if self._antecedent_ok(c):
                return self.subject(c)[0], "pro-drop:same-sentence"
        if previous and previous[0] >= sent:
            return previous[1], "pro-drop:previous"
        m = self._pick(sent, i)
        if m is not None:
            return Speaker(m.entity.text, m.entity.id), "pro-drop:sentence-actor"
        for c in reversed(self.cues[:bisect.bisect_left(self.cue_starts, sent)]):
            if previous and c.start < previous[0] or c.start < i - 1500:
                break
            if self._antecedent_ok(c):
                return self.subject(c)[0], "pro-drop:previous"
        return (previous[1], "pro-drop:previous") if previous else None

    def speaker(self, o: int, c: int, lead: int, previous: tuple[int, Speaker] | None, max_gap: int):
        k = bisect.bisect_left(self.cue_starts, o)
        cue = self.cues[k - 1] if k and self.cues[k - 1].start >= lead else None
        if cue is not None and len(_WORD.findall(self.norm, cue.end, o)) > max_gap:
            return None  # the verb is too far away: a title or a phrase in marks, not its object
        if cue is None:  # «…»، قال X / «…»، بحسب X
            after = self._word_after(c + 1)
            if after is not None and not self.norm[c + 1:after.start()].strip(" ،,") and \
                    k < len(self.cues) and self.cues[k].start == after.start() and self.cues[k].kind != PARTICIPLE:
                sub = self.subject(self.cues[k])
                return (sub[0], "trailing-" + sub[1]) if sub else None
            if previous and previous[0] >= lead and len(_WORD.findall(self.norm[previous[0]:o])) <= 2:
                return previous[1], "continuation"
            if self.norm[lead:o].rstrip().endswith(":") and (m := self._pick(lead, o)):
                return Speaker(m.entity.text, m.entity.id), "colon-clause"
            return None
        sub = None if cue.kind == PARTICIPLE else self.subject(cue)
        return sub or self.antecedent(cue.start, previous)


def find_quotes(text: str, entities: list[Entity], table: SpeechTable | None = None,
                folded: Folded | None = None) -> list[QuoteMatch]:
    """The attributed quotations of ``text`` in text order, offsets into ``text`` (see `extract_quotes`)."""
    table = table or load_speech_table()
    if not _MARKS.search(text):
        return []
    f = folded or fold(text)
    doc = _Doc(f, entities, table)
    out: list[QuoteMatch] = []
    previous: tuple[int, Speaker] | None = None
    for o, c in doc.spans:
        n_words = len(_WORD.findall(doc.norm, o + 1, c))
        if (o, c) in doc.names or n_words < 3:
            continue
        lead = max(doc.sentence_start(o), previous[0] if previous else 0)
        found = doc.speaker(o, c, lead, previous, max_gap=MAX_GAP_SHORT if n_words <= 5 else MAX_GAP)
        if found is None:
            continue
        s, e = f.span(o + 1, c)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append(QuoteMatch(s, e, found[0], found[1]))
        previous = (c + 1, found[0])
    return out


def extract_quotes(article: Article, table: SpeechTable | None = None) -> Article:
    """The quotes stage: every attributed quotation of three words or more, with its speaker."""
    text = article.text
    quotes = [Quote(speaker=q.speaker, text=text[q.start:q.end], span=(q.start, q.end), rule=q.rule)
              for q in find_quotes(text, list(article.entities), table)]
    return replace(article, quotes=quotes)

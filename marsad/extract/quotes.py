"""Quotes stage: direct quotations in “…”, «…» or "…" and who said them (``marsad/kb/speech.yaml``).

``extract_quotes(article, table)`` returns the article with its `Quote`s; ``span`` covers the quoted words only
(not the marks) and ``rule`` names the rule that found the speaker. Matching (`find_quotes`) works on the
normalized text (`references.fold`) and maps offsets back into ``article.text``.

What is a quotation (GOLD.md): a span in balanced marks of three words or more, attributed to a speaker.
- Marks pair within one paragraph (`quote_marks`); unbalanced ones give nothing, but for “A “B” (a doubled mark).
- Names and titles in marks are not quotations: a span an entity mention covers, one after a title word
  (بعنوان، حزب، المعنون بـ… `not_before`), a short one (≤ 4 words) standing as a speech verb's subject.
  Mentions inside such a quoted name still count as subjects ("نصر الله" قال).
- The speaker comes from the last speech cue between the clause start and the opening mark (or a cue right
  after the closing mark: «…»، بحسب X):
  ``subject-entity``  the first PER (else ORG) mention after the verb, up to أن/إن/colon/quotation/cue,
                      skipping addressees (لـX، عن X); ``subject-name``: a name the entities stage missed, read
                      off a title phrase (`quote_names`: المسؤول في «فاو» دومينيك بورجون);
  ``relay``           نقلت X عن Y (قوله): Y, an entity or (``relay-described``) a noun phrase (عدد من سكان…);
  ``subject-before``  "X قال": for a verb without و/ف, the last PER/ORG mention before it in the clause (after
                      a colon; ORG after في/من: مصدر في الجيش الحر، الذي أعلن…), not after أنه/إنه;
  ``described``       the noun phrase after the verb up to a stop word (الجانب الأمريكي، سكان المنطقة، موقع دار
                      الخلافة), ``described-named`` after ويدعى; ``described-before`` (adverbs skipped: سرعان ما);
  ``quoted-name``     the subject written in marks: أعلنت «لجنة المتابعة والإشراف العليا»;
  ``pro-drop:*``      no subject ("وتابعت:", "قائلاً:"): an earlier cue's subject in the same sentence
                      (``same-sentence``), else the previous quotation's speaker in it, else the first PER/ORG
                      of the sentence before any أن clause (``sentence-actor``), else an earlier cue's or
                      quotation's speaker (``previous``), else the previous sentence's actor; never the
                      subject of a cue in a relative clause (التي أكدت);
  ``continuation``    «…» و«…»: the previous quotation's speaker; ``colon-clause[-name]``: "X …: «…»", no verb.
  A quotation with no speaker is dropped.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from marsad.extract.linking import nested_mentions
from marsad.extract.quote_marks import MARKS as _MARKS, quoted_spans
from marsad.extract.quote_names import guess_name, np_ok
from marsad.extract.quote_table import PARTICIPLE, RELAY, SOURCE, STATEMENT, VERB, SpeechTable, load_speech_table
from marsad.extract.references import Folded, fold
from marsad.model import Article, Entity, Quote, Speaker

__all__ = ["SpeechTable", "load_speech_table", "quoted_spans", "find_quotes", "extract_quotes"]
MAX_GAP, MAX_GAP_SHORT = 30, 16  # words between the speech cue and the opening mark (quotations of ≤ 5 words)
_WORD = re.compile(r"[^\W\d_]+|\d+")
_LAST_WORD_REVERSED = re.compile(r"[^\w]*([^\W\d_]+|\d+)")  # the last word before i, matched on the reversed text
_SENT_END = re.compile(r"[.!?؟]+(?=\s)|\n")
_AFFILIATION = frozenset(("في", "من"))


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


class _Doc:
    """One article's normalized text, quotations, cues and mentions, and the speaker rules over them."""

    def __init__(self, f: Folded, entities: list[Entity], table: SpeechTable, spans: list[tuple[int, int]]):
        self.f, self.norm, self.table, self.reversed = f, f.norm, table, f.norm[::-1]
        self.spans = spans  # `quoted_spans` of the normalized text
        inside = self._inside
        self.cues: list[Cue] = [Cue(m.start(), m.end(), table.cues[m.group(2)], bool(m.group(1)))
                                for m in table.cue_regex.finditer(self.norm) if not inside(m.start())]
        for m in table.sources.finditer(self.norm) if any(w in self.norm for w in table.source_words) else ():
            if not inside(m.start()):
                self.cues.append(Cue(m.start(), m.end(), SOURCE, False))
        self.cues.sort(key=lambda c: c.start)
        self.cue_starts = [c.start for c in self.cues]
        inner = nested_mentions(entities)  # "نظام الأسد" speaks, not الأسد inside it
        self.mentions = sorted((Mention(f.to_norm(s), f.to_norm(e), ent) for ent in entities
                                if ent.type in ("PER", "ORG", "LOC") for s, e in ent.mentions if (s, e) not in inner),
                               key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.ends = [m.end() for m in _SENT_END.finditer(self.norm) if not inside(m.start())]
        self.names = {s for s in self.spans if self._is_name(*s)}
        self.subjects: dict[int, tuple[Speaker, str] | None] = {}

    def _inside(self, i: int) -> bool:
        k = bisect.bisect_right(self.spans, (i, len(self.norm))) - 1
        return k >= 0 and self.spans[k][0] < i < self.spans[k][1]

    def _quoted(self, i: int) -> bool:
        """Inside a quotation that is not a quoted name ("نصر الله" قال is a subject, not quoted words)."""
        k = bisect.bisect_right(self.spans, (i, len(self.norm))) - 1
        return k >= 0 and self.spans[k][0] < i < self.spans[k][1] and self.spans[k] not in self.names

    def _word_after(self, i: int) -> re.Match[str] | None:
        return _WORD.search(self.norm, i)

    def _word_before(self, i: int) -> re.Match[str] | None:
        n = len(self.norm)
        m = _LAST_WORD_REVERSED.match(self.reversed, n - i, n - max(0, i - 60))
        return _WORD.match(self.norm, n - m.end(1)) if m else None

    def _words(self, start: int, end: int) -> list[re.Match[str]]:
        return list(_WORD.finditer(self.norm, start, end))

    def _is_name(self, o: int, c: int) -> bool:
        inner = self.norm[o + 1:c].strip()
        n = len(_WORD.findall(inner))
        raw = self.norm[o + 1:c]
        lo, hi = o + 1 + len(raw) - len(raw.lstrip()), c - (len(raw) - len(raw.rstrip()))
        k = bisect.bisect_left(self.mention_starts, c)
        if any(m.start <= lo and m.end >= hi and m.end > o for m in self.mentions[max(0, k - 8):k]):
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

    def _addressee(self, m: Mention, affiliation: bool = False) -> bool:
        """A mention after لـ/بـ or a preposition (قال لـX، عن X); with ``affiliation``, في/من X (مصدر في X) is
        not one: before the verb it names the speaker's organisation."""
        head = self.norm[max(0, m.start - 3):m.start].replace("«", "").replace('"', "").replace("“", "")
        if head.endswith(("ل", "ب")) and (len(head) < 2 or not head[-2].isalpha()):
            return True
        w = self._word_before(m.start)
        if not w or w.group() not in self.table.prepositions or self.norm[w.end():m.start].strip("«“\" "):
            return False
        return not (affiliation and w.group() in _AFFILIATION and m.entity.type == "ORG")

    def _pick(self, start: int, end: int, last: bool = False, affiliation: bool = False) -> Mention | None:
        cands = [m for m in self.mentions if start <= m.start and m.end <= end and not self._quoted(m.start)
                 and not self._addressee(m, affiliation)]
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
            if w.group() in self.table.complementizers or w.group() in self.table.object_prepositions or count > 12:
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
            g = self._guess(cue.end, end) if m is None or m.entity.type == "ORG" else None
            if cue.kind == RELAY and (r := self._relayed(end)):
                out = r
            elif g is not None and (m is None or g[2] >= m.end):  # "المسؤول في «فاو» دومينيك بورجون"
                out = g[:2]
            elif m is not None:
                out = (Speaker(m.entity.text, m.entity.id), "subject-entity")
            elif not cue.prefixed and cue.kind != SOURCE and not self._after_pronoun(cue.start) and \
                    (b := self._pick(self._clause_start(cue.start), cue.start, True, True)):
                out = (Speaker(b.entity.text, b.entity.id), "subject-before")
            else:
                out = self._described(cue.end, end)
                if out is None and not cue.prefixed and cue.kind != SOURCE:
                    out = self._described_before(cue.start)
        self.subjects[cue.start] = out
        return out

    def _covered(self, i: int) -> str | None:
        k = bisect.bisect_right(self.mention_starts, i)
        return next((m.entity.type for m in self.mentions[max(0, k - 3):k] if m.start <= i < m.end), None)

    def _guess(self, start: int, end: int) -> tuple[Speaker, str, int] | None:
        """A name the entities stage missed, after a title (`quote_names.guess_name`), and where it starts."""
        span = guess_name(self.norm, start, end, self.table, self._covered)
        if span is None:
            return None
        s, e = self.f.span(*span)
        return Speaker(self.f.text[s:e]), "subject-name", span[0]

    def _relayed(self, end: int) -> tuple[Speaker, str] | None:
        """"نقلت X عن Y": the speaker is Y, the object of عن right after the relay verb's subject."""
        w = self._word_after(end)
        if w is None or w.start() != end or w.group() != "عن":
            return None
        nxt = self._word_after(w.end())
        if nxt is None:
            return None
        m = next((x for x in self.mentions if x.start == nxt.start() and x.entity.type in ("PER", "ORG")), None)
        if m is not None:
            return Speaker(m.entity.text, m.entity.id), "relay"
        d = self._described(w.end(), min(self.sentence_end(w.end()), w.end() + 80))
        return (d[0], "relay-described") if d else None

    def _complement(self, start: int, end: int) -> int:
        """Where the first أن/إن clause between ``start`` and ``end`` opens: what it reports is no actor."""
        return next((w.start() for w in self._words(start, end) if w.group() in self.table.complementizers), end)

    def _after_pronoun(self, i: int) -> bool:
        """"رغم أنه أكد": the subject is the pronoun, not a name earlier in the clause."""
        w = self._word_before(i)
        return bool(w and w.group() in self.table.complementizers and w.group() not in ("ان", "بان", "لان")
                    and not self.norm[w.end():i].strip())

    def _clause_start(self, i: int) -> int:
        s = self.sentence_start(i)
        colon = self.norm.rfind(":", s, i)  # "واشنطن - «رويترز»: قال مصدر": the dateline is no subject
        s = colon + 1 if colon >= 0 and not self._inside(colon) else s
        comma = max(self.norm.rfind("،", s, i), self.norm.rfind(",", s, i))
        return max(s, self.norm.rfind("،", s, comma) if comma > s else s)

    def _described(self, start: int, end: int) -> tuple[Speaker, str] | None:
        gap = self.norm[start:end].lstrip()
        lead = len(self.norm[start:end]) - len(gap)
        if gap[:1] in "«“\"":
            s = next((s for s in self.spans if s[0] == start + lead), None)
            if s in self.names:
                return Speaker(self.f.text[slice(*self.f.span(s[0] + 1, s[1]))].strip()), "quoted-name"
        words: list[re.Match[str]] = []
        pos, named, skip = start, False, False
        for w in self._words(start, end + 1):
            between = self.norm[pos:w.start()]
            if w.start() >= end or (words and any(ch in between for ch in "،,:؛.()-–")) or w.group()[0].isdigit():
                break
            t = w.group()
            if skip:
                skip, pos = False, w.end()
                continue
            if not words and t[0] == "ل" and t[1:] in self.table.not_before:
                return None   # "وأضاف لوكالة فرانس برس": told the agency; the speaker is the one before
            if not words and t in self.table.quantifiers and (nxt := self._word_after(w.end())) and nxt.group() == "من":
                skip = True  # عدد من سكان المنطقة: the people counted
                continue
            if t in self.table.name_intro and words:  # أحد المحققين ويدعى فاليري زولوتاريف: the name
                words, named = [], True
                continue
            if t in self.table.np_stops or self.table.cue(t) or t.startswith(("لل", "بال")) or len(t) < 2 or \
                    len(words) >= self.table.max_np_words or \
                    (words and not named and words[0].group() not in self.table.not_before
                     and not np_ok([x.group() for x in words] + [t])):
                break
            words.append(w)
            pos = w.end()
        if not words:
            return None
        s, e = self.f.span(words[0].start(), words[-1].end())
        return Speaker(self.f.text[s:e]), "described-named" if named else "described"

    def _described_before(self, i: int) -> tuple[Speaker, str] | None:
        """"مصدر عسكري قال": the noun phrase right before a verb, back to a stop word or punctuation."""
        words: list[re.Match[str]] = []
        before = self._words(max(0, i - 80), i)
        while before and not self.norm[before[-1].end():i].strip() and before[-1].group() in self.table.pre_verb:
            i = before.pop().start()  # الجانب الكردي سرعان ما نفى، المصدر قد قال
        pos = i
        for w in reversed(before):
            if self.norm[w.end():pos].strip() or w.group() in self.table.np_stops or self.table.cue(w.group()) \
                    or len(words) >= 3:
                break
            words.insert(0, w)
            pos = w.start()
        if not words or not np_ok([w.group() for w in words]):
            return None
        s, e = self.f.span(words[0].start(), words[-1].end())
        return Speaker(self.f.text[s:e]), "described-before"

    def _antecedent_ok(self, c: Cue) -> bool:
        """A cue whose subject a later pro-drop verb may take: a speech verb's, or a statement verb's entity; in
        a relative clause only an entity ("فايز البلوي الذي قال"; not "الأنباء التي أكدت وجود حكم")."""
        sub = self.subject(c) if c.kind in (VERB, RELAY, STATEMENT) else None
        relative = (before := self._word_before(c.start)) is not None and before.group() in self.table.relatives
        return sub is not None and (c.kind != STATEMENT and not relative or sub[1].startswith("subject-"))

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
        m = self._pick(sent, self._complement(sent, i))
        if m is not None:
            return Speaker(m.entity.text, m.entity.id), "pro-drop:sentence-actor"
        for c in reversed(self.cues[:bisect.bisect_left(self.cue_starts, sent)]):
            if previous and c.start < previous[0] or c.start < i - 1500:
                break
            if self._antecedent_ok(c):
                return self.subject(c)[0], "pro-drop:previous"
        if previous:
            return previous[1], "pro-drop:previous"
        m = self._pick(self.sentence_start(max(0, sent - 1)), sent) if sent and self.norm[sent - 1] != "\n" else None
        return (Speaker(m.entity.text, m.entity.id), "pro-drop:previous-sentence") if m else None

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
            if self.norm[lead:o].rstrip().endswith(":"):
                if m := self._pick(lead, o):
                    return Speaker(m.entity.text, m.entity.id), "colon-clause"
                if g := self._guess(lead, o):
                    return g[0], "colon-clause-name"
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
    spans = quoted_spans(f.norm)
    if not any(len(_WORD.findall(f.norm, o + 1, c)) >= 3 for o, c in spans):  # names and scare quotes only
        return []
    doc = _Doc(f, entities, table, spans)
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
        inner = text[s:e]  # without the white space inside the marks
        s, e = s + len(inner) - len(inner.lstrip()), e - len(inner) + len(inner.rstrip())
        out.append(QuoteMatch(s, e, found[0], found[1]))
        previous = (c + 1, found[0])
    return out


def extract_quotes(article: Article, table: SpeechTable | None = None) -> Article:
    """The quotes stage: every attributed quotation of three words or more, with its speaker."""
    text = article.text
    quotes = [Quote(speaker=q.speaker, text=text[q.start:q.end], span=(q.start, q.end), rule=q.rule)
              for q in find_quotes(text, list(article.entities), table)]
    return replace(article, quotes=quotes)

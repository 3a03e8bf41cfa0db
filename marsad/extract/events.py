"""The events stage: PLOVER/CAMEO events from trigger verbs and nouns, with their actors, date and place.

Modules: ``event_lexicon`` (the lexicon ``marsad/kb/events.yaml`` and ``find_triggers``), ``event_actors``
(actor candidates of a sentence: entity mentions, anaphoric mentions, described actors), ``event_slots`` (which
candidates are source and target), ``event_places`` (names that locate, and the event's place), ``event_polity``
(the knowledge base's countries veto one-sided meetings). This module reads each trigger's sentence: negation
and modality, actors, date (``marsad.dates``), place; and merges duplicates.

Decisions (documented for the UI and the scorer):
- Negated events (لم، لن، لا، نفى، دون أن) are emitted with ``negated=True``.
- Claims of doubtful status (زعم، ادعى before the trigger), verbs in relative clauses (background: "التي طردت
  منها") and future light verbs ("سيعقد مؤتمراً") are not emitted.
- Consultations of one source in one sentence ("زار X طهران حيث التقى مع ظريف") are one event.
- Futures (سـ، سوف، من المقرر، يعتزم), hypotheticals (في حال، إذا، لو), subjunctives (أن يلتقي، أن يجري
  محادثات) and "may" (قد + present) are not emitted: the scorer counts every non-negated event.
- A trigger inside an entity name ("حزب المؤتمر ..."), in scare quotes («...» of three words or fewer) or in a
  quoted title (تقريراً بعنوان «مقتل 39 طفلاً ...») is not an event; an event without an identifiable source
  and target is not emitted.
- Date: a date expression in the sentence (nearest to the trigger); else the date of the article's lead event
  when the event shares a participant with it (the same occasion); else the publication date for an event in
  the article's first sentence; else null.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from itertools import compress, count
from operator import attrgetter

from marsad.arabic import Token, normalize, sentences, tokens
from marsad.extract import event_actors as ea
from marsad.extract.event_lexicon import (COMPILED_FILE, LEXICON_FILE, PLOVER, SYMMETRIC, Entry, Lexicon, Reading,
                                          Trigger, find_triggers, load_lexicon)
from marsad.extract.event_dates import date_retold_attacks
from marsad.extract.event_mentions import short_mentions
from marsad.extract.event_places import place as _place, place_of_retold
from marsad.extract.event_polity import plausible, team
from marsad.extract.event_slots import barrier
from marsad.extract.event_slots import slots as _slots
from marsad.extract.linking import nested_mentions
from marsad.extract.quote_table import load_speech_table
from marsad.kb import KnowledgeBase, load_kb
from marsad.model import Actor, Article, Entity, Event

__all__ = ["COMPILED_FILE", "LEXICON_FILE", "PLOVER", "SYMMETRIC", "Entry", "Lexicon", "Reading", "Trigger",
           "extract_events", "find_triggers", "load_lexicon"]

NEGATORS = frozenset("لم لن لا ولم ولن ولا فلم فلن".split())
DENIALS = re.compile(r"(^|\s)[وف]?(نفى|نفي|ينفي|نفت|تنفي|نفوا|ينفون|نافيا|نافيه)(\s|$)")
IRREALIS = re.compile(r"(^|\s)[وف]?(سوف|من المقرر|من المنتظر|من المتوقع|يعتزم|تعتزم|يعتزمون|ينوي|تنوي|في حال|حال|"
                      r"اذا|لو|لكي|كي|اي|لاي|باي|قد يكون|يمكن ان|يجب ان|ينبغي ان|ضروره|اهميه|بهدف|من اجل|لاجل|امكانيه|احتمال)$")
CLAIMS = re.compile(r"(^|\s)[وف]?(زعم|زعمت|زعموا|يزعم|تزعم|ادعي|ادعت|ادعوا|يدعي|تدعي|مزاعم|ادعاءات)(\s|$)")
SUBJUNCTIVE = frozenset({"ان", "لان", "لكي", "كي", "قد"})
AVOIDED = frozenset(normalize(w) for w in """وقف بوقف لوقف ووقف إيقاف بإيقاف لإيقاف تحاشى يتحاشى تتحاشى تجنب يتجنب
تتجنب تجنبت""".split())
RELATIVES = frozenset({"التي", "الذي", "الذين", "اللتي", "اللذين"})
OPINION = frozenset({"ACCUSE", "SUPPORT", "REJECT"})   # verbs whose subject judges the event they govern
_GLUED = re.compile(r"(?<=[\u0621-\u064a])\.(?=[\u0621-\u064a])")
FUTURE_LIGHT = frozenset(p + v for p in ("س", "وس", "فس") for v in
                         "يعقد تعقد يجري تجري يقوم تقوم يشن تشن ينفذ تنفذ يوقع توقع".split())
_START, _NORM = attrgetter("start"), attrgetter("norm")
LIGHT_PRESENT = frozenset("يجري تجري يعقد تعقد يقوم تقوم يشن تشن ينفذ تنفذ".split())
_QUOTE = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")

# --- annotating -------------------------------------------------------------------------------------------

def _modality(toks: list[Token], t: Trigger, lo: int, asked_by: Trigger | None = None) -> str | None:
    """'negated', 'irrealis' or None (asserted); ``asked_by``: the request verb that governs a noun trigger."""
    if t.future:
        return "irrealis:future-prefix"
    before = [toks[k].norm for k in range(max(lo, t.i - 3), t.i)]
    if before and before[-1] in NEGATORS or (t.reading.kind == "verb" and len(before) > 1 and before[-2] in NEGATORS
                                              and before[-1] in ("يتم", "تم", "يكن")):
        return "negated:particle"
    if len(before) >= 2 and before[-2:] == ["دون", "ان"] or before[-1:] == ["دون"]:
        return "negated:without"
    if t.reading.kind == "noun" and before and (before[-1] in AVOIDED or len(before) > 1 and before[-2] in AVOIDED):
        return "negated:avoided"   # "يتحاشى الاشتباك مع داعش", "طالب بوقف القصف"
    prefix_text = " ".join(toks[k].norm for k in range(lo, t.i))
    if DENIALS.search(prefix_text):
        return "negated:denial"
    if CLAIMS.search(prefix_text):
        return "irrealis:claim"
    near = " ".join(before)
    for k in range(len(before)):
        if IRREALIS.search(" ".join(before[k:])):
            return "irrealis:" + before[-1]
    if any(b in FUTURE_LIGHT for b in before) or t.reading.kind == "noun" and any(
            toks[k].norm in FUTURE_LIGHT for k in range(barrier(toks, lo, t.i), t.i)):
        return "irrealis:future-light-verb"   # "سيعقد اجتماعا ثلاثيا ... خلال زيارة عمل لقطر": both to come
    if t.reading.kind == "verb" and any(b in RELATIVES or b[:1] == "و" and b[1:] in RELATIVES for b in before[-2:]):
        return "background:relative-clause"
    if t.reading.tense == "present" and before and before[-1] in SUBJUNCTIVE:
        return "irrealis:subjunctive"
    if t.reading.kind == "noun" and any(toks[k].norm in LIGHT_PRESENT and toks[k - 1].norm in SUBJUNCTIVE
                                        for k in range(max(lo + 1, t.i - 4), t.i)):
        return "irrealis:subjunctive-light-verb"   # "من المقرر أن يجري الوزير محادثات مع ..."
    if t.reading.kind == "verb" and t.prefix.endswith("ل") and t.reading.tense == "present":
        return "irrealis:purpose"
    if asked_by is not None and t.reading.kind == "noun" and toks[t.i].norm.startswith(("ب", "وب")):
        return "irrealis:asked-for"   # "طالبت المنظمة السلطات بالإفراج عن X": no release took place
    if t.reading.kind == "noun" and before and before[-1] in ("الي", "لبحث", "لمناقشه") and \
            not any(b[:3] in ("توص", "خلص", "وصل", "وتو", "وخل") or "خلص" in b or "توصل" in b for b in before[:-1]):
        return "irrealis:" + near
    return None


def _in_quotes(text: str, s: int, e: int, start: int) -> tuple[int, bool] | None:
    """The quotation around [s, e) of the sentence text (offset start), or None: its number of words, and
    whether it is a title or a name (the word before it is one of the speech table's ``not_before``:
    بعنوان «مقتل 39 طفلاً ...», حملة «...»)."""
    for m in _QUOTE.finditer(text):
        if m.start() + start <= s and e <= m.end() + start:
            before = text[max(0, m.start() - 30):m.start()].split()
            named = bool(before) and normalize(before[-1]) in load_speech_table().not_before
            return len(m.group().split()), named
    return None


def extract_events(article: Article, lexicon: Lexicon | None = None, kb: KnowledgeBase | None = None) -> Article:
    """The article with its events (pure). ``kb`` (default: the shipped one) vetoes sides that are one country."""
    lex = lexicon or load_lexicon()
    kb = kb or load_kb()
    text = article.text
    toks = tokens(text)
    norms = list(map(_NORM, toks))
    words = list(compress(count(), map(_words_read(lex).__contains__, norms)))   # one pass for both tables
    triggers = find_triggers(toks, lex, words)
    if not triggers or lex.sports.holds(norms):  # no event word, or a match report: no event
        return dataclasses.replace(article, events=[])
    starts = list(map(_START, toks))
    ent_at = _entity_index(text, toks, starts, article.entities)
    inside = {k for k, (_, end, _) in ent_at.items() for k in range(k, end)}
    alias_at = short_mentions(toks, norms, article.entities, ent_at, inside)
    marks = ea.opening_marks(norms, ent_at, alias_at, words)
    by_sent: dict[int, list[Trigger]] = {}
    spans = _split_glued(text, sentences(text))
    sent_starts = [s for s, _ in spans]
    for t in triggers:
        if t.i in inside:
            continue
        by_sent.setdefault(bisect.bisect_right(sent_starts, toks[t.i].start) - 1, []).append(t)
    events: list[Event] = []
    prev_src, prev_si = None, -2
    for si, trigs in sorted(by_sent.items()):
        s0, s1 = spans[si]
        lo, hi = bisect.bisect_left(starts, s0), bisect.bisect_left(starts, s1)
        cands = [c for c in ea.candidates(toks, lo, hi, ent_at, alias_at, marks)
                 if not team(toks, c.i, c.entity)]   # منتخب الكويت plays; the state does not act
        sent_text = text[s0:s1]
        done: set[int] = set()
        if prev_si != si - 1:
            prev_src = None
        for t in sorted(trigs, key=lambda t: (t.i, t.reading.kind != "verb", -(t.j - t.i))):
            if t.i in done:
                continue
            got = _annotate(article, toks, t, cands, lo, hi, (s0, s1), sent_text, si, prev_src, kb,
                            _verb_before(t, trigs))
            if got is not None:
                ev, src = got
                done.update(range(t.i, t.j))
                events.append(ev)
                if not ev.negated and src.entity is not None:
                    prev_src, prev_si = src, si
    events = _dedupe(_inherit_dates(_one_occasion(events)))
    events = _share_places(place_of_retold(article, events))
    return dataclasses.replace(article, events=date_retold_attacks(article, events))


@functools.cache
def _words_read(lexicon: Lexicon) -> frozenset[str]:
    """The written words a trigger or an actor's head noun may start with (one set, one pass per article)."""
    return lexicon.surface | ea.OPENERS


def _split_glued(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences glued by a full stop without a space ("الماضية.ودعا") are two sentences."""
    if not _GLUED.search(text):
        return spans
    out = []
    for s0, s1 in spans:
        cut = s0
        for m in _GLUED.finditer(text, s0, s1):
            out.append((cut, m.start() + 1))
            cut = m.start() + 1
        out.append((cut, s1))
    return out


def _verb_before(t: Trigger, trigs: list[Trigger]) -> Trigger | None:
    """The verb trigger nearest before t in its sentence, within 8 words: what governs a noun trigger."""
    verbs = [u for u in trigs if u.reading.kind == "verb" and u.j <= t.i and t.i - u.j <= 8]
    return max(verbs, key=lambda u: u.i, default=None)


def _annotate(article, toks, t, cands, lo, hi, span, sent_text, si, prev_src, kb, governor=None):
    s0, s1 = span
    tok = toks[t.i]
    q = _in_quotes(sent_text, tok.start, toks[t.j - 1].end, s0)
    if q is not None and (q[0] <= 3 or q[1]):   # scare quotes, a quoted title or name
        return None
    lo, hi = _enclosure(sent_text, s0, toks, t, lo, hi)
    lo = _after_colon(sent_text, s0, toks, t, lo)
    slots = _slots(toks, t, _without_glosses([c for c in cands if lo <= c.i and c.j <= hi], toks, article.text),
                   lo, hi, prev_src)
    if slots is None:
        return None
    asked_by = governor if governor is not None and governor.reading.entry.type == "REQUEST" else None
    mod = _modality(toks, t, lo, asked_by)
    if mod and (mod.startswith("irrealis") or mod.startswith("background")):
        return None
    src, tgt, how = slots
    if governor is not None and t.reading.kind == "noun" and t.reading.tense != "poss" and \
            how.startswith("clause-subject") and governor.reading.entry.type in OPINION:
        return None   # "ندد الائتلاف بالقصف الروسي": who condemned the shelling did not shell ("لقائه": his own)
    entry = t.reading.entry
    sides = [d.entity for d in src]
    if len(tgt) > 1:   # the conjuncts of an object, each on its own: "بين موسكو والرياض" after بوتين is Riyadh
        tgt = [c for c in tgt if plausible(entry, how, sides, [c.entity], kb)] or tgt[:1]
    if not plausible(entry, how, sides, [c.entity for c in tgt], kb) or ea.unlikely_sides(entry.type, toks, src, tgt):
        return None
    conf = 0.85 if t.reading.kind == "verb" else 0.7
    conf -= 0.15 * sum(c.entity is None for c in src + tgt)
    conf -= 0.1 if q is not None else 0
    date, drule = _date(article, sent_text, s0, tok.start, si, t)
    place = _place(toks, cands, t, src + tgt, article.text)
    rule = (f"{entry.source}:{entry.id} {t.reading.kind}:{t.reading.tense} '{toks[t.i].norm}'; actors:{how}; "
            f"date:{drule}" + (f"; {mod}" if mod else ""))
    ev = Event(type=entry.type, source=[c.actor for c in src], target=[c.actor for c in tgt],
               sentence=sent_text, span=(s0, s1), mode=entry.mode, cameo=entry.cameo, date=date,
               place=place, negated=bool(mod), confidence=round(max(0.1, conf), 2),
               trigger=article.text[tok.start:toks[t.j - 1].end], rule=rule)
    return ev, src[0]


def _enclosure(sent_text: str, s0: int, toks, t: Trigger, lo: int, hi: int) -> tuple[int, int]:
    """The token range of the parentheses or the quotation (of more than three words) around the trigger, else
    (lo, hi): "المتهمون هم مبارك ملفي (انضم وقتل في إحدى العمليات)، وفهد حمد" says nothing of who killed whom,
    and in "وقال مموزيني: «قتل أمس ثلاث نساء…»" the speaker killed no one."""
    at = toks[t.i].start - s0
    opened = sent_text.rfind("(", 0, at)
    closed = sent_text.find(")", at) if opened >= 0 and sent_text.rfind(")", 0, at) < opened else -1
    if closed < 0:
        quote = next((m for m in _QUOTE.finditer(sent_text) if m.start() < at < m.end()), None)
        if quote is None or len(quote.group().split()) <= 3:
            return lo, hi
        opened, closed = quote.start(), quote.end() - 1
    inner = [k for k in range(lo, hi) if s0 + opened < toks[k].start and toks[k].end <= s0 + closed]
    return (inner[0], inner[-1] + 1) if inner else (lo, hi)


def _after_colon(sent_text: str, s0: int, toks, t: Trigger, lo: int) -> int:
    """The first token after the last colon before the trigger (not one between digits, 10:30), else lo: a
    dateline or a speaker before it is no subject of what follows ("كراتشي - «الشرق الأوسط»: داهمت قوات
    الأمن الباكستانية مقر حزب")."""
    at = toks[t.i].start - s0
    k = sent_text.rfind(":", 0, at)
    while k > 0 and sent_text[k - 1:k].isdigit() and sent_text[k + 1:k + 2].isdigit():
        k = sent_text.rfind(":", 0, k)
    if k < 0:
        return lo
    return next((m for m in range(lo, t.i + 1) if toks[m].start - s0 > k), lo)


def _without_glosses(cands: list[ea.Cand], toks, text: str) -> list[ea.Cand]:
    """Drop a name in parentheses right after another: "حزب الاتحاد الديمقراطي (أكراد سوريا)" glosses the party,
    Syria is no one's target."""
    out = cands[:1]
    for a, b in zip(cands, cands[1:]):
        between = text[toks[a.j - 1].end:toks[b.i].start]
        if not (b.i - a.j <= 2 and between.lstrip().startswith("(") and ")" not in between):
            out.append(b)
    return out


def _entity_index(text, toks, starts, entities: list[Entity]) -> dict[int, tuple[Entity, int, str]]:
    out: dict[int, tuple[Entity, int, str]] = {}
    inner = nested_mentions(entities)  # "نظام الأسد" is the actor, not الأسد inside it
    for ent in entities:
        for s, e in ent.mentions:
            if (s, e) in inner:
                continue
            i = bisect.bisect_right(starts, s) - 1
            if i < 0 or toks[i].end <= s:
                i += 1
            j = bisect.bisect_left(starts, e)
            if i >= len(toks) or j <= i:
                continue
            prev = out.get(i)
            if prev is None or prev[1] < j:
                out[i] = (ent, j, normalize(text[toks[i].start:s]) if toks[i].start < s else "")
    return out


def _date(article: Article, sent_text: str, s0: int, at: int, si: int, t: Trigger) -> tuple[str | None, str]:
    from marsad import dates
    found = [m for m in dates.find_dates(sent_text, article.published) if m.date and m.granularity == "day"]
    if found:
        m = min(found, key=lambda m: abs(m.start + s0 - at))
        return m.date, f"sentence:{m.rule}"
    if si == 0 and article.published and t.reading.kind == "verb":
        return article.published, "published:lead"
    return None, "none"


def _share_places(events: list[Event]) -> list[Event]:
    """Events of one occasion (same date and participants, reported in nearby sentences) happen in one
    place: a meeting in the lead sentence takes the place the next sentence gives its announcement."""
    out = list(events)
    for k, e in enumerate(out):
        if e.place is not None or e.negated or not e.date:
            continue
        for o in out:
            if (o is not e and o.place is not None and o.date == e.date and not o.negated
                    and _participants(o) == _participants(e) and abs(o.span[0] - e.span[0]) < 600):
                out[k] = dataclasses.replace(e, place=o.place, rule=(e.rule or "") + "; place:same-occasion")
                break
    return out


def _key(a: Actor) -> str:
    return f"e:{a.entity}" if a.entity else "n:" + normalize(a.name)


def _participants(ev: Event) -> set[str]:
    return {_key(a) for a in ev.source + ev.target}


def _words(names: list[str]) -> set[str]:
    """Content words of actor names without ال and the accusative alef: "الجانب الأمريكي" -> {جانب, امريكي}."""
    out = set()
    for n in names:
        for w in normalize(ea.clean_name(n)).split():
            w = w[2:] if w.startswith("ال") else w
            if len(w) > 3:
                out.add(w)
    return out


def _inherit_dates(events: list[Event]) -> list[Event]:
    """An undated event sharing a participant with the first event dated from its own sentence: the same occasion."""
    lead = next((e for e in events if e.date and "date:sentence" in (e.rule or "") and not e.negated), None)
    if lead is None:
        return events
    named = [a.name for a in lead.source + lead.target] + re.findall(r"led-by\(([^)]*)\)", lead.rule or "")
    names = _participants(lead) | _words(named)
    out = []
    for e in events:
        words = _words([a.name for a in e.source + e.target])
        if e.date is None and e.type != "ASSAULT" and (_participants(e) & names or words & names):
            e = dataclasses.replace(e, date=lead.date, rule=e.rule.replace("date:none", "date:lead-event"))
        out.append(e)
    return out


def _one_occasion(events: list[Event]) -> list[Event]:
    """Consultations of one source in one sentence ("زار X طهران حيث التقى مع ظريف"): one event, all targets."""
    out: list[Event] = []
    for e in events:
        prev = out[-1] if out else None
        if prev is not None and e.type == "CONSULT" == prev.type and e.span == prev.span and not e.negated \
                and not prev.negated and {_key(a) for a in e.source} == {_key(a) for a in prev.source}:
            more = [a for a in e.target if _key(a) not in {_key(b) for b in prev.target}]
            out[-1] = dataclasses.replace(prev, target=prev.target + more, rule=prev.rule + "; merged:same-occasion")
            continue
        out.append(e)
    return out


def _described(e: Event) -> bool:
    return all(a.entity is None for a in e.source)


def _dedupe(events: list[Event]) -> list[Event]:
    """The same (type, source, target) on the same or an unknown date: one event (first sentence, best confidence).
    A later event whose source is only described ("مدفعية الدعم") and whose target is named as an earlier one's
    is that event told again."""
    out: list[Event] = []
    for e in events:
        src, tgt = frozenset(map(_key, e.source)), frozenset(map(_key, e.target))
        for k, o in enumerate(out):
            osrc, otgt = frozenset(map(_key, o.source)), frozenset(map(_key, o.target))
            pair = (src, tgt) == (osrc, otgt) or e.type in SYMMETRIC and (src, tgt) == (otgt, osrc) or \
                tgt == otgt and _described(e) and all(k.startswith("e:") for k in tgt)
            if o.type == e.type and pair and o.negated == e.negated and (o.date == e.date or not o.date or not e.date):
                out[k] = dataclasses.replace(o, date=o.date or e.date, place=o.place or e.place,
                                             confidence=max(o.confidence, e.confidence))
                break
        else:
            out.append(e)
    return out

"""The events stage: PLOVER/CAMEO events from trigger verbs and nouns, with their actors, date and place.

Matching and annotating are separate steps. ``find_triggers`` finds lexicon entries (``marsad/kb/events.yaml``)
in the text: inflected verbs with the clitics و ف (and the future prefix س), event nouns with their clitics,
accusative ending and possessive suffix, multi-word phrases. ``extract_events`` then reads each trigger's
sentence: negation and modality, actors (``event_actors``), date (``marsad.dates``), place.

Decisions (documented for the UI and the scorer):
- Negated events (لم، لن، لا، نفى، دون أن) are emitted with ``negated=True``.
- Futures (سـ، سوف، من المقرر، يعتزم), hypotheticals (في حال، إذا، لو), subjunctives (أن يلتقي) and "may"
  (قد + present) are not emitted: the scorer counts every non-negated event.
- A trigger inside an entity name ("حزب المؤتمر ...") or in scare quotes («...» of three words or fewer) is
  not an event; an event without an identifiable source and target is not emitted.
- Date: a date expression in the sentence (nearest to the trigger); else the date of the article's lead event
  when the event shares a participant with it (the same occasion); else the publication date for an event in
  the article's first sentence; else null.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from marsad.arabic import Token, normalize, sentences, tokens
from marsad.errors import KnowledgeBaseError
from marsad.extract import event_actors as ea
from marsad.model import Actor, Article, Entity, Event

LEXICON_FILE = Path(__file__).resolve().parents[1] / "kb" / "events.yaml"
COMPILED_FILE = Path(__file__).resolve().parents[1] / "kb" / "events_compiled.json"
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
VERB_PREFIXES = frozenset({"", "و", "ف"})
NEGATORS = frozenset("لم لن لا ولم ولن ولا فلم فلن".split())
DENIALS = re.compile(r"(^|\s)[وف]?(نفى|نفي|ينفي|نفت|تنفي|نفوا|ينفون|نافيا|نافيه)(\s|$)")
IRREALIS = re.compile(r"(^|\s)[وف]?(سوف|من المقرر|من المنتظر|من المتوقع|يعتزم|تعتزم|يعتزمون|ينوي|تنوي|في حال|حال|"
                      r"اذا|لو|لكي|كي|اي|لاي|باي|قد يكون|يمكن ان|يجب ان|ينبغي ان|ضروره|اهميه|بهدف|من اجل|لاجل|امكانيه|احتمال)$")
SUBJUNCTIVE = frozenset({"ان", "لان", "لكي", "كي", "قد"})
_QUOTE = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    mode: str | None
    cameo: str | None
    preps: frozenset[str]
    requires_prep: bool
    source: str


@dataclass(frozen=True)
class Reading:
    """One way a word form triggers an entry: verb (past/present) or noun, and the words that must follow."""

    entry: Entry
    kind: str        # verb | noun
    tense: str       # past | present | noun
    rest: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]
    forms: Mapping[str, tuple[Reading, ...]]
    path: str


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
        for key in ("verbs", "forms", "nouns", "preps"):
            if not isinstance(raw.get(key, []), list) or not all(isinstance(x, str) for x in raw.get(key, [])):
                _fail(path, name, f"{key!r} must be a list of strings")
        if not (raw.get("verbs") or raw.get("nouns") or raw.get("forms")):
            _fail(path, name, "no verbs, forms or nouns")
        e = Entry(name, raw["type"], raw.get("mode"), str(raw["cameo"]) if raw.get("cameo") else None,
                  frozenset(normalize(p) for p in raw.get("preps", [""])), bool(raw.get("requires_prep")),
                  raw.get("source", source))
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
    return Lexicon(tuple(entries), MappingProxyType({f: tuple(rs) for f, rs in forms.items()}), str(path))


# --- matching ---------------------------------------------------------------------------------------------

def _loose(w: str) -> str:
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    if w.endswith("ا") and len(w) > 3:
        w = w[:-1]
    return w[:-1] if w.endswith("ه") else w


def find_triggers(toks: list[Token], lexicon: Lexicon) -> list[Trigger]:
    """Every lexicon reading at every token (a token may have several: قصف is a verb and a noun)."""
    out = []
    for i, tok in enumerate(toks):
        for prefix, stem in [*ea.readings(tok.norm), *_future(tok.norm)]:
            for r in lexicon.forms.get(stem, ()):
                future = prefix.endswith("س")
                if r.kind == "verb" and (prefix.rstrip("س") not in VERB_PREFIXES or future and r.tense != "present"):
                    continue
                j = i + 1
                for w in r.rest:
                    if j < len(toks) and _loose(toks[j].norm) == _loose(w):
                        j += 1
                    else:
                        break
                else:
                    out.append(Trigger(r, i, j, prefix, future))
    return out


def _future(norm: str) -> list[tuple[str, str]]:
    for p in ("وس", "فس", "س"):
        if norm.startswith(p) and len(norm) > len(p) + 2 and norm[len(p)] in "يت":
            return [(p, norm[len(p):])]
    return []


# --- annotating -------------------------------------------------------------------------------------------

def _modality(toks: list[Token], t: Trigger, lo: int, sent_norm: str, sent_start_norm: int) -> str | None:
    """'negated', 'irrealis' or None (asserted)."""
    if t.future:
        return "irrealis:future-prefix"
    before = [toks[k].norm for k in range(max(lo, t.i - 3), t.i)]
    if before and before[-1] in NEGATORS or (t.reading.kind == "verb" and len(before) > 1 and before[-2] in NEGATORS
                                              and before[-1] in ("يتم", "تم", "يكن")):
        return "negated:particle"
    if len(before) >= 2 and before[-2:] == ["دون", "ان"] or before[-1:] == ["دون"]:
        return "negated:without"
    prefix_text = " ".join(toks[k].norm for k in range(lo, t.i))
    if DENIALS.search(prefix_text):
        return "negated:denial"
    near = " ".join(before)
    for k in range(len(before)):
        if IRREALIS.search(" ".join(before[k:])):
            return "irrealis:" + before[-1]
    if t.reading.tense == "present" and before and before[-1] in SUBJUNCTIVE:
        return "irrealis:subjunctive"
    if t.reading.kind == "verb" and t.prefix.endswith("ل") and t.reading.tense == "present":
        return "irrealis:purpose"
    if t.reading.kind == "noun" and before and before[-1] in ("الي", "لبحث", "لمناقشه") and \
            not any(b[:3] in ("توص", "خلص", "وصل", "وتو", "وخل") or "خلص" in b or "توصل" in b for b in before[:-1]):
        return "irrealis:" + near
    return None


def _in_quotes(text: str, s: int, e: int, start: int) -> int | None:
    """Number of words of the quotation around [s, e) of the sentence text (offset start), or None."""
    for m in _QUOTE.finditer(text):
        if m.start() + start <= s and e <= m.end() + start:
            return len(m.group().split())
    return None


def _slots(toks, t: Trigger, cands: list[ea.Cand], lo: int, hi: int, sent_norm: str):
    """(source cands, target cands, how) for a trigger, or None."""
    entry = t.reading.entry
    after = [c for c in cands if c.i >= t.j and c.i - t.j <= 14]
    rel = t.reading.kind == "noun" and t.j < hi - 1 and toks[t.j].norm in ("التي", "الذي")
    brk = next((k for k in range(t.j + rel, hi) if toks[k].norm in ea.CLAUSE_BREAK), hi)
    after = [c for c in after if c.i < brk or c.i == t.j]
    before = [c for c in cands if c.j <= t.i]
    src, how = None, ""
    if t.reading.kind == "verb":
        for c in after[:3]:
            if (not c.prep or c.prep in ("و", "ف") and c.i == t.j or ea.is_title_genitive(toks, c, lo)) \
                    and c.i - t.j <= 6:
                src, how = c, "subject-after-verb"
                break
        if src is None:
            subj = [c for c in before if not ea.bare(c.prep) and t.i - c.j <= 8]
            if subj:
                src, how = subj[-1], "subject-before-verb"
        if src is not None and src.entity is None and src.name.split()[-1:] and \
                ea.head_reading(toks[src.i].norm) and ea.head_reading(toks[src.i].norm)[1] in ea.VICTIMS:
            return None   # "قتل 5 مدنيين": a passive; the noun trigger ("في غارات لـ...") carries the event
    else:
        nxt = after[0] if after else None
        if rel:
            rc = [c for c in after if c.i <= t.j + 3 and not c.prep]
            if rc:
                src, how = rc[0], "relative-clause"
        elif nxt is not None and nxt.i == t.j and (not nxt.prep or ea.bare(nxt.prep) == "ل"
                                                   and entry.type in ("ASSAULT", "COERCE")):
            src, how = nxt, "genitive"
        elif nxt is not None and nxt.i == t.j + 1 and toks[t.j].norm == "بين":
            src, how = nxt, "between"
        if src is None:
            subj = [c for c in before if not ea.bare(c.prep) and c.prep != "و"]
            pair = t.j < hi and toks[t.j].norm in ("بينهما", "بينهم")
            possessive = t.reading.tense == "poss"
            near = [c for c in subj if t.i - c.j <= 6]
            if pair and subj:
                src, how = subj[0], "clause-subject"
            elif near or possessive and subj:
                src, how = (near or subj)[0], "clause-subject"
    if src is None:
        return None
    rest = [c for c in cands if c.i >= max(src.j, t.j) and c.i < brk and not ea.same(c, src)]
    while rest and ea.appositive(toks, src, rest[0]):
        rest = rest[1:]
    sources = [src]
    co = ea.compound_next(toks, src, cands)
    if co is not None and not ea.same(co, src):
        if entry.type in SYMMETRIC and (ea.has_pair_word(sent_norm) or how in ("between", "genitive")
                                        or not [c for c in rest if c is not co]):
            return [src], [co], how + "+compound-split"
        sources.append(co)
        rest = [c for c in rest if c is not co]
    fits = []
    for c in rest:
        p = ea.bare(c.prep)
        if entry.requires_prep and not p:
            continue
        if p in entry.preps or (p == "في" and entry.type == "ASSAULT" and c.entity is not None
                                and c.entity.type == "LOC"):
            fits.append((c, p))
    fits.sort(key=lambda cp: cp[0].entity is not None and cp[0].entity.type == "LOC" and entry.type != "CONSULT")
    if not fits:
        return None
    tgt, p = fits[0]
    k = tgt.j
    if k + 1 < hi and toks[k].norm == "برياسه":
        lead = next((d for d in cands if d.i == k + 1 and d.entity is not None), None)
        if lead is not None:
            tgt, how = lead, how + f"+led-by({tgt.name})"
    return sources, [tgt], how + f"+target:{p or 'object'}"


def extract_events(article: Article, lexicon: Lexicon | None = None) -> Article:
    """The article with its events (pure)."""
    lex = lexicon or load_lexicon()
    text = article.text
    toks = tokens(text)
    starts = [tk.start for tk in toks]
    ent_at = _entity_index(text, toks, starts, article.entities)
    inside = {k for k, (_, end, _) in ent_at.items() for k in range(k, end)}
    by_sent: dict[int, list[Trigger]] = {}
    spans = sentences(text)
    for t in find_triggers(toks, lex):
        if t.i in inside:
            continue
        by_sent.setdefault(bisect.bisect_right([s for s, _ in spans], toks[t.i].start) - 1, []).append(t)
    events: list[Event] = []
    for si, trigs in sorted(by_sent.items()):
        s0, s1 = spans[si]
        lo, hi = bisect.bisect_left(starts, s0), bisect.bisect_left(starts, s1)
        cands = ea.candidates(toks, lo, hi, ent_at)
        sent_text = text[s0:s1]
        sent_norm = normalize(sent_text)
        done: set[int] = set()
        for t in sorted(trigs, key=lambda t: (t.i, t.reading.kind != "verb", -(t.j - t.i))):
            if t.i in done:
                continue
            ev = _annotate(article, toks, t, cands, lo, hi, (s0, s1), sent_text, sent_norm, si)
            if ev is not None:
                done.update(range(t.i, t.j))
                events.append(ev)
    return dataclasses.replace(article, events=_dedupe(_inherit_dates(events)))


def _annotate(article, toks, t, cands, lo, hi, span, sent_text, sent_norm, si) -> Event | None:
    s0, s1 = span
    tok = toks[t.i]
    q = _in_quotes(sent_text, tok.start, toks[t.j - 1].end, s0)
    if q is not None and q <= 3:
        return None
    mod = _modality(toks, t, lo, sent_norm, 0)
    if mod and mod.startswith("irrealis"):
        return None
    slots = _slots(toks, t, cands, lo, hi, sent_norm)
    if slots is None:
        return None
    src, tgt, how = slots
    entry = t.reading.entry
    conf = 0.85 if t.reading.kind == "verb" else 0.7
    conf -= 0.15 * sum(c.entity is None for c in src + tgt)
    conf -= 0.1 if q is not None else 0
    date, drule = _date(article, sent_text, s0, tok.start, si, t)
    place = _place(toks, cands, t, src + tgt)
    rule = (f"{entry.source}:{entry.id} {t.reading.kind}:{t.reading.tense} '{toks[t.i].norm}'; actors:{how}; "
            f"date:{drule}" + (f"; {mod}" if mod else ""))
    return Event(type=entry.type, source=[c.actor for c in src], target=[c.actor for c in tgt],
                 sentence=sent_text, span=(s0, s1), mode=entry.mode, cameo=entry.cameo, date=date,
                 place=place, negated=bool(mod), confidence=round(max(0.1, conf), 2),
                 trigger=article.text[tok.start:toks[t.j - 1].end], rule=rule)


def _entity_index(text, toks, starts, entities: list[Entity]) -> dict[int, tuple[Entity, int, str]]:
    out: dict[int, tuple[Entity, int, str]] = {}
    for ent in entities:
        for s, e in ent.mentions:
            i = bisect.bisect_right(starts, s) - 1
            if i < 0 or toks[i].end <= s:
                i += 1
            j = bisect.bisect_left(starts, e)
            if i >= len(toks) or j <= i:
                continue
            prev = out.get(i)
            if prev is None or prev[1] < j:
                out[i] = (ent, j, normalize(text[toks[i].start:s]))
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


def _place(toks, cands, t: Trigger, actors) -> Actor | None:
    ids = {c.entity.id for c in actors if c.entity is not None}
    locs = [c for c in cands if c.entity is not None and c.entity.type == "LOC" and c.entity.id not in ids
            and ea.bare(c.prep) in ("في", "ب")]
    if not locs:
        return None
    best = min(locs, key=lambda c: abs(c.i - t.i) + (0 if c.i > t.i else 5))
    return best.actor


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


def _dedupe(events: list[Event]) -> list[Event]:
    """The same (type, source, target) on the same or an unknown date: one event (first sentence, best confidence)."""
    out: list[Event] = []
    for e in events:
        src, tgt = frozenset(map(_key, e.source)), frozenset(map(_key, e.target))
        for k, o in enumerate(out):
            osrc, otgt = frozenset(map(_key, o.source)), frozenset(map(_key, o.target))
            pair = (src, tgt) == (osrc, otgt) or e.type in SYMMETRIC and (src, tgt) == (otgt, osrc)
            if o.type == e.type and pair and o.negated == e.negated and (o.date == e.date or not o.date or not e.date):
                out[k] = dataclasses.replace(o, date=o.date or e.date, confidence=max(o.confidence, e.confidence))
                break
        else:
            out.append(e)
    return out

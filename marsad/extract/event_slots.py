"""Slotting: which candidates (``event_actors.Cand``) of a trigger's sentence are its source and target.

Rules, each recorded in the event's ``rule`` (the "how" string):
- verbs: subject right before the verb (SVO: "أن القوات المسلحة ضربت"), else after it (VSO), else, when the
  verb is followed directly by its particle ("حيث التقى مع ...") or has no subject, the subject of the
  previous event of the same sentence (pro-drop); a post-verbal subject cannot follow a number ("قتلت 143");
- a reported clause ("قال X إن ...", "أوضحت X أن ...") is a barrier: the speaker is not the actor of the
  events inside it;
- nouns: genitive agent ("قصف النظام", "غارات للطيران") or, for nouns whose genitive is the object
  ("اعتقال X", "مقتل X"), genitive target; relative clauses ("القصف الذي ينفذه X"); the subject of the clause;
- agents of passives and victim nouns: "على يد X", "برصاص X", "بنيران X", "من قبل X", and an attack noun
  later in the sentence ("... جراء غارات X", "ضربات نفذها X");
- an announced or decided coercion ("أعلنت X عزل Y", "قررت X اعتقال Y"): the announcer is its agent;
- circumstantial participles ("محملاً X مسؤولية", "متهماً", "داعياً") take the subject of the main clause;
- receiving: the subject of تلقى is a party of the call or message it received ("تلقى X اتصالاً من Y");
- target: the first candidate after the trigger introduced by one of the entry's prepositions (titles between
  a preposition and a named person are skipped: "مع وزير الخارجية، محمد جواد ظريف");
- every conjunct of a subject acts ("وتتهم بريطانيا وفرنسا والولايات المتحدة النظام السوري"); a verb with its
  plural ending has its subject before it; counted men, kin ("نجل ابن عم X") and victims are no subject; a
  demonstrative object ("هذه المجموعة") leaves later names alone.
"""
from __future__ import annotations

import dataclasses

from marsad.arabic import Token, normalize
from marsad.extract import event_actors as ea
from marsad.extract.event_lexicon import SYMMETRIC, Trigger
from marsad.extract.event_places import THROUGHOUT, under_compass, under_place_noun

COMPLEMENTIZERS = frozenset(normalize(w) for w in "أن إن بأن وأن فإن لأن أنه إنه بأنه أنها إنها بأنها".split())
PARTICLES = frozenset(normalize(w) for w in "مع إلى على ضد عن من ب".split())
AGENT_MARKERS = frozenset(normalize(w) for w in "برصاص بنيران برصاصة بقذائف بصواريخ".split())
ATTACK_NOUNS = frozenset(normalize(w) for w in """غارات غارة قصف ضربات ضربة هجوم هجمات استهداف براميل قذائف
صواريخ""".split())
PERFORM = frozenset(normalize(w) for w in """نفذها ينفذها نفذه ينفذه شنها يشنها شنه يشنه تبناه تبنته تبنى شنتها نفذتها
شنته نفذته تنفذه تنفذها تشنه تشنها أجراه أجرته أجراها يجريه عقده عقدته""".split())
PARTICIPLES = frozenset(normalize(w) for w in """محملا محملة متهما متهمة داعيا داعية مطالبا مطالبة منددا منددة مشيدا
مشيدة مرحبا مرحبة مناشدا مناشدة حاثا محذرا محذرة""".split())
CLAUSE_OPENERS = frozenset(normalize(w) for w in "حيث ثم كما وقد قد فيما بينما".split())
CONTRASTIVES = frozenset(normalize(w) for w in "لكن ولكن لكنه ولكنه لكنها ولكنها لكنهم ولكنهم".split())
DECIDE = frozenset(normalize(w) for w in "أعلن أعلنت أعلنوا يعلن تعلن قرر قررت قرروا يقرر تقرر".split())
RECEIVE = frozenset(normalize(w) for w in "تلقى تلقت تلقيا تلقوا يتلقى تتلقى".split())
# counted men after a verb are its object or, passive, its victims, never its subject ("قتل خمسة عناصر من X")
PEOPLE = ea.VICTIMS | frozenset(normalize(w) for w in "عناصر مقاتلين مسلحين جنود رجال".split())
KIN = frozenset(normalize(w) for w in "نجل ابن ابنة بنت عم خال شقيق شقيقة زوج زوجة والد والدة أخ أخت حفيد".split())
LOYAL = frozenset(normalize(w) for w in "موالية الموالية موال الموالي موالين الموالين".split())
DEMONSTRATIVES = frozenset(normalize(w) for w in "هذا هذه هؤلاء ذلك تلك أولئك هذين هاتين".split())
NUMBERS = frozenset(normalize(w) for w in """ثلاثة ثلاث أربعة أربع خمسة خمس ستة ست سبعة سبع ثمانية ثماني تسعة تسع
عشرة عشر عشرات مئات آلاف""".split())


def _is_victim(c: ea.Cand) -> bool:
    return c.entity is None and ea.head_reading(normalize(c.name.split()[0]) if c.name else "") is not None and \
        ea.head_reading(normalize(c.name.split()[0]))[1] in ea.VICTIMS


def barrier(toks: list[Token], lo: int, i: int) -> int:
    """First token of the innermost reported or contrasted clause before toks[i] ("قال X إن [...]", "ليس لدى
    تركيا خطط لإرسال قوات برية ولكنها [...]"), else lo."""
    for k in range(i - 1, lo - 1, -1):
        if toks[k].norm in COMPLEMENTIZERS or toks[k].norm in CONTRASTIVES:
            return k + 1
    return lo


def eff_prep(toks: list[Token], c: ea.Cand, lo: int, cands=()) -> str:
    """The preposition of c, or of the title before a named person ("مع وزير الخارجية، محمد جواد ظريف")."""
    p = ea.bare(c.prep)
    if p or c.entity is None or c.entity.type != "PER":
        return p
    start = _chain_start(toks, c, cands, lo)
    if start == c.i:
        return ""
    for prefix, stem in ea.readings(toks[start].norm):
        if prefix in ("ب", "ل", "وب", "ول") and ea.titleish(stem):
            return prefix[-1]
    if start - 2 >= lo and toks[start - 1].norm == "من" and toks[start - 2].norm in ("كلا", "كل"):
        return ""   # "استقبل كلاً من محافظ صنعاء X": each of them, the object
    return toks[start - 1].norm if start > lo and toks[start - 1].norm in ea.PREP_WORDS else ""


def agent_after(toks: list[Token], cands: list[ea.Cand], start: int, hi: int, exclude=()) -> tuple[ea.Cand, str] | None:
    """The agent of a passive or victim noun: "على يد X", "برصاص X", "جراء غارات X", "ضربات نفذها X"."""
    for k in range(start, hi):
        n = toks[k].norm
        marker = None
        if n in ("يد", "ايدي") and k > start - 1 and toks[k - 1].norm == "علي":
            marker = "by-hand"
        elif n == "قبل" and toks[k - 1].norm == "من":
            marker = "by"
        elif n in AGENT_MARKERS:
            marker = "by-fire"
        elif n in PERFORM:
            marker = "performed-by"
        elif any(stem in ATTACK_NOUNS for _, stem in ea.readings(n)):
            marker = "attack-noun"
        if marker is None:
            continue
        limit = 2 if marker != "attack-noun" else 3
        for c in cands:
            if k < c.i <= k + limit and c not in exclude and not _is_victim(c) and \
                    (marker != "attack-noun" or ea.bare(c.prep) in ("", "ل")):
                return c, marker
    return None


def slots(toks, t: Trigger, cands: list[ea.Cand], lo: int, hi: int, prev_src=None):
    """(source cands, target cands, how) for a trigger, or None."""
    entry = t.reading.entry
    bar = barrier(toks, lo, t.i)
    after = [c for c in cands if c.i >= t.j and c.i - t.j <= 14]
    rel = t.reading.kind == "noun" and _performed_at(toks, t.j, hi) is not None
    brk = next((k for k in range(t.j + rel, hi) if toks[k].norm in ea.CLAUSE_BREAK or
                toks[k].norm in COMPLEMENTIZERS and k > t.j), hi)   # "... انه يريد أن تبذل بريطانيا": another clause
    after = [c for c in after if c.i < brk or c.i == t.j]
    before = [c for c in cands if c.j <= t.i and c.i >= bar]
    src, how, tgt_fixed = None, "", None
    if t.reading.kind == "verb":
        if toks[t.i].norm in PARTICIPLES or t.reading.tense == "participle":
            main = [c for c in cands if c.j <= t.i and not ea.bare(c.prep) and c.i >= lo]
            if main:
                src, how = main[0], "participle-main-subject"
        particle = t.j < hi and toks[t.j].norm in PARTICLES
        if t.j + 1 < hi and toks[t.j].norm == "علي" and toks[t.j + 1].norm in ("يد", "ايدي"):   # "قتلوا على يد X"
            agent = agent_after(toks, cands, t.j, hi)
            victim = [c for c in before if c.j == t.i and not ea.bare(c.prep)]
            if agent is None or not victim:
                return None
            return [agent[0]], [victim[-1]], "passive+agent:by-hand"
        adjacent = [c for c in before if not ea.bare(c.prep) and c.prep != "و" and
                    all(toks[k].norm in ("قد", "فقد", "لقد") for k in range(c.j, t.i))]
        clause_initial = t.prefix in ("و", "ف") or t.i > lo and toks[t.i - 1].norm in CLAUSE_OPENERS
        if src is None and particle and clause_initial and prev_src is not None and not adjacent:
            src, how = prev_src, "pro-drop"
        if src is None and adjacent:
            src, how = adjacent[-1], "subject-before-verb"
        strikes = _attack_noun_before(toks, max(bar, t.i - 5), t.i) if src is None and entry.type == "ASSAULT" else None
        if strikes is not None:
            # "نفذوا 29 ضربة جوية استهدفت X": the strikes are the subject; their author acts, X is hit
            agents = [c for c in before if c.j <= strikes and not ea.bare(c.prep)]
            obj = [c for c in after if not c.prep and c.i - t.j <= 3]
            if agents and obj:
                src, tgt_fixed, how = agents[-1], obj[0], "attack-noun-subject"
        if src is None and not particle and strikes is None and not _plural(toks, t):
            for c in after[:3]:   # after the strikes, X is hit, not hitting; a plural verb's subject came before
                gap = range(t.j, c.i)
                if any(toks[k].norm[:1].isdigit() or toks[k].norm == "من" for k in gap) or \
                        any(toks[k].norm in NUMBERS for k in gap) and _counted_people(toks, c):
                    break
                prep = c.prep or eff_prep(toks, c, t.j, cands)   # "اجتمع خلالها بالرئيس الروسي فلاديمير بوتين"
                if (not prep or c.prep in ("و", "ف") and c.i == t.j or ea.is_title_genitive(toks, c, lo)) \
                        and c.i - t.j <= 6:
                    src, how = _person_of_title(toks, c, after) or c, "subject-after-verb"
                    break
        if src is not None and how == "subject-before-verb" and entry.type in ("ASSAULT", "COERCE") and \
                _is_victim(src):   # "93 مدنيا قتلوا ... بأعمال قصف نفذها الحوثيون": victims are killed, by whom
            agent = agent_after(toks, cands, t.j, hi, exclude=(src,))
            if agent is None:
                return None
            src, tgt_fixed, how = agent[0], src, f"victims-before-verb+agent:{agent[1]}"
        if src is not None and how == "subject-after-verb" and _passive(toks, t, src):
            agent = agent_after(toks, cands, src.j, hi, exclude=(src,))
            if agent is None:
                return None   # "قتل 5 مدنيين": a passive without an agent
            src, tgt_fixed, how = agent[0], src, f"passive+agent:{agent[1]}"
        if src is None:   # not a conjunct of a prepositional phrase ("مع سوريا والعراق، قتل") nor a kinsman; a
            # plural verb's right before it
            subj = [c for c in before if not ea.bare(c.prep) and c.prep != "و" and not _kin_genitive(toks, c)
                    and (t.i - c.j <= 8 if not _plural(toks, t) else
                         t.i - c.j <= 2 and not any(ea.gap(toks, k) for k in range(c.j, t.i + 1)))]
            if subj:
                src, how = subj[-1], "subject-before-verb"
        if src is None and prev_src is not None and (particle or t.i - lo <= 2) and \
                not (t.j < hi and toks[t.j].norm.startswith("ال")):
            src, how = prev_src, "pro-drop"
    else:
        nxt = after[0] if after else None
        if nxt is not None and nxt.i == t.j and ea.inherited_prep(toks, nxt, lo):
            nxt = dataclasses.replace(nxt, prep="")   # "إلى دعم طهران لنظام الأسد": Tehran is the genitive
        if nxt is not None and nxt.i == t.j and nxt.entity is None and toks[t.j].norm.endswith("ي") and \
                not toks[t.j].norm.startswith("ال"):
            nxt = None   # "اعتداء انتحاري قام به داعش": an adjective (nisba) of the noun, not its genitive
        num = t.j < hi and toks[t.j].norm[:1].isdigit() and entry.genitive == "object"
        own = nxt is not None and nxt.i == t.j and nxt.prep in ("ب", "ل") and t.prefix[:1] == nxt.prep   # لاتهام X
        gen = nxt is not None and nxt.i == t.j + num and (not nxt.prep or own or ea.bare(nxt.prep) == "ل"
                                                    and entry.type in ("ASSAULT", "COERCE"))
        if gen and (entry.genitive == "object" or nxt.entity is not None and nxt.entity.type == "LOC"
                    and entry.type == "ASSAULT" or _is_victim(nxt)):
            agent = _noun_agent(toks, cands, t, nxt, hi, before)
            if agent is None:
                return None
            src, tgt_fixed, how = agent[0], nxt, "genitive-object+agent:" + agent[1]
        elif rel:
            at = _performed_at(toks, t.j, hi)
            rc = [c for c in after if at < c.i <= at + 3 and not c.prep]
            if rc:
                src, how = rc[0], "relative-clause"
        elif gen:
            src, how = nxt, "genitive"
        elif nxt is not None and nxt.i == t.j + 1 and toks[t.j].norm == "بين":
            src, how = nxt, "between"
        if src is None and entry.type == "CONSULT":   # "تلقى X [titles] اتصالاً هاتفياً من Y": X, however long
            rv = next((k for k in range(t.i - 1, max(bar, t.i - 25) - 1, -1)
                       if any(stem in RECEIVE for _, stem in ea.readings(toks[k].norm))), None)
            got = [c for c in before if rv is not None and c.i > rv and not ea.bare(c.prep)]
            if got:
                src, how = got[0], "receiver"
        if src is None:
            subj = [c for c in before if not ea.bare(c.prep) and c.prep != "و" and not under_place_noun(toks, c)
                    and not _kin_genitive(toks, c) and not (entry.type in ("ASSAULT", "COERCE") and _is_victim(c))]
            pair = t.j < hi and toks[t.j].norm in ("بينهما", "بينهم")
            possessive = t.reading.tense == "poss"
            near = [c for c in subj if t.i - c.j <= 6]
            if pair and subj:
                src, how = subj[0], "clause-subject"
            elif near or possessive and subj:
                src, how = (near or subj)[0], "clause-subject"
                person = next((c for c in subj if c.i == src.j and c.entity is not None and c.entity.type == "PER"), None)
                if src.entity is not None and src.entity.type != "PER" and person is not None:
                    src, how = person, "clause-subject:person"   # "رئيس حزب X أحمد داود أوغلو أجرى اتصالات"
    if src is None or under_place_noun(toks, src):   # "تعرضت قرى درعا لقصف": Daraa is where, not who
        return None
    if tgt_fixed is not None:
        if ea.same(tgt_fixed, src) or entry.no_place_target and _is_place(tgt_fixed):
            return None
        return [src], [tgt_fixed], how
    return _target(toks, t, cands, lo, hi, src, how, brk)


def _conjuncts(toks, src: ea.Cand, cands: list[ea.Cand], most: int = 6) -> list[ea.Cand]:
    """The actors joined to src by و, in order: "وتتهم بريطانيا وفرنسا والولايات المتحدة النظام السوري" has
    three accusers, and the regime is the one accused."""
    out: list[ea.Cand] = []
    last = src
    while len(out) < most:
        co = ea.compound_next(toks, last, cands)
        if co is None or any(ea.same(co, x) for x in [src, *out]):
            break
        out.append(co)
        last = co
    return out


def _span(toks, a: int, b: int) -> int:
    """Words from toks[a] to toks[b], without the descriptions set off by commas: "اتهم ناشطون من بلدة صرين
    السورية، الواقعة في ريف حلب، وحدات حماية الشعب" (a phrase after punctuation that opens with ال, up to the
    next punctuation)."""
    n, k = b - a, a + 1
    while k < b:
        if ea.gap(toks, k) and toks[k].norm.startswith("ال"):
            m = next((m for m in range(k + 2, b + 1) if ea.gap(toks, m)), None)
            if m is None:
                break
            n -= m - k
            k = m
        k += 1
    return n


def _chain_start(toks, c: ea.Cand, cands, floor: int) -> int:
    """Where the title of a named person starts: "مبعوث الأمين العام للأمم المتحدة إلى اليمن إسماعيل ولد الشيخ"."""
    if c.entity is None or c.entity.type != "PER":
        return c.i
    covered = {k for d in cands if d.j <= c.i for k in range(d.i, d.j)}
    k, first = c.i, c.i
    while k - 1 >= floor and (k - 1 in covered or ea.titleish(toks[k - 1].norm) or toks[k - 1].norm in ea.PREP_WORDS
                              or toks[k - 1].norm.startswith(("ال", "لل"))):
        k -= 1
        if ea.titleish(toks[k].norm):
            first = k
    return first


def _counted_people(toks, c: ea.Cand) -> bool:
    """"قتل أربعة عناصر من الشرطة": counted men after the verb are its victims ("قصفت ثلاث طائرات" are not)."""
    head = ea.head_reading(toks[c.i].norm)
    return head is not None and head[1] in PEOPLE


def _kin_genitive(toks, c: ea.Cand) -> bool:
    """"سليمان الأسد، نجل ابن عم بشار الأسد، أقدم على قتل": a person named as someone's kin is not the actor."""
    return c.i > 0 and c.entity is not None and c.entity.type == "PER" and \
        any(stem in KIN for _, stem in ea.readings(toks[c.i - 1].norm))


def _performed_at(toks, j: int, hi: int) -> int | None:
    """Where the verb naming who performed the noun ending at ``j`` is: "القصف الذي ينفذه X", "حملات المداهمة
    نفذتها X", "اعتداء انتحاري قام به داعش" (one adjective between)."""
    for k in (j, j + 1):
        if k >= hi:
            return None
        n = toks[k].norm
        if n in ("التي", "الذي") and k + 1 < hi and toks[k + 1].norm in PERFORM:
            return k + 1
        if n in PERFORM or n in ("قام", "قامت", "قاموا") and k + 1 < hi and toks[k + 1].norm in ("به", "بها"):
            return k + (n not in PERFORM)
        if not (n.endswith("ي") and not n.startswith("ال")):   # only a nisba adjective may stand between
            return None
    return None


def _attack_noun_before(toks, lo: int, i: int) -> int | None:
    """The last attack noun (غارات، ضربة…) among toks[lo:i] that is the subject of the verb at i: nothing but
    its attributes between them ("ضربة جوية يوم الأحد استهدفت"; not "عقب تلك الغارات، كما استهدفت")."""
    for k in range(i - 1, lo - 1, -1):
        if ea.gap(toks, k + 1) or toks[k].norm in CLAUSE_OPENERS:
            return None
        if any(stem in ATTACK_NOUNS for _, stem in ea.readings(toks[k].norm)):
            return k
    return None


def _plural(toks, t: Trigger) -> bool:
    """A verb written with its plural ending (قصفوا، يستهدفون): in verb-first order the verb stays singular, so
    its subject is before it or a pronoun ("هؤلاء الجهاديين يستهدفون الشيعة": the Shia are the target)."""
    return t.reading.kind == "verb" and toks[t.i].norm[len(t.prefix):].endswith(("وا", "ون"))


def _person_of_title(toks, c: ea.Cand, after: list[ea.Cand]) -> ea.Cand | None:
    """"دعا مفتي طرابلس الشيخ مالك الشعار": a place that completes a title is the person's, and the person
    named right after it is the actor (an organisation there acts itself: "السكرتير العام للتحالف، آرام")."""
    if not _is_place(c) or c.i == 0 or not ea.titleish(toks[c.i - 1].norm):
        return None
    return next((d for d in after if d.i > c.i and d.i - c.j <= 2 and d.entity is not None
                 and d.entity.type == "PER" and not d.prep), None)


def _is_place(c: ea.Cand) -> bool:
    return c.entity is not None and c.entity.type == "LOC"


def _passive(toks, t: Trigger, c: ea.Cand) -> bool:
    """"قتل 5 مدنيين", "قتل عناصر من قوات النظام", "قتل X برصاص Y": the post-verbal noun is the victim, not
    the agent."""
    if t.reading.entry.type != "ASSAULT" or t.reading.tense != "past":
        return False
    if _is_victim(c) or any(toks[k].norm in AGENT_MARKERS for k in range(c.j, min(c.j + 3, len(toks)))):
        return True   # "وقتل مطلق النار محمد يوسف (24 عامًا) برصاص الشرطة": killed by police fire
    return c.entity is not None and c.i > t.j and any(ea.head_reading(toks[k].norm) for k in range(t.j, c.i))


def _noun_agent(toks, cands, t: Trigger, obj: ea.Cand, hi: int, before) -> tuple[ea.Cand, str] | None:
    found = agent_after(toks, cands, obj.j, hi, exclude=(obj,))
    if found is not None:
        return found
    near = [c for c in before if not ea.bare(c.prep) and c.prep != "و" and t.i - c.j <= 4 and not _is_victim(c)]
    if near and t.reading.entry.type not in ("ASSAULT", "COERCE"):
        return near[-1], "clause-subject"
    if t.reading.entry.type == "COERCE":   # "أعلنت X عزل Y", "قررت X اعتقال Y": who announces or decides it
        k = next((k for k in range(t.i - 1, max(0, t.i - 12) - 1, -1)
                  if any(stem in DECIDE for _, stem in ea.readings(toks[k].norm))), None)
        got = [c for c in before if k is not None and c.i > k and not ea.bare(c.prep) and not _is_victim(c)]
        if got:
            return got[0], "decided-by"
    return None


def _target(toks, t: Trigger, cands, lo, hi, src, how, brk):
    entry = t.reading.entry
    rest = [c for c in cands if c.i >= max(src.j, t.j) and c.i < min(brk, t.j + 14) and not ea.same(c, src)]
    while rest and ea.appositive(toks, src, rest[0]):
        rest = rest[1:]
    sources = [src]
    more = _conjuncts(toks, src, cands) if src.i >= lo else []
    if more:
        co = more[0]
        pair = ea.has_pair_word(" ".join(tk.norm for tk in toks[lo:hi]))
        people = all(x.entity is not None and x.entity.type == "PER" for x in (src, co))   # two people meet
        if entry.type in SYMMETRIC and (pair or people or how in ("between", "genitive")
                                        or not [c for c in rest if c not in more]):
            return [src], more, how + "+compound-split"
        sources.extend(more)
        rest = [c for c in rest if not any(ea.same(c, x) for x in more)]   # no one is their own target
    fits = []
    pointed = t.reading.kind == "verb" and max(src.j, t.j) < hi and toks[max(src.j, t.j)].norm in DEMONSTRATIVES
    for c in rest:
        p = eff_prep(toks, c, max(lo, t.j), cands)
        if entry.requires_prep and not p or pointed and not p:
            continue   # "واستهدفت جبهة النصرة هذه المجموعة": the object is the group pointed at, not a later name
        if entry.no_place_target and _is_place(c) or toks[c.i].norm in entry.blockers:
            continue
        start = _chain_start(toks, c, cands, max(t.j, src.j))
        if p == "ل" and start > t.j and toks[start - 1].norm in LOYAL or \
                _is_place(c) and any(stem in THROUGHOUT for _, stem in ea.readings(toks[c.i - 1].norm)):
            continue   # "قوات موالية لـ X": whom they serve; "في جميع أنحاء تركيا": where, not whom
        if not p and t.reading.kind == "noun" and entry.genitive == "object" and start > t.j and \
                not all(ea.titleish(toks[k].norm) for k in range(t.j, c.i)):
            continue   # the object of "اعتقال"، "مقتل زعيم X" is its genitive, never a later noun
        noun_reach = 12 if p == "مع" and t.reading.tense == "poss" else 6   # "خلال اجتماعه أمس في ...، مع X"
        reach = 6 if t.reading.kind == "noun" else 3 if p == "ل" else 8   # "تدعم أي جهود للتصدي لتنظيم داعش"
        if _span(toks, max(t.j, src.j), start) > reach and (not p or p == "ل") or \
                t.reading.kind == "noun" and _span(toks, t.j, start) > noun_reach:
            continue   # an object far from its verb or noun belongs to another clause
        if _is_place(c) and p == "ب" and c.i > t.j + 1 and toks[c.i].norm.startswith(("ب", "وب")) and \
                not normalize(c.name).startswith("ب"):
            continue   # "في قصره بجدة": where, not with whom
        if p in entry.preps or (p == "في" and entry.type == "ASSAULT" and _is_place(c) and c.i <= t.j + 2):
            fits.append((c, p))
    fits.sort(key=lambda cp: (under_compass(toks, cp[0]),   # "على مدينة الفلوجة غرب بغداد": not Baghdad
                              entry.type == "CONSULT" and cp[1] != "مع",   # a place is a target after the others,
                              _is_place(cp[0]) and entry.type != "CONSULT" and cp[1] != ""))   # unless the object
    if not fits:
        return None
    tgt, p = fits[0]
    k = tgt.j
    if k + 1 < hi and toks[k].norm == "برياسه":
        lead = next((d for d in cands if d.i == k + 1 and d.entity is not None), None)
        if lead is not None:
            tgt, how = lead, how + f"+led-by({tgt.name})"
    targets = [tgt] + [c for c in _conjuncts(toks, tgt, cands) if not any(ea.same(c, x) for x in sources)
                       and not (entry.no_place_target and _is_place(c))]   # "أدان X روسيا وإيران": both
    return sources, targets, how + f"+target:{p or 'object'}" + ("+conjuncts" if len(targets) > 1 else "")

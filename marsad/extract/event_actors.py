"""Who did it to whom: the actor slots of an event trigger, from the sentence around it.

Candidates are the article's entity mentions in the sentence plus described actors (a head noun from
``HEADS`` with its adjectives: "الجانب الأمريكي", "وفداً أمريكياً", "المدنيين"). Each candidate knows the
preposition that introduces it (a clitic ب/ل or a word such as على, مع, في), which is what the slotting rules
read: subject after an Arabic verb (VSO) or before it (SVO), direct or prepositional object, compound "X و Y"
split by "بين الطرفين/بينهما", "X برئاسة Z", genitive sources of event nouns ("غارات للطيران التركي"),
relative clauses ("القصف الذي ينفذه X على Y") and light verbs ("شن X غارات على Y").
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from marsad.arabic import Token, normalize
from marsad.extract.event_owners import PREFIXES, owner_head, readings, stem_in
from marsad.model import Actor, Entity



def _norm_set(words) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


PREP_WORDS = _norm_set("في على مع الى ضد عن من بين لدى تجاه حول خلال عبر بحق امام قرب عند نحو باتجاه داخل خارج".split())
HEADS = _norm_set("""جانب طرف وفد قوات طيران طايرات طايره مدفعيه مدنيين مدنيا مسلحين مسلحون سلطات حكومه جيش نظام
شرطه مقاتلين عناصر معتقلين متظاهرين انتحاري انتحاريين مجهولين معارضه ميليشيات مليشيات متمردين لاجيين نازحين اطفال
طفلا طفلين طفل نساء مواطن مواطنا مواطنين ناشطون ناشطين سكان اهالي الاهالي""".split())
VICTIMS = _norm_set("مدنيين مدنيا مدني اشخاص شخصا طفلا طفلين طفل اطفال نساء شهداء ضحايا نازحين لاجيين مواطن مواطنا مواطنين".split())
GROUPS = VICTIMS | _norm_set("اهالي الاهالي سكان ناشطون ناشطين".split())   # named without adjectives
NOT_ACTORS = _norm_set(["النظام العام", "الرأي العام", "النظام الدولي", "الوفد المرافق", "وفد مرافق"])
FORCE = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "SANCTION"})   # types whose source uses force
CIVILIANS = _norm_set("مدنيين مدنيون مدنيا مدني طفل طفلا طفلين اطفال نساء شهداء ضحايا نازحين لاجيين".split())
SHELTERS = _norm_set("مستشفى مستشفيات مشفى مدرسه مدارس مسجد مساجد".split())
PRESS = _norm_set("صحيفه جريده قناه تلفزيون تلفزيونات اذاعه وكاله مجله شبكه محطه".split())
VEHICLES = _norm_set("طايره طايرات طيران مروحيه مروحيات".split())
EVENT_NOUNS = _norm_set("""هجوم هجمات تفجير تفجيرات عمليه عمليات اعتداء اعتداءات حزام احزمه سياره سيارات
شاحنه عبوه""".split())   # what an adjective like انتحاري describes
RELATIVE_WORDS = _norm_set("الذي التي الذين اللذين اللتين اللواتي اللاتي".split())   # "الانتحاري الذي": no name
_NP_STOPS = PREP_WORDS | RELATIVE_WORDS   # words that end a described actor's name
DOCUMENTS = _norm_set("تقرير بيان دراسه رساله".split())   # what an actor issues: "تقرير لـX" speaks for X
# an organ of an organisation: "دائرة العلاقات الخارجية في الائتلاف" -> the organisation
ORGANS = _norm_set("دايره مكتب لجنه هييه".split())
TITLE_WORDS = _norm_set("""رييس رييسه سكرتير امين عام مشترك مشتركه وزير منسق متحدث ناطق ناطقه متحدثه مدير ممثل سفير
مبعوث قايد زعيم نايب مسوول عضو باسم امير ملك فخامه معالي سمو صاحب دوله سعاده مفتي محافظ دكتور شيخ
لواء عميد عقيد""".split())
CLAUSE_BREAK = _norm_set("""وقال قال واضاف وتابع واكد وشدد واوضح واشار ولفت مشيرا مؤكدا موكدا مضيفا حيث بينما فيما
الذي التي الذين وذلك بعد قبل""".split())
PAIR_WORDS = ("بين الطرفين", "بين الجانبين", "بينهما", "بينهم")
COUNTERPART = ("ونظير",)   # ونظيره، ونظيرته، ونظيريه: "X and his counterpart Y"
_TANWIN_ALEF = re.compile("ا?[\u064b]ا?|[\u064b-\u0652\u0640]")
_NISBA = re.compile(r"(ي|يه|يا|يين|يون|يان)$")


@dataclass(frozen=True)
class Cand:
    """An actor mention in a sentence: token range [i, j), the introducing preposition, the entity if any."""

    i: int
    j: int
    name: str
    entity: Entity | None
    prep: str

    @property
    def actor(self) -> Actor:
        return Actor(name=self.name, entity=self.entity.id if self.entity else None)


def clean_name(text: str) -> str:
    """Drop diacritics, tatweel and the accusative ـاً: "وفداً أمريكياً" -> "وفد أمريكي"."""
    words = []
    for w in text.split():
        if w.endswith("اً") or w.endswith("ًا"):
            w = w[:-2]
        words.append(_TANWIN_ALEF.sub("", w))
    return " ".join(words)


# the written forms of head nouns and organs (with clitics, accusative, construct plural): a fast filter that
# every word read by head_reading or stem_in(ORGANS) passes
OPENERS = frozenset(p + w for h in HEADS for w in (h, h + "ا", h[:-1]) for p in PREFIXES) | \
    frozenset(p + a + w for o in ORGANS for w in (o, o + "ا") for a in ("", "ال") for p in PREFIXES)


@functools.lru_cache(maxsize=65536)
def head_reading(norm: str) -> tuple[str, str] | None:
    """The (clitics, stem) reading of a word whose stem is an actor head noun, if any."""
    for prefix, stem in readings(norm):
        if stem in HEADS or (stem.endswith("ا") and stem[:-1] in HEADS):
            return prefix, stem
        if stem.endswith("ي") and stem + "ن" in HEADS:   # construct plural: "مقاتلي جيش الإسلام"
            return prefix, stem + "ن"
    return None


def _strip_prefix(tok: Token, prefix: str) -> tuple[str, str]:
    """Original text of a token without its conjunction/preposition clitics (ال kept), and those clitics."""
    text = _TANWIN_ALEF.sub("", tok.text)
    if prefix.endswith("لل"):
        return "ال" + text[len(prefix):], prefix[:-1]
    p = prefix[:-2] if prefix.endswith("ال") else prefix
    return text[len(p):], p


def opening_marks(norms: list[str], ent_at, alias_at, at: Iterable[int] | None = None) -> list[int]:
    """The tokens (by their normalized words) that may open a candidate, in order: mentions, short mentions,
    head nouns and organs. ``at``: the only tokens to look at (a superset of the head nouns and organs)."""
    at = range(len(norms)) if at is None else at
    return sorted({k for k in at if norms[k] in OPENERS}.union(ent_at, alias_at))


def candidates(toks: list[Token], lo: int, hi: int, ent_at: dict[int, tuple[Entity, int, str]],
               alias_at: dict[int, tuple[Entity, int, str]] | None = None, marks: list[int] | None = None
               ) -> list[Cand]:
    """Actor candidates among toks[lo:hi]: entity mentions (ent_at: first token -> (entity, end token, the
    clitics before the mention in that token)), anaphoric mentions (alias_at: "الحملة", "الرئيس اليمني") and
    described actors. ``marks`` (`opening_marks`) may be given once for all the sentences of an article."""
    out: list[Cand] = []
    alias_at = alias_at or {}
    if marks is None:
        marks = opening_marks([tk.norm for tk in toks], ent_at, alias_at)
    at, k = bisect.bisect_left(marks, lo), lo
    while True:   # only the tokens that can open a candidate are read
        at = bisect.bisect_left(marks, k, at)
        if at == len(marks) or marks[at] >= hi:
            break
        k = marks[at]
        if k in ent_at or k in alias_at:
            ent, end, clit = ent_at.get(k) or alias_at[k]
            adjacent = bool(out) and out[-1].j == k   # "إلى سوريا ستيفان دي مستورا": not governed by إلى
            prep = _prep_word(toks, k, lo) or clit or ("" if adjacent else _governing(toks, k, lo))
            owned = _owned(toks, k, lo)
            if owned is None:
                out.append(Cand(k, min(end, hi), ent.text, ent, prep))
            else:   # X in the place of the people who belong to it: "320 شخصاً من المنتمين إلى X"
                while out and out[-1].i >= owned[0]:
                    out.pop()
                out.append(Cand(owned[0], min(end, hi), ent.text, ent, owned[1]))
            k = end
            continue
        stem = stem_in(toks[k].norm, ORGANS)
        if stem is not None:
            m = next((m for m in range(k + 1, min(k + 5, hi - 1)) if toks[m].norm == "في" and m + 1 in ent_at), None)
            if m is not None and ent_at[m + 1][0].type == "ORG":   # "دائرة العلاقات الخارجية في الائتلاف"
                ent, end, _ = ent_at[m + 1]
                out.append(Cand(k, min(end, hi), ent.text, ent, _prep_word(toks, k, lo) or stem[0]))
                k = end
                continue
        reading = head_reading(toks[k].norm)
        if reading is not None:
            definite = reading[0].endswith("ال") or reading[0].endswith("لل")
            first, clit = _strip_prefix(toks[k], reading[0])
            owner = None if definite or reading[1] in GROUPS else _titled_owner(toks, k, hi, ent_at)
            if owner is not None:   # "قوات الرئيس السوري بشار الأسد": the president's forces, so the president
                out.append(Cand(k, min(owner[1], hi), owner[0].text, owner[0], _prep_word(toks, k, lo) or clit))
                k = owner[1]
                continue
            if k + 2 < hi and toks[k + 1].norm == "من" and k + 2 in ent_at and reading[1] not in GROUPS:
                # "وفد من X", "عناصر من X" -> X (but "سكان من بلدة X": the people, from a place)
                ent, end, _ = ent_at[k + 2]
                out.append(Cand(k, min(end, hi), ent.text, ent, _prep_word(toks, k, lo) or clit))
                k = end
                continue
            j = k + 1
            words = [first]
            while j < hi and j - k <= 2 and j not in ent_at and not gap(toks, j) and reading[1] not in GROUPS:
                n = toks[j].norm
                if (definite and n.startswith("ال") and len(n) > 3 and n not in _NP_STOPS) or \
                        (not definite and _NISBA.search(n) and len(n) > 3):
                    words.append(_TANWIN_ALEF.sub("", toks[j].text))
                    j += 1
                elif not definite and n.startswith("ال") and len(n) > 3 and n not in PREP_WORDS and j == k + 1:
                    words.append(_TANWIN_ALEF.sub("", toks[j].text))   # construct state: "قوات النظام"
                    j += 1
                    break
                else:
                    break
            if j == k + 1 and j < hi and j in ent_at and not gap(toks, j):   # "طائرات التحالف" -> the entity
                ent, end, _ = ent_at[j]
                out.append(Cand(k, min(end, hi), ent.text, ent, _prep_word(toks, k, lo) or clit or
                                _governing(toks, k, lo)))
                k = end
                continue
            if k > lo and (_adjective_position(toks, k) if definite else _describes_event(toks, k)):
                k += 1   # "القنوات المعارضة", "هجوماً انتحارياً": an adjective
                continue
            if " ".join([normalize(first)] + [t.norm for t in toks[k + 1:k + 2]]) in NOT_ACTORS:   # والوفد المرافق
                k += 2
                continue
            name = clean_name(" ".join(words))
            if reading[1] in VICTIMS:   # victims keep their written form: "مدنيًا" -> "مدنيا" (the gold's spelling)
                name = " ".join([_victim_form(toks[k].text, reading[0])] + name.split()[1:])
            out.append(Cand(k, j, name, None, _prep_word(toks, k, lo) or clit))
            k = j
            continue
        k += 1
    return out


def _adjective_position(toks: list[Token], k: int) -> bool:
    """A definite word right after a definite noun (no punctuation between) is its adjective: "الفصائل
    المعارضة", "بالهجوم الانتحاري" (the noun with its clitic preposition)."""
    prev = toks[k - 1].norm
    bare_prev = prev[1:] if prev[:3] in ("بال", "وال", "فال", "كال") else \
        "ال" + prev[2:] if prev.startswith("لل") else prev
    return not gap(toks, k) and bare_prev.startswith("ال") and len(bare_prev) > 4 and prev not in PREP_WORDS and \
        head_reading(prev) is None


def unlikely_sides(kind: str, toks: list[Token], src: list[Cand], tgt: list[Cand]) -> bool:
    """Sides an event of this PLOVER type cannot have, whatever the sentence's grammar says: a plane or a paper
    meets no one ("وكان في استقبال الطائرة وفد", "في مقابلة مع صحيفة X": a statement); a hospital or civilians
    use no force ("قصف مستشفى عائشة", "قتل أربعة مدنيين لدى إلقاء مروحيات النظام": shelled, not shelling)."""
    if kind == "CONSULT":
        return any(is_vehicle(c) or is_press(toks, c) for c in src + tgt)
    return kind in FORCE and any(is_shelter(c) or is_civilian(c) for c in src)


def is_vehicle(c: Cand) -> bool:
    """A described actor that is an aircraft: "الطائرة", "طائرات التحالف" (no side of a meeting)."""
    return c.entity is None and stem_in(normalize(c.name.split()[0]), VEHICLES) is not None


def is_press(toks: list[Token], c: Cand) -> bool:
    """An actor named as a newspaper, channel or agency ("مع صحيفة «فاينانشيال تايمز»", "أجرتها معه إذاعة
    «كادينا سير»", "مع قناة الجزيرة"): a meeting with it is an interview."""
    return any(stem_in(toks[k].norm, PRESS) is not None for k in (c.i - 1, c.i) if 0 <= k < len(toks))


def is_shelter(c: Cand) -> bool:
    """A hospital, school or mosque, named or described: where people are, never who uses force."""
    return stem_in(normalize(c.name.split()[0]), SHELTERS) is not None


def is_civilian(c: Cand) -> bool:
    """Civilians, children, women, the displaced, described: those force is used on, never its users."""
    return c.entity is None and stem_in(normalize(c.name.split()[0]), CIVILIANS) is not None


def _describes_event(toks: list[Token], k: int) -> bool:
    """An indefinite nisba right after an attack or a device is its adjective: "هجوم انتحاري", "عملية انتحارية"
    describe how, not who ("الانتحاري" alone is the bomber; "هجمات قوات المعارضة" is the forces')."""
    word = _TANWIN_ALEF.sub("", toks[k].norm)
    return not gap(toks, k) and bool(_NISBA.search(word.rstrip("ا"))) and \
        stem_in(toks[k - 1].norm, EVENT_NOUNS) is not None


def _victim_form(text: str, prefix: str) -> str:
    raw = re.sub("[\u064b-\u0652\u0640]", "", text)
    if prefix.endswith("لل"):
        return "ال" + raw[len(prefix):]
    return raw[len(prefix) - 2:] if prefix.endswith("ال") else raw[len(prefix):]


def _owned(toks: list[Token], k: int, lo: int) -> tuple[int, str] | None:
    """"على مواقع X", "أهدافاً تابعة لـ X", "320 شخصاً من المنتمين إلى X": where X stands (the people's noun for
    members, X itself for a place it owns) and the preposition of the noun X stands for ("" for an object);
    None if X stands for itself (`marsad.extract.event_owners`)."""
    head = owner_head(toks, k, lo)
    if head is None:
        return None
    p = head.clitics[:-2] if head.clitics.endswith("ال") else head.clitics
    return head.i if head.members else k, _prep_word(toks, head.i, lo) or bare(p) or ""


def gap(toks: list[Token], j: int) -> bool:
    """Punctuation or a conjunction between toks[j-1] and toks[j]."""
    return toks[j].start - toks[j - 1].end > 1 or toks[j].norm.startswith("و") and toks[j].norm[1:2] == "ا"


def _governing(toks: list[Token], k: int, lo: int) -> str:
    """The preposition of the noun that governs a genitive actor: "بتجربة X" -> ب, "على مواقع X" -> على."""
    if k - 1 < lo or gap(toks, k):
        return ""
    prev = toks[k - 1].norm
    if prev[:1] in ("ب", "ل") and len(prev) > 4 and not prev.startswith(("بين", "لدي")) and prev not in PREP_WORDS:
        return prev[0]
    if k - 2 >= lo and toks[k - 2].norm in PREP_WORDS and not gap(toks, k - 1):
        return toks[k - 2].norm
    return ""


def inherited_prep(toks: list[Token], c: Cand, lo: int) -> bool:
    """c's preposition is the one of the noun before it ("إلى دعم طهران": إلى governs دعم, طهران is its
    genitive), not c's own."""
    return bool(c.prep) and c.prep == _governing(toks, c.i, lo) and not _prep_word(toks, c.i, lo)


def _prep_word(toks: list[Token], k: int, lo: int) -> str:
    """The preposition written before toks[k]: a word (في، وفي، قرب…), or ل/ب written apart (لـ«داعش»)."""
    if k > lo and toks[k].start - toks[k - 1].end <= 1:
        prev = toks[k - 1].norm
        if prev in PREP_WORDS:
            return prev
        if prev[:1] in "وف" and prev[1:] in PREP_WORDS:   # وفي: the preposition, without the conjunction
            return prev[1:]
    if k > lo and toks[k - 1].norm in ("ل", "ب") and toks[k].start - toks[k - 1].end <= 2:
        return toks[k - 1].norm
    if k - 2 >= lo and toks[k - 1].norm == "جانب" and toks[k - 2].norm in ("الي", "والي"):
        return "الي"   # "وإلى جانب أهداف X": beside
    return ""


def bare(prep: str) -> str:
    """The preposition proper: "وب" -> "ب", "و" -> ""."""
    if prep in ("و", "ف"):
        return ""
    if len(prep) == 2 and prep[0] in "وف" and prep[1] in "بلك":
        return prep[1]
    return prep


def is_title_genitive(toks: list[Token], c: Cand, lo: int) -> bool:
    """"الرئيسة المشتركة لمجلس ..." / "المتحدث باسم ..." / "تقرير أخير لـ«هيومن رايتس ووتش»": the organisation
    of a title or the author of a document, i.e. the actor."""
    if bare(c.prep) not in ("ل", "باسم") or c.i <= lo:
        return False
    for back in (1, 2, 3):
        if c.i - back < lo:
            break
        n = toks[c.i - back].norm
        if _titleish(n) or any(stem in DOCUMENTS for _, stem in readings(n)):
            return True
    return False


def same(a: Cand, b: Cand) -> bool:
    if a.entity is not None and b.entity is not None:
        return a.entity.id == b.entity.id or a.entity.affiliation == b.entity.id or \
            b.entity.affiliation == a.entity.id
    return a.name == b.name


def appositive(toks: list[Token], c: Cand, nxt: Cand) -> bool:
    """"..., آرام الدوماني," right after the actor: the same actor named by its person (or vice versa)."""
    if nxt.i - c.j > 3 or nxt.entity is None or nxt.entity.type != "PER" or nxt.prep:
        return c.entity is not None and c.entity.type == "PER" and nxt.entity is not None and \
            c.entity.affiliation == nxt.entity.id
    return all(_titleish(toks[k].norm) for k in range(c.j, nxt.i))


def _titled_owner(toks: list[Token], k: int, hi: int, ent_at) -> tuple[Entity, int] | None:
    """The person a head noun in the construct state belongs to through a title and its adjectives
    ("ميليشيات الرئيس اليمني المخلوع علي عبدالله صالح"), with the token after the name; else None."""
    m = k + 1
    if m >= hi or gap(toks, m) or not toks[m].norm.startswith("ال") or not _titleish(toks[m].norm):
        return None
    m += 1
    while m < hi and m - k <= 5 and m not in ent_at and not gap(toks, m) and toks[m].norm.startswith("ال"):
        m += 1
    if m < hi and m in ent_at and not gap(toks, m) and ent_at[m][0].type == "PER" and not ent_at[m][2]:
        return ent_at[m][0], ent_at[m][1]
    return None


def titleish(norm: str) -> bool:
    return _titleish(norm)


def _titleish(norm: str) -> bool:
    return norm == "باسم" or any(stem in TITLE_WORDS for _, stem in readings(norm))


def compound_next(toks: list[Token], c: Cand, cands: list[Cand]) -> Cand | None:
    """"X و Y" / "X، و Y" / "X الإرهابي، و«Y»": the second conjunct right after c and its adjectives (not a
    known name that begins with و: وحدات حماية الشعب); "X ونظيره [nisba] Y"."""
    counterpart = c.j < len(toks) and toks[c.j].norm.startswith(COUNTERPART)
    k = c.j
    while k < len(toks) and k - c.j < 2 and toks[k].norm.startswith("ال") and _NISBA.search(toks[k].norm):
        k += 1   # "داعش الإرهابي، وبي كا كا": adjectives of the first
    apart = k + 1 < len(toks) and toks[k].norm == "و" and toks[k].start - toks[k - 1].end > 1   # «داعش»، و«بي كا كا»
    for d in cands:
        if apart and d.i == k + 1 and not d.prep:
            return d
        if d.i == k and (d.prep == "و" or toks[d.i].norm.startswith("و") and not d.prep
                         and not (d.entity is not None and d.entity.kb_id
                                  and normalize(d.entity.canonical).startswith("و"))):
            return d
        if counterpart and c.j < d.i <= c.j + 3 and d.entity is not None and d.entity.type == "PER":
            return d   # "باراك أوباما ونظيره التركي رجب طيب أردوغان"
    return None



def has_pair_word(norm_sentence: str) -> bool:
    return any(w in norm_sentence for w in PAIR_WORDS)

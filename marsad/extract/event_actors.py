"""Who did it to whom: the actor slots of an event trigger, from the sentence around it.

Candidates are the article's entity mentions in the sentence plus described actors (a head noun from
``HEADS`` with its adjectives: "الجانب الأمريكي", "وفداً أمريكياً", "المدنيين"). Each candidate knows the
preposition that introduces it (a clitic ب/ل or a word such as على, مع, في), which is what the slotting rules
read: subject after an Arabic verb (VSO) or before it (SVO), direct or prepositional object, compound "X و Y"
split by "بين الطرفين/بينهما", "X برئاسة Z", genitive sources of event nouns ("غارات للطيران التركي"),
relative clauses ("القصف الذي ينفذه X على Y") and light verbs ("شن X غارات على Y").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.arabic import Token, normalize
from marsad.model import Actor, Entity



def _norm_set(words) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


PREP_WORDS = _norm_set("في على مع الى ضد عن من بين لدى تجاه حول خلال عبر بحق امام".split())
HEADS = _norm_set("""جانب طرف وفد قوات طيران طايرات طايره مدفعيه مدنيين مدنيا مسلحين مسلحون سلطات حكومه جيش نظام
شرطه مقاتلين عناصر معتقلين متظاهرين انتحاري انتحاريين مجهولين معارضه ميليشيات مليشيات متمردين لاجيين نازحين اطفال""".split())
VICTIMS = _norm_set("مدنيين مدنيا اشخاص شخصا طفلا اطفال شهداء ضحايا نازحين لاجيين".split())
TITLE_WORDS = _norm_set("""رييس رييسه سكرتير امين عام مشترك مشتركه وزير منسق متحدث ناطق ناطقه متحدثه مدير ممثل سفير
مبعوث قايد زعيم نايب مسوول عضو باسم امير ملك""".split())
CLAUSE_BREAK = _norm_set("""وقال قال واضاف وتابع واكد وشدد واوضح واشار ولفت مشيرا مؤكدا موكدا مضيفا حيث بينما فيما
الذي التي الذين وذلك بعد قبل""".split())
PAIR_WORDS = ("بين الطرفين", "بين الجانبين", "بينهما", "بينهم")
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


PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "وب", "ول", "فب", "فل", "وبال", "ولل",
            "فبال", "فلل")


_BY_FIRST = {c: tuple(p for p in PREFIXES if p.startswith(c)) for c in "وفبلكا"}


def readings(norm: str) -> list[tuple[str, str]]:
    """(clitics, stem) readings of a normalized word under و ف ب ل ك ال (a fast clitic_splits for lookups)."""
    out = [("", norm)]
    for p in _BY_FIRST.get(norm[:1], ()):
        if p and norm.startswith(p) and len(norm) - len(p) >= 2:
            out.append((p, norm[len(p):]))
    return out


def head_reading(norm: str) -> tuple[str, str] | None:
    """The (clitics, stem) reading of a word whose stem is an actor head noun, if any."""
    for prefix, stem in readings(norm):
        if stem in HEADS or (stem.endswith("ا") and stem[:-1] in HEADS):
            return prefix, stem
    return None


def _strip_prefix(tok: Token, prefix: str) -> tuple[str, str]:
    """Original text of a token without its conjunction/preposition clitics (ال kept), and those clitics."""
    text = _TANWIN_ALEF.sub("", tok.text)
    if prefix.endswith("لل"):
        return "ال" + text[len(prefix):], prefix[:-1]
    p = prefix[:-2] if prefix.endswith("ال") else prefix
    return text[len(p):], p


def candidates(toks: list[Token], lo: int, hi: int, ent_at: dict[int, tuple[Entity, int, str]]) -> list[Cand]:
    """Actor candidates among toks[lo:hi]: entity mentions (ent_at: first token -> (entity, end token, the
    clitics before the mention in that token)) and described actors."""
    out: list[Cand] = []
    k = lo
    while k < hi:
        if k in ent_at:
            ent, end, clit = ent_at[k]
            out.append(Cand(k, min(end, hi), ent.text, ent, _prep_word(toks, k, lo) or clit or _governing(toks, k, lo)))
            k = end
            continue
        reading = head_reading(toks[k].norm)
        if reading is not None:
            definite = reading[0].endswith("ال") or reading[0].endswith("لل")
            first, clit = _strip_prefix(toks[k], reading[0])
            if k + 2 < hi and toks[k + 1].norm == "من" and k + 2 in ent_at:   # "وفد من X", "عناصر من X" -> X
                ent, end, _ = ent_at[k + 2]
                out.append(Cand(k, min(end, hi), ent.text, ent, _prep_word(toks, k, lo) or clit))
                k = end
                continue
            j = k + 1
            words = [first]
            while j < hi and j - k <= 2 and j not in ent_at and not _gap(toks, j):
                n = toks[j].norm
                if (definite and n.startswith("ال") and len(n) > 3 and n not in PREP_WORDS) or \
                        (not definite and _NISBA.search(n) and len(n) > 3):
                    words.append(_TANWIN_ALEF.sub("", toks[j].text))
                    j += 1
                elif not definite and n.startswith("ال") and len(n) > 3 and n not in PREP_WORDS and j == k + 1:
                    words.append(_TANWIN_ALEF.sub("", toks[j].text))   # construct state: "قوات النظام"
                    j += 1
                    break
                else:
                    break
            if j == k + 1 and j < hi and j in ent_at and not _gap(toks, j):   # "طائرات التحالف" -> the entity
                k += 1
                continue
            out.append(Cand(k, j, clean_name(" ".join(words)), None, _prep_word(toks, k, lo) or clit))
            k = j
            continue
        k += 1
    return out


def _gap(toks: list[Token], j: int) -> bool:
    """Punctuation or a conjunction between toks[j-1] and toks[j]."""
    return toks[j].start - toks[j - 1].end > 1 or toks[j].norm.startswith("و") and toks[j].norm[1:2] == "ا"


def _governing(toks: list[Token], k: int, lo: int) -> str:
    """The preposition of the noun that governs a genitive actor: "بتجربة X" -> ب, "على مواقع X" -> على."""
    if k - 1 < lo or _gap(toks, k):
        return ""
    prev = toks[k - 1].norm
    if prev[:1] in ("ب", "ل") and len(prev) > 4 and not prev.startswith(("بين", "لدي")) and prev not in PREP_WORDS:
        return prev[0]
    if k - 2 >= lo and toks[k - 2].norm in PREP_WORDS and not _gap(toks, k - 1):
        return toks[k - 2].norm
    return ""


def _prep_word(toks: list[Token], k: int, lo: int) -> str:
    if k > lo and toks[k - 1].norm in PREP_WORDS and toks[k].start - toks[k - 1].end <= 1:
        return toks[k - 1].norm
    return ""


def bare(prep: str) -> str:
    """The preposition proper: "وب" -> "ب", "و" -> ""."""
    if prep in ("و", "ف"):
        return ""
    if len(prep) == 2 and prep[0] in "وف" and prep[1] in "بلك":
        return prep[1]
    return prep


def is_title_genitive(toks: list[Token], c: Cand, lo: int) -> bool:
    """"الرئيسة المشتركة لمجلس ..." / "المتحدث باسم ...": the organisation of a title, i.e. the actor."""
    if bare(c.prep) not in ("ل", "باسم") or c.i <= lo:
        return False
    for back in (1, 2, 3):
        if c.i - back < lo:
            break
        if _titleish(toks[c.i - back].norm):
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


def _titleish(norm: str) -> bool:
    return norm == "باسم" or any(stem in TITLE_WORDS for _, stem in readings(norm))


def compound_next(toks: list[Token], c: Cand, cands: list[Cand]) -> Cand | None:
    """"X و Y" / "X، و Y": the second conjunct right after c."""
    for d in cands:
        if d.i == c.j and d.prep in ("و",) or (d.i == c.j and toks[d.i].norm.startswith("و") and not d.prep):
            return d
    return None


def has_pair_word(norm_sentence: str) -> bool:
    return any(w in norm_sentence for w in PAIR_WORDS)

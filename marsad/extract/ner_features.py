"""The NER tagger's features: a sentence (list of words) -> one list of crfsuite attribute strings per word.

Every attribute of a word is a function of one word (its own features, and a neighbour's context features
at -2..+2) except the sentence-level extras (gazetteer phrase marks, sentence edges, word and cluster
bigrams): `marsad.extract.crf.CrfTagger` relies on that to cache each word's weights. The resources (the
ANERGazet phrase lists, word clusters learnt from SaudiNewsNet, the name-list lexicon) and the options the
model was trained with are shipped in ``marsad/models/`` by ``scripts/train_ner.py``.

>>> f = Featurizer()
>>> feats = f.sentence(["قال", "الرئيس"])
>>> "w=قال" in feats[0] and "trig=TITLE" in feats[1] and "-1:w=قال" in feats[1]
True
"""
from __future__ import annotations

import bisect
import functools
import gzip
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from marsad.arabic import clitic_splits, normalize, normalize_word
from marsad.errors import MarsadError
from marsad.extract.bio import TYPES

TAGGER_OPTIONS = ("o_bias", "propagate")  # options of the tagger (not of the features) in ner_features.json
FEATURE_OPTIONS = TAGGER_OPTIONS + ("use_triggers", "use_context", "ctx_cluster_cols", "cluster_bigram_col",
                                    "stem_affixes", "lexicon_ctx")

# Trigger words (normalized, with and without ال: forms are compared after clitic stripping).
TRIGGERS: Mapping[str, frozenset[str]] = {
    "TITLE": frozenset(normalize(w) for w in (
        "الرئيس رئيس وزير الوزير الشيخ شيخ السيد سيد السيدة الأمير أمير الملك ملك الملكة الدكتور د المستشار "
        "السفير سفير المبعوث مبعوث النائب نائب العقيد العميد اللواء الفريق العماد المشير الجنرال القائد قائد "
        "الإمام البابا المتحدث الناطق المندوب مندوب الأمين أمين المدير مدير الزعيم زعيم رئيسة الرئيسة الوزيرة "
        "الحاخام المطران القاضي المفتي الحاج الأستاذ الرائد النقيب المقدم ولي عاهل العاهل السلطان الرئيسان "
        "المستشارة السناتور الناشط الكاتب الصحفي المراسل الشاعر الفنان اللاعب المدرب").split()),
    "ORGHEAD": frozenset(normalize(w) for w in (
        "وزارة الوزارة حزب الحزب جبهة الجبهة مجلس المجلس منظمة المنظمة وكالة الوكالة شركة الشركة جامعة الجامعة "
        "هيئة الهيئة لجنة اللجنة اتحاد الاتحاد حركة الحركة جمعية الجمعية مؤسسة المؤسسة بنك البنك مصرف صندوق "
        "الصندوق قوات جيش الجيش كتائب كتيبة لواء فيلق تنظيم التنظيم تحالف التحالف ائتلاف الائتلاف محكمة المحكمة "
        "برلمان البرلمان مكتب المكتب مركز المركز معهد المعهد نادي النادي صحيفة الصحيفة إذاعة قناة القناة "
        "مجموعة المجموعة رابطة الرابطة نقابة النقابة حكومة الحكومة الأمم جماعة الجماعة").split()),
    "LOCCUE": frozenset(normalize(w) for w in (
        "مدينة المدينة محافظة المحافظة بلدة البلدة قرية القرية ريف منطقة المنطقة جنوب الجنوب شمال الشمال شرق "
        "الشرق غرب الغرب جنوبي شمالي شرقي غربي ولاية الولاية إقليم الإقليم دولة عاصمة العاصمة حي مخيم "
        "جزيرة جزر نهر جبل جبال بحر خليج مطار ميناء معبر سهل وادي ناحية قضاء مقاطعة بلاد إمارة").split()),
    "SAY": frozenset(normalize(w) for w in "قال وقال أعلن أكد أضاف صرح أوضح ذكر أشار قالت أكدت أعلنت".split()),
}


# (offset of the neighbour, the prefix of its context features as this word sees them)
CONTEXT_SLOTS = ((-1, "-1:"), (1, "+1:"), (-2, "-2:"), (2, "+2:"))


_TRIGGERS_OF: Mapping[str, tuple[str, ...]] = {w: tuple(k for k, ws in TRIGGERS.items() if w in ws)
                                                for ws in TRIGGERS.values() for w in ws}
_LATIN = re.compile("[a-z]")


def _is_punct(word: str) -> bool:
    return not any(map(str.isalnum, word))


def sentence_bounds(n: int, lengths: Sequence[int] | None) -> tuple[list[int], list[int]]:
    """The first and last word index of each sentence of ``n`` words laid end to end (default: one)."""
    lengths = [n] if lengths is None else lengths
    starts = list(itertools.accumulate(lengths, initial=0))[:-1]
    return starts, [s + k - 1 for s, k in zip(starts, lengths)]


@functools.lru_cache(maxsize=100_000)
def _forms(norm: str) -> tuple[str, ...]:
    """The word and each of its clitic-stripped stems, longest first (a pure function, cached)."""
    return tuple(stem for _, stem in clitic_splits(norm)) or (norm,)


def load_gazetteer(path: Path) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """`TYPE<TAB>phrase` lines -> first word -> ((rest words, type), ...), longest phrase first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for line in _read_lines(path):
        typ, _, phrase = line.partition("\t")
        words = phrase.split()
        if typ in TYPES and words:
            index.setdefault(words[0], []).append((tuple(words[1:]), typ))
    return {k: tuple(sorted(set(v), key=lambda e: (-len(e[0]), e))) for k, v in index.items()}


def load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """`word<TAB>id<TAB>id...` lines (coarse to fine) -> word -> ids."""
    out = {}
    for line in _read_lines(path):
        word, *ids = line.split("\t")
        out[word] = tuple(ids)
    return out


def load_lexicon(path: Path) -> dict[str, tuple[str, ...]]:
    """`word<TAB>feature feature...` lines -> word -> features (empty when there is no file)."""
    out = {}
    if not path.is_file():
        return out
    for line in _read_lines(path):
        word, _, feats = line.partition("\t")
        out[word] = tuple(feats.split())
    return out


def load_feature_options(path: Path) -> dict:
    """The Featurizer options saved next to a model by scripts/train_ner.py ({} when there is no file)."""
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise MarsadError(f"{path}: cannot read NER feature options ({err})") from err
    return {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in FEATURE_OPTIONS}


def _read_lines(path: Path) -> Iterator[str]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                line = line.rstrip("\n")
                if line and not line.startswith("#"):
                    yield line
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise MarsadError(f"{path}: cannot read NER resource ({err}); reinstall marsad or rerun "
                          "scripts/train_ner.py") from err


@dataclass(frozen=True, eq=False)
class Featurizer:
    """Turns a sentence (list of words) into crfsuite feature lists. Immutable; per-word features are cached."""

    gazetteer: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict)
    clusters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    use_triggers: bool = True
    use_context: bool = True
    ctx_cluster_cols: tuple[int, ...] = (1,)  # cluster columns given to the words at -2..+2
    cluster_bigram_col: int | None = None  # cluster column of the (i-1, i) and (i, i+1) cluster-pair features
    stem_affixes: bool = False  # prefixes/suffixes of the clitic-stripped stem
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # word -> its own extra features
    lexicon_ctx: tuple[str, ...] = ()  # prefixes of the lexicon features also given to the words at -2..+2
    cache_size: int = 200_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "_word", functools.lru_cache(maxsize=self.cache_size)(self._word_features))
        object.__setattr__(self, "_gaz", functools.lru_cache(maxsize=self.cache_size)(self._gazetteer_entries))

    def _gazetteer_entries(self, norm: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """The gazetteer phrases a normalized word can open, under each of its clitic readings."""
        return tuple(entry for form in _forms(norm) for entry in self.gazetteer.get(form, ()))

    def _word_features(self, word: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
        """The normalized word, its own features, the features its neighbours see of it (without the prefix of
        `CONTEXT_SLOTS`; none without ``use_context``), and its bigram cluster id."""
        n = normalize_word(word)
        forms = _forms(n)
        stem = forms[-1]
        own = ["b", "w=" + n, "st=" + stem, "p2=" + n[:2], "p3=" + n[:3], "s1=" + n[-1:], "s2=" + n[-2:],
               "s3=" + n[-3:], "s4=" + n[-4:], "ss2=" + stem[-2:], "ss3=" + stem[-3:], "pf=" + n[:len(n) - len(stem)],
               "len=" + str(min(len(stem), 8))]
        if self.stem_affixes:
            own.extend(("sp2=" + stem[:2], "sp3=" + stem[:3], "ss4=" + stem[-4:], "ss1=" + stem[-1:]))
        ctx = ["w=" + n, "st=" + stem]
        if _is_punct(n):
            own.append("punct")
            ctx.append("punct")
        elif any(map(str.isdigit, n)):
            own.append("digit" if n.isdigit() else "hasdigit")
            ctx.append("digit")
        elif _LATIN.search(n):
            own.append("latin")
            ctx.append("latin")
        for s in forms[1:-1]:
            own.append("st=" + s)
        if self.use_triggers:
            hit = {name for f in forms for name in _TRIGGERS_OF.get(f, ())}
            for name in TRIGGERS:
                if name in hit:
                    own.append("trig=" + name)
                    ctx.append("trig=" + name)
        bigram = "-"
        if self.clusters:
            cols = [i for i in self.ctx_cluster_cols]
            ids = self.clusters.get(n)
            if ids is not None:
                own.extend(f"c{i}={c}" for i, c in enumerate(ids))
                ctx.extend(f"c{i}={ids[i]}" for i in cols if i < len(ids))
            else:
                own.append("c=none")
            for s in forms[1:]:
                sids = self.clusters.get(s)
                if sids is not None:
                    own.extend(f"sc{i}={c}" for i, c in enumerate(sids))
                    ctx.extend(f"sc{i}={sids[i]}" for i in cols if i < len(sids))
                    ids = ids if ids is not None else sids
                    break
            if self.cluster_bigram_col is not None:
                bigram = ids[self.cluster_bigram_col] if ids is not None else "?"
        if self.lexicon:  # the word's name-list features, or else its first clitic-stripped form's
            lex = next((x for x in map(self.lexicon.get, forms) if x is not None), None)
            if lex is not None:
                own.extend("x" + f for f in lex)
                ctx.extend("x" + f for f in lex if f.startswith(self.lexicon_ctx))
        return n, tuple(own), tuple(ctx) if self.use_context else (), bigram

    def gazetteer_entries(self, norm: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """The gazetteer phrases (rest words, type) that a normalized word can open (cached)."""
        return self._gaz(norm)  # type: ignore[attr-defined]

    def gazetteer_marks(self, norms: Sequence[str], lengths: Sequence[int] | None = None,
                        entries: Sequence[tuple] | None = None) -> dict[int, list[str]]:
        """Word index -> the gazetteer marks (B-/I-/U-TYPE) of the phrases found there; the words may be
        several sentences of the given ``lengths`` (a phrase never crosses from one to the next); ``entries``:
        each word's `gazetteer_entries`, when the caller has them."""
        marks: dict[int, list[str]] = {}
        if not self.gazetteer:
            return marks
        if entries is None:
            entries = list(map(self.gazetteer_entries, norms))
        ends = list(itertools.accumulate([len(norms)] if lengths is None else lengths))
        for i in [i for i, e in enumerate(entries) if e]:
            end = ends[bisect.bisect_right(ends, i)]
            for rest, typ in entries[i]:
                j = i + 1 + len(rest)
                if j <= end and (not rest or tuple(norms[i + 1:j]) == rest):
                    for k, mark in enumerate(["B-" + typ if rest else "U-" + typ] + ["I-" + typ] * len(rest)):
                        have = marks.setdefault(i + k, [])
                        if mark not in have:
                            have.append(mark)
        return marks

    def extras(self, norms: Sequence[str], marks: Mapping[int, Sequence[str]], lengths: Sequence[int] | None = None
               ) -> tuple[list[tuple[int, str]], list[tuple[list[int], str]]]:
        """The features that are not one word's alone, but for the neighbour pairs (`pair_columns`):
        gazetteer marks as (word index, feature) pairs and sentence edges as (word indices, feature) groups.
        The words may be several sentences one after the other, of the given ``lengths`` (default: one)."""
        sparse = [(i, "g=" + m) for i, mk in marks.items() for m in mk]
        if not self.use_context or not norms:
            return sparse, []
        starts, lasts = sentence_bounds(len(norms), lengths)
        first, last = set(starts), set(lasts)
        sparse.extend((i + 1, "-1:g=" + m) for i, mk in marks.items() if i not in last for m in mk)
        sparse.extend((i - 1, "+1:g=" + m) for i, mk in marks.items() if i not in first for m in mk)
        longer = [(s, e) for s, e in zip(starts, lasts) if e > s]
        edges = [(starts, "-1:pad"), (lasts, "+1:pad"), (starts, "-2:pad"), (lasts, "+2:pad"),
                 ([s + 1 for s, _ in longer], "-2:pad"), ([e - 1 for _, e in longer], "+2:pad")]
        return sparse, edges

    def pair_sequences(self, norms: Sequence[str], clusters: Sequence[str]) -> list[tuple[str, Sequence[str]]]:
        """The sequences whose neighbour pairs are features, by name: ``bg`` the words, ``cb`` their bigram
        cluster ids (when the model uses them); none without context."""
        if not self.use_context:
            return []
        return [("bg", norms)] + ([("cb", clusters)] if self.cluster_bigram_col is not None else [])

    def pair_columns(self, norms: Sequence[str], clusters: Sequence[str], lengths: Sequence[int] | None = None
                     ) -> list[list[str]]:
        """Columns of one feature per word: each word with the word before it (``bg-=a|b``, ``<s>`` at a
        sentence's start) and after it (``bg+=a|b``, ``</s>`` at its end); the same of the bigram cluster ids
        (``cb``) when the model uses them."""
        if not norms:
            return []
        starts, lasts = sentence_bounds(len(norms), lengths)
        columns = []
        for name, seq in self.pair_sequences(norms, clusters):
            left, right = ["<s>", *seq[:-1]], [*seq[1:], "</s>"]
            for s, e in zip(starts, lasts):
                left[s], right[e] = "<s>", "</s>"
            columns.append([f"{name}-={a}|{b}" for a, b in zip(left, seq)])
            columns.append([f"{name}+={a}|{b}" for a, b in zip(seq, right)])
        return columns

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        """crfsuite features for every word of a sentence (what training sees; tagging sums their weights)."""
        per_word = [self._word(w) for w in words]  # type: ignore[attr-defined]
        norms = [p[0] for p in per_word]
        n = len(words)
        out = []
        for i in range(n):
            feats = list(per_word[i][1])
            for off, prefix in CONTEXT_SLOTS:
                if 0 <= i + off < n:
                    feats.extend(prefix + f for f in per_word[i + off][2])
            out.append(feats)
        sparse, edges = self.extras(norms, self.gazetteer_marks(norms))
        dense = self.pair_columns(norms, [p[-1] for p in per_word])
        for i, f in sparse:
            out[i].append(f)
        for where, f in edges:
            for i in where:
                out[i].append(f)
        for column in dense:
            for feats, f in zip(out, column):
                feats.append(f)
        return out

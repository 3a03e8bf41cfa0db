"""Statistical NER: a linear-chain CRF (python-crfsuite) for the names the knowledge base has never seen.

The model is trained by ``scripts/train_ner.py`` on ANERcorp and shipped in ``marsad/models/`` together with
the two compact resources its features use: the ANERGazet lists (``ner_gazetteer.txt.gz``) and word clusters
learnt from SaudiNewsNet (``ner_clusters.tsv.gz``). Tags are BIO with PER, ORG, LOC; MISC, which the model
also learnt, is reported as O.

>>> read_conll.__name__, conll_f1([[("a", "B-PER")]], [["B-PER"]])["micro"]["f1"]
('read_conll', 1.0)
"""
from __future__ import annotations

import bisect
import functools
import gzip
import itertools
import json
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from marsad.arabic import clitic_splits, normalize
from marsad.extract.crf_decode import ChainWeights, WordTable, viterbi
from marsad.extract.crf_decode import marginals as crf_marginals
from marsad.errors import MarsadError

MODELS = Path(__file__).resolve().parents[1] / "models"
MODEL_FILE = "ner.crfsuite"
GAZETTEER_FILE = "ner_gazetteer.txt.gz"
CLUSTERS_FILE = "ner_clusters.tsv.gz"
FEATURES_FILE = "ner_features.json"  # the Featurizer options the model was trained with (optional)
FEATURE_OPTIONS = ("use_triggers", "use_context", "ctx_cluster_cols", "cluster_bigram_col", "stem_affixes")
TYPES = ("PER", "ORG", "LOC")
_TYPE_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}

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


# (offset of the neighbour, index of its context features in a cached word entry)
CONTEXT_SLOTS = ((-1, 2), (1, 3), (-2, 4), (2, 5))


def _is_punct(word: str) -> bool:
    return not any(c.isalnum() for c in word)


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
    cache_size: int = 200_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "_word", functools.lru_cache(maxsize=self.cache_size)(self._word_features))
        object.__setattr__(self, "_gaz", functools.lru_cache(maxsize=self.cache_size)(self._gazetteer_entries))

    def _gazetteer_entries(self, norm: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """The gazetteer phrases a normalized word can open, under each of its clitic readings."""
        return tuple(entry for form in _forms(norm) for entry in self.gazetteer.get(form, ()))

    def _word_features(self, word: str) -> tuple:
        """The normalized word and its features for offsets 0, -1, +1, -2, +2 (context ones prefixed)."""
        n = normalize(word)
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
        elif any(c.isdigit() for c in n):
            own.append("digit" if n.isdigit() else "hasdigit")
            ctx.append("digit")
        elif any("a" <= c <= "z" for c in n):
            own.append("latin")
            ctx.append("latin")
        for s in forms[1:-1]:
            own.append("st=" + s)
        if self.use_triggers:
            for name, words in TRIGGERS.items():
                if any(f in words for f in forms):
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
        out = [tuple(own)]
        if self.use_context:
            for off in ("-1:", "+1:", "-2:", "+2:"):
                out.append(tuple(off + f for f in ctx))
        return (n, *out, bigram)

    def gazetteer_marks(self, norms: Sequence[str], lengths: Sequence[int] | None = None) -> dict[int, list[str]]:
        """Word index -> the gazetteer marks (B-/I-/U-TYPE) of the phrases found there; the words may be
        several sentences of the given ``lengths`` (a phrase never crosses from one to the next)."""
        marks: dict[int, list[str]] = {}
        if not self.gazetteer:
            return marks
        entries = list(map(self._gaz, norms))  # type: ignore[attr-defined]
        ends = list(itertools.accumulate([len(norms)] if lengths is None else lengths))
        for i in [i for i, e in enumerate(entries) if e]:
            end = ends[bisect.bisect_right(ends, i)]
            for rest, typ in entries[i]:
                j = i + 1 + len(rest)
                if j <= end and all(norms[i + 1 + k] == r for k, r in enumerate(rest)):
                    for k, mark in enumerate(["B-" + typ if rest else "U-" + typ] + ["I-" + typ] * len(rest)):
                        have = marks.setdefault(i + k, [])
                        if mark not in have:
                            have.append(mark)
        return marks

    def extras(self, norms: Sequence[str], clusters: Sequence[str], marks: Mapping[int, Sequence[str]],
               lengths: Sequence[int] | None = None) -> tuple[list[tuple[int, str]], list[list[str]]]:
        """The features that are not one word's alone: gazetteer marks and sentence edges as (word index,
        feature) pairs, and columns of one feature per word (word bigrams, cluster bigrams). ``clusters`` are
        the words' bigram cluster ids; the words may be several sentences one after the other, of the given
        ``lengths`` (default: one sentence)."""
        sparse = [(i, "g=" + m) for i, mk in marks.items() for m in mk]
        if not self.use_context or not norms:
            return sparse, []
        lengths = [len(norms)] if lengths is None else lengths
        starts = list(itertools.accumulate(lengths, initial=0))[:-1]
        lasts = [s + n - 1 for s, n in zip(starts, lengths)]
        first, last = set(starts), set(lasts)
        sparse.extend((i + 1, "-1:g=" + m) for i, mk in marks.items() if i not in last for m in mk)
        sparse.extend((i - 1, "+1:g=" + m) for i, mk in marks.items() if i not in first for m in mk)
        for s, e in zip(starts, lasts):
            sparse.extend(((s, "-1:pad"), (e, "+1:pad"), (s, "-2:pad"), (e, "+2:pad")))
            if e > s:
                sparse.extend(((s + 1, "-2:pad"), (e - 1, "+2:pad")))
        dense = []
        for name, seq in (("bg", norms), ("cb", clusters)):
            if name == "cb" and self.cluster_bigram_col is None:
                continue
            left, right = ["<s>", *seq[:-1]], [*seq[1:], "</s>"]
            for s, e in zip(starts, lasts):
                left[s], right[e] = "<s>", "</s>"
            dense.append(list(map((name + "-={}|{}").format, left, seq)))
            dense.append(list(map((name + "+={}|{}").format, seq, right)))
        return sparse, dense

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        """crfsuite features for every word of a sentence (what training sees; tagging sums their weights)."""
        per_word = [self._word(w) for w in words]  # type: ignore[attr-defined]
        norms = [p[0] for p in per_word]
        n = len(words)
        out = []
        for i in range(n):
            feats = list(per_word[i][1])
            if self.use_context:
                for off, slot in CONTEXT_SLOTS:
                    if 0 <= i + off < n:
                        feats.extend(per_word[i + off][slot])
            out.append(feats)
        sparse, dense = self.extras(norms, [p[-1] for p in per_word], self.gazetteer_marks(norms))
        for i, f in sparse:
            out[i].append(f)
        for column in dense:
            for feats, f in zip(out, column):
                feats.append(f)
        return out


def output_tags(labels: Sequence[str]) -> list[str]:
    """Model labels -> public tags: PERS->PER, MISC->O, and an I- that starts an entity becomes B-."""
    out = []
    prev = "O"
    for lab in labels:
        if lab == "O":
            out.append(prev := "O")
            continue
        pre, _, typ = lab.partition("-")
        typ = _TYPE_MAP.get(typ, typ)
        if typ not in TYPES:
            tag = "O"
        elif pre == "I" and prev[2:] != typ:
            tag = "B-" + typ
        else:
            tag = pre + "-" + typ
        out.append(tag)
        prev = tag
    return out


def _check_header(path: Path) -> None:
    """The crfsuite header: magic, total size, and section offsets inside the file."""
    with open(path, "rb") as fh:
        head = fh.read(48)
    size = path.stat().st_size
    if len(head) < 48 or head[:4] != b"lCRF" or head[8:12] != b"FOMC":
        raise ValueError("not a crfsuite model")
    declared, = struct.unpack("<I", head[4:8])
    offsets = struct.unpack("<5I", head[28:48])
    if declared != size or any(not 48 <= off < size for off in offsets):
        raise ValueError(f"truncated or damaged (header says {declared} bytes, file has {size})")


class CrfTagger:
    """The shipped CRF tagger: loaded once, immutable, thread-safe.

    Tagging sums cached per-word weight vectors and decodes with `marsad.extract.crf_decode`; crfsuite's own
    tagger is kept for checks and for the training script."""

    __slots__ = ("path", "featurizer", "weights", "_tagger", "_lock", "_words")

    def __init__(self, path: Path, featurizer: Featurizer, cache_size: int = 100_000):
        import pycrfsuite

        path = Path(path)
        if not path.is_file():
            raise MarsadError(f"{path}: NER model file not found; reinstall marsad or run scripts/train_ner.py")
        tagger = pycrfsuite.Tagger()
        try:
            _check_header(path)  # crfsuite crashes (SIGSEGV) on some truncated files instead of raising
            tagger.open(str(path))
            weights = ChainWeights.from_model(tagger)
        except Exception as err:  # crfsuite raises plain exceptions on bad files
            raise MarsadError(f"{path}: NER model file is corrupt or not a crfsuite model ({err}); "
                              "reinstall marsad or run scripts/train_ner.py") from err
        if "O" not in weights.labels:
            raise MarsadError(f"{path}: NER model has no 'O' label; not a marsad NER model")
        self.path = path
        self.weights = weights
        self.featurizer = featurizer
        self._tagger = tagger
        self._lock = threading.Lock()
        self._words = WordTable(cache_size, len(weights.labels), self._word_entry)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "CrfTagger":
        """Load a model and the gazetteer and clusters next to it (default: the model shipped with marsad)."""
        path = Path(path) if path is not None else MODELS / MODEL_FILE
        tagger_dir = path.parent
        resources = {}
        for name, loader in ((GAZETTEER_FILE, load_gazetteer), (CLUSTERS_FILE, load_clusters)):
            res = tagger_dir / name
            if not res.is_file():
                raise MarsadError(f"{res}: NER resource not found next to the model {path.name}")
            resources[name] = loader(res)
        return cls(path, Featurizer(gazetteer=resources[GAZETTEER_FILE], clusters=resources[CLUSTERS_FILE],
                                    **load_feature_options(tagger_dir / FEATURES_FILE)))

    def _word_entry(self, word: str) -> tuple[str, str, np.ndarray]:
        """A word's normalized form, bigram cluster id, and weight vectors (5, labels): its own features, then
        as the neighbour at -1, +1, -2, +2."""
        norm, *groups, bigram = self.featurizer._word_features(word)
        vecs = self.weights.vectors(groups + [()] * (5 - len(groups)))  # no context features: zero rows
        vecs.flags.writeable = False
        return norm, bigram, vecs

    def _emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The state scores (n, labels) of each sentence's words, computed for all sentences at once."""
        feat = self.featurizer
        lengths = [len(s) for s in sentences]
        vecs, entries = self._words.lookup([w for s in sentences for w in s])
        em = vecs[:, 0].copy()
        if feat.use_context:
            pos = np.concatenate([np.arange(n) for n in lengths])
            size = np.repeat(lengths, lengths)
            for off, slot in CONTEXT_SLOTS:
                inside = (pos + off >= 0) & (pos + off < size)
                shifted = np.roll(vecs[:, slot - 1], -off, axis=0)  # row i: the word at i + off
                em += np.where(inside[:, None], shifted, 0.0)
        norms = [e[0] for e in entries]
        marks = feat.gazetteer_marks(norms, lengths)
        get = self.weights.state.get
        sparse, dense = feat.extras(norms, [e[1] for e in entries], marks, lengths)
        hits = [(i, v) for i, f in sparse if (v := get(f)) is not None]
        for column in dense:
            found = list(map(get, column))
            hits.extend([(i, v) for i, v in enumerate(found) if v is not None])
        if hits:
            np.add.at(em, [i for i, _ in hits], np.array([v for _, v in hits]))
        return np.split(em, list(itertools.accumulate(lengths))[:-1])

    def tag_sentences(self, sentences: Sequence[Sequence[str]], marginals: bool = False
                      ) -> list[list[tuple[str, float]]]:
        """Each sentence's words tagged (BIO), with the marginal probability of each tag when asked (else 1.0).

        All sentences are decoded together, which is much faster than one at a time."""
        todo = [i for i, s in enumerate(sentences) if s]
        out: list[list[tuple[str, float]]] = [[] for _ in sentences]
        if not todo:
            return out
        emissions = self._emissions([sentences[i] for i in todo])
        trans = self.weights.transitions
        paths = viterbi(emissions, trans)
        probs = crf_marginals(emissions, trans) if marginals else None
        labels = self.weights.labels
        outside = [k for k, lab in enumerate(labels) if lab == "O" or lab.endswith("MISC")]
        for n, i in enumerate(todo):
            path = paths[n]
            tags = output_tags([labels[k] for k in path.tolist()])
            if probs is None:
                out[i] = [(t, 1.0) for t in tags]
                continue
            p = probs[n]
            chosen = p[np.arange(len(path)), path].tolist()
            other = p[:, outside].sum(axis=1).tolist()  # O also absorbs MISC
            out[i] = [(t, o if t == "O" else c) for t, c, o in zip(tags, chosen, other)]
        return out

    def tag(self, words: Sequence[str]) -> list[str]:
        """BIO tags (B-PER, I-ORG, O, ...) for a sentence given as a list of words."""
        return [t for t, _ in self.tag_sentences([list(words)])[0]]

    def tag_with_marginals(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Each word's tag and the model's marginal probability of it."""
        return self.tag_sentences([list(words)], marginals=True)[0]

    def tag_crfsuite(self, words: Sequence[str]) -> list[str]:
        """The same tags from crfsuite's own tagger, over the full feature lists (slow; for checks)."""
        if not words:
            return []
        feats = self.featurizer.sentence(list(words))
        with self._lock:
            return output_tags(self._tagger.tag(feats))


def read_conll(path: str | Path) -> Iterator[list[tuple[str, str]]]:
    """Sentences of (token, tag) from `token TAG` lines, a blank line between sentences (tag O if absent)."""
    sent: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                    sent = []
                continue
            sent.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if sent:
        yield sent


def spans(tags: Sequence[str], types: Iterable[str] = TYPES) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) of a BIO sequence, conlleval-style (an I- after another type starts one)."""
    keep = set(types)
    out = set()
    start, cur = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        pre, _, typ = tag.partition("-")
        typ = _TYPE_MAP.get(typ, typ)
        if cur is not None and (pre != "I" or typ != cur):
            if cur in keep:
                out.add((start, i, cur))
            cur = None
        if pre in ("B", "I") and cur is None:
            start, cur = i, typ
    return out


def conll_f1(gold_sents: Iterable[Sequence], pred_sents: Iterable[Sequence[str]],
             types: Sequence[str] = TYPES) -> dict:
    """Entity-level (exact span and type) precision, recall and F1 per type and micro over ``types``.

    ``gold_sents`` are sentences of (token, tag) pairs or of tags; ``pred_sents`` sentences of tags.
    """
    counts = {t: [0, 0, 0] for t in types}  # true positives, predicted, gold
    for gold, pred in zip(gold_sents, pred_sents, strict=True):
        gtags = [g[1] if isinstance(g, tuple) else g for g in gold]
        if len(gtags) != len(pred):
            raise ValueError(f"sentence lengths differ: gold {len(gtags)}, predicted {len(pred)}")
        g, p = spans(gtags, types), spans(pred, types)
        for s in g:
            counts[s[2]][2] += 1
        for s in p:
            counts[s[2]][1] += 1
            counts[s[2]][0] += s in g
    out = {t: _prf(*c) for t, c in counts.items()}
    out["micro"] = _prf(*(sum(c[k] for c in counts.values()) for k in range(3)))
    return out


def _prf(tp: int, pred: int, gold: int) -> dict:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": pred, "gold": gold}

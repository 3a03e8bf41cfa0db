"""Statistical NER: a linear-chain CRF (python-crfsuite) for the names the knowledge base has never seen.

The model is trained by ``scripts/train_ner.py`` on ANERcorp and shipped in ``marsad/models/`` together with
the two compact resources its features use: the ANERGazet lists (``ner_gazetteer.txt.gz``) and word clusters
learnt from SaudiNewsNet (``ner_clusters.tsv.gz``). Tags are BIO with PER, ORG, LOC; MISC, which the model
also learnt, is reported as O.

>>> read_conll.__name__, conll_f1([[("a", "B-PER")]], [["B-PER"]])["micro"]["f1"]
('read_conll', 1.0)
"""
from __future__ import annotations

import dataclasses
import functools
import gzip
import json
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from marsad.arabic import clitic_splits, normalize
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
    known: frozenset[str] | None = None  # the model's attributes: others are dropped (faster tagging)
    cache_size: int = 200_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "_word", functools.lru_cache(maxsize=self.cache_size)(self._word_features))

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
        if self.known is not None:
            out = [tuple(f for f in feats if f in self.known) for feats in out]
        return (n, *out, bigram)

    def gazetteer_marks(self, norms: Sequence[str]) -> list[list[str]]:
        """Per word, the gazetteer marks (B-/I-TYPE, longest match) of phrases found in the sentence."""
        marks: list[list[str]] = [[] for _ in norms]
        if not self.gazetteer:
            return marks
        for i, n in enumerate(norms):
            for form in _forms(n):
                for rest, typ in self.gazetteer.get(form, ()):
                    j = i + 1 + len(rest)
                    if j <= len(norms) and all(norms[i + 1 + k] == r for k, r in enumerate(rest)):
                        mark = "B-" + typ if rest else "U-" + typ
                        if mark not in marks[i]:
                            marks[i].append(mark)
                        for k in range(i + 1, j):
                            if "I-" + typ not in marks[k]:
                                marks[k].append("I-" + typ)
        return marks

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        """crfsuite features for every word of a sentence."""
        per_word = [self._word(w) for w in words]  # type: ignore[attr-defined]
        norms = [p[0] for p in per_word]
        marks = self.gazetteer_marks(norms)
        n = len(words)
        out = []
        for i in range(n):
            feats = list(per_word[i][1])
            feats.extend("g=" + m for m in marks[i])
            if self.use_context:
                for off, slot in ((-1, 2), (1, 3), (-2, 4), (2, 5)):
                    j = i + off
                    if 0 <= j < n:
                        feats.extend(per_word[j][slot])
                        if abs(off) == 1:
                            feats.extend(f"{off:+d}:g={m}" for m in marks[j])
                    else:
                        feats.append(f"{off:+d}:pad")
                prev = norms[i - 1] if i else "<s>"
                nxt = norms[i + 1] if i + 1 < n else "</s>"
                feats.append("bg-=" + prev + "|" + norms[i])
                feats.append("bg+=" + norms[i] + "|" + nxt)
                if self.cluster_bigram_col is not None:
                    cp = per_word[i - 1][-1] if i else "<s>"
                    cn = per_word[i + 1][-1] if i + 1 < n else "</s>"
                    feats.append("cb-=" + cp + "|" + per_word[i][-1])
                    feats.append("cb+=" + per_word[i][-1] + "|" + cn)
            if self.known is not None:  # the word's own features are filtered already
                feats = [f for f in feats if f in self.known]
            out.append(feats)
        return out


def output_tags(labels: Sequence[str]) -> list[str]:
    """Model labels -> public tags: PERS->PER, MISC->O, and an I- that starts an entity becomes B-."""
    out = []
    prev = "O"
    for lab in labels:
        pre, _, typ = lab.partition("-")
        typ = _TYPE_MAP.get(typ, typ)
        if lab == "O" or typ not in TYPES:
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
    """The shipped CRF tagger: loaded once, immutable; tagging is serialized by a lock (thread-safe)."""

    __slots__ = ("path", "featurizer", "_tagger", "_lock")

    def __init__(self, path: Path, featurizer: Featurizer):
        import pycrfsuite

        path = Path(path)
        if not path.is_file():
            raise MarsadError(f"{path}: NER model file not found; reinstall marsad or run scripts/train_ner.py")
        tagger = pycrfsuite.Tagger()
        try:
            _check_header(path)  # crfsuite crashes (SIGSEGV) on some truncated files instead of raising
            tagger.open(str(path))
            labels = set(tagger.labels())
        except Exception as err:  # crfsuite raises plain exceptions on bad files
            raise MarsadError(f"{path}: NER model file is corrupt or not a crfsuite model ({err}); "
                              "reinstall marsad or run scripts/train_ner.py") from err
        if "O" not in labels:
            raise MarsadError(f"{path}: NER model has no 'O' label; not a marsad NER model")
        self.path = path
        try:
            known = frozenset(tagger.info().attributes)
        except Exception:  # an older crfsuite without dumps: tag with every feature
            known = None
        self.featurizer = dataclasses.replace(featurizer, known=known)
        self._tagger = tagger
        self._lock = threading.Lock()

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

    def _run(self, words: Sequence[str], marginals: bool) -> tuple[list[str], list[float]]:
        if not words:
            return [], []
        feats = self.featurizer.sentence(words)
        with self._lock:
            labels = self._tagger.tag(feats)
            probs = []
            if marginals:
                internal = self._tagger.labels()
                for t, lab in enumerate(labels):
                    if output_tags([lab])[0] == "O":  # O also absorbs MISC
                        probs.append(sum(self._tagger.marginal(y, t) for y in internal
                                         if y == "O" or y.endswith("MISC")))
                    else:
                        probs.append(self._tagger.marginal(lab, t))
        return output_tags(labels), probs

    def tag(self, words: Sequence[str]) -> list[str]:
        """BIO tags (B-PER, I-ORG, O, ...) for a sentence given as a list of words."""
        return self._run(list(words), False)[0]

    def tag_with_marginals(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Each word's tag and the model's marginal probability of it."""
        tags, probs = self._run(list(words), True)
        return list(zip(tags, probs))


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

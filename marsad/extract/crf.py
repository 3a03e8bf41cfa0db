"""Statistical NER: a linear-chain CRF for the names the knowledge base has never seen.

The model (python-crfsuite) is trained by ``scripts/train_ner.py`` on ANERcorp and shipped in
``marsad/models/`` with the compact resources its features use (`marsad.extract.ner_features`): the ANERGazet
phrase lists (``ner_gazetteer.txt.gz``), word clusters learnt from SaudiNewsNet (``ner_clusters.tsv.gz``), the
per-word name lists (``ner_lexicon.tsv.gz``) and the options it was trained with (``ner_features.json``). Tags
are BIO with PER, ORG, LOC (`marsad.extract.bio`); MISC, which the model also learnt, is reported as O.

>>> tagger = CrfTagger.load()
>>> tagger.tag("وقال وزير الخارجية الروسي سيرغي لافروف في موسكو".split())[4:]
['B-PER', 'I-PER', 'O', 'B-LOC']
"""
from __future__ import annotations

import struct
import threading
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from marsad.arabic import normalize_word
from marsad.errors import MarsadError
from marsad.extract.bio import TYPES, output_tags
from marsad.extract.crf_decode import ChainWeights, PairRows, WordTable, viterbi, with_context
from marsad.extract.crf_decode import marginals as crf_marginals
from marsad.extract.ner_document import doc_key, entity_spans, propagate_types
from marsad.extract.ner_features import (CONTEXT_SLOTS, TAGGER_OPTIONS, Featurizer, load_clusters,
                                         load_feature_options, load_gazetteer, load_lexicon, sentence_bounds)

MODELS = Path(__file__).resolve().parents[1] / "models"
MODEL_FILE = "ner.crfsuite"
GAZETTEER_FILE = "ner_gazetteer.txt.gz"
CLUSTERS_FILE = "ner_clusters.tsv.gz"
FEATURES_FILE = "ner_features.json"  # the Featurizer and tagging options the model was trained with (optional)
LEXICON_FILE = "ner_lexicon.tsv.gz"  # per-word features (name-list membership), optional


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


_TAGS = ("O",) + tuple("B-" + t for t in TYPES) + tuple("I-" + t for t in TYPES)


class _Decoded(NamedTuple):
    """A tagged document: sentence k is tokens ``starts[k]:ends[k]``; per token its normalized form, doc key,
    type (0 for O, else 1 + its index in TYPES), whether its tag is a B-, and the tag's confidence."""

    starts: np.ndarray
    ends: np.ndarray
    norms: list[str]
    keys: list[str | None]
    types: np.ndarray
    begins: np.ndarray
    conf: np.ndarray

    def tagged(self) -> list[list[tuple[str, float]]]:
        """Each sentence's (tag, confidence) pairs."""
        codes = np.where(self.begins | (self.types == 0), self.types, self.types + len(TYPES)).tolist()
        pairs = list(zip([_TAGS[c] for c in codes], self.conf.tolist()))
        return [pairs[a:b] for a, b in zip(self.starts.tolist(), self.ends.tolist())]


def _layout(sentences: Sequence[Sequence[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A document's words end to end, and where each sentence starts and ends among them."""
    lengths = [len(s) for s in sentences]
    ends = np.cumsum(lengths, dtype=np.int64)
    return [w for s in sentences for w in s], ends - lengths, ends


class CrfTagger:
    """The shipped CRF tagger: loaded once, immutable, thread-safe.

    Tagging sums cached per-word weight vectors and decodes with `marsad.extract.crf_decode`; crfsuite's own
    tagger is kept for checks. Two options come with the model (``ner_features.json``): ``o_bias``, added to
    the O label's score at every word (below 0: more names found), and ``propagate``, document label
    propagation over an article's sentences (`tag_document`, `marsad.extract.ner_document`)."""

    __slots__ = ("path", "featurizer", "weights", "o_bias", "propagate", "_tagger", "_lock", "_words", "_o",
                 "_label_type", "_label_inside", "_context_rows", "_pairs")

    def __init__(self, path: Path, featurizer: Featurizer, cache_size: int = 200_000, o_bias: float = 0.0,
                 propagate: bool = False):
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
        self.o_bias = float(o_bias)
        self.propagate = bool(propagate)
        self._o = weights.labels.index("O")
        public = [output_tags([lab])[0] for lab in weights.labels]  # PERS -> PER, MISC -> O
        self._label_type = np.array([0 if t == "O" else 1 + TYPES.index(t[2:]) for t in public], dtype=np.int64)
        self._label_inside = np.array([lab.startswith("I-") for lab in weights.labels])
        self._tagger = tagger
        self._lock = threading.Lock()
        self._words = WordTable(cache_size, len(weights.labels), self._word_entries)
        rows, zero = weights.rows, len(weights.matrix) - 1  # what each context feature weighs at each offset
        self._pairs = {name: PairRows(rows, name, zero) for name in ("bg", "cb")}  # neighbour-pair features
        self._context_rows = {f[3:]: tuple(rows.get(p + f[3:], zero) for _, p in CONTEXT_SLOTS)
                              for f in rows if f[:3] in {p for _, p in CONTEXT_SLOTS}}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "CrfTagger":
        """Load a model with the gazetteer, clusters, name lists and options next to it (default: the model
        shipped with marsad)."""
        path = Path(path) if path is not None else MODELS / MODEL_FILE
        tagger_dir = path.parent
        resources = {}
        for name, loader in ((GAZETTEER_FILE, load_gazetteer), (CLUSTERS_FILE, load_clusters)):
            res = tagger_dir / name
            if not res.is_file():
                raise MarsadError(f"{res}: NER resource not found next to the model {path.name}")
            resources[name] = loader(res)
        options = load_feature_options(tagger_dir / FEATURES_FILE)
        featurizer = Featurizer(gazetteer=resources[GAZETTEER_FILE], clusters=resources[CLUSTERS_FILE],
                                lexicon=load_lexicon(tagger_dir / LEXICON_FILE),
                                **{k: v for k, v in options.items() if k not in TAGGER_OPTIONS})
        return cls(path, featurizer, **{k: v for k, v in options.items() if k in TAGGER_OPTIONS})

    def _word_entries(self, words: list[str]) -> tuple[list[tuple], np.ndarray]:
        """New (normalized) words' facts (normalized form, bigram cluster id, `doc_key`, gazetteer entries)
        and weight vectors (n, 5, labels): a word's own features, then what it adds as the neighbour at -1, +1,
        -2, +2 (`CONTEXT_SLOTS`). All the words' weights are summed in one numpy call."""
        feat = self.featurizer
        get = self.weights.row_of
        around = self._context_rows.get
        zero = len(self.weights.matrix) - 1
        facts, rows, starts = [], [], []
        for word in words:
            norm, own, ctx, bigram = feat._word_features(word)
            facts.append((norm, bigram, doc_key(word), feat.gazetteer_entries(norm)))
            starts.append(len(rows))
            rows.extend([r for f in own if (r := get(f)) is not None])
            rows.append(zero)  # no group is empty for reduceat
            seen = [r for f in ctx if (r := around(f)) is not None]
            for k in range(len(CONTEXT_SLOTS)):
                starts.append(len(rows))
                rows.extend([r[k] for r in seen])
                rows.append(zero)
        vecs = np.add.reduceat(self.weights.matrix[rows], starts, axis=0).reshape(len(words), 5, -1)
        vecs[:, 0, self._o] += self.o_bias  # every word's own scores: the bias reaches each word once
        return facts, vecs

    def _emissions(self, words: Sequence[str], starts: np.ndarray, ends: np.ndarray
                   ) -> tuple[np.ndarray, list[tuple]]:
        """The state scores (n, labels) of a document's words (its sentences end to end), and their facts."""
        feat = self.featurizer
        vecs, facts = self._words.lookup(list(map(normalize_word, words)))  # features are the normalized form's
        if feat.use_context:
            em = with_context(vecs, starts, ends, [off for off, _ in CONTEXT_SLOTS])
        else:
            em = vecs[:, 0].copy()
        norms = [f[0] for f in facts]
        lengths = [n for n in (ends - starts).tolist() if n]  # the sentence-level features see only sentences
        marks = feat.gazetteer_marks(norms, lengths, [f[3] for f in facts])  # with words
        sparse, edges = feat.extras(norms, marks, lengths)
        get = self.weights.row_of
        matrix = self.weights.matrix
        hits = [(i, r) for i, f in sparse if (r := get(f)) is not None]
        if hits:
            np.add.at(em, [i for i, _ in hits], matrix[[r for _, r in hits]])
        for where, f in edges:  # one feature at distinct words: a plain add
            if (r := get(f)) is not None:
                em[where] += matrix[r]
        pairs = feat.pair_sequences(norms, [f[1] for f in facts])
        if pairs:
            first, last = sentence_bounds(len(norms), lengths)
            for name, seq in pairs:
                for rows in self._pairs[name].rows(seq, first, last):  # word before, then word after
                    em += matrix[rows]
        return em, facts

    def _decode(self, sentences: Sequence[Sequence[str]], marginals: bool) -> _Decoded:
        """Viterbi over a document's sentences, as public tags, with each tag's marginal probability when
        asked (else 1.0): a named tag's own, an O's the sum of O and MISC (O absorbs MISC)."""
        words, starts, ends = _layout(sentences)
        if not words:
            empty = np.zeros(0, dtype=np.int64)
            return _Decoded(starts, ends, [], [], empty, empty.astype(bool), np.zeros(0))
        em, facts = self._emissions(words, starts, ends)
        trans = self.weights.transitions
        path = viterbi(em, trans, starts, ends)
        types = self._label_type[path]
        prev = np.concatenate(([0], types[:-1]))
        prev[starts[starts < len(types)]] = 0
        begins = (types > 0) & (~self._label_inside[path] | (prev != types))
        if marginals:
            prob = crf_marginals(em, trans, starts, ends)
            chosen = prob[np.arange(len(path)), path]
            conf = np.where(types > 0, chosen, prob[:, self._label_type == 0].sum(axis=1))
        else:
            conf = np.ones(len(path))
        return _Decoded(starts, ends, [f[0] for f in facts], [f[2] for f in facts], types, begins, conf)

    def _document(self, sentences: Sequence[Sequence[str]], marginals: bool, window: int | None) -> _Decoded:
        d = self._decode(sentences, marginals)
        if not self.propagate or not d.norms:
            return d
        types, begins, conf = propagate_types(d.norms, d.keys, d.types, d.begins, d.conf, d.starts, d.ends,
                                              window)
        return d._replace(types=types, begins=begins, conf=conf)

    def model_labels(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The model's own labels (MISC included, PERS as the model writes it) of each sentence's words."""
        words, starts, ends = _layout(sentences)
        if not words:
            return [[] for _ in sentences]
        em, _ = self._emissions(words, starts, ends)
        path = viterbi(em, self.weights.transitions, starts, ends).tolist()
        labels = self.weights.labels
        return [[labels[k] for k in path[a:b]] for a, b in zip(starts.tolist(), ends.tolist())]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], marginals: bool = False
                      ) -> list[list[tuple[str, float]]]:
        """Each sentence's words tagged (BIO), with the marginal probability of each tag when asked (else 1.0).

        All sentences are decoded together, which is much faster than one at a time."""
        return self._decode(sentences, marginals).tagged()

    def tag_document(self, sentences: Sequence[Sequence[str]], marginals: bool = False,
                     window: int | None = None) -> list[list[tuple[str, float]]]:
        """`tag_sentences` for the sentences of one document (an article), then, if the model asks for it,
        document label propagation: a name tagged somewhere is tagged where the tagger missed it
        (`marsad.extract.ner_document.propagate_types`; ``window``: pool only that many sentences around
        each, for corpora without article boundaries)."""
        return self._document(sentences, marginals, window).tagged()

    def document_entities(self, sentences: Sequence[Sequence[str]], window: int | None = None
                          ) -> list[tuple[int, int, int, str, float]]:
        """The entities `tag_document` finds, as (sentence, first word, end word, type, confidence): the
        confidence is the least marginal probability of the entity's tags."""
        d = self._document(sentences, True, window)
        spans = entity_spans(d.types, d.begins)
        sent = np.searchsorted(d.ends, [a for a, _, _ in spans], side="right").tolist()
        first = d.starts.tolist()
        return [(s, a - first[s], b - first[s], TYPES[t - 1], float(d.conf[a:b].min()))
                for s, (a, b, t) in zip(sent, spans)]

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



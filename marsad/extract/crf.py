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

import itertools
import struct
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from marsad.errors import MarsadError
from marsad.extract.bio import output_tags
from marsad.extract.crf_decode import ChainWeights, WordTable, viterbi
from marsad.extract.crf_decode import marginals as crf_marginals
from marsad.extract.ner_document import propagate_types
from marsad.extract.ner_features import (CONTEXT_SLOTS, TAGGER_OPTIONS, Featurizer, load_clusters,
                                         load_feature_options, load_gazetteer, load_lexicon)

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


class CrfTagger:
    """The shipped CRF tagger: loaded once, immutable, thread-safe.

    Tagging sums cached per-word weight vectors and decodes with `marsad.extract.crf_decode`; crfsuite's own
    tagger is kept for checks. Two options come with the model (``ner_features.json``): ``o_bias``, added to
    the O label's score at every word (below 0: more names found), and ``propagate``, document label
    propagation over an article's sentences (`tag_document`, `marsad.extract.ner_document`)."""

    __slots__ = ("path", "featurizer", "weights", "o_bias", "propagate", "_tagger", "_lock", "_words", "_o")

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
        self._tagger = tagger
        self._lock = threading.Lock()
        self._words = WordTable(cache_size, len(weights.labels), self._word_entry)

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

    def _word_entry(self, word: str) -> tuple[str, str, np.ndarray]:
        """A word's normalized form, bigram cluster id, and weight vectors (5, labels): its own features, then
        as the neighbour at -1, +1, -2, +2."""
        norm, *groups, bigram = self.featurizer._word_features(word)
        vecs = self.weights.vectors(groups + [()] * (5 - len(groups)))  # no context features: zero rows
        vecs[0, self._o] += self.o_bias  # every word's own scores: the bias reaches each word once
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
        get = self.weights.rows.get
        sparse, dense = feat.extras(norms, [e[1] for e in entries], marks, lengths)
        hits = [(i, r) for i, f in sparse if (r := get(f)) is not None]
        for column in dense:
            hits.extend([(i, r) for i, r in enumerate(map(get, column)) if r is not None])
        if hits:
            np.add.at(em, [i for i, _ in hits], self.weights.matrix[[r for _, r in hits]])
        return np.split(em, list(itertools.accumulate(lengths))[:-1])

    def model_labels(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The model's own labels (MISC included, PERS as the model writes it) of each sentence's words."""
        todo = [i for i, s in enumerate(sentences) if s]
        out: list[list[str]] = [[] for _ in sentences]
        if todo:
            labels = self.weights.labels
            paths = viterbi(self._emissions([sentences[i] for i in todo]), self.weights.transitions)
            for i, path in zip(todo, paths):
                out[i] = [labels[k] for k in path.tolist()]
        return out

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

    def tag_document(self, sentences: Sequence[Sequence[str]], marginals: bool = False,
                     window: int | None = None) -> list[list[tuple[str, float]]]:
        """`tag_sentences` for the sentences of one document (an article), then, if the model asks for it,
        document label propagation: a name tagged somewhere is tagged where the tagger missed it
        (`marsad.extract.ner_document.propagate_types`; ``window``: pool only that many sentences around
        each, for corpora without article boundaries)."""
        tagged = self.tag_sentences(sentences, marginals)
        if not self.propagate:
            return tagged
        tags, probs = propagate_types(sentences, [[t for t, _ in s] for s in tagged],
                                      [[p for _, p in s] for s in tagged], window)
        return [list(zip(t, p)) for t, p in zip(tags, probs)]

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



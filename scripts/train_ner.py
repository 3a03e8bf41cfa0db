"""Train marsad's statistical NER tagger (a linear-chain CRF) on ANERcorp and write the shipped model.

Usage (from the repository root, with the virtualenv):

    .venv/bin/python scripts/train_ner.py                      # train the shipped configuration, model + metrics
    .venv/bin/python scripts/train_ner.py --rebuild-clusters   # first recompute word clusters from SaudiNewsNet (~5 min)
    .venv/bin/python scripts/train_ner.py --ablation           # also train without each feature group (dev only)
    .venv/bin/python scripts/train_ner.py --data ../shared/data --out marsad/models --c1 0.1 --c2 0.05

Inputs (never committed; see ../shared/data/SOURCES.md):
  anercorp/train.txt        `token TAG` lines; the LAST 10% of sentences are the dev split, the rest train.
  anercorp/gazetteers/      ANERGazet lists, compiled to marsad/models/ner_gazetteer.txt.gz
  saudinewsnet/dataset/     unlabelled news, for word clusters (k-means over PPMI-SVD co-occurrence vectors),
                            compiled to marsad/models/ner_clusters.tsv.gz
  marsad/kb/                with ANERGazet, the per-word name-list features (scripts/ner_lexicon.py),
                            compiled to marsad/models/ner_lexicon.tsv.gz
Outputs (shipped): marsad/models/ner.crfsuite, ner_gazetteer.txt.gz, ner_clusters.tsv.gz, ner_lexicon.tsv.gz,
ner_features.json (Featurizer and tagging options), ner_metrics.json.
Deterministic: fixed seeds, sorted inputs, single-threaded crfsuite training.

Dev split (396 sentences, 864 PER/ORG/LOC entities), micro F1 (P / R) and per type PER, ORG, LOC.
"+ bias/prop" = the same model tagged with o_bias -0.5 and document label propagation (dev documents: the
sentences within 8 of each one, as ANERcorp has no article boundaries):
  previous model (PPMI-SVD clusters 64/256/1024)    0.757 (0.803/0.716)  0.709 0.680 0.876
  without clusters / without gazetteer              0.710 / 0.739
  + stem affixes + cluster bigrams                  0.752 (0.793/0.714)  0.727 0.642 0.873
  word2vec clusters (scripts/ner_embeddings.py)     0.738-0.753          (two corpus tokenizations)
  PPMI + word2vec clusters (+ affixes, bigrams)     0.753 / 0.753
  char-CNN+BiLSTM-CRF (scripts/train_ner_neural.py) 0.747 (0.810/0.692)  0.750 0.599 0.872
  CRF + non-overlapping BiLSTM spans                0.767 (0.783/0.752)  0.750 0.677 0.870
  --- branch ner-f1 (each row one change from the previous model unless said) ---
  + O bias -0.5 only (tagging)                      0.762 (0.794/0.733)
  + O bias -0.5 and propagation (tagging)           0.775 (0.791/0.760)  0.733 0.712 0.878
  + name-list lexicon (ANERGazet+KB per word)       0.761 (0.812/0.715)  0.713 0.680 0.880
      + bias/prop                                   0.782 (0.803/0.762)  0.744 0.723 0.875
  binarized word2vec features (50 PCA dims)         0.752 (0.786/0.720)  0.725 0.663 0.861
  self-training lexicon (SaudiNewsNet tagged)       0.752 (0.797/0.712)  0.719 0.650 0.874
  + Wojood train+val (PERS/ORG/GPE+LOC mapped)      0.756 (0.814/0.706)  0.723 0.655 0.881; + bias/prop 0.770
  BIOES labels (option removed)                     0.724 (0.776/0.678)  0.658 0.644 0.858
  two passes, document features (option removed)    0.761 (0.797/0.728)  0.718 0.676 0.884; + bias/prop 0.773
  name-list lexicon, c1 0.1 c2 0.05                 0.762 (0.821/0.711)  0.716 0.673 0.885
      + bias/prop                                   0.787 (0.809/0.766)  0.751 0.728 0.879
      + KB names also in the phrase gazetteer        0.757 raw; 0.786 with bias/prop (no gain, --gazetteer-kb)
  name-list lexicon, c1 0.1 c2 0.2 / c1 0.2 c2 0.05  0.751 / 0.755 raw; 0.784 / 0.779 with bias/prop
  SHIPPED: name-list lexicon, c1 0.1 c2 0.05, o_bias -0.5, propagation (the defaults of this script)
                                                    0.787 (0.809/0.766)  0.751 0.728 0.879
     PER P .784 R .721; ORG P .794 R .672; LOC P .845 R .916. Train 116 s; model 2.1 MB. The O bias (grid
     0 .. -2.0) and c1/c2 were chosen on this dev split (bias -0.4 .. -0.6 all give 0.779-0.787), so the figure
     is a little optimistic; dev tagged as one document instead of +-8 sentence windows: 0.785.
  variants of the shipped model, all with bias/prop: MISC trained as O (--drop-misc) 0.776; c1 0.07 c2 0.03
  0.784; Wojood entity words added to the name-list lexicon 0.783; single-word type correction by document
  majority (post-processing) 0.787-0.788 (not kept).
  --- branch ner-f1b: SaudiNewsNet word statistics (scripts/ner_wordstats.py, --word-stats;
  script and option removed, kept in branch ner-f1b), all with bias/prop,
  each row adds to the first one unless said; the shipped configuration retrained here: 0.787, same figures ---
  + word stats d<stat><bucket> (after title/SAY/place cue/org head/place preposition, before/after a listed
    person name, next to بن/ابو, frequency, ال-ratio of the stem)   0.7875 (0.804/0.772) 0.770 0.710 0.880
  + those stats also given to -2..+2 (--lexicon-ctx n,d)            0.782 (0.790/0.774)  0.763 0.710 0.871
  + feature.possible_states (training 275 s)                        0.789 (0.803/0.774)  0.775 0.705 0.883
  + character 3-grams of the stem (option removed)                  0.781 (0.790/0.772)  0.774 0.702 0.865
  + nisba adjective before/after, right after an opening quote      0.789 (0.801/0.777)  0.769 0.717 0.877
      and from this one: o_bias grid 0 .. -1.0 0.775-0.789, best -0.5/-0.6 (unchanged);
      max_iterations 600: 0.785; c1 0.15 c2 0.03: 0.788 (model 1.5 MB); ctx cluster cols 1,2: 0.770;
      feature.minfreq 2: 0.773; crfsuite l2sgd (c2 0.1, minfreq 2): 0.765, model 10.9 MB;
      neighbours' clitic prefix + stem suffix (option removed): 0.775; cumulative buckets 0.786;
      share of occurrences inside multi-word ANERGazet/KB names 0.785; stats min count 3 (134k words) 0.787;
      only the person-oriented stats (T S N M B Q) 0.783
  + team/company cue and sports-person cue before (dX, dY)          0.789 (0.805/0.773)  0.779 0.710 0.874
      (best variant: --word-stats; + possible_states 0.784). Every variant is within 0.77-0.79 of the shipped
      0.787, i.e. within the noise of a 864-entity dev split that also chose them: not shipped, and the
      option went (with the stats the lexicon would be 0.36 MB; per-word features: tagging speed unchanged).
  --- branch ner-f1c (code kept there, not merged): soups, other training algorithms, biases chosen by
  cross-validation, part of speech
  (--tag experiments, models in $TMPDIR); "raw" = no bias, no propagation; CV = k contiguous blocks of the
  3,567 training sentences, each tagged by a model trained on the others, pooled; the shipped configuration
  retrained here: raw 0.762 (0.821/0.711) 0.716 0.673 0.885, bias/prop 0.787, same figures ---
  4-fold CV of the shipped configuration (--folds 4)  raw 0.751 (0.820/0.693)  0.675 0.586 0.854
                                                      bias/prop 0.7525 (0.782/0.725)  0.690 0.579 0.852
      its four fold models (75% of train) on dev: raw 0.716-0.741, bias/prop 0.724-0.759
  soup: average of the 4 fold models' weights         raw 0.742 (0.814/0.682)  0.692 0.633 0.883
                                                      bias/prop 0.767 (0.803/0.734)  0.730 0.681 0.881
      (O bias 0 .. -1.0 on dev: 0.749-0.768; the 4 fold models + the full model: 0.773, raw 0.745)
  8-fold CV (--folds 8)                               raw 0.757 (0.825/0.700); bias/prop 0.762 (0.794/0.733)
      its eight fold models (87.5%) on dev: raw 0.739-0.760, bias/prop 0.754-0.787
  soup of the 8 fold models                           raw 0.755 (0.819/0.700)  0.701 0.663 0.889
                                                      bias/prop 0.779 (0.808/0.752)  0.733 0.714 0.886
  soup of 4 models on bootstrap samples (--bootstrap 4) raw 0.755 (0.824/0.696)  0.715 0.652 0.883
      (alone: raw 0.734-0.751, bias/prop 0.741-0.762)  bias/prop 0.770 (0.813/0.732)  0.731 0.679 0.892
  soup of full models c1 0.05, 0.1, 0.2 (--soup-c1)   raw 0.756 (0.813/0.706)  0.707 0.665 0.883
      (alone: c1 0.05 raw 0.760 / 0.779, c1 0.2 0.755 / 0.779)  bias/prop 0.782 (0.802/0.762)  0.738 0.723 0.880
      A soup beats its own members on average (+1 to +2 points) but not the one model trained on all the
      data: the members see less of it, and averaging full-data models with other c1 only blurs c1.
  averaged perceptron (--algorithm ap), 10/30/60 epochs: raw 0.744 / 0.749 / 0.746, bias/prop 0.751 / 0.759 /
      0.754; 30 epochs (14 s): raw 0.749 (0.793/0.710) 0.710 0.660 0.865; 4-fold CV raw 0.740, bias/prop 0.749
  passive-aggressive (pa, 10/30 epochs)               raw 0.755 (0.811/0.706)  0.691 0.682 0.881 / 0.745;
      its weights are ~20x smaller than lbfgs's: with O bias -0.5 0.540; with the O bias chosen by CV (0,
      --bias-scale 0.05) and propagation 0.769 (0.807/0.734)  0.707 0.710 0.883; 4-fold CV raw 0.746
  AROW (arow, 10/30 epochs)                           raw 0.695 / 0.696
  biases chosen by 4-fold CV on train (--cv-biases, coordinate search from 0 over -1.5 .. 1.0, step 0.1, on
  the pooled held-out F1 with propagation), tagging the full model on dev:
      O only: CV picks +0.1 (CV 0.759; -0.5: 0.7525)  0.772 with propagation (the dev-chosen -0.5: 0.787)
      O and each B-/I- (MISC 0), in the model's label order: O +0.1, B-ORG +0.1, I-ORG -0.9, B-LOC +0.2,
      B-PER +0.7, I-PER -0.7, I-LOC -0.1 (CV 0.764)   0.763 (0.795/0.734)  0.710 0.696 0.878
          (searched in the order PER, LOC, ORG: B-PER +0.8, I-PER -0.8, I-LOC +0.1, I-ORG -0.9, CV 0.765,
          dev 0.755 (0.789/0.723) 0.702 0.678 0.876: the search is order-dependent and overfits the folds)
      O and one per type (B = I): O +0.1, PER -0.1 (CV 0.760)  0.772 (0.817/0.732)  0.715 0.708 0.885
      On train blocks the O bias gains nothing (CV curve 0.727-0.759 over +0.3 .. -1.5, best at 0 .. +0.1)
      while dev gains 0.8 points at -0.5: the shipped O bias is partly fitted to dev.
  UD Arabic-PUD part of speech, per word (scripts/ner_lexicon.py --pud-to: most frequent UPOS, PROPN share),
      added to the name-list lexicon                  raw 0.766 (0.819/0.719)  0.726 0.676 0.884
                                                      bias/prop 0.782 (0.800/0.765)  0.735 0.729 0.881
      also given to -2..+2 (--lexicon-ctx n,u)        raw 0.763; bias/prop 0.778 (0.801/0.756)
  PUD part-of-speech CRF (--pos: PUD re-tokenized as ANERcorp, 88.0% token accuracy on its last 100
      sentences), its tag at -1, 0, +1 as features    raw 0.769 (0.825/0.720)  0.734 0.682 0.881
                                                      bias/prop 0.783 (0.805/0.762)  0.751 0.720 0.874
      4-fold CV (same blocks): raw 0.748, bias/prop 0.752 (shipped configuration: 0.751 / 0.7525)
  Nothing here reaches 0.80 on dev, nor beats the shipped configuration's 0.787; the shipped model is unchanged.
  --- branch ner-ens (scripts/ner_ensemble.py there): output-space ensembles of full-data models, their
  per-token posteriors pooled (linear or log, weights in quarters), best valid BIO path, O bias, propagation;
  CV = the same 4 contiguous blocks, every member retrained on 3; settings "CV-chosen" = best pooled CV F1 ---
  members: shipped CRF 0.787 (CV 0.755); CRF + character 3/4-grams 0.784 (CV 0.754); char-CNN + frozen
      word2vec (SaudiNewsNet skip-gram, 100 d) + BiLSTM-CRF, 12 epochs 0.760 (CV 0.744), 20 epochs 0.7905
      (CV 0.755; PER 0.795, the best PER of any model), ~60 ms per 1,000 tokens on one core (the CRF: ~3)
  all four pooled, CV-chosen (equal weights, span vote > 0.34, bias 0, propagation)
                                                    0.7986 (0.806/0.792)  0.802 0.723 0.866; CV 0.7825
  shipped CRF + the 12-epoch network (the pair fixed before any dev result), CV-chosen  0.7908; CV 0.7779
  best of 1,050 settings on dev (dev-chosen)        0.8058; CV of that setting 0.7732
      The ensemble's gain holds under cross-validation (+2.6 points of pooled CV F1 over the shipped CRF)
      but reaches 0.80 on dev only with dev-chosen settings, and costs ~38 ms an article (two networks):
      not shipped. Distilling it into the CRF (tagging SaudiNewsNet with it as extra training data) is the
      next step that would keep the CRF's speed: tried below.
  --- branch ner-distil (scripts/ner_distil.py there, and --extra-conll): the CV-chosen ensemble tags raw
  SaudiNewsNet sentences (8-60 tokens, seed 13) as silver data; the shipped configuration is trained on gold +
  silver; CV = the same 4 blocks, fold k's silver tagged by fold k's ensemble; "b/p" = bias/prop ---
  gold + 3k silver sentences       dev b/p 0.7849 (0.802/0.768), raw 0.7679; CV raw 0.7509, b/p 0.7566
  gold + 10k silver (CV-chosen)    dev b/p 0.7775 (0.787/0.768)  PER .769 ORG .708 LOC .851, raw 0.7624;
                                   CV raw 0.7603, b/p 0.7636 (+1.1 points over the shipped 0.7525)
  gold x2 + 3k silver              dev b/p 0.7872 (0.804/0.771), raw 0.7682; CV not run
      Tagging speed unchanged (model 2.7-3.8 MB, training 2-4x longer). The CV gain does not carry to dev
      (nor did most of the ensemble's own: +3.0 CV points, +1.1 dev); the silver data has no MISC (the
      ensemble decodes it as O). Not shipped; no setting reaches 0.80 on dev.
  --- branch ner-exchange (scripts/ner_exchange_clusters.py there): word classes by the exchange algorithm
  (Martin, Liermann & Ney 1998: Brown clustering's class-bigram likelihood, flat; numba; the 9.0M SaudiNewsNet
  tokens, words seen 3+ times: 134,509), k = 64 / 256 / 1,024 after 15 / 12 / 10 passes (12 s, 41 s, 4.7 min);
  the shipped configuration, bias/prop, one run each; the name-list lexicon rebuilt from today's knowledge
  base, so the shipped configuration retrained here gives 0.785 (0.803/0.769)  0.747 0.730 0.875 ---
  exchange classes instead of PPMI-SVD (134k words)  0.781 (0.802/0.762)  0.775 0.688 0.875
      on the PPMI vocabulary (50k words)             0.779 (0.798/0.760)  0.771 0.684 0.876
  PPMI-SVD columns + exchange columns (50k words)    0.793 (0.812/0.774)  0.764 0.724 0.887
      the same, 134k words                           0.785 (0.798/0.772)  0.769 0.711 0.870
      exchange 256 also at -2..+2 (ctx cols 1,4)     0.791 (0.810/0.772)  0.786 0.704 0.879
      +0.8 over the same-day baseline, within the spread of every variant above (0.77-0.79) and short of
      0.80: not shipped (the clusters file would grow from 0.37 to 0.56 MB).
  --- session 14: a large first/last-name list, names-dataset 3.3.1 (PyPI, MIT; Facebook profile names): its
  Arabic-script names (26k first, 47k last), normalized, each with its best rank in an Arab country bucketed
  (pF/pL 1: top 1,000, 2: top 5,000, 3: ranked, u: unranked but mostly Arab), the 2,000 most frequent
  SaudiNewsNet words left out (the list holds في, من, وزير); added to the shipped name-list lexicon;
  CV = 4 contiguous blocks of train, pooled, bias/prop (the shipped configuration: 0.753, raw 0.751) ---
  + name ranks (own word only)                      0.789 (0.813/0.766)  0.768 0.712 0.883
  + name ranks, also at -2..+2 (--lexicon-ctx n,p)  0.790 (0.811/0.770)  0.765 0.714 0.887; CV 0.754, raw 0.749
  + those and PPMI-SVD + exchange clusters (above)  0.793 (0.811/0.776)  0.774 0.711 0.892
      PER gains 1.5-2 points on dev and none under cross-validation (CV PER 0.685 against 0.690): the
      ranks mostly rename what ANERGazet and the word clusters already say. Not shipped.
The options of the variants (--clusters-file, --ctx-cluster-cols, --cluster-bigram-col, --stem-affixes,
--lexicon-files, --o-bias, --no-propagate, --wojood, --drop-misc) are saved next to a
shipped model in ner_features.json; without that file the defaults are the previous model's features.
"""
from __future__ import annotations

import argparse
import collections
import glob
import gzip
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic import normalize  # noqa: E402
from marsad.extract import bio, crf, ner_features  # noqa: E402

SEED = 13
CLUSTER_KS = (64, 256, 1024)
_WORD = re.compile(r"[\w\u0600-\u06ff\u0750-\u077f]+")


# --- gazetteers --------------------------------------------------------------------------------------------

def compile_gazetteers(gaz_dir: Path, out: Path, with_kb: bool = False) -> int:
    """ANERGazet lists -> one gzip'd `TYPE<TAB>normalized phrase` file (separators and duplicates dropped);
    with_kb: also the names of the knowledge base's actors and places (one-word names of 3+ letters)."""
    entries = set()
    if with_kb:
        from marsad.kb import load_kb

        for name, actor in load_kb().names():
            words = _WORD.findall(normalize(name))
            if words and actor.type in bio.TYPES and not (len(words) == 1 and len(words[0]) < 3):
                entries.add((actor.type, " ".join(words)))
    for typ, name in (("PER", "ANERGazet_PERS.txt"), ("LOC", "ANERGazet_LOC.txt"), ("ORG", "ANERGazet_ORG.txt")):
        for line in (gaz_dir / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or set(line) <= set("=*-_ "):
                continue
            words = _WORD.findall(normalize(line))
            if words:
                entries.add((typ, " ".join(words)))
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as fh:
        fh.write("# ANERGazet (Benajiba & Rosso 2008)" + (" + marsad KB names" if with_kb else "")
                 + ", normalized; compiled by scripts/train_ner.py\n")
        for typ, phrase in sorted(entries):
            fh.write(f"{typ}\t{phrase}\n")
    return len(entries)


# --- word clusters -----------------------------------------------------------------------------------------

def _zip_words(path: str) -> list[str]:
    with zipfile.ZipFile(path) as z:
        out: list[str] = []
        for name in sorted(z.namelist()):
            for art in json.loads(z.read(name)):
                for para in (art.get("content") or "").split("\n"):
                    words = _WORD.findall(normalize(para))
                    if words:
                        out.extend(words)
                        out.append("</s>")
        return out


def build_clusters(news_dir: Path, out: Path, n_words: int = 50_000, n_ctx: int = 10_000, dim: int = 100,
                   window: int = 2) -> int:
    """k-means (several k) over PPMI-SVD vectors of the n_words most frequent normalized forms."""
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.utils.extmath import randomized_svd

    t0 = time.time()
    files = sorted(glob.glob(str(news_dir / "*.zip")))
    with ProcessPoolExecutor(max_workers=2) as ex:
        chunks = list(ex.map(_zip_words, files))
    counts = collections.Counter()
    for ch in chunks:
        counts.update(ch)
    del counts["</s>"]
    vocab = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n_words]]
    index = {w: i for i, w in enumerate(vocab)}
    print(f"clusters: {sum(len(c) for c in chunks):,} tokens, vocab {len(vocab):,} ({time.time() - t0:.0f}s)")
    ids = np.concatenate([np.fromiter((index.get(w, -1) for w in ch), dtype=np.int64, count=len(ch))
                          for ch in chunks])
    del chunks
    n_cols = 2 * window * n_ctx
    mat = sparse.csr_matrix((len(vocab), n_cols), dtype=np.float64)
    col = 0
    for off in list(range(-window, 0)) + list(range(1, window + 1)):
        a, b = (ids[:-off], ids[off:]) if off > 0 else (ids[-off:], ids[:off])
        keep = (a >= 0) & (b >= 0) & (b < n_ctx)
        m = sparse.coo_matrix((np.ones(int(keep.sum())), (a[keep], b[keep] + col)), shape=(len(vocab), n_cols))
        mat = mat + m.tocsr()
        col += n_ctx
    mat = mat.tocsr()
    total = mat.sum()
    row = np.asarray(mat.sum(axis=1)).ravel()
    ctx = np.asarray(mat.sum(axis=0)).ravel() ** 0.75
    ctx = ctx / ctx.sum()
    coo = mat.tocoo()
    pmi = np.log((coo.data / total) / ((row[coo.row] / total) * ctx[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=mat.shape)
    u, s, _ = randomized_svd(ppmi, n_components=dim, random_state=SEED, n_iter=5)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    print(f"clusters: PPMI {ppmi.nnz:,} nonzeros, SVD done ({time.time() - t0:.0f}s)")
    labels = []
    for k in CLUSTER_KS:
        km = MiniBatchKMeans(n_clusters=k, random_state=SEED, batch_size=4096, n_init=3, max_iter=200)
        labels.append(km.fit_predict(vec))
        print(f"clusters: k={k} ({time.time() - t0:.0f}s)")
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# word<TAB>cluster ids for k=" + ",".join(map(str, CLUSTER_KS))
                 + "; SaudiNewsNet PPMI-SVD k-means, scripts/train_ner.py\n")
        for i, w in enumerate(vocab):
            fh.write(w + "\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\n")
    return len(vocab)


# --- training and evaluation -------------------------------------------------------------------------------

def internal_label(tag: str) -> str:
    return tag.replace("PERS", "PER")


def split(sents: list) -> tuple[list, list]:
    n_dev = round(len(sents) * 0.1)
    return sents[:-n_dev], sents[-n_dev:]


def feature_options(cfg: dict) -> dict:
    """The Featurizer options of a configuration (saved next to the shipped model as ner_features.json)."""
    return {"use_triggers": cfg.get("triggers", True), "use_context": cfg.get("context", True),
            "ctx_cluster_cols": tuple(cfg.get("ctx_cluster_cols", (1,))),
            "cluster_bigram_col": cfg.get("cluster_bigram_col"), "stem_affixes": cfg.get("stem_affixes", False),
            "lexicon_ctx": tuple(cfg.get("lexicon_ctx", ())), "o_bias": cfg.get("o_bias", 0.0),
            "propagate": cfg.get("propagate", False)}


def make_featurizer(cfg: dict, models: Path):
    clusters_file = Path(cfg.get("clusters_file") or models / crf.CLUSTERS_FILE)
    gaz_file = Path(cfg.get("gazetteer_file") or models / crf.GAZETTEER_FILE)
    lex_files = cfg.get("lexicon_files") or []
    lexicon: dict = {}
    for f in lex_files:
        for w, feats in ner_features.load_lexicon(Path(f)).items():
            lexicon[w] = lexicon.get(w, ()) + feats
    return ner_features.Featurizer(
        gazetteer=ner_features.load_gazetteer(gaz_file) if cfg.get("gazetteer", True) else {},
        clusters=ner_features.load_clusters(clusters_file) if cfg.get("clusters", True) else {},
        lexicon=lexicon, **{k: v for k, v in feature_options(cfg).items() if k not in ner_features.TAGGER_OPTIONS})


def read_wojood(path: Path) -> list:
    """Wojood (nested, `token TAG [TAG...]`) -> flat ANERcorp-style sentences: PERS->PERS, ORG->ORG, GPE/LOC->LOC,
    other types O; where mapped spans overlap the outermost (longest) wins. `$#$` separator tokens are dropped."""
    wmap = {"PERS": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
    sents, cur = [], []
    for line in list(Path(path).read_text(encoding="utf-8").splitlines()) + [""]:
        parts = line.split()
        if parts:
            cur.append(parts)
            continue
        if not cur:
            continue
        toks = [p[0] for p in cur]
        spans = []
        for typ in wmap:
            start = None
            for i, p in enumerate(cur + [["", "O"]]):
                tags = set(p[1:])
                if start is not None and ("I-" + typ not in tags or "B-" + typ in tags):
                    spans.append((start, i, wmap[typ]))
                    start = None
                if "B-" + typ in tags:
                    start = i
        labels = ["O"] * len(toks)
        taken = [False] * len(toks)
        for s, e, t in sorted(spans, key=lambda x: (-(x[1] - x[0]), x[0])):
            if not any(taken[s:e]):
                for k in range(s, e):
                    taken[k] = True
                    labels[k] = ("B-" if k == s else "I-") + t
        sent = [(w, t) for w, t in zip(toks, labels) if w != "$#$"]
        if sent:
            sents.append(sent)
        cur = []
    return sents


def strip_punct(sent: list) -> list:
    return [(w, t) for w, t in sent if not ner_features._is_punct(w)]


def train_labels(sent: list, cfg: dict) -> list[str]:
    labels = [internal_label(t) for _, t in sent]
    if cfg.get("drop_misc"):
        labels = ["O" if t.endswith("MISC") else t for t in labels]
        labels = [("B" + t[1:]) if t.startswith("I-") and (i == 0 or labels[i - 1][2:] != t[2:]) else t
                  for i, t in enumerate(labels)]
    return labels


def train_crf(cfg: dict, feat, sents: list, model: str) -> float:
    """Train one crfsuite model on sents; returns the seconds taken."""
    import pycrfsuite

    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for sent in sents:
        trainer.append(feat.sentence([w for w, _ in sent]), train_labels(sent, cfg))
    trainer.set_params({"c1": cfg["c1"], "c2": cfg["c2"], "max_iterations": cfg["max_iter"],
                        "feature.possible_transitions": True, "feature.minfreq": cfg.get("minfreq", 0)})
    trainer.train(model)
    return time.time() - t0


def run(cfg: dict) -> dict:
    """Train one configuration, tag the dev split, return its figures (and write its model to cfg['model'])."""
    models = Path(cfg["models"])
    sents = list(bio.read_conll(cfg["train_file"]))
    train, dev = split(sents)
    for f in cfg.get("extra_train", []):
        train = train + read_wojood(Path(f))
    if cfg.get("no_punct"):
        train = [s for s in map(strip_punct, train) if s]
    feat = make_featurizer(cfg, models)
    window = cfg.get("doc_window", 8)  # dev has no article boundaries: propagation pools +-window sentences
    t_train = train_crf(cfg, feat, train, cfg["model"])
    tagger = crf.CrfTagger(Path(cfg["model"]), make_featurizer(cfg, models), o_bias=cfg.get("o_bias", 0.0),
                           propagate=cfg.get("propagate", False))
    out = {"config": {k: v for k, v in cfg.items() if k not in ("models", "train_file", "model")},
           "train_sentences": len(train), "dev_sentences": len(dev), "train_seconds": round(t_train, 1),
           "model_bytes": os.path.getsize(cfg["model"])}
    for name, dev_set in (("dev", dev), ("dev_no_punct", [s for s in map(strip_punct, dev) if s])):
        words = [[w for w, _ in s] for s in dev_set]
        t1 = time.time()
        pred = [[t for t, _ in s] for s in tagger.tag_document(words, window=window)]
        secs = time.time() - t1
        n_tok = sum(len(s) for s in dev_set)
        out[name] = bio.conll_f1(dev_set, pred)
        out[name]["tokens_per_second_cold"] = round(n_tok / secs)
        if name == "dev":
            t1 = time.time()
            tagger.tag_document(words, window=window)
            out[name]["tokens_per_second_warm"] = round(n_tok / (time.time() - t1))
    # per type including MISC, on the model's own labels
    gold4 = [[internal_label(t) for _, t in s] for s in dev]
    pred4 = tagger.model_labels([[w for w, _ in s] for s in dev])
    out["dev_with_misc"] = bio.conll_f1(gold4, pred4, types=("PER", "ORG", "LOC", "MISC"))
    return out


def report(name: str, res: dict) -> None:
    d = res["dev"]
    print(f"== {name}: micro P {d['micro']['precision']:.4f} R {d['micro']['recall']:.4f} "
          f"F1 {d['micro']['f1']:.4f} | no-punct F1 {res['dev_no_punct']['micro']['f1']:.4f} | "
          f"train {res['train_seconds']}s, model {res['model_bytes'] / 1e6:.2f} MB, "
          f"{d['tokens_per_second_warm']:,} tok/s warm")
    for t in ("PER", "ORG", "LOC"):
        print(f"   {t}: P {d[t]['precision']:.4f} R {d[t]['recall']:.4f} F1 {d[t]['f1']:.4f} (gold {d[t]['gold']})")
    m = res["dev_with_misc"]
    print(f"   MISC: P {m['MISC']['precision']:.4f} R {m['MISC']['recall']:.4f} F1 {m['MISC']['f1']:.4f}; "
          f"micro with MISC F1 {m['micro']['f1']:.4f}")


ABLATIONS = {
    "no_clusters": {"clusters": False},
    "no_gazetteer": {"gazetteer": False},
    "no_triggers": {"triggers": False},
    "no_context": {"context": False},
    "train_no_punct": {"no_punct": True},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "marsad" / "models")
    ap.add_argument("--rebuild-clusters", action="store_true")
    ap.add_argument("--ablation", action="store_true", help="also train without each feature group")
    ap.add_argument("--only", default=None, help="comma-separated ablation names to run (implies --ablation)")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--max-iter", type=int, default=300)
    ap.add_argument("--minfreq", type=float, default=0)
    ap.add_argument("--cluster-words", type=int, default=50_000, help="vocabulary size of the word clusters")
    ap.add_argument("--clusters-to", type=Path, default=None, help="only build clusters into this file")
    ap.add_argument("--no-write", action="store_true",
                    help="experiments: leave the shipped files alone (model, gazetteer, lexicon go to scratch)")
    ap.add_argument("--clusters-file", type=Path, default=None,
                    help="train with this clusters file instead of the shipped one (experiments, with --no-write)")
    ap.add_argument("--ctx-cluster-cols", default="1", help="cluster columns given to the words at -2..+2")
    ap.add_argument("--cluster-bigram-col", type=int, default=None, help="cluster column of cluster-pair features")
    ap.add_argument("--stem-affixes", action="store_true", help="prefixes/suffixes of the clitic-stripped stem")
    ap.add_argument("--no-lexicon", action="store_true",
                    help="without the per-word name-list features (ner_lexicon.tsv.gz, scripts/ner_lexicon.py)")
    ap.add_argument("--lexicon-files", default=None,
                    help="comma-separated per-word feature files to use instead of the name lists (experiments)")
    ap.add_argument("--lexicon-ctx", default="n", help="prefixes of the lexicon features also given to -2..+2")
    ap.add_argument("--o-bias", type=float, default=-0.5, help="added to the O label's score (tagging)")
    ap.add_argument("--no-propagate", action="store_true", help="no document label propagation (tagging)")
    ap.add_argument("--doc-window", type=int, default=8,
                    help="sentences pooled around each one as its 'document' on train/dev (no article boundaries)")
    ap.add_argument("--gazetteer-kb", action="store_true", help="add the KB's names to the phrase gazetteer")
    ap.add_argument("--wojood", action="store_true", help="also train on Wojood train+val (mapped, see read_wojood)")
    ap.add_argument("--drop-misc", action="store_true", help="train with MISC as O")
    args = ap.parse_args()
    out: Path = args.out
    if args.no_write:  # an experiment leaves the shipped files alone: what it derives goes to a scratch folder
        scratch = Path(tempfile.mkdtemp(prefix="marsad-ner-"))
        if (out / crf.CLUSTERS_FILE).is_file():
            shutil.copy(out / crf.CLUSTERS_FILE, scratch / crf.CLUSTERS_FILE)
        out = scratch
        print(f"--no-write: gazetteer, lexicon and clusters go to {out}")
    if args.clusters_to:
        build_clusters(args.data / "saudinewsnet" / "dataset", args.clusters_to, n_words=args.cluster_words)
        return
    out.mkdir(parents=True, exist_ok=True)
    n = compile_gazetteers(args.data / "anercorp" / "gazetteers", out / crf.GAZETTEER_FILE, args.gazetteer_kb)
    print(f"gazetteer: {n:,} entries -> {out / crf.GAZETTEER_FILE}")
    if args.rebuild_clusters or not (out / crf.CLUSTERS_FILE).is_file():
        n = build_clusters(args.data / "saudinewsnet" / "dataset", out / crf.CLUSTERS_FILE,
                           n_words=args.cluster_words)
        print(f"clusters: {n:,} words -> {out / crf.CLUSTERS_FILE}")
    if args.lexicon_files:
        lexicon_files = [x for x in args.lexicon_files.split(",") if x]
    elif args.no_lexicon:
        lexicon_files = []
        if not args.no_write:
            (out / crf.LEXICON_FILE).unlink(missing_ok=True)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import ner_lexicon

        lex = ner_lexicon.name_lists(args.data / "anercorp" / "gazetteers")
        ner_lexicon.write(lex, out / crf.LEXICON_FILE, ner_lexicon.NAMES_HEADER)
        print(f"lexicon: {len(lex):,} words -> {out / crf.LEXICON_FILE}")
        lexicon_files = [str(out / crf.LEXICON_FILE)]
    base = {"models": str(out), "train_file": str(args.data / "anercorp" / "train.txt"), "c1": args.c1,
            "c2": args.c2, "max_iter": args.max_iter, "minfreq": args.minfreq,
            "ctx_cluster_cols": [int(x) for x in args.ctx_cluster_cols.split(",") if x],
            "cluster_bigram_col": args.cluster_bigram_col, "stem_affixes": args.stem_affixes,
            "lexicon_files": lexicon_files, "lexicon_ctx": [x for x in args.lexicon_ctx.split(",") if x],
            "o_bias": args.o_bias, "propagate": not args.no_propagate, "doc_window": args.doc_window,
            "drop_misc": args.drop_misc}
    if args.wojood:
        base["extra_train"] = [str(args.data / "wojood" / f) for f in ("train.txt", "val.txt")]
    if args.clusters_file:
        base["clusters_file"] = str(args.clusters_file)
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    cfgs = {"full": {**base, "model": str(tmp / "marsad_ner_full.crfsuite") if args.no_write
                     else str(out / crf.MODEL_FILE)}}
    names = list(ABLATIONS) if args.ablation or args.only else []
    if args.only:
        names = [x for x in args.only.split(",") if x]
        if "full" not in names:
            cfgs = {}
    for name in names:
        if name in ABLATIONS:
            cfgs[name] = {**base, **ABLATIONS[name], "model": str(tmp / f"marsad_ner_{name}.crfsuite")}
    with ProcessPoolExecutor(max_workers=2) as ex:
        results = dict(zip(cfgs, ex.map(run, cfgs.values())))
    for name, res in results.items():
        report(name, res)
    if "full" in results and not args.no_write:
        full = results["full"]
        metrics = {"model": crf.MODEL_FILE, "data": "ANERcorp train.txt (CAMeL split); dev = last 10% of sentences",
                   "types": list(bio.TYPES), "scoring": "entity-level exact span+type, conlleval-style",
                   **full, "ablations": {k: {"dev": v["dev"], "dev_no_punct": v["dev_no_punct"]["micro"],
                                             "dev_with_misc": v["dev_with_misc"]}
                                         for k, v in results.items() if k != "full"},
                   "shipped_bytes": sum(os.path.getsize(out / f) for f in
                                        (crf.MODEL_FILE, crf.GAZETTEER_FILE, crf.CLUSTERS_FILE, crf.LEXICON_FILE) if (out / f).is_file())}
        opts = {k: list(v) if isinstance(v, tuple) else v for k, v in feature_options(base).items()}
        (out / crf.FEATURES_FILE).write_text(json.dumps(opts, indent=1) + "\n", encoding="utf-8")
        (out / "ner_metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
        print(f"wrote {out / crf.MODEL_FILE} and {out / 'ner_metrics.json'}")


if __name__ == "__main__":
    main()

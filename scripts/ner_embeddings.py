"""Word embeddings and word clusters for marsad's NER features, learnt from SaudiNewsNet (training only).

Used by ``scripts/train_ner.py``; can also be run alone:

    .venv/bin/python scripts/ner_embeddings.py --out /tmp/marsad_ner        # corpus dump + word2vec + clusters

Steps (deterministic: sorted inputs, fixed seeds, one word2vec worker thread):
  1. every article's title and content, normalized (``marsad.arabic.normalize``), split into words and
     punctuation marks, one paragraph a line -> ``snn_tokens.txt`` (cached);
  2. word2vec skip-gram (gensim, training-only dependency: ``pip install gensim==4.4.0``) over it;
  3. k-means of the unit-length vectors of the most frequent forms at several granularities
     -> a clusters file (``word<TAB>id<TAB>id...``, coarse to fine) for ``train_ner.py --clusters-file``.
On the dev split these clusters did not beat the shipped PPMI-SVD ones (0.738-0.753 vs 0.757 micro F1);
word2vec takes ~8 min alone on 2 cores (24 min on a loaded machine), clusters k<=2048 ~3-9 min.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import json
import re
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic import normalize  # noqa: E402

SEED = 13
TOKEN = re.compile(r"\w+|[^\w\s]")  # words, and each punctuation mark (، ؛ ؟ « » ...) as a token


def _zip_lines(path: str) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            for art in json.loads(z.read(name)):
                for para in [art.get("title") or ""] + (art.get("content") or "").split("\n"):
                    toks = TOKEN.findall(normalize(para))
                    if len(toks) > 1:
                        out.append(" ".join(toks))
    return out


def dump_corpus(news_dir: Path, out: Path) -> Path:
    """The tokenized corpus, one paragraph a line (reused when it already exists)."""
    if out.is_file():
        return out
    files = sorted(glob.glob(str(news_dir / "*.zip")))
    with ProcessPoolExecutor(max_workers=2) as ex:
        chunks = list(ex.map(_zip_lines, files))
    tmp = out.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for ch in chunks:
            for line in ch:
                fh.write(line + "\n")
    tmp.rename(out)
    return out


def train_word2vec(corpus: Path, out: Path, dim: int = 100, window: int = 3, epochs: int = 5,
                   min_count: int = 3, sg: int = 1):
    """gensim word2vec KeyedVectors (cached at ``out``)."""
    from gensim.models import KeyedVectors, Word2Vec

    if out.is_file():
        return KeyedVectors.load(str(out))
    t0 = time.time()
    model = Word2Vec(corpus_file=str(corpus), vector_size=dim, window=window, min_count=min_count, sg=sg,
                     negative=5, sample=1e-4, epochs=epochs, workers=1, seed=SEED)
    print(f"word2vec: {len(model.wv):,} words, {time.time() - t0:.0f}s", flush=True)
    model.wv.save(str(out))
    return model.wv


def build_clusters(kv, out: Path, n_words: int, ks: tuple[int, ...]) -> int:
    """k-means (MiniBatchKMeans, fixed seed) of the n_words most frequent forms' unit vectors, one k a column."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans

    t0 = time.time()
    words = [w for w in kv.index_to_key if any(c.isalnum() for c in w)][:n_words]
    vec = np.stack([kv[w] for w in words]).astype(np.float64)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in ks:
        km = MiniBatchKMeans(n_clusters=k, random_state=SEED, batch_size=4096, n_init=3, max_iter=100)
        labels.append(km.fit_predict(vec))
        print(f"clusters: k={k} ({time.time() - t0:.0f}s)", flush=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# word<TAB>cluster ids for k=" + ",".join(map(str, ks))
                 + "; SaudiNewsNet word2vec k-means, scripts/ner_embeddings.py\n")
        for i, w in enumerate(words):
            fh.write(w + "\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\n")
    return len(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path("/tmp/marsad_ner"))
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--ks", default="64,256,1024,2048")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    corpus = dump_corpus(args.data / "saudinewsnet" / "dataset", args.out / "snn_tokens.txt")
    print(f"corpus: {corpus} ({time.time() - t0:.0f}s)", flush=True)
    kv = train_word2vec(corpus, args.out / f"w2v_d{args.dim}_w{args.window}_e{args.epochs}.kv", args.dim,
                        args.window, args.epochs)
    ks = tuple(int(k) for k in args.ks.split(","))
    n = build_clusters(kv, args.out / f"clusters_d{args.dim}_w{args.window}.tsv.gz", args.words, ks)
    print(f"clusters: {n:,} words ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()

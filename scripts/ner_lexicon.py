"""Per-word lexicon features for marsad's NER (``marsad/models/ner_lexicon.tsv.gz``), training-time only.

Each line is ``word<TAB>feature feature ...`` for a normalized word form; the Featurizer adds the features of a
word (or of its clitic-stripped stem when the word itself is absent) to the word's own features, prefixed
``x``, and those starting with one of ``lexicon_ctx`` also to its neighbours' (-2..+2) context features.

Feature families (each built by one function below, all deterministic):
  n<TYPE><POS>   the word is a token of a PER/ORG/LOC name in ANERGazet or the knowledge base
                 (marsad.kb.load_kb()); POS is U (one-word name), B (first), I (middle), E (last word).
  e<d><+|->      binarized word2vec embedding (Guo et al. 2014): dimension d of the word's vector is above the
                 mean of the positive values of that dimension (+) or below the mean of the negative ones (-).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic import normalize  # noqa: E402

NAMES_HEADER = "name-list membership n<TYPE><U|B|I|E>: ANERGazet + marsad KB; scripts/ner_lexicon.py"
_WORD = re.compile(r"[\w\u0600-\u06ff\u0750-\u077f]+")


def name_lists(gaz_dir: Path) -> dict[str, set[str]]:
    """word -> {n<TYPE><POS>} from ANERGazet and the knowledge base."""
    names: set[tuple[str, tuple[str, ...]]] = set()
    for typ, fname in (("PER", "ANERGazet_PERS.txt"), ("LOC", "ANERGazet_LOC.txt"), ("ORG", "ANERGazet_ORG.txt")):
        for line in (gaz_dir / fname).read_text(encoding="utf-8").splitlines():
            words = tuple(_WORD.findall(normalize(line.strip())))
            if words:
                names.add((typ, words))
    from marsad.kb import load_kb
    for name, actor in load_kb().names():
        words = tuple(_WORD.findall(normalize(name)))
        if words and actor.type in ("PER", "ORG", "LOC"):
            names.add((actor.type, words))
    out: dict[str, set[str]] = collections.defaultdict(set)
    for typ, words in names:
        if len(words) == 1:
            out[words[0]].add(f"n{typ}U")
            continue
        for i, w in enumerate(words):
            out[w].add(f"n{typ}{'B' if i == 0 else 'E' if i == len(words) - 1 else 'I'}")
    return out


def binarized_embeddings(kv_path: Path, n_words: int, dims: int) -> dict[str, set[str]]:
    """word -> {e<d>+/-} for the n_words most frequent word forms of a gensim KeyedVectors file (PCA to dims)."""
    import numpy as np
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load(str(kv_path))
    words = [w for w in kv.index_to_key if any(c.isalnum() for c in w)][:n_words]
    vec = np.stack([kv[w] for w in words]).astype(np.float64)
    vec -= vec.mean(axis=0)
    if dims < vec.shape[1]:
        _, _, vt = np.linalg.svd(vec[:20000], full_matrices=False)
        vec = vec @ vt[:dims].T
    vec /= vec.std(axis=0)
    pos = np.array([vec[:, d][vec[:, d] > 0].mean() for d in range(vec.shape[1])])
    neg = np.array([vec[:, d][vec[:, d] < 0].mean() for d in range(vec.shape[1])])
    out: dict[str, set[str]] = {}
    for i, w in enumerate(words):
        v = vec[i]
        out[w] = {f"e{d}+" for d in np.nonzero(v > pos)[0]} | {f"e{d}-" for d in np.nonzero(v < neg)[0]}
    return out


def write(lex: dict[str, set[str]], out: Path, header: str) -> None:
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as fh:
        fh.write("# " + header + "\n")
        for w in sorted(lex):
            if lex[w]:
                fh.write(w + "\t" + " ".join(sorted(lex[w])) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--names-to", type=Path)
    ap.add_argument("--emb-to", type=Path)
    ap.add_argument("--kv", type=Path, help="gensim KeyedVectors from scripts/ner_embeddings.py")
    ap.add_argument("--emb-words", type=int, default=60_000)
    ap.add_argument("--emb-dims", type=int, default=50)
    args = ap.parse_args()
    if args.names_to:
        lex = name_lists(args.data / "anercorp" / "gazetteers")
        write(lex, args.names_to, NAMES_HEADER)
        print(f"names: {len(lex):,} words -> {args.names_to}")
    if args.emb_to:
        lex = binarized_embeddings(args.kv, args.emb_words, args.emb_dims)
        write(lex, args.emb_to, f"binarized word2vec e<d><+|->, {args.emb_dims} PCA dims")
        print(f"embeddings: {len(lex):,} words -> {args.emb_to}")


if __name__ == "__main__":
    main()

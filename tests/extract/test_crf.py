"""The statistical NER tagger: the shipped model, its error messages, and the conlleval-style scorer."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.extract import bio, crf, ner_features
from marsad.extract.bio import conll_f1, read_conll
from marsad.extract.crf import CrfTagger

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TRAIN = SHARED / "data" / "anercorp" / "train.txt"


@pytest.fixture(scope="module")
def tagger() -> CrfTagger:
    return CrfTagger.load()


@pytest.fixture(scope="module")
def unbiased(tagger) -> CrfTagger:
    """The shipped model without its O bias: what crfsuite's own tagger computes."""
    return CrfTagger(tagger.path, tagger.featurizer)


def entities(words: list[str], tags: list[str]) -> dict[str, str]:
    return {" ".join(words[s:e]): t for s, e, t in bio.spans(tags)}


def test_shipped_model_tags_person_and_place(tagger):
    words = "وقال وزير الخارجية الروسي سيرغي لافروف في موسكو".split()
    tags = tagger.tag(words)
    assert len(tags) == len(words)
    assert tags[4] in ("B-PER", "I-PER") and tags[5] in ("B-PER", "I-PER")
    assert tags[7] == "B-LOC"
    assert tags[0] == tags[6] == "O"
    assert set(tags) <= {"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"}


def test_shipped_model_tags_organisation(tagger):
    words = "أعلنت الأمم المتحدة اليوم عن خطة جديدة".split()
    assert entities(words, tagger.tag(words)).get("الأمم المتحدة") == "ORG"


def test_unseen_name_with_clitic_and_title(tagger):
    words = "واستقبل الرئيس التونسي قيس سعيد وفدا من حزب النهضة في قرطاج".split()
    found = entities(words, tagger.tag(words))
    assert found.get("قيس سعيد") == "PER"


def test_marginals_are_probabilities(tagger):
    words = "وقال وزير الخارجية الروسي سيرغي لافروف في موسكو".split()
    out = tagger.tag_with_marginals(words)
    assert [t for t, _ in out] == tagger.tag(words)
    assert all(0.0 <= p <= 1.0 + 1e-9 for _, p in out)
    assert out[7][1] > 0.5


def test_empty_sentence_and_punctuation(tagger):
    assert tagger.tag([]) == []
    assert tagger.tag_with_marginals([]) == []
    assert tagger.tag(["،", "."]) == ["O", "O"]


def test_tagging_is_thread_safe(tagger):
    words = "وقال وزير الخارجية الروسي سيرغي لافروف في موسكو".split()
    expected = tagger.tag(words)
    results = []

    def work():
        results.extend(tagger.tag(words) == expected for _ in range(50))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results) and len(results) == 200


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(MarsadError, match="not found"):
        CrfTagger.load(tmp_path / "nope.crfsuite")


def test_corrupt_model_is_a_clear_error(tmp_path):
    for name in (crf.GAZETTEER_FILE, crf.CLUSTERS_FILE):
        shutil.copy(crf.MODELS / name, tmp_path / name)
    bad = tmp_path / crf.MODEL_FILE
    bad.write_bytes(b"this is not a model")
    with pytest.raises(MarsadError, match="corrupt"):
        CrfTagger.load(bad)
    bad.write_bytes((crf.MODELS / crf.MODEL_FILE).read_bytes()[:200])  # truncated
    with pytest.raises(MarsadError, match="corrupt"):
        CrfTagger.load(bad)


def test_missing_resource_is_a_clear_error(tmp_path):
    shutil.copy(crf.MODELS / crf.MODEL_FILE, tmp_path / crf.MODEL_FILE)
    with pytest.raises(MarsadError, match="not found"):
        CrfTagger.load(tmp_path / crf.MODEL_FILE)


def test_read_conll_and_f1_known_score(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("قال O\nبوتين B-PERS\nفي O\nموسكو B-LOC\n\n"
                    "الأمم B-ORG\nالمتحدة I-ORG\nكأس B-MISC\nالعالم I-MISC\nبلا\n", encoding="utf-8")
    sents = list(read_conll(path))
    assert sents == [[("قال", "O"), ("بوتين", "B-PERS"), ("في", "O"), ("موسكو", "B-LOC")],
                     [("الأمم", "B-ORG"), ("المتحدة", "I-ORG"), ("كأس", "B-MISC"), ("العالم", "I-MISC"),
                      ("بلا", "O")]]
    # predicted: PER right, LOC typed wrong, ORG span too short; MISC is ignored
    pred = [["O", "B-PER", "O", "B-ORG"], ["B-ORG", "O", "O", "O", "B-LOC"]]
    res = conll_f1(sents, pred)
    # gold: PER, LOC, ORG (3); predicted: PER, ORG(موسكو), ORG(الأمم), LOC(بلا) (4); correct: PER (1)
    assert res["micro"]["tp"] == 1 and res["micro"]["pred"] == 4 and res["micro"]["gold"] == 3
    assert res["micro"]["precision"] == 0.25
    assert res["micro"]["recall"] == pytest.approx(0.3333, abs=1e-4)
    assert res["micro"]["f1"] == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3), abs=1e-4)
    assert res["PER"]["f1"] == 1.0 and res["LOC"]["f1"] == 0.0
    assert conll_f1(sents, [[t for _, t in s] for s in sents])["micro"]["f1"] == 1.0


def test_conlleval_i_after_o_starts_an_entity():
    assert bio.spans(["O", "I-PER", "I-PER", "B-PER", "I-LOC"]) == {(1, 3, "PER"), (3, 4, "PER"), (4, 5, "LOC")}
    assert bio.output_tags(["B-MISC", "I-PER", "I-PER", "B-PERS"]) == ["O", "B-PER", "I-PER", "B-PER"]


SENTENCES = [
    "وقال وزير الخارجية الروسي سيرغي لافروف في موسكو".split(),
    "أعلنت الأمم المتحدة اليوم عن خطة جديدة".split(),
    "واستقبل الرئيس التونسي قيس سعيد وفدا من حزب النهضة في قرطاج".split(),
    ["الرئيسة", "المشتركة", "لمجلس", "سوريا", "الديمقراطية", "أمينة", "عمر", "،", "قالت", "."],
    ["دمشق"], ["،", "."], "في".split(),
]


def test_decoder_gives_crfsuite_tags(unbiased):
    """The cached-vector decoder and crfsuite's own tagger agree, one sentence at a time and all together."""
    tagger = unbiased
    one_by_one = [tagger.tag(s) for s in SENTENCES]
    assert one_by_one == [tagger.tag_crfsuite(s) for s in SENTENCES]
    together = tagger.tag_sentences(SENTENCES)
    assert [[t for t, _ in tagged] for tagged in together] == one_by_one
    assert tagger.tag_sentences([[], SENTENCES[0], []])[::2] == [[], []]


@pytest.mark.skipif(not TRAIN.is_file(), reason=f"shared data not available ({TRAIN} missing)")
def test_sentences_decoded_together_as_alone(tagger):
    """A sentence's tags and confidences do not depend on the others decoded with it (the batched numpy
    decoder once gave a shorter sentence a phantom last step: dev sentence 367 lost "البنك ." as ORG)."""
    sents = list(read_conll(TRAIN))
    dev = [[w for w, _ in s] for s in sents[-round(len(sents) * 0.1):]]
    together = tagger.tag_sentences(dev, marginals=True)
    for words, tagged in zip(dev, together):
        alone = tagger.tag_sentences([words], marginals=True)[0]
        assert [t for t, _ in tagged] == [t for t, _ in alone]
        assert [p for _, p in tagged] == pytest.approx([p for _, p in alone], abs=1e-9)


def test_marginals_match_crfsuite(unbiased):
    tagger = unbiased
    words = SENTENCES[3]
    ours = tagger.tag_with_marginals(words)
    suite = tagger._tagger
    suite.set(tagger.featurizer.sentence(words))
    labels = suite.tag()
    for (tag, p), label, t in zip(ours, labels, range(len(words))):
        if tag != "O":
            assert p == pytest.approx(suite.marginal(label, t), abs=1e-4)
        else:
            assert p == pytest.approx(sum(suite.marginal(y, t) for y in suite.labels()
                                          if y == "O" or y.endswith("MISC")), abs=1e-4)


def test_small_word_table_starts_again_when_full():
    """A table smaller than a sentence's vocabulary (or than what a few sentences need) tags the same."""
    full = CrfTagger.load()
    tiny = CrfTagger(full.path, full.featurizer, cache_size=4)
    assert tiny.tag_sentences(SENTENCES) == full.tag_sentences(SENTENCES)
    assert [tiny.tag(s) for s in SENTENCES] == [full.tag(s) for s in SENTENCES]


@pytest.mark.skipif(not TRAIN.is_file(), reason=f"shared data not available ({TRAIN} missing)")
def test_decoder_agrees_with_crfsuite_on_dev_split(unbiased):
    tagger = unbiased
    sents = list(read_conll(TRAIN))
    dev = [[w for w, _ in s] for s in sents[-round(len(sents) * 0.1):]]
    ours = [[t for t, _ in tagged] for tagged in tagger.tag_sentences(dev)]
    assert ours == [tagger.tag_crfsuite(s) for s in dev]


@pytest.mark.skipif(not TRAIN.is_file(), reason=f"shared data not available ({TRAIN} missing)")
def test_dev_split_f1(tagger):
    sents = list(read_conll(TRAIN))
    dev = sents[-round(len(sents) * 0.1):]
    tagged = tagger.tag_document([[w for w, _ in s] for s in dev], window=8)
    f1 = conll_f1(dev, [[t for t, _ in s] for s in tagged])["micro"]["f1"]
    # The target is 0.80; the shipped model reaches 0.787 (marsad/models/ner_metrics.json), so this
    # guards against regressions below what ships. Raise it to 0.80 when a model that reaches it is shipped.
    assert f1 >= 0.78


def test_o_bias_finds_more_names(tagger, unbiased):
    words = [w for s in SENTENCES for w in s]
    assert tagger.o_bias < 0
    found = sum(t != "O" for t in tagger.tag(words))
    assert found >= sum(t != "O" for t in unbiased.tag(words))


def test_document_propagation_tags_a_name_where_it_was_missed(tagger):
    first = "وقال رئيس الوزراء التركي أحمد داود أوغلو في أنقرة".split()
    later = "وأضاف أوغلو إن".split()
    together = tagger.tag_document([first, later])
    assert together[0][4][0] == "B-PER" and together[1][1][0] == "B-PER"
    assert [t for t, _ in tagger.tag_document([later])[0]] == [t for t, _ in tagger.tag_sentences([later])[0]]


def test_feature_options_file(tmp_path):
    assert ner_features.load_feature_options(tmp_path / "absent.json") == {}
    path = tmp_path / crf.FEATURES_FILE
    path.write_text('{"ctx_cluster_cols": [1, 4], "stem_affixes": true, "unknown": 1}', encoding="utf-8")
    opts = ner_features.load_feature_options(path)
    assert opts == {"ctx_cluster_cols": (1, 4), "stem_affixes": True}
    feat = ner_features.Featurizer(clusters={"موسكو": ("1", "2", "3", "4", "5")}, cluster_bigram_col=0, **opts)
    feats = feat.sentence(["في", "موسكو"])
    assert "sp2=مو" in feats[1] and "+1:c4=5" in feats[0] and "cb-=?|1" in feats[1]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(MarsadError, match="feature options"):
        ner_features.load_feature_options(path)


def _propagated(sentences: list[list[str]], tags: list[list[str]], window: int | None) -> list[list[str]]:
    """Run the document propagation on sentences of words and BIO tags; the new BIO tags."""
    import numpy as np

    from marsad.arabic import normalize_word
    from marsad.extract.ner_document import doc_key, propagate_types

    words = [w for s in sentences for w in s]
    flat = [t for s in tags for t in s]
    types = np.array([0 if t == "O" else 1 + bio.TYPES.index(t[2:]) for t in flat])
    begins = np.array([t.startswith("B-") for t in flat])
    ends = np.cumsum([len(s) for s in sentences])
    t, b, _ = propagate_types([normalize_word(w) for w in words], [doc_key(w) for w in words], types, begins,
                              np.ones(len(words)), ends - [len(s) for s in sentences], ends, window)
    out = ["O" if k == 0 else ("B-" if first else "I-") + bio.TYPES[k - 1] for k, first in zip(t, b)]
    return [out[e - len(s):e] for s, e in zip(sentences, ends)]


def test_propagation_phrases_and_words_within_the_window():
    filler = [["ثم", "عاد"]] * 9
    sentences = [["وصل", "عبد", "الله", "العلي", "الى", "دمشق"], ["قال", "عبد", "الله", "العلي"], *filler,
                 ["وقال", "عبد", "الله", "العلي", "في", "دمشق"]]
    tags = [["O", "B-PER", "I-PER", "I-PER", "O", "B-LOC"], ["O"] * 4, *[["O", "O"]] * 9, ["O"] * 6]
    whole = _propagated(sentences, tags, None)
    assert whole[1] == ["O", "B-PER", "I-PER", "I-PER"]
    assert whole[-1] == ["O", "B-PER", "I-PER", "I-PER", "O", "B-LOC"]  # and the one-word place
    near = _propagated(sentences, tags, 8)
    assert near[1] == whole[1] and near[-1] == ["O"] * 6  # ten sentences away: out of the window
    # a word tagged O more often than as a name, less one, stays O
    many = [["دمشق"]] + [["في", "دمشق"]] * 3
    assert _propagated(many, [["B-LOC"]] + [["O", "O"]] * 3, None)[1:] == [["O", "O"]] * 3


def test_emissions_are_the_weights_of_crfsuite_features(unbiased):
    """What the decoder sums per word (cached vectors, neighbour pairs as integer keys, sentence edges) is the
    sum of the weights of the very features crfsuite is given, sentence by sentence, "|" tokens included."""
    tagger = unbiased
    sentences = [["قال", "|", "وزير", "الخارجية", "|"], [], ["|"], SENTENCES[0], ["|", "|", "في", "دمشق", "."],
                 ["طابا", "مدينة", "."]]  # the model weighs <s>|طابا and .|</s>
    words, starts, ends = crf._layout(sentences)
    em, _ = tagger._emissions(words, starts, ends)
    rows, matrix = tagger.weights.rows, tagger.weights.matrix
    for sentence, a in zip(sentences, starts.tolist()):
        for i, feats in enumerate(tagger.featurizer.sentence(sentence) if sentence else []):
            expected = sum((matrix[rows[f]] for f in feats if f in rows), start=matrix[-1])
            assert em[a + i] == pytest.approx(expected, abs=1e-9), (sentence, i)

"""Quotes stage: direct quotations and their speakers (marsad/kb/speech.yaml)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from marsad.errors import KnowledgeBaseError
from marsad.extract.quotes import extract_quotes, load_speech_table, quoted_spans
from marsad.model import Article, Entity

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def seed_body(name: str) -> str:
    """The body of a seed file: after the title line, up to the teaser/source footer."""
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    if name.startswith("000"):
        start = lines.index("مسد والتحالف الوطني السوري يعدان خطة عمل مشتركة") + 1
        end = lines.index("شاهد أيضًا")
    else:
        start, end = 5, next(i for i, line in enumerate(lines) if line.startswith("المصدر:"))
    return "\n".join(lines[start:end]).strip()


def entity(text: str, eid: str, etype: str, *surfaces: str) -> Entity:
    """An entity with every occurrence of its surface forms as mentions (longest form first)."""
    mentions: list[tuple[int, int]] = []
    for form in surfaces:
        k = text.find(form)
        while k >= 0:
            if not any(s <= k < e for s, e in mentions):
                mentions.append((k, k + len(form)))
            k = text.find(form, k + 1)
    return Entity(eid, etype, surfaces[0], surfaces[0], sorted(mentions), aliases=list(surfaces[1:]))


def quotes(text: str, *ents: tuple[str, str, str]) -> list[tuple[str, str | None, str]]:
    entities = [entity(text, f"E{i}", t, *names.split("|")) for i, (t, names) in enumerate(ents)]
    out = extract_quotes(Article(id="x", source_file="x", text=text, entities=entities)).quotes
    for q in out:
        assert text[q.span[0]:q.span[1]] == q.text and q.rule
    return [(q.speaker.name, q.speaker.entity, q.text) for q in out]


def seed_000() -> Article:
    t = seed_body("000_46770df6502fba50.txt")
    return Article(id="000", source_file="x", text=t, entities=[
        entity(t, "E1", "PER", "أمينة عمر"), entity(t, "E2", "PER", "آرام الدوماني", "الدوماني"),
        entity(t, "E3", "ORG", "مجلس سوريا الديمقراطية", "مسد"), entity(t, "E4", "ORG", "التحالف السوري الوطني"),
        entity(t, "E5", "ORG", "الإدارة الذاتية"), entity(t, "E6", "LOC", "القامشلي"), entity(t, "E7", "LOC", "سوريا")])


def seed_001() -> Article:
    t = seed_body("001_a63e9325d7f618af.txt")
    return Article(id="001", source_file="x", text=t, entities=[
        entity(t, "E1", "PER", "عبد الأحد اسطيفو", "اسطيفو"),
        entity(t, "E2", "ORG", "الائتلاف الوطني لقوى الثورة والمعارضة السورية", "الائتلاف الوطني", "الائتلاف"),
        entity(t, "E3", "PER", "زهرة بيل"), entity(t, "E4", "PER", "بشار الأسد"), entity(t, "E5", "ORG", "داعش"),
        entity(t, "E6", "LOC", "إدلب"), entity(t, "E7", "LOC", "الولايات المتحدة"), entity(t, "E8", "LOC", "واشنطن")])


def test_seed_000_five_quotes():
    out = extract_quotes(seed_000()).quotes
    assert [(q.speaker.name, q.speaker.entity) for q in out] == [("أمينة عمر", "E1")] * 3 + [("آرام الدوماني", "E2")] * 2
    starts = ["التقينا خلال هذه الزيارة", "ناقشنا أيضاً التقارب السوري التركي", "تواجد نقاط مشتركة عديدة",
              "أتت هذه الزيارة", "من جملة هذه المشتركات"]
    assert all(q.text.startswith(s) for q, s in zip(out, starts))
    assert all(not q.text.endswith(("”", "“", ".")) for q in out)
    assert out[1].rule.startswith("pro-drop")  # وتابعت: “…”


def test_seed_001():
    out = extract_quotes(seed_001()).quotes
    got = [(q.speaker.name, q.speaker.entity, q.text.split()[0]) for q in out]
    assert ("عبد الأحد اسطيفو", "E1", "كلما") in got
    assert all("قيصر" not in q.text for q in out) and all(q.text != "المثمر والناجح" for q in out)
    assert got[-1] == ("الطرف الأمريكي", None, "كل")  # optional in the gold: a described speaker


def test_entityless_article():
    out = extract_quotes(Article(id="x", source_file="x", text=seed_body("001_a63e9325d7f618af.txt"))).quotes
    assert [q.speaker.name for q in out] == ["اسطيفو", "الطرف الأمريكي"]
    assert extract_quotes(Article(id="x", source_file="x", text="")).quotes == []


AMINA = ("PER", "أمينة عمر")
ESTIFO = ("PER", "عبد الأحد اسطيفو|اسطيفو")


@pytest.mark.parametrize("text, ents, expected", [
    ("وقالت أمينة عمر: “التقينا خلال هذه الزيارة”.", [AMINA], [("أمينة عمر", "E0", "التقينا خلال هذه الزيارة")]),
    ("وأكدت أمينة عمر، على «تواجد نقاط مشتركة عديدة».", [AMINA], [("أمينة عمر", "E0", "تواجد نقاط مشتركة عديدة")]),
    ('وقال اسطيفو خلال اللقاء: إنه "كلما كانت العلاقات جيدة".', [ESTIFO],
     [("عبد الأحد اسطيفو", "E0", "كلما كانت العلاقات جيدة")]),
    ("«نرفض هذه الخطوة تماما»، قال اسطيفو.", [ESTIFO], [("عبد الأحد اسطيفو", "E0", "نرفض هذه الخطوة تماما")]),
    ("وقال مصدر عسكري إن «القوات تقدمت نحو المدينة».", [], [("مصدر عسكري", None, "القوات تقدمت نحو المدينة")]),
    ("وأشار الجانب الأمريكي إلى أن “الحل سياسي وليس عسكري”.", [],
     [("الجانب الأمريكي", None, "الحل سياسي وليس عسكري")]),
    # a quotation spanning sentences, with "." inside
    ("وقالت أمينة عمر: “التقينا اليوم. وناقشنا الكثير من المسائل”.", [AMINA],
     [("أمينة عمر", "E0", "التقينا اليوم. وناقشنا الكثير من المسائل")]),
    # pro-drop: the previous speaker
    ("قالت أمينة عمر: «التقينا خلال هذه الزيارة».\nوتابعت: «ناقشنا أيضاً التقارب».", [AMINA],
     [("أمينة عمر", "E0", "التقينا خلال هذه الزيارة"), ("أمينة عمر", "E0", "ناقشنا أيضاً التقارب")]),
    # negatives
    ("وأكد اسطيفو على أهمية اللقاء، ووصفه بـ \"المثمر والناجح\".", [ESTIFO], []),  # two words
    ('وأشار إلى إقرار قانون "قيصر" لحماية المدنيين.', [], []),  # a quoted name
    ("قررت «جبهة النصرة» عزل أحد مؤسسيها.", [], []),
    ("نشرت الشبكة تقريرًا بعنوان «مقتل 39 طفلاً خلال أيام العيد».", [], []),  # a title, no speaker
    ('وكان زعيم حزب "الحركة القومية التركية" قال إن الانتخابات قريبة.', [], []),
    ("وقالت أمينة عمر: “التقينا خلال هذه الزيارة\nوفي سياق آخر", [AMINA], []),  # unbalanced: no closing mark
    ("وقالت أمينة عمر: «التقينا خلال هذه الزيارة", [AMINA], []),
    ("عقد المجلس «اجتماعا طارئا لبحث الوضع» أمس.", [], []),  # no speech verb: not attributed
    ("", [], []),
])
def test_sentences(text, ents, expected):
    assert quotes(text, *ents) == expected


def test_quoted_spans_nest_and_pair_per_paragraph():
    t = "قال: «أ «ب» ج» ثم \"د\" و“هـ\nو”"
    assert [t[o + 1:c] for o, c in quoted_spans(t)] == ["أ «ب» ج", "د"]


@pytest.mark.parametrize("content, problem", [
    ("verbs: [1, 2", "not valid YAML"),
    ("- a list", "must be a mapping"),
    ("verbs: {}\n", "'verbs' must map each lemma"),
    ("verbs: {قال: [1]}\nparticiples: {قائلا: []}\nstatement_verbs: {أشاد: []}\n", "must be a list of words"),
    ("verbs: {قال: []}\nparticiples: {قائلا: []}\nstatement_verbs: {أشاد: []}\nsources: []\nnp_stops: []\n",
     "'sources' must list"),
])
def test_malformed_table_rejected(tmp_path, content, problem):
    path = tmp_path / "speech.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as e:
        load_speech_table(path)
    assert str(path) in str(e.value) and problem in str(e.value)


def test_speed():
    article = seed_000()
    extract_quotes(article)
    n = 100
    t = time.perf_counter()
    for _ in range(n):
        extract_quotes(article)
    assert (time.perf_counter() - t) / n < 0.005  # ~0.3 ms on an idle machine; generous for loaded CI

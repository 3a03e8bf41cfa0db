"""Quotes stage: direct quotations and their speakers (marsad/kb/speech.yaml)."""
from __future__ import annotations

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


DAESH = ("ORG", "داعش")
FSA = ("ORG", "الجيش الحر")


@pytest.mark.parametrize("text, ents, expected", [
    # a quoted name is a subject: "X" قال
    ('وكان زعيم حزب "الحركة القومية" التركي، "دولت باهجة لي" قال: "نفضل التوجه إلى انتخابات مبكرة".',
     [("PER", "دولت باهجة لي"), ("ORG", "الحركة القومية")],
     [("دولت باهجة لي", "E0", "نفضل التوجه إلى انتخابات مبكرة")]),
    # relay: نقلت X عن Y قولها — Y speaks (an entity, or a described group after عدد من)
    ("ونقلت صحيفة «تليغراف» عن أمينة عمر قولها: «التقينا خلال هذه الزيارة».", [AMINA, ("ORG", "تليغراف")],
     [("أمينة عمر", "E0", "التقينا خلال هذه الزيارة")]),
    ("ونقل المرصد عن عدد من سكان المنطقة قولهم: «إن الوحدات اعتقلت نحو 150 شابا».", [],
     [("سكان المنطقة", None, "إن الوحدات اعتقلت نحو 150 شابا")]),
    # the organisation of a source before the verb, and a relative clause: X، الذي أعلن
    ("لكن مصدرا في الجيش الحر، أكد أن «القوات تقدمت نحو المدينة».", [FSA],
     [("الجيش الحر", "E0", "القوات تقدمت نحو المدينة")]),
    ("هذه المعلومات أكد صحتها مصدر في الجيش الحر، الذي أعلن أن «هذه الحالة ليست مقتصرة على البلدة».", [FSA],
     [("الجيش الحر", "E0", "هذه الحالة ليست مقتصرة على البلدة")]),
    # described speakers: a name noun with its name, a name after ويدعى, a name after a title, adverbs skipped
    ("وقال موقع دار الخلافة دوت كوم -الناطق بالتركية- إن «القرار أظهر الضغوط المتزايدة».", [],
     [("موقع دار الخلافة دوت كوم", None, "القرار أظهر الضغوط المتزايدة")]),
    ("وقال أحد المحققين ويدعى فاليري زولوتاريف من مركز الشيشان: «لا أنصح أي شخص بذلك».", [],
     [("فاليري زولوتاريف", None, "لا أنصح أي شخص بذلك")]),
    ("وقال المسؤول في الـ«فاو» دومينيك بورجون في روما: «هناك حاجة لمساعدات عاجلة».", [("ORG", "فاو")],
     [("دومينيك بورجون", None, "هناك حاجة لمساعدات عاجلة")]),
    ("الكاتب السوري وليد معماري، لخّص حكاية صدورها: «مسارات في الدروب الصعبة».", [],
     [("وليد معماري", None, "مسارات في الدروب الصعبة")]),
    ("لكن الجانب الكردي سرعان ما نفى هذه الاتهامات، ووضعها في إطار «الإساءة إلى نضال الشعب الكردي».", [],
     [("الجانب الكردي", None, "الإساءة إلى نضال الشعب الكردي")]),
    # a doubled opening mark: “A “B” is “A“ + “B”
    ("وقال فاليري زولوتاريف لصحيفة “موسكوفسكي كومسوموليتس “لا أنصح أي شخص بمراسلة مجرمين”.",
     [("PER", "فاليري زولوتاريف"), ("ORG", "موسكوفسكي كومسوموليتس")],
     [("فاليري زولوتاريف", "E0", "لا أنصح أي شخص بمراسلة مجرمين")]),
    # قائلا with no actor in its sentence: the actor of the previous sentence
    ("أسرف الأسد وقته في الحديث.. قائلا: «لم أهزم لكنني تعبت».", [("PER", "الأسد")],
     [("الأسد", "E0", "لم أهزم لكنني تعبت")]),
    # negatives and non-names
    ('وأوضح أن ما يحدث لم يصل لما عليه "داعش" الآن، رغم أنه أكد أن "الخريطة الجينية للعنف مختلفة".', [DAESH], []),
    ("ونقلت صحيفة «بوجون» عن بيان الجمعية المعنون بـ«الصحافة من أجل الحرية».", [("ORG", "بوجون")], []),
    ("وأوضح المدير العام في ألبانيا طريقة توزيع هذه المساعدات وقال: «سيتم توزيع المساعدات قريبا».",
     [("LOC", "ألبانيا")], [("المدير العام", None, "سيتم توزيع المساعدات قريبا")]),
    ("قال قائد عسكري ميداني إن «القوات تقدمت نحو المدينة».", [],
     [("قائد عسكري ميداني", None, "القوات تقدمت نحو المدينة")]),
    ("* واشنطن - «رويترز»: قال مصدر مقرب من التحقيقات إن «الدعاية ألهمت المتهم في حادثه».", [("ORG", "رويترز")],
     [("مصدر", None, "الدعاية ألهمت المتهم في حادثه")]),
    ("وقال المتحدث باسم الوزارة غابريل فيرنشتدت لوكالة فرانس برس «لقد تم ابلاغنا بالأمر».", [],
     [("غابريل فيرنشتدت", None, "لقد تم ابلاغنا بالأمر")]),
    ("وأكد مسؤول الاتصالات في الرئاسة ويلي نياميتوي مقتل الجنرال وقال «خسرت شقيقا ورفيقا في النضال».", [],
     [("مسؤول الاتصالات", None, "خسرت شقيقا ورفيقا في النضال")]),
    # the agency a speaker tells (لوكالة) is no speaker: the minister who spoke before goes on
    ('واتهم الوزير يوسف ادعيس إسرائيل بأنها "اقتحمت المسجد الأقصى واعتدت على المصلين". وأضاف لوكالة فرانس برس '
     'أن "قيام قوات الاحتلال باقتحام المسجد عمل همجي".', [("PER", "يوسف ادعيس"), ("LOC", "إسرائيل")],
     [("يوسف ادعيس", "E0", "اقتحمت المسجد الأقصى واعتدت على المصلين"),
      ("يوسف ادعيس", "E0", "قيام قوات الاحتلال باقتحام المسجد عمل همجي")]),
    # a verb in a relative clause lends its subject only when that is a name: the reports did not answer
    ('وحول الأنباء التي أكدت وجود حكم قضائي يلزم النادي بالدفع، أجاب "لم يصلنا أي خطاب يلزمنا بشيء".', [], []),
    ('وأولهما من المتابع "فايز البلوي" الذي قال مؤكدا: "الواسطة في بيتك أيضا يا صديقي".', [("PER", "فايز البلوي")],
     [("فايز البلوي", "E0", "الواسطة في بيتك أيضا يا صديقي")]),
])
def test_attribution_constructions(text, ents, expected):
    assert quotes(text, *ents) == expected


def test_quoted_spans_nest_and_pair_per_paragraph():
    t = "قال: «أ «ب» ج» ثم \"د\" و“هـ\nو”"
    assert [t[o + 1:c] for o, c in quoted_spans(t)] == ["أ «ب» ج", "د"]


def test_quoted_spans_repair_a_doubled_opening_mark():
    t = "لصحيفة “موسكوفسكي كومسوموليتس “لا أنصح أي شخص”.\nقال “أ “ب” ج” و“ثلاث كلمات طويلة هنا جدا “ب” ج"
    assert [t[o + 1:c] for o, c in quoted_spans(t)] == ["موسكوفسكي كومسوموليتس ", "لا أنصح أي شخص", "أ “ب” ج"]


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



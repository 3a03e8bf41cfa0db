"""The clean stage on the seeds and the development pages, and on the boilerplate it must remove."""
from __future__ import annotations

import hashlib

import pytest

from marsad.clean import clean, load_boilerplate
from marsad.errors import KnowledgeBaseError
from marsad.evaluate import score
from marsad.model import Article

from tests.conftest import SEEDS


def _text_dump(raw: str, **kw) -> Article:
    return clean(Article(id="t", source_file="t.txt", raw=raw, **kw))


def test_seed_000_header_and_teaser(seed_records):
    a = seed_records["000_46770df6502fba50"]
    assert a["title"] == "مسد والتحالف الوطني السوري يعدان خطة عمل مشتركة"
    assert a["published"] == "2023-01-11" and a["published_raw"] == "11/01/2023"
    assert a["source"] is None and a["author"] is None
    assert a["text"].startswith("عقد مجلس سوريا الديمقراطية والتحالف السوري الوطني، يوم الثلاثاء")
    assert a["text"].endswith("ومثالها عفرين”.")
    for gone in ("شاهد أيضًا", "الحزب اليساري السويدي", "أجرى وفدٌ", "11/01/2023"):
        assert gone not in a["text"]


def test_seed_001_metadata_lines(seed_records):
    a = seed_records["001_a63e9325d7f618af"]
    assert a["title"] == "دائرة العلاقات الخارجية في الائتلاف تلتقي وفداً أمريكياً لبحث التطورات الميدانية والسياسية"
    assert (a["source"], a["author"], a["section"]) == ("شبكة شام", "فريق التحرير", "أخبار سورية")
    assert a["published"] == "2020-01-07"
    assert a["title"] not in a["text"], "the title is kept once, in title, however often the page repeats it"
    for gone in ("اقرأ أيضاً", "المصدر:", "فريق التحرير", "مشاركة:", "ـــــــ", "● "):
        assert gone not in a["text"]
    assert a["text"].endswith("والائتلاف الوطني السوري\".")


def test_seed_golden(seed_records, golden):
    golden("seeds_clean.json", {i: {k: r[k] for k in ("title", "published", "published_raw", "source", "author",
                                                      "section", "language", "text")}
                                for i, r in sorted(seed_records.items())})


def test_dev_pages_metadata_and_body_against_gold(dev_records, dev_gold):
    result = score(dev_gold, dev_records)
    assert result["missing"] == []
    assert result["published"]["accuracy"] == 1.0
    assert result["title"]["accuracy"] >= 0.97
    assert result["body"]["accuracy"] >= 0.97
    assert result["source"]["accuracy"] == 1.0


def test_dev_pages_golden(dev_records, golden):
    """The dev pages may not be committed: their golden file holds the metadata and a hash of the body."""
    golden("dev_clean.json", {r["id"]: {"published": r["published"], "source": r["source"], "section": r["section"],
                                        "title_sha1": hashlib.sha1((r["title"] or "").encode()).hexdigest(),
                                        "text_sha1": hashlib.sha1(r["text"].encode()).hexdigest(),
                                        "paragraphs": r["text"].count("\n\n") + 1}
                              for r in dev_records})


BODY = "أعلنت الحكومة اليوم عن خطة جديدة لإعادة الإعمار في المدن المتضررة، وقال المتحدث باسمها إن العمل سيبدأ خلال أسابيع قليلة في عدد من المناطق التي شهدت دماراً واسعاً خلال السنوات الماضية، بحسب البيان."


@pytest.mark.parametrize("tail, gone", [
    ("اقرأ أيضاً:\nعنوان خبر آخر لا علاقة له\nشارك هذا الخبر", ["عنوان خبر آخر", "شارك"]),
    ("شاهد أيضًا\n\nوفد يلتقي الحزب\n\nأجرى وفد من الإدارة لقاءً أمس، مع مسؤولين في ا…", ["وفد يلتقي", "أجرى وفد"]),
    ("المصدر: شبكة شام الكاتب: فريق التحرير\nمشاركة:", ["شبكة شام", "مشاركة"]),
    ("...المزيد", ["المزيد"]),
    ("جميع الحقوق محفوظة © 2015", ["الحقوق"]),
    ("ـــــــ ــ", ["ـــ"]),
    ("مقالات أخرى للكاتبلماذا لا يعمم برنامج إيران؟!", ["مقالات أخرى"]),
])
def test_boilerplate_tails_are_removed(tail, gone):
    a = _text_dump(f"عنوان الخبر هنا\n11/01/2023\n\n{BODY}\n{tail}\n")
    assert a.text == BODY
    for g in gone:
        assert g not in a.text



@pytest.mark.parametrize("line, dropped", [
    ("جميع الحقوق محفوظة " + "لشبكة الأخبار السورية ونشرها دون إذن ممنوع " * 8, True),  # long: its beginning decides
    ("اقرأ أيضاً" + "ـ" * 300, True),  # a marker padded past the beginning that is read first
    ("الحقوق محفوظة " * 30, False),
    ("ـ" * 200 + " نص الفقرة بعد خط من التطويل الطويل", False),  # its beginning alone looks empty
])
def test_long_lines_are_judged_as_whole_lines(line, dropped):
    a = _text_dump(f"عنوان الخبر هنا\n\n{BODY}\n{line}\nمواصلة الخبر بعد السطر الطويل بكلمات عدة هنا.\n")
    assert (line.split()[-1] not in a.text.split(BODY)[1]) == dropped


def test_source_and_author_lines_become_metadata():
    a = _text_dump(f"عنوان الخبر هنا\n\n{BODY}\nالمصدر: شبكة شام الكاتب: فريق التحرير\n")
    assert (a.source, a.author) == ("شبكة شام", "فريق التحرير")


def test_link_back_suffix_is_cut_but_the_paragraph_stays():
    a = _text_dump(f"عنوان الخبر هنا\n23/07/2015\n\n{BODY} رابط الخبر بصحيفة الوئام: عنوان الخبر هنا\n")
    assert a.text == BODY
    assert a.source is None, "a syndication link names the host paper, not the publisher"


@pytest.mark.parametrize("ending, text", [
    (f"{BODY} سمات ايران قطر محمد صالح المسفر", BODY),   # tags glued to the last sentence
    (f"{BODY}\nسمات الحرب اليمن علي صالح", BODY),          # or on a line of their own
    (f"{BODY}\nسمات القائد كثيرة. وقال الخبير إن ذلك مهم.", f"{BODY}\n\nسمات القائد كثيرة. وقال الخبير إن ذلك مهم."),
])
def test_a_trailing_tag_list_is_cut_but_a_sentence_about_traits_stays(ending, text):
    assert _text_dump(f"عنوان الخبر هنا\n\n{ending}\n").text == text


@pytest.mark.parametrize("opening, author, first", [
    ("عوض الفهمي- سبق- أضم: أعلنت جمعية البر الخيرية تأجيل الزواج.", "عوض الفهمي",
     "أضم: أعلنت جمعية البر الخيرية تأجيل الزواج."),
    ("Next Previous حامد القرشي – عين اليوم\nأبدع المغردون الليلة في تطبيق سناب شات.", "حامد القرشي",
     "أبدع المغردون الليلة في تطبيق سناب شات."),
    ("قال الوزير - سبق أن أعلن - إن الخطة جاهزة.", None, "قال الوزير - سبق أن أعلن - إن الخطة جاهزة."),
    ("خالد السويلمي ـ سبق ـ عرعر: ضبط فرع وزارة العمل 96 وافداً.", "خالد السويلمي",
     "عرعر: ضبط فرع وزارة العمل 96 وافداً."),
])
def test_an_outlet_byline_gives_the_author_and_leaves_the_body(opening, author, first):
    a = _text_dump(f"عنوان الخبر هنا\n\n{opening}\n{BODY}\n")
    assert (a.author, a.text.split("\n\n")[0]) == (author, first)


def test_repeated_title_and_section_line():
    a = _text_dump(f"عنوان الخبر هنا\nعنوان الخبر هنا\n● أخبار سورية ٧ يناير ٢٠٢٠\n\nعنوان الخبر هنا\n\n{BODY}")
    assert (a.title, a.section, a.published_raw, a.text) == ("عنوان الخبر هنا", "أخبار سورية", "٧ يناير ٢٠٢٠", BODY)


def test_a_share_bar_glued_to_the_first_paragraph_goes():
    # Okaz, 2015-08-11: the scrape ran the share buttons into the article's first sentence
    a = _text_dump("عنوان الخبر هنا\n\nشارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك أكد نائب خادم الحرمين الشريفين "
                   f"أن كل من يحاول العبث بأمن المملكة سيجد الرد.\n{BODY}")
    assert a.text.startswith("أكد نائب خادم الحرمين الشريفين") and a.text.endswith(BODY)
    assert "جوجل بلس" not in a.text


@pytest.mark.parametrize("footer", [
    # Al-Madina: the columnist's e-mail glued to the SMS footer, on the last paragraph's line
    "\n\naaljamili@yahoo.comللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (3) ثم مسافة ثم نص الرسالة إلى 88591 "
    "- Stc 635031 - Mobily 737221 - Zain",
    # the same footer over short lines, the e-mail and a Twitter handle on lines of their own
    "\nsherif.kandil@al-madina.com\nتويتر: Arfaj1\nللتواصل مع الكاتب ارسل رسالة SMS\nتبدأ بالرمز (41) ثم مسافة"
    "\n88591 - Stc\n737221 - Zain",
    "\nwww.alehaidib.com\nللتواصل أرسل sms إلى 88548 الاتصالات ,636250 موبايلي, 738303 زين تبدأ بالرمز 262 مسافة"
    "\nثم الرسالة",
    "\nلمراسلة الكاتب: turki@alriyadh.net",
])
def test_a_columnists_contact_footer_goes(footer):
    assert _text_dump(f"عنوان الخبر هنا\n\n{BODY}{footer}").text == BODY


def test_a_contact_phrase_inside_the_article_stays():
    line = ("وقالت الوزارة إن على المواطنين للتواصل مع الكاتب العدل في المحكمة حجز موعد إلكتروني مسبقاً عبر البوابة، "
            "وإن المواعيد متاحة طوال أيام الأسبوع في جميع المحافظات والمراكز التابعة لها دون استثناء أو تأخير. ") * 2
    a = _text_dump(f"عنوان الخبر هنا\n\n{line.strip()}\n{BODY}")
    assert a.text == line.strip() + "\n\n" + BODY


def test_a_column_opening_with_a_bullet_keeps_its_first_point():
    # Al-Watan's columns list their points with "•": the first is a paragraph, not a "● section date" line
    point = ("• لا أعرف ماذا يريد من يردد عبارة \"وين عيد زمان\"؟ عزيزي، العيد هو العيد باختلاف الأدوات والوسائل، "
             "بيد أن من تغيّر هو نحن، وأنت أولنا! فاترك عنك حديث الذكريات.")
    a = _text_dump(f"عنوان العمود هنا\n\n{point}\n{BODY}")
    assert (a.section, a.text) == (None, point + "\n\n" + BODY)


def test_a_paragraph_that_mentions_read_also_is_kept():
    line = "قال المتحدث إن على المواطنين أن يقرأوا أيضاً التعليمات الجديدة بعناية قبل السفر إلى المناطق الحدودية، " * 3
    a = _text_dump(f"عنوان الخبر هنا\n\n{BODY}\n{line.strip()}")
    assert a.text.endswith(line.strip())


def test_html_entities_in_dumps_are_decoded():
    a = _text_dump(f"تركيا تحجب مواقع موالية لـ&#8221;داعش&#8221;\n\n{BODY}")
    assert a.title == "تركيا تحجب مواقع موالية لـ”داعش”"


def test_non_arabic_article_is_kept_with_its_language():
    a = _text_dump("Turkey blocks websites\n\nTurkey blocked more than six Islamist news websites this week, "
                   "officials said on Tuesday, citing a court order issued in Ankara.")
    assert a.language == "en" and a.text.startswith("Turkey blocked")


def test_empty_body_is_not_an_error():
    a = _text_dump("عنوان فقط\n")
    assert (a.title, a.text) == ("عنوان فقط", "")


def test_malformed_boilerplate_table(tmp_path):
    bad = tmp_path / "boilerplate.yaml"
    bad.write_text("teaser_markers: not-a-list\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="boilerplate.yaml"):
        load_boilerplate(bad)


def test_seed_fixtures_are_the_shared_seeds():
    assert sorted(p.name for p in SEEDS.iterdir()) == ["000_46770df6502fba50.txt", "001_a63e9325d7f618af.txt"]

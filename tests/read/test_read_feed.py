"""RSS and Atom feeds: full-content entries become articles, teasers are skipped, non-XML is an error."""
from __future__ import annotations

import logging

import pytest

from marsad.errors import InputError
from marsad.read import read_file, read_paths

BODY = "<p>عقد مجلس سوريا الديمقراطية والتحالف السوري الوطني مؤتمراً صحفياً مشتركاً في القامشلي.</p>" * 4
LONG_DESC = "أعلنت الأمم المتحدة عن جولة جديدة من المحادثات في جنيف بين الأطراف السورية. " * 6

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>شبكة شام</title><link>https://example.org/</link><description>أخبار</description>
<item><title>مسد والتحالف يعدان خطة عمل</title><link>https://example.org/a/1</link>
  <guid isPermaLink="false">sham-1</guid><pubDate>Wed, 11 Jan 2023 10:00:00 +0300</pubDate>
  <author>فريق التحرير</author><category>أخبار سورية</category>
  <description>موجز قصير</description><content:encoded><![CDATA[{BODY}]]></content:encoded></item>
<item><title>خبر بوصف طويل</title><link>https://example.org/a/2</link>
  <pubDate>Thu, 12 Jan 2023 09:00:00 +0300</pubDate><description>{LONG_DESC}</description></item>
<item><title>موجز فقط</title><link>https://example.org/a/3</link><description>موجز قصير فقط...</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>مرصد</title><id>urn:feed</id><updated>2023-01-11T00:00:00Z</updated>
<entry><title>عنوان أتوم</title><id>urn:uuid:1234</id><link href="https://example.org/atom/1"/>
  <published>2023-01-11T08:00:00Z</published><updated>2023-01-11T09:00:00Z</updated>
  <author><name>مراسل</name></author>
  <content type="html">{BODY.replace("<", "&lt;").replace(">", "&gt;")}</content></entry>
<entry><title>بلا محتوى</title><id>urn:uuid:5678</id><link href="https://example.org/atom/2"/>
  <summary>قصير</summary></entry>
</feed>"""


def test_rss_file(tmp_path, caplog):
    f = tmp_path / "sham.rss"
    f.write_text(RSS, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="marsad.read"):
        arts = list(read_file(f))
    assert [a.id for a in arts] == ["sham-1", "https://example.org/a/2"]  # guid, else link
    a, b = arts
    assert a.kind == "feed" and a.title == "مسد والتحالف يعدان خطة عمل" and a.source == "شبكة شام"
    assert a.source_file == a.url == "https://example.org/a/1"
    assert a.published_raw == "Wed, 11 Jan 2023 10:00:00 +0300"  # raw, not parsed
    assert a.author == "فريق التحرير" and a.section == "أخبار سورية"
    first = "عقد مجلس سوريا الديمقراطية والتحالف السوري الوطني مؤتمراً صحفياً مشتركاً في القامشلي."
    assert a.raw.split("\n")[0] == first
    assert "<p>" not in a.raw and a.raw.count("\n") == 3 and a.text == ""
    assert b.raw == LONG_DESC.strip()
    assert "https://example.org/a/3" in caplog.text and "teaser" in caplog.text


def test_atom_file_sniffed_from_xml(tmp_path):
    f = tmp_path / "feed.xml"
    f.write_text(ATOM, encoding="utf-8")
    [a] = read_file(f)
    assert a.id == "urn:uuid:1234" and a.title == "عنوان أتوم" and a.source == "مرصد"
    assert a.published_raw == "2023-01-11T08:00:00Z" and a.author == "مراسل"
    assert a.source_file == "https://example.org/atom/1" and "القامشلي" in a.raw and "<" not in a.raw


def test_feed_without_extension_is_sniffed(tmp_path):
    f = tmp_path / "feed"
    f.write_text(RSS, encoding="utf-8")
    assert [a.kind for a in read_paths([str(f)])] == ["feed", "feed"]


def test_windows_1256_feed(tmp_path):
    f = tmp_path / "ar.rss"
    f.write_bytes(RSS.replace('encoding="utf-8"', 'encoding="windows-1256"').encode("cp1256"))
    arts = list(read_file(f))
    assert arts[0].title == "مسد والتحالف يعدان خطة عمل" and arts[0].source == "شبكة شام"


@pytest.mark.parametrize("content", ["هذا ليس XML بل نص عادي", "{\"a\": 1}", "<root><x>1</x></root>"])
def test_not_a_feed(tmp_path, content):
    f = tmp_path / "bad.xml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.xml: not an RSS/Atom feed"):
        list(read_file(f))

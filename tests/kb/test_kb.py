"""The knowledge base: the shipped files load and resolve; malformed files are rejected with clear messages."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from marsad.errors import KnowledgeBaseError
from marsad.kb import load_kb

GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def ids(kb, name):
    return {a.id for a in kb.lookup(name)}


@pytest.mark.parametrize("name, expected", [
    ("مسد", "org:sdc"), ("مجلس سوريا الديموقراطية", "org:sdc"), ("قسد", "org:sdf"),
    ("الائتلاف الوطني السوري", "org:etilaf"), ("الائتلاف", "org:etilaf"), ("داعش", "org:isis"),
    ("تنظيم الدولة", "org:isis"), ("النصرة", "org:nusra"), ("هيومان رايتس ووتش", "org:hrw"),
    ("هيومن رايتس ووتش", "org:hrw"), ("ميليشيا حزب الله", "org:hezbollah"), ("مليشيا حزب الله", "org:hezbollah"),
    ("الإدارة الذاتية الديمقراطية لشمال وشرق سوريا", "org:aanes"), ("التحالف الوطني السوري", "org:syrian-national-alliance"),
    ("بي كا كا", "org:pkk"), ("دي مستورا", "per:staffan-de-mistura"), ("دي ميستورا", "per:staffan-de-mistura"),
    ("بشار الأسد", "per:bashar-al-assad"), ("روسيا", "loc:russia"), ("القامشلي", "loc:al-qamishli"),
    ("إدلب", "loc:idlib"), ("ادلب", "loc:idlib"), ("الغوطة الشرقية", "loc:eastern-ghouta"),
    ("الولايات المتحدة الأمريكية", "loc:united-states"), ("الولايات المتحدة الأميركية", "loc:united-states"),
])
def test_known_names_resolve(kb, name, expected):
    assert expected in ids(kb, name)


@pytest.mark.parametrize("name, expected", [
    ("الدنمارك", "loc:denmark"), ("الدانمرك", "loc:denmark"), ("المجر", "loc:hungary"),
    ("هنغاريا", "loc:hungary"), ("ميانمار", "loc:myanmar"), ("بورما", "loc:myanmar"), ("الأوروغواي", "loc:uruguay"),
    ("الباكستان", "loc:pakistan"), ("جمهورية باكستان الإسلامية", "loc:pakistan"), ("المملكة المغربية", "loc:morocco"),
    ("روسيا البيضاء", "loc:belarus"), ("أوروغواي", "loc:uruguay"),
    ("الكونغو الديمقراطية", "loc:democratic-republic-of-the-congo"),
    ("جاكرتا", "loc:jakarta"), ("جاكارتا", "loc:jakarta"), ("برمنغهام", "loc:birmingham"), ("دكار", "loc:dakar"),
])
def test_country_spellings_of_the_news(kb, name, expected):
    """iso-codes' names beside CLDR's: the spelling the news uses (الدنمارك, المجر) and official names; a
    foreign city also without an inner long vowel where the news writes it so, after في or مدينة (جاكرتا)."""
    assert ids(kb, name) == {expected}


@pytest.mark.parametrize("name", ["الكونغو", "كوريا", "جمهورية كوريا", "غويانا", "صربية", "القطر", "محافظة صينية",
                                  "منطقة إدارية خاصة"])
def test_ambiguous_or_wordlike_country_names_left_out(kb, name):
    """Two countries' names share it (الكونغو, جمهورية كوريا…), the news uses it as a word (صربية 'Serbian'), or
    the name list's bracket or inversion only describes the country."""
    assert not {a.id for a in kb.lookup(name) if a.kind == "country"}


def test_country_canonical_is_the_spelling_the_news_uses(kb):
    assert (kb.actors["loc:denmark"].name, kb.actors["loc:hungary"].name) == ("الدنمارك", "المجر")
    assert kb.actors["loc:myanmar"].name == "ميانمار"  # not CLDR's "ميانمار (بورما)"
    assert kb.actors["loc:oman"].name == "عُمان"  # the display name keeps what tells it from عمّان


def test_variants_and_normalization(kb):
    assert kb.lookup("سورية") == kb.lookup("سوريا") == (kb.actors["loc:syria"],)
    assert kb.lookup("  أَمِينَة   عمر ") == kb.lookup("امينه عمر")
    assert kb.lookup("لروسيا") == ()  # clitics are the matcher's job, not the loader's
    assert kb.lookup("لا يوجد اسم كهذا") == ()


def test_actor_fields(kb):
    sdc = kb.actors["org:sdc"]
    assert (sdc.type, sdc.name, sdc.name_en, sdc.country) == ("ORG", "مجلس سوريا الديمقراطية",
                                                              "Syrian Democratic Council", "loc:syria")
    assert "مسد" in sdc.aliases
    amina = kb.actors["per:amina-omar"]
    assert amina.type == "PER" and amina.positions
    assert kb.actors["org:syrian-government"].description is True
    assert kb.actors["org:sdc"].description is False
    assert kb.actors["org:isis"].cameo


def test_places_have_coordinates(kb):
    places = [a for a in kb.actors.values() if a.type == "LOC"]
    assert len(places) > 1000
    assert all(a.lat is not None and -90 <= a.lat <= 90 and -180 <= a.lon <= 180 for a in places)
    syria = kb.actors["loc:syria"]
    assert 32 < syria.lat < 37.5 and 35.5 < syria.lon < 42.5 and syria.cameo == "SYR"
    aleppo = kb.lookup("حلب")[0]
    assert abs(aleppo.lat - 36.2) < 0.2 and aleppo.country == "loc:syria"
    assert sum(1 for a in places if a.country == "loc:syria") > 250


def test_names_titles_nationalities(kb):
    pairs = list(kb.names())
    assert ("مسد", kb.actors["org:sdc"]) in pairs
    assert kb.max_alias_tokens == max(len(k.split()) for k, _ in pairs)
    assert kb.nationality("الروسي") == kb.nationality("الروسية") == "loc:russia"
    assert kb.nationality("الأميركي") == kb.nationality("الأمريكية") == "loc:united-states"
    assert kb.nationality("التركية") == "loc:turkey"
    for title in ("الرئيسة المشتركة", "السكرتير العام", "المتحدث باسم", "وزير", "المبعوث", "ولي العهد", "الدكتور"):
        assert kb.title_kind(title), title


def test_shared_alias_across_types_is_allowed_when_declared(kb):
    assert {a.type for a in kb.lookup("الشرق الأوسط")} == {"LOC", "ORG"}


def test_immutable(kb):
    with pytest.raises(TypeError):
        kb.actors["org:new"] = kb.actors["org:sdc"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.actors["org:sdc"].name = "x"
    with pytest.raises(TypeError):
        kb.nationalities["x"] = "y"
    assert isinstance(kb.actors["org:sdc"].aliases, tuple)
    assert load_kb() is kb


# --- malformed files ----------------------------------------------------------------------------------------

def write_kb(tmp_path: Path, actors: str, places: str = "places: []\n", titles: str | None = None) -> Path:
    (tmp_path / "actors.yaml").write_text(actors, encoding="utf-8")
    (tmp_path / "places.yaml").write_text(places, encoding="utf-8")
    if titles is not None:
        (tmp_path / "titles.yaml").write_text(titles, encoding="utf-8")
    return tmp_path


GOOD = "actors:\n- {id: org:a, type: ORG, name: مجلس ألف, aliases: [ألف]}\n"


def test_small_folder_loads(tmp_path):
    kb = load_kb(write_kb(tmp_path, GOOD, "places:\n- {id: loc:x, type: LOC, name: بلدة, lat: 1.5, lon: 2}\n"))
    assert ids(kb, "الف") == {"org:a"} and kb.actors["loc:x"].lon == 2.0


@pytest.mark.parametrize("actors, message", [
    ("actors:\n- {type: ORG, name: مجلس}\n", "line 2: missing id"),
    ("actors:\n- {id: org:a, type: XYZ, name: مجلس}\n", "unknown type 'XYZ'"),
    ("actors:\n- {id: org:a, type: PER, name: مجلس}\n", "does not match type"),
    ("actors:\n- {id: Org A, type: ORG, name: مجلس}\n", "bad id"),
    ("actors:\n- {id: org:a, type: ORG}\n", "org:a has no name"),
    (GOOD + "- {id: org:a, type: ORG, name: مجلس باء}\n", "line 3: duplicate id org:a"),
    (GOOD + "- {id: per:b, type: PER, name: ألف}\n", "claimed by actors of different types"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, aliases: [1]}\n", "'aliases' must be a list"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, colour: red}\n", "unknown field(s) colour"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, quoted_only: [باء]}\n", "quoted_only باء not among its name"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, cue_only: [[x]]}\n", "'cue_only' must be a list"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, home_only: [باء]}\n", "home_only باء not among its name"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, home_only: [مجلس]}\n", "home_only names need the actor's country"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, construct_noun: [باء]}\n", "construct_noun باء not among its"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, described_noun: [باء]}\n", "described_noun باء not among its"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, country: loc:nowhere}\n", "unknown country id loc:nowhere"),
    ("actors:\n- {id: org:a, type: ORG, name: مجلس, theatre: [loc:nowhere]}\n", "unknown country id loc:nowhere"),
    ("actors: [\n", "not valid YAML"),
    ("- just a list\n", "expected a mapping"),
])
def test_malformed_actors_rejected(tmp_path, actors, message):
    with pytest.raises(KnowledgeBaseError) as err:
        load_kb(write_kb(tmp_path, actors))
    assert message in str(err.value)
    assert "actors.yaml" in str(err.value) or "claimed" in str(err.value)


@pytest.mark.parametrize("place, message", [
    ("{id: loc:x, type: LOC, name: بلدة, lat: 95, lon: 2}", "bad coordinates"),
    ("{id: loc:x, type: LOC, name: بلدة, lat: 1}", "only one of lat/lon"),
    ("{id: loc:x, type: LOC, name: بلدة, lat: north, lon: 2}", "bad coordinates"),
])
def test_bad_coordinates_rejected(tmp_path, place, message):
    with pytest.raises(KnowledgeBaseError, match=message) as err:
        load_kb(write_kb(tmp_path, GOOD, f"places:\n- {place}\n"))
    assert "places.yaml: line 2" in str(err.value)


def test_declared_shared_alias_accepted(tmp_path):
    actors = GOOD + "- {id: loc:b, type: LOC, name: ألف, shared_aliases: [ألف], note: both}\n"
    kb = load_kb(write_kb(tmp_path, actors))
    assert ids(kb, "ألف") == {"org:a", "loc:b"}


def test_compiled_layer_yields_to_curated(tmp_path):
    write_kb(tmp_path, GOOD)
    compiled = {"entries": [{"id": "org:c", "type": "ORG", "name": "ألف", "aliases": ["جيم"]},
                            {"id": "org:d", "type": "ORG", "name": "مجلس ألف"}]}
    (tmp_path / "actors_compiled.json").write_text(json.dumps(compiled, ensure_ascii=False), encoding="utf-8")
    kb = load_kb(tmp_path)
    assert ids(kb, "ألف") == {"org:a"} and kb.actors["org:c"].name == "جيم" and "org:d" not in kb.actors
    (tmp_path / "places_compiled.json").write_text("{not json", encoding="utf-8")
    from marsad.kb import _build
    with pytest.raises(KnowledgeBaseError, match="places_compiled.json: not valid JSON"):
        _build(tmp_path)


def test_bad_nationality_country(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="unknown country id loc:nowhere"):
        load_kb(write_kb(tmp_path, GOOD, titles="nationalities:\n  loc:nowhere: [مجهول]\n"))



def test_word_lists_of_titles_file(tmp_path):
    kb = load_kb(write_kb(tmp_path, GOOD, titles="facility_heads: [مستشفى]\nfacility_adjectives: [الحكومي]\n"))
    assert kb.facility_heads == {"مستشفي"} and kb.facility_adjectives == {"الحكومي"} and not kb.place_cues
    (tmp_path / "bad").mkdir()
    with pytest.raises(KnowledgeBaseError, match="titles.yaml.*facility_heads"):
        load_kb(write_kb(tmp_path / "bad", GOOD, titles="facility_heads: [مستشفى, 5]\n"))


# --- coverage of the gold entity names ----------------------------------------------------------------------

def gold_names(name):
    path = GOLD / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    for line in path.read_text(encoding="utf-8").splitlines():
        for ent in json.loads(line)["entities"]:
            yield ent


def test_every_seed_entity_is_in_the_kb(kb):
    missing = [e["names"] for e in gold_names("seeds.gold.jsonl") if not any(kb.lookup(n) for n in e["names"])]
    assert not missing


def test_seed_entity_types_match(kb):
    for ent in gold_names("seeds.gold.jsonl"):
        found = {a.type for n in ent["names"] for a in kb.lookup(n)}
        assert ent["type"] in found, ent["names"]


def test_dev_coverage_floor(kb):
    ents = [e for e in gold_names("dev.gold.jsonl") if not e.get("optional")]
    covered = sum(1 for e in ents if any(kb.lookup(n) for n in e["names"]))
    assert covered / len(ents) >= 0.6

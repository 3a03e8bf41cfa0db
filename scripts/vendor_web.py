"""Vendor the web pages' front-end libraries and map boundaries from the npm registry.

Run it when a pin below changes; its output is committed, so that ``pip install marsad`` needs no npm and the
pages load nothing from a CDN:

    python scripts/vendor_web.py            # needs `npm` on PATH and the npm registry

For each pinned package it runs ``npm pack NAME@VERSION`` in a temporary folder (no install scripts run),
checks the tarball's version, and copies the listed dist files and the license text into
``marsad/web/static/vendor/``. ``world-atlas`` (Natural Earth, public domain) is not copied whole: its 1:50m
countries are cut to Syria and the region, simplified and written as a small GeoJSON with Arabic names
(``marsad/web/static/geo/region.geojson``). ``vendor/VENDOR.json`` records package, version, license, the
registry's integrity hash and the size and sha256 of every copied file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "marsad" / "web" / "static"
VENDOR = STATIC / "vendor"
GEO = STATIC / "geo"

# package: (version, {file inside the package: name under vendor/}, license files to look for)
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "d3": ("7.9.2", {"dist/d3.min.js": "d3.min.js"}),
}
ATLAS = ("world-atlas", "2.0.2", "countries-50m.json")
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE")

# The map's extent: the Levant, Iraq, Turkey, Iran, the Arabian Peninsula, Egypt and the eastern Mediterranean.
REGION = (24.0, 11.0, 64.0, 44.0)  # west, south, east, north (degrees)
# Countries that reach into this wider box are kept too, cut to it and simplified more, so that a wide screen
# that shows the whole region sees land, not a cut edge, around it.
CLIP = (-6.0, -2.0, 94.0, 58.0)
TOLERANCE = 0.015  # Douglas-Peucker tolerance in degrees (about 1.5 km) in the region
TOLERANCE_OUTSIDE = 0.08  # and around it
# Arabic names of the countries the map shows (Natural Earth names them in English).
ARABIC = {
    "Syria": "سوريا", "Lebanon": "لبنان", "Israel": "إسرائيل", "Palestine": "فلسطين", "Jordan": "الأردن",
    "Iraq": "العراق", "Turkey": "تركيا", "Iran": "إيران", "Saudi Arabia": "السعودية", "Kuwait": "الكويت",
    "Bahrain": "البحرين", "Qatar": "قطر", "United Arab Emirates": "الإمارات", "Oman": "عمان", "Yemen": "اليمن",
    "Egypt": "مصر", "Libya": "ليبيا", "Sudan": "السودان", "Cyprus": "قبرص", "N. Cyprus": "شمال قبرص",
    "Greece": "اليونان", "Bulgaria": "بلغاريا", "Georgia": "جورجيا", "Armenia": "أرمينيا",
    "Azerbaijan": "أذربيجان", "Turkmenistan": "تركمانستان", "Afghanistan": "أفغانستان", "Pakistan": "باكستان",
    "Eritrea": "إريتريا", "Ethiopia": "إثيوبيا", "Djibouti": "جيبوتي", "Somalia": "الصومال",
    "Somaliland": "أرض الصومال", "Russia": "روسيا", "Chad": "تشاد", "Uzbekistan": "أوزبكستان",
    "Kazakhstan": "كازاخستان", "Romania": "رومانيا", "Ukraine": "أوكرانيا", "Macedonia": "مقدونيا",
    "North Macedonia": "مقدونيا الشمالية", "Albania": "ألبانيا", "Italy": "إيطاليا", "Tunisia": "تونس",
    "Malta": "مالطا", "Niger": "النيجر", "S. Sudan": "جنوب السودان", "Moldova": "مولدوفا", "Serbia": "صربيا",
    "Kosovo": "كوسوفو", "Montenegro": "الجبل الأسود", "Tajikistan": "طاجيكستان", "India": "الهند",
    "Central African Rep.": "أفريقيا الوسطى", "Algeria": "الجزائر", "Morocco": "المغرب", "Mali": "مالي",
    "Nigeria": "نيجيريا", "Cameroon": "الكاميرون", "Kenya": "كينيا", "Uganda": "أوغندا", "China": "الصين",
    "Nepal": "نيبال", "Kyrgyzstan": "قيرغيزستان", "Spain": "إسبانيا", "France": "فرنسا", "Germany": "ألمانيا",
    "Austria": "النمسا", "Hungary": "المجر", "Poland": "بولندا", "Belarus": "بيلاروسيا", "Croatia": "كرواتيا",
    "Bosnia and Herz.": "البوسنة والهرسك", "Slovenia": "سلوفينيا", "Slovakia": "سلوفاكيا", "Czechia": "التشيك",
    "Switzerland": "سويسرا", "Mongolia": "منغوليا", "Sri Lanka": "سريلانكا", "Bangladesh": "بنغلاديش",
    "Bhutan": "بوتان", "Tanzania": "تنزانيا", "Dem. Rep. Congo": "الكونغو الديمقراطية", "Congo": "الكونغو",
    "Lithuania": "ليتوانيا", "Latvia": "لاتفيا", "Estonia": "إستونيا", "Finland": "فنلندا", "Sweden": "السويد",
    "Norway": "النرويج", "Denmark": "الدنمارك", "Netherlands": "هولندا", "Belgium": "بلجيكا",
    "United Kingdom": "المملكة المتحدة", "Ireland": "أيرلندا", "Portugal": "البرتغال", "Luxembourg": "لوكسمبورغ",
    "Rwanda": "رواندا", "Burundi": "بوروندي", "Gabon": "الغابون", "Eq. Guinea": "غينيا الاستوائية",
    "Burkina Faso": "بوركينا فاسو", "Benin": "بنين", "Togo": "توغو", "Ghana": "غانا", "Myanmar": "ميانمار",
    "Thailand": "تايلاند", "Laos": "لاوس", "Vietnam": "فيتنام", "Liechtenstein": "ليختنشتاين",
    "Andorra": "أندورا", "San Marino": "سان مارينو", "Vatican": "الفاتيكان", "Monaco": "موناكو",
    "Mauritania": "موريتانيا", "Côte d'Ivoire": "ساحل العاج",
}


def npm_pack(name: str, version: str, dest: Path) -> tuple[Path, dict]:
    """The package's tarball unpacked under ``dest``, and what npm says of it (integrity, version)."""
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(dest)],
                         check=True, capture_output=True, text=True, cwd=dest).stdout
    info = json.loads(out)[0]
    if info["version"] != version:
        raise SystemExit(f"{name}: npm gave {info['version']}, pinned {version}")
    folder = dest / f"{name}-{version}"
    with tarfile.open(dest / info["filename"]) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package", info


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def license_text(pkg: Path) -> Path:
    for name in LICENSE_NAMES:
        if (pkg / name).exists():
            return pkg / name
    raise SystemExit(f"{pkg}: no license file")


def record(pkg: Path, info: dict, files: dict[str, Path]) -> dict:
    meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
    return {"package": meta["name"], "version": meta["version"], "license": meta.get("license"),
            "homepage": meta.get("homepage"), "integrity": info.get("integrity"),
            "files": {name: {"bytes": p.stat().st_size, "sha256": sha256(p)} for name, p in files.items()}}


# --- map boundaries: TopoJSON -> simplified GeoJSON ----------------------------------------------------------

def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as absolute (lon, lat) points (quantized, delta-encoded arcs decoded)."""
    (kx, ky), (dx, dy) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for px, py in arc:
            x, y = x + px, y + py
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on a closed ring (iterative); keeps at least the first, middle and last point."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = keep[len(points) // 2] = True
    stack = [(0, len(points) // 2), (len(points) // 2, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        seg = math.hypot(bx - ax, by - ay) or 1e-12
        best, far = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / seg
            if d > best:
                best, far = d, i
        if best > tol:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(points, keep) if k]


def clip(points: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """A closed ring cut to an axis-aligned box (Sutherland-Hodgman, one box edge at a time)."""
    w, s, e, n = box
    edges = [(lambda p: p[0] >= w, lambda a, b: (w, a[1] + (b[1] - a[1]) * (w - a[0]) / (b[0] - a[0]))),
             (lambda p: p[0] <= e, lambda a, b: (e, a[1] + (b[1] - a[1]) * (e - a[0]) / (b[0] - a[0]))),
             (lambda p: p[1] >= s, lambda a, b: (a[0] + (b[0] - a[0]) * (s - a[1]) / (b[1] - a[1]), s)),
             (lambda p: p[1] <= n, lambda a, b: (a[0] + (b[0] - a[0]) * (n - a[1]) / (b[1] - a[1]), n))]
    for inside, cross in edges:
        out: list[tuple[float, float]] = []
        for i, cur in enumerate(points):
            prev = points[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        points = out
        if not points:
            return []
    return points + points[:1] if points[0] != points[-1] else points


def polygons(geom: dict) -> list[list[list[int]]]:
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def in_box(points: list[tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    w, s, e, n = box
    return any(w <= x <= e and s <= y <= n for x, y in points)


def region_geojson(topo: dict) -> dict:
    """The countries that reach into `CLIP`, cut to it, simplified (finer in `REGION`) and rounded."""
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        polys = []
        for poly in polygons(geom):
            rings = [ring(r, arcs) for r in poly]
            if not in_box(rings[0], CLIP):
                continue
            tol = TOLERANCE if in_box(rings[0], REGION) else TOLERANCE_OUTSIDE
            out = []
            for r in rings:
                pts = [(round(x, 2), round(y, 2)) for x, y in clip(simplify(r, tol), CLIP)]
                pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
                if len(pts) >= 4:
                    out.append([list(p) for p in pts])
            if out:
                polys.append(out)
        if not polys:
            continue
        features.append({"type": "Feature", "id": geom.get("id"),
                         "properties": {"name_en": name, "name": ARABIC.get(name, name)},
                         "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    return {"type": "FeatureCollection", "features": features}


def vendor_atlas(tmp: Path) -> dict:
    name, version, file = ATLAS
    pkg, info = npm_pack(name, version, tmp)
    geo = region_geojson(json.loads((pkg / file).read_text(encoding="utf-8")))
    GEO.mkdir(parents=True, exist_ok=True)
    out = GEO / "region.geojson"
    out.write_text(json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    lic = GEO / "world-atlas.LICENSE"
    shutil.copyfile(license_text(pkg), lic)
    rec = record(pkg, info, {"../geo/region.geojson": out, "../geo/world-atlas.LICENSE": lic})
    rec["derived_from"] = (f"{file}: Natural Earth 1:50m countries (public domain) cut to {list(CLIP)}, "
                           f"Douglas-Peucker {TOLERANCE} degrees within {list(REGION)} and {TOLERANCE_OUTSIDE} "
                           "outside, rounded to 0.01 degrees; Arabic names added")
    rec["countries"] = len(geo["features"])
    return rec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    if shutil.which("npm") is None:
        sys.exit("npm is not on PATH (apt-get install npm, or use node's own npm)")
    VENDOR.mkdir(parents=True, exist_ok=True)
    records = []
    with tempfile.TemporaryDirectory(prefix="marsad-vendor-") as tmpdir:
        tmp = Path(tmpdir)
        for name, (version, files) in PACKAGES.items():
            pkg, info = npm_pack(name, version, tmp)
            copied = {}
            for src, dst in files.items():
                target = VENDOR / dst
                shutil.copyfile(pkg / src, target)
                copied[dst] = target
            lic = VENDOR / f"{name}.LICENSE"
            shutil.copyfile(license_text(pkg), lic)
            copied[lic.name] = lic
            records.append(record(pkg, info, copied))
        records.append(vendor_atlas(tmp))
    (VENDOR / "VENDOR.json").write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for r in records:
        size = sum(f["bytes"] for f in r["files"].values())
        sys.stderr.write(f"{r['package']} {r['version']} ({r['license']}): {size:,} bytes\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

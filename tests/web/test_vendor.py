"""The vendored front-end files and map boundaries: present, as recorded, small; the geometry helpers of
scripts/vendor_web.py on hand-made shapes."""
from __future__ import annotations

import hashlib
import importlib.util
import json

from tests.conftest import ROOT

STATIC = ROOT / "marsad" / "web" / "static"
spec = importlib.util.spec_from_file_location("vendor_web", ROOT / "scripts" / "vendor_web.py")
vendor_web = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vendor_web)


def test_vendored_files_are_as_recorded():
    records = json.loads((STATIC / "vendor" / "VENDOR.json").read_text(encoding="utf-8"))
    assert {r["package"] for r in records} == {*vendor_web.PACKAGES, vendor_web.ATLAS[0]}
    for r in records:
        assert r["license"] and r["integrity"].startswith("sha512-")
        for name, meta in r["files"].items():
            data = (STATIC / "vendor" / name).read_bytes()
            assert len(data) == meta["bytes"] and hashlib.sha256(data).hexdigest() == meta["sha256"], name


def test_no_page_asset_points_elsewhere():
    for path in [*(STATIC / "js").glob("*.js"), STATIC / "marsad.css", *(ROOT / "marsad/web/templates").glob("*")]:
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path


def test_region_boundaries():
    path = STATIC / "geo" / "region.geojson"
    assert path.stat().st_size < 250_000
    geo = json.loads(path.read_text(encoding="utf-8"))
    names = {f["properties"]["name_en"]: f["properties"]["name"] for f in geo["features"]}
    for en, ar in (("Syria", "سوريا"), ("Iraq", "العراق"), ("Turkey", "تركيا"), ("Lebanon", "لبنان"),
                   ("Jordan", "الأردن"), ("Saudi Arabia", "السعودية"), ("Egypt", "مصر"), ("Iran", "إيران")):
        assert names.get(en) == ar
    w, s, e, n = vendor_web.CLIP
    for f in geo["features"]:
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(w <= x <= e and s <= y <= n for x, y in ring)


def test_arcs_are_decoded_and_rings_joined():
    topo = {"transform": {"scale": [1, 1], "translate": [10, 20]}, "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]]}
    arcs = vendor_web.decode_arcs(topo)
    assert arcs[0] == [(10, 20), (12, 20), (12, 22)]
    ring = vendor_web.ring([0, 1], arcs)
    assert ring[0] == ring[-1] == (10, 20) and len(ring) == 5
    assert vendor_web.ring([~1], arcs)[0] == (10, 20)


def test_clip_cuts_a_ring_to_the_box():
    square = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    cut = vendor_web.clip(square, (5, -1, 20, 20))
    assert cut[0] == cut[-1] and min(x for x, _ in cut) == 5 and max(x for x, _ in cut) == 10
    assert vendor_web.clip(square, (50, 50, 60, 60)) == []


def test_simplify_drops_nearly_straight_points_only():
    line = [(0, 0), (1, 0.001), (2, 0), (3, 1), (4, 0), (0, 0)]
    out = vendor_web.simplify(line, 0.01)
    assert (1, 0.001) not in out and (3, 1) in out and out[0] == out[-1]

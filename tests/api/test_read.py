"""The read endpoints: shapes, filters, pagination and the errors (404, 422)."""
from __future__ import annotations

import pytest

from marsad.arabic import normalize

SEED = "000_46770df6502fba50"


def get(client, url, status=200, **params):
    r = client.get(url, params=params)
    assert r.status_code == status, (url, params, r.text)
    return r.json()


# --- articles ---------------------------------------------------------------------------------------------------

def test_search_has_highlighted_snippets(client):
    body = get(client, "/api/articles", q="الائتلاف")
    assert body["total"] >= len(body["items"]) >= 1
    for item in body["items"]:
        assert {"id", "title", "published", "source", "snippet", "spans", "snippet_parts"} <= set(item)
        assert item["spans"], item
        for s, e in item["spans"]:  # each span is a word the query matches, whatever its spelling
            assert "ايتلاف" in normalize(item["snippet"][s:e])
        assert "".join(p["text"] for p in item["snippet_parts"]) == item["snippet"]
        assert [p["text"] for p in item["snippet_parts"] if p["match"]] == [item["snippet"][s:e] for s, e in item["spans"]]


def test_search_folds_arabic_spelling(client):
    assert get(client, "/api/articles", q="قامشلي")["total"] == get(client, "/api/articles", q="القامشلى")["total"] >= 1


def test_without_query_newest_first_and_paged(client, store):
    first = get(client, "/api/articles", limit=5)
    assert first["total"] == store.stats()["articles"]
    dates = [i["published"] for i in first["items"] if i["published"]]
    assert dates == sorted(dates, reverse=True)
    second = get(client, "/api/articles", limit=5, offset=5)
    assert second["total"] == first["total"]
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    everything = get(client, "/api/articles", limit=200)
    assert len(everything["items"]) == everything["total"]


def test_filters(client):
    ids = lambda body: {i["id"] for i in body["items"]}  # noqa: E731
    assert SEED in ids(get(client, "/api/articles", actor="مسد"))  # an alias, resolved through the KB
    assert SEED in ids(get(client, "/api/articles", actor="org:sdc"))  # or the key itself
    assert SEED in ids(get(client, "/api/articles", place="القامشلي"))
    assert SEED in ids(get(client, "/api/articles", q="خطة", type="AGREE"))
    assert ids(get(client, "/api/articles", source="شبكة شام")) == {"001_a63e9325d7f618af"}
    dated = get(client, "/api/articles", since="2023-01", until="2023-01-31", limit=200)
    assert dated["items"] and all(i["published"].startswith("2023-01") for i in dated["items"])
    assert get(client, "/api/articles", actor="لا أحد بهذا الاسم")["total"] == 0
    assert get(client, "/api/articles", q="الائتلاف", since="2030")["total"] == 0


@pytest.mark.parametrize("params", [
    {"since": "2023-13-01"}, {"until": "yesterday"}, {"since": "2023-02-30"}, {"type": "PARTY"},
    {"limit": 0}, {"limit": 201}, {"offset": -1}, {"q": "،،،"}, {"q": "-حلب"}, {"q": "x" * 501},
])
def test_bad_parameters_are_422(client, params):
    body = get(client, "/api/articles", 422, **params)
    assert body["detail"] and body["detail"][0]["loc"][-1] in params


def test_article_record(client, store):
    record = get(client, f"/api/articles/{SEED}")
    expected = store.get(SEED).to_dict()
    assert {k: record[k] for k in expected} == expected
    assert isinstance(record["near_duplicates"], list)
    assert get(client, "/api/articles/no-such-article", 404)["detail"]


# --- actors -----------------------------------------------------------------------------------------------------

def test_actors_list(client):
    body = get(client, "/api/actors", limit=10)
    assert body["total"] >= len(body["items"]) == 10
    counts = [(i["articles"], i["mentions"]) for i in body["items"]]
    assert counts == sorted(counts, reverse=True)
    people = get(client, "/api/actors", type="PER", limit=200)
    assert people["items"] and {i["type"] for i in people["items"]} == {"PER"}
    page2 = get(client, "/api/actors", limit=5, offset=5)
    assert [i["key"] for i in page2["items"]] == [i["key"] for i in body["items"][5:10]]
    get(client, "/api/actors", 422, type="XYZ")


def test_actor_page(client):
    sdc = get(client, "/api/actors/org:sdc")
    assert sdc["name_en"] and sdc["type"] == "ORG" and sdc["cameo"] is not None
    assert sdc["articles_count"] >= 1 and any(a["id"] == SEED for a in sdc["articles"])
    assert sdc["events"]["total"] >= 1 and sdc["recent_events"]
    assert {"as_source", "as_target"} <= set(sdc["events"])
    partners = [p for ps in sdc["relations"].values() for p in ps]
    assert partners and all({"key", "name", "count", "direction"} <= set(p) for p in partners)
    amina = get(client, "/api/actors", type="PER", limit=200)["items"]
    key = next(i["key"] for i in amina if i["name"] == "أمينة عمر")
    person = get(client, f"/api/actors/{key}")
    assert any("الرئيسة المشتركة" in r["role"] for r in person["roles"])
    assert get(client, "/api/actors/PER:لا أحد", 404)["detail"]
    assert get(client, "/api/actors/garbage", 404)["detail"]


def test_every_listed_actor_has_a_page(client):
    for item in get(client, "/api/actors", limit=40)["items"]:
        page = get(client, f"/api/actors/{item['key']}")
        assert page["articles_count"] == item["articles"], item


# --- events, places, network, timeline, stats -------------------------------------------------------------------

def test_events(client, store):
    body = get(client, "/api/events", limit=200)
    assert body["total"] == store.count_events() == len(body["items"]) >= 1
    consult = get(client, "/api/events", type="CONSULT", limit=200)
    assert consult["items"] and {e["type"] for e in consult["items"]} == {"CONSULT"}
    mine = get(client, "/api/events", actor="مجلس سوريا الديمقراطية", limit=200)["items"]
    assert mine and all("org:sdc" in (e["source_key"], e["target_key"]) for e in mine)
    get(client, "/api/events", 422, type="consult!")
    get(client, "/api/events", 422, format="xlsx")


def test_places_are_geojson(client):
    fc = get(client, "/api/places")
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        p = f["properties"]
        assert p["name"] and isinstance(p["articles"], int) and isinstance(p["events"], int) and f["id"] == p["key"]
    typed = get(client, "/api/places", type="ASSAULT")["features"]
    assert all(f["properties"]["events"] >= 1 for f in typed)
    assert len(get(client, "/api/places", since="2030")["features"]) == 0
    get(client, "/api/places", 422, until="2023-1-1")


def test_network(client):
    graph = get(client, "/api/network")
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert graph["edges"] and len(nodes) == len(graph["nodes"])
    on_edges = {e["source"] for e in graph["edges"]} | {e["target"] for e in graph["edges"]}
    assert on_edges == set(nodes)  # every edge joins two listed nodes, no node is isolated
    assert all(n["label"] and n["count"] >= 1 for n in nodes.values())
    heavy = get(client, "/api/network", min_weight=2)
    assert all(e["weight"] >= 2 for e in heavy["edges"])
    assert len(heavy["edges"]) <= len(graph["edges"])
    only = get(client, "/api/network", type="CONSULT")["edges"]
    assert {e["type"] for e in only} <= {"CONSULT"}
    get(client, "/api/network", 422, min_weight=0)


def test_network_of_dev_set(client, dev):
    graph = get(client, "/api/network")
    assert len(graph["nodes"]) >= 10 and len(graph["edges"]) >= 10
    # the biggest connected part spans several actors (ties reported across articles join up)
    adjacent: dict[str, set[str]] = {}
    for e in graph["edges"]:
        adjacent.setdefault(e["source"], set()).add(e["target"])
        adjacent.setdefault(e["target"], set()).add(e["source"])
    best, seen = 0, set()
    for start in adjacent:
        if start in seen:
            continue
        part, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n not in part:
                part.add(n)
                todo.extend(adjacent[n] - part)
        seen |= part
        best = max(best, len(part))
    assert best >= 4


@pytest.mark.parametrize("interval", ["day", "week"])
@pytest.mark.parametrize("type", [None, "CONSULT"])
def test_timeline_adds_up_to_the_events(client, interval, type):
    params = {"interval": interval} | ({"type": type} if type else {})
    body = get(client, "/api/timeline", **params)
    total = get(client, "/api/events", limit=1, **({"type": type} if type else {}))["total"]
    dated = sum(p["count"] for series in body["series"].values() for p in series)
    assert body["interval"] == interval and body["total"] == total == dated + body["undated"]
    if type:
        assert set(body["series"]) <= {type}
    if interval == "week":
        from datetime import date
        assert all(date.fromisoformat(p["date"]).weekday() == 0 for s in body["series"].values() for p in s)


def test_timeline_errors(client):
    get(client, "/api/timeline", 422, interval="month")


def test_stats(client, store):
    assert get(client, "/api/stats") == store.stats()


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/actors", "/api/actors/{key}", "/api/events",
            "/api/places", "/api/network", "/api/timeline", "/api/stats", "/api/ingest"} <= set(paths)


@pytest.mark.parametrize("fmt,media,ext", [
    ("csv", "text/csv", "csv"), ("jsonl", "application/x-ndjson", "jsonl"),
    ("plover", "application/x-ndjson", "plover.jsonl"), ("cameo-tsv", "text/tab-separated-values", "tsv"),
    ("parquet", "application/vnd.apache.parquet", "parquet"),
])
def test_event_downloads(client, fmt, media, ext):
    import csv
    import io
    import json

    total = get(client, "/api/events", type="ASSAULT", limit=1)["total"]
    r = client.get("/api/events", params={"format": fmt, "type": "ASSAULT", "limit": 1})  # downloads ignore paging
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"] == f'attachment; filename="marsad-events.{ext}"'
    if fmt == "parquet":
        pq = pytest.importorskip("pyarrow.parquet", reason="Parquet downloads need pyarrow")
        table = pq.read_table(io.BytesIO(r.content))
        rows = table.to_pylist()
        assert table.num_rows == total and {row["type"] for row in rows} == {"ASSAULT"}
    elif fmt in ("csv", "cameo-tsv"):
        text = r.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), dialect="excel" if fmt == "csv" else "excel-tab"))
        assert len(rows) == total
        assert {row["type" if fmt == "csv" else "PLOVERType"] for row in rows} == {"ASSAULT"}
    else:
        lines = [json.loads(line) for line in r.text.splitlines() if line.strip()]
        assert len(lines) == total and {x["type" if fmt == "jsonl" else "event"] for x in lines} == {"ASSAULT"}

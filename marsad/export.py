"""Exports of the stored events for pandas, R, spreadsheets and event-data tools.

- ``jsonl``: one event per line, as the API returns it;
- ``csv``: one event per row, flat columns (UTF-8 with BOM so that spreadsheets read Arabic);
- ``cameo-tsv``: GDELT-style columns (SQLDATE, Actor1Code/Name, EventCode, EventRootCode, QuadClass,
  NumArticles, NumSources, ActionGeo, SOURCEURL) so that GDELT/ICEWS users can join;
- ``plover``: one PLOVER JSON record per line (event, mode, actors with their CAMEO codes and countries,
  location, the sentence it was coded from).
Actor codes come from the knowledge base through the actor's key.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from marsad.kb import KnowledgeBase

FORMATS = ("jsonl", "csv", "cameo-tsv", "plover")
CSV_COLUMNS = ("event_id", "date", "type", "mode", "cameo", "source_name", "source_key", "source_cameo",
               "target_name", "target_key", "target_cameo", "place", "lat", "lon", "num_articles", "num_sources",
               "confidence", "article_id", "url", "sentence", "articles")
TSV_COLUMNS = ("GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor2Code",
               "Actor2Name", "Actor2CountryCode", "EventCode", "EventRootCode", "QuadClass", "PLOVERType",
               "PLOVERMode", "NumArticles", "NumSources", "ActionGeo_FullName", "ActionGeo_Lat", "ActionGeo_Long",
               "Confidence", "SOURCEURL")


def quad_class(cameo: str | None) -> int | None:
    """CAMEO's four classes: verbal and material cooperation (1, 2), verbal and material conflict (3, 4)."""
    if not cameo or not cameo[:2].isdigit():
        return None
    root = int(cameo[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def _actor(key: str | None, name: str, kb: KnowledgeBase) -> dict[str, Any]:
    actor = kb.actors.get(key) if key else None
    country = kb.actors.get(actor.country) if actor and actor.country else None
    return {"name": name, "id": key if actor else None, "name_en": actor.name_en if actor else None,
            "cameo": actor.cameo if actor else None,
            "country": (country.cameo if country else None) or (actor.cameo[:3] if actor and actor.cameo else None)}


def _first(actors: list[dict]) -> str:
    return actors[0]["name"] if actors else ""


def csv_row(ev: dict, kb: KnowledgeBase) -> dict[str, Any]:
    src, tgt = _actor(ev["source_key"], _first(ev["source"]), kb), _actor(ev["target_key"], _first(ev["target"]), kb)
    return {"event_id": ev["event_id"], "date": ev["date"], "type": ev["type"], "mode": ev["mode"],
            "cameo": ev["cameo"], "source_name": src["name"], "source_key": ev["source_key"],
            "source_cameo": src["cameo"], "target_name": tgt["name"], "target_key": ev["target_key"],
            "target_cameo": tgt["cameo"], "place": ev["place"], "lat": ev["lat"], "lon": ev["lon"],
            "num_articles": ev["num_articles"], "num_sources": ev["num_sources"], "confidence": ev["confidence"],
            "article_id": ev["article_id"], "url": ev["url"], "sentence": ev["sentence"],
            "articles": ";".join(ev["articles"])}


def tsv_row(ev: dict, kb: KnowledgeBase) -> dict[str, Any]:
    src, tgt = _actor(ev["source_key"], _first(ev["source"]), kb), _actor(ev["target_key"], _first(ev["target"]), kb)
    return {"GLOBALEVENTID": ev["event_id"], "SQLDATE": (ev["date"] or "").replace("-", ""),
            "Actor1Code": src["cameo"], "Actor1Name": src["name"], "Actor1CountryCode": src["country"],
            "Actor2Code": tgt["cameo"], "Actor2Name": tgt["name"], "Actor2CountryCode": tgt["country"],
            "EventCode": ev["cameo"], "EventRootCode": (ev["cameo"] or "")[:2] or None,
            "QuadClass": quad_class(ev["cameo"]), "PLOVERType": ev["type"], "PLOVERMode": ev["mode"],
            "NumArticles": ev["num_articles"], "NumSources": ev["num_sources"], "ActionGeo_FullName": ev["place"],
            "ActionGeo_Lat": ev["lat"], "ActionGeo_Long": ev["lon"], "Confidence": ev["confidence"],
            "SOURCEURL": ev["url"]}


def plover_record(ev: dict, kb: KnowledgeBase) -> dict[str, Any]:
    def actors(side: str) -> list[dict]:
        key = ev[f"{side}_key"]
        return [_actor(key if i == 0 else None, a["name"], kb) for i, a in enumerate(ev[side])]

    return {"id": ev["event_id"], "date": ev["date"], "event": ev["type"], "mode": ev["mode"],
            "cameo": ev["cameo"], "source": actors("source"), "target": actors("target"),
            "location": {"name": ev["place"], "lat": ev["lat"], "lon": ev["lon"]} if ev["place"] else None,
            "num_articles": ev["num_articles"], "num_sources": ev["num_sources"],
            "confidence": ev["confidence"], "text": ev["sentence"], "article_id": ev["article_id"],
            "url": ev["url"], "articles": ev["articles"], "language": "ar"}


def write_events(events: Iterable[dict], fmt: str, out: TextIO, kb: KnowledgeBase) -> int:
    """Write events in ``fmt`` to ``out``; returns how many."""
    n = 0
    if fmt in ("jsonl", "plover"):
        for ev in events:
            out.write(json.dumps(ev if fmt == "jsonl" else plover_record(ev, kb), ensure_ascii=False) + "\n")
            n += 1
        return n
    columns, row, dialect = (CSV_COLUMNS, csv_row, "excel") if fmt == "csv" else (TSV_COLUMNS, tsv_row, "excel-tab")
    writer = csv.DictWriter(out, fieldnames=columns, dialect=dialect, lineterminator="\n")
    writer.writeheader()
    for ev in events:
        writer.writerow(row(ev, kb))
        n += 1
    return n


def paged(fetch, page: int = 1000) -> Iterator[dict]:
    """Every item of a paged query ``fetch(limit, offset)``, a page at a time (memory stays flat)."""
    offset = 0
    while True:
        items = fetch(page, offset)
        yield from items
        if len(items) < page:
            return
        offset += page


def to_string(events: Iterable[dict], fmt: str, kb: KnowledgeBase) -> str:
    buf = io.StringIO()
    write_events(events, fmt, buf, kb)
    return buf.getvalue()

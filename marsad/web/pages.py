"""The HTML pages: Jinja2 templates over the same `marsad.views` functions as the JSON API.

`register(app)` is the one entry point: `marsad.api.create_app` calls it, and it adds the page routes and
``/static`` (the vendored libraries and the map boundaries ship inside the package: nothing loads from a CDN).
The pages read the store the API put on ``app.state.store``. Autoescape is on for every template; article text
is highlighted by `marsad.web.highlight`, which escapes every piece itself.

Pages: ``/`` search (highlighted snippets, facets by source, event type and year), ``/articles/{id}``,
``/actors`` and ``/actors/{key}``, ``/network``, ``/timeline``, ``/map`` (the last three draw with the vendored
d3 from ``/api/network``, ``/api/timeline`` and ``/api/places``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from marsad import views
from marsad.store import Store
from marsad.web.highlight import PLOVER_AR, REF_AR, TYPE_AR, actor_key, article_marks, event_title, render

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 20
FACET_SOURCES = 12
FACET_YEARS = 15
# One color per PLOVER type, shared by the article page, the network and the timeline (readable on white).
TYPE_COLORS = {
    "AGREE": "#2e7d32", "CONSULT": "#1565c0", "SUPPORT": "#26a69a", "CONCEDE": "#9e9d24",
    "COOPERATE": "#7e57c2", "AID": "#f9a825", "RETREAT": "#bcaaa4", "REQUEST": "#4fc3f7",
    "ACCUSE": "#ef6c00", "REJECT": "#880e4f", "THREATEN": "#e91e63", "PROTEST": "#c0ca33",
    "SANCTION": "#37474f", "MOBILIZE": "#78909c", "COERCE": "#6d4c41", "ASSAULT": "#d32f2f",
}
NAV = [("/", "بحث"), ("/actors", "الفاعلون"), ("/network", "الشبكة"), ("/timeline", "الخط الزمني"),
       ("/map", "الخريطة")]

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True  # every template, whatever its name
templates.env.globals.update(nav=NAV, plover_ar=PLOVER_AR, type_ar=TYPE_AR, ref_ar=REF_AR,
                             type_colors=TYPE_COLORS, event_types=views.EVENT_TYPES)
templates.env.filters["q"] = lambda s: quote(str(s), safe="")  # a path segment (actor keys hold ':' and Arabic)


def _store(request: Request) -> Store:
    return request.app.state.store


def _page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    ctx.setdefault("path", request.url.path)
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def _error(request: Request, status: int, message: str) -> HTMLResponse:
    return _page(request, "error.html", {"title": "خطأ", "status": status, "message": message}, status)


def _int(value: str | None, default: int, low: int = 1, high: int = 10_000) -> int:
    try:
        return min(max(int(value or default), low), high)
    except ValueError:
        return default


def _url(base: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return base + ("?" + urlencode(kept) if kept else "")


# --- search --------------------------------------------------------------------------------------------------

def _filters(params: dict[str, Any]) -> dict[str, Any]:
    year = params.get("year")
    return dict(q=params.get("q"), since=year, until=year, actor=params.get("actor"), place=params.get("place"),
                type=params.get("type"), source=params.get("source"))


def facets(store: Store, params: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """For each facet (source, type, year), its values with the number of articles the current search would
    find with that value chosen instead; values that would find none are left out."""
    st = views.stats(store)
    sources = [s for s in st["sources"] if s][:FACET_SOURCES]
    first, last = (st.get("first_published") or "")[:4], (st.get("last_published") or "")[:4]
    years = [str(y) for y in range(int(last), int(first) - 1, -1)][:FACET_YEARS] if first and last else []
    out: dict[str, list[dict[str, Any]]] = {}
    for name, values in (("source", sources), ("type", list(views.EVENT_TYPES)), ("year", years)):
        rows = []
        for value in values:
            total = views.search_articles(store, limit=1, **_filters({**params, name: value}))["total"]
            if total:
                chosen = params.get(name) == value
                rows.append({"value": value, "count": total, "chosen": chosen,
                             "url": _url("/", {**params, name: None if chosen else value, "page": None})})
        out[name] = rows
    return out


def search_page(request: Request) -> HTMLResponse:
    qp = request.query_params
    params = {k: (qp.get(k) or "").strip() or None for k in ("q", "source", "type", "year", "actor", "place")}
    page = _int(qp.get("page"), 1)
    try:
        if params["year"]:
            views.check_date(params["year"], "year")
        found = views.search_articles(_store(request), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                      **_filters(params))
        side = facets(_store(request), params)
    except views.ViewError as e:
        return _page(request, "search.html", {"title": "بحث", "params": params, "error": str(e), "found": None,
                                              "facets": {}}, 422)
    pages = {"prev": _url("/", {**params, "page": page - 1}) if page > 1 else None,
             "next": _url("/", {**params, "page": page + 1}) if page * PAGE_SIZE < found["total"] else None}
    chosen = [{"name": k, "value": v, "clear": _url("/", {**params, k: None})}
              for k, v in params.items() if v and k != "q"]
    return _page(request, "search.html", {"title": params["q"] or "بحث", "params": params, "found": found,
                                          "facets": side, "pages": pages, "page": page, "chosen": chosen,
                                          "error": None})


# --- articles and actors -------------------------------------------------------------------------------------

def article_page(request: Request, article_id: str) -> HTMLResponse:
    record = views.article(_store(request), article_id)
    if record is None:
        return _error(request, 404, f"لا توجد مقالة بالمعرّف {article_id}")
    by_id = {e["id"]: e for e in record.get("entities") or []}
    for e in by_id.values():
        e["key"] = actor_key(e)
        e["affiliation_name"] = by_id[e["affiliation"]]["canonical"] if e.get("affiliation") in by_id else None
    for ev in record.get("events") or []:
        ev["title"] = event_title(ev)
        for side in ("source", "target"):
            for a in ev.get(side) or []:
                a["key"] = by_id[a["entity"]]["key"] if a.get("entity") in by_id else None
        place = ev.get("place") or {}
        place["key"] = by_id[place["entity"]]["key"] if place.get("entity") in by_id else None
    body = render(record.get("text") or "", article_marks(record))
    people = [e for e in by_id.values() if e.get("type") == "PER"]
    others = [e for e in by_id.values() if e.get("type") != "PER"]
    return _page(request, "article.html", {"title": record.get("title") or record["id"], "a": record,
                                           "body": body, "people": people, "others": others})


def actors_page(request: Request) -> HTMLResponse:
    qp = request.query_params
    kind = (qp.get("type") or "").upper() or None
    page = _int(qp.get("page"), 1)
    try:
        found = views.actors(_store(request), kind, limit=50, offset=(page - 1) * 50)
    except views.ViewError as e:
        return _error(request, 422, str(e))
    pages = {"prev": _url("/actors", {"type": kind, "page": page - 1}) if page > 1 else None,
             "next": _url("/actors", {"type": kind, "page": page + 1}) if page * 50 < found["total"] else None}
    return _page(request, "actors.html", {"title": "الفاعلون", "found": found, "kind": kind, "pages": pages})


def actor_page(request: Request, key: str) -> HTMLResponse:
    try:
        found = views.actor(_store(request), key, limit=30)
    except views.ViewError as e:
        return _error(request, 422, str(e))
    if found is None:
        return _error(request, 404, f"لا يُعرف شيء عن {key}")
    for ev in found.get("recent_events") or []:
        ev["title"] = event_title(ev)
        for side in ("source", "target"):  # a stored event keys its first actor on each side
            if ev.get(side) and ev.get(f"{side}_key"):
                ev[side][0]["key"] = ev[f"{side}_key"]
        if ev.get("place"):  # a stored event names its place; the macros link {"name", "key"}
            ev["place"] = {"name": ev["place"], "key": ev.get("place_key")}
    return _page(request, "actor.html", {"title": found.get("name") or key, "x": found})


# --- graphs --------------------------------------------------------------------------------------------------

def _graph_params(request: Request) -> dict[str, str | None]:
    qp = request.query_params
    return {k: (qp.get(k) or "").strip() or None for k in ("type", "since", "until", "interval", "actor")}


def graph_page(name: str, title: str):
    """A page that draws one API answer with d3 in the browser, with a server-side summary beneath it."""

    def page(request: Request) -> HTMLResponse:
        p = _graph_params(request)
        store = _store(request)
        try:
            if name == "network":
                data = views.network(store, p["type"], p["since"], p["until"], limit=500)
            elif name == "timeline":
                data = views.timeline(store, p["interval"] or "day", p["type"], p["actor"], p["since"], p["until"])
            else:
                data = views.places(store, p["since"], p["until"], p["type"])
        except views.ViewError as e:
            return _error(request, 422, str(e))
        config = {"api": f"/api/{'places' if name == 'map' else name}", "colors": TYPE_COLORS,
                  "labels": PLOVER_AR, "params": {k: v for k, v in p.items() if v}}
        return _page(request, f"{name}.html", {"title": title, "p": p, "data": data,
                                               "config": Markup(_script_json(config))})

    return page


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' that could close it."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def register(app: FastAPI) -> None:
    """Add the pages and ``/static`` to ``app`` (the API's app, whose ``state.store`` they read)."""
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    get = dict(response_class=HTMLResponse, include_in_schema=False)
    app.add_api_route("/", search_page, **get)
    app.add_api_route("/articles/{article_id:path}", article_page, **get)
    app.add_api_route("/actors", actors_page, **get)
    app.add_api_route("/actors/{key:path}", actor_page, **get)
    app.add_api_route("/network", graph_page("network", "شبكة الفاعلين"), **get)
    app.add_api_route("/timeline", graph_page("timeline", "الخط الزمني للأحداث"), **get)
    app.add_api_route("/map", graph_page("map", "خريطة الأحداث والأماكن"), **get)

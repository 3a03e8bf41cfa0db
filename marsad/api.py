"""The JSON API: FastAPI over `marsad.views` (each route only validates its parameters and wraps one view).

``create_app(db, token=None)`` returns the app; ``marsad serve --db FILE [--token T]`` runs it with uvicorn.
Reads go through a read-only store. ``POST /api/ingest`` exists only when the app has a token and answers only
requests that carry it (``Authorization: Bearer <token>``, compared in constant time); its body is
size-limited before it is parsed. OpenAPI docs at ``/docs``.
"""
from __future__ import annotations

import hmac
import os
import re
import tempfile
import threading
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from marsad import views
from marsad.store import Store, StoreError, open_store

MAX_UPLOAD = 20_000_000
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

EventType = Enum("EventType", {t: t for t in views.EVENT_TYPES}, type=str)  # type: ignore[misc]
ActorType = Enum("ActorType", {t: t for t in views.ACTOR_TYPES}, type=str)  # type: ignore[misc]
Download = Enum("Download", {f.replace("-", "_"): f for f in ("json", *views.EXPORT_FORMATS)},  # type: ignore[misc]
                type=str)
Interval = Enum("Interval", {"day": "day", "week": "week"}, type=str)  # type: ignore[misc]

Since = Annotated[Optional[str], Query(pattern=DATE_PATTERN, max_length=10,
                                       description="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")]
Until = Annotated[Optional[str], Query(pattern=DATE_PATTERN, max_length=10,
                                       description="On or before (inclusive): YYYY, YYYY-MM or YYYY-MM-DD.")]
Limit = Annotated[int, Query(ge=1, le=views.MAX_LIMIT, description=f"Page size, at most {views.MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Name = Annotated[Optional[str], Query(max_length=200, description="Any name (resolved through the knowledge "
                                                                  "base) or an actor key (org:sdc, PER:…).")]
EType = Annotated[Optional[EventType], Query(description="PLOVER event type.")]


def get_store(request: Request) -> Store:
    """The app's read-only store, reopened after a shutdown (a test client runs startup and shutdown often)."""
    state = request.app.state
    with state.store_lock:
        if state.store is None:
            state.store = open_store(state.db, readonly=True)
        return state.store


def _close_store(state: Any) -> None:
    with state.store_lock:
        if state.store is not None:
            state.store.close()
            state.store = None


S = Annotated[Store, Depends(get_store)]
Bearer = Annotated[Optional[HTTPAuthorizationCredentials], Depends(HTTPBearer(auto_error=False))]


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Enum) else v


class IngestGuard:
    """ASGI middleware in front of ``POST /api/ingest``: 403 when the server has no token, 401 without a
    bearer token, 403 with a wrong one, 413 when the body is (or turns out, while streamed) over the limit.
    All of it before the body is parsed."""

    def __init__(self, app: Any, token: str | None, max_bytes: int, path: str = "/api/ingest"):
        self.app, self.token, self.max_bytes, self.path = app, token, max_bytes, path

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v for k, v in scope["headers"]}
        problem = self._check(headers)
        if problem:
            status, detail = problem
            extra = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return await JSONResponse({"detail": detail}, status, headers=extra)(scope, receive, send)
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, f"upload too large: at most {self.max_bytes} bytes")
            return message

        await self.app(scope, limited, send)

    def _check(self, headers: dict[str, bytes]) -> tuple[int, str] | None:
        if not self.token:
            return 403, "ingest is disabled: start the server with --token to allow it"
        auth = headers.get("authorization", b"")
        scheme, _, given = auth.partition(b" ")
        if scheme.lower() != b"bearer" or not given.strip():
            return 401, "ingest needs the server's token: Authorization: Bearer <token>"
        if not hmac.compare_digest(given.strip(), self.token.encode("utf-8")):
            return 403, "wrong token"
        length = headers.get("content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            return 413, f"upload too large: at most {self.max_bytes} bytes"
        return None


def _safe_name(name: str | None) -> str:
    base = re.sub(r"[^\w.\-]+", "_", os.path.basename(name or "").strip())[:100].lstrip(".")
    return base or "upload"


def create_app(db: str, token: str | None = None, max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The API over the store at ``db``. With ``token``, ``POST /api/ingest`` accepts that bearer token."""
    if token and not os.path.exists(db) and db != ":memory:":
        open_store(db).close()  # a server that may ingest starts from an empty database
    store = open_store(db, readonly=True)
    app = FastAPI(title="marsad", version="0.1.0",
                  description="Arabic political news as structured, searchable event data (read-only API; "
                              "POST /api/ingest only with the server's token).")
    app.state.store, app.state.db, app.state.token = store, db, token
    app.state.ingest_lock, app.state.store_lock, app.state.pipeline = threading.Lock(), threading.Lock(), None
    app.add_middleware(IngestGuard, token=token, max_bytes=max_upload)
    app.router.add_event_handler("shutdown", lambda: _close_store(app.state))

    @app.exception_handler(views.ViewError)
    async def view_error(request: Request, exc: views.ViewError) -> JSONResponse:
        param = str(exc).split(":", 1)[0]
        return JSONResponse({"detail": [{"loc": ["query", param], "msg": str(exc), "type": "value_error"}]}, 422)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 503)

    @app.get("/api/articles", tags=["articles"])
    def articles(store: S, q: Annotated[Optional[str], Query(max_length=500, description="Words; \"phrase\", "
                                                             "OR, -word. Without it: newest first.")] = None,
                 since: Since = None, until: Until = None, actor: Name = None, place: Name = None,
                 type: EType = None, source: Annotated[Optional[str], Query(max_length=200)] = None,
                 limit: Limit = 20, offset: Offset = 0) -> dict:
        """Articles by full text and filters: `{"items": [...], "total": N}`, each item with a highlighted
        snippet (`spans`, `snippet_parts`)."""
        return views.search_articles(store, q, since, until, actor, place, _value(type), source, limit, offset)

    @app.get("/api/articles/{article_id:path}", tags=["articles"])
    def article(store: S, article_id: Annotated[str, PathParam(max_length=300)]) -> dict:
        """One article record (SCHEMA.md), plus `near_duplicates`."""
        found = views.article(store, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return found

    @app.get("/api/actors", tags=["actors"])
    def actors(store: S, type: Annotated[Optional[ActorType], Query()] = None, limit: Limit = 50,
               offset: Offset = 0) -> dict:
        """The most mentioned actors and places, with article and mention counts."""
        return views.actors(store, _value(type), limit, offset)

    @app.get("/api/actors/{key:path}", tags=["actors"])
    def actor(store: S, key: Annotated[str, PathParam(max_length=300)],
              limit: Annotated[int, Query(ge=1, le=views.MAX_LIMIT)] = 20) -> dict:
        """One actor by key (`org:sdc`, `PER:<name>`, `name:<name>`): roles, aliases, KB codes, events as
        source and target, partners per event type, articles."""
        found = views.actor(store, key, limit=limit)
        if found is None:
            raise HTTPException(404, f"no actor with key {key!r}")
        return found

    @app.get("/api/events", tags=["events"], responses={200: {"content": {
        m: {} for m, _ in views.EXPORT_FORMATS.values()}}})
    def events(store: S, type: EType = None, actor: Name = None, since: Since = None, until: Until = None,
               limit: Limit = 50, offset: Offset = 0,
               format: Annotated[Download, Query(description="json (a page), or a download of every "
                                                             "matching event")] = Download.json) -> Any:
        """Events across articles (one per real event), or with `format` a file of every matching event."""
        fmt = _value(format)
        if fmt == "json":
            return views.events(store, _value(type), actor, since, until, limit, offset)
        data, media, filename = views.export_events(store, fmt, _value(type), actor, since, until)
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.get("/api/places", tags=["maps"])
    def places(store: S, since: Since = None, until: Until = None, type: EType = None) -> dict:
        """A GeoJSON FeatureCollection of places with coordinates and their article and event counts."""
        return views.places(store, since, until, _value(type))

    @app.get("/api/network", tags=["maps"])
    def network(store: S, type: EType = None, since: Since = None, until: Until = None,
                min_weight: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                limit: Annotated[int, Query(ge=1, le=5000, description="Heaviest edges kept.")] = 500) -> dict:
        """Actors as nodes, weighted edges per event type between event source and target."""
        return views.network(store, _value(type), since, until, min_weight, limit)

    @app.get("/api/timeline", tags=["maps"])
    def timeline(store: S, interval: Annotated[Interval, Query()] = Interval.day, type: EType = None,
                 actor: Name = None, since: Since = None, until: Until = None) -> dict:
        """Events per day or week (dated by its Monday) per PLOVER type."""
        return views.timeline(store, _value(interval), _value(type), actor, since, until)

    @app.get("/api/stats", tags=["articles"])
    def stats(store: S) -> dict:
        """Counts of what the database holds."""
        return views.stats(store)

    @app.post("/api/ingest", tags=["ingest"])
    def ingest(request: Request, credentials: Bearer,
               url: Annotated[Optional[str], Form(max_length=2000, description="A page or feed URL.")] = None,
               file: Annotated[Optional[UploadFile], File(description="A file to ingest.")] = None) -> dict:
        """Run the pipeline on a URL or an uploaded file and store the articles (needs the server's token)."""
        state = request.app.state
        if not state.token or credentials is None or not hmac.compare_digest(
                credentials.credentials.encode("utf-8"), state.token.encode("utf-8")):
            raise HTTPException(403, "wrong token")  # the middleware answers first; kept as a second lock
        if (url is None) == (file is None):
            raise HTTPException(422, "give either url or file")
        if url is not None and not re.match(r"^https?://", url, re.I):
            raise HTTPException(422, "url: only http and https URLs can be ingested")
        with state.ingest_lock, tempfile.TemporaryDirectory(prefix="marsad-upload-") as tmp:
            target = url
            if file is not None:
                path = Path(tmp) / _safe_name(file.filename)
                path.write_bytes(file.file.read(max_upload + 1)[:max_upload])
                target = str(path)
            return _run_ingest(state, target, file.filename if file is not None else url)

    from marsad.web import pages  # the HTML pages and /static (marsad/web)

    pages.register(app)
    return app


def _run_ingest(state: Any, target: str, label: str | None) -> dict:
    from marsad.ingest import ingest
    from marsad.pipeline import Pipeline

    if state.pipeline is None:
        state.pipeline = Pipeline()
    with open_store(state.db) as writable:
        report = ingest([target], writable, state.pipeline)
    out = report.as_dict()
    out["failures"] = [f.replace(target, label or target) for f in out["failures"]]
    out["input"] = label
    return out

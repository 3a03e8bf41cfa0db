"""POST /api/ingest: off without a token, 401/403 without/with a wrong token, 413 over the size limit, and the
real pipeline into the store for an uploaded file and for a URL (a local http.server, no outside network)."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.api.conftest import TestClient
from tests.conftest import SEEDS

TOKEN = "s3cret-token"
SEED_URL = "001_a63e9325d7f618af.txt"
SEED_TXT = "000_46770df6502fba50.txt"


@pytest.fixture
def ingest_client(tmp_path):
    from marsad.api import create_app

    with TestClient(create_app(str(tmp_path / "new.db"), token=TOKEN, max_upload=200_000)) as c:
        yield c


def auth(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def upload(client, name: str, data: bytes, headers: dict | None = None):
    return client.post("/api/ingest", files={"file": (name, data, "text/plain")}, headers=headers or {})


def test_read_only_server_refuses_ingest(client):
    r = upload(client, SEED_TXT, (SEEDS / SEED_TXT).read_bytes(), auth())
    assert r.status_code == 403 and "disabled" in r.json()["detail"]


def test_token_is_required(ingest_client):
    data = (SEEDS / SEED_TXT).read_bytes()
    r = upload(ingest_client, SEED_TXT, data)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert upload(ingest_client, SEED_TXT, data, auth("wrong")).status_code == 403
    assert upload(ingest_client, SEED_TXT, data, {"Authorization": "Basic " + TOKEN}).status_code == 401
    assert ingest_client.get("/api/stats").json()["articles"] == 0  # nothing was written


def test_upload_runs_the_pipeline(ingest_client):
    r = upload(ingest_client, SEED_TXT, (SEEDS / SEED_TXT).read_bytes(), auth())
    assert r.status_code == 200, r.text
    assert r.json()["new"] == 1 and r.json()["failed"] == 0
    record = ingest_client.get("/api/articles/000_46770df6502fba50").json()
    assert record["events"] and record["entities"]  # the whole pipeline ran
    assert ingest_client.get("/api/articles", params={"q": "القامشلي"}).json()["total"] == 1
    again = upload(ingest_client, SEED_TXT, (SEEDS / SEED_TXT).read_bytes(), auth()).json()
    assert (again["new"], again["duplicate"]) == (0, 1)


def test_bad_upload_is_reported_not_stored(ingest_client):
    r = upload(ingest_client, "../../etc/empty.txt", b"", auth())
    assert r.status_code == 200 and r.json()["failed"] == 1 and r.json()["new"] == 0
    assert "empty" in r.json()["failures"][0]
    assert ingest_client.get("/api/stats").json()["articles"] == 0


def test_oversize_upload_is_413(ingest_client):
    r = upload(ingest_client, "big.txt", "كلمة ".encode("utf-8") * 50_000, auth())
    assert r.status_code == 413
    assert ingest_client.get("/api/stats").json()["articles"] == 0


def test_oversize_streamed_without_length_is_413(ingest_client):
    def chunks():
        for _ in range(50):
            yield b"x" * 10_000

    r = ingest_client.post("/api/ingest", content=chunks(), headers={
        **auth(), "Content-Type": "multipart/form-data; boundary=zzz"})
    assert r.status_code == 413


def test_needs_url_or_file(ingest_client):
    assert ingest_client.post("/api/ingest", headers=auth(), data={}).status_code == 422
    r = ingest_client.post("/api/ingest", headers=auth(), data={"url": "file:///etc/passwd"})
    assert r.status_code == 422


@pytest.fixture
def local_site():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SEEDS))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_ingest(ingest_client, local_site):
    r = ingest_client.post("/api/ingest", headers=auth(), data={"url": f"{local_site}/{SEED_URL}"})
    assert r.status_code == 200, r.text
    assert r.json()["new"] == 1, r.json()
    items = ingest_client.get("/api/articles").json()["items"]
    assert len(items) == 1
    record = ingest_client.get(f"/api/articles/{items[0]['id']}").json()
    assert record["source_file"].startswith(local_site) and record["text"]
    missing = ingest_client.post("/api/ingest", headers=auth(), data={"url": f"{local_site}/nope.html"}).json()
    assert missing["failed"] == 1 and "404" in missing["failures"][0]

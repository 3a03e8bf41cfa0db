"""read_url over httpx.MockTransport and a local http.server on 127.0.0.1 (no network)."""
from __future__ import annotations

import http.server
import threading

import httpx
import pytest

from marsad.errors import InputError
from marsad.read import read_paths, read_url

PAGE = ("<!doctype html><html><head><title>بيان | موقع</title><meta property='og:site_name' content='موقع'>"
        "<meta property='article:published_time' content='2023-01-11T10:00:00Z'></head><body>"
        "<nav>الرئيسية</nav><article><h1>بيان مشترك</h1><p>أصدر المجلس بياناً مشتركاً اليوم.</p></article>"
        "</body></html>")
FEED = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>مرصد</title>"
        "<item><title>خبر</title><link>https://news.test/a/1</link><guid>g1</guid>"
        "<description>" + "نص الخبر الكامل في الخلاصة. " * 20 + "</description></item></channel></rss>")


def _handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/news/statement.html":
        return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, content=PAGE.encode())
    if path == "/old":
        return httpx.Response(301, headers={"location": "https://news.test/news/statement.html"})
    if path == "/feed":
        return httpx.Response(200, headers={"content-type": "application/rss+xml"}, content=FEED.encode())
    if path == "/image.png":
        return httpx.Response(200, headers={"content-type": "image/png"}, content=b"\x89PNG\r\n\x1a\n")
    if path == "/big":
        return httpx.Response(200, headers={"content-type": "text/plain"}, content=iter([b"x" * 4096] * 100))
    if path == "/big-declared":
        return httpx.Response(200, headers={"content-type": "text/plain", "content-length": "999999999"},
                              content=b"x")
    if path == "/slow":
        raise httpx.ReadTimeout("timed out", request=request)
    if path == "/1256":
        return httpx.Response(200, headers={"content-type": "text/plain; charset=windows-1256"},
                              content="نص بترميز ويندوز".encode("cp1256"))
    return httpx.Response(404)


@pytest.fixture
def client():
    with httpx.Client(transport=httpx.MockTransport(_handler)) as c:
        yield c


def test_html_page(client):
    [a] = read_url("https://news.test/news/statement.html", client=client)
    assert a.kind == "html" and a.id == "statement" and a.title == "بيان مشترك" and a.source == "موقع"
    assert a.raw == "أصدر المجلس بياناً مشتركاً اليوم." and a.published_raw == "2023-01-11T10:00:00Z"
    assert a.source_file == a.url == "https://news.test/news/statement.html"


def test_redirect_followed(client):
    [a] = read_url("https://news.test/old", client=client)
    assert a.source_file == "https://news.test/old" and a.url == "https://news.test/news/statement.html"


def test_feed(client):
    [a] = read_url("https://news.test/feed", client=client)
    assert a.kind == "feed" and a.id == "g1" and a.source == "مرصد" and a.source_file == "https://news.test/a/1"


def test_declared_charset(client):
    [a] = read_url("https://news.test/1256", client=client)
    assert a.raw == "نص بترميز ويندوز"


@pytest.mark.parametrize("path,problem", [
    ("/image.png", "unsupported content type 'image/png'"),
    ("/big", "response too large"),
    ("/big-declared", "response too large"),
    ("/missing", "HTTP 404"),
    ("/slow", "timed out"),
])
def test_url_errors(client, path, problem):
    url = "https://news.test" + path
    with pytest.raises(InputError) as e:
        list(read_url(url, client=client, max_bytes=100_000))
    assert str(e.value).startswith(url + ": ") and problem in str(e.value)


def test_not_http():
    with pytest.raises(InputError, match="only http and https"):
        list(read_url("ftp://example.org/x"))


def test_read_paths_mixes_urls_and_reports(client, tmp_path):
    f = tmp_path / "local.txt"
    f.write_text("نص محلي", encoding="utf-8")
    errors: list[InputError] = []
    arts = list(read_paths(["https://news.test/image.png", "https://news.test/feed", str(f)], client=client,
                           on_error=errors.append))
    assert [a.id for a in arts] == ["g1", "local"] and "image/png" in str(errors[0])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_local_http_server(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    handler = lambda *a, **k: _Quiet(*a, directory=str(tmp_path), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
        [a] = read_url(url, timeout=5.0)
        assert a.title == "بيان مشترك" and a.id == "page"
    finally:
        server.shutdown()
        server.server_close()

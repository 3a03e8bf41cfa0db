"""The pages in a real browser: Debian's headless Chromium driven by selenium over a live server.

The server is uvicorn in a thread on 127.0.0.1 (a free port) over the web tests' database (the seeds, a hostile
article, and the dev pages when ../shared is present). Each test opens a page, waits for its scripts to draw,
checks what it shows and saves a screenshot: all of them under a temporary folder (its path is printed at the
end of the run), the main ones also in /tmp/marsad-shots. Skips, with the reason, when Chromium, chromedriver
or selenium is missing (``apt-get install -y chromium chromium-driver``; ``pip install -e '.[test]'``).
"""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.web.conftest import HOSTILE, SEED_000, SHOTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
KEEP = Path("/tmp/marsad-shots")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--lang=ar", "--hide-scrollbars")

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"needs Chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER}): "
                "apt-get install -y chromium chromium-driver", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
uvicorn = pytest.importorskip("uvicorn", reason="needs uvicorn (pip install -e '.[serve]')")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(web_app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    SHOTS.append(str(folder))
    KEEP.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


class Page:
    """One page opened in the browser: waits, reads the DOM, screenshots, and fails on script errors."""

    def __init__(self, driver, base: str, shots: Path):
        self.d, self.base, self.shots = driver, base, shots

    def open(self, path: str, size: tuple[int, int] = (1280, 900)) -> Page:
        self.d.set_window_size(*size)
        self.d.get_log("browser")  # drop what earlier pages logged
        self.d.get(self.base + path)
        WebDriverWait(self.d, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
        return self

    def wait_drawn(self, element_id: str) -> dict:
        """The chart's data-* once its script has marked it drawn (or failed)."""
        WebDriverWait(self.d, 20).until(lambda d: d.find_element(By.ID, element_id).get_attribute("data-state"))
        data = self.d.execute_script("return Object.assign({}, arguments[0].dataset)",
                                     self.d.find_element(By.ID, element_id))
        assert data["state"] == "ready", data
        return data

    def text(self, css: str = "body") -> str:
        return " ".join(e.text for e in self.d.find_elements(By.CSS_SELECTOR, css))

    def count(self, css: str) -> int:
        return len(self.d.find_elements(By.CSS_SELECTOR, css))

    def errors(self) -> list[str]:
        return [e["message"] for e in self.d.get_log("browser") if e["level"] == "SEVERE"]

    def shot(self, name: str, keep: bool = True, full: bool = True) -> Path:
        if full:  # grow the window to the page's height so the screenshot holds all of it
            height = self.d.execute_script("return document.documentElement.scrollHeight")
            width = self.d.get_window_size()["width"]
            self.d.set_window_size(width, min(max(height + 100, 600), 6000))
        path = self.shots / f"{name}.png"
        self.d.save_screenshot(str(path))
        if keep:
            shutil.copyfile(path, KEEP / path.name)
        return path


@pytest.fixture
def page(browser, base_url, shots) -> Page:
    return Page(browser, base_url, shots)


def test_search_highlights_and_facets(page):
    p = page.open("/?q=" + quote("قامشلي"))
    marks = [m.text for m in page.d.find_elements(By.CSS_SELECTOR, ".snippet mark, .hit-title mark")]
    assert "القامشلي" in marks
    assert p.count("section.facet[data-facet='year'] li") >= 1
    assert p.count(".hits .hit") >= 1
    assert not p.errors()
    p.shot("search")


def test_seed_000_article(page):
    p = page.open(f"/articles/{SEED_000}")
    people = p.text("#people")
    assert "أمينة عمر" in people and "الرئيسة المشتركة لمجلس سوريا الديمقراطية" in people
    assert "آرام الدوماني" in people and "السكرتير العام للتحالف السوري الوطني" in people
    events = p.text("#events")
    assert "تشاور ولقاء" in events and "2023-01-10" in events and "خطة عمل مشتركة" in events
    places = [e.text for e in page.d.find_elements(By.CSS_SELECTOR, "#text .ent-LOC")]
    assert "القامشلي" in places
    meeting = page.d.find_element(By.CSS_SELECTOR, "#text .ev.ev-CONSULT")
    assert "2023-01-10" in meeting.get_attribute("title") and "الثقة" in meeting.get_attribute("title")
    plan = page.d.find_element(By.CSS_SELECTOR, "#text .trigger.ev-AGREE")
    assert plan.text == "خطة عمل مشتركة"
    amina = page.d.find_element(By.CSS_SELECTOR, "#text .ent-PER[data-entity]")
    assert "القاعدة" in amina.get_attribute("title")
    # the layout is right to left: the article's first line starts at the right
    body = page.d.find_element(By.ID, "text")
    assert page.d.execute_script("return getComputedStyle(arguments[0]).direction", body) == "rtl"
    assert not p.errors()
    p.shot("article-000")
    p.open(f"/articles/{SEED_000}", size=(390, 844))
    overflow = page.d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than a phone"
    p.shot("article-000-phone", full=False)


def test_markup_in_an_article_shows_as_text(page):
    p = page.open(f"/articles/{HOSTILE}")
    assert "<script>window.__pwned = 1;</script>" in p.text("#text")
    assert page.d.execute_script("return window.__pwned === undefined")
    assert p.count("#text script, #text b") == 0
    p.shot("article-hostile", keep=False)


def test_actor_page(page):
    p = page.open("/actors/org:sdc")
    assert "مجلس سوريا الديمقراطية" in p.text("h1")
    assert "التحالف السوري الوطني" in p.text("#relations")
    assert p.count("#articles .hit") >= 1
    p.shot("actor-sdc")
    p.open("/actors/per:amina-omar")
    assert "الرئيسة المشتركة لمجلس سوريا الديمقراطية" in p.text("#roles")


def test_network_draws_actors_and_relations(page, dev):
    p = page.open("/network")
    drawn = p.wait_drawn("network")
    assert int(drawn["nodes"]) >= 10 and int(drawn["edges"]) >= 10
    assert p.count("#network circle") == int(drawn["nodes"])
    assert p.count("#network path.edge") == int(drawn["edges"])
    labels = [t.get_attribute("textContent") for t in page.d.find_elements(By.CSS_SELECTOR, "#network text.label")]
    assert "مجلس سوريا الديمقراطية" in labels and "التحالف السوري الوطني" in labels
    shown = [t for t in page.d.find_elements(By.CSS_SELECTOR, "#network text.label") if t.is_displayed()]
    assert len(shown) >= len(labels) // 2  # labels that would overlap wait for zooming in; most show
    assert p.count("#net-legend li") >= 2
    assert not p.errors()
    p.shot("network")
    p.open("/network?type=CONSULT")
    only = p.wait_drawn("network")
    assert 0 < int(only["edges"]) < int(drawn["edges"])
    colors = {e.get_attribute("stroke") for e in page.d.find_elements(By.CSS_SELECTOR, "#network path.edge")}
    assert len(colors) == 1


def test_timeline_draws_stacked_bars(page, dev):
    p = page.open("/timeline")
    drawn = p.wait_drawn("timeline")
    assert int(drawn["bars"]) >= 5
    assert p.count("#timeline svg rect.bar") == int(drawn["bars"])
    assert p.count("#tl-legend li") >= 3
    assert not p.errors()
    p.shot("timeline")
    p.open("/timeline?interval=week")
    assert int(p.wait_drawn("timeline")["bars"]) >= 1


def test_map_draws_the_region_and_places(page):
    p = page.open("/map")
    drawn = p.wait_drawn("map")
    assert int(drawn["features"]) >= 20 and int(drawn["places"]) >= 1
    assert p.count("#map path.country") == int(drawn["features"])
    assert p.count("#map path.country.syria") == 1
    assert p.count("#map g.place circle") == int(drawn["places"])
    tooltips = [t.get_attribute("textContent") for t in page.d.find_elements(By.CSS_SELECTOR, "#map g.place title")]
    assert any(t.startswith("القامشلي") for t in tooltips)
    assert "سوريا" in [t.get_attribute("textContent") for t in page.d.find_elements(By.CSS_SELECTOR, "#map path.syria title")]
    assert not p.errors()
    p.shot("map")
    p.open("/map", size=(390, 844))
    p.wait_drawn("map")
    p.shot("map-phone", keep=False, full=False)

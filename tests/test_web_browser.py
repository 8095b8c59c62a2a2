"""End to end in a real headless Chromium (Debian's, driven by Playwright): the analyst's path through a story.

Open the seed story, see its conflict, read a fact's evidence highlighted in
its report, dismiss the conflict, and find it dismissed after a reload and in
the export. Screenshots of the story page and its matrix go to
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import storyline
from tests.conftest import ROOT, SEEDS, need

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
CONFLICT_BACKGROUND = "rgb(255, 235, 233)"  # --conflicting-bg in app.css

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)"
    ),
]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    """The two seed reports through the whole analysis, as `storyline analyze` does it."""
    path = tmp_path_factory.mktemp("browser") / "seeds.db"
    with storyline.open(path) as db:
        db.analyze([need(SEEDS)])
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_db):
    """`storyline serve` on a free loopback port, stopped after the tests."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", str(seed_db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/api/stories", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the server did not start: " + process.stderr.read().decode()[-2000:])
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.problems = []  # console errors include any Content-Security-Policy violation
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        yield page
        browser.close()


def seed_story_with_conflict(base: str) -> tuple[str, dict, dict]:
    stories = httpx.get(base + "/api/stories", params={"per_page": 100}).json()["stories"]
    for story in stories:
        for fact in story["facts"]:
            if fact["conflicts"] and fact["evidence"]:
                return story["id"], fact, fact["conflicts"][0]
    pytest.fail("the analysis of the seeds found no conflict: " + str([s["title"] for s in stories]))


def test_analyst_reads_the_evidence_and_dismisses_the_conflict(server, seed_db, page):
    ARTIFACTS.mkdir(exist_ok=True)
    story_id, fact, conflict = seed_story_with_conflict(server)

    page.goto(f"{server}/stories/{story_id}")
    # the conflict is highlighted: in the timeline and in the matrix, in the conflict colour
    row = page.locator(f'.tl-row[data-fact="{fact["id"]}"], .fact-list a[data-fact="{fact["id"]}"]').first
    assert row.is_visible()
    differs = page.locator("td.cell-differs").first
    assert differs.is_visible()
    assert differs.evaluate("cell => getComputedStyle(cell).backgroundColor") == CONFLICT_BACKGROUND
    assert conflict["explanation"][:30] in page.locator(".matrix").inner_text()
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)
    page.locator("#matrix").screenshot(path=str(ARTIFACTS / "matrix.png"))

    # selecting the fact brings its evidence, highlighted in the report
    page.locator(f'.matrix a[data-fact="{fact["id"]}"]').click()
    page.wait_for_selector("#evidence mark.evidence")
    assert f"fact={fact['id']}" in page.url
    marked = " ".join(page.locator("#evidence mark.evidence").all_inner_texts())
    assert all(e["text"][:40] in marked for e in fact["evidence"]), marked
    assert page.locator(".matrix tr.selected").count() == 1
    page.screenshot(path=str(ARTIFACTS / "story-evidence.png"))

    # dismiss the conflict, as a named analyst
    form = page.locator("#evidence form.decision").first
    form.locator('input[name="author"]').fill("Browser Analyst")
    form.locator('input[name="note"]').fill("one report rounds the figure")
    with page.expect_navigation():
        form.locator('button[value="dismissed"]').click()
    page.reload()
    panel = page.locator("#evidence").inner_text()
    assert "Decided dismissed by Browser Analyst" in panel
    assert page.locator(".conflict.decided-dismissed").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "story-dismissed.png"), full_page=True)

    # the export says so too: the API and the document of the store
    exported = httpx.get(f"{server}/api/stories/{story_id}").json()["stories"][0]
    after = next(f for f in exported["facts"] if f["id"] == fact["id"])
    assert {c["slot"]: c["decision"] for c in after["conflicts"]}[conflict["slot"]] == "dismissed"
    with storyline.open(seed_db) as db:
        document = db.document([story_id])
        (decision,) = db.decisions("conflict")
    fact_after = next(f for f in document["stories"][0]["facts"] if f["id"] == fact["id"])
    assert [c["decision"] for c in fact_after["conflicts"] if c["slot"] == conflict["slot"]] == ["dismissed"]
    assert decision.author == "Browser Analyst" and decision.created_at is not None

    # the history page shows who decided what
    page.goto(f"{server}/history")
    assert "Browser Analyst" in page.locator("table.history").inner_text()
    assert page.problems == []


def test_article_opened_from_evidence_shows_the_passage_and_annotations(server, page):
    story_id, fact, _ = seed_story_with_conflict(server)
    page.goto(f"{server}/stories/{story_id}?fact={fact['id']}#evidence")
    link = page.locator("#evidence .evidence-block header a").first
    link.click()
    page.wait_for_selector("#mark-0")
    assert re.search(r"/articles/\w+\?mark=", page.url)
    assert page.locator("#mark-0").is_visible()  # scrolled into view
    assert page.locator(".article-text .ann-place").count() > 0
    assert page.locator(".article-text .ann-time").count() > 0
    page.locator(".article-text a.ann-place").first.click()
    assert "/places/" in page.url
    assert page.locator("table.names").is_visible()
    page.screenshot(path=str(ARTIFACTS / "place.png"), full_page=True)
    assert page.problems == []


def test_stories_page_filters_in_the_browser(server, page):
    page.goto(server + "/")
    cards = page.locator(".card").count()
    assert cards >= 1
    page.fill("#f-q", "zzzyqxnothing")
    with page.expect_navigation():
        page.click("button.primary")
    assert page.locator(".card").count() == 0 and "No story matches" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "stories-empty.png"))
    # the page and the API agree on the stories with an open conflict (none once it is dismissed)
    page.goto(server + "/")
    page.check('input[name="conflicts"]')
    with page.expect_navigation():
        page.click("button.primary")
    expected = httpx.get(server + "/api/stories", params={"conflicts": "true"}).json()["total"]
    assert page.locator(".card").count() == expected
    assert page.problems == []

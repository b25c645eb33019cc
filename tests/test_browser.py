"""Browser tests: Playwright drives Debian's chromium against a real `detente serve` over the demo
ledger. Screenshots go to test-artifacts/. Chromium missing is a failure, never a skip: `make test`
installs it (`apt-get install chromium`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from test_web import HOSTILE_HTML, copy_ledger, running_server  # noqa: F401  (hostile_ledger below)
from test_web import hostile_ledger  # noqa: F401  (a session fixture shared with test_web)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def chromium_path() -> str:
    """Debian's chromium (or $DETENTE_CHROMIUM); Playwright's own browsers are never downloaded."""
    for candidate in (os.environ.get("DETENTE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium",
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("chromium is not installed: the browser tests need Debian's chromium. Run `make test` "
                "(it installs it) or `sudo apt-get install -y chromium`, or set DETENTE_CHROMIUM.", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_server(demo_ledger, tmp_path_factory):
    # A copy: review clicks write to it, and the session's demo ledger must stay as built.
    db = copy_ledger(demo_ledger[0], tmp_path_factory.mktemp("browser") / "demo.db")
    with running_server(db) as base:
        yield base


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.script_errors = errors
    yield opened
    context.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_dyad_page_renders_chart_and_timeline(page, demo_server):
    page.goto(f"{demo_server}/dyad?a=RUS&b=PRK")
    page.wait_for_selector("#chart[data-rendered=true]", timeout=30_000)
    bars = page.locator("#chart g.trace.bars path")
    assert bars.count() > 0, "the chart has no bars"
    assert page.locator("#chart .scatterlayer g.trace").count() >= 1, "the index line is missing"
    events = page.locator("#timeline li.event")
    assert events.count() > 10
    assert page.locator("#timeline .precision").count() == events.count(), "every event shows its precision"
    assert page.locator("#timeline .precision", has_text="year").count() + \
        page.locator("#timeline .precision", has_text="decade").count() > 0
    phases = page.evaluate("JSON.parse(document.getElementById('dyad-data').textContent).phases")
    if phases:  # once the phase detection (api.phases) exists, each phase is a shaded band
        assert page.locator("#chart .shapelayer path").count() >= len(phases)
        assert page.locator("#phases > li").count() == len(phases)
    shoot(page, "dyad-rus-prk")
    assert not page.script_errors, page.script_errors


def test_clicking_an_event_shows_its_sources(page, demo_server):
    page.goto(f"{demo_server}/dyad?a=RUS&b=PRK")
    page.wait_for_selector("#chart[data-rendered=true]", timeout=30_000)
    # The event most sources report: the panel must show every one of them.
    buttons = page.locator("#timeline button.show-sources")
    counts = [int(buttons.nth(i).inner_text().split()[0]) for i in range(buttons.count())]
    best = counts.index(max(counts))
    item = page.locator("#timeline li.event").nth(best)
    item.locator("button.show-sources").click()
    sources = item.locator(".sources .source")
    sources.first.wait_for(timeout=10_000)
    assert sources.count() == max(counts) >= 1
    quoted = item.locator(".sources mark.reported").first.inner_text()
    assert len(quoted) > 20, "the reported sentence is shown"
    assert item.locator(".sources a[href^='/documents/']").count() == sources.count()
    item.scroll_into_view_if_needed()
    shoot(page, "dyad-event-sources")
    # The event's own page cites the same sentence.
    event_id = item.get_attribute("id").removeprefix("event-")
    page.goto(f"{demo_server}/events/{event_id}")
    assert quoted in page.locator("#mentions").inner_text()
    shoot(page, "event-page")
    assert not page.script_errors, page.script_errors


def test_conflicts_page_shows_both_sides_and_records_a_review(page, demo_server):
    page.goto(f"{demo_server}/conflicts")
    conflicts = page.locator("section.conflict")
    assert conflicts.count() > 0, "the demo corpus plants disagreements; none were shown"
    for index in range(conflicts.count()):
        sides = conflicts.nth(index).locator(".side")
        assert sides.count() >= 2
        assert sides.nth(0).locator("mark").count() and sides.nth(1).locator("mark").count()
        assert sides.nth(0).locator(".value").inner_text() != sides.nth(1).locator(".value").inner_text()
    shoot(page, "conflicts")
    first = conflicts.first
    first.locator(".review-note").fill("checked against the originals")
    first.locator(".review-button[data-status=confirmed]").click()
    first.locator(".review-result", has_text="saved").wait_for(timeout=10_000)
    page.reload()
    assert page.locator("section.conflict").first.locator(".status").inner_text() == "confirmed"
    assert page.locator("section.conflict").first.locator(".review-note").input_value() == \
        "checked against the originals"
    assert not page.script_errors, page.script_errors


def test_other_pages_render(page, demo_server):
    for path, selector, name in (("/", "#documents tbody tr", "overview"), ("/actors", "#actors tbody tr", "actors"),
                                 ("/search?q=summit&actor=RUS", "#hits li", "search")):
        page.goto(demo_server + path)
        assert page.locator(selector).count() > 0, path
        shoot(page, name)
    page.goto(demo_server + "/")
    page.locator("#documents a").first.click()
    page.wait_for_selector("#doc-text")
    for kind in ("m-actor", "m-date", "m-event"):
        assert page.locator(f"#doc-text .{kind}").count() > 0, kind
    shoot(page, "document")
    assert not page.script_errors, page.script_errors


def test_hostile_article_runs_nothing_in_the_browser(browser, hostile_ledger):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with running_server(hostile_ledger) as base:
        page.goto(base + "/")
        links = [page.locator("#documents a").nth(i).get_attribute("href")
                 for i in range(page.locator("#documents a").count())]
        assert len(links) == 2
        event_links = []
        for link in links:
            page.goto(base + link)
            assert page.evaluate("window.__pwned") is None
            text = page.locator("#doc-text").inner_text()
            event_links += [page.locator("a[href^='/events/']").nth(i).get_attribute("href")
                            for i in range(page.locator("a[href^='/events/']").count())]
            if "<script>" in text:  # the hostile words are shown as words
                assert "window.__pwned" in text
                shoot(page, "hostile-document")
            # Nothing from the article became an element: no img, no javascript: link, no extra script.
            assert page.locator("#doc-text *:not(span)").count() == 0
            assert page.locator("img").count() == 0
            assert page.locator("a[href^='javascript:' i]").count() == 0
            assert page.locator("script:not([src])").count() == page.locator("script[type='application/json']").count()
            # Clicking every marked run (where a link would be) does nothing either.
            for index in range(min(page.locator("#doc-text span[title]").count(), 40)):
                page.locator("#doc-text span[title]").nth(index).click()
            assert page.evaluate("window.__pwned") is None
        for path in ["/search?q=pwned", "/search?q=script", "/dyad?a=RUS&b=PRK", *event_links]:
            page.goto(base + path)
            if path.startswith("/dyad"):
                page.wait_for_selector("#chart[data-rendered=true]", timeout=30_000)
                for index in range(page.locator("button.show-sources").count()):
                    page.locator("button.show-sources").nth(index).click()
                page.wait_for_timeout(500)
            assert page.evaluate("window.__pwned") is None, path
        page.goto(base + "/search?q=pwned")
        assert page.locator("#hits li").count() > 0, "the hostile sentences are searchable"
        shoot(page, "hostile-search")
    assert not dialogs, f"an alert ran: {dialogs}"
    context.close()

"""Browser test: the coordinator of the demo municipality logs in and opens the results page."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def demo_server(tmp_path):
    from backend import create_app

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "e2e", "DEMO_MODE": True, "LOGIN_RATE_LIMIT": "1000 per minute"}
    )
    with app.app_context():
        from backend.cli import upgrade_schema
        from backend.programmes.seed import seed_programmes
        from backend.seed import seed_demo

        upgrade_schema()
        seed_demo()
        seed_programmes()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.mark.e2e
def test_results_page_for_demo_municipality(demo_server):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(demo_server + "/results")
        assert "/login" in page.url  # not logged in yet
        page.fill("#username", "tovholder.ahmed")
        page.fill("#password", "demo1234")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        page.goto(demo_server + "/results")
        scope = page.get_by_test_id("results-scope").inner_text()
        count = int(scope.split("dækker")[1].split("unge")[0])
        assert count >= 30
        monthly = page.get_by_test_id("table-monthly")  # months as columns, one row per measure
        active_row = monthly.locator('tbody tr[data-measure="Aktive"] td')
        assert active_row.count() == 12
        actives = [int(active_row.nth(i).inner_text()) for i in range(active_row.count())]
        assert sum(1 for a in actives if a > 0) >= 6  # at least six months with young people in the effort
        cohorts = page.get_by_test_id("table-cohorts").inner_text()
        assert "Unge på Toppen" in cohorts and "Målt" in cohorts
        assert page.locator("img.chart").count() >= 3
        assert page.locator("img.chart").first.evaluate("img => img.naturalWidth") > 0
        page.screenshot(path=str(SCREENSHOTS / "results_demo.png"), full_page=True)

        # bad filter input: a clear Danish message, the typed value kept, no 500
        page.fill("#f-from", "2026-13")
        page.get_by_role("button", name="Vis").click()
        page.wait_for_load_state()
        assert "ÅÅÅÅ-MM" in page.get_by_test_id("filter-error").inner_text()
        assert page.input_value("#f-from") == "2026-13"
        page.screenshot(path=str(SCREENSHOTS / "results_bad_filter.png"))

        page.goto(demo_server + "/programmes")
        assert page.get_by_test_id("programme").count() == 6
        page.screenshot(path=str(SCREENSHOTS / "programmes_catalogue.png"), full_page=True)
        browser.close()

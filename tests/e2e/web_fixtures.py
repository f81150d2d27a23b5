"""Fixtures for the caseworker pages' end-to-end tests: the demo municipality served by a real
HTTP server (werkzeug, in a thread, on 127.0.0.1 and a free port) and headless Chromium."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app, truncate_all

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo1234"


class WebServer:
    """create_app on the seeded database, served over real HTTP until stop()."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> WebServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(10)


@contextmanager
def served_demo(database_url, setup=None):
    """The demo municipality (backend.seed.seed_demo) behind a live server until the block ends;
    `setup(server)`, if given, runs in the app context after seeding (e.g. to look up ids)."""
    app = make_app(database_url, TRINVIS_DEMO=True, DEMO_MODE=True)
    truncate_all(app)
    server = WebServer(app)
    with app.app_context():
        from backend.extensions import db
        from backend.seed import seed_demo

        seed_demo()
        if setup is not None:
            setup(server)
        db.session.remove()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        with app.app_context():
            from backend.extensions import db

            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def demo_server(database_url):
    """The demo municipality behind a live server; fresh for each test."""
    with served_demo(database_url) as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """new_page() → a page in a fresh browser context (its own cookies), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        ctx = chromium.new_context(
            viewport={"width": width, "height": height}, locale="da-DK", timezone_id="Europe/Copenhagen"
        )
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def login(page, server: WebServer, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()


def shot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"web_{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path

"""Fixtures for the app's end-to-end tests: the real backend in-process (stoppable), app
processes (`python -m mobile_app`, one per phone, each with its own data dir), and Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "mobile_app"))

from app_server import LiveServer, build_app, database_url, free_port  # noqa: E402

SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def backend(tmp_path):
    app = build_app(database_url(tmp_path))
    server = LiveServer(app).start()
    server.flask_app = app
    yield server
    server.stop()


class AppProcess:
    """One phone: the Flet app in web mode with its own local store."""

    def __init__(self, data_dir: Path, server_url: str):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {
            **os.environ,
            "TRINVIS_DATA_DIR": str(data_dir),
            "TRINVIS_SERVER_URL": server_url,
            "TRINVIS_SYNC_INTERVAL": "2",
            "FLET_WEB_NO_CDN": "1",
        }
        self.log = open(data_dir / "app.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mobile_app", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.url, timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the app did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture
def phones(tmp_path, backend):
    started = []

    def start(name: str) -> AppProcess:
        d = tmp_path / name
        d.mkdir()
        app = AppProcess(d, backend.url)
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


# ---- driving Flutter's accessibility tree ---------------------------------------------


def open_app(browser, app: AppProcess):
    page = browser.new_page(viewport={"width": 412, "height": 915})
    page.goto(app.url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    return page


def type_in(page, ident: str, text: str) -> None:
    page.locator(f'[flt-semantics-identifier="{ident}"]').click()
    # Flutter moves focus to its hidden input a moment after the tap; typing earlier drops keys.
    page.wait_for_timeout(400)
    page.keyboard.type(text, delay=25)


def tap(page, name: str, exact: bool = True) -> None:
    page.get_by_role("button", name=name, exact=exact).first.click()


def tap_id(page, ident: str) -> None:
    page.locator(f'[flt-semantics-identifier="{ident}"]').first.click()


def tap_id_until(page, ident: str, text: str, tries: int = 3) -> None:
    """Tap until `text` shows, as a person taps again when a list redraws under their finger
    (a finished sync redraws the caseload; a tap landing in that moment is lost)."""
    for attempt in range(tries):
        tap_id(page, ident)
        try:
            see(page, text, timeout=10000)
            return
        except Exception:
            if attempt == tries - 1:
                raise


def see(page, text: str, timeout: float = 20000) -> None:
    try:
        # Text inside a Semantics container is exposed as its aria-label, not as text.
        page.get_by_text(text, exact=False).or_(page.locator(f'[aria-label*="{text}"]')).first.wait_for(timeout=timeout)
    except Exception:
        # Keep what the screen showed: the first thing anyone asks when an e2e test fails.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "app_failure.png"), full_page=True)
        raise


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"app_{name}.png"
    for _ in range(4):
        page.wait_for_timeout(1000)
        page.screenshot(path=str(path))
        # A frame caught while Flutter repaints is blank (a few KB); take it again.
        if path.stat().st_size > 15_000:
            break
    return path


def login(page, username: str) -> None:
    see(page, "Log ind én gang")
    type_in(page, "username", username)
    type_in(page, "password", "demo1234")
    tap(page, "Log ind")


PIN = "2580"


def choose_pin(page, pin: str = PIN) -> None:
    """The two PIN screens after the first login."""
    see(page, "Vælg en pinkode")
    type_in(page, "pin", pin)
    tap(page, "Næste")
    see(page, "Skriv pinkoden igen")
    type_in(page, "pin-repeat", pin)
    tap(page, "Gem pinkode")
    see(page, "Pinkoden er gemt.")


def unlock(page, pin: str = PIN) -> None:
    see(page, "Appen er låst")
    type_in(page, "unlock-pin", pin)
    tap(page, "Lås op")

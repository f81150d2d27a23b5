"""Two-factor login in real headless Chromium (issue 11): with TRINVIS_REQUIRE_2FA on, the demo
coordinator is sent to set it up at first login (QR code, recovery codes), and the next login asks
for the code. Screenshots: build/screenshots/web_2fa_*.png."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.conftest import make_app, truncate_all
from tests.e2e.web_fixtures import DEMO_PASSWORD, WebServer, chromium, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def server_2fa(database_url):
    """The demo municipality with two-factor login required (as in production)."""
    app = make_app(database_url, TRINVIS_DEMO=True, DEMO_MODE=True, REQUIRE_2FA=True)
    truncate_all(app)
    with app.app_context():
        from backend.extensions import db
        from backend.seed import seed_demo

        seed_demo()
        db.session.remove()
    server = WebServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        from backend.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_enrol_then_log_in_with_the_code(server_2fa, new_page):
    page = new_page()
    login(page, server_2fa, "tovholder.ahmed", DEMO_PASSWORD)
    assert page.url == server_2fa.url + "/konto/totp"
    assert page.get_by_role("heading", name="Sæt totrinsbekræftelse op").is_visible()
    qr = page.get_by_test_id("totp-qr").locator("svg")
    box = qr.bounding_box()
    assert box and box["width"] >= 200 and box["height"] >= 200  # big enough to scan
    shot(page, "2fa_setup")
    page.goto(server_2fa.url + "/")  # nothing else is open before the set-up is done
    assert "/konto/totp" in page.url or "/login" in page.url
    page.goto(server_2fa.url + "/konto/totp")
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Kode fra appen").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Slå totrinsbekræftelse til").click()
    assert page.get_by_role("alert").inner_text().startswith("Koden passer ikke")
    page.get_by_label("Kode fra appen").fill(totp.now())
    page.get_by_role("button", name="Slå totrinsbekræftelse til").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    shot(page, "2fa_recovery_codes")
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    assert page.url == server_2fa.url + "/"
    assert page.get_by_test_id("current-user").inner_text().startswith("Ahmed Hassan")

    page.get_by_role("button", name="Log ud").click()
    login(page, server_2fa, "tovholder.ahmed", DEMO_PASSWORD)
    assert page.url == server_2fa.url + "/login/kode"
    shot(page, "2fa_code")
    page.get_by_label("Kode").fill("123456" if totp.now() != "123456" else "654321")
    page.get_by_role("button", name="Fortsæt").click()
    assert page.get_by_role("alert").inner_text().startswith("Koden passer ikke")
    page.get_by_label("Kode").fill(totp.at(time.time() + 30))  # the set-up used this step's code
    page.get_by_role("button", name="Fortsæt").click()
    assert page.url == server_2fa.url + "/"
    assert page.get_by_test_id("current-user").is_visible()

    # a lost phone: a recovery code opens once
    other = new_page()
    login(other, server_2fa, "tovholder.ahmed", DEMO_PASSWORD)
    other.get_by_label("Kode").fill(codes[0])
    other.get_by_role("button", name="Fortsæt").click()
    assert other.url == server_2fa.url + "/"
    assert "gendannelseskode" in other.get_by_role("status").first.inner_text()


def test_mentor_logs_in_with_password_alone(server_2fa, new_page):
    page = new_page()
    login(page, server_2fa, "mentor.lise", DEMO_PASSWORD)
    assert page.url == server_2fa.url + "/"

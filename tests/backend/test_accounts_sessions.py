"""Issue 11, items 1–2: server-side web sessions, transport security settings, and `next`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.accounts.models import WebSession
from backend.extensions import db
from tests.backend.test_web_pages import Browser
from tests.backend.world import PASSWORD, build_world
from tests.conftest import make_app, truncate_all

COOKIE = "session"


def cookie_of(b: Browser) -> str:
    return b.client.get_cookie(COOKIE).value


def replay(app, cookie: str):
    """A new browser (an attacker) that presents a captured session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie)
    return thief


def sessions_of(app, user_id: str) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(WebSession).where(WebSession.user_id == user_id))
        db.session.remove()
        return n


def test_captured_cookie_is_dead_after_logout(app, w):
    b = Browser(app, "ahmed")
    captured = cookie_of(b)
    assert replay(app, captured).get("/").status_code == 200  # the cookie is the key while logged in
    assert b.post("/logout").status_code == 302
    r = replay(app, captured).get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert sessions_of(app, w.users["ahmed"]) == 0


def test_session_id_is_new_at_every_login(app, w):
    b = Browser(app, "ahmed")
    first = cookie_of(b)
    assert b.post("/login", {"username": "ahmed", "password": PASSWORD}).status_code == 302
    assert cookie_of(b) != first
    assert replay(app, first).get("/").status_code == 302  # the earlier id ended with the new login
    assert sessions_of(app, w.users["ahmed"]) == 1


def test_deactivation_and_password_change_end_sessions_at_once(app, w):
    lise_office, lise_home = Browser(app, "lise"), Browser(app, "lise")
    office, home = cookie_of(lise_office), cookie_of(lise_home)
    new = "Gul-Trappe-Oktober-93"
    r = lise_office.post(
        "/konto/adgangskode", {"old_password": PASSWORD, "new_password": new, "new_password_again": new}
    )
    assert r.status_code == 302
    assert replay(app, home).get("/").status_code == 302  # the other browser is logged out
    assert replay(app, office).get("/").status_code == 302  # this one went on under a new id …
    assert lise_office.get("/").status_code == 200  # … which the browser now holds
    from backend.accounts.lifecycle import deactivate, find_user

    with app.app_context():
        deactivate(find_user("lise"), None)
        db.session.remove()
    assert lise_office.get("/").status_code == 302
    assert sessions_of(app, w.users["lise"]) == 0


def test_expired_session_row_is_deleted(app, w, monkeypatch):
    from datetime import timedelta

    import backend.accounts.sessions as sessions

    b = Browser(app, "ahmed")
    later = sessions.utcnow() + timedelta(hours=13)  # past the 12-hour ceiling even if in use
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    assert b.get("/").status_code == 302
    assert sessions_of(app, w.users["ahmed"]) == 0


def test_production_profile_defaults(monkeypatch, tmp_path):
    from backend.config import from_env

    for k in ("TRINVIS_DEMO", "TRINVIS_ENV", "TRINVIS_REQUIRE_2FA", "TRINVIS_SECURE_COOKIES", "TRINVIS_HSTS"):
        monkeypatch.delenv(k, raising=False)
    prod = from_env(str(tmp_path))
    assert prod["TRINVIS_PROFILE"] == "production"
    assert prod["SESSION_COOKIE_SECURE"] and prod["HSTS"] and prod["REQUIRE_2FA"]
    assert prod["SESSION_COOKIE_HTTPONLY"] and prod["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert prod["RATELIMIT_STORAGE_URI"] == "trinvis-db://"
    monkeypatch.setenv("TRINVIS_DEMO", "1")
    demo = from_env(str(tmp_path))
    assert not (demo["SESSION_COOKIE_SECURE"] or demo["HSTS"] or demo["REQUIRE_2FA"])
    monkeypatch.delenv("TRINVIS_DEMO")
    monkeypatch.setenv("TRINVIS_ENV", "development")
    assert not from_env(str(tmp_path))["REQUIRE_2FA"]
    assert not from_env(str(tmp_path), profile_override="testing")["SESSION_COOKIE_SECURE"]
    assert not from_env(str(tmp_path), profile_override="demo")["REQUIRE_2FA"]


def test_production_cookie_flags_and_hsts(database_url):
    app = make_app(database_url, SESSION_COOKIE_SECURE=True, HSTS=True)
    truncate_all(app)
    build_world(app)
    c = app.test_client()
    r = c.get("/login", base_url="https://trinvis.example")
    assert "max-age=31536000" in r.headers["Strict-Transport-Security"]
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # behind the TLS proxy (X-Forwarded-Proto) too
    assert "Strict-Transport-Security" in c.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"}).headers
    # and none of it in the test/demo profile
    plain = make_app(database_url)
    r = plain.test_client().get("/login", base_url="https://trinvis.example")
    assert "Strict-Transport-Security" not in r.headers and "Secure" not in r.headers["Set-Cookie"]


EVIL_NEXT = [
    "//evil.example/x",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r/evil.example/x",
    "\t//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%09/evil.example/x",
    "/%0a/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%252F%252Fevil.example",
    "/%2509/evil.example",
    " /evil",
    "evil.example",
    "/\x00x",
]
EVIL_QUERY = [
    "next=/%09/evil.example/x",
    "next=%2F%2Fevil.example",
    "next=/%5Cevil.example",
    "next=%5C%5Cevil.example",
    "next=/%0d%0a/evil.example",
    "next=/%252F/evil.example",
    "next=%09/%2Fevil.example",
]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_next_stays_on_site_after_login(app, w, target):
    b = Browser(app)
    r = b.client.post(
        "/login", data={"csrf_token": b.csrf(), "username": "ahmed", "password": PASSWORD, "next": target}
    )
    assert r.status_code == 302 and r.headers["Location"] == "/", (target, r.headers["Location"])


@pytest.mark.parametrize("query", EVIL_QUERY)
def test_next_in_the_query_string_stays_on_site(app, w, query):
    """The issue's case: GET /login?next=/%09/evil.example/x of a logged-in user redirected off site."""
    b = Browser(app, "ahmed")
    r = b.client.get("/login?" + query)
    assert r.status_code == 302 and r.headers["Location"] == "/", (query, r.headers["Location"])


@pytest.mark.parametrize("target", ["/youth/abc?tab=plan", "/results?from=2026-01", "/programmes/new", "/youth/a%20b"])
def test_local_next_is_kept(app, w, target):
    b = Browser(app)
    r = b.client.post(
        "/login", data={"csrf_token": b.csrf(), "username": "ahmed", "password": PASSWORD, "next": target}
    )
    assert r.headers["Location"] == target

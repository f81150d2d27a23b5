"""Issue 11, item 3: password policy, deactivate/reactivate, one-time reset links, the admin page,
and two-factor login (TOTP, recovery codes) on the web and the API."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog
from tests.backend.test_cli import cli, failed, ok  # noqa: F401 - the CLI fixture
from tests.backend.test_web_pages import Browser
from tests.backend.world import PASSWORD, build_world
from tests.conftest import make_app, truncate_all

NEW = "Blaa-Cykel-Regnvejr-47"
LINK = re.compile(r"(/adgangskode/[A-Za-z0-9_-]{20,})")


def api_login(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/login", json={"username": username, "password": password, "device_name": "telefon", **extra}
    )


def pull(client, token):
    return client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).status_code


# ---- password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, role, phrase",
    [
        ("password", "mentor", "mindst 12 tegn"),
        ("12345678", "youth", "for let at gætte"),
        ("123456789012", "coordinator", "for let at gætte"),
        ("ahmedahmed2026", "coordinator", "for let at gætte"),
        ("kort", "youth", "mindst 8 tegn"),
    ],
)
def test_weak_passwords_are_refused_in_danish(app, password, role, phrase):
    from backend.accounts.policy import WeakPassword, check_password

    with pytest.raises(WeakPassword, match=phrase):
        check_password(password, role, ("ahmed", "Ahmed"))
    check_password(NEW, role, ("ahmed", "Ahmed"))


def test_change_own_password_refuses_weak_and_wrong(app, w):
    b = Browser(app, "ahmed")
    r = b.post(
        "/konto/adgangskode", {"old_password": PASSWORD, "new_password": "12345678", "new_password_again": "12345678"}
    )
    assert r.status_code == 400 and "mindst 12 tegn" in r.text
    r = b.post("/konto/adgangskode", {"old_password": "forkert", "new_password": NEW, "new_password_again": NEW})
    assert r.status_code == 400 and "nuværende adgangskode er forkert" in r.text
    r = b.post("/konto/adgangskode", {"old_password": PASSWORD, "new_password": NEW, "new_password_again": NEW})
    assert r.status_code == 302
    assert Browser(app).login("ahmed").status_code == 401
    assert Browser(app).login("ahmed", NEW).status_code == 302


# ---- lifecycle through the CLI -----------------------------------------------------------------


def test_deactivate_revokes_every_token_and_session_and_reactivate(app, client, cli, w):
    token = api_login(client, "lise").get_json()["token"]
    web = Browser(app, "lise")
    out = ok(cli("deactivate-user", "lise"))
    assert "1 browser-session" in out and "1 enhed" in out
    assert pull(client, token) == 401 and web.get("/").status_code == 302
    assert api_login(client, "lise").status_code == 401
    assert Browser(app).login("lise").status_code == 401
    ok(cli("reactivate-user", "lise"))
    assert pull(client, token) == 401  # old tokens stay revoked
    assert api_login(client, "lise").status_code == 200
    failed(cli("deactivate-user", "ukendt"), "findes ikke")


def test_reset_password_link_is_one_time(app, client, cli, w):
    token = api_login(client, "karen").get_json()["token"]
    out = ok(cli("reset-password", "karen"))
    path = LINK.search(out).group(1)
    b = Browser(app)
    r = b.client.get(path)
    assert r.status_code == 302 and r.headers["Location"] == "/adgangskode/ny"
    page = b.client.get("/adgangskode/ny").text
    assert "Karen" in page
    tok = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = b.client.post(
        "/adgangskode/ny",
        data={"csrf_token": tok, "new_password": "password1234", "new_password_again": "password1234"},
    )
    assert r.status_code == 400 and "for let at gætte" in r.text
    assert api_login(client, "karen").status_code == 200  # the old password works until a new one is set
    r = b.client.post("/adgangskode/ny", data={"csrf_token": tok, "new_password": NEW, "new_password_again": NEW})
    assert r.status_code == 200 and 'data-testid="reset-done"' in r.text
    assert api_login(client, "karen").status_code == 401 and api_login(client, "karen", NEW).status_code == 200
    assert pull(client, token) == 401  # what the old password opened is closed
    again = Browser(app)
    again.client.get(path)
    assert again.client.get("/adgangskode/ny").status_code == 404  # used
    assert Browser(app).client.get("/adgangskode/" + "x" * 43).status_code == 302
    with app.app_context():
        actions = [a.action for a in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
        assert "password_reset_link" in actions and "password_reset" in actions
        db.session.remove()


def test_create_user_invite_has_no_known_password(app, client, cli, w):
    out = ok(cli("create-user", "ny.mentor", "--role", "mentor", "--org", "Jobcenter", "--invite"))
    assert LINK.search(out)
    failed(
        cli("create-user", "ny.to", "--role", "mentor", "--org", "Jobcenter", "--password-stdin", input="password\n"),
        "mindst 12 tegn",
    )


# ---- the admin page ----------------------------------------------------------------------------


def test_admin_page_creates_deactivates_and_resets(app, client, w):
    admin = Browser(app, "admin")
    page = admin.get("/admin/brugere")
    assert page.status_code == 200 and "lise" in page.text
    r = admin.post(
        "/admin/brugere", {"username": "ny.partner", "display_name": "Ny Partner", "role": "partner", "org": "UU"}
    )
    assert r.status_code == 200 and 'data-testid="reset-link"' in r.text
    assert LINK.search(r.text)
    r = admin.post("/admin/brugere", {"username": "x", "role": "partner", "org": ""})
    assert r.status_code == 400 and "organisation" in r.text
    lise_web = Browser(app, "lise")
    lise_phone = api_login(client, "lise").get_json()["token"]
    r = admin.post(f"/admin/brugere/{w.users['lise']}/deaktiver")
    assert r.status_code == 302
    assert "deaktiveret" in admin.get("/admin/brugere").text
    assert lise_web.get("/").status_code == 302 and pull(client, lise_phone) == 401
    admin.post(f"/admin/brugere/{w.users['lise']}/genaktiver")
    assert api_login(client, "lise").status_code == 200
    r = admin.post(f"/admin/brugere/{w.users['lise']}/adgangskode")
    assert LINK.search(r.text)
    assert admin.post(f"/admin/brugere/{w.users['admin']}/deaktiver").status_code == 302  # refused, flashed
    assert Browser(app).login("admin").status_code == 302  # still active
    # staff may not use the admin page
    r = Browser(app, "ahmed").get("/admin/brugere")
    assert r.status_code == 403 and "lise" not in r.text
    assert Browser(app).get("/admin/brugere").status_code == 302


# ---- two-factor login --------------------------------------------------------------------------


def half_logged_in(app, username: str) -> Browser:
    """A browser that gave the right password and now sees the code page (its CSRF token taken there)."""
    b = Browser(app)
    r = b.login(username)
    assert r.status_code == 302 and r.headers["Location"] == "/login/kode"
    b.token = re.search(r'name="csrf_token" value="([^"]+)"', b.get("/login/kode").text).group(1)
    return b


def secret_of(html: str) -> str:
    return re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', html).group(1)


def enrol(b: Browser) -> tuple[str, list[str]]:
    page = b.get("/konto/totp")
    assert page.status_code == 200 and "<svg" in page.text
    secret = secret_of(page.text)
    r = b.post("/konto/totp", {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert r.status_code == 400 and "Koden passer ikke" in r.text
    r = b.post("/konto/totp", {"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>", r.text)
    assert len(codes) == 10
    return secret, codes


def next_code(secret: str) -> str:
    """The next 30-second step's code (a step's code is accepted once; this one is still unused)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_totp_enrolment_then_login_needs_the_code(app, client, w):
    b = Browser(app, "karen")
    secret, codes = enrol(b)
    b2 = half_logged_in(app, "karen")
    assert b2.get("/").status_code == 302  # half logged in: no case pages
    assert b2.post("/login/kode", {"code": "123456"}).status_code == 401
    r = b2.post("/login/kode", {"code": next_code(secret)})
    assert r.status_code == 302 and b2.get("/").status_code == 200
    # a recovery code works once
    b3 = half_logged_in(app, "karen")
    assert b3.post("/login/kode", {"code": codes[0].upper()}).status_code == 302
    b4 = half_logged_in(app, "karen")
    assert b4.post("/login/kode", {"code": codes[0]}).status_code == 401
    # the API asks for the code too
    r = api_login(client, "karen")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "two_factor_required"
    assert api_login(client, "karen", otp="000000").get_json()["error"]["code"] == "invalid_otp"
    assert api_login(client, "karen", otp=codes[1]).status_code == 200


def test_required_2fa_forces_enrolment_for_coordinators_not_mentors(database_url):
    app = make_app(database_url, REQUIRE_2FA=True)
    truncate_all(app)
    build_world(app)
    b = Browser(app)
    r = b.login("ahmed")
    assert r.status_code == 302 and r.headers["Location"] == "/konto/totp"
    assert b.get("/").status_code == 302  # nothing before the set-up is done
    page = b.get("/konto/totp").text
    b.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = b.post("/konto/totp", {"code": pyotp.TOTP(secret_of(page)).now()})
    assert r.status_code == 200 and b.get("/").status_code == 200
    client = app.test_client()
    r = api_login(client, "peter")  # a partner who has not set it up cannot get a token either
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "two_factor_setup_required"
    assert Browser(app).login("lise").headers["Location"] == "/"  # mentors: password only
    assert api_login(client, "lise").status_code == 200
    assert api_login(client, "mads").status_code == 200  # young people use the app without it


def test_reset_2fa_by_cli(app, cli, w):
    b = Browser(app, "karen")
    enrol(b)
    out = ok(cli("reset-2fa", "karen"))
    assert "nulstillet" in out
    assert b.get("/").status_code == 302  # sessions ended
    assert Browser(app).login("karen").headers["Location"] == "/"  # no code asked (2FA off in tests)

"""Two-factor login on the phone: the password alone asks for the code; a wrong code says so;
the right TOTP code (or a recovery code) logs in. Real backend (demo municipality) on a local
port; the user's TOTP is set up through backend.accounts.twofactor and codes come from pyotp.
"""

from __future__ import annotations

import time

import pyotp
import pytest
from app_flet_harness import all_text, new_session, tap, text_field, type_into
from app_server import FAST_RETRY

from mobile_app.core import ApiError, AppCore, SecondFactorNeeded, ValidationFailed, WrongSecondFactor
from mobile_app.ui.app import TrinvisApp
from tests.app_lock_params import FAST_KDF, TEST_PIN

COORDINATOR = "tovholder.ahmed"
PASSWORD = "demo1234"


def enrol(server, username: str) -> tuple[str, list[str]]:
    """Turn TOTP on for `username` as the web enrolment does; returns the secret and recovery codes."""
    from sqlalchemy import select

    from backend.accounts import twofactor
    from backend.extensions import db
    from backend.models import User

    with server.flask_app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        secret = twofactor.pending_secret(user)
        # The previous 30 s step: the current one stays unused for the login below.
        codes = twofactor.confirm_enrolment(user, pyotp.TOTP(secret).at(time.time() - 30))
        assert codes
        db.session.commit()
    return secret, codes


def wrong_code(secret: str) -> str:
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def phone(tmp_path, server, name: str = "phone") -> AppCore:
    return AppCore(tmp_path / f"{name}.sqlite", server_url=server.url, client_options=FAST_RETRY, kdf=FAST_KDF)


def test_password_alone_asks_for_the_code_then_wrong_then_right(tmp_path, backend_server):
    secret, _ = enrol(backend_server, COORDINATOR)
    core = phone(tmp_path, backend_server)
    with pytest.raises(SecondFactorNeeded) as need:
        core.login(COORDINATOR, PASSWORD)
    assert not isinstance(need.value, WrongSecondFactor)
    assert need.value.message == "Skriv koden fra din godkendelses-app."
    assert not core.logged_in
    with pytest.raises(ValidationFailed):
        core.login(COORDINATOR, PASSWORD, otp="  ")
    with pytest.raises(WrongSecondFactor) as wrong:
        core.login(COORDINATOR, PASSWORD, otp=wrong_code(secret))
    assert wrong.value.message == "Forkert kode – prøv igen."
    assert not core.logged_in
    with pytest.raises(ApiError) as bad_password:  # a wrong password is still just that
        core.login(COORDINATOR, "forkert1234", otp=pyotp.TOTP(secret).now())
    assert bad_password.value.code == "invalid_credentials"
    user = core.login(COORDINATOR, PASSWORD, otp=pyotp.TOTP(secret).now())
    assert user["username"] == COORDINATOR and core.logged_in and core.needs_pin
    core.choose_pin(TEST_PIN)
    assert core.sync().pulled > 0  # the token works
    core.store.close()


def test_recovery_code_logs_in_once(tmp_path, backend_server):
    _, codes = enrol(backend_server, COORDINATOR)
    first = phone(tmp_path, backend_server, "a")
    assert first.login(COORDINATOR, PASSWORD, otp=codes[0].upper())["username"] == COORDINATOR
    second = phone(tmp_path, backend_server, "b")
    with pytest.raises(WrongSecondFactor):  # used up
        second.login(COORDINATOR, PASSWORD, otp=codes[0])
    first.store.close()
    second.store.close()


def test_required_but_not_set_up_says_use_a_browser(tmp_path, backend_server):
    backend_server.flask_app.config["REQUIRE_2FA"] = True
    core = phone(tmp_path, backend_server)
    with pytest.raises(ApiError) as exc:
        core.login(COORDINATOR, PASSWORD)
    assert exc.value.code == "two_factor_setup_required" and "browser" in exc.value.message
    assert not isinstance(exc.value, SecondFactorNeeded)
    core.store.close()


@pytest.mark.anyio
async def test_login_screen_asks_for_the_code_on_its_own_screen(tmp_path, backend_server):
    secret, _ = enrol(backend_server, COORDINATOR)
    core = phone(tmp_path, backend_server)
    session = await new_session()
    app = TrinvisApp(session.page, core)
    app.start()
    page = session.page
    type_into(session, page, "Brugernavn", COORDINATOR)
    type_into(session, page, "Adgangskode", PASSWORD)
    await tap(session, page, "Log ind")
    text = all_text(page)
    assert "Skriv koden fra din godkendelses-app." in text
    assert "Forkert brugernavn eller adgangskode" not in text
    field = text_field(page, "Kode")  # one field on this screen, the number keyboard
    assert field.keyboard_type == "number" or str(field.keyboard_type).endswith("NUMBER")
    assert field.max_length == 6
    type_into(session, page, "Kode", wrong_code(secret))
    await tap(session, page, "Log ind")
    assert "Forkert kode – prøv igen" in all_text(page)
    assert not core.logged_in and text_field(page, "Kode").value == ""
    type_into(session, page, "Kode", pyotp.TOTP(secret).now())
    await tap(session, page, "Log ind")
    assert core.logged_in
    assert "Vælg nu en pinkode" in all_text(page)  # the PIN step follows as for any login
    app.closed = True
    core.store.close()


@pytest.mark.anyio
async def test_code_screen_takes_a_recovery_code(tmp_path, backend_server):
    _, codes = enrol(backend_server, COORDINATOR)
    core = phone(tmp_path, backend_server)
    session = await new_session()
    app = TrinvisApp(session.page, core)
    app.start()
    page = session.page
    type_into(session, page, "Brugernavn", COORDINATOR)
    type_into(session, page, "Adgangskode", PASSWORD)
    await tap(session, page, "Log ind")
    await tap(session, page, "Jeg har ikke min telefon")
    assert "Skriv en af dine gendannelseskoder" in all_text(page)
    type_into(session, page, "Gendannelseskode", codes[1])
    await tap(session, page, "Log ind")
    assert core.logged_in and "Vælg nu en pinkode" in all_text(page)
    app.closed = True
    core.store.close()

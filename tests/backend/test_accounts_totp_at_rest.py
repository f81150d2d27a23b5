"""TOTP secrets are stored encrypted (backend/accounts/fieldcrypt.py): the database holds no secret,
logins with a code still work, keys rotate, a wrong key refuses the login in Danish (never a 500)."""

from __future__ import annotations

import base64

import pyotp
import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text

from backend import create_app
from backend.accounts.fieldcrypt import derived_key, effective_keys
from backend.extensions import db
from backend.models import AuditLog
from tests.backend.test_accounts_lifecycle import api_login, enrol, half_logged_in, next_code
from tests.backend.test_web_pages import Browser
from tests.backend.world import build_world
from tests.conftest import make_app, truncate_all

K1, K2, K3 = (Fernet.generate_key().decode() for _ in range(3))


def stored(app) -> list[str]:
    """The raw column, as someone with a copy of the database would read it."""
    with app.app_context():
        rows = db.session.execute(text("SELECT encrypted_secret FROM totp_credential")).scalars().all()
        db.session.remove()
    return list(rows)


def keyed(database_url, *keys: str):
    return make_app(database_url, FIELD_ENCRYPTION_KEYS=",".join(keys))


def test_the_database_holds_no_secret_and_the_code_still_logs_in(app, client, w):
    secret, codes = enrol(Browser(app, "karen"))
    [value] = stored(app)
    raw = base64.b32decode(secret)
    assert secret not in value and secret.lower() not in value and raw.hex() not in value
    assert Fernet(derived_key("test-secret")).decrypt(value.encode()).decode() == secret  # tests: from SECRET_KEY
    assert api_login(client, "karen", otp=next_code(secret)).status_code == 200
    assert half_logged_in(app, "karen").post("/login/kode", {"code": codes[0]}).status_code == 302


def test_key_rotation_first_key_encrypts_all_decrypt(database_url):
    old = keyed(database_url, K1)
    truncate_all(old)
    build_world(old)
    secret, _ = enrol(Browser(old, "karen"))
    both = keyed(database_url, K2, K1)
    assert api_login(both.test_client(), "karen", otp=next_code(secret)).status_code == 200  # K1 still decrypts
    runner = both.test_cli_runner()
    with both.app_context():
        result = runner.invoke(args=["rotate-field-key"])
        db.session.remove()
    assert result.exit_code == 0 and "1 TOTP-hemmelighed" in result.output
    [value] = stored(both)
    assert Fernet(K2).decrypt(value.encode()).decode() == secret
    with pytest.raises(InvalidToken):
        Fernet(K1).decrypt(value.encode())
    new_only = keyed(database_url, K2)
    with new_only.app_context():  # forget the used step, so the current code counts once more
        db.session.execute(text("UPDATE totp_credential SET last_step = 0"))
        db.session.commit()
    r = api_login(new_only.test_client(), "karen", otp=pyotp.TOTP(secret).now())
    assert r.status_code == 200


def test_a_wrong_key_refuses_the_login_in_danish_and_says_why(database_url):
    good = keyed(database_url, K1)
    truncate_all(good)
    build_world(good)
    secret, codes = enrol(Browser(good, "karen"))
    wrong = keyed(database_url, K3)
    r = api_login(wrong.test_client(), "karen", otp=next_code(secret))
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "two_factor_unavailable"
    assert "gendannelseskode" in r.get_json()["error"]["message"]
    page = half_logged_in(wrong, "karen").post("/login/kode", {"code": next_code(secret)})
    assert page.status_code == 503 and "administrator" in page.text
    with wrong.app_context():
        details = db.session.scalars(select(AuditLog.detail).where(AuditLog.action == "login_failed")).all()
        db.session.remove()
    assert sum("TRINVIS_FIELD_KEYS" in d for d in details) == 2
    # a recovery code is a hash, not encrypted: it still lets the user in
    assert api_login(wrong.test_client(), "karen", otp=codes[0]).status_code == 200
    # a wrong 6-digit code with the right key is still just a wrong code
    assert api_login(good.test_client(), "karen", otp="000000").get_json()["error"]["code"] == "invalid_otp"


def test_a_pending_secret_under_a_lost_key_is_replaced(database_url):
    old = keyed(database_url, K1)
    truncate_all(old)
    build_world(old)
    first = Browser(old, "karen").get("/konto/totp")
    assert first.status_code == 200
    fresh = keyed(database_url, K3)
    secret, _ = enrol(Browser(fresh, "karen"))  # the set-up page shows a new secret and confirms it
    assert Fernet(K3).decrypt(stored(fresh)[0].encode()).decode() == secret


def test_production_needs_the_key_and_a_bad_key_stops_the_start(database_url, monkeypatch):
    monkeypatch.delenv("TRINVIS_FIELD_KEYS", raising=False)
    with pytest.raises(RuntimeError, match="TRINVIS_FIELD_KEYS mangler"):
        effective_keys({"TRINVIS_PROFILE": "production", "SECRET_KEY": "x", "FIELD_ENCRYPTION_KEYS": ""})
    for profile in ("demo", "development", "testing"):
        assert effective_keys({"TRINVIS_PROFILE": profile, "SECRET_KEY": "x"}) == (derived_key("x"),)
    assert effective_keys({"TRINVIS_PROFILE": "production", "FIELD_ENCRYPTION_KEYS": f" {K1}, ,{K2}"}) == (K1, K2)
    with pytest.raises(RuntimeError, match="nøgle nr. 2"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "FIELD_ENCRYPTION_KEYS": f"{K1},nope"})
    monkeypatch.setenv("TRINVIS_ENV", "production")
    monkeypatch.delenv("TRINVIS_DEMO", raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    with pytest.raises(RuntimeError, match="TRINVIS_FIELD_KEYS"):
        create_app()
    monkeypatch.setenv("TRINVIS_FIELD_KEYS", K1)
    assert create_app().config["FIELD_ENCRYPTION_KEYS"] == K1

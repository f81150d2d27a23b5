"""Issue 11, item 4: the login throttle per address and per account, in the database, with
Retry-After and a Danish message (web) or a JSON error (API)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from backend.accounts.models import RateLimitCounter
from backend.extensions import db
from tests.backend.world import PASSWORD, build_world
from tests.conftest import make_app, truncate_all

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def limited(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="1000 per minute", LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    truncate_all(app)
    build_world(app)
    return app


def web_attempt(app, username, password="forkert-kode", addr="10.0.0.1"):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = addr
    token = TOKEN.search(c.get("/login").text).group(1)
    return c.post("/login", data={"csrf_token": token, "username": username, "password": password})


def api_attempt(app, username, password="forkert-kode", addr="10.0.0.1"):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = addr
    return c.post("/api/v1/auth/login", json={"username": username, "password": password, "device_name": "x"})


def test_per_account_limit_holds_across_addresses_and_channels(limited):
    # three guesses from three addresses and both channels use up the account's allowance …
    assert web_attempt(limited, "ahmed", addr="10.0.0.1").status_code == 401
    assert api_attempt(limited, "AHMED", addr="10.0.0.2").status_code == 401
    assert web_attempt(limited, "ahmed ", addr="10.0.0.3").status_code == 401
    # … so the fourth is refused wherever it comes from, even with the right password
    r = web_attempt(limited, "ahmed", PASSWORD, addr="10.0.0.4")
    assert r.status_code == 429
    seconds = int(r.headers["Retry-After"])
    assert 1 <= seconds <= 61  # the window is a minute (rounded up)
    assert re.search(r"For mange forsøg på at logge ind\. Vent \d+ sekunder og prøv igen\.", r.text)
    assert 'id="username"' in r.text  # the login page itself, in Danish
    r = api_attempt(limited, "ahmed", PASSWORD, addr="10.0.0.5")
    body = r.get_json()
    assert r.status_code == 429 and body["error"]["code"] == "rate_limited"
    assert "Vent" in body["error"]["message"] and 1 <= body["error"]["details"]["retry_after"] <= 61
    assert int(r.headers["Retry-After"]) >= 1
    # another account is not affected
    assert web_attempt(limited, "karen", PASSWORD, addr="10.0.0.4").status_code == 302


def test_per_address_limit(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="4 per minute", LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute")
    truncate_all(app)
    build_world(app)
    codes = [web_attempt(app, name, addr="10.9.9.9").status_code for name in ("a", "b", "c", "d", "e")]
    assert codes == [401, 401, 401, 401, 429]
    assert web_attempt(app, "ahmed", PASSWORD, addr="10.9.9.8").status_code == 302


def test_counts_are_rows_in_the_database(limited):
    web_attempt(limited, "ahmed")
    with limited.app_context():
        keys = db.session.scalars(select(RateLimitCounter.key)).all()
        assert any("user:ahmed" in k and "login-account" in k for k in keys), keys
        assert any("10.0.0.1" in k and "login-address" in k for k in keys), keys
        assert db.session.scalar(select(func.max(RateLimitCounter.count))) == 1
        db.session.remove()


def test_second_factor_step_counts_against_the_account(database_url):
    """Guessing the 6-digit code is throttled per account like guessing the password."""
    import pyotp

    from tests.backend.test_accounts_lifecycle import half_logged_in
    from tests.backend.test_web_pages import Browser

    app = make_app(database_url, LOGIN_RATE_LIMIT="1000 per minute", LOGIN_ACCOUNT_RATE_LIMIT="4 per minute")
    truncate_all(app)
    build_world(app)
    b = Browser(app, "karen")  # 1
    page = b.get("/konto/totp").text
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert b.post("/konto/totp", {"code": pyotp.TOTP(secret).now()}).status_code == 200
    guesser = half_logged_in(app, "karen")  # 2
    assert guesser.post("/login/kode", {"code": "000001"}).status_code == 401  # 3
    assert guesser.post("/login/kode", {"code": "000002"}).status_code == 401  # 4
    r = guesser.post("/login/kode", {"code": "000003"})
    assert r.status_code == 429 and "Retry-After" in r.headers and "For mange forsøg" in r.text


def test_redis_storage_is_used_when_configured(database_url):
    """RATELIMIT_STORAGE_URI=redis://… hands the counts to Flask-Limiter's Redis storage."""
    pytest.importorskip("redis")
    app = make_app(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    from backend.extensions import limiter

    assert type(limiter.storage).__name__ == "RedisStorage"
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")

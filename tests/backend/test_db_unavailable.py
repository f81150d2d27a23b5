"""A database that cannot be reached: 503 + Retry-After everywhere, a Danish page, health says down.

The unreachable database is real: a PostgreSQL URL on a loopback port nobody listens on (the
driver gets "connection refused", as while PostgreSQL restarts). A database that drops in the
middle of a push is the driver's error as psycopg raises it (tests/fire/test_pg_restart.py does
it for real with its own PostgreSQL cluster).
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from backend.dbhealth import DatabaseUnavailable, engine_options, is_unavailable
from shared import SCHEMA_VERSION
from tests.conftest import make_app
from tests.fire.harness import LiveServer, free_port


@pytest.fixture(scope="module")
def dead_db_app():
    return make_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere")


def _dropped(sqlstate_error: Exception, invalidated: bool = False) -> OperationalError:
    return OperationalError("SELECT 1", {}, sqlstate_error, connection_invalidated=invalidated)


def test_api_answers_503_with_retry_after_and_json(dead_db_app):
    c = dead_db_app.test_client()
    for method, path, kw in (
        ("post", "/api/v1/auth/login", {"json": {"username": "x", "password": "y", "device_name": "t"}}),
        ("get", "/api/v1/sync/pull", {"headers": {"Authorization": "Bearer abc"}}),
        (
            "post",
            "/api/v1/sync/push",
            {"headers": {"Authorization": "Bearer abc"}, "json": {"device_id": "d", "mutations": []}},
        ),
        ("get", "/api/v1/auth/me", {"headers": {"Authorization": "Bearer abc"}}),
    ):
        r = getattr(c, method)(path, **kw)
        assert r.status_code == 503, (path, r.status_code, r.data[:300])
        assert r.headers["Retry-After"] == "10"
        assert r.get_json()["error"]["code"] == "unavailable"
        assert "midlertidigt utilgængelig" in r.get_json()["error"]["message"]


def test_web_pages_answer_a_danish_503_page(dead_db_app):
    c = dead_db_app.test_client()
    for path in ("/", "/login", "/conflicts"):
        r = c.get(path)
        assert r.status_code == 503, (path, r.status_code)
        assert r.headers["Retry-After"] == "10"
        page = r.get_data(as_text=True)
        assert "Serveren er midlertidigt utilgængelig" in page
        assert "Traceback" not in page and "psycopg" not in page


def test_health_reports_the_database_down(dead_db_app):
    r = dead_db_app.test_client().get("/api/v1/health")
    assert r.status_code == 503
    body = r.get_json()
    assert body["status"] == "unavailable" and body["database"] == "down"
    assert r.headers["Retry-After"]


def test_openapi_needs_no_database(dead_db_app):
    assert dead_db_app.test_client().get("/api/v1/openapi.json").status_code == 200


def test_which_errors_mean_the_database_is_gone():
    import sqlite3

    assert is_unavailable(_dropped(psycopg.OperationalError("server closed the connection unexpectedly")))
    assert is_unavailable(_dropped(psycopg.errors.AdminShutdown("terminating connection")))
    assert is_unavailable(_dropped(psycopg.errors.CannotConnectNow("the database system is starting up")))
    assert is_unavailable(_dropped(sqlite3.OperationalError("x"), invalidated=True))
    # busy, not gone: the push's own retry and 409 stay for these
    assert not is_unavailable(_dropped(psycopg.errors.SerializationFailure("could not serialize")))
    assert not is_unavailable(_dropped(psycopg.errors.LockNotAvailable("lock timeout")))
    assert not is_unavailable(_dropped(sqlite3.OperationalError("database is locked")))
    assert not is_unavailable(ValueError("x"))


def test_engine_options_ping_postgresql_only():
    assert engine_options("postgresql+psycopg://x@h/db")["pool_pre_ping"] is True
    assert engine_options("sqlite:///x.sqlite") == {}


def test_a_push_whose_connection_drops_is_503_not_busy(app, monkeypatch):
    """The token check passed, then the database went away: 503 "try later", not 409 "busy"."""
    from backend.sync import push as push_mod
    from tests.backend.world import Api, build_world

    build_world(app)
    client = app.test_client()
    api = Api(client, "lise")
    calls = []

    def dropped(*a, **kw):
        calls.append(1)
        raise _dropped(psycopg.OperationalError("server closed the connection unexpectedly"))

    monkeypatch.setattr(push_mod, "_push_once", dropped)
    r = client.post(
        "/api/v1/sync/push",
        headers=api.headers,
        json={"device_id": "d", "schema_version": SCHEMA_VERSION, "mutations": []},
    )
    assert r.status_code == 503 and r.headers["Retry-After"] == "10", r.get_data(as_text=True)
    assert r.get_json()["error"]["code"] == "unavailable"
    assert len(calls) == 2  # one more try on a fresh connection, then 503


def test_the_app_says_the_server_is_temporarily_unavailable(tmp_path, app, dead_db_app):
    """The app core against the real backend whose database is down: try later, and say so."""
    from mobile_app.core import AppCore, ServerUnavailable
    from tests.app_lock_params import FAST_KDF, TEST_PIN
    from tests.backend.world import PASSWORD, build_world

    build_world(app)
    good, down = LiveServer(app).start(), LiveServer(dead_db_app).start(check=False)
    try:
        options = {"attempts": 2, "timeout": 10, "max_wait": 0.01}
        fresh = AppCore(
            tmp_path / "new.sqlite", server_url=down.url, client_options=options, durable=False, kdf=FAST_KDF
        )
        with pytest.raises(ServerUnavailable) as exc:
            fresh.login("lise", PASSWORD)
        assert "midlertidigt utilgængelig" in exc.value.message and exc.value.retry_after == 10
        fresh.store.close()
        # A phone that logged in earlier; then the server's database goes down.
        core = AppCore(
            tmp_path / "phone.sqlite", server_url=good.url, client_options=options, durable=False, kdf=FAST_KDF
        )
        core.login("lise", PASSWORD)
        core.choose_pin(TEST_PIN)
        assert core.sync() is not None
        core.store.set_meta("server_url", down.url)
        assert core.sync() is None  # fails softly: the status says why
        st = core.status()
        assert st.online is False and st.message.startswith("Serveren er midlertidigt utilgængelig"), st.message
        core.store.close()
    finally:
        good.stop()
        down.stop()


def test_database_unavailable_is_raised_after_bounded_retries(dead_db_app):
    from backend.dbhealth import connect_first
    from backend.extensions import db

    with dead_db_app.app_context():
        with pytest.raises(DatabaseUnavailable):
            connect_first(db.session)
        db.session.remove()

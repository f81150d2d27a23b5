"""Fixtures for the fire tests: the real backend on a loopback port (werkzeug, or gunicorn -w 3 on
PostgreSQL) and app cores ("devices") behind a fault-injecting transport."""

from __future__ import annotations

import pytest

from tests.fire.harness import FireDevice, LiveServer, build_fire_world


@pytest.fixture(scope="session")
def fast_commits(database_url):
    """On PostgreSQL, commits of this throw-away test database need not wait for the disk
    (synchronous_commit=off: a server crash could lose the last commits, nothing else changes)."""
    if database_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = make_url(database_url).database
        engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        engine.dispose()
    return database_url


@pytest.fixture
def fire_app(fast_commits, app):
    """The shared `app` fixture (empty tables), after the database was switched to fast commits."""
    return app


@pytest.fixture
def live(fire_app):
    server = LiveServer(fire_app).start()
    yield server
    server.stop()


@pytest.fixture
def world(fire_app):
    return build_fire_world(fire_app)


@pytest.fixture
def make_device(tmp_path, live):
    """make_device(name, username) -> a logged-in FireDevice with its own local store."""
    from tests.backend.world import PASSWORD

    made = []

    def make(name: str, username: str | None = None, transport=None) -> FireDevice:
        core = FireDevice(tmp_path / f"{name}-{len(made)}.sqlite", live.url, name, transport)
        if username:
            core.login(username, PASSWORD)
        made.append(core)
        return core

    yield make
    for core in made:
        core.store.close()


@pytest.fixture(autouse=True, scope="session")
def _quiet_werkzeug():
    """One log line per request would drown the report and cost time."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

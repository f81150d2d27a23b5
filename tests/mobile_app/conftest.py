"""Fixtures for the app's tests: a real backend on a local port, and app "devices" against it.

Async view tests run on anyio's pytest plugin (asyncio).
"""

from __future__ import annotations

import pytest
from app_server import FAST_RETRY, LiveServer, SeededTemplate, make_app

from mobile_app.core import AppCore
from tests.app_lock_params import FAST_KDF, TEST_PIN


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory):
    """The demo municipality, migrated and seeded once; each test gets a copy."""
    template = SeededTemplate(tmp_path_factory.mktemp("server-template"))
    yield template
    template.close()


@pytest.fixture
def backend_server(tmp_path, seeded_database):
    """The real Flask backend (create_app) with the demo municipality, served on 127.0.0.1."""
    app = make_app(seeded_database.fresh(tmp_path))
    server = LiveServer(app).start()
    server.flask_app = app
    yield server
    server.stop()


@pytest.fixture
def device(tmp_path, backend_server):
    """Make a phone: its own local store file, talking to the test server (logged in: PIN chosen)."""
    made = []

    def make(name: str, username: str | None = None, password: str = "demo1234") -> AppCore:
        core = AppCore(
            tmp_path / f"{name}.sqlite", server_url=backend_server.url, client_options=FAST_RETRY, kdf=FAST_KDF
        )
        if username:
            core.login(username, password)
            core.choose_pin(TEST_PIN)
        made.append(core)
        return core

    yield make
    for core in made:
        core.store.close()

"""Shared fixtures: a real app on a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).

The schema is built once per test session with the Alembic migrations (so they are tested too);
each test then starts from empty tables. On PostgreSQL every pytest process gets its own
database, so parallel runs do not trip over each other.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backend import create_app

PG_URL = os.environ.get("TEST_DATABASE_URL")


def _pg_admin_url(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A migrated, empty database for this test session."""
    if PG_URL:
        url = make_url(
            PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
            if PG_URL.startswith("postgresql://")
            else PG_URL
        )
        name = f"trinvis_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = create_engine(_pg_admin_url(url.render_as_string(hide_password=False)), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        test_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        test_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": test_url, "TESTING": True})
    with app.app_context():
        from backend.cli import upgrade_schema

        upgrade_schema()
        from backend.extensions import db

        db.engine.dispose()
    yield test_url
    if PG_URL:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def truncate_all(app) -> None:
    """Empty every table and reset the change counter."""
    from backend.extensions import db

    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for t in reversed(tables):
                    conn.execute(text(f'DELETE FROM "{t}"'))
            conn.execute(text("INSERT INTO sync_counter (id, value) VALUES (1, 0)"))


def make_app(database_url: str, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute",
        # cheap hashes keep fixtures fast; production uses argon2's defaults
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        **overrides,
    }
    return create_app(config)


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    truncate_all(app)
    yield app
    from backend.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def w(app):
    """A small municipality (tests/backend/world.py) built through the real admin functions and engine."""
    from tests.backend.world import build_world

    return build_world(app)


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="PostgreSQL only: set TEST_DATABASE_URL")
    for item in items:
        if "postgres_only" in item.keywords and not PG_URL:
            item.add_marker(skip_pg)

"""The real backend on a local port (werkzeug in a thread), seeded with the demo municipality.

The server can be stopped and started again on the same port: that is "the backend is down"
for the app, exactly as a phone sees it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import make_server

FAST_RETRY = {"attempts": 2, "timeout": 5, "max_wait": 0.2}
"""Client options for test devices: give up quickly when the server is down on purpose."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_admin(url: str):
    """(base url, a psycopg autocommit connection to the server's maintenance database)."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgres://", "postgresql://", 1))
    admin = base.set(drivername="postgresql", database="postgres")
    conn = psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True)
    return base, conn


def database_url(tmp_dir) -> str:
    """A fresh SQLite file; with TEST_DATABASE_URL set, a PostgreSQL database of the app's own.

    The app's tests get their own database next to the one in TEST_DATABASE_URL (suffix
    `_app_<pid>`), so resetting it never touches the backend's tests or a parallel run.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir}/server.sqlite"
    base, conn = _pg_admin(url)
    name = f"{base.database or 'postgres'}_app_{os.getpid()}"
    with conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def make_app(db_url: str):
    import backend

    return backend.create_app(
        {
            "SQLALCHEMY_DATABASE_URI": db_url,
            "TESTING": True,
            "DEMO_MODE": True,
            "LOGIN_RATE_LIMIT": "10000 per minute",
            "LOGIN_ACCOUNT_RATE_LIMIT": "10000 per minute",  # the tests log the same users in again and again
            "SECRET_KEY": "app-tests",
        }
    )


def build_app(db_url: str):
    """create_app on the given database, schema up to date and the demo seeded."""
    app = make_app(db_url)
    with app.app_context():
        from backend.cli import upgrade_schema
        from backend.extensions import db

        if db_url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade_schema()
        seed(app)
        db.session.remove()
        if db_url.startswith("sqlite"):
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    return app


class SeededTemplate:
    """Migrate and seed once per test session, then give each test a copy (seeding is slow)."""

    def __init__(self, tmp_dir: Path):
        self.url = database_url(tmp_dir)
        build_app(self.url)

    def fresh(self, tmp_dir: Path) -> str:
        """A new database with the seeded content; returns its URL."""
        if self.url.startswith("sqlite"):
            src = Path(self.url[len("sqlite:///") :])
            dst = Path(tmp_dir) / "server.sqlite"
            shutil.copyfile(src, dst)
            return f"sqlite:///{dst}"
        from sqlalchemy.engine import make_url

        tpl = make_url(self.url)
        name = f"{tpl.database}_t"
        _, conn = _pg_admin(self.url)
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{tpl.database}"')
        return tpl.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        """Drop the PostgreSQL databases this session made (SQLite files go with tmp_path)."""
        if self.url.startswith("sqlite"):
            return
        from sqlalchemy.engine import make_url

        tpl = make_url(self.url).database
        _, conn = _pg_admin(self.url)
        with conn:
            for name in (f"{tpl}_t", tpl):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


DEMO_PASSWORD = "demo1234"


def _uid() -> str:
    import uuid

    return str(uuid.uuid4())


def seed(app) -> dict:
    """The demo municipality (backend.seed.seed_demo when present, else the same users built with
    backend.admin), plus one activity every day for each young person so a check-in is always due."""
    from datetime import date, timedelta

    from backend.admin import assign, create_organization, create_user, system_write, youth_of

    try:
        from backend.seed import seed_demo
    except ImportError:
        seed_demo = None
    orgs = {}
    if seed_demo is not None:
        seed_demo()
    else:
        for name, kind in (
            ("Jobcenter", "jobcenter"),
            ("UU", "uu"),
            ("Bostøtte", "bostotte"),
            ("Rusmiddelcenter", "rusmiddelcenter"),
        ):
            orgs[name] = create_organization(name, kind).id
        for username, role, org, display in (
            ("ung.mads", "youth", None, "Mads"),
            ("ung.sara", "youth", None, "Sara"),
            ("mentor.lise", "mentor", "Jobcenter", "Lise"),
            ("tovholder.ahmed", "coordinator", "Jobcenter", "Ahmed"),
            ("uu.karen", "partner", "UU", "Karen"),
            ("bostotte.peter", "partner", "Bostøtte", "Peter"),
            ("behandler.nina", "partner", "Rusmiddelcenter", "Nina"),
            ("admin", "admin", None, "Admin"),
        ):
            create_user(username, DEMO_PASSWORD, role, org, display)
        muts = []
        for y, names in (
            ("ung.mads", ["Jobcenter", "UU", "Bostøtte", "Rusmiddelcenter"]),
            ("ung.sara", ["Jobcenter", "UU"]),
        ):
            yid = youth_of(y).id
            for o in names:
                rid = _uid()
                muts.append(
                    {
                        "entity": "consent",
                        "id": rid,
                        "data": {"id": rid, "youth_id": yid, "organization_id": orgs[o], "status": "given"},
                    }
                )
        system_write(muts)
        for y in ("ung.mads", "ung.sara"):  # after consent: assignment needs it
            assign(y, "mentor.lise", "tovholder.ahmed")
    from backend.extensions import db
    from backend.models import Organization

    orgs = {o.name: o.id for o in db.session.query(Organization).all()}
    today = date.today()
    muts = []
    for y in ("ung.mads", "ung.sara"):
        yid = youth_of(y).id
        if seed_demo is None:
            pid, gid, aid = _uid(), _uid(), _uid()
            muts += [
                {
                    "entity": "plan",
                    "id": pid,
                    "data": {
                        "id": pid,
                        "youth_id": yid,
                        "end_goal": "Starte på en uddannelse",
                        "end_goal_kind": "education",
                        "start_date": (today - timedelta(days=50)).isoformat(),
                    },
                },
                {
                    "entity": "goal",
                    "id": gid,
                    "data": {
                        "id": gid,
                        "youth_id": yid,
                        "organization_id": orgs["Jobcenter"],
                        "title": "Møde op hver dag",
                        "visibility": "shared",
                    },
                },
                {
                    "entity": "agreement",
                    "id": aid,
                    "data": {
                        "id": aid,
                        "youth_id": yid,
                        "organization_id": orgs["Jobcenter"],
                        "text": "Ring til lægen",
                        "responsible": "youth",
                        "due_date": today.isoformat(),
                    },
                },
            ]
        act = _uid()
        muts.append(
            {
                "entity": "activity",
                "id": act,
                "data": {
                    "id": act,
                    "youth_id": yid,
                    "organization_id": orgs["Jobcenter"],
                    "title": "Dagligt værksted",
                    "weekdays": [0, 1, 2, 3, 4, 5, 6],
                    "start_time": "00:00",
                    "end_time": "23:59",
                    "start_date": (today - timedelta(days=14)).isoformat(),
                    "location": "Værkstedet",
                    "visibility": "shared",
                },
            }
        )
    system_write(muts)
    return orgs


class LiveServer:
    def __init__(self, app, port: int | None = None):
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._thread = None

    def start(self) -> LiveServer:
        deadline = time.time() + 10
        while True:
            try:
                self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        requests.get(f"{self.url}/api/v1/health", timeout=5).raise_for_status()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    @property
    def running(self) -> bool:
        return self._server is not None

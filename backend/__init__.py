"""Trinvis backend: Flask app factory (`create_app`), sync API, caseworker pages and CLI."""

from __future__ import annotations

import os

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app; `config` overrides the settings read from the environment."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure(app, config)
    from backend.accounts.fieldcrypt import effective_keys

    effective_keys(app.config)  # a missing (production) or malformed key stops the start here
    _register_extensions(app)

    from backend.errors import register_error_handlers
    from backend.security import init_security

    init_security(app)
    register_error_handlers(app)
    _register_blueprints(app)

    from backend.cli import register_cli

    register_cli(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)
    if app.config.get("SERVER_TIMING"):
        _server_timing(app)
    return app


def _configure(app: Flask, config: dict | None) -> None:
    """The settings from the environment (the profile chosen by `config`), then `config` itself."""
    from backend import config as cfg

    override = None
    if config and config.get("TESTING"):
        override = "testing"
    elif config and config.get("DEMO_MODE"):
        override = "demo"
    app.config.from_mapping(cfg.from_env(app.instance_path, profile_override=override))
    if config:
        app.config.from_mapping(config)


def _register_extensions(app: Flask) -> None:
    """The database (with a live connection first on every request), migrations, CSRF and the limiter."""
    from backend.dbhealth import engine_options
    from backend.extensions import csrf, db, limiter, migrate

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    db.init_app(app)
    _connect_first(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    from backend.accounts import models as _accounts_models  # noqa: F401 - tables
    from backend.accounts import ratelimit as _ratelimit  # noqa: F401 - registers trinvis-db://

    limiter.init_app(app)

    from backend import models  # noqa: F401 - register tables with the metadata


def _register_blueprints(app: Flask) -> None:
    """The API, the caseworker pages, and each area package's pages and API."""
    from backend.api import bp as api_bp
    from backend.extensions import csrf
    from backend.programmes import register_programmes
    from backend.pwa import register_pwa
    from backend.reach import register_reach
    from backend.reminders import register_reminders
    from backend.rights import register_rights
    from backend.web import register_web

    csrf.exempt(api_bp)  # the API uses bearer tokens, not cookies
    app.register_blueprint(api_bp)
    # /app/ (the phone app for the browser) before the web pages: see register_pwa
    for register in (
        register_pwa,
        register_web,
        register_programmes,
        register_rights,
        register_reminders,
        register_reach,
    ):
        register(app)


def _server_timing(app: Flask) -> None:
    """`Server-Timing: cpu;dur=<ms>`: the worker's CPU for the request (what the load bench needs to
    tell the server's cost from its own). Process CPU, not thread CPU: argon2 hashes on threads of
    its own, and a gunicorn sync worker serves one request at a time. Off by default: it would tell
    anyone how hard a request was."""
    import time

    from flask import g

    @app.before_request
    def _cpu_start():
        g.cpu_started = time.process_time()

    @app.after_request
    def _cpu_header(resp):
        started = g.get("cpu_started")
        if started is not None:
            resp.headers["Server-Timing"] = f"cpu;dur={(time.process_time() - started) * 1000:.2f}"
        return resp


def _connect_first(app: Flask) -> None:
    """Every request (but static files) starts by checking out a live connection (backend.dbhealth)."""
    from flask import request

    from backend.dbhealth import connect_first
    from backend.extensions import db

    @app.before_request
    def _live_connection():
        if request.endpoint not in ("static", "api.openapi", "api.health"):
            connect_first(db.session)


def _tune_sqlite(app: Flask) -> None:
    """WAL and a busy timeout so the app and a puller can work on one SQLite file together."""
    from sqlalchemy import event

    from backend.extensions import db

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

"""The load bench in its short form: 30 devices (login, pull, push 1–5 mutations, pull) against
gunicorn -w 3 + PostgreSQL. Asserts no errors and that every mutation arrived — not timings, which
depend on the machine (the full 200-device run is by hand: python bench/load.py, figures in
docs/fire.md)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from bench.load import Gunicorn, run, seed
from tests.fire.harness import FULL

pytestmark = pytest.mark.postgres_only


def test_morning_peak_short_form(fire_app, database_url, tmp_path):
    from backend.extensions import db
    from backend.models import AppliedMutation

    devices = 200 if FULL else int(os.environ.get("TRINVIS_LOAD_DEVICES", "30"))
    users = seed(fire_app, devices, max(1, devices // 10))
    server = Gunicorn(database_url, workers=3, log_path=str(tmp_path / "gunicorn.log"))
    try:
        figures = run(server.url, users, devices, concurrency=min(50, devices), ramp=2.0, max_seconds=120)
    finally:
        server.stop()
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["by_kind"]["login"]["n"] == devices and figures["by_kind"]["push"]["n"] == devices
    with fire_app.app_context():
        applied = db.session.scalar(
            select(func.count()).select_from(AppliedMutation).where(AppliedMutation.device_id.like("load-%"))
        )
        db.session.remove()
    assert applied == figures["mutations"]

"""The backend's one clock: Copenhagen's date, not the host's, and a "today" demos and tests can pin."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from backend import clock, create_app

ROOT = Path(__file__).resolve().parents[2]


def test_today_is_copenhagens_date_not_utcs(monkeypatch):
    monkeypatch.delenv(clock.TODAY_KEY, raising=False)
    # 23:30 UTC on 10 March is 00:30 on 11 March in Copenhagen (UTC+1 in winter).
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 3, 11)
    assert clock.local_now() == datetime(2026, 3, 11, 0, 30)
    # summer time: UTC+2
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 7, 1, 22, 15, tzinfo=UTC))
    assert clock.local_now() == datetime(2026, 7, 2, 0, 15)


def test_pinned_today_in_the_app_config_moves_now_to_that_day(app, monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 3, 10, 8, 45, tzinfo=UTC))
    app.config[clock.TODAY_KEY] = "2026-06-15"
    with app.app_context():
        assert clock.today() == date(2026, 6, 15)
        # the same local time of day (09:45 in winter), on the pinned day (summer: UTC+2)
        assert clock.local_now() == datetime(2026, 6, 15, 9, 45)
        assert clock.now() == datetime(2026, 6, 15, 7, 45, tzinfo=UTC)
        assert clock.utcnow() == datetime(2026, 3, 10, 8, 45, tzinfo=UTC)  # bookkeeping stays real
    app.config[clock.TODAY_KEY] = None
    with app.app_context():
        assert clock.today() == date(2026, 3, 10)


def test_pinned_today_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(clock.TODAY_KEY, "2027-01-04")
    monkeypatch.setenv("TRINVIS_FIELD_KEYS", Fernet.generate_key().decode())  # production needs it
    assert clock.today() == date(2027, 1, 4)  # outside an app (scripts)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert app.config[clock.TODAY_KEY] == "2027-01-04"
    with app.app_context():
        assert clock.today() == date(2027, 1, 4)


def test_a_malformed_pinned_today_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv(clock.TODAY_KEY, "15-06-2026")
    with pytest.raises(ValueError, match="TRINVIS_TODAY must be a date as YYYY-MM-DD"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})


def test_one_home_for_the_time_zone_today_and_weekday_names():
    hits = []
    for base in ("backend", "shared", "mobile_app"):
        for path in (ROOT / base).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            rel = path.relative_to(ROOT).as_posix()
            if re.search(r"ZoneInfo\(|date\.today\(\)|LOCAL_TZ\s*=", text):
                hits.append(rel)
            if re.search(r"[\"'](mandag|Mandag)[\"']", text):
                hits.append(rel + " (weekday names)")
    assert sorted(hits) == ["shared/clock.py", "shared/labels.py (weekday names)"]

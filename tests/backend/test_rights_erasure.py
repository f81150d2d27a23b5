"""Erasure: on request by the coordinator (art. 17) and by the retention job; devices drop the case."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text, update

from backend.extensions import db
from backend.models import AccessGrant, AuditLog, DeviceToken, User, Youth, utcnow
from backend.programmes import service
from backend.rights.retention import closed_on, purge_closed_cases
from tests.backend.rights_world import full_case
from tests.backend.world import Api, web_login

CLOSED = date(2026, 3, 2)


@pytest.fixture
def w(app, client, w):
    """The common small municipality (tests/conftest.py) with a full case for Mads and Sara."""
    w.mads_made = full_case(app, client, w, "mads", "MADS-X")
    w.sara_made = full_case(app, client, w, "sara", "SARA-Y")
    with app.app_context():
        service.record_outcome(db.session.get(User, w.users["ahmed"]), w.youths["mads"], "job", CLOSED)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    return w


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        with app.app_context():
            result = runner.invoke(args=list(args))
            db.session.remove()
        assert result.exit_code == 0, result.output
        return result.output

    return run


def rows_mentioning(app, *needles: str) -> dict[str, int]:
    """Per table, the rows whose text contains any of the needles (every table, every column)."""
    out = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(table.select()).all()
            n = sum(1 for r in rows if any(x in str(tuple(r)) for x in needles))
            if n:
                out[table.name] = n
    return out


def snapshot(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(text(f'SELECT COUNT(*) FROM "{t.name}"')) for t in db.metadata.sorted_tables}


def far_future() -> str:
    return (date.today() + timedelta(days=366 * 6)).isoformat()


def test_closed_on_is_the_later_of_outcome_date_and_last_change(app, w):
    with app.app_context():
        mads = db.session.get(Youth, w.youths["mads"])
        assert closed_on(mads) == date.today()  # records were written today, after the outcome's date
        assert closed_on(db.session.get(Youth, w.youths["sara"])) is None  # active: not closed


def test_dry_run_lists_and_changes_nothing(app, w, cli):
    before = snapshot(app)
    out = cli("purge-closed-cases", "--dry-run", "--as-of", far_future())
    assert w.youths["mads"] in out and w.youths["sara"] not in out and "Tørkørsel" in out
    assert "Ville slette: 1 afsluttede sager" in out and "record_history=" in out
    assert snapshot(app) == before
    # before retention has run out, nothing is listed
    out = cli("purge-closed-cases", "--dry-run")
    assert w.youths["mads"] not in out and "0 afsluttede sager" in out


def test_purge_erases_a_closed_case_past_retention_everywhere(app, client, w, cli):
    lise, peter, mads = Api(client, "lise"), Api(client, "peter"), Api(client, "mads")
    for device in (lise, peter, mads):
        device.pull_all()
    sara_before = rows_mentioning(app, w.youths["sara"])
    # an old audit line (older than the audit retention) goes; recent ones stay without free text
    with app.app_context():
        db.session.execute(
            update(AuditLog)
            .where(AuditLog.youth_id == w.youths["mads"], AuditLog.action == "read")
            .values(at=utcnow() - timedelta(days=400))
        )
        db.session.commit()
    out = cli("purge-closed-cases", "--as-of", far_future())
    assert "Slettet: 1 afsluttede sager" in out
    left = rows_mentioning(app, w.youths["mads"], "MADS-X", w.users["mads"])
    assert set(left) <= {"access_grant", "audit_log", "user_account", "device_token"}, left
    with app.app_context():
        audit = db.session.scalars(select(AuditLog).where(AuditLog.youth_id == w.youths["mads"])).all()
        assert audit and all(a.action != "read" for a in audit)  # the old reads are gone
        assert {a.detail for a in audit if a.action != "erase"} == {""}
        erase = [a for a in audit if a.action == "erase"]
        assert len(erase) == 1 and erase[0].channel == "cli" and "reason=retention" in erase[0].detail
        account = db.session.get(User, w.users["mads"])
        assert account.username.startswith("erased:") and account.display_name == "Slettet bruger"
        assert all(
            d.device_name == ""
            for d in db.session.scalars(select(DeviceToken).where(DeviceToken.user_id == w.users["mads"]))
        )
        grants = db.session.scalars(select(AccessGrant).where(AccessGrant.youth_id == w.youths["mads"])).all()
        assert grants and not any(g.active for g in grants)
    assert rows_mentioning(app, w.youths["sara"]) == sara_before  # Sara untouched
    # every device that held the case is told at its next pull, and gets nothing of it again
    for device in (lise, peter, mads):
        changes, revoked = device.pull_all()
        assert revoked == [w.youths["mads"]] and changes == []
    fresh = Api(client, "lise", device="new-phone")
    changes, _ = fresh.pull_all()
    assert changes and all(c["data"] is None or c["data"].get("youth_id") != w.youths["mads"] for c in changes)
    # nobody can log in as the erased young person
    r = client.post("/api/v1/auth/login", json={"username": "mads", "password": "test-pass-1234", "device_name": "x"})
    assert r.status_code == 401
    # the next runs tidy up: nothing more to erase; the login goes once its tokens have expired
    assert "0 afsluttede sager" in cli("purge-closed-cases", "--as-of", far_future())
    with app.app_context():
        db.session.execute(update(DeviceToken).values(expires_at=utcnow() - timedelta(days=1)))
        db.session.execute(
            update(AuditLog)
            .where((AuditLog.youth_id == w.youths["mads"]) | (AuditLog.user_id == w.users["mads"]))
            .values(at=utcnow() - timedelta(days=200))
        )
        db.session.commit()
    out = cli("purge-closed-cases", "--as-of", far_future())
    assert "1 lukkede logins" in out and "udløbne adgangsrettigheder" in out
    left = rows_mentioning(app, w.youths["mads"], w.users["mads"])
    assert left == {"audit_log": 1}, left  # only the record that the erasure happened


def test_active_case_and_case_within_retention_are_kept(app, w):
    with app.app_context():
        report = purge_closed_cases(date.today() + timedelta(days=365 * 4), dry_run=False)
        assert report.cases == []
        assert db.session.get(Youth, w.youths["mads"]) is not None


def login(client, user_id):
    web_login(client, user_id)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_coordinator_erases_on_request_with_confirmation(app, client, w):
    lise = Api(client, "lise")
    lise.pull_all()
    sara = w.youths["sara"]  # active case: erasure on request does not wait for retention
    login(client, w.users["lise"])
    assert client.get(f"/youth/{sara}/erase").status_code == 403
    login(client, w.users["ahmed"])
    page = client.get(f"/youth/{sara}/erase")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Slet alle oplysninger om Sara" in html and "Tidligere versioner" in html
    token = csrf_of(html)
    for form in ({"confirm_name": "Sara"}, {"checked": "yes", "confirm_name": "Mads"}, {"checked": "yes"}):
        r = client.post(f"/youth/{sara}/erase", data={"csrf_token": token, **form})
        assert r.status_code == 400 and "Skriv den unges fulde navn" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Youth, sara) is not None
    r = client.post(f"/youth/{sara}/erase", data={"csrf_token": token, "checked": "yes", "confirm_name": " sara "})
    assert r.status_code == 302
    assert "er slettet" in client.get(r.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Youth, sara) is None
        erase = db.session.scalars(select(AuditLog).where(AuditLog.action == "erase")).all()
        assert [(a.user_id, a.youth_id, a.channel) for a in erase] == [(w.users["ahmed"], sara, "web")]
        assert "reason=request" in erase[0].detail
        assert db.session.get(Youth, w.youths["mads"]) is not None
    assert set(rows_mentioning(app, sara, "SARA-Y")) <= {"access_grant", "audit_log"}
    _changes, revoked = lise.pull_all()
    assert revoked == [sara]
    assert client.get(f"/youth/{sara}/erase").status_code == 404


def test_a_case_that_fails_to_erase_does_not_stop_the_others_and_the_job_exits_non_zero(app, w, monkeypatch):
    from backend.rights import retention

    with app.app_context():
        service.record_outcome(db.session.get(User, w.users["ahmed"]), w.youths["sara"], "education", CLOSED)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    real = retention.erase_youth

    def flaky(youth_id, *args, **kw):
        if youth_id == w.youths["mads"]:
            raise RuntimeError("lock timeout")
        return real(youth_id, *args, **kw)

    monkeypatch.setattr(retention, "erase_youth", flaky)
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["purge-closed-cases", "--as-of", far_future()])
        db.session.remove()
    assert result.exit_code == 1
    assert f"FEJL: ung {w.youths['mads']} blev ikke slettet: RuntimeError: lock timeout" in result.output
    assert "Slettet: 1 afsluttede sager" in result.output
    with app.app_context():
        assert db.session.get(Youth, w.youths["mads"]) is not None and db.session.get(Youth, w.youths["sara"]) is None


def test_device_in_the_middle_of_its_first_sync_drops_the_erased_case(app, client, w):
    lise = Api(client, "lise")
    held: dict = {}

    def apply(page):
        for c in page["changes"]:
            if c["deleted"]:
                held.pop((c["entity"], c["id"]), None)
            else:
                held[(c["entity"], c["id"])] = c["data"]
        for y in page["revoked_youth_ids"]:  # what the app's store does
            for key in [k for k, d in held.items() if d.get("youth_id") == y]:
                held.pop(key)
        lise.cursor = page["cursor"]

    apply(lise.pull_page(None, limit=5))  # first sync under way: Mads's first records are on the phone
    assert any(d.get("youth_id") == w.youths["mads"] for d in held.values())
    with app.app_context():
        from backend.rights.erasure import erase_youth

        erase_youth(w.youths["mads"], None, "request", channel="cli")
        db.session.commit()  # the caller owns the transaction
    while True:
        page = lise.pull_page(lise.cursor, limit=5)
        apply(page)
        if not page["has_more"]:
            break
    apply(lise.pull_page(lise.cursor))  # the next sync
    assert not any(d.get("youth_id") == w.youths["mads"] for d in held.values())
    assert any(d.get("youth_id") == w.youths["sara"] for d in held.values())

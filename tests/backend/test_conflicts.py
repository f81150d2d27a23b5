"""The conflict service and page: who sees which conflicts, refusals, and that the page's entry
point commits the audit lines and the resolution (the service itself commits nothing)."""

import re

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog, Conflict, User
from backend.services.conflicts import ConflictNotFound, ResolveRefused, conflict_overview, resolve_conflict
from tests.backend.world import PASSWORD, Api, goal

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def browser(app, username: str):
    """A logged-in test client and a function that posts with its CSRF token."""
    c = app.test_client()
    token = TOKEN.search(c.get("/login").text).group(1)
    assert c.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD}).status_code == 302
    token = TOKEN.search(c.get("/").text).group(1)
    return c, lambda url, data: c.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def conflict(app, client, w) -> str:
    """Lise and Ahmed change the same goal's title from version 1: Ahmed's arrives last and wins."""
    g = Api(client, "lise").upsert("goal", goal(w, "mads", "Jobcenter", "Første titel"))["record"]
    assert (
        Api(client, "lise").upsert(
            "goal", {"id": g["id"], "youth_id": g["youth_id"], "title": "Lises titel"}, base_version=1
        )["status"]
        == "applied"
    )
    assert (
        Api(client, "ahmed", device="ahmed-phone").upsert(
            "goal", {"id": g["id"], "youth_id": g["youth_id"], "title": "Ahmeds titel"}, base_version=1
        )["status"]
        == "merged"
    )
    with app.app_context():
        return db.session.scalar(select(Conflict.id))


def test_overview_lists_only_the_conflicts_of_visible_young_people(app, w, conflict):
    with app.app_context():
        ahmed, sara = db.session.get(User, w.users["ahmed"]), db.session.get(User, w.users["sara"])
        seen = conflict_overview(ahmed)
        assert [c.id for c, _ in seen.open] == [conflict]
        assert seen.open[0][1].title == "Ahmeds titel"  # the record as it is now
        assert seen.youth_names[w.youths["mads"]] and seen.user_names[w.users["lise"]]
        assert conflict_overview(sara).open == []
        with pytest.raises(ConflictNotFound):
            resolve_conflict(sara, conflict, "confirm")
        with pytest.raises(ResolveRefused):
            resolve_conflict(ahmed, conflict, "undo")
        db.session.rollback()


def test_the_page_commits_its_audit_line_and_the_resolution(app, w, conflict):
    c, post = browser(app, "ahmed")
    assert "Lises titel" in c.get("/conflicts").text
    with app.app_context():
        reads = db.session.scalars(
            select(AuditLog).where(AuditLog.user_id == w.users["ahmed"], AuditLog.entity == "conflict")
        ).all()
        assert [(a.action, a.youth_id, a.record_count) for a in reads] == [("read", w.youths["mads"], 1)]
    assert post(f"/conflicts/{conflict}", {"action": "correct"}).status_code == 302
    with app.app_context():
        row = db.session.get(Conflict, conflict)
        assert row.resolution == "corrected" and row.resolved_by_user_id == w.users["ahmed"]
        assert db.session.scalar(select(AuditLog.detail).where(AuditLog.action == "resolve_conflict")) == (
            f"conflict={conflict} field=title corrected"
        )


def test_refusals_are_danish_and_change_nothing(app, w, conflict):
    c, post = browser(app, "ahmed")
    r = post(f"/conflicts/{conflict}", {"action": "undo"})
    assert r.status_code == 400 and "Vælg enten" in r.text
    assert post("/conflicts/00000000-0000-0000-0000-000000000000", {"action": "confirm"}).status_code == 404
    with app.app_context():
        assert db.session.get(Conflict, conflict).resolved_at is None
    assert post(f"/conflicts/{conflict}", {"action": "confirm"}).status_code == 302
    again = post(f"/conflicts/{conflict}", {"action": "correct"})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(Conflict, conflict).resolution == "confirmed"  # not corrected afterwards
    assert "allerede afklaret" in c.get("/conflicts").text

"""Issue 9, bullet by bullet, through the real API, pages, CLI-level admin functions and database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.admin import AdminError, assign, create_user
from backend.extensions import db
from backend.models import AuditLog
from backend.sync.need_to_know import server_today
from shared.dimensions import DIMENSIONS
from tests.backend.test_web_pages import Browser
from tests.backend.world import D0, PASSWORD, Api, activity, build_world, uid


@pytest.fixture
def w(app):
    return build_world(app)


def ids_of(changes, entity=None) -> set[str]:
    return {c["id"] for c in changes if not c["deleted"] and (entity is None or c["entity"] == entity)}


# ---- 1. visibility for every case entity --------------------------------------------------------


def test_treatment_agreement_is_organisation_only_by_default_and_visibility_is_accepted(app, client, w):
    nina = Api(client, "nina")
    ag = nina.upsert(
        "agreement",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Rusmiddelcenter"],
            "text": "Aflevere urinprøve hver mandag",
            "responsible": "youth",
            "due_date": D0,
        },
    )
    assert ag["status"] == "applied" and ag["record"]["visibility"] == "organization"
    shared = nina.upsert(
        "agreement",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Rusmiddelcenter"],
            "text": "Komme til samtale",
            "responsible": "youth",
            "due_date": D0,
            "visibility": "shared",
        },
    )
    assert shared["status"] == "applied", shared  # before issue 9: "Ukendt felt."
    uu = Api(client, "karen").upsert(
        "agreement",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["UU"],
            "text": "Besøge skolen",
            "responsible": "youth",
            "due_date": D0,
        },
    )
    assert uu["record"]["visibility"] == "shared"  # other kinds keep today's default
    for user, sees in (("karen", False), ("peter", False), ("mads", False), ("nina", True), ("lise", True)):
        pulled, _ = Api(client, user).pull_all()
        assert (ag["record"]["id"] in ids_of(pulled)) is sees, user
        assert shared["record"]["id"] in ids_of(pulled)
    page = Browser(app, "karen").get(f"/youth/{w.youths['mads']}").text
    assert "Aflevere urinprøve" not in page and "Komme til samtale" in page
    own = Browser(app, "nina").get(f"/youth/{w.youths['mads']}").text
    assert 'data-testid="private-marker"' in own and "Kun Rusmiddelcenter" in own


def test_assessment_scores_are_shared_comment_stays_in_the_organisation(app, client, w):
    res = Api(client, "nina").upsert(
        "assessment",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Rusmiddelcenter"],
            "due_date": D0,
            "rater_role": "staff",
            "scores": {d.key: 3 for d in DIMENSIONS.for_rater("staff")},
            "comment": "Positiv urinprøve",
            "submitted_at": f"{D0}T10:00:00+00:00",
        },
    )
    assert res["record"]["comment_visibility"] == "organization"
    for user, sees_comment in (("karen", False), ("mads", False), ("nina", True), ("ahmed", True)):
        pulled, _ = Api(client, user).pull_all()
        rec = next(c["data"] for c in pulled if c["id"] == res["record"]["id"])
        assert rec["scores"]["fremmoede"] == 3  # the 6-weekly progression is common
        assert (rec["comment"] == "Positiv urinprøve") is sees_comment, user


def test_outreach_and_attendance_note_can_be_kept_within_the_organisation(app, client, w):
    lise, peter = Api(client, "lise"), Api(client, "peter")
    out = lise.upsert(
        "outreach",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Jobcenter"],
            "method": "call",
            "reached": True,
            "note": "Talte med moren",
            "contacted_at": f"{D0}T09:00:00+00:00",
            "visibility": "organization",
        },
    )
    act = peter.upsert("activity", activity(w, "mads", "Bostøtte", "Hjemmebesøg"))["record"]
    att = peter.upsert(
        "attendance",
        {
            "youth_id": w.youths["mads"],
            "activity_id": act["id"],
            "date": D0,
            "status": "present",
            "note": "Ubetalte regninger",
            "note_visibility": "organization",
        },
    )
    assert att["status"] == "applied", att
    karen, _ = Api(client, "karen").pull_all()
    assert out["record"]["id"] not in ids_of(karen)
    rec = next(c["data"] for c in karen if c["id"] == att["record"]["id"])
    assert rec["status"] == "present" and rec["note"] == ""
    # the young person's phone holds the note blank and sends it back with a check-in:
    # the hidden field is neither erased nor held against them
    mads = Api(client, "mads")
    again = mads.upsert(
        "attendance",
        {"id": att["record"]["id"], "self_checked_in_at": f"{D0}T08:58:00+00:00", "note": ""},
        base_version=1,
    )
    assert again["status"] in ("applied", "merged"), again
    assert again["record"]["note"] == ""  # shown to the young person blank
    peter_view, _ = Api(client, "peter").pull_all()
    assert next(c["data"] for c in peter_view if c["id"] == att["record"]["id"])["note"] == "Ubetalte regninger"


def test_enrolment_and_its_activities_can_be_organisation_only(app, client, w):
    from backend.models import User
    from backend.programmes import service
    from backend.programmes.models import Programme, ProgrammeActivity

    with app.app_context():
        pid = uid()
        db.session.add(
            Programme(
                id=pid,
                name="Angst og depression",
                organization_id=w.orgs["Jobcenter"],
                activities=[
                    ProgrammeActivity(position=1, title="Gruppe", weekdays=[2], start_time="10:00", end_time="12:00")
                ],
            )
        )
        db.session.commit()
        e = service.enrol(
            db.session.get(User, w.users["ahmed"]),
            w.youths["sara"],
            db.session.get(Programme, pid),
            server_today() - timedelta(days=3),
            None,
            visibility="organization",
        )
        eid, act_ids = e.id, list(e.activity_ids)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    karen = Browser(app, "karen").get(f"/programmes/youth/{w.youths['sara']}").text
    assert eid not in karen
    ahmed = Browser(app, "ahmed").get(f"/programmes/youth/{w.youths['sara']}").text
    assert eid in ahmed and "Kun Jobcenter" in ahmed
    pulled, _ = Api(client, "karen").pull_all()
    assert not set(act_ids) & ids_of(pulled)
    lise, _ = Api(client, "lise").pull_all()
    assert set(act_ids) <= ids_of(lise)


# ---- 3. consent-safe assignment -------------------------------------------------------------


def test_assignment_through_the_api_needs_consent(app, client, w):
    with app.app_context():
        create_user("bo", PASSWORD, "mentor", "Bostøtte", "Bo")  # a mentor of an organisation Sara never consented to
        db.session.remove()
    ahmed = Api(client, "ahmed")
    for field, who in (("mentor_id", "peter"), ("coordinator_id", "peter"), ("mentor_id", "bo")):
        res = ahmed.upsert("youth", {"id": w.youths["sara"], "youth_id": w.youths["sara"], field: _user_id(app, who)})
        assert res["status"] == "rejected", (field, who, res)
        assert res["error"]["code"] in ("no_consent", "invalid_assignment") and res["error"]["message"]
    pulled, _ = Api(client, "peter").pull_all()
    assert w.youths["sara"] not in ids_of(pulled, "youth")  # nothing was granted
    ok = ahmed.upsert("youth", {"id": w.youths["sara"], "youth_id": w.youths["sara"], "mentor_id": w.users["ole"]})
    assert ok["status"] in ("applied", "merged")  # Jobcenter: consented


def _user_id(app, username):
    from backend.models import User

    with app.app_context():
        uid_ = db.session.scalar(select(User.id).where(User.username == username))
        db.session.remove()
        return uid_


def test_assignment_on_the_page_and_in_the_cli_needs_consent(app, w):
    with app.app_context():
        create_user("bo", PASSWORD, "mentor", "Bostøtte", "Bo")
        with pytest.raises(AdminError, match="samtykke"):
            assign("sara", "bo")
        db.session.remove()
    b = Browser(app, "ahmed")
    page = b.get(f"/youth/{w.youths['sara']}").text
    assert "Bo (Bostøtte)" not in page  # only mentors of consented organisations are offered
    r = b.post(f"/youth/{w.youths['sara']}/mentor", {"mentor_id": _user_id(app, "bo"), "base_version": ""})
    assert r.status_code == 400 and "samtykke" in r.text


# ---- 4. server-side rules the phone enforced alone --------------------------------------------


def _act(client, w, org="Jobcenter"):
    return Api(client, "ahmed").upsert("activity", activity(w, "mads", org))["record"]


def test_young_person_cannot_self_certify_weeks_back(app, client, w):
    act, mads = _act(client, w), Api(client, "mads")
    old = (server_today() - timedelta(days=43)).isoformat()
    res = mads.upsert(
        "attendance",
        {
            "youth_id": w.youths["mads"],
            "activity_id": act["id"],
            "date": old,
            "self_checked_in_at": f"{old}T08:55:00+00:00",
        },
    )
    assert res["status"] == "rejected" and res["error"]["code"] == "outside_window"
    notice = mads.upsert(
        "attendance",
        {
            "youth_id": w.youths["mads"],
            "activity_id": act["id"],
            "date": old,
            "status": "absent_notified",
            "absence_reason": "Syg",
        },
    )
    assert notice["status"] == "rejected"
    ahead = (server_today() + timedelta(days=3)).isoformat()
    assert (
        mads.upsert(
            "attendance",
            {
                "youth_id": w.youths["mads"],
                "activity_id": act["id"],
                "date": ahead,
                "status": "absent_notified",
                "absence_reason": "Tandlæge",
            },
        )["status"]
        == "applied"
    )


def test_staff_attendance_a_week_back_older_is_the_coordinators_correction(app, client, w):
    act = _act(client, w)
    old = (server_today() - timedelta(days=10)).isoformat()
    rec = {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": old, "status": "late"}
    res = Api(client, "lise").upsert("attendance", rec)
    assert res["status"] == "rejected" and "koordinatoren" in res["error"]["message"]
    res = Api(client, "ahmed").upsert("attendance", rec)
    assert res["status"] == "applied"
    with app.app_context():
        log = db.session.scalars(select(AuditLog).where(AuditLog.action == "correct")).all()
        assert [(a.entity, a.youth_id, a.record_count) for a in log] == [("attendance", w.youths["mads"], 1)]
        db.session.remove()


def test_mentor_reviews_but_does_not_rewrite_another_organisations_agreement(app, client, w):
    ag = Api(client, "karen").upsert(
        "agreement",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["UU"],
            "text": "Besøge skolen",
            "responsible": "youth",
            "due_date": D0,
        },
    )["record"]
    Api(client, "mads").upsert("agreement", {"id": ag["id"], "youth_comment": "Har gjort det"}, base_version=1)
    lise = Api(client, "lise")
    for change in (
        {"text": "Noget andet"},
        {"organization_id": w.orgs["Jobcenter"]},
        {"youth_comment": "Mentor skrev det"},
    ):
        res = lise.upsert("agreement", {"id": ag["id"], **change}, base_version=2)
        assert res["status"] == "rejected", change
    review = lise.upsert("agreement", {"id": ag["id"], "status": "kept", "review_note": "Set"}, base_version=2)
    assert review["status"] == "applied" and review["record"]["youth_comment"] == "Har gjort det"
    assert lise.delete("agreement", ag["id"])["status"] == "rejected"


# ---- 6. not_found for everything the user may not see ---------------------------------------------


def test_pushing_another_young_persons_record_id_is_not_found(app, client, w):
    sara_goal = Api(client, "ahmed").upsert(
        "goal", {"youth_id": w.youths["sara"], "organization_id": w.orgs["UU"], "title": "Saras mål"}
    )["record"]
    res = Api(client, "peter").upsert(
        "goal",
        {"id": sara_goal["id"], "youth_id": w.youths["mads"], "organization_id": w.orgs["Bostøtte"], "title": "x"},
    )
    assert res["status"] == "rejected" and res["error"]["code"] == "not_found"  # before: invalid "kan ikke flyttes"
    assert res["record"] is None


def test_old_clients_are_told_to_update(app, client, w):
    from shared import MIN_SCHEMA_VERSION, SCHEMA_VERSION

    for old in (1, MIN_SCHEMA_VERSION - 1):  # schema 3 (follow-ups as records): a version-2 app must update
        r = Api(client, "lise").push_raw([], schema_version=old)
        assert r.status_code == 426 and r.get_json()["error"]["code"] == "client_too_old"
    # schema 4 (contact details narrowed) is safe for a version-3 app: it is still accepted
    assert (MIN_SCHEMA_VERSION, SCHEMA_VERSION) == (3, 4)
    for ok in range(MIN_SCHEMA_VERSION, SCHEMA_VERSION + 1):
        assert Api(client, "lise").push_raw([], schema_version=ok).status_code == 200


# ---- migration ---------------------------------------------------------------------------------


def _previous_revision() -> str:
    """The revision before issue 9's (the chain is relinked when branches merge)."""
    import re
    from pathlib import Path

    import backend

    src = (Path(backend.__file__).parent / "migrations/versions/c9a4e2f1b7d0_visibility_everywhere.py").read_text()
    return re.search(r"^down_revision = ['\"](\w+)['\"]", src, re.M).group(1)


def test_migration_fills_existing_rows_by_organisation_kind(app, w, client):
    """Rows written before issue 9: treatment rows become organisation-only, devices get a tombstone."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    nina = Api(client, "nina")
    ag = nina.upsert(
        "agreement",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Rusmiddelcenter"],
            "text": "Urinprøve",
            "responsible": "youth",
            "due_date": D0,
            "visibility": "shared",
        },
    )["record"]
    uu = Api(client, "karen").upsert(
        "agreement",
        {
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["UU"],
            "text": "Skole",
            "responsible": "youth",
            "due_date": D0,
        },
    )["record"]
    karen = Api(client, "karen")
    assert ag["id"] in ids_of(karen.pull_all()[0])  # shared before the migration
    with app.app_context():
        db.session.remove()
        downgrade(revision=_previous_revision())
        upgrade()
        with db.engine.connect() as conn:
            vis = dict(conn.execute(text("SELECT id, visibility FROM agreement")).all())
        db.session.remove()
    assert vis == {ag["id"]: "organization", uu["id"]: "shared"}
    changes, _ = karen.pull_all()
    tomb = [c for c in changes if c["id"] == ag["id"]]
    assert tomb and tomb[0]["deleted"] and tomb[0]["data"] is None

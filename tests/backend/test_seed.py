"""The demo municipality: idempotent, and each demo user sees exactly what their role allows (via the API)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from backend import seed
from backend.extensions import db
from backend.models import (
    Activity,
    Agreement,
    Assessment,
    Attendance,
    AuditLog,
    ChangeLog,
    Goal,
    Organization,
    Outreach,
    Plan,
    User,
    Youth,
)
from shared.dimensions import DIMENSIONS
from shared.schedule import activity_clashes, occurs_on
from tests.backend.world import Api

TABLES = (
    "organization",
    "user_account",
    "youth",
    "plan",
    "goal",
    "activity",
    "agreement",
    "attendance",
    "outreach",
    "assessment",
    "consent",
    "change_log",
    "access_grant",
    "applied_mutation",
    "record_history",
    "conflict",
    "audit_log",
    "sync_counter",
)


class DemoApi(Api):
    """The world's API driver, logging in with the demo password."""

    def __init__(self, client, username: str, device: str = "test-device"):
        self.client, self.device, self.cursor = client, device, None
        r = client.post(
            "/api/v1/auth/login", json={"username": username, "password": seed.DEMO_PASSWORD, "device_name": device}
        )
        assert r.status_code == 200, r.get_json()
        self.token = r.get_json()["token"]
        self.user = r.get_json()["user"]


def snapshot(app) -> dict:
    with app.app_context():
        counts = {t: db.session.scalar(text(f'SELECT COUNT(*) FROM "{t}"')) for t in TABLES}
        counts["seq"] = db.session.scalar(text("SELECT value FROM sync_counter WHERE id = 1"))
        counts["versions"] = {
            e: db.session.scalar(select(func.sum(m.version)))
            for e, m in (("youth", Youth), ("goal", Goal), ("attendance", Attendance), ("agreement", Agreement))
        }
        return counts


@pytest.fixture(autouse=True)
def core_demo_only(monkeypatch):
    """These tests are about the core demo; the programme history has its own tests (and takes ~10 s)."""
    monkeypatch.setattr(seed, "EXTRA_SEEDERS", [])


@pytest.fixture
def demo(app):
    with app.app_context():
        first = seed.seed_demo()
        ids = {u.username: u.id for u in db.session.scalars(select(User))}
        youth = {
            y: db.session.scalar(select(Youth.id).where(Youth.user_id == ids[y])) for y in ("ung.mads", "ung.sara")
        }
        orgs = {o.name: o.id for o in db.session.scalars(select(Organization))}
        db.session.remove()
    return {"summary": first, "users": ids, "youth": youth, "orgs": orgs}


def visible(client, username):
    api = DemoApi(client, username)
    changes, revoked = api.pull_all(limit=200)
    assert revoked == []
    return [c for c in changes if not c["deleted"]]


def test_seed_is_idempotent(app, demo):
    assert "8 brugere (8 nye)" in demo["summary"]
    before = snapshot(app)
    assert (
        before["attendance"] > 0 and before["assessment"] == 9
    )  # 2 × 2 per young person + the treatment centre's (issue 9)
    with app.app_context():
        second = seed.seed_demo()
        db.session.remove()
    assert "(0 nye)" in second and "intet ændret" in second
    assert snapshot(app) == before


def test_seed_resumes_after_partial_run(app, monkeypatch):
    """A run that stopped half-way (e.g. a crash) is completed by the next run without duplicates."""
    with app.app_context():
        with monkeypatch.context() as mp:
            mp.setattr(seed._Seeder, "assessments", lambda self: None)
            seed.seed_demo()
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1  # the treatment centre's
        n_att = db.session.scalar(select(func.count()).select_from(Attendance))
        summary = seed.seed_demo()
        assert "fandtes i forvejen" in summary
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 9
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == n_att
        db.session.remove()


def test_seed_writes_as_the_real_users_and_fails_loudly(app, monkeypatch):
    # Without Sara's consent to UU, UU's worker may not write her goals: the seed must stop, not skip.
    monkeypatch.setitem(seed.CONSENTS, "ung.sara", ("Jobcenter",))
    app.config["DEMO_MODE"] = True
    with app.app_context():
        with pytest.raises(seed.SeedError, match="uu.karen"):
            seed.seed_demo()
        db.session.remove()


def test_writes_are_audited_as_their_authors(app, demo):
    u = demo["users"]
    with app.app_context():
        rows = db.session.execute(
            select(AuditLog.user_id, AuditLog.entity, AuditLog.channel).where(AuditLog.action == "write")
        ).all()
        db.session.remove()
    by_entity = {}
    for user_id, entity, channel in rows:
        assert channel == "cli"
        by_entity.setdefault(entity, set()).add(user_id)
    assert by_entity["consent"] == {u["tovholder.ahmed"]}
    assert by_entity["plan"] == {u["tovholder.ahmed"]}
    assert by_entity["outreach"] == {u["mentor.lise"]}
    assert {u["uu.karen"], u["bostotte.peter"], u["behandler.nina"], u["tovholder.ahmed"]} <= by_entity["goal"]
    assert by_entity["assessment"] == {u["mentor.lise"], u["ung.mads"], u["ung.sara"], u["behandler.nina"]}
    assert {u["ung.mads"], u["ung.sara"], u["mentor.lise"]} <= by_entity["attendance"]


def test_treatment_and_housing_never_see_sara(client, demo):
    mads, sara = demo["youth"]["ung.mads"], demo["youth"]["ung.sara"]
    for user, org in (("behandler.nina", "Rusmiddelcenter"), ("bostotte.peter", "Bostøtte")):
        seen = visible(client, user)
        assert {c["id"] for c in seen if c["entity"] == "youth"} == {mads}
        assert not [c for c in seen if (c["data"] or {}).get("youth_id") == sara]
        assert not [c for c in seen if sara in str(c["data"])]
        org_only = [c for c in seen if c["data"].get("visibility") == "organization"]
        assert org_only and all(c["data"]["organization_id"] == demo["orgs"][org] for c in org_only)
        r = client.get("/api/v1/sync/pull", headers=DemoApi(client, user).headers)
        assert r.status_code == 200


def test_uu_sees_both_but_not_other_organisations_private_items(client, demo):
    seen = visible(client, "uu.karen")
    assert {c["id"] for c in seen if c["entity"] == "youth"} == set(demo["youth"].values())
    org_only = [c for c in seen if c["data"].get("visibility") == "organization"]
    assert org_only, "UU's own organisation-only goal should be visible to UU"
    assert all(c["data"]["organization_id"] == demo["orgs"]["UU"] for c in org_only)
    titles = {c["data"].get("title") for c in seen}
    assert "Nedsætte hashforbrug" not in titles and "Samtale i Rusmiddelcentret" not in titles
    assert "Helbredsafklaring: angst" not in titles
    assert "Ordblindetest og læsestøtte" in titles


def test_mentor_and_coordinator_see_everything_of_both(app, client, demo):
    with app.app_context():
        db_counts = {}
        for entity in ("plan", "goal", "activity", "agreement", "attendance", "outreach", "assessment", "consent"):
            db_counts[entity] = db.session.scalar(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == entity)
            )
        db.session.remove()
    for user in ("mentor.lise", "tovholder.ahmed"):
        seen = visible(client, user)
        assert {c["id"] for c in seen if c["entity"] == "youth"} == set(demo["youth"].values())
        for entity, n in db_counts.items():
            assert len([c for c in seen if c["entity"] == entity]) == n, (user, entity)
        assert any(c["data"].get("visibility") == "organization" for c in seen)


def test_youths_see_only_themselves_and_shared_items(client, demo):
    for y, other in (("ung.mads", "ung.sara"), ("ung.sara", "ung.mads")):
        seen = visible(client, y)
        case = [c for c in seen if c["entity"] != "organization"]
        assert {c["data"]["youth_id"] for c in case} == {demo["youth"][y]}
        assert all(c["data"].get("visibility", "shared") == "shared" for c in case)
        assert not [c for c in seen if demo["youth"][other] in str(c["data"])]
        assert len([c for c in case if c["entity"] == "plan"]) == 1
        # their own two and the mentor's two; Mads also the treatment centre's scores (comment blank)
        asm = [c for c in case if c["entity"] == "assessment"]
        assert len(asm) == (5 if y == "ung.mads" else 4)
        assert "urinprøve" not in str(asm)


def test_admin_sees_no_case_data(client, demo):
    seen = visible(client, "admin")
    assert {c["entity"] for c in seen} == {"organization"}
    assert len(seen) == 4


def test_demo_content_is_plausible(app, demo):
    today = date.today()
    with app.app_context():
        for y in ("ung.mads", "ung.sara"):
            yid = demo["youth"][y]
            youth = db.session.get(Youth, yid)
            assert youth.mentor_id == demo["users"]["mentor.lise"]
            assert youth.coordinator_id == demo["users"]["tovholder.ahmed"]
            plan = db.session.scalar(select(Plan).where(Plan.youth_id == yid))
            assert 90 <= (today - plan.start_date).days <= 110

            acts = {a.id: a for a in db.session.scalars(select(Activity).where(Activity.youth_id == yid))}
            assert len({a.organization_id for a in acts.values()}) >= 2
            atts = db.session.scalars(select(Attendance).where(Attendance.youth_id == yid)).all()
            assert 15 <= len(atts) <= 60
            for att in atts:
                a = acts[att.activity_id]
                assert occurs_on(a.weekdays, a.start_date, a.end_date, att.date), (a.title, att.date)
                assert today - timedelta(days=43) <= att.date < today
                if att.status == "absent_notified":
                    assert att.absence_reason.strip()
            statuses = {a.status for a in atts}
            assert statuses == {"present", "late", "absent_notified", "absent_unnotified"}
            # Every unexplained absence was followed up the same day.
            outreach_days = {
                o.contacted_at.date() for o in db.session.scalars(select(Outreach).where(Outreach.youth_id == yid))
            }
            for att in atts:
                if att.status == "absent_unnotified":
                    assert att.date in outreach_days
            assert any(a.self_checked_in_at for a in atts)

            ags = db.session.scalars(select(Agreement).where(Agreement.youth_id == yid)).all()
            assert {a.responsible for a in ags} == {"youth", "staff"}
            assert any(a.status == "open" and a.due_date <= today for a in ags)
            assert all(a.review_note for a in ags if a.status in ("kept", "not_kept"))
            assert {"kept", "not_kept"} <= {a.status for a in ags}

            asm = db.session.scalars(
                select(Assessment).where(
                    Assessment.youth_id == yid, Assessment.rater_user_id != demo["users"]["behandler.nina"]
                )
            ).all()
            assert len(asm) == 4 and all(a.submitted_at is not None for a in asm)
            due = sorted({a.due_date for a in asm})
            assert len(due) == 2 and due[1] < today and (due[1] - due[0]).days == 42
            assert due[1] + timedelta(days=42) > today  # the next one is still ahead
            for a in asm:
                keys = {d.key for d in DIMENSIONS.for_rater(a.rater_role)}
                assert set(a.scores) == keys
            staff = sorted((a for a in asm if a.rater_role == "staff"), key=lambda a: a.due_date)
            assert "tro_paa_maalet" in staff[0].scores
            assert sum(staff[1].scores.values()) > sum(staff[0].scores.values())

        mads = demo["youth"]["ung.mads"]
        acts = [
            {
                "weekdays": a.weekdays,
                "start_time": a.start_time,
                "end_time": a.end_time,
                "start_date": a.start_date,
                "end_date": a.end_date,
            }
            for a in db.session.scalars(select(Activity).where(Activity.youth_id == mads))
        ]
        assert activity_clashes(acts), "the demo should show one clash for the caseworker"
        assert db.session.scalar(select(Youth.target_group).where(Youth.id == mads)) == "activity_ready"
        assert (
            db.session.scalar(select(Youth.target_group).where(Youth.id == demo["youth"]["ung.sara"]))
            == "education_ready"
        )
        # Records keep their ids between databases: they are derived from fixed names.
        assert db.session.get(Plan, seed.rid("ung.mads", "plan")) is not None
        db.session.remove()


def test_extra_seeders_are_called(app, monkeypatch):
    calls = []

    def extra():
        calls.append(db.session.scalar(select(func.count()).select_from(Plan)))
        return "Ekstra demodata: klar."

    monkeypatch.setattr(seed, "EXTRA_SEEDERS", [extra])
    with app.app_context():
        summary = seed.seed_demo()
        db.session.remove()
    assert calls == [2]  # after the core demo
    assert summary.endswith("Ekstra demodata: klar.")


def test_flask_seed_demo_refuses_outside_demo_mode(app):
    app.config["DEMO_MODE"] = False
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 1 and "TRINVIS_DEMO=1" in result.output
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        db.session.remove()


def test_flask_seed_demo_command(app):
    app.config["DEMO_MODE"] = True
    runner = app.test_cli_runner()
    # The commands are plain click commands: `flask` pushes the app context, here we do.
    with app.app_context():
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert "Demo-kommunen er klar" in result.output
        again = runner.invoke(args=["seed-demo"])
        assert again.exit_code == 0 and "intet ændret" in again.output
        db.session.remove()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 8
        db.session.remove()


def test_flask_seed_demo_reports_a_refused_step_without_traceback(app, monkeypatch):
    monkeypatch.setitem(seed.CONSENTS, "ung.sara", ("Jobcenter",))
    app.config["DEMO_MODE"] = True
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        db.session.remove()
    assert result.exit_code == 1
    assert "afvist" in result.output and "uu.karen" in result.output
    assert "Traceback" not in result.output


def test_demo_has_an_organisation_only_item_of_every_kind(app, client, demo):
    """Issue 9: agreement, assessment comment, outreach, attendance note and enrolment (docs/demo.md)."""
    from backend.programmes.models import Enrolment
    from backend.programmes.seed import _catalogue, _private_enrolment

    with app.app_context():
        _catalogue()  # the programme demo (an extra seeder, left out in this module): Sara's private course
        _private_enrolment(db.session.scalar(select(User).where(User.username == "tovholder.ahmed")), date.today())
        kinds = {
            "agreement": db.session.scalar(select(Agreement.id).where(Agreement.visibility == "organization")),
            "outreach": db.session.scalar(select(Outreach.id).where(Outreach.visibility == "organization")),
            "assessment": db.session.scalar(
                select(Assessment.id).where(Assessment.comment_visibility == "organization")
            ),
            "attendance": db.session.scalar(select(Attendance.id).where(Attendance.note_visibility == "organization")),
            "enrolment": db.session.scalar(select(Enrolment.id).where(Enrolment.visibility == "organization")),
        }
        db.session.remove()
    assert all(kinds.values()), kinds
    texts = ("Aflevere urinprøve", "Positiv urinprøve", "Mads' mor", "Ubetalte regninger")
    for user, sees in (
        ("uu.karen", ()),
        ("bostotte.peter", ("Ubetalte regninger",)),
        ("behandler.nina", ("Aflevere urinprøve", "Positiv urinprøve")),
        ("ung.mads", ()),
        ("mentor.lise", texts),
    ):
        seen = str(visible(client, user))
        for t in texts:
            assert (t in seen) is (t in sees), (user, t)

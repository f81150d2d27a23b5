"""Catalogue, enrolment and history pages: writes go through the engine and reach the phones."""

import re
from datetime import date

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Activity, Youth
from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
from tests.backend.world import Api, build_world, web_login


def login(client, user_id):
    web_login(client, user_id)


def csrf(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


PROGRAMME_FORM = {
    "name": "Brobygning til uddannelse",
    "description": "Screening og brobygning",
    "capacity": "24",
    "team_size": "",
    "hours_per_week": "",
    "start_rule": "Opstart i januar",
    "active": "on",
    "phases": "Screening; 2\nBrobygning; 14",
    "effect-0-kind": "self_supporting",
    "effect-0-pct": "65",
    "effect-0-weeks": "16",
    "effect-1-kind": "job",
    "effect-1-pct": "10",
    "effect-1-weeks": "16",
    "activities": (
        "Screeningssamtale; tir; 10:00-11:00; UU-centret; 1\n"
        "Brobygning; man,tir,ons,tor; 08:30-13:30; Erhvervsskolen; 2"
    ),
}


def make_programme(app, client, w):
    login(client, w.users["ahmed"])
    token = csrf(client, "/programmes/new")
    r = client.post("/programmes/new", data={**PROGRAMME_FORM, "csrf_token": token, "organization_id": w.orgs["UU"]})
    assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        return db.session.scalar(select(Programme.id).where(Programme.name == PROGRAMME_FORM["name"]))


def test_login_required_redirects(app, client):
    for path in ("/results", "/programmes", "/programmes/new"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login")


def test_catalogue_create_edit_and_bad_input_keeps_text(app, client):
    w = build_world(app)
    pid = make_programme(app, client, w)
    with app.app_context():
        p = db.session.get(Programme, pid)
        assert p.duration_weeks == 16 and [ph.weeks for ph in p.phases] == [2, 14]
        assert [(e.outcome, e.share_pct, e.weeks_after_start) for e in p.effects] == [
            ("job", 10, 16),
            ("self_supporting", 65, 16),
        ]
        assert p.activities[1].weekdays == [0, 1, 2, 3] and p.activities[1].phase_position == 2
    html = client.get("/programmes").get_data(as_text=True)
    assert "Brobygning til uddannelse" in html and "65 %" in html
    token = csrf(client, f"/programmes/{pid}/edit")
    # the effect is a choice with Danish labels, not a code typed in free text (issue 16 item 17)
    form = client.get(f"/programmes/{pid}/edit").get_data(as_text=True)
    assert '<option value="self_supporting" selected>Selvforsørgende (uddannelse, job eller andet)</option>' in form
    assert "self_supporting;" not in form
    bad = {**PROGRAMME_FORM, "effect-1-pct": "halvtreds", "csrf_token": token}
    r = client.post(f"/programmes/{pid}/edit", data=bad)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "Effekt 2: skriv andelen som et helt tal" in page and 'value="halvtreds"' in page
    tampered = {**PROGRAMME_FORM, "effect-0-kind": "world_peace", "csrf_token": token}
    page = client.post(f"/programmes/{pid}/edit", data=tampered).get_data(as_text=True)
    assert "Effekt 1: vælg en effekt fra listen." in page
    both = {**PROGRAMME_FORM, "effect-0-date": "2026-06-30", "csrf_token": token}
    page = client.post(f"/programmes/{pid}/edit", data=both).get_data(as_text=True)
    assert "Effekt 1: angiv enten uger efter start eller en dato (ikke begge)." in page
    # a partner may read the catalogue but not edit it
    login(client, w.users["karen"])
    assert client.get("/programmes").status_code == 200
    assert client.get(f"/programmes/{pid}/edit").status_code == 403


def test_enrolment_creates_activities_that_reach_the_phone(app, client):
    w = build_world(app)
    pid = make_programme(app, client, w)
    mads = w.youths["mads"]
    token = csrf(client, f"/programmes/youth/{mads}")
    r = client.post(
        f"/programmes/youth/{mads}/enrol",
        data={"csrf_token": token, "programme_id": pid, "start_date": "2026-01-05", "planned_end_date": ""},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        enr = db.session.scalar(select(Enrolment).where(Enrolment.youth_id == mads))
        assert enr.planned_end_date == date(2026, 4, 26)  # 16 weeks
        acts = {a.title: a for a in db.session.scalars(select(Activity).where(Activity.id.in_(enr.activity_ids)))}
        screening = acts["Brobygning til uddannelse: Screeningssamtale"]
        bridge = acts["Brobygning til uddannelse: Brobygning"]
        assert (screening.start_date, screening.end_date) == (date(2026, 1, 5), date(2026, 1, 18))
        assert (bridge.start_date, bridge.end_date) == (date(2026, 1, 19), date(2026, 4, 26))
        assert screening.organization_id == w.orgs["UU"] and screening.version == 1
    # the young person's phone gets them through the normal sync
    changes, _ = Api(client, "mads").pull_all()
    assert {c["id"] for c in changes if c["entity"] == "activity"} >= set(enr.activity_ids)

    # ending early ends the activities too
    login(client, w.users["ahmed"])
    token = csrf(client, f"/programmes/youth/{mads}")
    r = client.post(
        f"/programmes/youth/{mads}/enrolments/{enr.id}/end",
        data={"csrf_token": token, "actual_end_date": "2026-02-01", "end_reason": "dropped_out"},
    )
    assert r.status_code == 302
    with app.app_context():
        bridge = db.session.get(Activity, bridge.id)
        assert bridge.end_date == date(2026, 2, 1) and bridge.version == 2
        assert db.session.get(Enrolment, enr.id).end_reason == "dropped_out"
    page = client.get(f"/programmes/youth/{mads}").get_data(as_text=True)
    assert "Afbrudt" in page and "Brobygning til uddannelse" in page
    # dates read as on the plan page, dd.mm.yyyy (issue 16 item 17); ISO only inside form fields
    shown = re.sub(r"<[^>]+>", " ", page)
    assert "05.01.2026" in shown and "26.04.2026" in shown and "01.02.2026" in shown
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", shown), re.findall(r"\b20\d\d-\d\d-\d\d\b", shown)


def test_bad_enrolment_input_gives_danish_message(app, client):
    w = build_world(app)
    pid = make_programme(app, client, w)
    mads = w.youths["mads"]
    token = csrf(client, f"/programmes/youth/{mads}")
    r = client.post(
        f"/programmes/youth/{mads}/enrol", data={"csrf_token": token, "programme_id": pid, "start_date": "5/1-2026"}
    )
    assert r.status_code == 400 and "Ugyldig dato" in r.get_data(as_text=True)
    assert "5/1-2026" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Enrolment.id)) is None


def test_history_updates_youth_through_the_engine_and_latest_wins(app, client):
    w = build_world(app)
    login(client, w.users["ahmed"])
    sara = w.youths["sara"]
    token = csrf(client, f"/programmes/youth/{sara}")
    for kind, value, d in (
        ("target-group", "activity_ready", "2026-01-01"),
        ("target-group", "education_ready", "2026-03-01"),
        ("target-group", "job_ready", "2026-02-01"),  # back-dated: not the current one
        ("outcome", "education", "2026-04-01"),
    ):
        r = client.post(
            f"/programmes/youth/{sara}/{kind}", data={"csrf_token": token, "value": value, "valid_from": d, "note": ""}
        )
        assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        youth = db.session.get(Youth, sara)
        assert youth.target_group == "education_ready" and youth.outcome == "education"
        assert youth.version == 5  # created, assigned, three changes (the back-dated entry changes nothing)
        assert len(db.session.scalars(select(TargetGroupChange)).all()) == 3
        assert db.session.scalar(select(OutcomeChange.recorded_by_user_id)) == w.users["ahmed"]
    changes, _ = Api(client, "lise").pull_all()
    sara_rec = next(c for c in changes if c["entity"] == "youth" and c["id"] == sara)
    assert sara_rec["data"]["outcome"] == "education"
    # bad value: Danish message, nothing stored
    r = client.post(
        f"/programmes/youth/{sara}/outcome", data={"csrf_token": token, "value": "rich", "valid_from": "2026-05-01"}
    )
    assert r.status_code == 400 and "Vælg en værdi" in r.get_data(as_text=True)
    # a mentor sees the page but cannot record
    login(client, w.users["lise"])
    assert client.get(f"/programmes/youth/{sara}").status_code == 200
    r = client.post(
        f"/programmes/youth/{sara}/outcome", data={"csrf_token": token, "value": "job", "valid_from": "2026-05-01"}
    )
    assert r.status_code == 403 and "koordinator" in r.get_data(as_text=True)
    # a partner without consent does not see Sara at all
    login(client, w.users["nina"])
    assert client.get(f"/programmes/youth/{sara}").status_code == 404


def test_enrolment_survives_a_push_that_ran_its_batch_again(app, client, monkeypatch):
    """A unique-constraint race makes push() roll back and run again; the enrolment must not be lost."""
    from sqlalchemy.exc import IntegrityError

    from backend.programmes import service
    from backend.programmes.models import Programme
    from backend.sync import push as push_module

    w = build_world(app)
    pid = make_programme(app, client, w)
    real = push_module._push_once
    calls = []

    def racing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("simulated concurrent insert"))
        return real(*args, **kwargs)

    monkeypatch.setattr(push_module, "_push_once", racing)
    with app.app_context():
        from backend.models import User

        ahmed = db.session.get(User, w.users["ahmed"])
        programme = db.session.get(Programme, pid)
        enr = service.enrol(ahmed, w.youths["mads"], programme, date(2026, 1, 5), None)
        enr_id, act_ids = enr.id, list(enr.activity_ids)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    assert len(calls) == 2
    with app.app_context():
        stored = db.session.get(Enrolment, enr_id)
        assert stored is not None and stored.activity_ids == act_ids
        assert db.session.scalar(select(func.count()).select_from(Activity).where(Activity.id.in_(act_ids))) == len(
            act_ids
        )


def test_enrolment_warns_of_clashes_with_existing_activities(app, client):
    """The programme's activities overlap a treatment session the young person already has."""
    from datetime import timedelta

    from tests.backend.world import activity

    w = build_world(app)
    pid = make_programme(app, client, w)
    mads = w.youths["mads"]
    start = date.today() + timedelta(days=(7 - date.today().weekday()) % 7)  # a coming Monday
    treatment = activity(
        w,
        "mads",
        "Rusmiddelcenter",
        "Samtale i behandling",
        weekdays=[1],
        start_time="10:30",
        end_time="11:30",
        start_date=start.isoformat(),
        visibility="shared",
    )
    assert Api(client, "nina").upsert("activity", treatment)["status"] == "applied"
    login(client, w.users["ahmed"])
    token = csrf(client, f"/programmes/youth/{mads}")
    r = client.post(
        f"/programmes/youth/{mads}/enrol",
        data={"csrf_token": token, "programme_id": pid, "start_date": start.isoformat(), "planned_end_date": ""},
        follow_redirects=True,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    # Screening on Tuesdays 10:00–11:00 and bridging Mon–Thu 08:30–13:30 both overlap it
    assert "Bemærk: forløbets aktiviteter overlapper med Samtale i behandling (Rusmiddelcenter, tirsdag" in html
    assert html.count("Samtale i behandling (Rusmiddelcenter") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1  # enrolled all the same

    # no warning when nothing overlaps (Sara has no activities)
    token = csrf(client, f"/programmes/youth/{w.youths['sara']}")
    r = client.post(
        f"/programmes/youth/{w.youths['sara']}/enrol",
        data={"csrf_token": token, "programme_id": pid, "start_date": start.isoformat(), "planned_end_date": ""},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "overlapper" not in r.get_data(as_text=True)


def test_tampered_enrolment_and_history_posts_answer_in_plain_danish(app, client):
    """Issue 16 item 17: tampered ids, enum values and dates get a Danish message and a 4xx, never a 500."""
    w = build_world(app)
    pid = make_programme(app, client, w)
    mads = w.youths["mads"]
    token = csrf(client, f"/programmes/youth/{mads}")
    base = f"/programmes/youth/{mads}"
    cases = [
        ("/enrol", {"programme_id": "x" * 80, "start_date": "2026-13-40"}, "Vælg et forløb."),
        ("/enrol", {"programme_id": pid, "start_date": "2026-01-05", "visibility": "secret"}, "kun for organisationen"),
        ("/enrol", {"programme_id": pid, "start_date": "1800-01-05"}, "Startdatoen skal ligge mellem år 2000"),
        (
            "/enrol",
            {"programme_id": pid, "start_date": "2026-01-05", "planned_end_date": "2025-01-01"},
            "efter startdatoen",
        ),
        ("/target-group", {"value": "world_peace", "valid_from": "x"}, "Vælg en værdi fra listen."),
        ("/outcome", {"value": "job", "valid_from": "31-12-2026"}, "Ugyldig dato"),
    ]
    for path, data, message in cases:
        r = client.post(base + path, data={**data, "csrf_token": token})
        assert r.status_code == 400 and message in r.get_data(as_text=True), (path, data)
    no_csrf = client.post(base + "/enrol", data={"programme_id": pid, "start_date": "2026-01-05"})
    assert no_csrf.status_code == 400 and "sikkerhedsnøglen" in no_csrf.get_data(as_text=True)
    assert client.post(base + "/bogus", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/programmes/youth/{'y' * 50}/enrol", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0

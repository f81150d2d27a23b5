"""Need-to-know on every path, generated from the one rule (shared/permissions.py, issue 9).

A world with an organisation-only item of every kind, each carrying a unique secret text (or, for
an enrolment, its id). For every user (each role) the rule says which secrets they may see; then
every path is fetched as that user — pull, push answers, plan page, print, progression (charts),
audit, conflicts, programme page, results page, CSV, results API, morning list, contact attempts,
staff export — and a secret the rule hides
must not appear in any of them. Where a path shows an entity, a secret the rule allows must appear
(so the test cannot pass by showing nothing). The print is checked per meeting composition.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta

import pytest

from backend.extensions import db
from backend.models import (
    Activity,
    Agreement,
    Assessment,
    Attendance,
    CompanyAgreement,
    Goal,
    Outreach,
    PlacementFollowUp,
    User,
    Youth,
)
from backend.programmes.models import Enrolment, Programme
from backend.web.privacy import as_record
from shared import permissions
from tests.backend.world import D0, Api, activity, build_world, uid, web_login

USERS = ("mads", "sara", "lise", "ahmed", "karen", "peter", "nina", "admin", "ole")
MODELS = {
    "goal": Goal,
    "activity": Activity,
    "agreement": Agreement,
    "outreach": Outreach,
    "assessment": Assessment,
    "attendance": Attendance,
    "enrolment": Enrolment,
    "company_agreement": CompanyAgreement,
    "placement_follow_up": PlacementFollowUp,
    "youth": Youth,
}
SECRET_FIELD = {
    "youth": "contact_time",  # the young person's own contact details: self, mentor, coordinator only
    "goal": "title",
    "activity": "title",
    "agreement": "text",
    "outreach": "note",
    "assessment": "comment",
    "attendance": "note",
    "company_agreement": "tasks",
    "placement_follow_up": "note",
}
PLAN_PAGE_SHOWS = {"youth", "goal", "activity", "agreement", "outreach", "company_agreement", "placement_follow_up"}
# a change that leaves the secret in place (a user allowed to make it must not erase it for the others)
HARMLESS = {
    "youth": {"reminders_enabled": True},
    "goal": {"description": "x"},
    "activity": {"location": "x"},
    "agreement": {"review_note": "x"},
    "outreach": {"reached": False},
    "assessment": {"comment": "x"},
    "attendance": {"status": "late"},
    "company_agreement": {"contact_name": "x"},
    "placement_follow_up": {"done_date": D0},
}


def _secret(kind: str) -> str:
    return f"HEMMELIG-{kind}-{uid()[:8]}"


def build(app, client) -> dict:
    """The organisation-only items, written as their owners would (API and enrolment service)."""
    w = build_world(app)
    mads = w.youths["mads"]
    nina, lise = Api(client, "nina"), Api(client, "lise")
    s = {k: _secret(k) for k in SECRET_FIELD}
    ids = {"youth": mads}
    with app.app_context():
        version = db.session.get(Youth, mads).version
    own = {"youth_id": mads, "phone": "31234567", "contact_time": s["youth"], "reminders_enabled": True}
    assert Api(client, "mads").upsert("youth", own, base_version=version, record_id=mads)["status"] == "applied"
    # treatment items: no visibility sent — the treatment organisation's default keeps them private
    ids["goal"] = nina.upsert(
        "goal", {"youth_id": mads, "organization_id": w.orgs["Rusmiddelcenter"], "title": s["goal"]}
    )["record"]["id"]
    act = activity(w, "mads", "Rusmiddelcenter", s["activity"])
    del act["visibility"]
    ids["activity"] = nina.upsert("activity", act)["record"]["id"]
    ids["agreement"] = nina.upsert(
        "agreement",
        {
            "youth_id": mads,
            "organization_id": w.orgs["Rusmiddelcenter"],
            "text": s["agreement"],
            "responsible": "youth",
            "due_date": D0,
        },
    )["record"]["id"]
    from shared.dimensions import DIMENSIONS

    ids["assessment"] = nina.upsert(
        "assessment",
        {
            "youth_id": mads,
            "organization_id": w.orgs["Rusmiddelcenter"],
            "due_date": D0,
            "rater_role": "staff",
            "scores": {d.key: 4 for d in DIMENSIONS.for_rater("staff")},
            "comment": s["assessment"],
            "submitted_at": f"{D0}T10:00:00+00:00",
        },
    )["record"]["id"]
    shared_act = nina.upsert("activity", activity(w, "mads", "Rusmiddelcenter", "Gruppe", "shared"))["record"]
    ids["attendance"] = nina.upsert(
        "attendance",
        {"youth_id": mads, "activity_id": shared_act["id"], "date": D0, "status": "present", "note": s["attendance"]},
    )["record"]["id"]
    # a placement at the treatment centre's own workshop, and its follow-up (private like its agreement)
    ids["company_agreement"] = nina.upsert(
        "company_agreement",
        {
            "youth_id": mads,
            "organization_id": w.orgs["Rusmiddelcenter"],
            "company": "Værkstedet",
            "tasks": s["company_agreement"],
            "start_date": D0,
        },
    )["record"]["id"]
    ids["placement_follow_up"] = nina.upsert(
        "placement_follow_up",
        {
            "youth_id": mads,
            "company_agreement_id": ids["company_agreement"],
            "due_date": D0,
            "note": s["placement_follow_up"],
        },
    )["record"]["id"]
    # outreach: partners write none, so the mentor keeps one within the job centre
    ids["outreach"] = lise.upsert(
        "outreach",
        {
            "youth_id": mads,
            "organization_id": w.orgs["Jobcenter"],
            "method": "call",
            "reached": True,
            "note": s["outreach"],
            "contacted_at": f"{D0}T09:00:00+00:00",
            "visibility": "organization",
        },
    )["record"]["id"]
    # a conflict on the private goal (two stale edits by its owner), for the conflicts page
    nina.upsert("goal", {"id": ids["goal"], "description": "a"}, base_version=1)
    nina.upsert("goal", {"id": ids["goal"], "description": "b"}, base_version=1)
    assert all(ids.values()), ids
    with app.app_context():
        from backend.programmes import service

        prog_id = uid()
        db.session.add(
            Programme(id=prog_id, name=f"Behandlingsforløb {prog_id[:6]}", organization_id=w.orgs["Rusmiddelcenter"])
        )
        db.session.commit()
        user = db.session.get(User, w.users["ahmed"])
        e = service.enrol(user, mads, db.session.get(Programme, prog_id), date.today() - timedelta(days=7), None)
        ids["enrolment"] = e.id
        s["enrolment"] = e.id
        records = {k: as_record(db.session.get(MODELS[k], v)) for k, v in ids.items()}
        actors = {u: permissions.actor_of(db.session.get(User, w.users[u])) for u in USERS}
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    return {"w": w, "ids": ids, "secrets": s, "records": records, "actors": actors, "programme": prog_id}


def may_see(actor, kind: str, rec: dict) -> bool:
    """The one rule: whole record, and the secret's field where it is hidden on its own."""
    if actor.role == "admin" or not permissions.may_see(actor, kind, rec):
        return False
    return SECRET_FIELD.get(kind) not in permissions.hidden_fields(actor, kind, rec)


def reaches_mads(username: str) -> bool:
    return username in ("mads", "lise", "ahmed", "karen", "peter", "nina")


def web_get(app, user_id: str, url: str):
    c = app.test_client()
    web_login(c, user_id)
    return c.get(url)


def test_no_path_shows_what_the_rule_hides(app, client):
    x = build(app, client)
    w, ids, secrets, records = x["w"], x["ids"], x["secrets"], x["records"]
    mads = w.youths["mads"]
    # the rule itself, for the treatment centre's items: a partner of another organisation never sees them
    for kind in (
        "goal",
        "activity",
        "agreement",
        "assessment",
        "enrolment",
        "company_agreement",
        "placement_follow_up",
    ):
        assert not may_see(x["actors"]["karen"], kind, records[kind]), kind
        assert may_see(x["actors"]["nina"], kind, records[kind]), kind
    # the young person's contact details: themself, their mentor and coordinator; no partner
    for username in USERS:
        expected = username in ("mads", "lise", "ahmed")
        assert (reaches_mads(username) and may_see(x["actors"][username], "youth", records["youth"])) is expected
    leaks, missing = [], []
    pages = [
        f"/youth/{mads}",
        f"/youth/{mads}/print?show=1&youth=1",
        f"/youth/{mads}/progression",
        f"/youth/{mads}/audit",
        "/conflicts",
        f"/programmes/youth/{mads}",
        "/results",
        "/results/export/cohorts.csv",
        "/results/export/attendance.csv",
        "/morning",
        f"/youth/{mads}/contact-attempts",
        f"/youth/{mads}/contact-attempts?print=1",
        "/sms",
        f"/youth/{mads}/export",
    ]
    for username in USERS:
        actor = x["actors"][username]
        visible = {k for k in secrets if reaches_mads(username) and may_see(actor, k, records[k])}
        api = Api(client, username)
        pulled = json.dumps(api.pull_all()[0], ensure_ascii=False)
        bodies = {"pull": pulled}
        for kind, rid in ids.items():
            if kind == "enrolment":
                continue
            res = api.upsert(kind, {"id": rid, "youth_id": mads, **HARMLESS[kind]})
            bodies[f"push {kind}"] = json.dumps(res, ensure_ascii=False)
            partial = kind in ("assessment", "attendance", "youth")  # the record is seen, the secret's field not
            if kind not in visible and not (partial and reaches_mads(username)):
                if res["error"] is None or res["error"]["code"] != "not_found":
                    leaks.append(f"{username}: push {kind} answered {res['status']} {res['error']}, not not_found")
        bodies["results api"] = json.dumps(client.get("/api/v1/reports/results", headers=api.headers).get_json())
        org = f"&org={actor.organization_id}" if actor.organization_id else ""
        for p in pages:
            r = web_get(app, w.users[username], p + (org if "print" in p else ""))
            bodies[p] = r.get_data(as_text=True)
        for kind, secret in secrets.items():
            for path, body in bodies.items():
                if secret in body and kind not in visible:
                    leaks.append(f"{username} sees {kind} via {path}")
            if kind in visible and kind != "enrolment" and secret not in pulled:
                missing.append(f"{username} misses {kind} in pull")
            if (
                kind in visible
                and kind in PLAN_PAGE_SHOWS
                and actor.role != "youth"
                and secret not in bodies[f"/youth/{mads}"]
            ):
                missing.append(f"{username} misses {kind} on the plan page")
        if (
            "enrolment" in visible
            and actor.role != "youth"
            and ids["enrolment"] not in bodies[f"/programmes/youth/{mads}"]
        ):
            missing.append(f"{username} misses the enrolment on the programme page")
    assert not leaks, "\n".join(leaks)
    assert not missing, "\n".join(missing)


def test_results_count_only_enrolments_the_user_may_see(app, client):
    x = build(app, client)
    for username in ("karen", "nina", "ahmed"):
        api = Api(client, username)
        data = client.get("/api/v1/reports/results", headers=api.headers).get_json()
        prog = next(p for p in data["cohorts"] if p["programme_id"] == x["programme"])
        participants = sum(c["participants"] for c in prog["cohorts"])
        expected = int(may_see(x["actors"][username], "enrolment", x["records"]["enrolment"]))
        assert participants == expected, (username, prog)


MEETING_ORGS = ("Jobcenter", "UU", "Rusmiddelcenter")


@pytest.mark.parametrize(
    "orgs,youth_present",
    [
        (combo, yp)
        for n in (0, 1, 2)
        for combo in itertools.combinations(MEETING_ORGS, n)
        for yp in (False, True)
        if combo or yp
    ],
)
def test_print_shows_only_what_everyone_at_the_meeting_may_see(app, client, orgs, youth_present):
    x = build(app, client)
    w = x["w"]
    audience = [permissions.Actor(None, "partner", w.orgs[o]) for o in orgs]
    if youth_present:
        audience.append(permissions.Actor(None, "youth", None))
    query = "&".join(f"org={w.orgs[o]}" for o in orgs) + ("&youth=1" if youth_present else "")
    page = web_get(app, w.users["ahmed"], f"/youth/{w.youths['mads']}/print?show=1&{query}").get_data(as_text=True)
    for kind in ("goal", "activity", "agreement"):
        expected = permissions.meeting_sees(audience, kind, x["records"][kind])
        assert (x["secrets"][kind] in page) is expected, (kind, orgs, youth_present)
    if orgs == ("Rusmiddelcenter",) and not youth_present:
        row = re.search(re.escape(x["secrets"]["agreement"]) + r".{0,400}", page, re.S).group(0)
        assert "Kun Rusmiddelcenter" in row  # printed for its own organisation: marked

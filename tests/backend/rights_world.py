"""A case with a record of every kind, for the export and erasure tests (through the real engine)."""

from __future__ import annotations

from datetime import date

from backend.extensions import db
from backend.models import User
from backend.programmes import service
from shared.dimensions import DIMENSIONS
from tests.backend.world import D0, Api, activity, goal, uid


def scores(rater: str) -> dict:
    return {d.key: 6 for d in DIMENSIONS.dimensions if rater == "staff" or not d.staff_only}


def full_case(app, client, w, youth: str, tag: str) -> dict:
    """Plan, goals (one organisation-only, UU), activities, attendance, agreement, assessments of both raters,
    outreach, a conflict, an enrolment, target-group and outcome history. Returns the ids made."""
    yid = w.youths[youth]
    ahmed, lise, karen, me = Api(client, "ahmed"), Api(client, "lise"), Api(client, "karen"), Api(client, youth)
    made = {}
    made["plan"] = ahmed.upsert(
        "plan",
        {"youth_id": yid, "end_goal": f"Uddannelse {tag}", "end_goal_kind": "education", "start_date": "2026-01-05"},
    )["record"]["id"]
    g = lise.upsert("goal", goal(w, youth, "Jobcenter", f"Stå op {tag}"))["record"]
    made["treatment_goal"] = karen.upsert("goal", goal(w, youth, "UU", f"Behandling {tag}", visibility="organization"))[
        "record"
    ]["id"]
    # the same field changed on two sides: a conflict with both values
    ahmed.upsert("goal", {"id": g["id"], "title": f"Ahmeds titel {tag}"}, base_version=1)
    lise.upsert("goal", {"id": g["id"], "title": f"Lises titel {tag}"}, base_version=1)
    act = lise.upsert("activity", activity(w, youth, "Jobcenter", f"Værksted {tag}"))["record"]
    # a check-in is accepted on its own day only (issue 9: the server enforces the window)
    me.upsert(
        "attendance", {"youth_id": yid, "activity_id": act["id"], "date": D0, "self_checked_in_at": f"{D0}T08:55:00Z"}
    )
    lise.upsert(
        "agreement",
        {
            "youth_id": yid,
            "organization_id": w.orgs["Jobcenter"],
            "text": f"Ring {tag}",
            "responsible": "youth",
            "due_date": "2026-01-09",
        },
    )
    me.upsert(
        "assessment",
        {
            "youth_id": yid,
            "due_date": "2026-02-16",
            "rater_role": "youth",
            "scores": scores("youth"),
            "comment": f"Min egen {tag}",
            "submitted_at": "2026-02-16T10:00:00Z",
        },
    )
    lise.upsert(
        "assessment",
        {
            "youth_id": yid,
            "due_date": "2026-02-16",
            "rater_role": "staff",
            "organization_id": w.orgs["Jobcenter"],
            "scores": scores("staff"),
            "submitted_at": "2026-02-16T11:00:00Z",
        },
    )
    made["step_change"] = ahmed.upsert(
        "step_change", {"youth_id": yid, "step": "afklaring", "reason": f"Start {tag}", "valid_from": "2026-01-05"}
    )["record"]["id"]
    made["company_agreement"] = lise.upsert(
        "company_agreement",
        {
            "youth_id": yid,
            "organization_id": w.orgs["Jobcenter"],
            "activity_id": act["id"],
            "company": f"Værksted {tag}",
            "start_date": "2026-01-05",
        },
    )["record"]["id"]
    made["placement_follow_up"] = lise.upsert(
        "placement_follow_up",
        {"youth_id": yid, "company_agreement_id": made["company_agreement"], "due_date": "2026-02-02"},
    )["record"]["id"]
    made["work_hours"] = lise.upsert(
        "work_hours",
        {
            "youth_id": yid,
            "organization_id": w.orgs["Jobcenter"],
            "company_agreement_id": made["company_agreement"],
            "period": "week",
            "period_start": "2026-01-05",
            "ordinary_hours": 6,
            "supported_hours": 10,
        },
    )["record"]["id"]
    made["goal_proposal"] = me.upsert("goal_proposal", {"youth_id": yid, "text": f"Tage kørekort {tag}"})["record"][
        "id"
    ]
    lise.upsert(
        "outreach",
        {
            "youth_id": yid,
            "organization_id": w.orgs["Jobcenter"],
            "method": "call",
            "reached": True,
            "note": f"Vækket {tag}",
            "contacted_at": "2026-01-06T07:30:00Z",
        },
    )
    with app.app_context():
        coordinator = db.session.get(User, w.users["ahmed"])
        p = service.save_programme(
            coordinator,
            None,
            {
                "name": f"Forløb {uid()[:6]}",
                "description": "",
                "organization_id": w.orgs["Jobcenter"],
                "capacity": 20,
                "team_size": None,
                "hours_per_week": None,
                "start_rule": "",
                "active": True,
                "phases": [("Forløb", 16)],
                "effects": [("job", 60, 12)],
                "activities": [
                    {
                        "title": "Hold",
                        "weekdays": [1],
                        "start_time": "09:00",
                        "end_time": "12:00",
                        "location": "",
                        "phase": None,
                    }
                ],
            },
        )
        coordinator = db.session.get(User, w.users["ahmed"])
        service.enrol(coordinator, yid, p, date(2026, 1, 12), None)
        coordinator = db.session.get(User, w.users["ahmed"])
        service.record_target_group(coordinator, yid, "education_ready", date(2026, 1, 5), note=f"Vurderet {tag}")
        db.session.remove()
    return made

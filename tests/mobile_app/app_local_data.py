"""A small, valid data set as a pull would deliver it, for tests that need no server."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

ORG = "00000000-0000-4000-8000-000000000001"
MENTOR = "00000000-0000-4000-8000-0000000000a1"
YOUTH_USER = "00000000-0000-4000-8000-0000000000b1"
YOUTH = "00000000-0000-4000-8000-0000000000c1"


def _id() -> str:
    return str(uuid.uuid4())


def changes(today: date) -> dict:
    """organization, youth, plan (started 50 days ago), goal, a daily activity, an agreement."""
    act = _id()
    plan_start = today - timedelta(days=50)
    records = [
        ("organization", ORG, {"id": ORG, "name": "Jobcenter", "kind": "jobcenter"}),
        (
            "youth",
            YOUTH,
            {
                "id": YOUTH,
                "youth_id": YOUTH,
                "display_name": "Mads",
                "user_id": YOUTH_USER,
                "mentor_id": MENTOR,
                "outcome": "active",
            },
        ),
        (
            "plan",
            _id(),
            {
                "youth_id": YOUTH,
                "end_goal": "Starte på EUD som tømrer",
                "end_goal_kind": "education",
                "start_date": plan_start.isoformat(),
                "target_date": None,
            },
        ),
        (
            "goal",
            _id(),
            {
                "youth_id": YOUTH,
                "organization_id": ORG,
                "title": "Møde op 4 dage om ugen",
                "description": "",
                "status": "in_progress",
                "target_date": None,
                "visibility": "shared",
            },
        ),
        (
            "activity",
            act,
            {
                "youth_id": YOUTH,
                "organization_id": ORG,
                "goal_id": None,
                "title": "Værkstedet",
                "weekdays": [0, 1, 2, 3, 4, 5, 6],
                "start_time": "09:00",
                "end_time": "12:00",
                "start_date": (today - timedelta(days=60)).isoformat(),
                "end_date": None,
                "location": "Hal 2",
                "visibility": "shared",
            },
        ),
        (
            "agreement",
            _id(),
            {
                "youth_id": YOUTH,
                "organization_id": ORG,
                "text": "Ring til lægen",
                "responsible": "youth",
                "responsible_user_id": None,
                "due_date": today.isoformat(),
                "status": "open",
                "review_note": "",
                "reviewed_at": None,
                "youth_comment": "",
                "youth_marked_done_at": None,
            },
        ),
    ]
    out = []
    for entity, rid, data in records:
        data = {"id": rid, **data}
        out.append({"entity": entity, "id": rid, "version": 1, "deleted": False, "data": data})
    return {"changes": out, "activity_id": act}


YOUTH_LOGIN = {
    "id": YOUTH_USER,
    "username": "ung.mads",
    "role": "youth",
    "organization_id": None,
    "display_name": "Mads",
    "youth_id": YOUTH,
}
MENTOR_LOGIN = {
    "id": MENTOR,
    "username": "mentor.lise",
    "role": "mentor",
    "organization_id": ORG,
    "display_name": "Lise",
}

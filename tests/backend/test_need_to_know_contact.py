"""The young person's contact details reach only themself, their mentor and their coordinator.

Through the real sync engine: pulls and push results per role, a partner's blank pushed back, and
the resend that replaces the copies devices pulled before the rule narrowed.
"""

from __future__ import annotations

import pytest

from backend.extensions import db
from backend.models import Youth
from tests.backend.world import Api, build_world, uid

CONTACT = {"phone": "+4531234567", "contact_time": "Efter kl. 10", "reminder_time": "07:30", "reminders_enabled": True}
HIDDEN = {"phone": "", "contact_time": "", "reminder_time": "", "reminders_enabled": None}


@pytest.fixture
def w(app):
    w = build_world(app)
    with app.app_context():
        version = db.session.get(Youth, w.youths["mads"]).version
    res = Api(app.test_client(), "mads").upsert(
        "youth", {"youth_id": w.youths["mads"], **CONTACT}, base_version=version, record_id=w.youths["mads"]
    )
    assert res["status"] == "applied", res
    return w


def stored(app, yid) -> dict:
    with app.app_context():
        y = db.session.get(Youth, yid)
        return {f: getattr(y, f) for f in CONTACT} | {"version": y.version}


def pulled_youth(api: Api, yid: str) -> dict:
    changes, _ = api.pull_all()
    rows = [c for c in changes if c["entity"] == "youth" and c["id"] == yid]
    assert rows, "the young person was not pulled"
    return rows[-1]["data"]


@pytest.mark.parametrize(
    "username, expected",
    [("mads", CONTACT), ("lise", CONTACT), ("ahmed", CONTACT), ("karen", HIDDEN), ("peter", HIDDEN), ("nina", HIDDEN)],
)
def test_pull_gives_contact_details_to_youth_mentor_coordinator_only(app, w, username, expected):
    data = pulled_youth(Api(app.test_client(), username), w.youths["mads"])
    assert {f: data[f] for f in CONTACT} == expected
    assert data["display_name"] and data["mentor_id"] == w.users["lise"]  # the rest of the record stays


def test_push_result_to_a_partner_carries_the_blanks(app, w):
    karen = Api(app.test_client(), "karen")
    yid = w.youths["mads"]
    base = pulled_youth(karen, yid)
    res = karen.upsert("youth", {**base, "display_name": "Mads K"}, base_version=stored(app, yid)["version"])
    assert res["status"] == "rejected" and res["error"]["code"] == "forbidden", res
    assert {f: res["record"][f] for f in CONTACT} == HIDDEN  # the server's copy, redacted


def test_a_partners_blanks_pushed_back_never_overwrite_the_real_values(app, w):
    karen = Api(app.test_client(), "karen")
    yid = w.youths["mads"]
    before = stored(app, yid)
    base = pulled_youth(karen, yid)
    assert {f: base[f] for f in CONTACT} == HIDDEN
    results = karen.push(
        {
            "mutation_id": uid(),
            "entity": "youth",
            "id": yid,
            "op": "upsert",
            "base_version": before["version"],
            "data": base,
        },
        {
            "mutation_id": uid(),
            "entity": "youth",
            "id": yid,
            "op": "upsert",
            "base_version": before["version"],
            "data": {"id": yid, "youth_id": yid, **HIDDEN, "reminders_enabled": False},
        },
    )
    assert [(r["status"], r["error"]["code"]) for r in results] == [("rejected", "forbidden")] * 2, results
    assert stored(app, yid) == before


def test_the_young_persons_own_push_result_keeps_the_values(app, w):
    yid = w.youths["mads"]
    res = Api(app.test_client(), "mads").upsert(
        "youth", {"youth_id": yid, "contact_time": "Sms først"}, base_version=stored(app, yid)["version"], record_id=yid
    )
    assert res["status"] == "applied"
    assert res["record"]["phone"] == "+4531234567" and res["record"]["contact_time"] == "Sms først"


def test_resend_replaces_a_partners_earlier_copy(app, w):
    karen = Api(app.test_client(), "karen")
    yid = w.youths["mads"]
    pulled_youth(karen, yid)
    again, _ = karen.pull_all()
    assert not [c for c in again if c["entity"] == "youth"]  # nothing new: an old copy would stay as it was
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["resend-records", "youth"])
        db.session.remove()
    assert result.exit_code == 0 and result.output.startswith("2 youth"), result.output
    resent = [c for c in karen.pull_all()[0] if c["entity"] == "youth" and c["id"] == yid]
    assert resent and {f: resent[-1]["data"][f] for f in CONTACT} == HIDDEN
    mentor_copy = pulled_youth(Api(app.test_client(), "lise"), yid)
    assert {f: mentor_copy[f] for f in CONTACT} == CONTACT


def test_openapi_says_who_receives_the_contact_details(client):
    props = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["YouthData"]["properties"]
    for f in CONTACT:
        assert "partners" in props[f]["description"], f
    assert props["reminders_enabled"]["nullable"] is True and "null" in props["reminders_enabled"]["description"]

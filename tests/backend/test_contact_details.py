"""Issue 13, step 1: the young person's contact details and the organisations' on-call numbers.

Through the real engine: the coordinator's plan-page form, the young person's own push from the
app, the API refusing what others may not change, and the administrator's CLI.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import Organization, Youth
from shared.contact import format_phone, normalize_phone, reminder_at, within_hours
from tests.backend.test_web_pages import Browser
from tests.backend.world import Api, build_world, uid


@pytest.fixture
def w(app):
    return build_world(app)


def youth_row(app, yid) -> Youth:
    with app.app_context():
        y = db.session.get(Youth, yid)
        db.session.expunge(y)
        return y


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("31 23 45 67", "+4531234567"),
        ("+45 31234567", "+4531234567"),
        ("0045 31 23 45 67", "+4531234567"),
        ("  ", None),
        (None, None),
        ("+46 70 123 45 67", "+46701234567"),
    ],
)
def test_phone_numbers_are_read_as_danish_and_stored_in_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12", "abc", "12345678", "+45 1234"])
def test_invalid_phone_numbers_get_a_danish_message(raw):
    with pytest.raises(ValueError, match="gyldigt telefonnummer"):
        normalize_phone(raw)


def test_format_phone_groups_digits():
    assert format_phone("+4531234567") == "+45 31 23 45 67"
    assert format_phone(None) == ""


def test_coordinator_saves_contact_details_on_the_plan_page(app, w):
    b = Browser(app, "ahmed")
    yid = w.youths["mads"]
    page = b.get(f"/youth/{yid}")
    assert "Intet mobilnummer registreret" in page.text
    v = youth_row(app, yid).version
    r = b.post(
        f"/youth/{yid}/contact",
        {
            "mutation_id": uid(),
            "phone": "31 23 45 67",
            "contact_time": "Efter kl. 10",
            "reminder_time": "07:30",
            "reminders_enabled": "yes",
            "base_version": v,
        },
    )
    assert r.status_code == 302, r.text
    y = youth_row(app, yid)
    assert (y.phone, y.contact_time, y.reminder_time, y.reminders_enabled) == (
        "+4531234567",
        "Efter kl. 10",
        "07:30",
        True,
    )
    page = b.get(f"/youth/{yid}").text
    assert "+45 31 23 45 67" in page and 'href="tel:+4531234567"' in page and "kl. 07:30" in page


def test_bad_phone_on_the_plan_page_is_a_danish_field_error_not_a_500(app, w):
    b = Browser(app, "ahmed")
    yid = w.youths["mads"]
    r = b.post(
        f"/youth/{yid}/contact",
        {"mutation_id": uid(), "phone": "123", "reminder_time": "25:00", "base_version": youth_row(app, yid).version},
    )
    assert r.status_code == 400
    assert "gyldigt telefonnummer" in r.text
    assert youth_row(app, yid).phone is None


def test_mentor_gets_no_contact_form_and_cannot_post_it(app, w):
    b = Browser(app, "lise")
    yid = w.youths["mads"]
    assert 'id="contact-form"' not in b.get(f"/youth/{yid}").text
    r = b.post(
        f"/youth/{yid}/contact",
        {"mutation_id": uid(), "phone": "31 23 45 67", "base_version": youth_row(app, yid).version},
    )
    assert r.status_code == 400
    assert youth_row(app, yid).phone is None


def test_young_person_changes_own_contact_details_and_nothing_else(app, w):
    api = Api(app.test_client(), "mads")
    yid = w.youths["mads"]
    res = api.upsert(
        "youth",
        {"youth_id": yid, "phone": "+45 31 23 45 67", "reminder_time": "08:15", "reminders_enabled": False},
        base_version=youth_row(app, yid).version,
        record_id=yid,
    )
    assert res["status"] == "applied", res
    y = youth_row(app, yid)
    assert (y.phone, y.reminder_time, y.reminders_enabled) == ("+4531234567", "08:15", False)
    res = api.upsert("youth", {"youth_id": yid, "display_name": "Kongen"}, base_version=y.version, record_id=yid)
    assert res["status"] == "rejected" and res["error"]["code"] == "forbidden_field"
    res = api.upsert("youth", {"youth_id": yid, "phone": "nej"}, base_version=y.version, record_id=yid)
    assert res["status"] == "rejected" and "telefonnummer" in res["error"]["message"]


def test_mentor_sees_the_phone_number_by_sync(app, w):
    yid = w.youths["mads"]
    Api(app.test_client(), "mads").upsert(
        "youth", {"youth_id": yid, "phone": "31234567"}, base_version=youth_row(app, yid).version, record_id=yid
    )
    changes, _ = Api(app.test_client(), "lise").pull_all()
    mads = [c for c in changes if c["entity"] == "youth" and c["id"] == yid][-1]
    assert mads["data"]["phone"] == "+4531234567"


def cli(app, *args):
    """Run a CLI command the way `flask --app backend …` does (inside the app context)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def test_admin_sets_on_call_number_and_opening_hours_by_cli(app, w):
    r = cli(
        app,
        *[
            "set-org-contact",
            "Jobcenter",
            "--on-call",
            "70 12 34 56",
            "--weekdays",
            "0-4",
            "--opens",
            "08:00",
            "--closes",
            "15:30",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "+45 70 12 34 56" in r.output
    with app.app_context():
        org = db.session.scalar(select(Organization).where(Organization.name == "Jobcenter"))
        assert (org.on_call_phone, org.opening_weekdays, org.opens_at, org.closes_at) == (
            "+4570123456",
            [0, 1, 2, 3, 4],
            "08:00",
            "15:30",
        )
    changes, _ = Api(app.test_client(), "mads").pull_all()
    jc = [c for c in changes if c["entity"] == "organization" and c["id"] == w.orgs["Jobcenter"]][-1]
    assert jc["data"]["on_call_phone"] == "+4570123456" and jc["data"]["opens_at"] == "08:00"
    for bad, msg in (
        (["--on-call", "1"], "telefonnummer"),
        (["--opens", "16:00", "--closes", "08:00"], "før"),
        (["--weekdays", "mandag"], "Ugedage"),
        (["--weekdays", "0-9"], "Ugedage"),
    ):
        r = cli(app, "set-org-contact", "Jobcenter", *bad)
        assert r.exit_code != 0 and msg in r.output, r.output


def test_reminder_time_rules():
    from datetime import date, datetime

    d = date(2026, 3, 30)
    assert reminder_at(d, "09:00", None) == datetime(2026, 3, 30, 8, 0)
    assert reminder_at(d, "09:00", "06:00") == datetime(2026, 3, 30, 7, 0)  # never in the night
    assert reminder_at(d, "07:30", None) == datetime(2026, 3, 30, 7, 0)
    assert reminder_at(d, "09:00", "10:00") == datetime(2026, 3, 30, 9, 0)  # never after the start
    assert reminder_at(d, "00:30", None) == datetime(2026, 3, 30, 0, 30)
    assert within_hours(datetime(2026, 3, 30, 8, 0), [0, 1, 2, 3, 4], "08:00", "16:00")
    assert not within_hours(datetime(2026, 3, 30, 16, 0), [0, 1, 2, 3, 4], "08:00", "16:00")
    assert not within_hours(datetime(2026, 3, 29, 10, 0), [0, 1, 2, 3, 4], "08:00", "16:00")


def test_mentor_phone_by_cli_and_the_young_persons_contacts_api(app, w):
    r = cli(app, "set-user-phone", "lise", "31 10 00 01")
    assert r.exit_code == 0 and "+45 31 10 00 01" in r.output, r.output
    r = cli(app, "set-user-phone", "lise", "nul")
    assert r.exit_code != 0 and "telefonnummer" in r.output
    r = cli(app, "set-user-phone", "mads", "31100001")
    assert r.exit_code != 0  # not staff
    mads = Api(app.test_client(), "mads")
    r = mads.client.get("/api/v1/me/contacts", headers=mads.headers)
    assert r.status_code == 200
    assert r.get_json() == {"mentor": {"name": "Lise", "phone": "+4531100001", "organization_id": w.orgs["Jobcenter"]}}
    lise = Api(app.test_client(), "lise")
    assert lise.client.get("/api/v1/me/contacts", headers=lise.headers).status_code == 403
    assert app.test_client().get("/api/v1/me/contacts").status_code == 401

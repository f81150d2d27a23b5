"""Issue 13 in the app's core against the REAL backend: the young person's own contact details,
and the mentor's one-tap call/text that records the contact attempt by itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mobile_app.core import contact
from mobile_app.core.errors import ValidationFailed


def server_youth(backend_server, display_name: str):
    from backend.extensions import db
    from backend.models import Youth

    with backend_server.flask_app.app_context():
        y = db.session.scalar(select(Youth).where(Youth.display_name == display_name))
        db.session.expunge(y)
        db.session.remove()
        return y


def test_young_person_sets_own_number_and_turns_reminders_off(backend_server, device):
    mads = device("mads", "ung.mads")
    assert mads.sync() is not None
    svc = mads.services()
    contact.save_my_contact(svc, "31 23 45 67", "Efter kl. 10", "07:45", False)
    assert contact.my_contact(svc) == {
        "phone": "+45 31 23 45 67",
        "contact_time": "Efter kl. 10",
        "reminder_time": "07:45",
        "reminders_enabled": False,
    }
    assert mads.sync() is not None and mads.status().pending == 0
    y = server_youth(backend_server, "Mads Jensen")
    assert (y.phone, y.contact_time, y.reminder_time, y.reminders_enabled) == (
        "+4531234567",
        "Efter kl. 10",
        "07:45",
        False,
    )


@pytest.mark.parametrize(
    "phone, reminder, message", [("123", "", "gyldigt telefonnummer"), ("31234567", "7.30", "TT:MM")]
)
def test_bad_contact_details_are_refused_on_the_phone_in_danish(backend_server, device, phone, reminder, message):
    mads = device("mads", "ung.mads")
    assert mads.sync() is not None
    with pytest.raises(ValidationFailed, match=message):
        contact.save_my_contact(mads.services(), phone, "", reminder, True)
    assert mads.status().pending == 0


def test_a_mentor_cannot_use_the_young_persons_form(backend_server, device):
    lise = device("lise", "mentor.lise")
    assert lise.sync() is not None
    with pytest.raises(ValidationFailed):
        contact.save_my_contact(lise.services(), "31234567", "", "", True)


def test_one_tap_call_records_the_attempt_and_the_answer_reaches_the_coordinators_plan_page(backend_server, device):
    from backend.services.caseload import local_now

    if local_now().strftime("%H:%M") < "00:16":
        pytest.skip("the seeded 00:00 activity is not yet overdue")
    mads = device("mads", "ung.mads")
    assert mads.sync() is not None
    contact.save_my_contact(mads.services(), "31 23 45 67", "", "", True)
    assert mads.sync() is not None
    lise = device("lise", "mentor.lise")
    assert lise.sync() is not None
    svc = lise.services()
    row = next(r for r in contact.morning_list(svc) if r.youth["display_name"].startswith("Mads"))
    assert contact.prefilled_text(svc, row).startswith("Hej Mads. Vi savner dig i dag til")
    link, rec = contact.start_contact(svc, row.youth["id"], "sms", contact.prefilled_text(svc, row))
    assert link.startswith("sms:+4531234567?body=Hej%20Mads")
    link, rec = contact.start_contact(svc, row.youth["id"], "call")
    assert link == "tel:+4531234567"
    contact.answer_reached(svc, rec["id"], True)
    assert lise.sync() is not None and lise.status().pending == 0

    from backend.extensions import db
    from backend.models import Outreach, User

    app = backend_server.flask_app
    with app.app_context():
        rows = db.session.scalars(
            select(Outreach).where(Outreach.youth_id == row.youth["id"]).order_by(Outreach.contacted_at)
        ).all()
        lise_id = db.session.scalar(select(User.id).where(User.username == "mentor.lise"))
        mine = [o for o in rows if o.note.endswith("med ét tryk i appen.")]
        assert [(o.method, o.reached, o.user_id) for o in mine] == [("sms", False, lise_id), ("call", True, lise_id)]
        db.session.remove()
    from tests.backend.test_web_pages import Browser

    b = Browser(app)
    assert b.login("tovholder.ahmed", "demo1234").status_code == 302
    assert b.get(f"/youth/{row.youth['id']}").text.count("med ét tryk i appen.") == 2


def test_one_tap_without_a_number_says_so(backend_server, device):
    sara_server = server_youth(backend_server, "Sara Ahmadi")
    with backend_server.flask_app.app_context():
        from backend.admin import system_write

        system_write(
            [
                {
                    "entity": "youth",
                    "id": sara_server.id,
                    "data": {"id": sara_server.id, "youth_id": sara_server.id, "phone": None},
                }
            ]
        )
    lise = device("lise", "mentor.lise")
    assert lise.sync() is not None
    svc = lise.services()
    sara = next(y for y in lise.store.all("youth") if y["display_name"].startswith("Sara"))
    with pytest.raises(ValidationFailed, match="intet mobilnummer"):
        contact.start_contact(svc, sara["id"], "call")
    assert lise.status().pending == 0


def test_whom_to_call_is_fetched_at_sync_and_kept_offline(backend_server, device):
    app = backend_server.flask_app
    with app.app_context():
        from backend.admin import set_org_contact, set_user_phone

        set_user_phone("mentor.lise", "31 10 00 01")
        set_org_contact("Jobcenter", "70 12 34 56", "0-6", "00:00", "23:59")  # open all the time
    mads = device("mads", "ung.mads")
    assert mads.sync() is not None
    who = contact.whom_to_call(mads.services())
    assert (who.label, who.link) == ("Ring til Lise", "tel:+4531100001")
    with app.app_context():
        set_org_contact("Jobcenter", None, "", "", "")  # no opening hours any more: always the on-call line
    assert mads.sync() is not None
    backend_server.stop()
    assert mads.sync() is None  # offline: the last known contacts stay
    who = contact.whom_to_call(mads.services())
    assert (who.label, who.link) == ("Ring til vagttelefonen (Jobcenter)", "tel:+4570123456")


def test_a_partners_phone_never_holds_or_shows_the_young_persons_number(backend_server, device):
    mads = device("mads", "ung.mads")
    assert mads.sync() is not None
    contact.save_my_contact(mads.services(), "31 23 45 67", "Efter kl. 10", "07:45", True)
    assert mads.sync() is not None and mads.status().pending == 0
    karen = device("karen", "uu.karen")
    assert karen.sync() is not None
    stored = next(y for y in karen.store.all("youth") if y["display_name"] == "Mads Jensen")
    assert {f: stored[f] for f in ("phone", "contact_time", "reminder_time", "reminders_enabled")} == {
        "phone": "",
        "contact_time": "",
        "reminder_time": "",
        "reminders_enabled": None,
    }
    # A copy pulled before the rule narrowed (an older server) is shown blank by the same rule.
    karen.store.apply_pull_page(
        [
            {
                "entity": "youth",
                "id": stored["id"],
                "version": 99,
                "deleted": False,
                "data": {**stored, "phone": "+4531234567"},
            }
        ],
        [],
        None,
    )
    svc = karen.services()
    assert svc.youth(stored["id"])["phone"] == "" and svc.store.get("youth", stored["id"])["phone"] == "+4531234567"
    assert all(r.youth["phone"] == "" for r in svc.caseload())
    with pytest.raises(ValidationFailed):  # partners record no outreach: no link to the number either
        contact.contact_link(svc, stored["id"], "call")
    lise = device("lise", "mentor.lise")
    assert lise.sync() is not None
    lsvc = lise.services()
    assert contact.contact_link(lsvc, stored["id"], "call") == "tel:+4531234567"
    assert contact.my_contact(mads.services())["phone"] == "+45 31 23 45 67"

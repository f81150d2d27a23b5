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
    assert contact.my_contact(svc) == {"phone": "+45 31 23 45 67", "contact_time": "Efter kl. 10",
                                       "reminder_time": "07:45", "reminders_enabled": False}
    assert mads.sync() is not None and mads.status().pending == 0
    y = server_youth(backend_server, "Mads Jensen")
    assert (y.phone, y.contact_time, y.reminder_time, y.reminders_enabled) == ("+4531234567", "Efter kl. 10", "07:45", False)


@pytest.mark.parametrize("phone, reminder, message", [("123", "", "gyldigt telefonnummer"),
                                                      ("31234567", "7.30", "TT:MM")])
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

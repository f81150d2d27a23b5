"""The phone asks the one permission rule (shared/permissions.py) before it queues anything, hides
what the user cannot do and marks organisation-only items (issue 9). No server needed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import app_local_data as ld
import pytest

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.services import Services
from mobile_app.core.store import Store
from mobile_app.core.vault import new_data_key

TZ = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=TZ)
RUS = "00000000-0000-4000-8000-000000000002"
NINA = {
    "id": "00000000-0000-4000-8000-0000000000d1",
    "username": "behandler.nina",
    "role": "partner",
    "organization_id": RUS,
    "display_name": "Nina",
}


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "app.sqlite", key=new_data_key())
    data = ld.changes(NOW.date())
    treatment = [
        {
            "entity": "organization",
            "id": RUS,
            "version": 1,
            "deleted": False,
            "data": {"id": RUS, "name": "Rusmiddelcenter", "kind": "rusmiddelcenter"},
        },
        {
            "entity": "agreement",
            "id": "00000000-0000-4000-8000-0000000000e1",
            "version": 1,
            "deleted": False,
            "data": {
                "id": "00000000-0000-4000-8000-0000000000e1",
                "youth_id": ld.YOUTH,
                "organization_id": RUS,
                "text": "Aflevere urinprøve hver mandag",
                "responsible": "youth",
                "responsible_user_id": None,
                "due_date": NOW.date().isoformat(),
                "status": "open",
                "review_note": "",
                "reviewed_at": None,
                "youth_comment": "",
                "youth_marked_done_at": None,
                "visibility": "organization",
            },
        },
    ]
    s.apply_pull_page(data["changes"] + treatment, [], "c1")
    yield s
    s.close()


def svc(store, user):
    return Services(store, user, clock=lambda: NOW)


def treatment_agreement(store):
    return next(a for a in store.all("agreement") if a["organization_id"] == RUS)


def test_mentor_may_review_but_not_rewrite_another_organisations_agreement(store):
    mentor = svc(store, ld.MENTOR_LOGIN)
    ag = treatment_agreement(store)
    assert mentor.may("agreement", ag, {"status"}) and not mentor.may("agreement", ag, {"text"})
    mentor.review_agreement(ag["id"], "kept", "Afleveret")
    assert store.outbox()[-1].data["status"] == "kept"


def test_youth_cannot_queue_what_the_server_would_refuse(store):
    youth = svc(store, ld.YOUTH_LOGIN)
    assert not youth.may("outreach") and not youth.may("agreement")
    with pytest.raises(ValidationFailed) as exc:
        youth.log_outreach(ld.YOUTH, "call", True)
    assert "mentor" in exc.value.message.lower()
    assert store.outbox() == []


def test_partner_is_not_offered_outreach_and_treatment_defaults_to_organisation_only(store):
    nina = svc(store, NINA)
    assert not nina.may("outreach")
    assert nina.default_visibility() == "organization"
    assert svc(store, ld.MENTOR_LOGIN).default_visibility() == "shared"
    rec = nina.add_agreement(ld.YOUTH, "Komme til samtale", NOW.date())
    assert rec["visibility"] == "organization" and store.outbox()[-1].data["visibility"] == "organization"


def test_organisation_only_items_carry_a_marker(store):
    mentor = svc(store, ld.MENTOR_LOGIN)
    assert mentor.private_label("agreement", treatment_agreement(store)) == "Kun Rusmiddelcenter"
    shared = next(a for a in store.all("agreement") if a["organization_id"] == ld.ORG)
    assert mentor.private_label("agreement", shared) == ""


def test_staff_attendance_more_than_a_week_back_is_refused_on_the_phone(store):
    mentor = svc(store, ld.MENTOR_LOGIN)
    act = store.all("activity")[0]
    with pytest.raises(ValidationFailed) as exc:
        mentor.record_attendance(ld.YOUTH, act["id"], "2025-03-01", "present")
    assert "koordinatoren" in exc.value.message


def test_partner_records_attendance_only_at_their_own_organisations_activities(store):
    """Issue 16 item 11: the phone offers a partner only what the server will take."""
    nina, mentor = svc(store, NINA), svc(store, ld.MENTOR_LOGIN)
    jobcenter_act = store.all("activity")[0]
    assert mentor.may_record_attendance(jobcenter_act) and mentor.attendance_days(ld.YOUTH)
    assert not nina.may_record_attendance(jobcenter_act)
    assert nina.attendance_days(ld.YOUTH) == [] and nina.recordable_on(ld.YOUTH, NOW.date()) == []
    own = {**jobcenter_act, "id": "00000000-0000-4000-8000-0000000000f1", "organization_id": RUS}
    store.apply_pull_page(
        [{"entity": "activity", "id": own["id"], "version": 1, "deleted": False, "data": own}], [], "c2"
    )
    assert [it.activity["id"] for it in nina.recordable_on(ld.YOUTH, NOW.date())] == [own["id"]]
    nina.record_attendance(ld.YOUTH, own["id"], NOW.date(), "present")
    assert store.outbox()[-1].entity == "attendance"

"""The one permission rule (shared/permissions.py), tested as the pure function it is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared import permissions as P

TODAY = date(2026, 12, 1)
JOB, UU, RUS = "org-job", "org-uu", "org-rus"
mentor = P.Actor("m", "mentor", JOB)
coordinator = P.Actor("c", "coordinator", JOB)
karen = P.Actor("k", "partner", UU)
nina = P.Actor("n", "partner", RUS)
youth = P.Actor("y", "youth", None)
admin = P.Actor("a", "admin", None)


def rec(org=RUS, visibility="organization", **kw):
    return {"id": "r", "youth_id": "Y", "organization_id": org, "visibility": visibility, **kw}


@pytest.mark.parametrize("entity", sorted(P.RECORD_VISIBILITY))
def test_organisation_only_record_is_seen_by_owner_mentor_coordinator_only(entity):
    r = rec()
    assert [P.may_see(a, entity, r) for a in (mentor, coordinator, karen, nina, youth, admin)] == [
        True,
        True,
        False,
        True,
        False,
        False,
    ]
    shared = rec(visibility="shared")
    assert [P.may_see(a, entity, shared) for a in (mentor, coordinator, karen, nina, youth, admin)] == [
        True,
        True,
        True,
        True,
        True,
        False,
    ]


def test_assessment_scores_shared_comment_follows_comment_visibility():
    a = {
        "id": "a",
        "youth_id": "Y",
        "organization_id": RUS,
        "scores": {"x": 5},
        "comment": "Positiv urinprøve",
        "comment_visibility": "organization",
    }
    for who in (karen, youth):
        seen = P.redact(who, "assessment", a)
        assert seen["scores"] == {"x": 5} and seen["comment"] == ""
    assert P.redact(nina, "assessment", a)["comment"] == "Positiv urinprøve"
    assert P.redact(mentor, "assessment", a)["comment"] == "Positiv urinprøve"
    assert P.is_private("assessment", a)


def test_attendance_note_hidden_but_status_shared():
    att = {
        "id": "t",
        "youth_id": "Y",
        "organization_id": RUS,
        "visibility": "shared",
        "status": "present",
        "note": "Var påvirket",
        "note_visibility": "organization",
    }
    seen = P.redact(karen, "attendance", att)
    assert seen["status"] == "present" and seen["note"] == ""


def test_default_visibility_by_organisation_kind():
    assert P.default_visibility("rusmiddelcenter") == "organization"
    assert P.default_visibility("psychiatry") == "organization"
    assert P.default_visibility("uu") == "shared"
    assert P.default_visibility(None) == "shared"


def test_meeting_sees_only_what_everyone_present_may_see():
    private = rec()
    assert P.meeting_sees([nina, mentor], "agreement", private)
    assert not P.meeting_sees([nina, karen], "agreement", private)
    assert not P.meeting_sees([nina, youth], "agreement", private)
    assert P.meeting_sees([karen, youth], "agreement", rec(visibility="shared"))


def test_assignment_needs_consent_to_the_assignees_organisation():
    P.check_assignment("mentor_id", mentor, {JOB, UU})
    with pytest.raises(P.Denied) as e:
        P.check_assignment("mentor_id", mentor, {UU})
    assert e.value.code == "no_consent" and "samtykke" in e.value.message
    with pytest.raises(P.Denied) as e:
        P.check_assignment("mentor_id", karen, {UU})  # a partner is not a mentor
    assert e.value.code == "invalid_assignment"
    with pytest.raises(P.Denied):
        P.check_assignment("coordinator_id", mentor, {JOB})


def test_mentor_reviews_but_does_not_rewrite_another_organisations_agreement():
    ag = rec(org=RUS, visibility="shared", text="Aflevere urinprøve", status="open", youth_comment="")
    assert P.may_write(mentor, "agreement", "upsert", ag, {**ag, "status": "kept"}, {"status", "review_note"})
    for f in ("text", "organization_id", "due_date", "visibility"):
        assert not P.may_write(mentor, "agreement", "upsert", ag, {**ag, f: "x"}, {f})
    assert not P.may_write(mentor, "agreement", "delete", ag)
    own = rec(org=JOB, visibility="shared", text="Ringe", youth_comment="")
    assert P.may_write(mentor, "agreement", "upsert", own, {**own, "text": "Ringe i dag"}, {"text"})


@pytest.mark.parametrize("who", [mentor, coordinator, nina])
def test_staff_never_write_the_young_persons_own_comment(who):
    ag = rec(org=RUS if who is nina else JOB, visibility="shared", youth_comment="Har gjort det")
    with pytest.raises(P.Denied) as e:
        P.check_write(who, "agreement", "upsert", ag, {**ag, "youth_comment": "Nej"}, {"youth_comment"})
    assert e.value.code == "forbidden_field"
    # echoing the unchanged comment back is fine
    P.check_write(who, "agreement", "upsert", ag, {**ag, "status": "kept"}, {"status", "youth_comment"})


def _att(day: date, **kw):
    return {"id": "t", "youth_id": "Y", "activity_id": "A", "date": day.isoformat(), **kw}


def test_youth_check_in_only_on_the_day():
    ok = _att(TODAY, self_checked_in_at=f"{TODAY.isoformat()}T08:55:00+00:00")
    P.check_write(youth, "attendance", "upsert", None, ok, set(ok), TODAY)
    old = TODAY - timedelta(days=43)
    bad = _att(old, self_checked_in_at=f"{old.isoformat()}T08:55:00+00:00")
    with pytest.raises(P.Denied) as e:
        P.check_write(youth, "attendance", "upsert", None, bad, set(bad), TODAY)
    assert e.value.code == "outside_window"
    lying = _att(
        TODAY - timedelta(days=1), self_checked_in_at=f"{(TODAY - timedelta(days=5)).isoformat()}T08:00:00+00:00"
    )
    with pytest.raises(P.Denied):
        P.check_write(youth, "attendance", "upsert", None, lying, set(lying), TODAY)


def test_youth_absence_notice_from_today_up_to_a_week_ahead():
    for k, ok in ((0, True), (7, True), (8, False), (-3, False)):
        d = _att(TODAY + timedelta(days=k), status="absent_notified", absence_reason="Syg")
        assert P.may_write(youth, "attendance", "upsert", None, d, set(d), TODAY) is ok, k


def test_staff_attendance_a_week_back_unless_coordinator():
    for k, ok in ((0, True), (7, True), (8, False)):
        d = _att(TODAY - timedelta(days=k), status="present")
        assert P.may_write(mentor, "attendance", "upsert", None, d, set(d), TODAY) is ok, k
    old = _att(TODAY - timedelta(days=30), status="late")
    assert P.may_write(coordinator, "attendance", "upsert", None, old, set(old), TODAY)
    assert P.needs_correction_audit(coordinator, "attendance", old, TODAY)
    assert not P.needs_correction_audit(coordinator, "attendance", _att(TODAY, status="late"), TODAY)


def test_partner_writes_own_organisation_only_and_admin_nothing():
    g = rec(org=UU, visibility="shared", title="x")
    assert P.may_write(karen, "goal", "upsert", g, {**g, "title": "y"}, {"title"})
    assert not P.may_write(nina, "goal", "upsert", g, {**g, "title": "y"}, {"title"})
    assert not P.may_write(karen, "outreach", "upsert", None, rec(org=UU), {"note"})
    assert not P.may_write(admin, "goal", "upsert", None, g, {"title"})


def test_youth_self_assessment_is_shared():
    a = {"id": "a", "youth_id": "Y", "rater_role": "youth", "scores": {}, "comment_visibility": "organization"}
    assert not P.may_write(youth, "assessment", "upsert", None, a, set(a))
    assert P.may_write(youth, "assessment", "upsert", None, {**a, "comment_visibility": "shared"}, set(a))


def test_writable_fields_offers_the_review_only():
    ag = rec(org=RUS, visibility="shared", text="t", status="open", review_note="", youth_comment="")
    assert P.writable_fields(mentor, "agreement", ag) == {"status", "review_note"}
    assert "youth_comment" in P.writable_fields(youth, "agreement", ag)
    assert "text" not in P.writable_fields(youth, "agreement", ag)


YOUTH_REC = {
    "id": "Y",
    "youth_id": "Y",
    "display_name": "Mads",
    "mentor_id": "m",
    "coordinator_id": "c",
    "phone": "+4531234567",
    "contact_time": "efter kl. 10",
    "reminder_time": "07:30",
    "reminders_enabled": True,
}


def test_contact_details_only_for_the_young_person_mentor_and_coordinator():
    for who in (mentor, coordinator, youth):
        assert P.hidden_fields(who, "youth", YOUTH_REC) == frozenset(), who
    for who in (karen, nina):
        assert P.hidden_fields(who, "youth", YOUTH_REC) == {
            "phone",
            "contact_time",
            "reminder_time",
            "reminders_enabled",
        }


def test_hidden_contact_details_travel_as_typed_blanks_and_the_rest_stays():
    out = P.redact(karen, "youth", YOUTH_REC)
    assert out == {**YOUTH_REC, "phone": "", "contact_time": "", "reminder_time": "", "reminders_enabled": None}
    assert P.redact(mentor, "youth", YOUTH_REC) == YOUTH_REC
    assert P.redact(youth, "youth", YOUTH_REC) == YOUTH_REC
    assert P.redact(admin, "youth", YOUTH_REC) is None


def test_meeting_print_hides_contact_details_when_a_partner_is_present():
    assert P.meeting_hidden_fields([coordinator, karen], "youth", YOUTH_REC) == P.CONTACT_FIELDS
    assert P.meeting_hidden_fields([coordinator, mentor], "youth", YOUTH_REC) == frozenset()


def test_partner_may_not_write_the_young_persons_contact_details():
    for f in sorted(P.CONTACT_FIELDS):
        assert not P.may_write(karen, "youth", "upsert", YOUTH_REC, {**YOUTH_REC, f: P.blank(f)}, {f})
    assert P.writable_fields(karen, "youth", YOUTH_REC) == frozenset()

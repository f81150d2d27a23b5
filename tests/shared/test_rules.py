"""Pure domain rules in shared/: the 6-week schedule, clashes, schemas' Danish messages."""

from datetime import date, datetime

import pytest
from marshmallow import ValidationError

from shared.dimensions import DIMENSIONS
from shared.schedule import (
    activity_clashes,
    assessment_due_dates,
    next_assessment_due,
    not_checked_in,
    occurs_on,
    overdue_assessment,
)
from shared.schemas import first_error_message, is_uuid, validate_entity


def test_assessments_fall_every_sixth_week_from_plan_start():
    start = date(2026, 1, 5)
    assert assessment_due_dates(start, date(2026, 4, 1)) == [date(2026, 2, 16), date(2026, 3, 30)]
    assert next_assessment_due(start, date(2026, 2, 17)) == date(2026, 3, 30)
    assert next_assessment_due(start, date(2026, 2, 16)) == date(2026, 2, 16)


def test_overdue_is_the_latest_missed_due_date():
    start = date(2026, 1, 5)
    assert overdue_assessment(start, set(), date(2026, 2, 16)) is None  # due today is not overdue
    assert overdue_assessment(start, set(), date(2026, 2, 17)) == date(2026, 2, 16)
    assert overdue_assessment(start, {date(2026, 2, 16)}, date(2026, 3, 31)) == date(2026, 3, 30)
    assert overdue_assessment(start, {date(2026, 2, 16), date(2026, 3, 30)}, date(2026, 3, 31)) is None
    assert overdue_assessment(None, set(), date(2026, 3, 31)) is None


def test_only_the_latest_due_assessment_counts():
    """Issue 16 item 7: sending the overdue 30.3. assessment clears it, although 16.2. was missed."""
    start = date(2026, 1, 5)
    assert overdue_assessment(start, set(), date(2026, 3, 31)) == date(2026, 3, 30)
    assert overdue_assessment(start, {date(2026, 3, 30)}, date(2026, 3, 31)) is None
    assert overdue_assessment(start, {date(2026, 3, 30)}, date(2026, 5, 12)) == date(2026, 5, 11)
    assert overdue_assessment(start, {date(2026, 5, 11)}, date(2026, 5, 8)) is None  # 30.3. missed; 11.5. sent early


def test_activity_occurrence_and_check_in_grace():
    assert occurs_on([0, 2], date(2026, 1, 1), None, date(2026, 1, 5))  # a Monday
    assert not occurs_on([0, 2], date(2026, 1, 1), None, date(2026, 1, 6))
    assert not occurs_on([0], date(2026, 1, 12), None, date(2026, 1, 5))
    assert not occurs_on([0], None, date(2026, 1, 4), date(2026, 1, 5))
    day = date(2026, 1, 5)
    assert not not_checked_in("09:00", day, datetime(2026, 1, 5, 9, 14))
    assert not_checked_in("09:00", day, datetime(2026, 1, 5, 9, 15))


def test_clash_needs_common_day_overlapping_time_and_dates():
    a = {
        "weekdays": [1, 3],
        "start_time": "09:00",
        "end_time": "11:00",
        "start_date": date(2026, 1, 1),
        "end_date": None,
    }
    b = {"weekdays": [3], "start_time": "10:30", "end_time": "12:00", "start_date": date(2026, 1, 1), "end_date": None}
    c = {"weekdays": [3], "start_time": "11:00", "end_time": "12:00", "start_date": date(2026, 1, 1), "end_date": None}
    d = {"weekdays": [3], "start_time": "09:00", "end_time": "12:00", "start_date": date(2027, 1, 1), "end_date": None}
    old = {**a, "end_date": date(2026, 12, 1)}
    assert [(x["start_time"], y["start_time"], days) for x, y, days in activity_clashes([a, b])] == [
        ("09:00", "10:30", [3])
    ]
    assert activity_clashes([a, c]) == []  # touching ends do not clash
    assert activity_clashes([old, d]) == []  # different periods


def test_dimensions_youth_skips_staff_only():
    youth = {d.key for d in DIMENSIONS.for_rater("youth")}
    assert "tro_paa_maalet" not in youth and len(youth) == 8
    assert len(DIMENSIONS.for_rater("staff")) == 9
    assert DIMENSIONS.get("fremmoede").step_text(8).startswith("Jeg kommer næsten altid")


def test_uuid_check():
    assert is_uuid("123e4567-e89b-12d3-a456-426614174000")
    assert not is_uuid("123E4567-E89B-12D3-A456-426614174000")
    assert not is_uuid("123e4567e89b12d3a456426614174000")
    assert not is_uuid(None) and not is_uuid(5)


@pytest.mark.parametrize(
    "data,needle",
    [
        ({"weekdays": [1], "start_time": "10:00", "end_time": "09:00"}, "Sluttid"),
        ({"weekdays": [1], "start_time": "9", "end_time": "10:00"}, "TT:MM"),
        ({"weekdays": [8], "start_time": "09:00", "end_time": "10:00"}, "weekdays"),
    ],
)
def test_activity_errors_are_danish(data, needle):
    base = {
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "youth_id": "123e4567-e89b-12d3-a456-426614174001",
        "organization_id": "123e4567-e89b-12d3-a456-426614174002",
        "title": "A",
        "start_date": "2026-01-05",
    }
    with pytest.raises(ValidationError) as e:
        validate_entity("activity", {**base, **data})
    assert needle in first_error_message(e.value) or needle in str(e.value.messages)


def test_absence_notice_needs_a_reason():
    base = {
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "youth_id": "123e4567-e89b-12d3-a456-426614174001",
        "activity_id": "123e4567-e89b-12d3-a456-426614174002",
        "date": "2026-01-05",
    }
    with pytest.raises(ValidationError) as e:
        validate_entity("attendance", {**base, "status": "absent_notified", "absence_reason": "  "})
    assert "hvorfor" in first_error_message(e.value)
    assert validate_entity("attendance", {**base, "status": "absent_notified", "absence_reason": "Syg"})["status"]

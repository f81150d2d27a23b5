"""The per-entity write policies as pure rules: no database, plain records in, decisions out."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from backend.domain import policies as p
from shared.enums import Role

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
YOUTH = p.Writer("u-youth", Role.YOUTH, None)
MENTOR = p.Writer("u-mentor", Role.MENTOR, "org-job")
COORDINATOR = p.Writer("u-coord", Role.COORDINATOR, "org-job")


class Records:
    def __init__(self, **by_id):
        self.by_id = by_id
        self.visible = True

    def find(self, entity, record_id):
        return self.by_id.get(record_id)

    def may_see(self, organization_id, visibility):
        return self.visible


def test_policies_import_nothing_but_the_standard_library_and_shared():
    for module in Path(p.__file__).parent.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        mods = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        mods |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        outside = {m.split(".")[0] for m in mods if not m.startswith("backend.domain.")}
        assert outside <= {"__future__", "dataclasses", "datetime", "typing", "shared"}, module.name


def test_staff_attendance_status_wins_over_the_young_persons_and_a_check_in_is_never_erased():
    row = SimpleNamespace(status="absent_unnotified", status_source="staff", self_checked_in_at=NOW, absence_reason="")
    changed = {"status": "present", "self_checked_in_at": None}
    assert p.policy("attendance").merge_rules(YOUTH, row, {}, changed) is True
    assert changed == {}


def test_a_check_in_means_present_unless_staff_said_otherwise():
    loaded = {"self_checked_in_at": NOW}
    p.policy("attendance").merge_rules(YOUTH, None, loaded, {})
    assert loaded["status"] == "present"
    row = SimpleNamespace(status=None, status_source=None, self_checked_in_at=None, absence_reason="")
    changed = {}
    p.policy("attendance").merge_rules(YOUTH, row, {"self_checked_in_at": NOW}, changed)
    assert changed == {"status": "present"}


def test_attendance_takes_its_activitys_owner_and_a_hidden_activity_is_absent():
    act = SimpleNamespace(youth_id="y1", deleted=False, organization_id="org-rus", visibility="organization")
    records = Records(a1=act)
    loaded = {"youth_id": "y1", "activity_id": "a1", "status": "late"}
    out = p.policy("attendance").server_fields(MENTOR, None, loaded, {}, records, NOW)
    assert out == {
        "organization_id": "org-rus",
        "visibility": "organization",
        "status_source": "staff",
        "recorded_by_user_id": "u-mentor",
    }
    records.visible = False
    with pytest.raises(p.Rejected) as e:
        p.policy("attendance").server_fields(MENTOR, None, loaded, {}, records, NOW)
    assert e.value.code == "invalid_reference"


def test_consent_is_stamped_when_given_and_opens_the_records_to_the_organisation():
    pol = p.policy("consent")
    out = pol.server_fields(COORDINATOR, None, {"status": "given"}, {}, Records(), NOW)
    assert out == {"recorded_by_user_id": "u-coord", "given_at": NOW}
    after = {"youth_id": "y1", "organization_id": "org-uu", "status": "withdrawn"}
    assert pol.effects(COORDINATOR, {**after, "status": "given"}, after) == [
        p.Access("y1", "org", "org-uu", "consent", granted=False)
    ]


def test_assigning_a_mentor_moves_the_grant_and_the_coordinator_may_go_on():
    before = {"id": "y1", "mentor_id": "m-old", "coordinator_id": "u-coord"}
    after = {"id": "y1", "mentor_id": "m-new", "coordinator_id": "u-coord"}
    assert p.policy("youth").effects(COORDINATOR, before, after) == [
        p.Access("y1", "user", "m-old", "mentor", granted=False),
        p.Access("y1", "user", "m-new", "mentor", granted=True),
        p.NowVisible("y1"),
    ]


def test_only_a_coordinator_creates_a_young_person():
    with pytest.raises(p.Rejected):
        p.policy("youth").check_create(MENTOR)
    p.policy("youth").check_create(COORDINATOR)
    p.policy("youth").check_create(p.Writer("admin", Role.ADMIN, None, system=True))


def test_attendance_follows_its_activity_only_when_owner_or_visibility_change_or_it_is_deleted():
    pol = p.policy("activity")
    base = {"id": "a1", "visibility": "shared", "organization_id": "o1", "title": "x"}
    assert pol.effects(MENTOR, base, {**base, "title": "y"}) == []
    assert pol.effects(MENTOR, base, {**base, "visibility": "organization"}) == [p.Cascade("a1")]
    assert pol.delete_effects("a1") == [p.Cascade("a1")]


def test_a_submitted_assessment_is_locked():
    pol = p.policy("assessment")
    assert pol.locked(SimpleNamespace(submitted_at=NOW)) and not pol.locked(SimpleNamespace(submitted_at=None))
    assert not p.policy("goal").locked(SimpleNamespace(submitted_at=NOW))

"""Caseload flags on small built data: each flag appears and disappears at the right moment."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.admin import system_write
from backend.extensions import db
from backend.models import Conflict, User
from backend.services.caseload import Filters, apply_filters, load_caseload, parse_filters
from backend.sync.push import push

CPH = ZoneInfo("Europe/Copenhagen")
# Wednesday 4 March 2026; Denmark is on UTC+1 until the end of March.
WED = date(2026, 3, 4)


def uid() -> str:
    return str(uuid.uuid4())


def at(day: date, hhmm: str) -> datetime:
    """A local wall-clock time in Copenhagen as a UTC instant."""
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=CPH).astimezone(UTC)


def write(entity: str, **data) -> str:
    rid = data.setdefault("id", uid())
    system_write([{"entity": entity, "id": rid, "data": data}])
    return rid


def flags(username: str, w, now: datetime, youth: str = "mads") -> dict[str, str]:
    user = db.session.get(User, w.users[username])
    rows = {r.youth_id: r for r in load_caseload(user, now)}
    row = rows.get(w.youths[youth])
    return None if row is None else {f.key: f.detail for f in row.flags}


@pytest.fixture
def w(app, w):
    """The common small municipality (tests/conftest.py), inside an app context."""
    with app.app_context():
        yield w
        db.session.remove()


def plan(w, start: date, youth="mads") -> str:
    return write(
        "plan",
        youth_id=w.youths[youth],
        end_goal="Uddannelse som tømrer",
        end_goal_kind="education",
        start_date=start.isoformat(),
    )


def activity(
    w,
    org="Jobcenter",
    youth="mads",
    weekdays=(0, 1, 2, 3, 4),
    start="09:00",
    end="12:00",
    visibility="shared",
    title="Praktik",
) -> str:
    return write(
        "activity",
        youth_id=w.youths[youth],
        organization_id=w.orgs[org],
        title=title,
        weekdays=list(weekdays),
        start_time=start,
        end_time=end,
        start_date="2026-01-05",
        visibility=visibility,
    )


def test_not_checked_in_after_grace_until_check_in_or_notice(w):
    act = activity(w)
    assert "not_checked_in" not in flags("ahmed", w, at(WED, "09:14"))
    assert flags("ahmed", w, at(WED, "09:15"))["not_checked_in"] == "Praktik kl. 09:00"
    # Not on a day the activity does not take place (Saturday).
    assert "not_checked_in" not in flags("ahmed", w, at(WED + timedelta(days=3), "10:00"))
    # A check-in on another day does not count.
    write(
        "attendance",
        youth_id=w.youths["mads"],
        activity_id=act,
        date=(WED - timedelta(days=1)).isoformat(),
        self_checked_in_at=at(WED - timedelta(days=1), "08:55").isoformat(),
    )
    assert "not_checked_in" in flags("ahmed", w, at(WED, "09:30"))
    write(
        "attendance",
        youth_id=w.youths["mads"],
        activity_id=act,
        date=WED.isoformat(),
        self_checked_in_at=at(WED, "09:31").isoformat(),
    )
    assert "not_checked_in" not in flags("ahmed", w, at(WED, "09:32"))


def test_a_notice_of_absence_clears_not_checked_in(w):
    act = activity(w)
    assert "not_checked_in" in flags("ahmed", w, at(WED, "10:00"))
    write(
        "attendance",
        youth_id=w.youths["mads"],
        activity_id=act,
        date=WED.isoformat(),
        status="absent_notified",
        absence_reason="Syg",
    )
    assert "not_checked_in" not in flags("ahmed", w, at(WED, "10:00"))


def test_partner_flags_only_from_items_they_may_see(w):
    activity(w, org="Jobcenter", visibility="organization")
    assert "not_checked_in" in flags("ahmed", w, at(WED, "10:00"))
    assert "not_checked_in" not in flags("peter", w, at(WED, "10:00"))  # Bostøtte cannot see it
    assert flags("peter", w, at(WED, "10:00"), youth="sara") is None  # no consent: not in the caseload at all


def test_unexplained_absence_counts_only_this_week(w):
    act = activity(w, weekdays=range(7))
    sunday = WED - timedelta(days=3)
    write("attendance", youth_id=w.youths["mads"], activity_id=act, date=sunday.isoformat(), status="absent_unnotified")
    assert "unexplained_absence" not in flags("ahmed", w, at(WED, "08:00"))
    monday = WED - timedelta(days=2)
    write("attendance", youth_id=w.youths["mads"], activity_id=act, date=monday.isoformat(), status="absent_unnotified")
    assert flags("ahmed", w, at(WED, "08:00"))["unexplained_absence"] == "1 gang"
    # Next Monday it is last week's.
    assert "unexplained_absence" not in flags("ahmed", w, at(monday + timedelta(days=7), "08:00"))


def test_agreement_overdue_the_day_after_its_due_date_while_open(w):
    aid = write(
        "agreement",
        youth_id=w.youths["mads"],
        organization_id=w.orgs["Jobcenter"],
        text="Ring til UU",
        responsible="youth",
        due_date=WED.isoformat(),
    )
    assert "agreement_overdue" not in flags("ahmed", w, at(WED, "23:59"))
    assert flags("ahmed", w, at(WED + timedelta(days=1), "00:00"))["agreement_overdue"] == "1 aftale"
    system_write(
        [
            {
                "entity": "agreement",
                "id": aid,
                "base_version": 1,
                "data": {"id": aid, "youth_id": w.youths["mads"], "status": "kept"},
            }
        ]
    )
    assert "agreement_overdue" not in flags("ahmed", w, at(WED + timedelta(days=1), "00:00"))


def test_assessment_overdue_from_the_plan_start_until_submitted(w):
    start = WED - timedelta(days=42)  # first due date is today: not yet overdue
    plan(w, start)
    assert "assessment_overdue" not in flags("ahmed", w, at(WED, "12:00"))
    tomorrow = WED + timedelta(days=1)
    assert flags("ahmed", w, at(tomorrow, "08:00"))["assessment_overdue"] == "skulle være lavet 04.03.2026"
    scores = {
        k: 5
        for k in (
            "hverdagsmestring",
            "fremmoede",
            "helbred_trivsel",
            "sociale_kompetencer",
            "netvaerk",
            "tro_paa_egne_evner",
            "realistiske_maal",
            "faglige_kompetencer",
            "tro_paa_maalet",
        )
    }
    # A draft (not submitted) does not count.
    aid = write(
        "assessment", youth_id=w.youths["mads"], due_date=WED.isoformat(), rater_role="staff", scores={"fremmoede": 4}
    )
    assert "assessment_overdue" in flags("ahmed", w, at(tomorrow, "08:00"))
    system_write(
        [
            {
                "entity": "assessment",
                "id": aid,
                "base_version": 1,
                "data": {
                    "id": aid,
                    "youth_id": w.youths["mads"],
                    "scores": scores,
                    "submitted_at": at(WED, "13:00").isoformat(),
                },
            }
        ]
    )
    assert "assessment_overdue" not in flags("ahmed", w, at(tomorrow, "08:00"))


def test_unresolved_conflict_flag_until_resolved(w):
    gid = write("goal", youth_id=w.youths["mads"], organization_id=w.orgs["Jobcenter"], title="Møde op")
    lise, ahmed = db.session.get(User, w.users["lise"]), db.session.get(User, w.users["ahmed"])
    for user, title in ((lise, "Møde op hver dag"), (ahmed, "Møde op til tiden")):
        r = push(
            user,
            "t",
            [
                {
                    "mutation_id": uid(),
                    "entity": "goal",
                    "id": gid,
                    "op": "upsert",
                    "base_version": 1,
                    "data": {"id": gid, "youth_id": w.youths["mads"], "title": title},
                }
            ],
        )[0]
        assert r["status"] in ("applied", "merged")
    assert flags("ahmed", w, at(WED, "08:00"))["conflict"] == "1 konflikt"
    c = db.session.query(Conflict).one()
    c.resolved_at = datetime.now(UTC)
    db.session.commit()
    assert "conflict" not in flags("ahmed", w, at(WED, "08:00"))


def test_no_contact_for_30_days(w):
    plan(w, WED - timedelta(days=60))
    act = activity(w)
    assert flags("ahmed", w, at(WED, "08:00"))["no_contact"] == "ingen kontakt registreret"
    # An attempt that did not reach the young person is no contact.
    write(
        "outreach",
        youth_id=w.youths["mads"],
        organization_id=w.orgs["Jobcenter"],
        method="call",
        reached=False,
        contacted_at=at(WED - timedelta(days=2), "10:00").isoformat(),
    )
    assert "no_contact" in flags("ahmed", w, at(WED, "08:00"))
    # Attendance is not contact (issue 13: only real contact counts), however recent.
    write(
        "attendance",
        youth_id=w.youths["mads"],
        activity_id=act,
        date=(WED - timedelta(days=1)).isoformat(),
        status="present",
    )
    assert flags("ahmed", w, at(WED, "08:00"))["no_contact"] == "ingen kontakt registreret"
    # A text answered exactly 30 days ago: still flagged; a visit 29 days ago: not.
    d30 = WED - timedelta(days=30)
    write(
        "outreach",
        youth_id=w.youths["mads"],
        organization_id=w.orgs["Jobcenter"],
        method="sms",
        reached=True,
        contacted_at=at(d30, "10:00").isoformat(),
    )
    assert flags("ahmed", w, at(WED, "08:00"))["no_contact"] == f"sidst {d30.strftime('%d.%m.%Y')}"
    write(
        "outreach",
        youth_id=w.youths["mads"],
        organization_id=w.orgs["Jobcenter"],
        method="home_visit",
        reached=True,
        contacted_at=at(WED - timedelta(days=29), "10:00").isoformat(),
    )
    assert "no_contact" not in flags("ahmed", w, at(WED, "08:00"))
    assert "no_contact" in flags("ahmed", w, at(WED + timedelta(days=1), "08:00"))


def test_a_new_case_is_not_flagged_for_no_contact_before_30_days(w):
    plan(w, WED - timedelta(days=29))
    assert "no_contact" not in flags("ahmed", w, at(WED, "08:00"))
    assert "no_contact" in flags("ahmed", w, at(WED + timedelta(days=1), "08:00"))


def test_finished_case_has_no_flags(w):
    plan(w, WED - timedelta(days=100))
    assert flags("ahmed", w, at(WED, "08:00"))
    system_write(
        [
            {
                "entity": "youth",
                "id": w.youths["mads"],
                "base_version": None,
                "data": {"id": w.youths["mads"], "youth_id": w.youths["mads"], "outcome": "job"},
            }
        ]
    )
    assert flags("ahmed", w, at(WED, "08:00")) == {}


def test_filters_and_sorting(w):
    plan(w, WED - timedelta(days=100), youth="sara")
    system_write(
        [
            {
                "entity": "youth",
                "id": w.youths["sara"],
                "data": {"id": w.youths["sara"], "youth_id": w.youths["sara"], "target_group": "education_ready"},
            }
        ]
    )
    ahmed = db.session.get(User, w.users["ahmed"])
    rows = load_caseload(ahmed, at(WED, "08:00"))
    by_flags = apply_filters(rows, Filters(sort="flags"))
    assert [r.display_name for r in by_flags] == ["Sara", "Mads"]
    assert [r.display_name for r in apply_filters(rows, Filters(sort="name", direction="asc"))] == ["Mads", "Sara"]
    assert [r.display_name for r in apply_filters(rows, Filters(flag="no_contact"))] == ["Sara"]
    assert [r.display_name for r in apply_filters(rows, Filters(target_group="education_ready"))] == ["Sara"]
    assert [r.display_name for r in apply_filters(rows, Filters(target_group="none"))] == ["Mads"]
    assert len(apply_filters(rows, Filters(mentor=w.users["lise"]))) == 2
    assert apply_filters(rows, Filters(mentor="none")) == []


def test_caseload_puts_todays_no_show_before_many_older_flags(w):
    """Sara has three flags (no contact, an overdue agreement, an overdue assessment); Mads has one:
    he has not checked in to today's practice. Someone should call Mads now: he comes first."""
    plan(w, WED - timedelta(days=100), youth="sara")
    write(
        "agreement",
        youth_id=w.youths["sara"],
        organization_id=w.orgs["UU"],
        text="Ring til skolen",
        responsible="youth",
        due_date=(WED - timedelta(days=3)).isoformat(),
    )
    plan(w, WED - timedelta(days=10))
    activity(w)
    write(
        "outreach",
        youth_id=w.youths["mads"],
        organization_id=w.orgs["Jobcenter"],
        method="call",
        reached=True,
        contacted_at=at(WED - timedelta(days=2), "10:00").isoformat(),
    )
    ahmed = db.session.get(User, w.users["ahmed"])
    rows = load_caseload(ahmed, at(WED, "10:00"))
    by_name = {r.display_name: r.flag_keys for r in rows}
    assert by_name["Mads"] == {"not_checked_in"}
    assert len(by_name["Sara"]) >= 3 and "not_checked_in" not in by_name["Sara"]
    assert [r.display_name for r in apply_filters(rows, Filters())] == ["Mads", "Sara"]
    assert [r.display_name for r in apply_filters(rows, Filters(sort="flags"))] == ["Sara", "Mads"]
    f, errors = parse_filters({}, set())
    assert f.sort == "urgency" and f.direction == "desc" and not errors


@pytest.mark.parametrize(
    "args, message",
    [
        ({"flag": "bogus"}, "Ukendt markering"),
        ({"target_group": "x" * 5000}, "Ukendt målgruppe"),
        ({"mentor": "not-a-mentor"}, "Ukendt mentor"),
        ({"sort": "'; drop table"}, "Ukendt sortering"),
        ({"dir": "up"}, "Ukendt sorteringsretning"),
    ],
)
def test_bad_filter_values_give_danish_messages(args, message):
    f, errors = parse_filters(args, {"m1"})
    assert f == Filters() and len(errors) == 1 and errors[0].startswith(message)

"""The results figures as pure functions: cohorts with known outcomes, every figure exact."""

from datetime import UTC, date, datetime, timedelta

from backend.programmes import reports as r

TODAY = date(2026, 6, 15)


def tl(start, *entries):
    """Timeline from a follow-up start and (date, outcome) entries."""
    return r.outcome_timelines({"y": start}, [("y", d, o, i) for i, (d, o) in enumerate(entries)])["y"]


def test_timeline_status_and_same_day_last_recorded_wins():
    t = r.build_timeline(
        [(date(2026, 3, 1), "job", 1), (date(2026, 3, 1), "education", 2)], date(2026, 1, 10), "active"
    )
    assert t.on(date(2026, 1, 9)) is None
    assert t.on(date(2026, 1, 10)) == "active"
    assert t.on(date(2026, 2, 28)) == "active"
    assert t.on(date(2026, 3, 1)) == "education"


def test_monthly_flow_active_outflow_and_six_month_follow_up():
    months = r.month_range("2025-10", "2026-01")
    timelines = {
        # left for a job in October, still in a job six months later
        "a": tl(date(2025, 9, 1), (date(2025, 10, 20), "job")),
        # left for education in October, back to active after 2 months: not self-supporting at 6 months
        "b": tl(date(2025, 9, 1), (date(2025, 10, 5), "education"), (date(2025, 12, 5), "active")),
        # moved in October: outflow, but not followed up
        "c": tl(date(2025, 9, 1), (date(2025, 10, 31), "moved_other")),
        # starts in December, left in January to flexjob: follow-up pending (July 2026 > today)
        "d": tl(date(2025, 12, 31), (date(2026, 1, 3), "flexjob")),
    }
    rows = {row["month"]: row for row in r.monthly_flow(months, timelines, TODAY)}
    assert [rows[m]["active"] for m in months] == [3, 0, 2, 2]  # b is active again from 5 Dec; d on 1–2 Jan
    oct_ = rows["2025-10"]
    assert oct_["outflow_total"] == 3
    assert (oct_["outflow"]["job"], oct_["outflow"]["education"], oct_["outflow"]["moved_other"]) == (1, 1, 1)
    assert oct_["followed_up"] == 2 and oct_["self_supporting_after_6m"] == 1
    assert oct_["self_supporting_after_6m_share"] == 0.5
    assert rows["2025-11"]["outflow_total"] == 0 and rows["2025-11"]["self_supporting_after_6m_share"] is None
    jan = rows["2026-01"]
    assert jan["outflow"]["flexjob"] == 1 and jan["follow_up_pending"] == 1 and jan["followed_up"] == 0


def test_months_with_no_data_are_listed_with_zeros():
    months = r.month_range("2024-11", "2025-02")
    assert months == ["2024-11", "2024-12", "2025-01", "2025-02"]
    flow = r.monthly_flow(months, {}, TODAY)
    assert [f["active"] for f in flow] == [0, 0, 0, 0]
    assert all(f["self_supporting_after_6m_share"] is None for f in flow)
    att = r.attendance_by_month(months, [])
    assert [a["rate"] for a in att] == [None] * 4


PROG = {
    "id": "p1",
    "name": "Unge på Toppen",
    "effects": [
        {"outcome": "self_supporting", "share_pct": 50, "weeks_after_start": 26},
        {"outcome": "self_supporting", "share_pct": 75, "weeks_after_start": 52},
    ],
}


def test_cohort_actual_vs_expected_moved_excluded_and_behind_flag():
    start = date(2025, 1, 6)
    at26 = start + timedelta(weeks=26)
    timelines = {
        "a": tl(start, (at26 - timedelta(days=1), "job")),  # hit at 26 (on the day before)
        "b": tl(start, (at26, "education")),  # hit at 26 (on the day)
        "c": tl(start, (at26 + timedelta(days=1), "education")),  # miss at 26, hit at 52
        "d": tl(start),  # still active: miss
        "e": tl(start, (start + timedelta(weeks=3), "moved_other")),  # moved: left out
    }
    enrolments = [{"youth_id": y, "programme_id": "p1", "start_date": start} for y in "abcde"]
    out = r.cohort_results([PROG], enrolments, timelines, {}, ["2025-01"], TODAY)
    (cohort,) = out[0]["cohorts"]
    assert cohort["start_month"] == "2025-01" and cohort["participants"] == 5
    e26, e52 = cohort["effects"]
    assert (e26["measured"], e26["hits"], e26["moved_excluded"]) == (4, 2, 1)
    assert e26["actual_share"] == 0.5 and e26["state"] == "complete" and e26["behind"] is False
    assert (e52["measured"], e52["hits"], e52["actual_share"]) == (4, 3, 0.75)
    assert e52["behind"] is False
    # one fewer hit makes it behind
    timelines["c"] = tl(start)
    out = r.cohort_results([PROG], enrolments, timelines, {}, ["2025-01"], TODAY)
    e52 = out[0]["cohorts"][0]["effects"][1]
    assert e52["actual_share"] == 0.5 and e52["behind"] is True
    assert e52["distribution"]["active"] == 2 and e52["distribution"]["education"] == 1


def test_cohort_pending_partial_and_no_participants():
    start = date(2026, 1, 5)  # week 26 is in July 2026, after TODAY
    enrolments = [{"youth_id": "a", "programme_id": "p1", "start_date": start}]
    other = {
        "id": "p2",
        "name": "FOKUS",
        "effects": [{"outcome": "case_closed", "share_pct": 20, "weeks_after_start": 12}],
    }
    out = r.cohort_results([PROG, other], enrolments, {"a": tl(start)}, {}, ["2026-01"], TODAY)
    e26 = out[0]["cohorts"][0]["effects"][0]
    assert e26["state"] == "pending" and e26["actual_share"] is None and e26["behind"] is False
    assert out[1]["cohorts"] == []  # FOKUS: no participants
    # two participants, one measured: partial, never flagged
    early = date(2025, 12, 1)
    enrolments.append({"youth_id": "b", "programme_id": "p1", "start_date": early})
    out = r.cohort_results([PROG], enrolments, {"a": tl(start), "b": tl(early)}, {}, ["2025-12", "2026-01"], TODAY)
    assert [c["start_month"] for c in out[0]["cohorts"]] == ["2025-12", "2026-01"]


def test_enrolment_in_two_programmes_counts_in_both():
    s1, s2 = date(2025, 1, 6), date(2025, 3, 3)
    other = {
        "id": "p2",
        "name": "Arbejde & Sundhed",
        "effects": [{"outcome": "other_benefit", "share_pct": 20, "weeks_after_start": 12}],
    }
    timelines = {"a": tl(s1, (s2 + timedelta(weeks=10), "flexjob"))}
    enrolments = [
        {"youth_id": "a", "programme_id": "p1", "start_date": s1},
        {"youth_id": "a", "programme_id": "p2", "start_date": s2},
    ]
    out = r.cohort_results([PROG, other], enrolments, timelines, {}, r.month_range("2025-01", "2025-03"), TODAY)
    assert out[0]["cohorts"][0]["effects"][0]["hits"] == 0  # flexjob is not self-supporting
    e = out[1]["cohorts"][0]["effects"][0]
    assert (e["measured"], e["hits"], e["actual_share"]) == (1, 1, 1.0)


def test_job_or_education_ready_uses_target_group():
    start = date(2025, 1, 6)
    prog = {
        "id": "f",
        "name": "FOKUS",
        "effects": [{"outcome": "job_or_education_ready", "share_pct": 60, "weeks_after_start": 12}],
    }
    tgs = r.target_group_timelines(
        [
            ("a", start, "activity_ready", 1),
            ("a", start + timedelta(weeks=11), "education_ready", 2),
            ("b", start, "activity_ready", 1),
        ]
    )
    enr = [{"youth_id": y, "programme_id": "f", "start_date": start} for y in "ab"]
    out = r.cohort_results([prog], enr, {"a": tl(start), "b": tl(start)}, tgs, ["2025-01"], TODAY)
    e = out[0]["cohorts"][0]["effects"][0]
    assert (e["hits"], e["measured"], e["behind"]) == (1, 2, True)


def test_attendance_and_agreement_rates():
    months = ["2026-01", "2026-02"]
    att = r.attendance_by_month(
        months,
        [
            ("2026-01", "present", 6),
            ("2026-01", "late", 1),
            ("2026-01", "absent_notified", 2),
            ("2026-01", "absent_unnotified", 1),
            ("2026-02", None, 5),
        ],
    )
    assert (att[0]["registrations"], att[0]["attended"], att[0]["rate"]) == (10, 7, 0.7)
    assert att[1]["rate"] is None
    agr = r.agreements_by_month(
        months,
        [("2026-01", "kept", 3), ("2026-01", "not_kept", 1), ("2026-02", "open", 4), ("2026-02", "cancelled", 2)],
    )
    assert agr[0]["rate"] == 0.75 and agr[1]["rate"] is None


def test_assessments_on_time_window_and_inactive_and_undecided():
    start = date(2025, 11, 3)  # dues: 15 Dec, 26 Jan, 9 Mar, 20 Apr, 1 Jun (undecided on TODAY)
    months = r.month_range("2025-12", "2026-06")
    timelines = {"a": tl(start, (date(2026, 4, 1), "job"))}  # not active for the 20 Apr due
    submitted = {
        ("a", date(2025, 12, 15)): date(2025, 12, 29),  # 14 days late: on time
        ("a", date(2026, 1, 26)): date(2026, 2, 10),
    }  # 15 days: late
    rows = {x["month"]: x for x in r.assessments_on_time(months, {"a": start}, submitted, timelines, TODAY)}
    assert (rows["2025-12"]["due"], rows["2025-12"]["on_time"]) == (1, 1)
    assert (rows["2026-01"]["due"], rows["2026-01"]["on_time"], rows["2026-01"]["share"]) == (1, 0, 0.0)
    assert (rows["2026-03"]["due"], rows["2026-03"]["on_time"]) == (1, 0)
    assert rows["2026-04"]["due"] == 0 and rows["2026-04"]["share"] is None
    assert rows["2026-06"]["due"] == 0  # 1 June + 14 days has not passed on 15 June


def test_local_date_of_submission_is_danish():
    # 23:30 UTC on 29 Dec is 00:30 on 30 Dec in Copenhagen
    assert r.local_date(datetime(2025, 12, 29, 23, 30, tzinfo=UTC)) == date(2025, 12, 30)


def test_progression_change_first_vs_latest_per_rater():
    def row(y, role, due, scores):
        return {
            "youth_id": y,
            "rater_role": role,
            "due_date": due,
            "submitted_at": datetime(2026, 1, 1),
            "scores": scores,
        }

    rows = [
        row("a", "staff", date(2026, 1, 1), {"fremmoede": 3, "netvaerk": 5}),
        row("a", "staff", date(2026, 3, 1), {"fremmoede": 7, "netvaerk": 4}),
        row("b", "staff", date(2026, 1, 1), {"fremmoede": 2}),
        row("b", "staff", date(2026, 4, 1), {"fremmoede": 4}),
        row("c", "staff", date(2026, 1, 1), {"fremmoede": 9}),  # only one: not counted
        row("a", "youth", date(2026, 1, 1), {"fremmoede": 5}),
        row("a", "youth", date(2026, 2, 1), {"fremmoede": 4}),
    ]
    out = {(x["rater_role"], x["dimension"]): x for x in r.progression_change(rows, ["fremmoede", "netvaerk"])}
    f = out[("staff", "fremmoede")]
    assert (f["youth_count"], f["first_avg"], f["latest_avg"], f["change_avg"]) == (2, 2.5, 5.5, 3.0)
    assert out[("staff", "netvaerk")]["change_avg"] == -1.0
    assert out[("youth", "fremmoede")]["change_avg"] == -1.0
    assert out[("youth", "netvaerk")]["change_avg"] is None


def test_add_months_clips_to_month_end():
    assert r.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert r.add_months(date(2025, 10, 5), 6) == date(2026, 4, 5)

"""Ordinary hours through the contract and on the plan page: this month against 30, the flag after
three months in a row (issue 14, item 4)."""

from __future__ import annotations

from datetime import date

from shared.hours import previous_months
from tests.backend.test_web_pages import Browser
from tests.backend.world import Api, uid


def _hours(w, period="month", start=None, ordinary=31, **kw):
    return {
        "youth_id": w.youths["mads"],
        "organization_id": w.orgs["Jobcenter"],
        "period": period,
        "period_start": start,
        "ordinary_hours": ordinary,
        **kw,
    }


def test_contract_rules_for_hours(client, w):
    lise, mads, karen, sara = (Api(client, u) for u in ("lise", "mads", "karen", "sara"))
    r = lise.upsert("work_hours", _hours(w, start="2026-03-01", supported_hours=40))
    assert r["status"] == "applied" and r["record"]["recorded_by_user_id"] == w.users["lise"]
    assert lise.upsert("work_hours", _hours(w, period="week", start="2026-03-03"))["error"]["code"] == "invalid"
    assert lise.upsert("work_hours", _hours(w, start="2026-03-02"))["error"]["code"] == "invalid"
    assert lise.upsert("work_hours", _hours(w, start="2026-03-01", ordinary=-1))["error"]["code"] == "invalid"
    assert (
        lise.upsert("work_hours", _hours(w, start="2026-03-01", company_agreement_id=uid()))["error"]["code"]
        == "invalid_reference"
    )
    assert mads.upsert("work_hours", _hours(w, start="2026-04-01"))["error"]["code"] == "forbidden"
    assert karen.upsert("work_hours", _hours(w, start="2026-04-01"))["error"]["code"] == "forbidden_organization"
    changes, _ = sara.pull_all()
    assert not any(c["entity"] == "work_hours" for c in changes)
    changes, _ = mads.pull_all()
    assert any(c["entity"] == "work_hours" and c["id"] == r["record"]["id"] for c in changes)


def test_plan_page_shows_this_month_against_30_and_flags_three_months(app, client, w):
    lise = Api(client, "lise")
    months = previous_months(date.today(), 4)
    for (y, m), h in zip(months[:3], (30, 32.5, 45), strict=True):
        lise.upsert("work_hours", _hours(w, start=date(y, m, 1).isoformat(), ordinary=h))
    y, m = months[-1]
    yid = w.youths["mads"]
    b = Browser(app, "ahmed")
    page = b.get(f"/youth/{yid}").text
    assert "Denne måned: <strong>0 af 30 ordinære timer</strong>" in page
    assert "har haft mindst 30 ordinære timer i tre måneder i træk" in page
    # a week of this month, recorded on the page
    monday = date(y, m, 1)
    monday = monday if monday.weekday() == 0 else date.fromordinal(monday.toordinal() + 7 - monday.weekday())
    r = b.post(
        f"/youth/{yid}/hours",
        {
            "mutation_id": uid(),
            "period": "week",
            "period_start": monday.isoformat(),
            "ordinary_hours": "7",
            "supported_hours": "",
            "company_agreement_id": "",
            "note": "Tal fra Jens",
        },
    )
    assert r.status_code == 302, r.text
    assert "Denne måned: <strong>7 af 30 ordinære timer</strong>" in b.get(f"/youth/{yid}").text
    r = b.post(
        f"/youth/{yid}/hours",
        {
            "mutation_id": uid(),
            "period": "week",
            "period_start": "2026-03-03",
            "ordinary_hours": "mange",
            "supported_hours": "",
            "company_agreement_id": "",
            "note": "",
        },
    )
    assert r.status_code == 400 and "Timer skal være et tal" in r.text
    # with one month under 30 the flag goes
    lise.upsert("work_hours", _hours(w, start=date(*months[1], 1).isoformat(), ordinary=20))
    assert "i tre måneder i træk" not in b.get(f"/youth/{yid}").text


def test_caseload_flags_three_months_of_30_hours_in_trin_3_only(app, client, w):
    from backend.services.caseload_rules import Snapshot, exit_ready_detail
    from shared.hours import HoursRecord

    lise, ahmed = Api(client, "lise"), Api(client, "ahmed")
    months = previous_months(date.today(), 4)
    for (y, m), h in zip(months[:3], (30, 32.5, 45), strict=True):
        lise.upsert("work_hours", _hours(w, start=date(y, m, 1).isoformat(), ordinary=h))
    step = {"youth_id": w.youths["mads"], "reason": "Praktik", "valid_from": date(*months[0], 1).isoformat()}
    ahmed.upsert("step_change", {**step, "step": "paa_vej_mod_job"})
    b = Browser(app, "ahmed")
    assert "Viser 0 af 2 unge" in b.get("/?flag=exit_ready").text, "not in trin 3: no flag"
    ahmed.upsert("step_change", {**step, "step": "virksomhedsforloeb", "valid_from": date(*months[1], 1).isoformat()})
    page = b.get("/?flag=exit_ready").text
    assert "Viser 1 af 2 unge" in page and "30 timer i 3 måneder — planlæg afslutning af trin 3" in page
    assert "30, 32,5 og 45 ordinære timer" in page
    # the pure rule: one month below 30 (a missing week), or no hours at all, is no flag
    today = date.today()
    rec = [HoursRecord("month", date(y, m, 1), h) for (y, m), h in zip(months[:3], (30, 29.9, 45), strict=True)]
    assert exit_ready_detail(Snapshot(step="virksomhedsforloeb", hours=rec), today) == ""
    assert exit_ready_detail(Snapshot(step="virksomhedsforloeb"), today) == ""

"""Company agreements (virksomhedsaftaler) through the contract, on the plan page and the caseload
(issue 14, item 3)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import CompanyAgreement
from tests.backend.test_web_pages import Browser
from tests.backend.world import Api, activity, uid


def _agreement(w, **kw) -> dict:
    today = date.today()
    return {
        "youth_id": w.youths["mads"],
        "organization_id": w.orgs["Jobcenter"],
        "company": "Tømrerværkstedet",
        "contact_name": "Jens Hansen",
        "contact_phone": "+45 20 30 40 50",
        "hours_per_week": 12,
        "hours_spread": "man, tirs, tors 8–12",
        "tasks": "Opmåling og slibning",
        "workplace_support": "Fast makker: Ali",
        "health_considerations": "Ingen tunge løft",
        "start_date": (today - timedelta(days=40)).isoformat(),
        "follow_ups": [
            {"date": (today - timedelta(days=20)).isoformat(), "done": True, "note": "Godt"},
            {"date": (today - timedelta(days=2)).isoformat()},
        ],
        **kw,
    }


def test_contract_write_rules_merge_visibility_tombstones(client, w):
    lise, ahmed, karen, mads, nina = (Api(client, u) for u in ("lise", "ahmed", "karen", "mads", "nina"))
    act = lise.upsert("activity", activity(w, "mads", "Jobcenter", "Praktik"))["record"]
    r = lise.upsert("company_agreement", _agreement(w, activity_id=act["id"]))
    assert r["status"] == "applied" and r["record"]["created_by_user_id"] == w.users["lise"]
    assert r["record"]["follow_ups"][0]["done"] is True
    cid = r["record"]["id"]
    assert mads.upsert("company_agreement", {"id": cid, "tasks": "x"}, base_version=1)["error"]["code"] == "forbidden"
    assert (
        karen.upsert("company_agreement", {"id": cid, "tasks": "x"}, base_version=1)["error"]["code"]
        == "forbidden_organization"
    )
    assert lise.upsert("company_agreement", _agreement(w, contact_phone="ring til mig"))["error"]["code"] == "invalid"
    assert lise.upsert("company_agreement", _agreement(w, activity_id=uid()))["error"]["code"] == "invalid_reference"
    # two staff offline: different fields merge
    lise.upsert("company_agreement", {"id": cid, "hours_per_week": 15}, base_version=1)
    r = ahmed.upsert("company_agreement", {"id": cid, "tasks": "Opmåling, slibning og montage"}, base_version=1)
    assert r["status"] == "merged" and r["record"]["hours_per_week"] == 15 and "montage" in r["record"]["tasks"]
    # an organisation-only agreement is hidden from partners and the young person
    hidden = lise.upsert("company_agreement", _agreement(w, company="Skjult ApS", visibility="organization"))
    for api, sees in ((mads, False), (nina, False), (ahmed, True)):
        changes, _ = api.pull_all()
        assert any(c["id"] == hidden["record"]["id"] for c in changes) == sees
    assert (
        Api(client, "sara").upsert("company_agreement", {"id": cid, "tasks": "x"}, base_version=1)["error"]["code"]
        == "not_found"
    )
    # delete: a tombstone reaches the young person's phone
    mads.pull_all()
    assert lise.delete("company_agreement", cid)["status"] == "applied"
    changes, _ = mads.pull_all()
    assert [c["deleted"] for c in changes if c["id"] == cid] == [True]


def test_plan_page_caseload_flag_and_follow_up(app, client, w):
    Api(client, "lise").upsert("company_agreement", _agreement(w))
    yid = w.youths["mads"]
    b = Browser(app, "lise")
    page = b.get(f"/youth/{yid}").text
    assert "Tømrerværkstedet" in page and "Jens Hansen" in page and "Ingen tunge løft" in page
    assert "Opfølgning forfalden" in page
    caseload = b.get("/?flag=company_follow_up").text
    assert "Viser 1 af 2 unge" in caseload and "Tømrerværkstedet: forfalden siden" in caseload
    with app.app_context():
        ag = db.session.scalar(select(CompanyAgreement))
        cid, version = ag.id, ag.version
        db.session.remove()
    r = b.post(
        f"/youth/{yid}/company/{cid}/follow-up",
        {"mutation_id": uid(), "note": "Går godt", "next_date": "ikke en dato", "base_version": version},
    )
    assert r.status_code == 400 and "ÅÅÅÅ-MM-DD" in r.text
    nxt = (date.today() + timedelta(days=14)).isoformat()
    r = b.post(
        f"/youth/{yid}/company/{cid}/follow-up",
        {"mutation_id": uid(), "note": "Går godt", "next_date": nxt, "base_version": version},
    )
    assert r.status_code == 302, r.text
    assert "company_follow_up" not in b.get("/").text.split('data-testid="caseload"')[1]
    page = b.get(f"/youth/{yid}").text
    assert "Går godt" in page and "Næste opfølgning" in page


def test_coordinator_creates_an_agreement_on_the_web_and_bad_input_is_danish(app, client, w):
    yid = w.youths["mads"]
    b = Browser(app, "ahmed")
    form = {
        "mutation_id": uid(),
        "company": "Tømrerværkstedet",
        "contact_name": "Jens",
        "contact_phone": "20 30 40 50",
        "hours_per_week": "7,5",
        "hours_spread": "tirs 8-12",
        "tasks": "",
        "workplace_support": "",
        "health_considerations": "",
        "start_date": date.today().isoformat(),
        "end_date": "",
        "activity_id": "",
        "visibility": "shared",
        "follow_up_dates": "2026-13-01",
        "organization_id": w.orgs["Jobcenter"],
        "base_version": "",
    }
    r = b.post(f"/youth/{yid}/company", form)
    assert r.status_code == 400 and "er ikke en dato" in r.text
    r = b.post(f"/youth/{yid}/company", {**form, "follow_up_dates": "", "hours_per_week": "mange"})
    assert r.status_code == 400 and "Timer skal være et tal" in r.text
    nxt = (date.today() + timedelta(days=20)).isoformat()
    r = b.post(f"/youth/{yid}/company", {**form, "follow_up_dates": nxt})
    assert r.status_code == 302, r.text
    with app.app_context():
        ag = db.session.scalar(select(CompanyAgreement))
        assert ag.hours_per_week == 7.5 and ag.follow_ups == [{"date": nxt, "done": False, "note": ""}]
        db.session.remove()

"""Company agreements (virksomhedsaftaler) through the contract, on the plan page and the caseload
(issue 14, item 3)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import CompanyAgreement, PlacementFollowUp
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
        **kw,
    }


def _follow_up(w, agreement_id: str, days_from_today: int, **kw) -> dict:
    return {
        "youth_id": w.youths["mads"],
        "company_agreement_id": agreement_id,
        "due_date": (date.today() + timedelta(days=days_from_today)).isoformat(),
        **kw,
    }


def _with_follow_ups(api, w, **kw) -> str:
    """An agreement with a follow-up done 20 days ago and one due two days ago (overdue)."""
    cid = api.upsert("company_agreement", _agreement(w, **kw))["record"]["id"]
    done = (date.today() - timedelta(days=20)).isoformat()
    api.upsert("placement_follow_up", _follow_up(w, cid, -20, done_date=done, note="Godt"))
    api.upsert("placement_follow_up", _follow_up(w, cid, -2))
    return cid


def test_contract_write_rules_merge_visibility_tombstones(client, w):
    lise, ahmed, karen, mads, nina = (Api(client, u) for u in ("lise", "ahmed", "karen", "mads", "nina"))
    act = lise.upsert("activity", activity(w, "mads", "Jobcenter", "Praktik"))["record"]
    r = lise.upsert("company_agreement", _agreement(w, activity_id=act["id"]))
    assert r["status"] == "applied" and r["record"]["created_by_user_id"] == w.users["lise"]
    assert "follow_ups" not in r["record"]  # follow-ups are their own records (schema version 3)
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
    _with_follow_ups(Api(client, "lise"), w)
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
        ups = db.session.scalars(select(PlacementFollowUp)).all()
        assert ag.hours_per_week == 7.5 and [(u.due_date.isoformat(), u.done_date) for u in ups] == [(nxt, None)]
        assert ups[0].company_agreement_id == ag.id and ups[0].organization_id == ag.organization_id
        db.session.remove()
    # the same form again (a double submit) adds nothing
    r = b.post(f"/youth/{yid}/company", {**form, "follow_up_dates": nxt})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlacementFollowUp)) == 1
        db.session.remove()


def _ids(changes, entity):
    return {c["id"]: c for c in changes if c["entity"] == entity}


def test_follow_ups_are_their_own_records_two_devices_never_overwrite(client, w):
    """Sync, merge, access, visibility and tombstones of placement_follow_up (schema version 3)."""
    lise, ahmed, karen, mads, nina = (Api(client, u) for u in ("lise", "ahmed", "karen", "mads", "nina"))
    cid = lise.upsert("company_agreement", _agreement(w))["record"]["id"]
    # two devices offline each add a follow-up: both are kept (a list field lost one of them)
    a = lise.upsert("placement_follow_up", _follow_up(w, cid, 7))["record"]
    b = ahmed.upsert("placement_follow_up", _follow_up(w, cid, 14))["record"]
    assert a["organization_id"] == w.orgs["Jobcenter"] and a["visibility"] == "shared"
    assert a["recorded_by_user_id"] == w.users["lise"]
    pulled = _ids(mads.pull_all()[0], "placement_follow_up")
    assert set(pulled) == {a["id"], b["id"]}, "the young person reads the follow-ups of a shared agreement"
    # two staff change different fields of one follow-up from the same version: merged
    lise.upsert("placement_follow_up", {"id": a["id"], "note": "Godt møde"}, base_version=1)
    r = ahmed.upsert("placement_follow_up", {"id": a["id"], "done_date": date.today().isoformat()}, base_version=1)
    assert r["status"] == "merged" and r["record"]["note"] == "Godt møde" and r["record"]["done_date"]
    # a client cannot move a follow-up to another owner or make it private on its own
    r = lise.upsert("placement_follow_up", {"id": b["id"], "visibility": "organization"}, base_version=1)
    assert r["record"]["visibility"] == "shared"
    # who may write: not the young person, not another organisation, not someone who does not reach them
    assert mads.upsert("placement_follow_up", _follow_up(w, cid, 3))["error"]["code"] == "forbidden"
    assert karen.upsert("placement_follow_up", _follow_up(w, cid, 3))["error"]["code"] == "forbidden_organization"
    assert Api(client, "sara").upsert("placement_follow_up", _follow_up(w, cid, 3))["error"]["code"] == "not_found"
    bad = lise.upsert("placement_follow_up", _follow_up(w, uid(), 3))
    assert bad["error"]["code"] == "invalid_reference"
    assert lise.upsert("placement_follow_up", {**_follow_up(w, cid, 3), "due_date": "i morgen"})["error"]["code"] == (
        "invalid"
    )
    # the agreement becomes organisation-only: its follow-ups follow, and leave the young person's phone
    mads.pull_all()
    lise.upsert("company_agreement", {"id": cid, "visibility": "organization"}, base_version=1)
    changes = _ids(mads.pull_all()[0], "placement_follow_up")
    assert {k: c["deleted"] for k, c in changes.items()} == {a["id"]: True, b["id"]: True}
    assert all(c["data"] is None for c in changes.values())
    assert set(_ids(ahmed.pull_all()[0], "placement_follow_up")) == {a["id"], b["id"]}
    # a follow-up on a private agreement of another organisation is as good as absent
    hidden = nina.upsert(
        "company_agreement", _agreement(w, organization_id=w.orgs["Rusmiddelcenter"], visibility="organization")
    )
    hid = hidden["record"]["id"]
    assert karen.upsert("placement_follow_up", _follow_up(w, hid, 3))["error"]["code"] == "invalid_reference"
    # deleting the agreement deletes its follow-ups: tombstones reach every device that holds them
    ahmed.pull_all()
    assert lise.delete("company_agreement", cid)["status"] == "applied"
    changes = _ids(ahmed.pull_all()[0], "placement_follow_up")
    assert {k: c["deleted"] for k, c in changes.items()} == {a["id"]: True, b["id"]: True}


def test_migration_moves_follow_up_lists_into_records(app, client, w):
    """Agreements written before schema version 3 kept follow-ups in a list: the migration makes each a
    placement_follow_up with the agreement's owner and visibility, and devices receive them at next pull."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    lise, mads = Api(client, "lise"), Api(client, "mads")
    cid = _with_follow_ups(lise, w)
    hidden = lise.upsert("company_agreement", _agreement(w, company="Skjult", visibility="organization"))["record"]
    mads.pull_all()
    with app.app_context():
        db.session.remove()
        downgrade(revision="c9a4e2f1b7d0")
        with db.engine.begin() as conn:
            lists = dict(conn.execute(text("SELECT id, follow_ups FROM company_agreement")).all())
            assert "Godt" in str(lists[cid])  # the downgrade put the records back into the list
            old = '[{"date": "2026-03-02", "done": true, "note": "Startmøde"}, {"date": "2026-04-01"}]'
            conn.execute(
                text("UPDATE company_agreement SET follow_ups = :f WHERE id = :i"), {"f": old, "i": hidden["id"]}
            )
        upgrade()
        rows = db.session.scalars(select(PlacementFollowUp).order_by(PlacementFollowUp.due_date)).all()
        got = {
            (r.company_agreement_id, r.due_date.isoformat(), r.done_date is not None, r.note, r.visibility)
            for r in rows
        }
        db.session.remove()
    assert ((hidden["id"], "2026-03-02", True, "Startmøde", "organization")) in got
    assert ((hidden["id"], "2026-04-01", False, "", "organization")) in got
    assert sum(1 for g in got if g[0] == cid and g[4] == "shared") == 2
    pulled = _ids(mads.pull_all()[0], "placement_follow_up")
    assert {c["data"]["company_agreement_id"] for c in pulled.values()} == {cid}, "private ones stay private"
    assert len(_ids(lise.pull_all()[0], "placement_follow_up")) == 4

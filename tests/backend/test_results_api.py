"""Results through the API and the page, on a small municipality with known outcomes."""

from datetime import date

import pytest

from backend.extensions import db
from backend.models import User
from backend.programmes import service
from backend.programmes.models import Programme
from tests.backend.world import Api, build_world, web_login

TODAY = "2026-06-15"


@pytest.fixture
def world(app):
    """Mads and Sara both in one programme from January; Mads got a job in week 8, Sara is active."""
    app.config["TRINVIS_TODAY"] = TODAY
    w = build_world(app)
    with app.app_context():
        ahmed = db.session.get(User, w.users["ahmed"])
        p = service.save_programme(
            ahmed,
            None,
            {
                "name": "Unge på Toppen",
                "description": "",
                "organization_id": w.orgs["Jobcenter"],
                "capacity": 20,
                "team_size": 20,
                "hours_per_week": None,
                "start_rule": "Opstart i januar",
                "active": True,
                "phases": [("Forløb", 16)],
                "effects": [("self_supporting", 60, 12)],
                "activities": [
                    {
                        "title": "Hold",
                        "weekdays": [0, 2],
                        "start_time": "09:00",
                        "end_time": "12:00",
                        "location": "",
                        "phase": None,
                    }
                ],
            },
        )
        empty = service.save_programme(
            ahmed,
            None,
            {
                "name": "FOKUS",
                "description": "",
                "organization_id": None,
                "capacity": None,
                "team_size": None,
                "hours_per_week": None,
                "start_rule": "",
                "active": True,
                "phases": [("Afklaring", 4)],
                "effects": [("case_closed", 20, 12)],
                "activities": [],
            },
        )
        w.programme, w.empty = p.id, empty.id
        ahmed = db.session.get(User, w.users["ahmed"])
        e = service.enrol(ahmed, w.youths["mads"], db.session.get(Programme, p.id), date(2026, 1, 5), None)
        w.mads_activity = e.activity_ids[0]
        ahmed = db.session.get(User, w.users["ahmed"])
        service.enrol(ahmed, w.youths["sara"], db.session.get(Programme, p.id), date(2026, 1, 12), None)
        ahmed = db.session.get(User, w.users["ahmed"])
        service.record_outcome(ahmed, w.youths["mads"], "job", date(2026, 3, 2))
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    return w


def test_figures_exact_for_coordinator(app, client, world):
    w = world
    lise = Api(client, "lise")
    for d, status in (
        ("2026-02-02", "present"),
        ("2026-02-04", "late"),
        ("2026-02-09", "absent_notified"),
        ("2026-02-11", "absent_unnotified"),
    ):
        data = {"youth_id": w.youths["mads"], "activity_id": w.mads_activity, "date": d, "status": status}
        if status == "absent_notified":
            data["absence_reason"] = "Syg"
        # months back: beyond a mentor's week, so the coordinator registers it (a correction, issue 9)
        assert Api(client, "ahmed").upsert("attendance", data)["status"] == "applied"
    for d, status in (("2026-02-10", "kept"), ("2026-02-20", "not_kept"), ("2026-02-25", "open")):
        rec = lise.upsert(
            "agreement",
            {
                "youth_id": w.youths["sara"],
                "organization_id": w.orgs["Jobcenter"],
                "text": "Mød op",
                "responsible": "youth",
                "due_date": d,
                "status": status,
            },
        )
        assert rec["status"] == "applied", rec

    ahmed = Api(client, "ahmed")
    r = client.get("/api/v1/reports/results", headers=ahmed.headers, query_string={"from": "2026-01", "to": "2026-06"})
    assert r.status_code == 200, r.get_json()
    res = r.get_json()
    assert res["youth_count"] == 2
    monthly = {m["month"]: m for m in res["monthly"]}
    assert [monthly[m]["active"] for m in sorted(monthly)] == [2, 2, 2, 1, 1, 1]
    assert monthly["2026-03"]["outflow"]["job"] == 1 and monthly["2026-03"]["outflow_total"] == 1
    assert monthly["2026-03"]["follow_up_pending"] == 1 and monthly["2026-03"]["self_supporting_after_6m_share"] is None

    utop = next(p for p in res["cohorts"] if p["name"] == "Unge på Toppen")
    (cohort,) = utop["cohorts"]
    (eff,) = cohort["effects"]
    assert (cohort["start_month"], cohort["participants"]) == ("2026-01", 2)
    assert (eff["measured"], eff["hits"], eff["actual_share"], eff["expected_share"]) == (2, 1, 0.5, 0.6)
    assert eff["behind"] is True
    fokus = next(p for p in res["cohorts"] if p["name"] == "FOKUS")
    assert fokus["cohorts"] == []  # no participants

    feb = next(a for a in res["attendance"] if a["month"] == "2026-02")
    assert (feb["registrations"], feb["attended"], feb["rate"]) == (4, 2, 0.5)
    agr = next(a for a in res["agreements"] if a["month"] == "2026-02")
    assert (agr["kept"], agr["not_kept"], agr["rate"]) == (1, 1, 0.5)
    assert all(a["rate"] is None for a in res["attendance"] if a["month"] != "2026-02")
    assert "definitions" in res

    one = client.get(
        "/api/v1/reports/attendance", headers=ahmed.headers, query_string={"from": "2026-02", "to": "2026-02"}
    )
    assert one.get_json()["attendance"] == [feb]
    cat = client.get("/api/v1/reports/programmes", headers=ahmed.headers).get_json()["programmes"]
    assert {p["name"] for p in cat} == {"Unge på Toppen", "FOKUS"}


def test_partner_sees_only_consented_young_people(app, client, world):
    nina = Api(client, "nina")  # Rusmiddelcenter: only Mads consented
    res = client.get("/api/v1/reports/results", headers=nina.headers, query_string={"from": "2026-01"}).get_json()
    assert res["youth_count"] == 1
    utop = next(p for p in res["cohorts"] if p["name"] == "Unge på Toppen")
    assert utop["cohorts"][0]["participants"] == 1
    assert utop["cohorts"][0]["effects"][0]["actual_share"] == 1.0
    karen = Api(client, "karen")  # UU: both
    assert client.get("/api/v1/reports/results", headers=karen.headers).get_json()["youth_count"] == 2


def test_programme_filter_and_moved_young_person(app, client, world):
    w = world
    with app.app_context():
        ahmed = db.session.get(User, w.users["ahmed"])
        service.record_outcome(ahmed, w.youths["sara"], "moved_other", date(2026, 2, 1))
        db.session.commit()  # the caller owns the transaction, as a request does
    ahmed = Api(client, "ahmed")
    res = client.get(
        "/api/v1/reports/results", headers=ahmed.headers, query_string={"from": "2026-01", "programme": w.programme}
    ).get_json()
    eff = res["cohorts"][0]["cohorts"][0]["effects"][0]
    assert (eff["measured"], eff["moved_excluded"], eff["actual_share"], eff["behind"]) == (1, 1, 1.0, False)
    feb = next(m for m in res["monthly"] if m["month"] == "2026-02")
    assert feb["outflow"]["moved_other"] == 1 and feb["active"] == 1  # Sara moved on 1 Feb
    res = client.get(
        "/api/v1/reports/results", headers=ahmed.headers, query_string={"from": "2026-01", "programme": w.empty}
    ).get_json()
    assert res["youth_count"] == 0 and res["cohorts"][0]["cohorts"] == []


@pytest.mark.parametrize(
    "query,field",
    [
        ({"from": "2026-13"}, "from"),
        ({"to": "januar"}, "to"),
        ({"from": "2026-05", "to": "2026-02"}, "from"),
        ({"to": "2030-01"}, "to"),
        ({"from": "2010-01", "to": "2026-01"}, "from"),
        ({"programme": "nope"}, "programme"),
        ({"programme": "00000000-0000-4000-8000-000000000000"}, "programme"),
    ],
)
def test_bad_filter_is_a_clear_400(app, client, world, query, field):
    ahmed = Api(client, "ahmed")
    r = client.get("/api/v1/reports/results", headers=ahmed.headers, query_string=query)
    body = r.get_json()
    assert r.status_code == 400 and body["error"]["code"] == "invalid_filter"
    assert field in body["error"]["details"] and body["error"]["message"]
    web_login(client, world.users["ahmed"])
    page = client.get("/results", query_string=query)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'data-testid="filter-error"' in html
    for v in query.values():
        assert f'value="{v}"' in html or v == query.get("programme")


def test_reports_api_needs_token_and_staff(app, client, world):
    assert client.get("/api/v1/reports/results").status_code == 401
    mads = Api(client, "mads")
    r = client.get("/api/v1/reports/results", headers=mads.headers)
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/reports/nope", headers=mads.headers).status_code == 404


def test_results_page_and_csv(app, client, world):
    web_login(client, world.users["ahmed"])
    r = client.get("/results?from=2026-01&to=2026-06")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Bagud" in html and "data:image/svg+xml;base64," in html
    assert "Selvforsørgende" in html and "14 dage" in html
    csv = client.get("/results/export/cohorts.csv?from=2026-01&to=2026-06")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Forløb;Hold (startmåned);Deltagere")
    assert (
        "Unge på Toppen;2026-01;2;Selvforsørgende (uddannelse, job eller andet);uge 12;60,0 %;50,0 %;2;0;Målt;Bagud"
        in lines
    )
    assert "FOKUS;–;0;Ingen deltagere i perioden;;;;;;;" in lines
    assert client.get("/results/export/monthly.csv?from=x").status_code == 400
    assert client.get("/results/export/secret.csv").status_code == 404
    web_login(client, world.users["mads"])
    assert client.get("/results").status_code in (302, 403)

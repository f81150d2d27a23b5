"""Targets per target group (KIK-II strategy) and the target groups' monthly status."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import User
from backend.programmes import service
from backend.programmes.models import TargetGroupTarget
from tests.backend.world import Api, build_world, web_login

TODAY = "2026-06-15"


def login(client, user_id):
    web_login(client, user_id)


def csrf(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def world(app):
    """Mads: aktivitetsparat → uddannelsesparat (10 March) → job (20 May);
    Sara: aktivitetsparat → fleksjob (2 April)."""
    app.config["TRINVIS_TODAY"] = TODAY
    w = build_world(app)
    with app.app_context():
        for y in ("mads", "sara"):
            ahmed = db.session.get(User, w.users["ahmed"])
            service.record_outcome(ahmed, w.youths[y], "active", date(2025, 12, 1))
            ahmed = db.session.get(User, w.users["ahmed"])
            service.record_target_group(ahmed, w.youths[y], "activity_ready", date(2025, 12, 1))
        for fn, y, value, d in (
            (service.record_target_group, "mads", "education_ready", date(2026, 3, 10)),
            (service.record_outcome, "mads", "job", date(2026, 5, 20)),
            (service.record_outcome, "sara", "flexjob", date(2026, 4, 2)),
        ):
            fn(db.session.get(User, w.users["ahmed"]), w.youths[y], value, d)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    return w


def row(html, table, group):
    t = re.search(rf'data-testid="{table}".*?</table>', html, re.S).group(0)
    r = re.search(rf'<tr data-group="{group}">.*?</tr>', t, re.S).group(0)
    return {k: v.strip() for k, v in re.findall(r'data-k="(\w+)">([^<]*)<', r)}


def set_targets(client, year="2026", **override):
    token = csrf(client, f"/results/targets?year={year}")
    form = {"csrf_token": token, "year": year}
    for g, (ss, tgc, other, red) in {
        "job_ready": (80, 15, 5, 100),
        "education_ready": (80, 15, 5, 135),
        "activity_ready": (31, 23, 46, 115),
    }.items():
        form.update(
            {
                f"{g}-self_supporting_pct": ss,
                f"{g}-target_group_change_pct": tgc,
                f"{g}-other_benefit_pct": other,
                f"{g}-reduction": red,
            }
        )
    form.update(override)
    return client.post("/results/targets", data=form)


def test_targets_are_set_per_year_and_checked(app, client, world):
    login(client, world.users["ahmed"])
    r = set_targets(client)
    assert r.status_code == 302
    with app.app_context():
        t = db.session.scalar(
            select(TargetGroupTarget).where(
                TargetGroupTarget.year == 2026, TargetGroupTarget.target_group == "activity_ready"
            )
        )
        assert (t.self_supporting_pct, t.target_group_change_pct, t.other_benefit_pct, t.reduction) == (31, 23, 46, 115)
    bad = set_targets(client, **{"job_ready-self_supporting_pct": "90"})  # 90 + 15 + 5 > 100
    assert bad.status_code == 400 and "højst give 100 %" in bad.get_data(as_text=True)
    bad = set_targets(client, **{"job_ready-other_benefit_pct": "fem"})
    assert bad.status_code == 400 and 'value="fem"' in bad.get_data(as_text=True)
    assert client.get("/results/targets?year=abc").status_code == 400
    login(client, world.users["karen"])  # a partner reads, but does not set targets
    assert client.get("/results/targets?year=2026").status_code == 200
    assert set_targets(client).status_code == 403
    # an administrator has no case pages: they set targets through the API
    admin = Api(client, "admin")
    body = {
        "job_ready": {
            "self_supporting_pct": 70,
            "target_group_change_pct": 20,
            "other_benefit_pct": 10,
            "reduction": None,
        }
    }
    r = client.put("/api/v1/reports/targets/2027", json=body, headers=admin.headers)
    assert r.status_code == 200 and r.get_json()["targets"]["job_ready"]["self_supporting_pct"] == 70
    body["job_ready"]["other_benefit_pct"] = "ti"
    r = client.put("/api/v1/reports/targets/2027", json=body, headers=admin.headers)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid"
    r = client.put("/api/v1/reports/targets/2027", json=body, headers=Api(client, "karen").headers)
    assert r.status_code == 403


def test_monthly_status_counts_movement_and_actual_vs_target(app, client, world):
    login(client, world.users["ahmed"])
    assert set_targets(client).status_code == 302
    html = client.get("/results/target-groups?month=2026-06").get_data(as_text=True)
    act = row(html, "vs-target", "activity_ready")
    assert act["left_total"] == "2"
    assert act["target_group_change"] == "1 = 50,0 % / 23,0 %" and act["other_benefit"] == "1 = 50,0 % / 46,0 %"
    assert act["self_supporting"] == "0 = 0,0 % / 31,0 %" and act["reduction"] == "2 / 115"
    edu = row(html, "vs-target", "education_ready")
    assert edu["left_total"] == "1" and edu["self_supporting"] == "1 = 100,0 % / 80,0 %"
    assert row(html, "by-group", "education_ready")["job"] == "1"
    assert row(html, "by-group", "activity_ready")["flexjob"] == "1"
    assert "Ingen skift af målgruppe i måneden" in html
    march = client.get("/results/target-groups?month=2026-03").get_data(as_text=True)
    move = re.search(r'data-testid="movement".*?</table>', march, re.S).group(0)
    assert "Aktivitetsparat" in move and "Uddannelsesparat" in move and 'data-label="Antal">1</td>' in move
    assert row(march, "by-group", "education_ready")["active"] == "1"


def test_filters(app, client, world):
    w = world
    login(client, w.users["ahmed"])

    def scope(**q):
        r = client.get("/results/target-groups", query_string={"month": "2026-06", **q})
        assert r.status_code == 200
        return int(
            re.search(r'data-testid="tg-scope">Tallene dækker <strong>(\d+)</strong>', r.get_data(as_text=True)).group(
                1
            )
        )

    assert scope() == 2
    assert scope(target_group="education_ready") == 1
    assert scope(mentor=w.users["lise"]) == 2 and scope(mentor=w.users["ole"]) == 0
    assert scope(organization=w.orgs["Jobcenter"]) == 2 and scope(organization=w.orgs["UU"]) == 0
    for q in (
        {"target_group": "alle"},
        {"mentor": "x"},
        {"month": "2026-6"},
        {"programme": "00000000-0000-4000-8000-000000000000"},
    ):
        r = client.get("/results/target-groups", query_string=q)
        assert r.status_code == 400 and 'data-testid="filter-error"' in r.get_data(as_text=True), q
    login(client, w.users["nina"])  # Rusmiddelcenter: only Mads consented
    assert scope() == 1


def test_demo_seeds_the_strategy_targets(app):
    build_world(app)
    with app.app_context():
        from backend.programmes.seed import _targets

        _targets(date(2026, 6, 15))
        got = {
            (t.year, t.target_group): (
                t.self_supporting_pct,
                t.target_group_change_pct,
                t.other_benefit_pct,
                t.reduction,
            )
            for t in db.session.scalars(select(TargetGroupTarget))
        }
    # KIK-II (source 001): jobparat and uddannelsesparat 80/15/5, aktivitetsparat 31/23/46
    assert got[(2026, "job_ready")] == (80, 15, 5, 100)
    assert got[(2026, "education_ready")] == (80, 15, 5, 135)
    assert got[(2024, "activity_ready")] == (31, 23, 46, 115)


def test_monthly_report_page_and_csv(app, client, world):
    """One section per programme and one for the target groups, each with a plain-Danish reading."""
    w = world
    with app.app_context():
        from backend.programmes.models import Programme

        ahmed = db.session.get(User, w.users["ahmed"])
        p = service.save_programme(
            ahmed,
            None,
            {
                "name": "Formel 1",
                "description": "",
                "organization_id": w.orgs["Jobcenter"],
                "capacity": None,
                "team_size": None,
                "hours_per_week": None,
                "start_rule": "",
                "active": True,
                "phases": [("1. del", 16)],
                "effects": [("self_supporting", 50, 16)],
                "activities": [],
            },
        )
        service.enrol(
            db.session.get(User, w.users["ahmed"]),
            w.youths["mads"],
            db.session.get(Programme, p.id),
            date(2026, 1, 5),
            None,
        )
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    login(client, w.users["ahmed"])
    assert set_targets(client).status_code == 302
    html = client.get("/results/report?month=2026-04").get_data(as_text=True)
    assert html.count('data-testid="report-programme"') == 1 and 'data-testid="report-target-groups"' in html
    assert "I april 2026 deltog 1 unge i Formel 1; 0 er stadig i forløbet." in html
    assert "1 har skiftet målgruppe." in html
    assert "Forventet 50,0 % selvforsørgende uge 16: 0 af 1 målte (0,0 %) – under det forventede." in html
    # Mads changed to uddannelsesparat (March) and Sara went to flexjob (April)
    assert (
        "Af de 2 aktivitetsparate, der har forladt målgruppen siden 1. januar: 0,0 % selvforsørgende "
        "(mål 31,0 %), 50,0 % skiftede målgruppe (mål 23,0 %), 50,0 % overgik til anden ydelse (mål 46,0 %)."
    ) in html
    assert "Mads" not in html  # aggregate figures only
    csv = client.get("/results/report.csv?month=2026-04")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert csv.status_code == 200 and lines[0] == "Måned;Afsnit;Navn;Tal;Værdi;Forventet/mål"
    assert "2026-04;Forløb;Formel 1;Deltagere i måneden;1;" in lines
    assert "2026-04;Forløb;Formel 1;Målt: selvforsørgende uge 16;0,0 %;50,0 %" in lines
    assert "2026-04;Målgruppe;Aktivitetsparat;selvforsørgende;0,0 %;31,0 %" in lines
    assert client.get("/results/report?month=2026-14").status_code == 400
    assert client.get("/results/report.csv?month=x").status_code == 400
    login(client, w.users["mads"])
    assert client.get("/results/report").status_code in (302, 403)

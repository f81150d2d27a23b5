"""Caseworker pages through the Flask test client, with CSRF on: access, edits, errors, headers."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.admin import system_write
from backend.extensions import db
from backend.models import AuditLog, Conflict, Consent, Goal, RecordHistory
from tests.backend.world import PASSWORD, Api, build_world
from tests.conftest import make_app, truncate_all

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def uid() -> str:
    return str(uuid.uuid4())


class Browser:
    """A logged-in browser session on the test client; posts carry the session's CSRF token."""

    def __init__(self, app, username: str | None = None):
        self.client = app.test_client()
        self.token = None
        if username:
            r = self.login(username)
            assert r.status_code == 302, r.text

    def csrf(self) -> str:
        if self.token is None:
            self.token = TOKEN.search(self.client.get("/login").text).group(1)
        return self.token

    def login(self, username, password=PASSWORD):
        r = self.client.post("/login", data={"csrf_token": self.csrf(), "username": username, "password": password})
        self.token = None  # the session is renewed at login
        return r

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, csrf=True):
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.token = TOKEN.search(self.client.get("/").text).group(1)
            data["csrf_token"] = self.token
        return self.client.post(url, data=data)


@pytest.fixture
def w(app, w):
    """The common small municipality (tests/conftest.py) with plans and three goals."""
    world = w
    with app.app_context():
        system_write(
            [
                {
                    "entity": "plan",
                    "id": uid(),
                    "data": {
                        "youth_id": world.youths[y],
                        "end_goal": f"Uddannelse for {y}",
                        "end_goal_kind": "education",
                        "start_date": (date.today() - timedelta(days=100)).isoformat(),
                    },
                }
                for y in ("mads", "sara")
            ]
        )
        world.goal = uid()
        world.treat_goal = uid()
        world.sara_goal = uid()
        system_write(
            [
                {
                    "entity": "goal",
                    "id": world.goal,
                    "data": {
                        "youth_id": world.youths["mads"],
                        "organization_id": world.orgs["Jobcenter"],
                        "title": "Møde op til tiden",
                        "description": "Hver morgen",
                    },
                },
                {
                    "entity": "goal",
                    "id": world.treat_goal,
                    "data": {
                        "youth_id": world.youths["mads"],
                        "organization_id": world.orgs["Rusmiddelcenter"],
                        "title": "Behandlingsforløb",
                        "visibility": "organization",
                    },
                },
                {
                    "entity": "goal",
                    "id": world.sara_goal,
                    "data": {
                        "youth_id": world.youths["sara"],
                        "organization_id": world.orgs["UU"],
                        "title": "Brobygning",
                    },
                },
            ]
        )
        db.session.remove()
    return world


def goal_row(app, gid) -> Goal:
    with app.app_context():
        g = db.session.get(Goal, gid)
        db.session.expunge(g)
        return g


# ---- login, logout, headers --------------------------------------------------------------------


def test_login_page_and_wrong_password_keeps_username(app, w):
    b = Browser(app)
    assert b.get("/").status_code == 302 and "/login" in b.get("/").headers["Location"]
    r = b.login("ahmed", "wrong-password")
    assert r.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in r.text and 'value="ahmed"' in r.text
    r = b.login("ahmed")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    page = b.get("/")
    assert page.status_code == 200 and "Sagsoversigt" in page.text and "Ahmed" in page.text
    r = b.post("/logout")
    assert r.status_code == 302
    assert b.get("/").status_code == 302


def test_youth_gets_a_plain_explanation_and_no_session(app, w):
    b = Browser(app)
    r = b.login("mads")
    assert r.status_code == 403 and "Trinvis-appen" in r.text
    assert b.get("/").status_code == 302
    assert b.get(f"/youth/{w.youths['mads']}").status_code == 302


def test_admin_gets_the_user_pages_and_no_case_data(app, w):
    """Since issue 11 the administrator logs in to the user pages; case pages stay closed."""
    b = Browser(app)
    r = b.login("admin")
    assert r.status_code == 302 and r.headers["Location"] == "/admin/brugere"
    for url in ("/", f"/youth/{w.youths['mads']}", "/conflicts"):
        r = b.get(url)
        assert r.status_code == 403 and "Administratorer har ikke adgang" in r.text, url
    assert "Mads" not in b.get("/admin/brugere").text.split("<table")[0]


def test_next_parameter_is_local_only(app, w):
    b = Browser(app)
    r = b.client.post(
        "/login", data={"csrf_token": b.csrf(), "username": "ahmed", "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert r.headers["Location"] == "/"
    b2 = Browser(app)
    target = f"/youth/{w.youths['mads']}"
    r = b2.client.post(
        "/login", data={"csrf_token": b2.csrf(), "username": "ahmed", "password": PASSWORD, "next": target}
    )
    assert r.headers["Location"] == target


def test_security_headers(app, w):
    b = Browser(app, "ahmed")
    for url in ("/login", "/", f"/youth/{w.youths['mads']}", "/static/css/app.css", "/nope"):
        r = b.get(url)
        csp = r.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", csp).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert "frame-ancestors 'none'" in csp
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
    assert b.get("/").headers["Cache-Control"] == "no-store"
    # Pages carry no inline scripts and no external (CDN) resources.
    html = b.get(f"/youth/{w.youths['mads']}").text + b.get(f"/youth/{w.youths['mads']}/progression").text
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_csrf_is_enforced(app, w):
    b = Browser(app)
    r = b.client.post("/login", data={"username": "ahmed", "password": PASSWORD})
    assert r.status_code == 400 and "sikkerhedsnøglen" in r.text
    b = Browser(app, "ahmed")
    r = b.post(
        f"/youth/{w.youths['mads']}/goals/{w.goal}",
        {"title": "Uden nøgle", "status": "open", "visibility": "shared", "base_version": "1"},
        csrf=False,
    )
    assert r.status_code == 400
    assert goal_row(app, w.goal).title == "Møde op til tiden"
    r = b.post("/logout", csrf=False)
    assert r.status_code == 400 and b.get("/").status_code == 200  # still logged in


def test_login_is_rate_limited(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute")
    truncate_all(app)
    build_world(app)
    b = Browser(app)
    codes = [b.login("ahmed", "wrong").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    r = b.login("ahmed")
    assert r.status_code == 429 and "For mange forsøg" in r.text


# ---- who sees what -----------------------------------------------------------------------------


def test_partner_sees_only_consented_youth_and_allowed_items(app, w):
    nina = Browser(app, "nina")
    page = nina.get("/").text
    assert "Mads" in page and "Sara" not in page
    assert nina.get(f"/youth/{w.youths['sara']}").status_code == 404
    assert nina.get(f"/youth/{w.youths['sara']}/progression").status_code == 404
    assert nina.get(f"/youth/{w.youths['sara']}/print").status_code == 404
    plan = nina.get(f"/youth/{w.youths['mads']}").text
    assert "Behandlingsforløb" in plan and "Møde op til tiden" in plan
    peter = Browser(app, "peter")
    plan = peter.get(f"/youth/{w.youths['mads']}").text
    assert "Møde op til tiden" in plan and "Behandlingsforløb" not in plan
    assert "Behandlingsforløb" not in peter.get(f"/youth/{w.youths['mads']}/print").text
    karen = Browser(app, "karen")
    assert "Brobygning" in karen.get(f"/youth/{w.youths['sara']}").text
    # Coordinator-only pages.
    assert nina.get("/conflicts").status_code == 403
    assert nina.get(f"/youth/{w.youths['mads']}/audit").status_code == 403
    assert 'href="/conflicts"' not in nina.get("/").text


def test_reads_are_audit_logged_and_shown_to_the_coordinator(app, w):
    Browser(app, "nina").get(f"/youth/{w.youths['mads']}")
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog).where(AuditLog.user_id == w.users["nina"], AuditLog.youth_id == w.youths["mads"])
        ).all()
        assert {(r.action, r.channel) for r in rows} == {("read", "web")}
        assert {r.entity for r in rows} >= {"youth", "plan", "goal", "consent"}
    page = Browser(app, "ahmed").get(f"/youth/{w.youths['mads']}/audit")
    assert page.status_code == 200 and "Nina" in page.text and "Læst" in page.text


# ---- edits through the sync engine -------------------------------------------------------------


def goal_form(**kw):
    return {
        "title": "Møde op til tiden",
        "description": "Hver morgen",
        "status": "open",
        "target_date": "",
        "visibility": "shared",
        "base_version": "1",
        **kw,
    }


def test_coordinator_edits_a_goal_and_the_phone_receives_it(app, w, client):
    b = Browser(app, "ahmed")
    r = b.post(
        f"/youth/{w.youths['mads']}/goals/{w.goal}",
        goal_form(title="Møde op kl. 9", status="in_progress", target_date="2026-06-30"),
    )
    assert r.status_code == 302, r.text
    g = goal_row(app, w.goal)
    assert (g.title, g.status, g.target_date, g.version) == ("Møde op kl. 9", "in_progress", date(2026, 6, 30), 2)
    page = b.get(f"/youth/{w.youths['mads']}").text
    assert "Delmålet er gemt." in page and "Møde op kl. 9" in page and "I gang" in page
    changes, _ = Api(client, "lise").pull_all()
    pulled = next(c for c in changes if c["id"] == w.goal)
    assert pulled["version"] == 2 and pulled["data"]["title"] == "Møde op kl. 9"
    with app.app_context():
        assert db.session.get(RecordHistory, ("goal", w.goal, 2)).user_id == w.users["ahmed"]


def test_concurrent_edits_merge_per_field(app, w, client):
    lise = Api(client, "lise")
    r = lise.upsert("goal", {"id": w.goal, "youth_id": w.youths["mads"], "description": "Også fredag"}, base_version=1)
    assert r["version"] == 2
    b = Browser(app, "ahmed")
    # The form still shows version 1: only the title changed there.
    r = b.post(f"/youth/{w.youths['mads']}/goals/{w.goal}", goal_form(title="Møde op kl. 9"))
    assert r.status_code == 302
    g = goal_row(app, w.goal)
    assert (g.title, g.description, g.version) == ("Møde op kl. 9", "Også fredag", 3)


def test_rejected_edit_shows_danish_error_and_keeps_what_was_typed(app, w):
    b = Browser(app, "ahmed")
    url = f"/youth/{w.youths['mads']}/goals/{w.goal}"
    r = b.post(url, goal_form(title="", description="Skrevet af mig"))
    assert r.status_code == 400 and "Skal udfyldes" in r.text and "Skrevet af mig" in r.text
    r = b.post(url, goal_form(title="Ny titel æøå", target_date="2026-02-31"))
    assert r.status_code == 400 and "Ugyldig dato" in r.text and 'value="Ny titel æøå"' in r.text
    assert 'value="2026-02-31"' in r.text
    r = b.post(url, goal_form(title="x" * 300))
    assert r.status_code == 400 and "Titel" in r.text and "x" * 300 in r.text
    r = b.post(url, goal_form(status="done"))
    assert r.status_code == 400 and "Ugyldig værdi" in r.text
    assert goal_row(app, w.goal).version == 1
    # Issue 16 item 17: the messages are Danish and say what is wrong, no wire values, no English
    r = b.post(url, goal_form(title="x" * 300))
    assert "Må højst være 200 tegn." in r.text and "Skal udfyldes" not in r.text
    r = b.post(url, goal_form(title=""))
    assert "Skal udfyldes." in r.text and "højst" not in r.text
    r = b.post(url, goal_form(status="done"))
    assert "Vælg en af: Åben, I gang, Nået, Droppet." in r.text and "Tilladt: open" not in r.text
    # The engine refuses a partner's edit of another organisation's goal, in Danish.
    nina = Browser(app, "nina")
    r = nina.post(url, goal_form(title="Nina prøver"))
    assert r.status_code == 400 and "egen organisations" in r.text and 'value="Nina prøver"' in r.text
    assert goal_row(app, w.goal).title == "Møde op til tiden"


def test_partner_adds_and_edits_own_goal(app, w):
    nina = Browser(app, "nina")
    r = nina.post(
        f"/youth/{w.youths['mads']}/goals",
        {
            "title": "Færre dage med hash",
            "status": "open",
            "visibility": "organization",
            "organization_id": w.orgs["Rusmiddelcenter"],
            "target_date": "",
        },
    )
    assert r.status_code == 302, r.text
    with app.app_context():
        g = db.session.scalar(select(Goal).where(Goal.title == "Færre dage med hash"))
        assert (g.organization_id, g.visibility) == (w.orgs["Rusmiddelcenter"], "organization")
    assert "Færre dage med hash" not in Browser(app, "peter").get(f"/youth/{w.youths['mads']}").text


def activity_form(w, **kw):
    return {
        "title": "Samtale",
        "organization_id": w.orgs["Rusmiddelcenter"],
        "weekdays": ["1", "3"],
        "start_time": "10:00",
        "end_time": "11:00",
        "start_date": "2026-01-05",
        "end_date": "",
        "location": "",
        "visibility": "shared",
        "goal_id": "",
        **kw,
    }


def test_overlapping_activity_shows_clash_warning(app, w):
    b = Browser(app, "ahmed")
    y = w.youths["mads"]
    r = b.post(
        f"/youth/{y}/activities",
        activity_form(
            w,
            title="Praktik",
            organization_id=w.orgs["Jobcenter"],
            weekdays=["0", "1", "2"],
            start_time="09:00",
            end_time="12:00",
        ),
    )
    assert r.status_code == 302
    page = b.get(f"/youth/{y}").text
    assert 'data-testid="clash-warning"' not in page
    r = b.post(f"/youth/{y}/activities", activity_form(w))
    assert r.status_code == 302
    page = b.get(f"/youth/{y}").text
    assert "Bemærk: aktiviteten overlapper med Praktik" in page
    warning = re.search(r'data-testid="clash-warning">(.*?)</div>', page, re.S).group(1)
    assert "Praktik" in warning and "Samtale" in warning and "tirsdag" in warning
    assert "mandag" not in warning and "onsdag" not in warning


def week_cells(page: str) -> list[str]:
    """The week grid's day columns (Monday first), as HTML."""
    grid = re.search(r'data-testid="week-grid">(.*?)</table>', page, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", grid.split("<tbody>")[1], re.S)


def test_week_grid_marks_only_the_day_and_time_that_clash(app, w):
    """Praktik runs Mon–Wed 09–12, Samtale Tue and Thu 10–11: only Tuesday 10–11 clashes."""
    b = Browser(app, "ahmed")
    y = w.youths["mads"]
    b.post(
        f"/youth/{y}/activities",
        activity_form(
            w,
            title="Praktik",
            organization_id=w.orgs["Jobcenter"],
            weekdays=["0", "1", "2"],
            start_time="09:00",
            end_time="12:00",
        ),
    )
    b.post(f"/youth/{y}/activities", activity_form(w))
    mon, tue, wed, thu, fri = week_cells(b.get(f"/youth/{y}").text)
    assert "Praktik" in mon and "clash" not in mon and "Overlap" not in mon
    assert "Praktik" in wed and "Overlap" not in wed
    assert "Samtale" in thu and "Overlap" not in thu
    assert tue.count('class="slot clash"') == 2
    assert "Overlap 10:00–11:00 med Samtale" in tue and "Overlap 10:00–11:00 med Praktik" in tue
    printed = b.get(f"/youth/{y}/print?show=1&org={w.orgs['Jobcenter']}").text  # the meeting (issue 9)
    assert printed.count("Overlap 10:00–11:00 med") == 2 and printed.count('class="slot clash"') == 2


def test_plan_shows_absence_reasons_mentor_notes_and_names_the_activity_in_the_calendar(app, w):
    """The calendar names each day's activity in plain text (a tooltip is nothing on a tablet);
    the reasons and the mentor's notes of the last 8 weeks are listed under it."""
    y = w.youths["mads"]
    act, day = uid(), date.today() - timedelta(days=1)
    with app.app_context():
        system_write(
            [
                {
                    "entity": "activity",
                    "id": act,
                    "data": {
                        "youth_id": y,
                        "organization_id": w.orgs["Jobcenter"],
                        "title": "Lagerpraktik",
                        "weekdays": [day.weekday()],
                        "start_time": "09:00",
                        "end_time": "12:00",
                        "start_date": (day - timedelta(days=30)).isoformat(),
                    },
                }
            ]
        )
        system_write(
            [
                {
                    "entity": "attendance",
                    "id": uid(),
                    "data": {
                        "youth_id": y,
                        "activity_id": act,
                        "date": day.isoformat(),
                        "status": "absent_notified",
                        "absence_reason": "Tandlæge kl. 10",
                        "note": "Ringede selv kl. 8 – godt gået",
                    },
                }
            ]
        )
        db.session.remove()
    page = Browser(app, "ahmed").get(f"/youth/{y}").text
    calendar = re.search(r'data-testid="attendance-calendar">(.*?)</table>', page, re.S).group(1)
    assert '<span class="att-title">Lagerpraktik</span>' in calendar and 'sr-only">: Lagerpraktik' not in calendar
    notes = re.search(r'data-testid="attendance-notes"(.*?)</table>', page, re.S).group(1)
    assert day.strftime("%d.%m.%Y") in notes and "Lagerpraktik" in notes
    assert "Tandlæge kl. 10" in notes and "Ringede selv kl. 8 – godt gået" in notes and "Meldt fra" in notes


def test_bad_activity_input_keeps_what_was_typed(app, w):
    b = Browser(app, "ahmed")
    y = w.youths["mads"]
    r = b.post(f"/youth/{y}/activities", activity_form(w, title="Sen samtale", start_time="14:00", end_time="13:00"))
    assert r.status_code == 400 and "Sluttid skal være efter starttid" in r.text
    assert 'value="Sen samtale"' in r.text and 'value="14:00"' in r.text
    r = b.post(f"/youth/{y}/activities", activity_form(w, weekdays=[]))
    assert r.status_code == 400 and "Vælg mindst én ugedag" in r.text
    r = b.post(f"/youth/{y}/activities", activity_form(w, weekdays=["x", "9"]))
    assert r.status_code == 400 and "Ugyldig værdi" in r.text
    r = b.post(f"/youth/{y}/activities", activity_form(w, weekdays=["9"]))
    assert r.status_code == 400


def test_coordinator_withdraws_consent_and_the_partner_loses_access(app, w):
    nina = Browser(app, "nina")
    assert nina.get(f"/youth/{w.youths['mads']}").status_code == 200
    with app.app_context():
        c = db.session.scalar(
            select(Consent).where(
                Consent.youth_id == w.youths["mads"], Consent.organization_id == w.orgs["Rusmiddelcenter"]
            )
        )
        cid, version = c.id, c.version
    # A partner cannot record consent.
    r = nina.post(
        f"/youth/{w.youths['mads']}/consents/{w.orgs['Rusmiddelcenter']}",
        {"status": "withdrawn", "base_version": str(version)},
    )
    assert r.status_code == 400 and "kan ikke ændre" in r.text
    b = Browser(app, "ahmed")
    # The first click asks; nothing changes until the coordinator confirms.
    r = b.post(
        f"/youth/{w.youths['mads']}/consents/{w.orgs['Rusmiddelcenter']}",
        {"status": "withdrawn", "base_version": str(version)},
    )
    assert r.status_code == 200 and "Træk samtykket tilbage?" in r.text and "Rusmiddelcenter mister adgangen" in r.text
    with app.app_context():
        assert db.session.get(Consent, cid).status == "given"
    assert nina.get(f"/youth/{w.youths['mads']}").status_code == 200
    r = b.post(
        f"/youth/{w.youths['mads']}/consents/{w.orgs['Rusmiddelcenter']}",
        {"status": "withdrawn", "base_version": str(version), "confirm": "yes"},
    )
    assert r.status_code == 302
    with app.app_context():
        c = db.session.get(Consent, cid)
        assert (c.status, c.recorded_by_user_id, c.version) == ("withdrawn", w.users["ahmed"], version + 1)
        assert c.withdrawn_at is not None
    assert nina.get(f"/youth/{w.youths['mads']}").status_code == 404
    assert "Mads" not in nina.get("/").text
    # …and given again.
    r = b.post(
        f"/youth/{w.youths['mads']}/consents/{w.orgs['Rusmiddelcenter']}",
        {"status": "given", "base_version": str(version + 1)},
    )
    assert r.status_code == 302 and nina.get(f"/youth/{w.youths['mads']}").status_code == 200


def test_add_agreement(app, w):
    b = Browser(app, "lise")
    y = w.youths["mads"]
    r = b.post(
        f"/youth/{y}/agreements",
        {
            "text": "Ring til UU-vejlederen",
            "responsible": "youth",
            "due_date": "2026-13-01",
            "organization_id": w.orgs["Jobcenter"],
        },
    )
    assert r.status_code == 400 and "Ugyldig dato" in r.text and "Ring til UU-vejlederen" in r.text
    r = b.post(
        f"/youth/{y}/agreements",
        {
            "text": "Ring til UU-vejlederen",
            "responsible": "staff",
            "due_date": "2026-12-01",
            "organization_id": w.orgs["Jobcenter"],
        },
    )
    assert r.status_code == 302
    page = b.get(f"/youth/{y}").text
    assert "Ring til UU-vejlederen" in page and "Aftalen er oprettet." in page


# ---- conflicts ---------------------------------------------------------------------------------


def make_conflict(app, client, w) -> None:
    lise = Api(client, "lise")
    assert (
        lise.upsert("goal", {"id": w.goal, "youth_id": w.youths["mads"], "title": "Lises titel"}, base_version=1)[
            "status"
        ]
        == "applied"
    )
    ahmed = Api(client, "ahmed", device="ahmed-phone")
    assert (
        ahmed.upsert("goal", {"id": w.goal, "youth_id": w.youths["mads"], "title": "Ahmeds titel"}, base_version=1)[
            "status"
        ]
        == "merged"
    )


@pytest.mark.parametrize("action, final_title", [("confirm", "Ahmeds titel"), ("correct", "Lises titel")])
def test_conflicts_confirm_or_correct(app, w, client, action, final_title):
    make_conflict(app, client, w)
    b = Browser(app, "ahmed")
    page = b.get("/conflicts").text
    assert "Lises titel" in page and "Ahmeds titel" in page
    with app.app_context():
        cid = db.session.scalar(select(Conflict.id))
    r = b.post(f"/conflicts/{cid}", {"action": action})
    assert r.status_code == 302
    with app.app_context():
        c = db.session.get(Conflict, cid)
        assert c.resolved_by_user_id == w.users["ahmed"] and c.resolved_at is not None
        assert c.resolution == {"confirm": "confirmed", "correct": "corrected"}[action]
        g = db.session.get(Goal, w.goal)
        assert g.title == final_title and g.version == (4 if action == "correct" else 3)
        assert db.session.scalar(select(Conflict.id).where(Conflict.resolved_at.is_(None))) is None
    page = b.get("/conflicts").text
    assert "Ingen uløste konflikter." in page and "Senest afklaret" in page


# ---- progression -------------------------------------------------------------------------------

DIMS = (
    "hverdagsmestring",
    "fremmoede",
    "helbred_trivsel",
    "sociale_kompetencer",
    "netvaerk",
    "tro_paa_egne_evner",
    "realistiske_maal",
    "faglige_kompetencer",
)


def test_progression_charts_and_distance(app, w):
    with app.app_context():
        from backend.models import Plan

        start = db.session.scalar(select(Plan.start_date).where(Plan.youth_id == w.youths["mads"]))
        muts = []
        for n, score in ((1, 3), (2, 6)):
            due = (start + timedelta(days=42 * n)).isoformat()
            now = datetime.now(UTC).isoformat()
            muts.append(
                {
                    "entity": "assessment",
                    "id": uid(),
                    "data": {
                        "youth_id": w.youths["mads"],
                        "due_date": due,
                        "rater_role": "youth",
                        "scores": {d: score for d in DIMS},
                        "submitted_at": now,
                    },
                }
            )
            muts.append(
                {
                    "entity": "assessment",
                    "id": uid(),
                    "data": {
                        "youth_id": w.youths["mads"],
                        "due_date": due,
                        "rater_role": "staff",
                        "organization_id": w.orgs["Jobcenter"],
                        "scores": {**{d: score + 1 for d in DIMS}, "tro_paa_maalet": 4 + n},
                        "submitted_at": now,
                    },
                }
            )
        system_write(muts)
    page = Browser(app, "karen").get(f"/youth/{w.youths['mads']}/progression")
    assert page.status_code == 200
    imgs = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page.text)
    # two stars (young person, staff) + one small chart per area (8 shared + the staff-only one)
    assert len(imgs) == 2 + 9
    for b64 in imgs:
        svg = base64.b64decode(b64).decode()
        assert svg.startswith("<svg") and "<script" not in svg and "kozea.github.io" not in svg
    table = re.search(r'data-testid="distance-table">(.*?)</table>', page.text, re.S).group(1)
    row = re.search(r"Fremmøde</th>(.*?)</tr>", table, re.S).group(1)
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["3", "6", "+3 ↑", "4", "7", "+3 ↑"]
    # 100 days since the start: the 2nd due date (day 84) is covered, nothing is overdue.
    assert "Ingen forsinkede målinger." in page.text


# ---- nothing returns 500 -----------------------------------------------------------------------

NASTY = [
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "x" * 5000,
    "%00",
    "..%2F..%2Fetc",
    "'; drop table youth; --",
    "<script>alert(1)</script>",
    "ÆØÅ",
    uid().upper(),
]


def test_no_page_returns_500_for_nasty_ids(app, w):
    b = Browser(app, "ahmed")
    y = w.youths["mads"]
    for bad in NASTY:
        for url in (
            f"/youth/{bad}",
            f"/youth/{bad}/progression",
            f"/youth/{bad}/audit",
            f"/youth/{bad}/print",
            f"/youth/{y}/goals/{bad}",
            f"/conflicts/{bad}",
            f"/youth/{y}/consents/{bad}",
            f"/youth/{y}/activities/{bad}",
            f"/youth/{bad}/goals",
            f"/youth/{y}/agreements/{bad}",
            f"/youth/{bad}/outreach",
            f"/youth/{bad}/agreements",
        ):
            posts = ("/goals", "/conflicts/", "/consents/", "/activities/", "/agreements", "/outreach")
            r = b.post(url, goal_form()) if any(p in url for p in posts) else b.get(url)
            assert r.status_code in (400, 404, 405), (url, r.status_code)
        r = b.get("/", query_string={"flag": bad, "target_group": bad, "mentor": bad, "sort": bad, "dir": bad})
        assert r.status_code == 400 and "Ukendt markering" in r.text


@pytest.mark.parametrize(
    "field, value",
    [
        ("base_version", "abc"),
        ("base_version", "-1"),
        ("base_version", "99999999999999999999"),
        ("status", "x" * 3000),
        ("visibility", "public"),
        ("target_date", "31-12-2026"),
        ("target_date", "2026-02-30"),
        ("title", "a\x00b"),
        ("title", "x" * 200_000),
        ("target_date", "9999999-01-01"),
    ],
)
def test_no_500_for_nasty_goal_form_values(app, w, field, value):
    r = Browser(app, "ahmed").post(f"/youth/{w.youths['mads']}/goals/{w.goal}", goal_form(**{field: value}))
    assert r.status_code == 400, r.status_code
    assert goal_row(app, w.goal).version == 1


@pytest.mark.parametrize(
    "data",
    [
        {"start_time": "25:00"},
        {"start_time": "9"},
        {"start_date": ""},
        {"end_date": "2025-01-01"},
        {"organization_id": "not-an-org"},
        {"organization_id": str(uuid.UUID(int=1))},
        {"goal_id": "nope"},
        {"goal_id": str(uuid.UUID(int=2))},
        {"visibility": ""},
        {"weekdays": ["1"] * 50},
    ],
)
def test_no_500_for_nasty_activity_values(app, w, data):
    r = Browser(app, "ahmed").post(f"/youth/{w.youths['mads']}/activities", activity_form(w, **data))
    assert r.status_code in (302, 400), r.status_code
    if "weekdays" not in data:
        assert r.status_code == 400


def test_conflict_and_consent_bad_actions(app, w, client):
    make_conflict(app, client, w)
    b = Browser(app, "ahmed")
    with app.app_context():
        cid = db.session.scalar(select(Conflict.id))
    assert b.post(f"/conflicts/{cid}", {"action": "explode"}).status_code == 400
    r = b.post(f"/youth/{w.youths['mads']}/consents/{w.orgs['UU']}", {"status": "maybe", "base_version": "1"})
    assert r.status_code == 400 and "Ugyldig værdi" in r.text
    assert b.get("/login?next=" + "x" * 10000).status_code == 302


def test_print_view(app, w):
    ask = Browser(app, "ahmed").get(f"/youth/{w.youths['mads']}/print")
    assert ask.status_code == 200 and 'data-testid="meeting-form"' in ask.text
    assert "Uddannelse for mads" not in ask.text  # nothing of the case before the meeting is chosen
    page = Browser(app, "ahmed").get(f"/youth/{w.youths['mads']}/print?show=1&org={w.orgs['Jobcenter']}")
    assert page.status_code == 200
    assert 'href="/static/css/print.css"' in page.text and "Uddannelse for mads" in page.text
    assert "Noter fra mødet" in page.text
    css = Browser(app).get("/static/css/print.css")
    assert css.status_code == 200 and b"@page" in css.data


def test_oversized_form_is_refused_in_danish(app, w):
    b = Browser(app, "ahmed")
    r = b.post(f"/youth/{w.youths['mads']}/goals/{w.goal}", goal_form(description="x" * 1_200_000))
    assert r.status_code == 413 and "for stor" in r.text
    assert goal_row(app, w.goal).version == 1


def test_follow_up_on_an_agreement(app, w):
    with app.app_context():
        aid = uid()
        system_write(
            [
                {
                    "entity": "agreement",
                    "id": aid,
                    "data": {
                        "youth_id": w.youths["mads"],
                        "organization_id": w.orgs["UU"],
                        "text": "Besøg erhvervsskolen",
                        "responsible": "youth",
                        "due_date": "2026-01-10",
                    },
                }
            ]
        )
    lise = Browser(app, "lise")
    url = f"/youth/{w.youths['mads']}/agreements/{aid}"
    r = lise.post(url, {"status": "kept?", "review_note": "Det gik fint", "base_version": "1"})
    assert r.status_code == 400 and "Ugyldig værdi" in r.text and "Det gik fint" in r.text
    r = lise.post(url, {"status": "kept", "review_note": "Det gik fint", "base_version": "1"})
    assert r.status_code == 302
    with app.app_context():
        from backend.models import Agreement

        a = db.session.get(Agreement, aid)
        assert (a.status, a.review_note, a.version) == ("kept", "Det gik fint", 2) and a.reviewed_at is not None
    page = lise.get(f"/youth/{w.youths['mads']}").text
    assert "100 %" in page  # the young person's kept rate: 1 of 1 reviewed
    # Bostøtte may not follow up on UU's agreement: refused by the engine, in Danish.
    r = Browser(app, "peter").post(url, {"status": "not_kept", "review_note": "", "base_version": "2"})
    assert r.status_code == 400 and "egen organisations" in r.text


def test_document_a_contact_attempt(app, w):
    b = Browser(app, "lise")
    y = w.youths["mads"]
    form = {
        "method": "home_visit",
        "reached": "no",
        "date": "2026-01-05",
        "time": "09:15",
        "note": "Ingen lukkede op. Lagde seddel.",
    }
    r = b.post(f"/youth/{y}/outreach", {**form, "time": "9.15"})
    assert r.status_code == 400 and "klokkeslæt" in r.text and "Lagde seddel." in r.text
    r = b.post(f"/youth/{y}/outreach", {**form, "date": "2999-01-01"})
    assert r.status_code == 400 and "fremtiden" in r.text
    r = b.post(f"/youth/{y}/outreach", {**form, "reached": ""})
    assert r.status_code == 400 and "Vælg om I fik kontakt" in r.text
    r = b.post(f"/youth/{y}/outreach", {**form, "method": "pigeon"})
    assert r.status_code == 400 and "Ugyldig værdi" in r.text
    r = b.post(f"/youth/{y}/outreach", form)
    assert r.status_code == 302
    page = b.get(f"/youth/{y}").text
    assert "Kontaktforsøget er registreret." in page and "05.01.2026 kl. 09:15" in page and "Hjemmebesøg" in page
    with app.app_context():
        from backend.models import Outreach

        o = db.session.scalar(select(Outreach))
        assert (o.reached, o.user_id, o.organization_id) == (False, w.users["lise"], w.orgs["Jobcenter"])
        assert o.contacted_at == datetime(2026, 1, 5, 8, 15, tzinfo=UTC)  # 09:15 in Copenhagen (winter)
    # Partners do not record outreach.
    nina = Browser(app, "nina")
    assert "Registrér kontaktforsøg" not in nina.get(f"/youth/{y}").text
    assert nina.post(f"/youth/{y}/outreach", form).status_code == 400


def test_coordinator_edits_the_end_goal_and_the_phone_receives_it(app, w, client):
    b = Browser(app, "ahmed")
    page = b.get(f"/youth/{w.youths['mads']}").text
    assert 'data-testid="plan-form"' in page
    version = re.search(r'id="plan-form".*?name="base_version" value="(\d+)"', page, re.S).group(1)
    r = b.post(
        f"/youth/{w.youths['mads']}/plan",
        {
            "end_goal": "Svendebrev som tømrer",
            "end_goal_kind": "education",
            "target_date": "2027-08-01",
            "base_version": version,
        },
    )
    assert r.status_code == 302, r.text
    assert "Slutmålet er gemt." in b.get(f"/youth/{w.youths['mads']}").text
    changes, _ = Api(client, "mads").pull_all()
    plan = next(c for c in changes if c["entity"] == "plan")
    assert (plan["data"]["end_goal"], plan["data"]["target_date"]) == ("Svendebrev som tømrer", "2027-08-01")
    # Bad input: a Danish message, what was typed is kept, the saved end goal is untouched.
    r = b.post(
        f"/youth/{w.youths['mads']}/plan",
        {"end_goal": "", "end_goal_kind": "education", "target_date": "2027-13-45", "base_version": "2"},
    )
    assert r.status_code == 400 and "Ændringen blev ikke gemt" in r.text and "2027-13-45" in r.text
    assert "Svendebrev som tømrer" in b.get(f"/youth/{w.youths['mads']}").text
    # Only the coordinator edits the common plan.
    nina = Browser(app, "nina")
    assert 'data-testid="plan-form"' not in nina.get(f"/youth/{w.youths['mads']}").text
    r = nina.post(f"/youth/{w.youths['mads']}/plan", {"end_goal": "Andet", "end_goal_kind": "job", "base_version": "2"})
    assert r.status_code == 400 and "Din organisation kan ikke ændre dette." in r.text


def test_coordinator_creates_a_plan_where_none_exists(app, w, client):
    ahmed = Api(client, "ahmed")
    yid = uid()
    ahmed.upsert("youth", {"id": yid, "youth_id": yid, "display_name": "Ny Ung", "coordinator_id": w.users["ahmed"]})
    b = Browser(app, "ahmed")
    assert "Opret fælles plan" in b.get(f"/youth/{yid}").text
    r = b.post(f"/youth/{yid}/plan", {"end_goal": "Job i detailhandlen", "end_goal_kind": "job", "target_date": ""})
    assert r.status_code == 302, r.text
    page = b.get(f"/youth/{yid}").text
    assert "Job i detailhandlen" in page and "Ret slutmål" in page


def test_coordinator_changes_mentor_and_the_old_mentor_loses_the_case(app, w, client):
    lise = Api(client, "lise")
    assert ("youth", w.youths["mads"]) in {(c["entity"], c["id"]) for c in lise.pull_all()[0]}
    b = Browser(app, "ahmed")
    page = b.get(f"/youth/{w.youths['mads']}").text
    version = re.search(r'id="mentor-form".*?name="base_version" value="(\d+)"', page, re.S).group(1)
    r = b.post(f"/youth/{w.youths['mads']}/mentor", {"mentor_id": w.users["ole"], "base_version": version})
    assert r.status_code == 302, r.text
    page = b.get(f"/youth/{w.youths['mads']}").text
    assert "Mentoren er gemt." in page
    assert re.search(r'data-testid="mentor-name">([^<]+)<', page).group(1) != "Lise"
    _, revoked = lise.pull_all()
    assert revoked == [w.youths["mads"]]
    assert ("youth", w.youths["mads"]) in {(c["entity"], c["id"]) for c in Api(client, "ole").pull_all()[0]}
    # Not a mentor: refused in Danish, nothing changed.
    r = b.post(
        f"/youth/{w.youths['mads']}/mentor", {"mentor_id": w.users["nina"], "base_version": str(int(version) + 1)}
    )
    assert r.status_code == 400 and "Vælg en mentor fra listen." in r.text


def test_idle_session_ends_and_login_says_why(app, w, monkeypatch):
    import backend.accounts.sessions as sessions  # the idle clock is the server's (web_session row)

    b = Browser(app, "ahmed")
    assert b.get("/").status_code == 200
    now = sessions.utcnow()
    monkeypatch.setattr(sessions, "utcnow", lambda: now + timedelta(minutes=29))
    assert b.get("/").status_code == 200  # still in use: the clock restarts
    monkeypatch.setattr(sessions, "utcnow", lambda: now + timedelta(minutes=29 + 31))
    r = b.get(f"/youth/{w.youths['mads']}")
    assert r.status_code == 302 and "expired=1" in r.headers["Location"]
    page = b.get(r.headers["Location"]).text
    assert "Du blev logget ud, fordi siden ikke var i brug i 30 minutter." in page
    assert b.get("/results").status_code == 302  # the results pages share the session rules


def test_only_the_coordinator_changes_mentor_and_end_goal(app, w):
    lise = Browser(app, "lise")
    page = lise.get(f"/youth/{w.youths['mads']}").text
    assert 'data-testid="mentor-form"' not in page and 'data-testid="plan-form"' not in page
    r = lise.post(f"/youth/{w.youths['mads']}/mentor", {"mentor_id": w.users["lise"], "base_version": "1"})
    assert r.status_code == 400 and "Kun koordinatoren kan ændre dette." in r.text
    r = lise.post(f"/youth/{w.youths['mads']}/plan", {"end_goal": "Andet", "end_goal_kind": "job"})
    assert r.status_code == 400 and "Kun koordinatoren kan ændre dette." in r.text
    peter = Browser(app, "peter")  # Bostøtte: no consent from Sara
    assert peter.post(f"/youth/{w.youths['sara']}/mentor", {"mentor_id": ""}).status_code == 404
    assert peter.post(f"/youth/{w.youths['sara']}/plan", {"end_goal": "x", "end_goal_kind": "job"}).status_code == 404
    with app.app_context():
        from backend.models import Plan, Youth

        assert db.session.get(Youth, w.youths["mads"]).mentor_id == w.users["lise"]
        assert (
            db.session.scalar(select(Plan.end_goal).where(Plan.youth_id == w.youths["mads"])) == "Uddannelse for mads"
        )

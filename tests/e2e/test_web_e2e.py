"""Caseworker pages in real headless Chromium against the demo municipality (seed-demo).

Logs in as the demo coordinator (tovholder.ahmed) and a demo partner (behandler.nina), checks
what each sees and does not see, and records consent withdrawal, a goal edit and an overlapping
activity. Screenshots: build/screenshots/web_*.png.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.e2e.web_fixtures import chromium, demo_server, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.e2e


def ids(server) -> dict[str, str]:
    from backend.admin import youth_of
    from backend.extensions import db

    with server.app.app_context():
        out = {"mads": youth_of("ung.mads").id, "sara": youth_of("ung.sara").id}
        db.session.remove()
    return out


def caseload_names(page) -> list[str]:
    return [t.strip() for t in page.locator("table.caseload tbody th a").all_inner_texts()]


def test_coordinator_sees_the_caseload_plan_progression_audit_and_print(demo_server, new_page):
    y = ids(demo_server)
    page = new_page()
    login(page, demo_server, "tovholder.ahmed")
    assert page.url == demo_server.url + "/"
    # The demo's programme history adds more young people to Ahmed's caseload; Mads and Sara are in it.
    names = caseload_names(page)
    assert {"Mads Jensen", "Sara Ahmadi"} <= set(names)
    assert page.get_by_test_id("current-user").inner_text().startswith("Ahmed Hassan")
    assert page.locator("[data-flag]").count() >= 1
    shot(page, "caseload_coordinator")

    page.get_by_label("Sortér efter").select_option("name")
    page.get_by_label("Rækkefølge").select_option("desc")
    page.get_by_role("button", name="Vis").click()
    assert caseload_names(page) == sorted(names, key=str.casefold, reverse=True)

    page.goto(demo_server.url + "/?flag=bogus&sort=%3Cscript%3E")
    assert page.get_by_text("Ukendt markering i filteret").is_visible()
    assert sorted(caseload_names(page)) == sorted(names)

    page.goto(demo_server.url + "/")
    page.get_by_role("link", name="Mads Jensen").click()
    assert page.get_by_test_id("youth-name").inner_text() == "Mads Jensen"
    for heading in ("Slutmål", "Delmål", "Aftaler", "Fremmøde de seneste 8 uger", "Opsøgende kontakt", "Samtykke"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    consent_rows = page.get_by_test_id("consent-table").locator("tbody tr")
    assert consent_rows.count() == 4
    assert page.get_by_test_id("attendance-calendar").locator("tbody tr").count() == 8
    shot(page, "plan_coordinator")

    page.get_by_role("link", name="Progression").click()
    images = page.locator("figure img")
    assert images.count() == 2 + 9  # two stars, one small chart per area
    assert page.get_by_test_id("small-multiples").locator("img").count() == 9
    for i in range(11):
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, "progression")

    page.get_by_role("link", name="Logbog").click()
    log = page.get_by_test_id("audit-log")
    assert log.locator("tbody tr").count() >= 2 and "Ahmed Hassan" in log.inner_text()
    shot(page, "audit")

    page.goto(f"{demo_server.url}/youth/{y['mads']}/print")
    # the print first asks who is at the meeting (need-to-know); the coordinator's own organisation is ticked
    assert page.get_by_role("heading", name="Udskriv til fællesmøde – Mads Jensen").is_visible()
    page.get_by_role("button", name="Vis udskrift").click()
    page.wait_for_load_state()
    page.emulate_media(media="print")
    assert not page.locator(".printbar").is_visible()
    assert page.get_by_role("heading", name="Fælles plan for Mads Jensen").is_visible()
    shot(page, "print")


def test_partner_sees_only_consented_youth_and_allowed_items(demo_server, new_page):
    y = ids(demo_server)
    page = new_page()
    login(page, demo_server, "behandler.nina")
    assert caseload_names(page) == ["Mads Jensen"]
    assert "Sara" not in page.content()
    assert page.get_by_role("link", name="Konflikter").count() == 0
    shot(page, "caseload_partner")

    for path in (f"/youth/{y['sara']}", f"/youth/{y['sara']}/progression", f"/youth/{y['sara']}/print"):
        response = page.goto(demo_server.url + path)
        assert response.status == 404
        assert "Sara" not in page.content()
    assert page.get_by_role("heading", name="Siden findes ikke").is_visible()
    shot(page, "partner_404")
    assert page.goto(f"{demo_server.url}/youth/{y['mads']}/audit").status == 403

    page.goto(f"{demo_server.url}/youth/{y['mads']}")
    text = page.locator("#goals").inner_text()
    assert "Nedsætte hashforbrug" in text  # Rusmiddelcenter's own, organisation-only goal
    assert "Afdragsordning på huslejerestance" not in text  # Bostøtte's organisation-only goal
    assert page.get_by_role("button", name=re.compile("Træk samtykke tilbage")).count() == 0
    shot(page, "plan_partner")


def test_coordinator_withdraws_consent_and_the_partner_loses_access(demo_server, new_page):
    y = ids(demo_server)
    page = new_page()
    login(page, demo_server, "tovholder.ahmed")
    page.goto(f"{demo_server.url}/youth/{y['mads']}#consent")
    row = page.get_by_test_id("consent-table").locator("tr[data-org=Rusmiddelcenter]")
    assert "Givet" in row.inner_text()
    row.get_by_role("button", name="Træk samtykke tilbage for Rusmiddelcenter").click()
    page.wait_for_load_state()
    # One more step: the page says what withdrawal means and asks to confirm.
    assert page.get_by_test_id("consent-confirm").is_visible()
    shot(page, "consent_confirm", full_page=False)
    page.get_by_role("button", name="Ja, træk samtykket tilbage for Rusmiddelcenter").click()
    page.wait_for_load_state()
    assert page.get_by_text("Samtykket for Rusmiddelcenter er trukket tilbage.").is_visible()
    row = page.get_by_test_id("consent-table").locator("tr[data-org=Rusmiddelcenter]")
    assert "Trukket tilbage" in row.inner_text() and "Ahmed Hassan" in row.inner_text()
    row.scroll_into_view_if_needed()
    shot(page, "consent_withdrawn", full_page=False)

    nina = new_page()
    login(nina, demo_server, "behandler.nina")
    assert caseload_names(nina) == []
    assert nina.goto(f"{demo_server.url}/youth/{y['mads']}").status == 404


def test_coordinator_edits_a_goal_and_bad_input_keeps_what_was_typed(demo_server, new_page):
    from backend.extensions import db
    from backend.models import Goal

    y = ids(demo_server)
    with demo_server.app.app_context():
        goal = db.session.scalar(select(Goal).where(Goal.title == "Søge ind på EUD Tømrer via optagelse.dk"))
        gid, version = goal.id, goal.version
        db.session.remove()
    page = new_page()
    login(page, demo_server, "tovholder.ahmed")
    page.goto(f"{demo_server.url}/youth/{y['mads']}")
    row = page.locator(f"#goal-{gid}")
    row.locator("summary").click()
    form = row.locator("form")
    form.get_by_label("Titel").fill("Søge ind på EUD Tømrer – senest 1. marts")
    form.get_by_label("Status").select_option(label="I gang")
    form.get_by_label("Måldato").fill("2027-03-01")
    form.get_by_label("Synlighed").select_option("shared")
    form.get_by_role("button", name="Gem delmål").click()
    page.wait_for_load_state()
    assert page.get_by_text("Delmålet er gemt.").is_visible()
    row = page.locator(f"#goal-{gid}")
    assert "Søge ind på EUD Tømrer – senest 1. marts" in row.inner_text()
    assert "I gang" in row.inner_text() and "01.03.2027" in row.inner_text()
    with demo_server.app.app_context():
        g = db.session.get(Goal, gid)
        assert (g.title, g.status, g.version) == (
            "Søge ind på EUD Tømrer – senest 1. marts",
            "in_progress",
            version + 1,
        )
        db.session.remove()
    shot(page, "goal_saved", full_page=False)

    # Bad input: Danish message, the typed text stays.
    row.locator("summary").click()
    form = row.locator("form")
    form.get_by_label("Titel").fill("")
    form.get_by_label("Beskrivelse").fill("Husk karakterudskrift fra 9. klasse")
    form.get_by_role("button", name="Gem delmål").click()
    page.wait_for_load_state()
    form = page.locator(f"#goal-{gid}-form")
    assert form.is_visible()
    assert "Skal udfyldes" in form.inner_text()
    assert form.get_by_label("Beskrivelse").input_value() == "Husk karakterudskrift fra 9. klasse"
    assert page.get_by_test_id("page-error").is_visible()
    form.scroll_into_view_if_needed()
    shot(page, "form_error", full_page=False)


def test_coordinator_changes_the_end_goal_and_the_mentor(demo_server, new_page):
    from backend.extensions import db
    from backend.models import Plan, Youth

    y = ids(demo_server)
    page = new_page()
    login(page, demo_server, "tovholder.ahmed")
    page.goto(f"{demo_server.url}/youth/{y['sara']}")
    section = page.locator("#end-goal")
    section.get_by_text("Ret slutmål").click()
    form = page.get_by_test_id("plan-form")
    form.get_by_label("Slutmål").fill("Starte på SOSU-uddannelsen i august")
    form.get_by_label("Måldato").fill("2027-08-15")
    form.get_by_role("button", name="Gem slutmål").click()
    page.wait_for_load_state()
    assert page.get_by_text("Slutmålet er gemt.").is_visible()
    assert "Starte på SOSU-uddannelsen i august" in page.locator("#end-goal").inner_text()
    assert "15.08.2027" in page.locator("#end-goal").inner_text()

    page.get_by_text("Skift mentor").click()
    form = page.get_by_test_id("mentor-form")
    form.get_by_label("Mentor").select_option(index=0)  # "Ingen mentor"
    form.get_by_role("button", name="Gem mentor").click()
    page.wait_for_load_state()
    assert page.get_by_text("Mentoren er fjernet.").is_visible()
    assert page.get_by_test_id("mentor-name").inner_text() == "Ingen"
    shot(page, "end_goal_and_mentor", full_page=False)
    with demo_server.app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.youth_id == y["sara"]))
        assert plan.end_goal == "Starte på SOSU-uddannelsen i august"
        assert db.session.get(Youth, y["sara"]).mentor_id is None
        db.session.remove()


def test_overlapping_activity_shows_a_clash_warning(demo_server, new_page):
    from backend.extensions import db
    from backend.models import Activity

    y = ids(demo_server)
    with demo_server.app.app_context():
        act = db.session.scalars(
            select(Activity)
            .where(Activity.youth_id == y["sara"], Activity.deleted.is_(False))
            .order_by(Activity.start_time)
        ).first()
        title, day, start = act.title, act.weekdays[0], act.start_time
        db.session.remove()
    weekday = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")[day]
    page = new_page()
    login(page, demo_server, "tovholder.ahmed")
    page.goto(f"{demo_server.url}/youth/{y['sara']}")
    before = page.get_by_test_id("clash-warning").inner_text() if page.get_by_test_id("clash-warning").count() else ""
    assert "Samtale hos UU-vejlederen" not in before
    page.get_by_text("Ny aktivitet", exact=True).click()
    form = page.get_by_test_id("new-activity-form")
    form.get_by_label("Ansvarlig organisation").select_option(label="UU")
    form.get_by_label("Titel").fill("Samtale hos UU-vejlederen")
    form.get_by_label(weekday, exact=True).check()
    form.get_by_label("Starttid").fill(start)
    h, m = map(int, start.split(":"))
    form.get_by_label("Sluttid").fill(f"{h + 1:02d}:{m:02d}")
    form.get_by_label("Sted").fill("UU-huset")
    form.get_by_role("button", name="Opret aktivitet").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Bemærk: aktiviteten overlapper med {title}").is_visible()
    warning = page.get_by_test_id("clash-warning")
    assert "Samtale hos UU-vejlederen" in warning.inner_text() and title in warning.inner_text()
    assert weekday.lower() in warning.inner_text()
    # the new activity's own slot is marked on its one day (the other slot names it in its clash label)
    grid = page.get_by_test_id("week-grid")
    own = grid.locator(".slot.clash").filter(has=page.locator(".title", has_text="Samtale hos UU-vejlederen"))
    assert own.count() == 1
    page.get_by_test_id("week-grid").scroll_into_view_if_needed()
    shot(page, "clash", full_page=False)


def test_youth_login_gets_a_plain_explanation(demo_server, new_page):
    page = new_page()
    login(page, demo_server, "ung.mads")
    assert "Trinvis-appen" in page.get_by_test_id("no-case-pages").inner_text()
    assert page.goto(demo_server.url + "/").url.startswith(demo_server.url + "/login")
    shot(page, "youth_login")


def test_keyboard_focus_is_visible(demo_server, new_page):
    page = new_page()
    login(page, demo_server, "uu.karen")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.textContent, s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "Spring til indhold" and focused[1] != "none" and focused[2] != "0px"

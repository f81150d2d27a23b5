"""Issue 16 (daily use), the caseworker's side, in real headless Chromium at the sizes the users
have: a 390×844 phone, an 820×1180 tablet and a 1366×768 laptop. One demo municipality for the
module (seeding is the slow part); each test asserts what the user sees — text, positions and no
sideways scrolling. Screenshots: build/screenshots/web_daily_*.png."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import make_app, truncate_all
from tests.e2e.web_fixtures import SCREENSHOTS, WebServer, chromium, login, shot  # noqa: F401

pytestmark = pytest.mark.e2e

SIZES = {"phone": (390, 844), "tablet": (820, 1180), "laptop": (1366, 768)}
LONG_TITLE = "Virksomhedspraktik i Byggecentrets lagerafdeling med særlig vægt på arbejdsmiljøuddannelse"


@pytest.fixture(scope="module")
def server(database_url):
    """The demo municipality, plus one activity with a long title on Sara's Wednesdays."""
    app = make_app(database_url, TRINVIS_DEMO=True, DEMO_MODE=True)
    truncate_all(app)
    with app.app_context():
        from backend.admin import system_write, youth_of
        from backend.extensions import db
        from backend.models import Organization
        from backend.seed import seed_demo

        seed_demo()
        mads, sara = youth_of("ung.mads").id, youth_of("ung.sara").id
        org = db.session.query(Organization).filter_by(name="Jobcenter").one().id
        system_write(
            [
                {
                    "entity": "activity",
                    "id": str(uuid.uuid4()),
                    "data": {
                        "youth_id": sara,
                        "organization_id": org,
                        "title": LONG_TITLE,
                        "weekdays": [2],
                        "start_time": "13:00",
                        "end_time": "15:00",
                        "start_date": "2026-01-05",
                        "visibility": "shared",
                    },
                }
            ]
        )
        db.session.remove()
    srv = WebServer(app).start()
    srv.mads, srv.sara = mads, sara
    yield srv
    srv.stop()
    with app.app_context():
        from backend.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def page_at(chromium):  # noqa: F811 (the fixture imported above)
    contexts = []

    def make(size: str):
        w, h = SIZES[size]
        ctx = chromium.new_context(viewport={"width": w, "height": h}, locale="da-DK", timezone_id="Europe/Copenhagen")
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 60))"""


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= vw
        and box["y"] + box["height"] <= vh
    )


SLOTS_OVERFLOWING = """() => [...document.querySelectorAll('table.week .slot')].filter(s => {
    const cell = s.closest('td').getBoundingClientRect(), box = s.getBoundingClientRect();
    return s.scrollWidth > s.clientWidth + 1 || box.right > cell.right + 1;
}).map(s => s.innerText)"""


@pytest.mark.parametrize("size", ["tablet", "phone", "laptop"])
def test_print_page_has_print_button_and_way_back_and_long_titles_wrap(server, page_at, size):
    page = page_at(size)
    login(page, server, "tovholder.ahmed")
    page.goto(f"{server.url}/youth/{server.sara}/print?show=1&youth=1")  # the meeting: with Sara (issue 9)
    # on screen: the bar with the print button and the way back, at the top, in view
    assert in_view(page, page.get_by_role("button", name="Udskriv"))
    back = page.get_by_role("link", name="Tilbage til planen")
    assert in_view(page, back)
    assert horizontal_overflow(page) <= 0, page.evaluate(WIDE)
    assert page.evaluate(SLOTS_OVERFLOWING) == []
    shot(page, f"daily_print_screen_{size}", full_page=False)
    # on paper: no bar, and the long title stays inside its day
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Udskriv").is_visible()
    assert page.get_by_text(LONG_TITLE).is_visible()
    assert page.evaluate(SLOTS_OVERFLOWING) == []
    page.emulate_media(media="screen")
    back.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("youth-name").inner_text() == "Sara Ahmadi"


@pytest.mark.parametrize("size", ["tablet", "laptop"])
def test_plan_page_fits_the_tablet_and_every_edit_button_is_on_screen(server, page_at, size):
    page = page_at(size)
    login(page, server, "tovholder.ahmed")
    page.goto(f"{server.url}/youth/{server.mads}")
    assert horizontal_overflow(page) <= 0
    width = page.viewport_size["width"]
    buttons = page.locator("#goals summary, #activities summary, #agreements summary")
    assert buttons.count() >= 10
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, buttons.nth(i).inner_text()
    # the edit form opens inside the card and fits as well
    ret = page.locator("#activities details.edit summary").first
    ret.click()
    assert horizontal_overflow(page) <= 0
    form = page.locator("#activities details.edit[open] form")
    box = form.bounding_box()
    assert box["x"] + box["width"] <= width
    page.locator("#activities").screenshot(path=str(SCREENSHOTS / f"web_daily_activities_{size}.png"))


@pytest.mark.parametrize("size", ["tablet", "laptop"])
def test_after_saving_the_confirmation_and_the_saved_item_are_both_in_view(server, page_at, size):
    page = page_at(size)
    login(page, server, "tovholder.ahmed")
    page.goto(f"{server.url}/youth/{server.mads}")
    row = page.locator("#agreements tbody tr").filter(has_text="Ringe til tandlægen")
    row.locator("summary").click()
    row.get_by_label("Opfølgning").fill("Talt om det på mødet.")
    row.get_by_role("button", name="Gem opfølgning").click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert "#agreement-" in page.url
    notice = page.locator("main p.notice-success").first
    assert "gemt" in notice.inner_text().lower()
    assert in_view(page, notice)
    saved = page.locator("#agreements tbody tr").filter(has_text="Ringe til tandlægen")
    box, note_box = saved.bounding_box(), notice.bounding_box()
    assert box["y"] >= note_box["y"] + note_box["height"] - 1 and box["y"] < page.viewport_size["height"]
    assert "Talt om det på mødet." in saved.inner_text()
    shot(page, f"daily_saved_{size}", full_page=False)

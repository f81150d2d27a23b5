"""Issue 16 item 15: every staff page fits a 390×844 phone, an 820×1180 tablet and a 1366×768
laptop — nothing scrolls sideways (a wide table scrolls inside its own frame), and the page's key
text is on screen. One demo municipality for the module; screenshots in build/screenshots/."""

from __future__ import annotations

import pytest

from tests.e2e.web_fixtures import chromium, login, served_demo, shot  # noqa: F401

pytestmark = pytest.mark.e2e

SIZES = {"phone": (390, 844), "tablet": (820, 1180), "laptop": (1366, 768)}

# (user, path — {mads} and {programme} filled in, text the page must show)
PAGES = [
    ("tovholder.ahmed", "/", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}/print", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}/progression", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}/audit", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}/export", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}/erase", "Mads Jensen"),
    ("tovholder.ahmed", "/youth/{mads}/contact-attempts", "Mads Jensen"),
    ("tovholder.ahmed", "/conflicts", "Konflikter"),
    ("tovholder.ahmed", "/morning", "Mads Jensen"),
    ("tovholder.ahmed", "/konto", "Ahmed Hassan"),
    ("tovholder.ahmed", "/results", "Resultater"),
    ("tovholder.ahmed", "/results/programme", "Forløb"),
    ("tovholder.ahmed", "/results/target-groups", "Målgruppe"),
    ("tovholder.ahmed", "/results/targets", "Mål"),
    ("tovholder.ahmed", "/results/report", "Månedsrapport"),
    ("tovholder.ahmed", "/results/steps", "Trin"),
    ("tovholder.ahmed", "/programmes", "Forløb"),
    ("tovholder.ahmed", "/programmes/new", "Forventede effekter"),
    ("tovholder.ahmed", "/programmes/{programme}/edit", "Forventede effekter"),
    ("tovholder.ahmed", "/programmes/youth/{mads}", "Mads Jensen"),
    ("mentor.lise", "/", "Mads Jensen"),
    ("uu.karen", "/", "Mads Jensen"),
    ("admin", "/admin/brugere", "Brugere"),
]

WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 60))"""


def _ids(server) -> None:
    from sqlalchemy import select

    from backend.admin import youth_of
    from backend.extensions import db
    from backend.programmes.models import Programme

    programme = db.session.scalars(select(Programme.id).order_by(Programme.name)).first()
    server.ids = {"mads": youth_of("ung.mads").id, "programme": programme}


@pytest.fixture(scope="module")
def server(database_url):
    with served_demo(database_url, _ids) as srv:
        yield srv


@pytest.mark.parametrize("size", list(SIZES))
def test_no_staff_page_scrolls_sideways_and_the_key_text_shows(server, chromium, size):  # noqa: F811
    w, h = SIZES[size]
    failures = []
    logged_in = {}
    for user, path, text in PAGES:
        if user not in logged_in:
            ctx = chromium.new_context(
                viewport={"width": w, "height": h}, locale="da-DK", timezone_id="Europe/Copenhagen"
            )
            logged_in[user] = ctx.new_page()
            login(logged_in[user], server, user)
        page = logged_in[user]
        url = server.url + path.format(**server.ids)
        response = page.goto(url)
        page.wait_for_load_state()
        slug = path.format(mads="youth", programme="p").strip("/").replace("/", "_") or "home"
        shot(page, f"fit_{size}_{user.split('.')[-1]}_{slug}")
        if response is None or response.status != 200:
            failures.append(f"{path} as {user}: HTTP {response and response.status}")
            continue
        over = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if over > 0:
            failures.append(f"{path} as {user}: {over}px too wide: {page.evaluate(WIDE)}")
        if not page.get_by_text(text, exact=False).first.is_visible():
            failures.append(f"{path} as {user}: '{text}' not visible")
    for page in logged_in.values():
        page.context.close()
    assert failures == [], "\n".join(failures)

"""Issue 16 item 15: on a 390×844 phone the caseload (and the other daily tables: contact attempts,
sms outbox, conflicts; also the step history, the audit trail and the admin's user list) is one card
per row — name and flags on screen without any sideways scroll inside the table — while a 1366×768
laptop keeps the table. Screenshots in build/screenshots/."""

from __future__ import annotations

import pytest

from tests.e2e.web_fixtures import chromium, login, served_demo, shot  # noqa: F401

pytestmark = pytest.mark.e2e

# per table: its display, whether it scrolls inside itself, and how many rows/heading cells are hidden
LAYOUT = """sel => { const t = document.querySelector(sel); if (!t) return null;
  const rows = [...t.querySelectorAll('tbody tr')];
  const off = e => { const r = e.getBoundingClientRect(); return r.left < -1 || r.right > window.innerWidth + 1; };
  return {display: getComputedStyle(t).display, scroll: t.scrollWidth - t.clientWidth,
          head: t.tHead ? getComputedStyle(t.tHead).display : 'none', rows: rows.length,
          rowDisplay: rows.length ? getComputedStyle(rows[0]).display : '',
          offscreen: [...t.querySelectorAll('tbody th a, .flag')].filter(off).length,
          pageOver: document.documentElement.scrollWidth - window.innerWidth}; }"""


def _ids(server) -> None:
    """Mads's id, and one open conflict on his first goal (the demo has none): Lise's title lost."""
    from sqlalchemy import select

    from backend.admin import youth_of
    from backend.extensions import db
    from backend.models import Conflict, Goal, User

    mads = youth_of("ung.mads").id
    goal = db.session.scalars(select(Goal).where(Goal.youth_id == mads)).first()
    users = dict(db.session.execute(select(User.username, User.id)).all())
    db.session.add(
        Conflict(
            entity="goal",
            record_id=goal.id,
            youth_id=mads,
            field="title",
            winning_value=goal.title,
            losing_value="Lises titel på delmålet",
            losing_user_id=users["mentor.lise"],
            winning_user_id=users["tovholder.ahmed"],
            base_version=1,
            version=goal.version,
        )
    )
    db.session.commit()
    server.ids = {"mads": mads}


@pytest.fixture(scope="module")
def server(database_url):
    with served_demo(database_url, _ids) as srv:
        yield srv


def _page(chromium, server, size, username="tovholder.ahmed"):  # noqa: F811
    ctx = chromium.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    page = ctx.new_page()
    login(page, server, username)
    return page


def test_the_caseload_is_cards_on_a_phone_and_a_table_on_a_laptop(server, chromium):  # noqa: F811
    phone = _page(chromium, server, (390, 844))
    phone.goto(server.url + "/")
    phone.locator("table[data-testid=caseload]").evaluate("t => window.scrollTo(0, t.offsetTop - 10)")
    shot(phone, "cards_phone_caseload", full_page=False)
    got = phone.evaluate(LAYOUT, "table[data-testid=caseload]")
    assert got["rows"] >= 3 and got["head"] == "none" and got["rowDisplay"] == "flex", got
    assert got["scroll"] <= 0 and got["offscreen"] == 0 and got["pageOver"] <= 0, got
    first = phone.locator("table[data-testid=caseload] tbody tr").first
    assert first.locator("th a").is_visible()
    assert first.get_by_text("Mentor", exact=True).is_visible() or first.locator(".flag").count()
    # each card: the name, then the flags (as the page sorts them), then the labelled columns
    flags = phone.locator("table[data-testid=caseload] .flag")
    assert flags.count() >= 1 and flags.first.is_visible()
    card = first.bounding_box()
    name = first.locator("th a").bounding_box()
    assert card and name and name["y"] < card["y"] + 60
    if first.locator(".flag").count():
        assert (
            first.locator(".flag").first.bounding_box()["y"]
            < first.locator("td[data-label=Mentor]").bounding_box()["y"]
        )
    phone.context.close()

    laptop = _page(chromium, server, (1366, 768))
    laptop.goto(server.url + "/")
    shot(laptop, "cards_laptop_caseload", full_page=False)
    got = laptop.evaluate(LAYOUT, "table[data-testid=caseload]")
    assert got["display"] == "table" and got["head"] == "table-header-group" and got["rowDisplay"] == "table-row", got
    assert laptop.get_by_role("link", name="Kræver handling").is_visible()
    laptop.context.close()


@pytest.mark.parametrize(
    "path, table, username",
    [
        ("/youth/{mads}/contact-attempts", "attempts-table", "tovholder.ahmed"),
        ("/sms", "sms-outbox", "tovholder.ahmed"),
        ("/conflicts", "conflicts", "tovholder.ahmed"),
        # the wide tables that used to scroll inside their frame on a phone
        ("/youth/{mads}", "step-history", "tovholder.ahmed"),
        ("/youth/{mads}/audit", "audit-log", "tovholder.ahmed"),
        ("/admin/brugere", "users", "admin"),
    ],
)
def test_the_daily_tables_are_cards_on_a_phone(server, chromium, path, table, username):  # noqa: F811
    phone = _page(chromium, server, (390, 844), username)
    phone.goto(server.url + path.format(**server.ids))
    phone.locator(f"table[data-testid={table}]").evaluate("t => window.scrollTo(0, t.offsetTop - 60)")
    shot(phone, f"cards_phone_{table}", full_page=False)
    got = phone.evaluate(LAYOUT, f"table[data-testid={table}]")
    assert got and got["rows"] >= 1, f"no {table} on {path}"
    assert got["head"] == "none" and got["rowDisplay"] == "flex", got
    assert got["scroll"] <= 0 and got["pageOver"] <= 0, got
    # every labelled cell's text stays inside the screen (no cut-off words in a card)
    cut = phone.evaluate(
        """sel => [...document.querySelectorAll(sel + ' tbody td, ' + sel + ' tbody th')]
             .filter(c => c.getBoundingClientRect().right > window.innerWidth + 1).length""",
        f"table[data-testid={table}]",
    )
    assert cut == 0, f"{cut} cells of {table} reach past the screen"
    phone.context.close()
    laptop = _page(chromium, server, (1366, 768), username)
    laptop.goto(server.url + path.format(**server.ids))
    shot(laptop, f"cards_laptop_{table}", full_page=False)
    assert laptop.evaluate(LAYOUT, f"table[data-testid={table}]")["display"] == "table"
    laptop.context.close()

"""The young person's rights on the caseworker pages, in headless Chromium against the demo:
the coordinator opens everything held about Mads, then erases Sara on request.
Screenshots: build/screenshots/web_rights_*.png."""

from __future__ import annotations

import pytest

from tests.e2e.web_fixtures import chromium, demo_server, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.e2e


def youth_ids(server) -> dict[str, str]:
    from backend.admin import youth_of
    from backend.extensions import db

    with server.app.app_context():
        out = {"mads": youth_of("ung.mads").id, "sara": youth_of("ung.sara").id}
        db.session.remove()
    return out


def test_coordinator_exports_mads_and_erases_sara_on_request(demo_server, new_page):
    y = youth_ids(demo_server)
    page = new_page()
    login(page, demo_server, "tovholder.ahmed")
    page.goto(f"{demo_server.url}/youth/{y['mads']}")
    page.get_by_test_id("export-link").click()
    doc = page.get_by_test_id("export-document")
    assert doc.get_by_role("heading", name="Alt hvad Trinvis har om Mads Jensen").is_visible()
    for heading in (
        "Om den unge",
        "Delmål",
        "Fremmøde",
        "Aftaler",
        "Vurderinger",
        "Samtykker",
        "Hvem har set eller ændret dine oplysninger",
    ):
        assert doc.get_by_role("heading", name=heading).first.is_visible(), heading
    assert "Sara" not in doc.inner_text()
    assert page.get_by_role("button", name="Udskriv eller gem som PDF").is_visible()
    shot(page, "rights_export", full_page=False)
    with page.expect_download() as dl:
        page.get_by_test_id("export-json").click()
    assert dl.value.suggested_filename.startswith("trinvis-udtraek-")

    page.goto(f"{demo_server.url}/youth/{y['sara']}")
    page.get_by_test_id("erase-link").click()
    form = page.get_by_test_id("erase-confirm")
    assert form.get_by_role("heading", name="Slet alle oplysninger om Sara Ahmadi?").is_visible()
    form.get_by_label("Skriv den unges fulde navn for at bekræfte").fill("Sara")
    form.get_by_role("button", name="Slet alt om Sara Ahmadi for altid").click()
    assert page.get_by_text("Skriv den unges fulde navn og sæt flueben").is_visible()
    form = page.get_by_test_id("erase-confirm")
    form.get_by_label("Den unge har bedt om sletning").check()
    form.get_by_label("Skriv den unges fulde navn for at bekræfte").fill("Sara Ahmadi")
    shot(page, "rights_erase_confirm", full_page=False)
    form.get_by_role("button", name="Slet alt om Sara Ahmadi for altid").click()
    assert page.get_by_text("Alle oplysninger om Sara Ahmadi er slettet").is_visible()
    assert page.get_by_role("link", name="Sara Ahmadi").count() == 0
    assert page.get_by_role("link", name="Mads Jensen").is_visible()
    assert page.goto(f"{demo_server.url}/youth/{y['sara']}").status == 404

"""Issue 14 in a real browser (headless Chromium, the demo municipality): the young person's own words
and step at the top of the plan, the caseload filtered by step, a proposal answered. Screenshots at
390×844 and 1366×768: build/screenshots/web_issue14_*.png."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web_fixtures import SCREENSHOTS, chromium, demo_server, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.e2e


def test_coordinator_sees_voice_and_step_and_answers_a_proposal(demo_server, new_page):  # noqa: F811
    for width, height in ((1366, 768), (390, 844)):
        page = new_page(width, height)
        login(page, demo_server, "tovholder.ahmed")
        page.goto(demo_server.url + "/?step=virksomhedsforloeb")
        assert "Viser 1 af" in page.get_by_test_id("caseload-count").inner_text()
        assert "Trin 3: Virksomhedsforløb" in page.get_by_test_id("caseload").inner_text()
        shot(page, f"issue14_caseload_step_{width}")
        page.get_by_role("link", name=re.compile("Mads")).first.click()
        page.wait_for_load_state()
        voice = page.get_by_test_id("youth-voice")
        assert "Jeg vil være tømrer" in voice.inner_text()
        assert "er enig i denne udgave" in page.get_by_test_id("plan-answer").inner_text()
        assert page.get_by_test_id("step-title").inner_text().startswith("Trin 3: Virksomhedsforløb")
        glance = page.get_by_test_id("plan-glance")
        assert glance.is_visible()
        facts = {
            k: page.get_by_test_id(f"glance-{k}").inner_text() for k in ("step", "company", "hours", "words", "answer")
        }
        assert "Trin 3: Virksomhedsforløb" in facts["step"]
        assert "Holm Byg" in facts["company"] and "Næste opfølgning" in facts["company"]
        assert re.search(r"\d+(,\d+)? af 30", facts["hours"])
        assert "Jeg vil være tømrer" in facts["words"] and "Enig i udgave" in facts["answer"]
        _no_sideways_scroll(page)
        shot(page, f"issue14_plan_mads_{width}", full_page=False)  # what the coordinator sees first
        assert "Holm Byg" in page.get_by_test_id("company-agreements").inner_text()
        assert "af 30 ordinære timer" in page.get_by_test_id("hours-now").inner_text()
        page.get_by_test_id("work-hours").scroll_into_view_if_needed()
        shot(page, f"issue14_plan_mads_full_{width}")
        for part in ("company-agreements", "work-hours"):
            page.get_by_test_id(part).screenshot(path=str(SCREENSHOTS / f"web_issue14_{part}_{width}.png"))

    # a follow-up recorded in the browser is its own record: the next one moves on
    page = new_page(1366, 768)
    login(page, demo_server, "mentor.lise")
    page.goto(demo_server.url + "/?step=virksomhedsforloeb")
    page.get_by_role("link", name=re.compile("Mads")).first.click()
    page.wait_for_load_state()
    before = page.get_by_test_id("glance-company").inner_text()
    company = page.get_by_test_id("company-agreement").first
    company.get_by_text("Registrér opfølgning").click()
    company.get_by_label("Hvad talte I om?").fill("Mads trives; Jens vil gerne have ham flere timer.")
    company.get_by_role("button", name="Gem opfølgning").click()
    page.wait_for_load_state()
    assert "Opfølgningen er registreret." in page.content()
    assert "Mads trives" in page.get_by_test_id("company-agreement").first.inner_text()
    assert page.get_by_test_id("glance-company").inner_text() != before
    shot(page, "issue14_follow_up_recorded_1366")

    page = new_page(1366, 768)
    login(page, demo_server, "tovholder.ahmed")
    page.goto(demo_server.url + "/?step=paa_vej_mod_job")
    page.get_by_role("link", name=re.compile("Sara")).first.click()
    page.wait_for_load_state()
    assert re.search(r"Skrevet af Lise.* sammen med Sara", page.get_by_test_id("youth-voice").inner_text())
    proposal = page.get_by_test_id("proposal").first
    proposal.get_by_text("Svar på forslaget").click()
    proposal.get_by_label("Tag det med, som det er").check()
    proposal.get_by_role("button", name="Send svaret").click()
    page.wait_for_load_state()
    assert "Forslaget er taget med i planen." in page.content()
    assert "Taget med i planen" in page.get_by_test_id("proposal").first.inner_text()
    assert "har ikke svaret på planen endnu" in page.get_by_test_id("plan-answer").inner_text()
    shot(page, "issue14_plan_sara_answered_1366")


def _no_sideways_scroll(page) -> None:
    """Nothing makes the page scroll sideways (a phone must not); names the top-level culprits by
    hiding each block of the page in turn."""
    wide, culprits = page.evaluate(
        """() => {
            const width = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;
            const out = [];
            for (const k of document.querySelectorAll('body > *, main > *')) {
                const before = width(), d = k.style.display;
                k.style.display = 'none';
                if (width() < before) out.push(k.tagName + '#' + k.id + '.' + k.className);
                k.style.display = d;
            }
            return [width(), out];
        }"""
    )
    assert wide <= 0, f"the page scrolls sideways by {wide}px: {culprits}"

"""The voice screens in a real Flet session (no browser): the young person writes their words, says
whether they agree, proposes a sub-goal; the mentor answers it — all offline."""

from __future__ import annotations

import app_local_data as ld
import pytest
from app_flet_harness import all_text, choose, tap, text_field, type_into
from test_app_views import make_core, start

from mobile_app.core.plan_voice import VoiceServices
from mobile_app.ui.plan_voice import proposals_screen

pytestmark = pytest.mark.anyio


async def test_youth_writes_words_agrees_and_proposes_offline(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Min plan")
    text = all_text(page)
    assert text.index("Det vil jeg") < text.index("Starte på EUD som tømrer")  # their words come first
    assert "Ikke skrevet endnu." in text and "Er du enig i planen?" in text
    await tap(session, page, "Skriv dine ord")
    type_into(session, page, "Det vil jeg", "Jeg vil være tømrer")
    type_into(session, page, "Det står i vejen", "Jeg sover dårligt")
    await tap(session, page, "Gem")
    text = all_text(page)
    assert "Dine ord er gemt." in text and "Jeg vil være tømrer" in text
    await tap(session, page, "Jeg er ikke enig")
    await tap(session, page, "Send")
    assert "Skriv kort, hvad du ikke er enig i." in all_text(page)
    type_into(session, page, "Hvad er du ikke enig i?", "Det går for hurtigt")
    await tap(session, page, "Send")
    text = all_text(page)
    assert "Du har sagt: Jeg er ikke enig." in text and "Det går for hurtigt" in text
    await tap(session, page, "Jeg er enig i planen")
    assert "Du har sagt: Jeg er enig i planen." in all_text(page)
    await tap(session, page, "Mine forslag til delmål (0)")
    await tap(session, page, "Foreslå et delmål")
    type_into(session, page, "Mit forslag til et delmål", "Tage kørekort")
    await tap(session, page, "Send forslaget")
    text = all_text(page)
    assert "Tage kørekort" in text and "Venter på svar" in text
    assert core.store.pending_count() == 2  # the plan (words + answer) and the proposal, queued offline


async def test_mentor_answers_a_proposal_on_the_phone(tmp_path):
    (tmp_path / "youth").mkdir()
    youth = make_core(tmp_path / "youth", ld.YOUTH_LOGIN)
    prop = VoiceServices(youth.services()).propose_goal("Tage kørekort")  # as the mentor's pull would bring it
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.store.apply_pull_page(
        [
            {
                "entity": "goal_proposal",
                "id": prop["id"],
                "version": 1,
                "deleted": False,
                "data": {**prop, "proposed_at": "2025-03-11T10:00:00+00:00"},
            }
        ],
        [],
        "c2",
    )
    session, app, page = await start(core)
    app.show(proposals_screen, ld.YOUTH)
    assert "Tage kørekort" in all_text(page)
    await tap(session, page, "Svar")
    choose(session, page, "decline")
    await tap(session, page, "Send svaret")
    assert "Skriv til den unge, hvorfor." in all_text(page)
    choose(session, page, "reword")
    type_into(session, page, "Delmålet med andre ord", "Bestå teoriprøven")
    type_into(session, page, "Svar til den unge (hvorfor)", "Vi starter med teorien")
    await tap(session, page, "Send svaret")
    text = all_text(page)
    assert "Svaret er gemt." in text and "Taget med i andre ord" in text and "Delmål: Bestå teoriprøven" in text


async def test_only_those_who_may_answer_see_the_answer_button(tmp_path):
    from app_flet_harness import button, radio_group_with

    (tmp_path / "youth").mkdir()
    youth = make_core(tmp_path / "youth", ld.YOUTH_LOGIN)
    prop = VoiceServices(youth.services()).propose_goal("Tage kørekort")
    change = {"entity": "goal_proposal", "id": prop["id"], "version": 1, "deleted": False, "data": prop}
    for role in ("coordinator", "partner"):
        (tmp_path / role).mkdir()
        core = make_core(tmp_path / role, {**ld.MENTOR_LOGIN, "role": role, "username": role})
        core.store.apply_pull_page([change], [], "c2")
        session, app, page = await start(core)
        app.show(proposals_screen, ld.YOUTH)
        assert "Tage kørekort" in all_text(page)
        if role == "coordinator":
            await tap(session, page, "Svar")
            radio_group_with(page, "accept")  # the coordinator may make the sub-goal too
        else:
            with pytest.raises(AssertionError):
                button(page, "Svar")


async def test_plan_shows_the_step_in_plain_danish(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    core.store.apply_pull_page(
        [
            {
                "entity": "step_change",
                "id": "5b0c0f8e-0000-4000-8000-000000000001",
                "version": 1,
                "deleted": False,
                "data": {
                    "id": "5b0c0f8e-0000-4000-8000-000000000001",
                    "youth_id": ld.YOUTH,
                    "step": "virksomhedsforloeb",
                    "reason": "Praktikaftale",
                    "valid_from": "2025-02-03",
                    "changed_at": "2025-02-03T10:00:00+00:00",
                },
            }
        ],
        [],
        "c3",
    )
    session, app, page = await start(core)
    await tap(session, page, "Min plan")
    text = all_text(page)
    assert "Trin 3: Virksomhedsforløb" in text and "Siden 3.2.2025" in text
    assert "Du har mindst 30 ordinære timer om måneden" in text


async def test_mentor_creates_a_company_agreement_and_records_a_follow_up(tmp_path):
    from mobile_app.ui.mentor import plan_screen

    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    session, app, page = await start(core)
    app.show(plan_screen, ld.YOUTH)
    await tap(session, page, "Ny aftale med en virksomhed")
    type_into(session, page, "Virksomhed", "Tømrerværkstedet")
    type_into(session, page, "Timer om ugen", "otte")
    await tap(session, page, "Gem aftalen")
    assert "Timer om ugen skal være et tal" in all_text(page)
    type_into(session, page, "Timer om ugen", "8")
    type_into(session, page, "Første opfølgning (ÅÅÅÅ-MM-DD)", "2025-03-12")
    await tap(session, page, "Gem aftalen")
    text = all_text(page)
    assert "Aftalen er gemt." in text and "Tømrerværkstedet" in text and "Opfølgning i dag" in text
    await tap(session, page, "Registrér opfølgning")
    type_into(session, page, "Hvad talte I om?", "Går godt")
    type_into(session, page, "Næste opfølgning (ÅÅÅÅ-MM-DD)", "2025-04-09")
    await tap(session, page, "Gem opfølgning")
    text = all_text(page)
    assert "Opfølgningen er gemt." in text and "Næste opfølgning: 9.4.2025" in text
    assert core.store.pending_count() == 3  # the agreement and its two follow-ups, each its own record


async def test_mentor_records_a_weeks_hours_offline_against_30(tmp_path):
    from mobile_app.ui.mentor import plan_screen

    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    session, app, page = await start(core)
    app.show(plan_screen, ld.YOUTH)
    await tap(session, page, "Ny aftale med en virksomhed")
    type_into(session, page, "Virksomhed", "Tømrerværkstedet")
    await tap(session, page, "Gem aftalen")
    assert "Ordinære timer denne måned: 0 af 30" in all_text(page)
    await tap(session, page, "Registrér timer")
    assert text_field(page, "En dag i ugen eller måneden (ÅÅÅÅ-MM-DD)").value == "2025-03-12"
    await tap(session, page, "Gem timer")
    assert "Skriv antal ordinære timer" in all_text(page)
    type_into(session, page, "Ordinære timer (løntimer)", "7,5")
    type_into(session, page, "Støttede timer (praktik)", "12")
    await tap(session, page, "Gem timer")
    text = all_text(page)
    assert "Timerne for uge 11 (10.3.2025) er gemt." in text and "Ordinære timer denne måned: 7,5 af 30" in text
    assert "Mangler tal for 2 uge(r)." in text  # the weeks from 24 February (1–2 March) and 3 March
    # the company contact gives a whole month's number instead: it replaces the weeks for March
    await tap(session, page, "Registrér timer")
    choose(session, page, "month")
    type_into(session, page, "En dag i ugen eller måneden (ÅÅÅÅ-MM-DD)", "12.3.2025")
    type_into(session, page, "Ordinære timer (løntimer)", "31")
    await tap(session, page, "Gem timer")
    assert "skriv datoen som ÅÅÅÅ-MM-DD" in all_text(page)
    type_into(session, page, "En dag i ugen eller måneden (ÅÅÅÅ-MM-DD)", "2025-03-20")
    type_into(session, page, "Ordinære timer (løntimer)", "31,5")
    await tap(session, page, "Gem timer")
    text = all_text(page)
    assert "Timerne for marts 2025 er gemt." in text and "Ordinære timer denne måned: 31,5 af 30" in text
    assert "Mangler tal" not in text
    [month] = [r for r in core.store.all("work_hours", ld.YOUTH) if r["period"] == "month"]
    assert month["period_start"] == "2025-03-01" and core.store.pending_count() == 3

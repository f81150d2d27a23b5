"""The screens driven without a browser (real Flet session, fake connection, local data)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import app_local_data as ld
import flet as ft
import pytest
from app_flet_harness import all_text, choose, new_session, radio_group_with, tap, text_field, type_into, walk

from mobile_app.core import AppCore
from mobile_app.ui.app import TrinvisApp
from tests.app_lock_params import FAST_KDF, TEST_PIN

TZ = ZoneInfo("Europe/Copenhagen")
pytestmark = pytest.mark.anyio
NOW = datetime(2025, 3, 12, 8, 30, tzinfo=TZ)  # before the 09:00 activity


def make_core(tmp_path, user) -> AppCore:
    """A phone with `user` logged in (PIN chosen) and the local test data, the server unreachable."""
    core = AppCore(
        tmp_path / "app.sqlite",
        server_url="http://127.0.0.1:9",
        clock=lambda: NOW,
        client_options={"attempts": 1, "timeout": 1},
        kdf=FAST_KDF,
    )
    core.adopt_login({"token": "t", "user": user}, "http://127.0.0.1:9")
    core.choose_pin(TEST_PIN)
    data = ld.changes(NOW.date())
    core.store.apply_pull_page(data["changes"], [], "c1")
    core.sync_state.update(first_sync_done=True)  # as the sync engine says after a full download
    return core


async def start(core) -> tuple:
    session = await new_session()
    app = TrinvisApp(session.page, core)
    app.start()
    return session, app, session.page


async def test_login_refused_offline_with_danish_message(tmp_path):
    core = AppCore(
        tmp_path / "app.sqlite", server_url="http://127.0.0.1:9", client_options={"attempts": 1, "timeout": 1}
    )
    session, app, page = await start(core)
    assert "Log ind" in all_text(page)
    await tap(session, page, "Log ind")
    assert "Skriv brugernavn og adgangskode." in all_text(page)
    type_into(session, page, "Brugernavn", "ung.mads")
    type_into(session, page, "Adgangskode", "demo1234")
    await tap(session, page, "Log ind")
    assert "Kan ikke nå serveren" in all_text(page)
    assert not core.logged_in
    assert text_field(page, "Brugernavn").value == "ung.mads"  # what was typed is kept


async def test_youth_checks_in_offline_and_sees_it(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    text = all_text(page)
    assert "Hej Mads" in text and "Værkstedet" in text
    assert "Alt er sendt" in text
    await tap(session, page, "Jeg er her")
    text = all_text(page)
    assert "Tak! Du er tjekket ind." in text
    assert "Du er tjekket ind kl." in text
    assert "1 ændring venter på at blive sendt" in text
    await app.sync_once()  # the server is unreachable: the bar says so, nothing is lost
    assert "Offline" in all_text(page)
    assert core.store.pending_count() == 1


async def test_youth_absence_needs_a_reason(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Jeg kommer ikke i dag")
    await tap(session, page, "Send besked")
    assert "Skriv kort, hvorfor du ikke kommer." in all_text(page)
    assert core.store.pending_count() == 0
    type_into(session, page, "Hvorfor kommer du ikke?", "Jeg er syg")
    await tap(session, page, "Send besked")
    assert "Din besked er sendt" in all_text(page)
    assert "Meldt fra" in all_text(page)
    [entry] = core.store.outbox()
    assert entry.data["status"] == "absent_notified" and entry.data["absence_reason"] == "Jeg er syg"


async def test_youth_plan_agreement_and_assessment(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Min plan")
    text = all_text(page)
    assert "Starte på EUD som tømrer" in text and "Jobcenter" in text and "Møde op 4 dage om ugen" in text
    await tap(session, page, "Tilbage")
    await tap(session, page, "Mine aftaler (1)")
    await tap(session, page, "Åbn")
    type_into(session, page, "Kommentar (valgfri)", "Jeg har ringet")
    await tap(session, page, "Jeg har gjort det")
    ag = core.store.all("agreement")[0]
    assert ag["youth_comment"] == "Jeg har ringet" and ag["youth_marked_done_at"]
    await tap(session, page, "Tilbage")
    await tap(session, page, "Din måling er klar")
    await tap(session, page, "Start")
    dims = app.services().dimensions()
    assert len(dims) == 8  # the staff-only dimension is skipped
    for i, d in enumerate(dims):
        assert d.title in all_text(page)
        await tap(session, page, str(5 + i % 3))
        assert d.step_text(5 + i % 3) in all_text(page)
        await tap(session, page, "Næste")
    await tap(session, page, "Send målingen")
    assert "Tak! Din måling er sendt." in all_text(page)
    [a] = [r for r in core.store.all("assessment")]
    assert a["rater_role"] == "youth" and len(a["scores"]) == 8
    staff = {
        "id": "22222222-2222-4222-8222-222222222222",
        "youth_id": ld.YOUTH,
        "organization_id": ld.ORG,
        "due_date": a["due_date"],
        "rater_role": "staff",
        "comment": "",
        "scores": {d.key: 7 for d in app.services().dimensions("staff")},
        "submitted_at": "2025-03-10T10:00:00+00:00",
    }
    core.store.apply_pull_page(
        [{"entity": "assessment", "id": staff["id"], "version": 1, "deleted": False, "data": staff}], [], "c2"
    )
    await tap(session, page, "Mine fremskridt")
    assert "Hverdagen: mig: 5, mentor: 7" in all_text(page)
    assert "Medarbejderens tro på målet" not in all_text(page)


def add_agreement(core, text: str, due, responsible: str = "youth", user_id=None) -> str:
    """An agreement as the server would hand it out (pulled), for the screens to show."""
    import uuid

    rid = str(uuid.uuid4())
    data = {
        "id": rid,
        "youth_id": ld.YOUTH,
        "organization_id": ld.ORG,
        "text": text,
        "responsible": responsible,
        "responsible_user_id": user_id,
        "due_date": due.isoformat(),
        "status": "open",
        "review_note": "",
        "reviewed_at": None,
        "youth_comment": "",
        "youth_marked_done_at": None,
    }
    core.store.apply_pull_page(
        [{"entity": "agreement", "id": rid, "version": 1, "deleted": False, "data": data}], [], "c-ag-" + rid[:6]
    )
    return rid


async def test_youth_comments_without_marking_done_and_sees_who_does_what(tmp_path):
    """Issue 16, items 1–3: a comment is not a claim that it is done; a staff promise says who keeps
    it and cannot be marked done by the young person; an overdue agreement says so."""
    from datetime import timedelta

    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    core.store.set_meta("my_contacts", {"mentor": {"name": "Lise Mortensen", "phone": "", "organization_id": ld.ORG}})
    staff_id = add_agreement(core, "Lise finder en ny tid", NOW.date() + timedelta(days=2), "staff", ld.MENTOR)
    late_id = add_agreement(core, "Aflever sygemelding", NOW.date() - timedelta(days=3))
    session, app, page = await start(core)
    await tap(session, page, "Mine aftaler (3)")
    text = all_text(page)
    assert text.count("Det gør du") == 2 and "Det gør Lise" in text
    assert text.count("Fristen er overskredet") == 1
    assert "Senest" in text and "Jeg har gjort det" not in text

    # the young person's own agreement: comment only, then (separately) done
    own = next(a for a in core.store.all("agreement") if a["text"] == "Ring til lægen")
    from mobile_app.ui.youth import agreement_detail

    app.show(agreement_detail, own["id"])
    type_into(session, page, "Kommentar (valgfri)", "Har ringet, men de havde lukket. Prøver igen i morgen.")
    await tap(session, page, "Gem kommentar")
    own = core.store.get("agreement", own["id"])
    assert own["youth_comment"].startswith("Har ringet") and not own["youth_marked_done_at"]
    assert "Din kommentar er gemt." in all_text(page)

    # a staff promise: who keeps it, a comment is possible, "done" is not offered
    app.show(agreement_detail, staff_id)
    text = all_text(page)
    assert "Det gør Lise" in text and "Gem kommentar" in text and "Jeg har gjort det" not in text
    with pytest.raises(Exception, match="ikke dig"):
        app.services().youth_update_agreement(staff_id, True, "")
    app.show(agreement_detail, late_id)
    assert "Fristen er overskredet" in all_text(page) and "Jeg har gjort det" in all_text(page)


async def test_youth_home_names_absence_buttons_and_says_when_the_next_assessment_opens(tmp_path):
    """Issue 16 item 3: two activities today → two absence buttons a screen reader can tell apart;
    after the self-assessment is sent, the home screen says from when the next one can be filled in."""
    from datetime import timedelta

    from mobile_app.ui.widgets import dk_date as _dk_date

    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    [act] = core.store.all("activity")
    second = {
        **act,
        "id": "33333333-3333-4333-8333-333333333333",
        "title": "Samtale på jobcentret",
        "start_time": "13:00",
        "end_time": "14:00",
    }
    core.store.apply_pull_page(
        [{"entity": "activity", "id": second["id"], "version": 1, "deleted": False, "data": second}], [], "c-act"
    )
    session, app, page = await start(core)
    labels = [
        c.content.value for c in walk(page) if isinstance(c, ft.OutlinedButton) and isinstance(c.content, ft.Text)
    ]
    assert "Jeg kommer ikke i dag til Værkstedet" in labels
    assert "Jeg kommer ikke i dag til Samtale på jobcentret" in labels
    assert "Din måling er klar" in all_text(page) and "næste måling" not in all_text(page)
    svc = app.services()
    due = svc.assessment_due(ld.YOUTH)
    svc.submit_assessment(ld.YOUTH, due, {d.key: 5 for d in svc.dimensions()})
    app.go_home()
    opens = due + timedelta(days=42 - 7)
    assert f"Din næste måling kan udfyldes fra {_dk_date(opens)}" in all_text(page)
    assert "Din måling er klar" not in all_text(page)


async def test_every_screen_starts_at_the_top(tmp_path):
    """Issue 16 item 4: each screen gets a new scrolling column with its own key, so Flutter keeps no
    scroll position from the screen before ("Tilbage" was hidden above the top)."""
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    home_body = app.body
    await tap(session, page, "Mine aftaler (1)")
    shown = app.body
    assert shown is not home_body and shown.key != home_body.key
    assert app.frame.controls[1] is shown and shown.page is page  # the new column is what is on screen
    assert getattr(shown.controls[0], "identifier", None) == "back"  # "Tilbage" first, at the top
    await tap(session, page, "Tilbage")
    assert app.body.key not in (home_body.key, shown.key) and "Mine aftaler (1)" in all_text(page)


async def test_sending_the_latest_assessment_clears_the_mentors_overdue_mark(tmp_path):
    """Issue 16 item 7: the plan started 90 days ago, so two due dates have passed unsent (48 and 6
    days ago). Only the latest is a to-do; once it is sent, the card is clear."""
    from datetime import timedelta

    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    [plan] = core.store.all("plan")
    begun = NOW.date() - timedelta(days=90)
    core.store.apply_pull_page(
        [
            {
                "entity": "plan",
                "id": plan["id"],
                "version": 2,
                "deleted": False,
                "data": {**plan, "start_date": begun.isoformat()},
            }
        ],
        [],
        "c-plan",
    )
    svc = core.services()
    latest, older = begun + timedelta(days=84), begun + timedelta(days=42)
    assert svc.assessment_overdue(ld.YOUTH) == latest and svc.assessment_due(ld.YOUTH) == latest
    session, app, page = await start(core)
    assert "Måling overskredet (skulle være lavet" in all_text(page)
    svc.submit_assessment(ld.YOUTH, latest, {d.key: 6 for d in svc.dimensions("staff")})
    assert svc.assessment_overdue(ld.YOUTH) is None and svc.assessment_due(ld.YOUTH) is None
    app.go_home()
    assert "Måling overskredet" not in all_text(page)
    assert older < latest  # the missed older one stays history in the assessments, not a to-do


async def test_mentor_finds_a_young_person_by_name_and_filter_and_no_shows_come_first(tmp_path):
    """Issue 16 item 6: Anna (an agreement due, alphabetically first) comes after Mads, who has not
    checked in today; the search and the filters show only the matching cards."""
    anna = "44444444-4444-4444-8444-444444444444"
    late = datetime(2025, 3, 12, 10, 0, tzinfo=TZ)
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.clock = lambda: late
    core.store.apply_pull_page(
        [
            {
                "entity": "youth",
                "id": anna,
                "version": 1,
                "deleted": False,
                "data": {
                    "id": anna,
                    "youth_id": anna,
                    "display_name": "Anna",
                    "user_id": None,
                    "mentor_id": ld.MENTOR,
                    "outcome": "active",
                },
            }
        ],
        [],
        "c-anna",
    )
    [ag] = core.store.all("agreement")
    core.store.apply_pull_page(
        [
            {
                "entity": "agreement",
                "id": "55555555-5555-4555-8555-555555555555",
                "version": 1,
                "deleted": False,
                "data": {**ag, "id": "55555555-5555-4555-8555-555555555555", "youth_id": anna},
            }
        ],
        [],
        "c-anna-ag",
    )
    session, app, page = await start(core)

    def shown() -> list[str]:
        return [
            c.data.youth["display_name"]
            for c in app.body.controls
            if getattr(c, "data", None) is not None and hasattr(c.data, "youth") and c.visible
        ]

    assert shown() == ["Mads", "Anna"]  # today's no-show first
    type_into(session, page, "Søg efter navn", "an")
    await session.dispatch_event(text_field(page, "Søg efter navn")._i, "change", "an")
    assert shown() == ["Anna"] and "Viser 1 af 2" in all_text(page)
    type_into(session, page, "Søg efter navn", "")
    await session.dispatch_event(text_field(page, "Søg efter navn")._i, "change", "")
    chip = next(c for c in walk(page) if isinstance(c, ft.Chip) and c.data == "missing")
    await session.dispatch_event(chip._i, "select", True)
    assert shown() == ["Mads"] and chip.selected
    chip = next(c for c in walk(page) if isinstance(c, ft.Chip) and c.data == "agreements")
    await session.dispatch_event(chip._i, "select", True)
    assert shown() == ["Mads", "Anna"]  # both have an agreement due today
    await tap(session, page, "Åbn")  # the first card: Mads, two taps from the list to his screen
    assert "Registrér fremmøde" in all_text(page)


async def test_mentor_caseload_attendance_outreach_agreement(tmp_path):
    late = datetime(2025, 3, 12, 10, 0, tzinfo=TZ)
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.clock = lambda: late
    session, app, page = await start(core)
    text = all_text(page)
    assert "Mine unge" in text and "Mads" in text
    assert "Ikke tjekket ind" in text and "1 aftale til gennemgang" in text and "Måling overskredet" in text
    await tap(session, page, "Åbn")
    await tap(session, page, "Registrér fremmøde")
    await tap(session, page, "Gem")
    assert "Vælg, om den unge mødte" in all_text(page)
    choose(session, page, "absent_notified")
    await tap(session, page, "Gem")
    assert "Grund: Skriv kort" in all_text(page)  # refused on the phone, in Danish
    type_into(session, page, "Grund (ved fravær)", "Ringede syg")
    await tap(session, page, "Gem")
    assert "Fremmøde gemt." in all_text(page)
    await tap(session, page, "Opsøgende kontakt")
    choose(session, page, "call")
    choose(session, page, "no")
    await tap(session, page, "Gem")
    assert "Kontakten er gemt." in all_text(page)
    await tap(session, page, "Aftaler (1)")
    await tap(session, page, "Ny aftale")
    type_into(session, page, "Hvad aftaler I?", "Søge to praktikpladser")
    assert "Senest: torsdag 13.3. 2025" in all_text(page)  # tomorrow, until another day is picked
    await pick_date(session, app, page, "Senest", datetime(2025, 3, 13, 23, 0, tzinfo=UTC))  # midnight 14.3. here
    assert "Senest: fredag 14.3. 2025" in all_text(page)
    await tap(session, page, "Gem aftale")
    assert "Aftalen er gemt." in all_text(page) and "Søge to praktikpladser" in all_text(page)
    entities = sorted(e.entity for e in core.store.outbox())
    assert entities == ["agreement", "attendance", "outreach"]
    await tap(session, page, "Gennemgå")
    await tap(session, page, "Holdt")
    assert "Aftalen er markeret: holdt." in all_text(page)


async def pick_date(session, app, page, label: str, value) -> None:
    """Tap the date button, then choose `value` in the picker as the phone would send it."""
    await tap(session, page, label)
    [picker] = [d for d in app.page._dialogs.controls if isinstance(d, ft.DatePicker) and d.open]
    session.apply_patch(picker._i, {"value": value})
    await session.dispatch_event(picker._i, "change", None)
    await asyncio.sleep(0)


async def test_rejected_change_shown_fixed_and_discarded(tmp_path):
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    svc = core.services()
    svc.add_agreement(ld.YOUTH, "Møde kl 8", NOW.date())
    batch = core.store.next_batch(10)
    core.store.apply_push_results(
        batch,
        [
            {
                "mutation_id": batch[0].mutation_id,
                "status": "rejected",
                "error": {"code": "forbidden", "message": "Du har ikke adgang."},
            }
        ],
    )
    session, app, page = await start(core)
    assert "1 ændring blev afvist – se hvorfor" in all_text(page)
    await session.dispatch_event(app.rejected_button._i, "click", None)
    assert "Serverens grund: Du har ikke adgang." in all_text(page)
    await tap(session, page, "Ret og send igen")
    type_into(session, page, "Aftalen", "")
    await tap(session, page, "Send igen")
    assert "Aftalen: " in all_text(page)  # empty text refused locally
    type_into(session, page, "Aftalen", "Møde kl 9")
    await tap(session, page, "Send igen")
    assert core.store.pending_count() == 1 and core.store.outbox()[0].data["text"] == "Møde kl 9"


async def test_logout_warns_about_unsent_and_wipes(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Jeg er her")
    await tap(session, page, "Log ud")
    assert "1 ændring, der ikke er sendt" in all_text(page)
    await tap(session, page, "Log ud alligevel")
    assert "Dine data er slettet" in all_text(page)
    assert core.store.count() == 0 and core.store.pending_count() == 0 and not core.logged_in


async def test_expired_login_asks_again_and_keeps_changes(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    core.services().check_in(core.store.all("activity")[0]["id"])
    core.needs_login = True  # what a 401 during sync leaves behind
    session = await new_session()
    app = TrinvisApp(session.page, core)
    from mobile_app.ui import login

    app.show(login.login_screen, root=True)
    page = session.page
    assert text_field(page, "Brugernavn").value == "ung.mads"
    assert "Du har 1 ændring, der venter. Log ind som ung.mads for at sende dem." in all_text(page)


async def test_week_view_and_first_sync_progress(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Min uge")
    text = all_text(page)
    for day in ("Mandag", "Onsdag", "Søndag"):
        assert day in text
    assert "09:00 Værkstedet – Starter kl. 09:00" in text  # today, before it starts
    # While a first sync runs, the bar shows how much has arrived.
    # The bar follows the sync engine's status object (no refresh call: it is subscribed).
    core.sync_state.update(syncing=True, first_sync_done=False, pulled_records=1500)
    text = all_text(page)
    assert "Henter dine data … 1500 hentet" in text and app.progress.visible
    assert "Alt er sendt" not in text  # not before the first download is done
    assert "Telefonen er ikke klar til at være offline, før dine data er hentet" in text
    core.sync_state.update(syncing=False, first_sync_done=True)
    assert not app.progress.visible and "Alt er sendt" in all_text(page)


def radio_labels(page) -> list[str]:
    import flet as ft
    from app_flet_harness import walk

    # a radio's own label, or the wrapping text beside it (w.wrapped_choice keeps it in data)
    radios = [c.label for c in walk(page) if isinstance(c, ft.Radio) and c.label]
    return radios + [c.data for c in walk(page) if isinstance(c, ft.Container) and isinstance(c.data, str)]


async def test_mentor_records_attendance_for_an_earlier_day_of_the_week(tmp_path):
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Åbn")
    await tap(session, page, "Registrér fremmøde")
    labels = radio_labels(page)
    assert labels[:3] == ["I dag", "I går", "Mandag 10.3."] and labels[6] == "Torsdag 6.3."
    assert "Onsdag 5.3." not in labels  # a week back is as far as the phone goes
    day = "2025-03-08"
    choose(session, page, day)
    await session.dispatch_event(radio_group_with(page, day)._i, "change", day)
    await asyncio.sleep(0)
    assert "09:00 Værkstedet – Ikke tjekket ind" in radio_labels(page)
    choose(session, page, "late")
    await tap(session, page, "Gem")
    assert "Fremmøde gemt." in all_text(page)
    [att] = [r for r in core.store.all("attendance")]
    assert (att["date"], att["status"]) == (day, "late")
    await tap(session, page, "Tilbage")  # the day change did not stack screens: back is the caseload
    assert "Mine unge" in all_text(page)


def test_attendance_on_a_day_without_the_activity_or_in_the_future_is_refused(tmp_path):
    from mobile_app.core.errors import ValidationFailed

    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    svc = core.services()
    act = core.store.all("activity", ld.YOUTH)[0]
    core.store.save("activity", act["id"], ld.YOUTH, {"weekdays": [0, 2, 4]}, create=False)  # Mon Wed Fri
    with pytest.raises(ValidationFailed, match="ligger ikke på den dag"):
        svc.record_attendance(ld.YOUTH, act["id"], "2025-03-11", "present")  # a Tuesday
    with pytest.raises(ValidationFailed, match="først registreres på dagen"):
        svc.record_attendance(ld.YOUTH, act["id"], "2025-03-14", "present")
    svc.record_attendance(ld.YOUTH, act["id"], "2025-03-10", "present")
    assert [d.isoformat() for d in svc.attendance_days(ld.YOUTH)] == ["2025-03-12", "2025-03-10", "2025-03-07"]


# ---- the app lock ---------------------------------------------------------------------------


async def test_choose_pin_in_two_steps_with_plain_refusals(tmp_path):
    core = AppCore(
        tmp_path / "app.sqlite",
        server_url="http://127.0.0.1:9",
        clock=lambda: NOW,
        client_options={"attempts": 1, "timeout": 1},
        kdf=FAST_KDF,
    )
    core.adopt_login({"token": "t", "user": ld.YOUTH_LOGIN}, "http://127.0.0.1:9")
    core.store.apply_pull_page(ld.changes(NOW.date())["changes"], [], "c1")
    session, app, page = await start(core)
    assert "Vælg en pinkode" in all_text(page) and not app.status_bar.visible
    type_into(session, page, "Pinkode", "1234")
    await tap(session, page, "Næste")
    assert "rækkefølge" in all_text(page)
    type_into(session, page, "Pinkode", "2580")
    await tap(session, page, "Næste")
    assert "Skriv pinkoden igen" in all_text(page)
    type_into(session, page, "Pinkode igen", "2581")
    await tap(session, page, "Gem pinkode")
    assert "Pinkoderne var ikke ens. Prøv igen." in all_text(page) and core.needs_pin
    type_into(session, page, "Pinkode", "2580")
    await tap(session, page, "Næste")
    type_into(session, page, "Pinkode igen", "2580")
    await tap(session, page, "Gem pinkode")
    await asyncio.sleep(0.2)
    assert "Hej Mads" in all_text(page) and not core.needs_pin and core.pin_lock.has_pin


async def test_idle_lock_shows_pin_screen_and_unlock_returns_to_the_same_screen(tmp_path):
    clock = {"t": 0.0}
    core = AppCore(
        tmp_path / "app.sqlite",
        server_url="http://127.0.0.1:9",
        clock=lambda: NOW,
        client_options={"attempts": 1, "timeout": 1},
        kdf=FAST_KDF,
        idle_clock=lambda: clock["t"],
    )
    core.adopt_login({"token": "t", "user": ld.MENTOR_LOGIN}, "http://127.0.0.1:9")
    core.choose_pin(TEST_PIN)
    core.store.apply_pull_page(ld.changes(NOW.date())["changes"], [], "c1")
    session, app, page = await start(core)
    await tap(session, page, "Log ud")  # any screen below the home screen
    assert "Log ud" in all_text(page)
    idle = asyncio.ensure_future(app.idle_loop(every=0.01))
    try:
        clock["t"] += 299
        await asyncio.sleep(0.05)
        assert not core.locked
        clock["t"] += 1
        await asyncio.sleep(0.05)
        assert core.locked and "Appen er låst" in all_text(page)
        assert "Når du logger ud" not in all_text(page)  # nothing of the screen underneath
        type_into(session, page, "Pinkode", "1111")
        await tap(session, page, "Lås op")
        await asyncio.sleep(0.2)
        assert "Forkert pinkode. Du har 4 forsøg tilbage." in all_text(page)
        type_into(session, page, "Pinkode", TEST_PIN)
        await tap(session, page, "Lås op")
        await asyncio.sleep(0.2)
        assert not core.locked and "Når du logger ud" in all_text(page)
    finally:
        app.closed = True
        await idle


async def test_revoked_phone_says_it_was_emptied(device, backend_server):
    import requests

    core = device("mads", "ung.mads")
    core.sync()
    session, app, page = await start(core)
    assert "Hej Mads" in all_text(page)
    token = core.store.get_meta("token")
    assert (
        requests.post(
            f"{backend_server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )  # revoked
    await app.sync_once()
    text = all_text(page)
    assert "Telefonen er blevet tømt" in text and "Log ind" in text
    assert core.store.count() == 0 and not core.logged_in


async def test_typing_a_long_note_keeps_the_app_open(tmp_path):
    clock = {"t": 0.0}
    core = AppCore(
        tmp_path / "app.sqlite",
        server_url="http://127.0.0.1:9",
        clock=lambda: NOW,
        client_options={"attempts": 1, "timeout": 1},
        kdf=FAST_KDF,
        idle_clock=lambda: clock["t"],
    )
    core.adopt_login({"token": "t", "user": ld.YOUTH_LOGIN}, "http://127.0.0.1:9")
    core.choose_pin(TEST_PIN)
    core.store.apply_pull_page(ld.changes(NOW.date())["changes"], [], "c1")
    session, app, page = await start(core)
    await tap(session, page, "Jeg kommer ikke i dag")
    idle = asyncio.ensure_future(app.idle_loop(every=0.01))
    try:
        for i in range(4):  # 4 x 10 minutes, typing all along (limit: 30)
            clock["t"] += 600
            type_into(session, page, "Hvorfor kommer du ikke?", "Jeg er syg" + "." * i)
            await asyncio.sleep(0.05)
            assert not core.locked
        clock["t"] += 1800  # then nothing for 30 minutes
        await asyncio.sleep(0.05)
        assert core.locked and "Appen er låst" in all_text(page)
    finally:
        app.closed = True
        await idle


async def test_locked_revoked_phone_leaves_the_lock_screen_emptied(device, backend_server):
    import requests

    core = device("mads", "ung.mads")
    core.sync()
    token = core.store.get_meta("token")
    core.lock()
    session, app, page = await start(core)
    assert "Appen er låst" in all_text(page)
    await app.sync_once()
    assert "Appen er låst" in all_text(page) and core.locked  # still valid: stays locked
    requests.post(f"{backend_server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    await app.sync_once()
    text = all_text(page)
    assert "Telefonen er blevet tømt" in text and "Log ind" in text and "Appen er låst" not in text
    assert core.store.count() == 0

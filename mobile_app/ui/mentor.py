"""The mentor's screens: caseload with today's status, and per young person the daily work."""

from __future__ import annotations

from datetime import timedelta

import flet as ft

from mobile_app.ui import contact
from mobile_app.ui import widgets as w
from mobile_app.ui.widgets import STATE_COLORS, refreshable
from mobile_app.ui.youth import plan_controls, progress_controls
from shared.enums import AttendanceStatus, OutreachMethod, label_da


@refreshable
def caseload(app) -> list[ft.Control]:
    """Today's no-shows first, then the rest; a name search and filters above compact cards."""
    svc = app.services()
    rows = svc.caseload()
    name = (app.core.user or {}).get("display_name", "")
    out: list[ft.Control] = [w.heading("Mine unge"), w.text(f"{name} · {w.dk_date(svc.today())}", size=16)]
    if not rows:
        out.append(w.text("Ingen unge på telefonen endnu. Gå på nettet, så henter appen dem."))
    else:
        out += _search_and_filters(app, svc, rows)
    may_reach = svc.may("outreach")  # the call/text buttons record outreach: not for partners
    out += [_caseload_card(app, r, may_reach) for r in rows]
    out.append(w.big_button("Log ud", lambda e: _logout(app), primary=False, ident="logout"))
    return out


def _caseload_card(app, r, may_reach: bool) -> ft.Control:
    """One young person in a few lines: the name (tap the card or "Åbn"), today's activities,
    and only what needs doing; the call/text buttons on today's no-shows."""
    first = (r.youth.get("display_name") or "-").split()[0]
    open_button = ft.OutlinedButton(
        content=ft.Text("Åbn", size=18), on_click=lambda e: app.show(youth_screen, r.youth["id"])
    )
    lines: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(r.youth.get("display_name", ""), size=20, weight=ft.FontWeight.BOLD, expand=True),
                ft.Semantics(identifier=f"open-{first.lower()}", content=open_button),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    ]
    for i, it in enumerate(r.today):
        lines.append(_activity_line(app, r.youth["id"], it, "", 16, f"attend-{first.lower()}-{i}"))
    if r.agreements_due:
        n = r.agreements_due
        lines.append(w.text(f"{n} {'aftale' if n == 1 else 'aftaler'} til gennemgang", size=16, color=w.WARN_COLOR))
    if r.assessment_overdue:
        lines.append(
            w.text(
                f"Måling overskredet (skulle være lavet {w.dk_date(r.assessment_overdue)})",
                size=16,
                color=w.ERROR_COLOR,
            )
        )
    if r.missing and may_reach:
        lines += contact.reach_buttons(app, r)
    card = w.card(*lines, color=ft.Colors.RED_50 if r.missing else None)
    card.on_click = lambda e: app.show(youth_screen, r.youth["id"])
    card.padding = ft.Padding.symmetric(vertical=10, horizontal=14)
    card.data = r  # the row, for the search and filters below
    return card


CASELOAD_FILTERS = (("", "Alle"), ("missing", "Udeblevet i dag"), ("agreements", "Aftaler"), ("assessment", "Målinger"))


def _search_and_filters(app, svc, rows) -> list[ft.Control]:
    """A name search and four filters that show or hide the cards in place (no re-render: the
    search field keeps its focus while typing)."""
    state = {"query": "", "kind": ""}
    count = w.text("", size=16)
    chips: list[ft.Control] = []

    def apply() -> None:
        shown = 0
        for c in app.body.controls:
            if isinstance(c.data, type(rows[0])):
                c.visible = svc.caseload_matches(c.data, state["query"], state["kind"])
                shown += c.visible
        count.value = f"Viser {shown} af {len(rows)}"
        for chip in chips:
            chip.selected = chip.data == state["kind"]
        app.page.update()

    def on_search(e) -> None:
        state["query"] = search.value or ""
        apply()

    def on_filter(kind: str) -> None:
        state["kind"] = kind
        apply()

    search = ft.TextField(label="Søg efter navn", text_size=w.TEXT, on_change=on_search, prefix_icon=ft.Icons.SEARCH)
    for kind, label in CASELOAD_FILTERS:
        chip = ft.Chip(
            label=ft.Text(label, size=16), selected=kind == "", data=kind, on_select=lambda e, k=kind: on_filter(k)
        )
        chips.append(chip)
    count.value = f"Viser {len(rows)} af {len(rows)}"
    return [ft.Semantics(identifier="caseload-search", content=search), ft.Row(chips, wrap=True), count]


def _logout(app) -> None:
    from mobile_app.ui import login

    app.show(login.logout_screen)


@refreshable
def youth_screen(app, youth_id: str) -> list[ft.Control]:

    svc = app.services()
    y = svc.youth(youth_id) or {}
    items = svc.activities_on(youth_id, svc.today())
    nxt = svc.next_assessment(youth_id)
    open_count = len(svc.agreements(youth_id))
    out: list[ft.Control] = [w.heading(y.get("display_name", ""))]
    for i, it in enumerate(items):
        out.append(_activity_line(app, youth_id, it, "I dag ", w.TEXT, f"attend-{i}"))
    if svc.attendance_days(youth_id):  # the shared rule: a partner only at their own activities
        out.append(
            w.big_button(
                "Registrér fremmøde", lambda e: app.show(attendance_screen, youth_id), ident="record-attendance"
            )
        )
    if svc.may("outreach"):  # the shared rule: partners do not log outreach
        out.append(w.big_button("Opsøgende kontakt", lambda e: app.show(outreach_screen, youth_id), ident="outreach"))
    out += [
        w.big_button(f"Aftaler ({open_count})", lambda e: app.show(agreements_screen, youth_id), ident="agreements"),
        _assessment_button(app, youth_id, nxt),
        w.big_button("Plan", lambda e: app.show(plan_screen, youth_id), primary=False, ident="plan"),
        w.big_button("Fremskridt", lambda e: app.show(progress_screen, youth_id), primary=False, ident="progress"),
    ]
    return out


def _activity_line(app, youth_id: str, it, prefix: str, size: int, ident: str) -> ft.Control:
    """Today's activity and its status; tapping it opens "Registrér fremmøde" with the activity
    chosen (when the user may record it): the mentor's shortest way from the list to a record."""
    line = w.text(
        f"{prefix}{it.activity.get('start_time')} {it.activity.get('title')}: {it.label}",
        size=size,
        color=STATE_COLORS.get(it.state),
    )
    if not app.services().may_record_attendance(it.activity):
        return line
    day, act = it.day.isoformat(), it.activity["id"]
    row = ft.Row([ft.Container(line, expand=True), ft.Icon(ft.Icons.EDIT_CALENDAR, size=size + 2)])
    tappable = ft.Container(row, on_click=lambda e: app.show(attendance_screen, youth_id, day, act), ink=True)
    return ft.Semantics(identifier=ident, button=True, content=tappable)


def _assessment_button(app, youth_id: str, nxt) -> ft.Control:
    from mobile_app.ui import assessment

    if nxt is None:
        return w.text("6-ugers måling: der er ingen plan endnu.", size=16)
    due, state = nxt
    label = {
        "overdue": f"6-ugers måling – overskredet ({w.dk_date(due)})",
        "due": f"6-ugers måling – senest {w.dk_date(due)}",
        "early": f"6-ugers måling – næste er {w.dk_date(due)}",
    }[state]
    return w.big_button(
        label,
        lambda e: app.show(assessment.intro, youth_id, due.isoformat()),
        primary=state != "early",
        ident="mentor-assessment",
        color=w.ERROR_COLOR if state == "overdue" else None,
    )


ATTENDANCE_OPTIONS = [(s.value, label_da(s.value)) for s in AttendanceStatus]


def attendance_screen(
    app, youth_id: str, day_iso: str | None = None, activity_id: str | None = None
) -> list[ft.Control]:
    """Pick a day of the past week, then one of that day's activities and how it went. Reached by
    tapping an activity on the list, the day and activity come chosen and only "how did it go"
    is asked (with a way to pick another day or activity)."""
    svc = app.services()
    days = svc.attendance_days(youth_id)
    if not days:
        return [w.heading("Registrér fremmøde"), w.text("Ingen aktiviteter den seneste uge.")]
    chosen = next((d for d in days if d.isoformat() == day_iso), days[0])
    items = svc.recordable_on(youth_id, chosen)
    ids = [it.activity["id"] for it in items]
    # long titles wrap, so the status at the end ("– Ikke tjekket ind") is never cut off
    activity = w.wrapped_choice(
        [(it.activity["id"], _activity_label(it)) for it in items],
        activity_id if activity_id in ids else (ids[0] if len(ids) == 1 else None),
    )
    if activity_id in ids:
        what = _chosen_activity(app, youth_id, chosen, items[ids.index(activity_id)], svc.today())
    else:
        day = _day_choice(app, youth_id, days, chosen, svc.today())
        what = [w.text("Dag", bold=True), day, w.text("Aktivitet", bold=True), activity]
    status = w.choice(ATTENDANCE_OPTIONS)
    reason = w.field("Grund (ved fravær)")
    note = w.field("Note (valgfri)", multiline=True)

    def save(e):
        if not activity.value:
            app.say("Vælg en aktivitet.", error=True)
            return
        if not status.value:
            app.say("Vælg, om den unge mødte, kom for sent eller var væk.", error=True)
            return
        app.act(
            lambda: svc.record_attendance(
                youth_id, activity.value, chosen, status.value, reason.value or "", note.value or ""
            ),
            then=lambda: (app.back(), app.say("Fremmøde gemt.")),
        )

    return [
        w.heading("Registrér fremmøde"),
        *what,
        w.text("Hvordan gik det?", bold=True),
        status,
        ft.Semantics(identifier="attendance-reason", content=reason),
        note,
        w.at_bottom(w.big_button("Gem", save, ident="save-attendance")),
    ]


def _activity_label(it) -> str:
    return f"{it.activity.get('start_time')} {it.activity.get('title', '')} – {it.label}"


def _day_label(d, today) -> str:
    return {0: "I dag", 1: "I går"}.get((today - d).days, w.dk_date(d).capitalize())


def _chosen_activity(app, youth_id: str, day, item, today) -> list[ft.Control]:
    """The day and activity the mentor tapped, said once, and the way to choose others."""

    def other(e):
        app.stack[-1] = (attendance_screen, (youth_id, day.isoformat()))
        app.render()

    return [
        w.card(
            w.text(_day_label(day, today), size=16),
            ft.Text(_activity_label(item), size=w.TEXT, weight=ft.FontWeight.BOLD),
        ),
        ft.Semantics(
            identifier="other-activity",
            content=ft.TextButton(content=ft.Text("Anden dag eller aktivitet", size=16), on_click=other),
        ),
    ]


def _day_choice(app, youth_id: str, days, chosen, today) -> ft.RadioGroup:
    """Today, yesterday, then weekdays: choosing one shows that day's activities."""

    day = w.choice([(d.isoformat(), _day_label(d, today)) for d in days], chosen.isoformat())

    def change_day(e):
        # Same screen, that day's activities: replace rather than stack, so "Tilbage" goes home.
        app.stack[-1] = (attendance_screen, (youth_id, day.value))
        app.render()

    day.on_change = change_day
    return day


def outreach_screen(app, youth_id: str) -> list[ft.Control]:
    svc = app.services()
    method = w.choice([(m.value, label_da(m.value)) for m in OutreachMethod])
    reached = w.choice([("yes", "Ja, jeg fik fat i den unge"), ("no", "Nej, jeg fik ikke fat")])
    note = w.field("Note (valgfri)", multiline=True)
    visibility = w.visibility_choice(svc.default_visibility())

    def save(e):
        if not method.value or not reached.value:
            app.say("Vælg, hvordan du tog kontakt, og om du fik fat i den unge.", error=True)
            return
        app.act(
            lambda: svc.log_outreach(
                youth_id, method.value, reached.value == "yes", note.value or "", visibility.value
            ),
            then=lambda: (app.back(), app.say("Kontakten er gemt.")),
        )

    return [
        w.heading("Opsøgende kontakt"),
        w.text("Hvordan?", bold=True),
        method,
        w.text("Fik du fat i den unge?", bold=True),
        reached,
        note,
        w.text("Hvem må se det?", bold=True),
        visibility,
        w.at_bottom(w.big_button("Gem", save, ident="save-outreach")),
    ]


@refreshable
def agreements_screen(app, youth_id: str) -> list[ft.Control]:
    svc = app.services()
    items = svc.agreements(youth_id)
    out: list[ft.Control] = [w.heading("Aftaler")]
    if svc.may("agreement"):
        out.append(w.big_button("Ny aftale", lambda e: app.show(new_agreement, youth_id), ident="new-agreement"))
    if not items:
        out.append(w.text("Ingen åbne aftaler."))
    for ag in items:
        extra = []
        if ag.get("youth_marked_done_at"):
            extra.append(w.text("Den unge siger: gjort", color=w.OK_COLOR, size=16))
        if ag.get("youth_comment"):
            extra.append(w.text(f"Den unges kommentar: {ag['youth_comment']}", size=16))
        private = svc.private_label("agreement", ag)
        if private:
            extra.append(w.private_tag(private))
        if svc.may("agreement", ag, {"status"}):
            extra.append(w.big_button("Gennemgå", lambda e, i=ag["id"]: app.show(review_agreement, i), primary=False))
        out.append(
            w.card(
                w.text(ag.get("text", ""), size=20, bold=True),
                w.text(f"{label_da(ag.get('responsible'))} · senest {w.dk_date(ag.get('due_date'))}", size=16),
                *extra,
            )
        )
    return out


def new_agreement(app, youth_id: str) -> list[ft.Control]:
    svc = app.services()
    text = w.field("Hvad aftaler I?", multiline=True)
    responsible = w.choice([("youth", "Den unge"), ("staff", "Mig (medarbejder)")], "youth")
    due = _deadline(svc, 1)
    visibility = w.visibility_choice(svc.default_visibility())

    def save(e):
        app.act(
            lambda: svc.add_agreement(
                youth_id, text.value or "", due.value, responsible.value or "youth", visibility.value
            ),
            then=lambda: (app.back(), app.say("Aftalen er gemt.")),
        )

    return [
        w.heading("Ny aftale"),
        ft.Semantics(identifier="agreement-text", content=text),
        w.text("Hvem skal gøre det?", bold=True),
        responsible,
        due.control,
        w.text("Hvem må se den?", bold=True),
        visibility,
        w.at_bottom(w.big_button("Gem aftale", save, ident="save-agreement")),
    ]


def review_agreement(app, agreement_id: str) -> list[ft.Control]:
    svc = app.services()
    ag = app.services().record("agreement", agreement_id) or {}
    note = w.field("Note (valgfri)", ag.get("review_note", ""))

    def set_status(status: str, label: str):
        app.act(
            lambda: svc.review_agreement(agreement_id, status, note.value or ""),
            then=lambda: (app.back(), app.say(f"Aftalen er markeret: {label}.")),
        )

    return [
        w.heading("Gennemgå aftale"),
        w.text(ag.get("text", ""), size=22, bold=True),
        w.text(f"Senest {w.dk_date(ag.get('due_date'))}"),
        *([w.text(f"Den unges kommentar: {ag['youth_comment']}")] if ag.get("youth_comment") else []),
        note,
        w.big_button("Holdt", lambda e: set_status("kept", "holdt"), color=w.OK_COLOR, ident="kept"),
        w.big_button(
            "Ikke holdt", lambda e: set_status("not_kept", "ikke holdt"), color=w.ERROR_COLOR, ident="not-kept"
        ),
        w.big_button(
            "Genforhandlet", lambda e: app.show(renegotiate, agreement_id), primary=False, ident="renegotiate"
        ),
    ]


def renegotiate(app, agreement_id: str) -> list[ft.Control]:
    svc = app.services()
    ag = app.services().record("agreement", agreement_id) or {}
    text = w.field("Den nye aftale", ag.get("text", ""), multiline=True)
    due = _deadline(svc, 7)
    note = w.field("Hvorfor? (valgfri)")

    def save(e):
        def done():
            app.back()
            app.back()
            app.say("Aftalen er genforhandlet.")

        app.act(
            lambda: svc.renegotiate_agreement(agreement_id, text.value or "", due.value, note.value or ""),
            then=done,
        )

    return [
        w.heading("Genforhandl aftalen"),
        text,
        due.control,
        note,
        w.at_bottom(w.big_button("Gem den nye aftale", save, ident="save-renegotiated")),
    ]


def _deadline(svc, days_ahead: int) -> w.DateChoice:
    """A deadline from the calendar: `days_ahead` days from today, at most a year ahead."""
    today = svc.today()
    return w.DateChoice(
        "Senest", today + timedelta(days=days_ahead), today, today + timedelta(days=365), ident="agreement-due"
    )


@refreshable
def plan_screen(app, youth_id: str) -> list[ft.Control]:
    y = app.services().youth(youth_id) or {}
    return [w.heading(f"Plan for {y.get('display_name', '')}"), *plan_controls(app, youth_id)]


@refreshable
def progress_screen(app, youth_id: str) -> list[ft.Control]:
    y = app.services().youth(youth_id) or {}
    return [w.heading(f"Fremskridt for {y.get('display_name', '')}"), *progress_controls(app, youth_id)]

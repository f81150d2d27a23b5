"""Company agreement screens: the agreement on the plan, the mentor's new agreement and follow-up."""

from __future__ import annotations

from datetime import date

import flet as ft

from mobile_app.core.company import CompanyServices, month_hours_now, record_hours
from mobile_app.ui import widgets as w
from shared.contact import format_phone
from shared.hours import EXIT_HOURS, period_label

STATE_TEXT = {
    "overdue": "Opfølgning forfalden siden {day}",
    "due": "Opfølgning i dag",
    "unplanned": "Ingen opfølgning planlagt inden {day}",
    "ok": "Næste opfølgning: {day}",
}


def _dk(d) -> str:
    return f"{d.day}.{d.month}.{d.year}" if d else ""


def _action(label: str, on_click, ident: str) -> ft.Control:
    """One of the mentor's actions under the agreements: a full-width secondary button."""
    return w.big_button(label, on_click, primary=False, ident=ident)


def company_controls(app, youth_id: str) -> list[ft.Control]:
    """Each company agreement as a card; the mentor can record a follow-up or make a new one."""
    cs = CompanyServices(app.services())
    mentor = not cs.svc.is_youth and cs.svc.role == "mentor"
    out: list[ft.Control] = []
    for ag, st in cs.agreements(youth_id):
        hours = ag.get("hours_per_week")
        lines = [w.text(ag.get("company", ""), size=22, bold=True)]
        if ag.get("contact_name"):
            phone = format_phone(ag.get("contact_phone"))
            lines.append(w.text(f"Kontakt: {ag['contact_name']} {phone}".strip(), size=16))
        if hours is not None:
            lines.append(w.text(f"{hours:g} timer om ugen {ag.get('hours_spread') or ''}".strip(), size=16))
        if ag.get("tasks"):
            lines.append(w.text(f"Opgaver: {ag['tasks']}", size=16))
        if st.state != "ok" or st.day:
            color = w.ERROR_COLOR if st.state == "overdue" else (w.WARN_COLOR if st.state != "ok" else None)
            lines.append(w.text(STATE_TEXT[st.state].format(day=_dk(st.day)), bold=True, color=color))
        if mentor:
            lines.append(
                _action(
                    "Registrér opfølgning", lambda e, i=ag["id"]: app.show(follow_up_screen, i), "company-follow-up"
                )
            )
        out.append(w.card(*lines, color=ft.Colors.TEAL_50))
    now = month_hours_now(cs.svc, youth_id)
    if now.source != "none" or out:
        lines = [w.text(f"Ordinære timer denne måned: {now.ordinary:g} af {EXIT_HOURS:g}".replace(".", ","), bold=True)]
        if now.missing_weeks:
            lines.append(w.text(f"Mangler tal for {len(now.missing_weeks)} uge(r).", size=16))
        if mentor:
            lines.append(_action("Registrér timer", lambda e: app.show(hours_screen, youth_id), "hours-week"))
        out.append(w.card(*lines, color=ft.Colors.TEAL_50))
    if mentor:
        out.append(_action("Ny aftale med en virksomhed", lambda e: app.show(new_screen, youth_id), "company-new"))
    return out


def new_screen(app, youth_id: str) -> list[ft.Control]:
    labels = (
        ("company", "Virksomhed"),
        ("contact_name", "Kontaktperson"),
        ("contact_phone", "Telefon"),
        ("hours_per_week", "Timer om ugen"),
        ("hours_spread", "Hvornår (fx man–tors 8–12)"),
        ("tasks", "Opgaver"),
        ("workplace_support", "Støtte på arbejdspladsen"),
        ("health_considerations", "Hensyn til helbred"),
        ("start_date", "Start (ÅÅÅÅ-MM-DD)"),
        ("first_follow_up", "Første opfølgning (ÅÅÅÅ-MM-DD)"),
    )
    boxes = {k: w.field(label, app.services().today().isoformat() if k == "start_date" else "") for k, label in labels}

    def save(e):
        app.act(
            lambda: CompanyServices(app.services()).save(youth_id, {k: b.value for k, b in boxes.items()}),
            then=lambda: (app.back(), app.say("Aftalen er gemt.")),
        )

    return [
        w.heading("Ny aftale med en virksomhed"),
        *[ft.Semantics(identifier=f"company-{k}", content=b) for k, b in boxes.items()],
        w.big_button("Gem aftalen", save, ident="company-save"),
    ]


def follow_up_screen(app, agreement_id: str) -> list[ft.Control]:
    ag = app.core.store.get("company_agreement", agreement_id) or {}
    note = w.field("Hvad talte I om?", multiline=True)
    nxt = w.field("Næste opfølgning (ÅÅÅÅ-MM-DD)")

    def save(e):
        app.act(
            lambda: CompanyServices(app.services()).record_follow_up(agreement_id, note.value or "", nxt.value or ""),
            then=lambda: (app.back(), app.say("Opfølgningen er gemt.")),
        )

    return [
        w.heading("Opfølgning"),
        w.text(ag.get("company", ""), size=20, bold=True),
        ft.Semantics(identifier="follow-up-note", content=note),
        ft.Semantics(identifier="follow-up-next", content=nxt),
        w.big_button("Gem opfølgning", save, ident="follow-up-save"),
    ]


def hours_screen(app, youth_id: str) -> list[ft.Control]:
    """A week's or a month's ordinary and supported hours (the company contact's numbers)."""
    svc = app.services()
    period = w.choice([("week", "En uge"), ("month", "En hel måned")], "week")
    day = w.field("En dag i ugen eller måneden (ÅÅÅÅ-MM-DD)", svc.today().isoformat())
    ordinary = w.field("Ordinære timer (løntimer)")
    supported = w.field("Støttede timer (praktik)")
    agreements = CompanyServices(svc).agreements(youth_id)
    agreement_id = agreements[0][0]["id"] if agreements else None

    def saved(rec: dict) -> None:
        app.back()
        app.say(f"Timerne for {period_label(rec['period'], date.fromisoformat(rec['period_start']))} er gemt.")

    def save(e):
        out: dict = {}
        app.act(
            lambda: out.update(
                rec=record_hours(
                    app.services(),
                    youth_id,
                    period.value or "week",
                    day.value or "",
                    ordinary.value,
                    supported.value,
                    agreement_id,
                )
            ),
            then=lambda: saved(out["rec"]),
        )

    return [
        w.heading("Arbejdstimer"),
        w.text("Gælder tallene en uge eller en hel måned?", size=18),
        ft.Semantics(identifier="hours-period", content=period),
        ft.Semantics(identifier="hours-day", content=day),
        ft.Semantics(identifier="hours-ordinary", content=ordinary),
        ft.Semantics(identifier="hours-supported", content=supported),
        w.big_button("Gem timer", save, ident="hours-save"),
    ]

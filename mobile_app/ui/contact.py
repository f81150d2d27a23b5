"""Screens for reaching someone (issue 13): the young person's own contact details and reminder."""

from __future__ import annotations

import flet as ft

from mobile_app.core import contact
from mobile_app.ui import widgets as w


def my_contact(app) -> list[ft.Control]:
    """'Mit nummer og påmindelser': one form, big fields, the reminder switch last."""
    current = contact.my_contact(app.services())
    phone = w.field("Mit mobilnummer", current["phone"])
    phone.keyboard_type = ft.KeyboardType.PHONE
    best = w.field("Bedste tid at ringe til mig (fx efter kl. 10)", current["contact_time"])
    reminder = w.field("Påmind mig kl. (TT:MM – tom: en time før)", current["reminder_time"])
    enabled = ft.Switch(
        label="Send mig en sms om morgenen, når jeg skal noget",
        value=current["reminders_enabled"],
        label_text_style=ft.TextStyle(size=w.TEXT),
    )

    def save(e):
        app.act(
            lambda: contact.save_my_contact(
                app.services(), phone.value or "", best.value or "", reminder.value or "", bool(enabled.value)
            ),
            then=lambda: (app.back(), app.say("Gemt. Din mentor kan se det, når telefonen har forbindelse.")),
        )

    return [
        w.heading("Mit nummer og påmindelser"),
        ft.Semantics(identifier="my-phone", content=phone),
        ft.Semantics(identifier="my-contact-time", content=best),
        ft.Semantics(identifier="my-reminder-time", content=reminder),
        ft.Semantics(identifier="my-reminders", content=enabled),
        w.big_button("Gem", save, ident="save-my-contact"),
    ]


# ---- the mentor's one tap from a red card ----------------------------------------------------


def reach_buttons(app, row) -> list[ft.Control]:
    """'Ring til Mads' and 'Send sms' on a no-show's card (nothing when no number is known)."""
    y = row.youth
    if not y.get("phone"):
        return [w.text("Intet mobilnummer. Koordinatoren kan skrive det i planen.", size=16)]
    first = (y.get("display_name") or "").split(" ")[0]
    slug = first.lower() or "-"
    call = w.big_button(
        f"Ring til {first}", lambda e: _tap(app, row, "call"), ident=f"call-{slug}", icon=ft.Icons.PHONE
    )
    text = w.big_button(
        "Send sms", lambda e: _tap(app, row, "sms"), primary=False, ident=f"text-{slug}", icon=ft.Icons.SMS
    )
    # side by side: the caseload card stays short
    return [ft.Row([ft.Container(call, expand=True), ft.Container(text, expand=True)], spacing=8)]


def _tap(app, row, method: str) -> None:
    """Record the attempt, open the phone's dialer or messages, then ask whether it reached them."""
    svc = app.services()
    result: dict = {}

    def go():
        body = contact.prefilled_text(svc, row) if method == "sms" else ""
        result["link"], result["rec"] = contact.start_contact(svc, row.youth["id"], method, body)

    if not app.act(go):
        return
    # Fire and forget: the launcher answers only when the phone has opened the link.
    app.page.run_task(ft.UrlLauncher().launch_url, result["link"])
    app.show(ask_reached, result["rec"]["id"], row.youth.get("display_name", ""), method)


def ask_reached(app, outreach_id: str, name: str, method: str) -> list[ft.Control]:
    """'Fik du fat i Mads?' – two big answers; the attempt is already saved either way."""
    first = (name or "").split(" ")[0]
    question = f"Har {first} svaret på din sms?" if method == "sms" else f"Fik du fat i {first}?"

    def answer(reached: bool):
        app.act(
            lambda: contact.answer_reached(app.services(), outreach_id, reached),
            then=lambda: (app.back(), app.say("Noteret." if reached else "Noteret. Prøv igen senere.")),
        )

    return [
        w.heading(question),
        w.text("Forsøget er allerede skrevet i planen. Svar, når du er færdig.", size=16),
        w.big_button("Ja", lambda e: answer(True), ident="reached-yes", color=w.OK_COLOR),
        w.big_button("Nej", lambda e: answer(False), primary=False, ident="reached-no"),
    ]


# ---- "Ring til nogen" on the young person's home screen ----------------------------------------


def call_someone_card(app) -> list[ft.Control]:
    """Whom to call now – the mentor in opening hours, the on-call number outside them – in one tap."""
    who = contact.whom_to_call(app.services())
    if who is None:
        return []

    def call(e):
        app.page.run_task(ft.UrlLauncher().launch_url, who.link)

    return [
        w.card(
            w.text("Brug for at snakke med nogen?", bold=True),
            w.text(who.reason, size=16),
            w.big_button(f"{who.label} – {who.shown}", call, ident="call-someone", icon=ft.Icons.PHONE),
            color=ft.Colors.GREEN_50,
        )
    ]

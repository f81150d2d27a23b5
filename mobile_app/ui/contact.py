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
    enabled = ft.Switch(label="Send mig en sms om morgenen, når jeg skal noget", value=current["reminders_enabled"],
                        label_text_style=ft.TextStyle(size=w.TEXT))

    def save(e):
        app.act(lambda: contact.save_my_contact(app.services(), phone.value or "", best.value or "",
                                                reminder.value or "", bool(enabled.value)),
                then=lambda: (app.back(), app.say("Gemt. Din mentor kan se det, når telefonen har forbindelse.")))

    return [
        w.heading("Mit nummer og påmindelser"),
        ft.Semantics(identifier="my-phone", content=phone),
        ft.Semantics(identifier="my-contact-time", content=best),
        ft.Semantics(identifier="my-reminder-time", content=reminder),
        ft.Semantics(identifier="my-reminders", content=enabled),
        w.big_button("Gem", save, ident="save-my-contact"),
    ]

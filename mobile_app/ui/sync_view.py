"""Changes the server refused: the reason, and a way to correct or discard each one."""

from __future__ import annotations

import flet as ft

from mobile_app.ui import widgets as w
from shared.labels import APP_FIELD_LABELS_DA, field_label


def rejected_screen(app) -> list[ft.Control]:
    items = app.core.rejected_changes()
    out: list[ft.Control] = [w.heading("Afviste ændringer")]
    if not items:
        out.append(w.text("Der er ingen afviste ændringer."))
    for r in items:
        out.append(
            w.card(
                w.text(r.description, bold=True),
                w.text(f"Serverens grund: {r.reason}", color=w.ERROR_COLOR),
                *(
                    [w.big_button("Ret og send igen", lambda e, s=r.seq: app.show(fix_screen, s), primary=True)]
                    if r.editable
                    else []
                ),
                w.big_button("Kassér ændringen", lambda e, s=r.seq: app.show(discard_screen, s), primary=False),
            )
        )
    return out


def fix_screen(app, seq: int) -> list[ft.Control]:
    item = next((r for r in app.core.rejected_changes() if r.seq == seq), None)
    if item is None:
        return [w.text("Ændringen findes ikke længere.")]
    inputs = {
        k: w.field(field_label(k, APP_FIELD_LABELS_DA), v, multiline=len(v) > 40) for k, v in item.editable.items()
    }

    def send(e):
        app.act(
            lambda: app.core.fix_rejected(seq, {k: f.value or "" for k, f in inputs.items()}),
            then=lambda: (app.back(), app.say("Rettet. Den sendes igen.")),
        )

    return [
        w.heading("Ret ændringen"),
        w.text(item.description, bold=True),
        w.text(f"Serverens grund: {item.reason}", color=w.ERROR_COLOR),
        *inputs.values(),
        w.big_button("Send igen", send),
    ]


def discard_screen(app, seq: int) -> list[ft.Control]:
    def discard(e):
        app.core.discard_rejected(seq)
        app.back()
        app.say("Ændringen er kasseret.")

    return [
        w.heading("Kassér ændringen?"),
        w.text("Ændringen bliver slettet fra telefonen og sendes ikke."),
        w.big_button("Ja, kassér", discard, color=w.ERROR_COLOR),
    ]

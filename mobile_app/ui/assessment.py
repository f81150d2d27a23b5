"""The 6-weekly assessment: one dimension per screen, 1–10 with the step descriptions.

Used by the young person (self-assessment) and the mentor (rater_role staff); each answer is
saved as a draft at once, so closing the app halfway loses nothing.
"""

from __future__ import annotations

import flet as ft

from mobile_app.ui import widgets as w


def intro(app, youth_id: str, due: str) -> list[ft.Control]:
    svc = app.services()
    dims = svc.dimensions()
    draft = svc.assessment_draft(youth_id, due)
    answered = sum(1 for d in dims if d.key in draft["scores"])
    youth = svc.youth(youth_id) or {}
    who = "dig selv" if svc.is_youth else youth.get("display_name", "den unge")
    return [
        w.heading("6-ugers måling"),
        w.text(f"Der er {len(dims)} spørgsmål om {who}. Svar fra 1 til 10."),
        w.text("Dine svar gemmes med det samme. Du kan holde pause og fortsætte senere.", size=16),
        *([w.text(f"Du har svaret på {answered} af {len(dims)}.", bold=True)] if answered else []),
        w.big_button(
            "Start" if not answered else "Fortsæt",
            lambda e: app.show(question, youth_id, due, 0),
            ident="assessment-start",
        ),
    ]


def question(app, youth_id: str, due: str, index: int) -> list[ft.Control]:
    svc = app.services()
    dims = svc.dimensions()
    dim = dims[index]
    draft = svc.assessment_draft(youth_id, due)
    chosen = draft["scores"].get(dim.key)

    def pick(score: int):
        scores = {**draft["scores"], dim.key: score}
        if app.act(lambda: svc.save_assessment_draft(youth_id, due, scores, draft.get("comment", ""))):
            app.render()

    def score_button(n: int) -> ft.Control:
        selected = n == chosen
        btn = (ft.FilledButton if selected else ft.OutlinedButton)(
            content=ft.Text(str(n), size=22, weight=ft.FontWeight.BOLD),
            on_click=lambda e, n=n: pick(n),
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(vertical=18, horizontal=4)),
        )
        btn.data = str(n)
        return ft.Semantics(identifier=f"score-{n}", content=ft.Container(btn, expand=True))

    def go_next(e):
        if index + 1 < len(dims):
            app.show(question, youth_id, due, index + 1)
        else:
            app.show(finish, youth_id, due)

    about = "" if svc.is_youth else f" · om {(svc.youth(youth_id) or {}).get('display_name', 'den unge')}"
    out: list[ft.Control] = [
        w.text(f"Spørgsmål {index + 1} af {len(dims)}{about}", size=16),
        w.heading(dim.title),
        w.text(dim.question, size=22),
        ft.Row([score_button(n) for n in range(1, 6)], spacing=6),
        ft.Row([score_button(n) for n in range(6, 11)], spacing=6),
        w.text("1 = slet ikke  ·  10 = helt", size=15),
    ]
    if chosen:
        out.append(w.card(w.text(f"{chosen}: {dim.step_text(chosen)}", size=20), color=ft.Colors.GREEN_50))
        out.append(w.big_button("Næste", go_next, ident="assessment-next"))
    else:
        out.append(w.text("Tryk på et tal.", size=16))
    return out


def finish(app, youth_id: str, due: str) -> list[ft.Control]:
    svc = app.services()
    draft = svc.assessment_draft(youth_id, due)
    comment = w.field("Vil du skrive noget? (valgfrit)", draft.get("comment", ""), multiline=True)

    def send(e):
        def done():
            app.go_home()
            app.say("Tak! Din måling er sendt." if svc.is_youth else "Målingen er gemt og sendes.")

        app.act(lambda: svc.submit_assessment(youth_id, due, draft["scores"], comment.value or ""), then=done)

    lines = [w.text(f"{d.title}: {draft['scores'].get(d.key, '–')}", size=16) for d in svc.dimensions()]
    return [
        w.heading("Dine svar" if svc.is_youth else "Svar"),
        w.card(*lines),
        ft.Semantics(identifier="assessment-comment", content=comment),
        w.big_button("Send målingen", send, ident="assessment-send", color=w.OK_COLOR),
    ]

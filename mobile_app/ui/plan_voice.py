"""Screens for the young person's voice: "Det vil jeg" at the top of the plan, their words, their
answer to the plan and their proposed sub-goals. One thing per screen; the rules are in the core."""

from __future__ import annotations

import flet as ft

from mobile_app.core.plan_voice import WORD_FIELDS, VoiceServices
from mobile_app.core.steps import step_now
from mobile_app.ui import widgets as w
from mobile_app.ui.widgets import refreshable

ANSWER_TEXT_YOUTH = {
    "agree": "Du har sagt: Jeg er enig i planen.",
    "disagree": "Du har sagt: Jeg er ikke enig.",
    "older": "Planen er ændret, siden du svarede. Er du enig i den nu?",
    "none": "Er du enig i planen?",
}
ANSWER_TEXT_STAFF = {
    "agree": "Den unge er enig i denne udgave af planen.",
    "disagree": "Den unge er ikke enig i denne udgave af planen.",
    "older": "Den unge har ikke svaret på den nuværende udgave af planen.",
    "none": "Den unge har ikke svaret på planen endnu.",
}


def _voice(app) -> VoiceServices:
    return VoiceServices(app.services())


def voice_controls(app, youth_id: str) -> list[ft.Control]:
    """The top of the plan: the young person's own words, their answer, and the way to propose."""
    vs = _voice(app)
    v = vs.voice(youth_id)
    youth = vs.svc.is_youth
    if v.plan is None:
        return []
    return [
        _words_card(app, youth_id, v, youth, can_write=youth or vs.svc.role == "mentor"),
        _answer_card(app, v, youth),
        _proposals_button(app, youth_id, v, youth),
    ]


def _words_card(app, youth_id: str, v, youth: bool, can_write: bool) -> ft.Control:
    """The "Det vil jeg" card: the young person's own words, and who wrote them."""
    lines: list[ft.Control] = [w.text("Det vil jeg", size=22, bold=True)]
    for _, label, value in v.words:
        lines += [w.text(label, size=16), w.text(value or "Ikke skrevet endnu.", bold=bool(value))]
    if v.written_by == "staff":
        by = "Skrevet sammen med din mentor." if youth else "Skrevet af en medarbejder sammen med den unge."
        lines.append(w.text(by, size=16))
    if can_write:
        lines.append(
            w.big_button(
                "Skriv dine ord" if youth else "Skriv den unges ord sammen med den unge",
                lambda e: app.show(words_screen, youth_id),
                primary=False,
                ident="voice-words",
            )
        )
    return w.card(*lines, color=ft.Colors.LIGHT_BLUE_50)


def _answer_card(app, v, youth: bool) -> ft.Control:
    """The young person's answer to this version of the plan; for them, the buttons to give it."""
    state = v.answer
    answer: list[ft.Control] = []
    if state in ("agree",):
        answer.append(w.done_line(ANSWER_TEXT_YOUTH[state] if youth else ANSWER_TEXT_STAFF[state]))
    else:
        answer.append(w.text(ANSWER_TEXT_YOUTH[state] if youth else ANSWER_TEXT_STAFF[state], bold=True))
    if state == "disagree" and v.plan.get("youth_answer_comment"):
        answer.append(w.text(f"“{v.plan['youth_answer_comment']}”", size=16))
    if youth and state != "agree":
        answer.append(
            w.big_button(
                "Jeg er enig i planen",
                lambda e: app.act(
                    lambda: _voice(app).answer_plan(True),
                    "Tak! Din mentor og tovholder kan se, at du er enig.",
                    then=app.render,
                ),
                ident="plan-agree",
                color=w.OK_COLOR,
            )
        )
    if youth and state != "disagree":
        answer.append(
            w.big_button("Jeg er ikke enig", lambda e: app.show(disagree_screen), primary=False, ident="plan-disagree")
        )
    return w.card(*answer, color=ft.Colors.AMBER_50 if state != "agree" else ft.Colors.GREEN_50)


def _proposals_button(app, youth_id: str, v, youth: bool) -> ft.Control:
    """The way to the proposed sub-goals, with how many wait for an answer."""
    waiting = sum(p.get("status") == "proposed" for p in v.proposals)
    label = "Mine forslag til delmål" if youth else "Den unges forslag til delmål"
    return w.big_button(
        f"{label} ({len(v.proposals)}{', ' + str(waiting) + ' venter' if waiting else ''})",
        lambda e: app.show(proposals_screen, youth_id),
        primary=False,
        ident="proposals",
    )


def step_controls(app, youth_id: str) -> list[ft.Control]:
    """The young person's step in plain Danish: its name, what it is for, and what ends it."""
    now = step_now(app.services(), youth_id)
    if now is None:
        return []
    info, since = now
    lines: list[ft.Control] = [
        w.text(info.title, size=22, bold=True),
        w.text(f"Siden {since.day}.{since.month}.{since.year}", size=16),
        w.text(info.purpose, size=16),
    ]
    if info.exit_criteria:
        lines.append(w.text("Trinnet er slut, når:", bold=True))
        lines += [w.text(f"• {c}", size=16) for c in info.exit_criteria]
    return [w.card(*lines, color=ft.Colors.PURPLE_50)]


def words_screen(app, youth_id: str) -> list[ft.Control]:
    """Write (or change) the three short texts, in the young person's own words."""
    v = _voice(app).voice(youth_id)
    boxes = {f: w.field(label, value, multiline=True) for f, label, value in v.words}

    def save(e):
        app.act(
            lambda: _voice(app).save_words(youth_id, *(boxes[f].value or "" for f, _ in WORD_FIELDS)),
            then=lambda: (app.back(), app.say("Dine ord er gemt." if app.services().is_youth else "Gemt.")),
        )

    return [
        w.heading("Det vil jeg"),
        w.text("Skriv med dine egne ord. Det er dig, der bestemmer retningen.", size=16),
        *[ft.Semantics(identifier=f"voice-{f}", content=boxes[f]) for f, _ in WORD_FIELDS],
        w.big_button("Gem", save, ident="voice-save"),
    ]


def disagree_screen(app) -> list[ft.Control]:
    """'Jeg er ikke enig' needs a few words on what."""
    return _write_and_send(
        app,
        ("Jeg er ikke enig", "Det er helt i orden. Skriv kort, hvad du vil have ændret.", "Hvad er du ikke enig i?"),
        ("disagree-comment", "Send", "disagree-send"),
        lambda text: _voice(app).answer_plan(False, text),
        "Tak. Din mentor og tovholder kan se det og tager det op med dig.",
    )


def _write_and_send(app, words: tuple[str, str, str], controls: tuple[str, str, str], action, thanks: str):
    """One screen, one thing: a heading, a hint, a text field and a send button; back with a thank-you.
    `words` = (heading, hint, field label); `controls` = (field ident, button label, button ident)."""
    heading, hint, label = words
    field_ident, button, button_ident = controls
    text = w.field(label, multiline=True)

    def send(e):
        app.act(lambda: action(text.value or ""), then=lambda: (app.back(), app.say(thanks)))

    return [
        w.heading(heading),
        w.text(hint, size=16),
        ft.Semantics(identifier=field_ident, content=text),
        w.big_button(button, send, ident=button_ident),
    ]


@refreshable
def proposals_screen(app, youth_id: str) -> list[ft.Control]:
    """The proposals and their answers; the young person can make a new one."""
    vs = _voice(app)
    v = vs.voice(youth_id)
    youth = vs.svc.is_youth
    out: list[ft.Control] = [w.heading("Mine forslag" if youth else "Forslag til delmål")]
    if youth:
        out.append(w.big_button("Foreslå et delmål", lambda e: app.show(propose_screen), ident="propose"))
    if not v.proposals:
        out.append(w.text("Ingen forslag endnu."))
    for p in v.proposals:
        lines = [w.text(p.get("text", ""), size=20, bold=True), *[w.text(t, size=16) for t in vs.proposal_lines(p)]]
        if not youth and vs.may_answer(p):
            lines.append(
                w.big_button(
                    "Svar", lambda e, i=p["id"]: app.show(answer_screen, i), primary=False, ident="proposal-answer"
                )
            )
        out.append(w.card(*lines))
    return out


def propose_screen(app) -> list[ft.Control]:
    """The young person's own proposal for a sub-goal, in their words."""
    return _write_and_send(
        app,
        ("Foreslå et delmål", "Hvad vil du gerne nå? Skriv det, som du siger det.", "Mit forslag til et delmål"),
        ("proposal-text", "Send forslaget", "proposal-send"),
        lambda text: _voice(app).propose_goal(text),
        "Tak! Din mentor eller tovholder svarer dig.",
    )


def answer_screen(app, proposal_id: str) -> list[ft.Control]:
    """The mentor or coordinator answers with the young person: take it, take it in other words, or
    not now (why). Only those who may make a sub-goal are offered to take it."""
    prop = app.core.store.get("goal_proposal", proposal_id) or {}
    options = [("accept", "Tag det med, som det er"), ("reword", "Tag det med i andre ord"), ("decline", "Ikke nu")]
    action = w.choice(options if _voice(app).may_make_goal() else options[2:])
    title = w.field("Delmålet med andre ord", prop.get("text", ""))
    answer = w.field("Svar til den unge (hvorfor)", multiline=True)

    def send(e):
        app.act(
            lambda: _voice(app).answer_proposal(proposal_id, action.value or "", title.value or "", answer.value or ""),
            then=lambda: (app.back(), app.say("Svaret er gemt.")),
        )

    return [
        w.heading("Svar på forslaget"),
        w.text(f"“{prop.get('text', '')}”", size=20, bold=True),
        action,
        title,
        answer,
        w.big_button("Send svaret", send, ident="proposal-answer-send"),
    ]

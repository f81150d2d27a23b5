"""The young person's screens: check in, today/this week, my plan, my agreements, my progress."""

from __future__ import annotations

import flet as ft

from mobile_app.core import CoreError
from mobile_app.ui import contact
from mobile_app.ui import widgets as w
from mobile_app.ui.runner import off_ui
from mobile_app.ui.widgets import STATE_COLORS, refreshable
from shared.enums import label_da


@refreshable
def home(app) -> list[ft.Control]:
    """Today's activities (check in, or say you are not coming), then the way to everything else."""
    svc = app.services()
    youth_id = svc.my_youth_id()
    name = (app.core.user or {}).get("display_name", "")
    out: list[ft.Control] = [w.heading(f"Hej {name}")]
    if not youth_id or not svc.youth(youth_id):
        out.append(w.text("Dine data er ikke hentet endnu. Gå på nettet, så henter appen dem."))
        out.append(w.big_button("Log ud", lambda e: _logout(app), primary=False, ident="logout"))
        return out
    items = svc.activities_on(youth_id, svc.today())
    if not items:
        out.append(w.card(w.text("Du har ingen aktiviteter i dag.")))
    out += [_activity_card(app, item) for item in items]
    out += contact.call_someone_card(app)
    agreements = svc.agreements(youth_id)
    out += [
        w.big_button("Min uge", lambda e: app.show(week), primary=False),
        w.big_button("Min plan", lambda e: app.show(plan), primary=False, ident="my-plan"),
        w.big_button(
            f"Mine aftaler ({len(agreements)})",
            lambda e: app.show(agreements_screen),
            primary=False,
            ident="my-agreements",
        ),
        *_assessment_controls(app, svc, youth_id),
        w.big_button("Mine fremskridt", lambda e: app.show(progress), primary=False, ident="my-progress"),
        w.big_button("Mine data", lambda e: app.show(my_data), primary=False, ident="my-data"),
        w.big_button(
            "Mit nummer og påmindelser", lambda e: app.show(contact.my_contact), primary=False, ident="my-contact"
        ),
        w.big_button("Log ud", lambda e: _logout(app), primary=False, ident="logout"),
    ]
    return out


def _activity_card(app, item) -> ft.Control:
    """One of today's activities: checked in, reported, or the two buttons."""
    a = item.activity
    lines = [
        w.text(a.get("title", ""), size=22, bold=True),
        w.text(f"Kl. {a.get('start_time')}–{a.get('end_time')}  {a.get('location') or ''}".strip()),
    ]
    if item.state == "checked_in":
        lines.append(w.done_line(f"Du er tjekket ind kl. {w.time_of(item.attendance.get('self_checked_in_at'))}"))
        return w.card(*lines)
    if item.state in ("absent_notified", "recorded") or not item.can_check_in:
        lines.append(w.text(item.label, color=STATE_COLORS[item.state], bold=True))
    if item.state in ("absent_notified", "recorded"):
        return w.card(*lines)
    act_id = a["id"]
    if item.can_check_in:
        lines.append(
            w.big_button(
                "Jeg er her",
                lambda e: app.act(lambda: app.services().check_in(act_id), "Tak! Du er tjekket ind.", then=app.render),
                ident="checkin",
                color=w.OK_COLOR,
            )
        )
    # named with the activity: two identical buttons cannot be told apart by a screen reader
    lines.append(
        w.big_button(
            f"Jeg kommer ikke i dag til {a.get('title', '')}".strip(),
            lambda e: app.show(absence, act_id),
            primary=False,
            ident="absent",
        )
    )
    return w.card(*lines)


def _assessment_controls(app, svc, youth_id: str) -> list[ft.Control]:
    """The self-assessment when it is open; otherwise the day it opens."""
    from mobile_app.ui import assessment

    due = svc.assessment_due(youth_id)
    if due:
        return [
            w.big_button(
                "Din måling er klar – udfyld den",
                lambda e: app.show(assessment.intro, youth_id, due.isoformat()),
                ident="my-assessment",
            )
        ]
    opens = svc.next_assessment_opens(youth_id)
    return [w.text(f"Din næste måling kan udfyldes fra {w.dk_date(opens)}", size=16)] if opens else []


def _logout(app) -> None:
    from mobile_app.ui import login

    app.show(login.logout_screen)


def absence(app, activity_id: str) -> list[ft.Control]:
    reason = w.field("Hvorfor kommer du ikke?", multiline=True)
    act = app.services().record("activity", activity_id) or {}

    def send(e):
        app.act(
            lambda: app.services().notify_absence(activity_id, reason.value or ""),
            then=lambda: (app.show(home, root=True), app.say("Din besked er sendt. Godt, at du meldte fra.")),
        )

    return [
        w.heading("Jeg kommer ikke i dag"),
        w.text(act.get("title", "")),
        ft.Semantics(identifier="absence-reason", content=reason),
        w.big_button("Send besked", send, ident="send-absence"),
    ]


@refreshable
def week(app) -> list[ft.Control]:
    svc = app.services()
    youth_id = svc.my_youth_id()
    out: list[ft.Control] = [w.heading("Min uge")]
    for day, items in svc.week(youth_id):
        lines = [w.text(w.dk_date(day).capitalize(), bold=True)]
        if not items:
            lines.append(w.text("Fri", size=16))
        for it in items:
            lines.append(
                w.text(
                    f"{it.activity.get('start_time')} {it.activity.get('title')} – {it.label}",
                    size=16,
                    color=STATE_COLORS.get(it.state) if day <= svc.today() else None,
                )
            )
        out.append(w.card(*lines, color=ft.Colors.AMBER_50 if day == svc.today() else None))
    return out


def plan_controls(app, youth_id: str) -> list[ft.Control]:
    """End goal, what is next, and the sub-goals grouped by agency (used by youth and mentor)."""
    from mobile_app.ui.company import company_controls
    from mobile_app.ui.plan_voice import step_controls, voice_controls

    svc = app.services()
    p = svc.plan(youth_id)
    out: list[ft.Control] = voice_controls(app, youth_id)  # the young person's own words come first
    out += step_controls(app, youth_id)
    out += company_controls(app, youth_id)
    if p["plan"]:
        pl = p["plan"]
        goal_lines = [
            w.text("Mit mål" if svc.is_youth else "Slutmål", size=16),
            w.text(pl.get("end_goal", ""), size=22, bold=True),
            w.text(label_da(pl.get("end_goal_kind")), size=16),
        ]
        if pl.get("target_date"):
            goal_lines.append(w.text(f"Inden {w.dk_date(pl['target_date'])} {str(pl['target_date'])[:4]}", size=16))
        out.append(w.card(*goal_lines, color=ft.Colors.GREEN_50))
    else:
        out.append(w.text("Der er ingen plan endnu."))
    nxt = []
    if p["next_activity"]:
        day, act = p["next_activity"]
        nxt.append(w.text(f"{w.dk_date(day).capitalize()} kl. {act.get('start_time')}: {act.get('title')}"))
    if p["next_agreement"]:
        ag = p["next_agreement"]
        nxt.append(w.text(f"Aftale: {ag.get('text')} (senest {w.dk_date(ag.get('due_date'))})"))
    if nxt:
        out.append(w.card(w.text("Det næste", bold=True), *nxt, color=ft.Colors.AMBER_50))
    for org, goals in p["goals_by_org"]:
        lines = [w.text(org, bold=True)]
        for g in goals:
            lines.append(w.text(f"• {g.get('title')} – {label_da(g.get('status'))}"))
            if svc.private_label("goal", g):
                lines.append(w.private_tag(svc.private_label("goal", g)))
        out.append(w.card(*lines))
    return out


@refreshable
def plan(app) -> list[ft.Control]:
    return [w.heading("Min plan"), *plan_controls(app, app.services().my_youth_id())]


@refreshable
def agreements_screen(app) -> list[ft.Control]:
    svc = app.services()
    items = svc.agreements(svc.my_youth_id())
    out: list[ft.Control] = [w.heading("Mine aftaler")]
    if not items:
        out.append(w.text("Du har ingen åbne aftaler."))
    for ag in items:
        done = ag.get("youth_marked_done_at")
        out.append(
            w.card(
                w.text(ag.get("text", ""), size=20, bold=True),
                w.text(svc.who_does(ag), size=16, bold=True),
                *_deadline_lines(svc, ag),
                *([w.done_line("Du har sagt, den er gjort", 16)] if done else []),
                w.big_button("Åbn", lambda e, i=ag["id"]: app.show(agreement_detail, i), primary=False),
            )
        )
    return out


def _deadline_lines(svc, ag: dict) -> list[ft.Control]:
    """ "Senest …", and a plain "Fristen er overskredet" in the error colour when it has passed."""
    lines: list[ft.Control] = [w.text(f"Senest {w.dk_date(ag.get('due_date'))}", size=16)]
    if svc.agreement_overdue(ag):
        lines.append(w.text("Fristen er overskredet", size=16, bold=True, color=w.ERROR_COLOR))
    return lines


def agreement_detail(app, agreement_id: str) -> list[ft.Control]:
    """One agreement: a comment is saved on its own ("Gem kommentar"); "Jeg har gjort det" is a
    separate step, offered only on the young person's own agreements."""
    svc = app.services()
    ag = app.services().record("agreement", agreement_id) or {}
    comment = w.field("Kommentar (valgfri)", ag.get("youth_comment", ""), multiline=True)

    def save(done: bool | None, said: str):
        app.act(
            lambda: app.services().youth_update_agreement(agreement_id, done, comment.value or ""),
            then=lambda: (app.back(), app.say(said)),
        )

    done = bool(ag.get("youth_marked_done_at"))
    own = ag.get("responsible", "youth") == "youth"
    out = [
        w.heading("Aftale"),
        w.text(ag.get("text", ""), size=22, bold=True),
        w.text(svc.who_does(ag), size=18, bold=True),
        *_deadline_lines(svc, ag),
        *([w.done_line("Du har sagt, den er gjort", 16)] if done else []),
        ft.Semantics(identifier="agreement-comment", content=comment),
        w.big_button(
            "Gem kommentar",
            lambda e: save(None, "Din kommentar er gemt."),
            primary=False,
            ident="agreement-comment-save",
        ),
    ]
    if own and not done:
        out.append(
            w.big_button(
                "Jeg har gjort det",
                lambda e: save(True, "Godt gået! Aftalen er sat som gjort."),
                ident="agreement-done",
                color=w.OK_COLOR,
            )
        )
    elif own:
        out.append(w.big_button("Den er ikke gjort alligevel", lambda e: save(False, "Gemt."), primary=False))
    return out


def progress_controls(app, youth_id: str) -> list[ft.Control]:
    from mobile_app.ui.charts import scores_chart

    svc = app.services()
    data = svc.progress(youth_id)
    out: list[ft.Control] = []
    if not (data["series"]["youth"] or data["series"]["staff"]):
        return [w.text("Der er ingen målinger endnu.")]
    out.append(scores_chart(data["series"]))
    out.append(
        ft.Row(
            [
                w.text("— Mig selv" if svc.is_youth else "— Den unge", color=ft.Colors.BLUE_700, bold=True),
                w.text("— Mentor", color=ft.Colors.ORANGE_800, bold=True),
            ],
            spacing=24,
        )
    )
    latest_y, latest_s = data["latest"]["youth"], data["latest"]["staff"]
    for d in svc.dimensions():  # a young person does not see the staff-only dimension
        y, s = latest_y.get(d.key), latest_s.get(d.key)
        if y is None and s is None:
            continue
        parts = []
        if y is not None:
            parts.append(f"{'mig' if svc.is_youth else 'den unge'}: {y}")
        if s is not None:
            parts.append(f"mentor: {s}")
        out.append(w.text(f"{d.title}: {', '.join(parts)}", size=16))
    return out


@refreshable
def progress(app) -> list[ft.Control]:
    return [w.heading("Mine fremskridt"), *progress_controls(app, app.services().my_youth_id())]


def my_data(app, fetched=None) -> list[ft.Control]:
    """The young person's right to see everything Trinvis holds about them (fetched from the server)."""

    async def fetch(e):
        app.say("Henter dine data …")
        try:
            result = await off_ui(app.core.my_data)
        except CoreError as exc:
            app.say(exc.message, error=True)
            return
        app.stack[-1] = (my_data, (result,))
        app.render()
        app.say("Dine data er hentet.")

    out: list[ft.Control] = [
        w.heading("Mine data"),
        w.text(
            "Du har ret til at se alt, hvad Trinvis gemmer om dig. Det hentes fra Trinvis' server, "
            "så du skal være på nettet."
        ),
    ]
    if fetched is None:
        out.append(w.big_button("Hent mine data", fetch, ident="fetch-my-data"))
        return out
    lines = [w.text("Det gemmer Trinvis om dig", bold=True)]
    lines += [w.text(f"{label}: {n}", size=16) for label, n in fetched.summary]
    out.append(w.card(*lines))
    if fetched.document_url:
        out.append(w.text("Åbn det hele som et dokument. Du kan læse det, gemme det eller printe det.", size=16))
        out.append(
            ft.Semantics(
                identifier="open-my-data",
                content=ft.Row(
                    [
                        ft.Container(
                            ft.FilledButton(
                                content=ft.Text("Åbn dokumentet", size=w.BIG),
                                url=fetched.document_url,
                                style=ft.ButtonStyle(padding=ft.Padding.symmetric(vertical=20, horizontal=16)),
                            ),
                            expand=True,
                        )
                    ]
                ),
            )
        )
        out.append(w.text("Linket virker i 10 minutter.", size=15))
    out.append(w.big_button("Hent igen", fetch, primary=False, ident="fetch-my-data"))
    return out

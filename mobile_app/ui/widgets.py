"""Small building blocks for the screens: big buttons, headings, cards, dates. Looks only, no rules.

Shared by every screen module (the shell in app.py, the young person's and the mentor's screens),
so that none of them imports another just for a helper.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import flet as ft

from mobile_app.core.clock import LOCAL_TZ
from shared.labels import WEEKDAYS_DA

BIG = 20
TEXT = 18

OK_COLOR = ft.Colors.GREEN_800
WARN_COLOR = ft.Colors.ORANGE_900
ERROR_COLOR = ft.Colors.RED_800


STATE_COLORS = {
    "checked_in": OK_COLOR,
    "recorded": OK_COLOR,
    "absent_notified": WARN_COLOR,
    "missing": ERROR_COLOR,
    "waiting": None,
}
"""The colour of an activity's state of the day (services.ActivityToday.state)."""


def refreshable(fn: Callable) -> Callable:
    """Mark a read-only screen: it is redrawn when a sync brings new data."""
    fn.refreshable = True  # type: ignore[attr-defined]
    return fn


def dk_date(d: date | str | None) -> str:
    """'onsdag 12.3.' (a date or an ISO string; '' for none)."""
    if not d:
        return ""
    d = date.fromisoformat(str(d)[:10]) if not isinstance(d, date) else d
    return f"{WEEKDAYS_DA[d.weekday()]} {d.day}.{d.month}."


def time_of(iso: str | None) -> str:
    """An ISO instant as local 'HH:MM'."""
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(LOCAL_TZ).strftime("%H:%M")


def clock_text(iso: str | None) -> str:
    """An ISO instant as local '12.03. kl. 09:30' ('aldrig' for none)."""
    if not iso:
        return "aldrig"
    try:
        return datetime.fromisoformat(iso).astimezone(LOCAL_TZ).strftime("%d.%m. kl. %H:%M")
    except ValueError:
        return iso


BOTTOM = object()
"""Marks a control the shell keeps at the bottom of the screen, outside the scrolling part."""


def at_bottom(control: ft.Control) -> ft.Control:
    """Keep `control` (a screen's "Gem") visible at the bottom, whatever the screen's length."""
    control.data = BOTTOM
    return control


def heading(text: str) -> ft.Text:
    return ft.Text(text, size=26, weight=ft.FontWeight.BOLD)


def text(value: str, size: int = TEXT, color=None, bold: bool = False) -> ft.Text:
    return ft.Text(value, size=size, color=color, weight=ft.FontWeight.BOLD if bold else None)


def big_button(
    label: str, on_click, primary: bool = True, ident: str | None = None, color=None, icon=None
) -> ft.Control:
    """A full-width button with large text (big targets for shaky hands and small screens)."""
    cls = ft.FilledButton if primary else ft.OutlinedButton
    kw = {"bgcolor": color} if (color is not None and primary) else {}
    btn = cls(
        content=ft.Text(label, size=BIG, text_align=ft.TextAlign.CENTER),
        on_click=on_click,
        icon=icon,
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(vertical=20, horizontal=16)),
        **kw,
    )
    btn.data = label
    row = ft.Row([ft.Container(btn, expand=True)], tight=False)
    if ident:
        return ft.Semantics(content=row, identifier=ident)
    return row


def card(*controls: ft.Control, color=None, on_click=None) -> ft.Container:
    return ft.Container(
        content=ft.Column(list(controls), spacing=6),
        padding=ft.Padding.all(16),
        border_radius=ft.BorderRadius.all(14),
        bgcolor=color or ft.Colors.BLUE_GREY_50,
        on_click=on_click,
    )


def field(
    label: str, value: str = "", multiline: bool = False, password: bool = False, ident: str | None = None
) -> ft.TextField:
    return ft.TextField(
        label=label,
        value=value,
        multiline=multiline,
        min_lines=3 if multiline else None,
        password=password,
        can_reveal_password=password,
        text_size=TEXT,
    )


def pin_field(label: str) -> ft.TextField:
    """A PIN: digits only, hidden, the number keyboard on a phone, large."""
    return ft.TextField(
        label=label,
        password=True,
        keyboard_type=ft.KeyboardType.NUMBER,
        max_length=6,
        text_size=BIG + 4,
        autofocus=True,
    )


def choice(options: list[tuple[str, str]], value: str | None = None) -> ft.RadioGroup:
    """One of a few options as large radio buttons (value, Danish label)."""
    return ft.RadioGroup(
        value=value,
        content=ft.Column(
            [ft.Radio(value=v, label=label, label_style=ft.TextStyle(size=TEXT)) for v, label in options]
        ),
    )


def wrapped_choice(options: list[tuple[str, str]], value: str | None = None) -> ft.RadioGroup:
    """Like `choice`, for long labels: each label wraps over as many lines as it needs (a radio's
    own label is one line and was cut off on a phone), and tapping the text chooses it too."""
    group = ft.RadioGroup(value=value, content=ft.Column(spacing=4))

    def pick(v: str) -> None:
        group.value = v

    for v, label in options:
        group.content.controls.append(
            ft.Container(
                ft.Row(
                    [ft.Radio(value=v), ft.Text(label, size=TEXT, expand=True)],
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                on_click=lambda e, v=v: pick(v),
                data=label,
            )
        )
    return group


def picked_day(value: date | datetime | None) -> date | None:
    """The day a DatePicker returned. Flet sends the picked midnight as an instant (in UTC), which
    may fall on the day before; rounding to the nearest midnight gives the day that was tapped."""
    if value is None or not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return value.date()
    return (value.astimezone(UTC) + timedelta(hours=12)).date()


class DateChoice:
    """A deadline chosen in the phone's calendar (a date picker), not typed as ÅÅÅÅ-MM-DD.

    `control` is a full-width button saying the chosen day; `value` the chosen date."""

    def __init__(self, label: str, value: date, first: date, last: date, ident: str | None = None):
        self.label = label
        self.value = value
        self.picker = ft.DatePicker(
            value=value,
            first_date=first,
            last_date=last,
            current_date=first,
            help_text=label,
            confirm_text="Vælg",
            cancel_text="Annullér",
            entry_mode=ft.DatePickerEntryMode.CALENDAR_ONLY,
            on_change=self._picked,
        )
        self.text = ft.Text(self._caption(), size=BIG)
        self.button = ft.OutlinedButton(
            content=self.text,
            icon=ft.Icons.CALENDAR_MONTH,
            on_click=self.open,
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(vertical=20, horizontal=16)),
        )
        row = ft.Row([ft.Container(self.button, expand=True)])
        self.control: ft.Control = ft.Semantics(identifier=ident, content=row) if ident else row

    def _caption(self) -> str:
        return f"{self.label}: {dk_date(self.value)} {self.value.year}"

    def open(self, e) -> None:
        e.page.show_dialog(self.picker)

    def choose(self, day: date) -> None:
        """Set the day (what the picker does when a day is tapped)."""
        self.value = day
        self.picker.value = day
        self.text.value = self._caption()

    def _picked(self, e) -> None:
        day = picked_day(self.picker.value)
        if day is not None:
            self.choose(day)


def done_line(value: str, size: int = TEXT) -> ft.Row:
    """A green line with a check mark icon (an icon, as the web font may lack the ✓ glyph)."""
    return ft.Row(
        [
            ft.Icon(ft.Icons.CHECK_CIRCLE, color=OK_COLOR, size=size + 4),
            ft.Text(value, size=size, color=OK_COLOR, weight=ft.FontWeight.BOLD, expand=True),
        ],
        spacing=6,
    )


def private_tag(label: str) -> ft.Row:
    """The organisation-only marker ('Kun Rusmiddelcenter') with a lock icon."""
    return ft.Row(
        [
            ft.Icon(ft.Icons.LOCK, color=WARN_COLOR, size=TEXT),
            ft.Text(label, size=16, color=WARN_COLOR, weight=ft.FontWeight.BOLD, expand=True),
        ],
        spacing=6,
    )


def visibility_choice(value: str) -> ft.RadioGroup:
    """Shared with everyone who works with the young person, or only the own organisation."""
    return choice([("shared", "Alle, der arbejder med den unge"), ("organization", "Kun min organisation")], value)


def typed_values(control) -> tuple:
    """What is typed in the text fields under `control` (to notice typing as activity)."""
    if isinstance(control, ft.TextField):
        return (control.value or "",)
    out: tuple = ()
    for child in getattr(control, "controls", None) or []:
        out += typed_values(child)
    content = getattr(control, "content", None)
    if isinstance(content, ft.Control):
        out += typed_values(content)
    return out

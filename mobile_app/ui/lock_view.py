"""The app lock's screens: choose a PIN (two steps), unlock, forgot the PIN. One thing per screen.

Every decision (is the PIN good enough, is it right, wipe after five) is the core's.
"""

from __future__ import annotations

import flet as ft

from mobile_app.core import CoreError
from mobile_app.core.lock import WipedAfterWrongPins
from mobile_app.ui import widgets as w
from mobile_app.ui.runner import off_ui


def choose_pin_screen(app) -> list[ft.Control]:
    """Step 1 of 2: type a new PIN."""
    pin = w.pin_field("Pinkode")

    def next_step(e):
        from mobile_app.core.lock import check_pin

        try:
            chosen = check_pin(pin.value or "")
        except CoreError as exc:
            app.say(exc.message, error=True)
            return
        app.show(repeat_pin_screen, chosen, root=True)

    return [
        w.heading("Vælg en pinkode"),
        w.text("Du skal bruge pinkoden, hver gang du åbner appen. Den holder andre ude, hvis du mister telefonen."),
        w.text("Brug 4 til 6 tal. Du må ikke bruge 1234 eller 0000.", size=16),
        ft.Semantics(identifier="pin", content=pin),
        w.big_button("Næste", next_step, ident="pin-next"),
    ]


def repeat_pin_screen(app, chosen: str) -> list[ft.Control]:
    """Step 2 of 2: the same PIN again, so a typo does not lock the user out."""
    pin = w.pin_field("Pinkode igen")

    async def save(e):
        if (pin.value or "").strip() != chosen:
            app.show(choose_pin_screen, root=True)
            app.say("Pinkoderne var ikke ens. Prøv igen.", error=True)
            return
        try:
            await off_ui(app.core.choose_pin, chosen)
        except CoreError as exc:
            app.say(exc.message, error=True)
            return
        app.go_home()
        app.say("Pinkoden er gemt.")

    return [
        w.heading("Skriv pinkoden igen"),
        ft.Semantics(identifier="pin-repeat", content=pin),
        w.big_button("Gem pinkode", save, ident="pin-save"),
    ]


def unlock_screen(app) -> list[ft.Control]:
    """The app is locked: the PIN opens it."""
    pin = w.pin_field("Pinkode")

    async def unlock(e):
        try:
            await off_ui(app.core.unlock, pin.value or "")
        except WipedAfterWrongPins as exc:
            app.resume_stack = None  # the screens of the wiped data must not come back
            app.show_login()
            app.say(exc.message, error=True)
            return
        except CoreError as exc:
            pin.value = ""
            app.say(exc.message, error=True)
            return
        app.unlocked()

    return [
        w.heading("Appen er låst"),
        w.text("Skriv din pinkode."),
        ft.Semantics(identifier="unlock-pin", content=pin),
        w.big_button("Lås op", unlock, ident="unlock"),
        w.big_button(
            "Jeg har glemt min pinkode",
            lambda e: app.show(forgot_pin_screen, root=True),
            primary=False,
            ident="forgot-pin",
        ),
    ]


def forgot_pin_screen(app) -> list[ft.Control]:
    """A forgotten PIN means a fresh login; the data on the phone cannot be opened without it."""

    def wipe(e):
        app.core.forget_pin_and_wipe()
        app.resume_stack = None
        app.show_login()
        app.say("Telefonen er tømt. Log ind igen, og vælg en ny pinkode.")

    return [
        w.heading("Glemt pinkode"),
        w.text("Uden pinkoden kan appen ikke åbne dine data. Du kan logge ind igen og vælge en ny pinkode."),
        w.text(
            "Så bliver alt på telefonen slettet, også ændringer, der ikke er sendt endnu. "
            "Dine data på serveren er der stadig.",
            color=w.ERROR_COLOR,
        ),
        w.big_button("Slet og log ind igen", wipe, color=w.ERROR_COLOR, ident="forgot-pin-wipe"),
        w.big_button("Tilbage", lambda e: app.show(unlock_screen, root=True), primary=False),
    ]

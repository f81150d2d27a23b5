"""Login (online once; afterwards the app works offline) and log out."""

from __future__ import annotations

import flet as ft

from mobile_app.core import CoreError, SecondFactorNeeded, WrongSecondFactor, config
from mobile_app.ui import widgets as w
from mobile_app.ui.runner import off_ui

DEMO_HINT = "Demo: ung.mads eller mentor.lise, adgangskode demo1234"


def _logged_in(app) -> None:
    """After a login: the first sync starts, then the PIN step (as for every login) or home."""
    app.trigger_sync()  # the first pull runs while the PIN is chosen
    if app.core.needs_pin:
        app.show_choose_pin()
        app.say("Du er logget ind. Vælg nu en pinkode.")
        return
    app.go_home()
    app.say("Du er logget ind. Henter dine data …")


def login_screen(app) -> list[ft.Control]:
    previous = app.core.user or {}
    username = w.field("Brugernavn", previous.get("username", ""))
    password = w.field("Adgangskode", password=True)
    server = app.core.server_url  # from the build (TRINVIS_SERVER_URL), or staff's "Indstillinger"
    waiting = app.core.status().pending if previous else 0

    async def do_login(e):
        app.say("Logger ind …")
        try:
            await off_ui(app.core.login, username.value or "", password.value or "", server)
        except SecondFactorNeeded:
            # Password right; one more step on its own screen (kept only in memory until then).
            app.show(second_factor_screen, username.value or "", password.value or "", server)
            return
        except CoreError as exc:
            app.say(exc.message, error=True)
            return
        _logged_in(app)

    return [
        w.heading("Trinvis"),
        w.text("Log ind én gang. Bagefter virker appen også uden net."),
        *(
            [
                w.text(
                    f"Du har {waiting} {'ændring' if waiting == 1 else 'ændringer'}, der venter. "
                    f"Log ind som {previous.get('username')} for at sende dem.",
                    color=w.WARN_COLOR,
                )
            ]
            if waiting
            else []
        ),
        ft.Semantics(identifier="username", content=username),
        ft.Semantics(identifier="password", content=password),
        w.big_button("Log ind", do_login, ident="login"),
        # the published demo password only in the demo; nobody else needs to see it
        *([w.text(DEMO_HINT, size=15)] if config.demo_mode() else []),
        ft.Row(
            [
                ft.Semantics(
                    identifier="settings",
                    content=ft.TextButton(
                        content=ft.Text("Indstillinger", size=16),
                        icon=ft.Icons.SETTINGS,
                        on_click=lambda e: app.show(settings_screen),
                    ),
                )
            ],
            alignment=ft.MainAxisAlignment.END,
        ),
    ]


def settings_screen(app) -> list[ft.Control]:
    """For staff who test or run their own server: the address the app logs in to. Everyone else
    uses the one the app was built with and never needs this screen."""
    server = w.field("Serveradresse", app.core.server_url)

    def save(e):
        app.act(
            lambda: app.core.choose_server(server.value or ""),
            then=lambda: (app.back(), app.say("Serveradressen er gemt.")),
        )

    return [
        w.heading("Indstillinger"),
        w.text("Kun for medarbejdere: hvilken server appen logger ind på. Du behøver normalt ikke ændre den."),
        ft.Semantics(identifier="server", content=server),
        w.big_button("Gem", save, ident="save-server"),
    ]


def second_factor_screen(app, username: str, password: str, server: str, recovery: bool = False) -> list[ft.Control]:
    """The second step for staff with two-factor login: the code from the authenticator app.

    A recovery code (letters and digits) gets a text keyboard instead of the number keyboard.
    """
    if recovery:
        code = ft.TextField(label="Gendannelseskode", text_size=w.BIG + 4, autofocus=True, max_length=19)
        prompt = "Skriv en af dine gendannelseskoder. Hver kode virker kun én gang."
    else:
        code = ft.TextField(
            label="Kode", keyboard_type=ft.KeyboardType.NUMBER, max_length=6, text_size=w.BIG + 4, autofocus=True
        )
        prompt = "Skriv koden fra din godkendelses-app."

    async def do_code(e):
        app.say("Logger ind …")
        try:
            await off_ui(app.core.login, username, password, server, code.value or "")
        except WrongSecondFactor as exc:
            code.value = ""
            app.say(exc.message, error=True)
            return
        except CoreError as exc:
            app.say(exc.message, error=True)
            return
        _logged_in(app)

    def switch(e):
        app.back()
        app.show(second_factor_screen, username, password, server, not recovery)

    return [
        w.heading("Kode"),
        w.text(prompt),
        ft.Semantics(identifier="otp", content=code),
        w.big_button("Log ind", do_code, ident="login-otp"),
        w.big_button(
            "Tast koden fra appen" if recovery else "Jeg har ikke min telefon",
            switch,
            primary=False,
            ident="otp-switch",
        ),
    ]


def logout_screen(app) -> list[ft.Control]:
    st = app.core.status()
    pending = st.pending + st.rejected

    async def do_logout(e):
        app.say("Logger ud …")
        # The server is told first (revokes the token); offline that can take a while.
        await off_ui(app.core.logout)
        app.show(login_screen, root=True)
        app.say("Du er logget ud. Dine data er slettet fra telefonen.")

    warning = (
        f"Du har {pending} {'ændring' if pending == 1 else 'ændringer'}, der ikke er sendt endnu. "
        "Hvis du logger ud nu, bliver de slettet. Gå på nettet og synkronisér først."
        if pending
        else "Når du logger ud, slettes dine data fra telefonen."
    )
    return [
        w.heading("Log ud"),
        w.text(warning, color=w.ERROR_COLOR if pending else None),
        w.big_button(
            "Log ud alligevel" if pending else "Log ud",
            do_logout,
            primary=True,
            color=w.ERROR_COLOR if pending else None,
            ident="confirm-logout",
        ),
    ]

"""The app shell: always-visible sync status, one screen at a time, background sync.

The screens (login, lock, youth, mentor …) never import this module: what they share is in
widgets.py, so the shell can import them and no import runs in a circle.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import flet as ft

from mobile_app.core import AppCore, CoreError
from mobile_app.core.status import SyncStatus
from mobile_app.ui import lock_view, login, mentor, sync_view, youth
from mobile_app.ui import widgets as w
from mobile_app.ui.runner import off_ui

__all__ = ["Screen", "TrinvisApp"]

Screen = Callable[..., list[ft.Control]]


class TrinvisApp:
    """Holds the page and the core; screens are functions that return controls."""

    def __init__(self, page: ft.Page, core: AppCore, sync_interval: float = 20.0):
        self.page = page
        self.core = core
        self.sync_interval = sync_interval
        self.stack: list[tuple[Screen, tuple]] = []
        self._wake = asyncio.Event()
        self.closed = False
        self.resume_stack: list | None = None  # the screens under the lock screen

        self.status_bar = self._status_bar()
        self.notice = ft.Text("", size=18, visible=False)
        self.body = self._new_body()
        # what a screen keeps at the bottom (its "Gem"): reachable without scrolling
        self.footer = ft.Column([], spacing=8, visible=False)
        page.title = "Trinvis"
        page.padding = 0
        # Danish calendars and dialogs ("Wed, Dec 2" confused people who read Danish only)
        danish = ft.Locale("da", "DK")
        page.locale_configuration = ft.LocaleConfiguration(supported_locales=[danish], current_locale=danish)
        page.add(
            ft.SafeArea(
                expand=True,
                content=ft.Column(
                    [
                        self.status_bar,
                        ft.Container(self._frame_with(self.body), padding=ft.Padding.all(16), expand=True),
                        ft.Container(self.footer, padding=ft.Padding.only(left=16, right=16, bottom=12, top=4)),
                    ],
                    expand=True,
                    spacing=0,
                ),
            )
        )
        self._ui_thread = threading.get_ident()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        # The sync engine's status, observed: the bar changes when the status does.
        self._unsubscribe = core.sync_state.subscribe(self._status_changed)

    def _status_bar(self) -> ft.Control:
        """The always-visible bar: online or not, what waits to be sent, the last sync."""
        self.status_icon = ft.Icon(ft.Icons.CLOUD_OUTLINED, size=22)
        self.status_text = ft.Text("", size=16, weight=ft.FontWeight.BOLD)
        self.pending_text = ft.Text("", size=15)
        self.last_sync_text = ft.Text("", size=15)
        self.progress = ft.ProgressBar(visible=False)
        self.rejected_button = ft.TextButton(
            content=ft.Text("", size=16, color=w.ERROR_COLOR), visible=False, on_click=lambda e: self.open_rejected()
        )
        self.sync_button = ft.TextButton(
            content=ft.Text("Synkronisér nu", size=16), on_click=lambda e: self.trigger_sync()
        )
        return ft.Semantics(
            identifier="sync-status",
            content=ft.Container(
                content=ft.Column(
                    [
                        ft.Row([self.status_icon, ft.Container(self.status_text, expand=True)], spacing=6),
                        ft.Row([self.pending_text, self.last_sync_text], wrap=True, spacing=16),
                        self.progress,
                        ft.Row([self.sync_button, self.rejected_button], wrap=True),
                    ],
                    spacing=2,
                ),
                padding=ft.Padding.symmetric(vertical=8, horizontal=12),
                bgcolor=ft.Colors.BLUE_GREY_100,
            ),
        )

    # ---- navigation ------------------------------------------------------------------

    def start(self) -> None:
        self.refresh_status()
        if self.core.locked:
            self.lock_now()
        elif self.core.needs_pin:
            self.show_choose_pin()
        elif self.core.logged_in:
            self.go_home()
        else:
            self.show_login()

    def show_login(self) -> None:
        """The login screen alone on the stack (logged out, wiped, or a forgotten PIN)."""
        self.show(login.login_screen, root=True)

    def show_choose_pin(self) -> None:
        """The PIN step after every login."""
        self.show(lock_view.choose_pin_screen, root=True)

    # ---- the app lock ----------------------------------------------------------------

    def on_lock_screen(self) -> bool:
        return bool(self.stack) and self.stack[-1][0] in (lock_view.unlock_screen, lock_view.forgot_pin_screen)

    def lock_now(self) -> None:
        """Show the PIN screen; the screens underneath come back after unlocking."""
        self.core.lock()
        if self.on_lock_screen():
            return
        self.resume_stack = list(self.stack)
        self.show(lock_view.unlock_screen, root=True)

    def unlocked(self) -> None:
        resume = self.resume_stack
        self.resume_stack = None
        if resume:
            self.stack = resume
            self.notice.visible = False
            self.render()
        else:
            self.go_home()
        self.trigger_sync()

    def app_hidden(self) -> None:
        """The app went to the background: lock it, so reopening it asks for the PIN."""
        if self.core.pin_lock.has_pin and not self.core.locked:
            self.lock_now()

    async def idle_loop(self, every: float = 5.0) -> None:
        """Lock after the idle time (core decides); runs as long as the page does."""
        typed: tuple = ()
        while not self.closed:
            await asyncio.sleep(every)
            now_typed = w.typed_values(self.body)
            if now_typed != typed:
                # Writing a long note is use too: typing keeps the app open.
                typed = now_typed
                self.core.touch()
            if not self.on_lock_screen() and self.core.pin_lock.has_pin and self.core.lock_if_idle():
                self.lock_now()

    def go_home(self) -> None:
        user = self.core.user or {}
        if user.get("role") == "youth":
            self.show(youth.home, root=True)
        else:
            self.show(mentor.caseload, root=True)

    def show(self, screen: Screen, *args, root: bool = False, keep_notice: bool = False) -> None:
        self.core.touch()
        if root:
            self.stack.clear()
        self.stack.append((screen, args))
        if not keep_notice:
            self.notice.visible = False
        self.render()

    def back(self) -> None:
        self.core.touch()
        if len(self.stack) > 1:
            self.stack.pop()
        self.notice.visible = False
        self.render()

    def render(self) -> None:
        screen, args = self.stack[-1]
        controls = screen(self, *args)
        bottom = [c for c in controls if c.data is w.BOTTOM]
        controls = [c for c in controls if c.data is not w.BOTTOM]
        self.footer.controls = bottom
        self.footer.visible = bool(bottom)
        if len(self.stack) > 1:
            controls = [
                w.big_button("Tilbage", lambda e: self.back(), primary=False, ident="back", icon=ft.Icons.ARROW_BACK),
                *controls,
            ]
        # A new scrolling column for each screen: Flutter keeps a scroll position per column, so
        # reusing one opened the next screen where the last was scrolled to ("Tilbage" hidden above).
        self.body = self._new_body(controls)
        self.frame.controls[1] = self.body
        self.refresh_status()
        self.page.update()

    def _new_body(self, controls: list | None = None) -> ft.Column:
        # its own key too, so Flutter cannot reuse the previous column's scroll state
        self.screens_shown = getattr(self, "screens_shown", 0) + 1
        return ft.Column(
            controls or [],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            key=f"screen-{self.screens_shown}",
        )

    def _frame_with(self, body: ft.Column) -> ft.Column:
        self.frame = ft.Column([self.notice, body], expand=True, spacing=10)
        return self.frame

    def say(self, message: str, error: bool = False) -> None:
        """A plain message at the top of the screen (kept until the next screen)."""
        self.notice.value = message
        self.notice.color = w.ERROR_COLOR if error else w.OK_COLOR
        self.notice.visible = True
        self.page.update()

    def act(self, fn: Callable[[], object], done: str | None = None, then: Callable[[], None] | None = None) -> bool:
        """Run a save; show the Danish reason if it is refused. Nothing typed is lost on refusal."""
        self.core.touch()
        try:
            fn()
        except CoreError as exc:
            self.say(exc.message, error=True)
            return False
        if then:
            then()
        if done:
            self.say(done)
        self.refresh_status()
        self.trigger_sync()
        return True

    def services(self):
        return self.core.services()

    def open_rejected(self) -> None:
        self.show(sync_view.rejected_screen)

    # ---- sync ------------------------------------------------------------------------

    def _status_changed(self, status: SyncStatus) -> None:
        """The sync engine's status changed (maybe in the sync thread): redraw the bar on the UI loop."""
        if self.closed:
            self._unsubscribe()  # this page is gone; the core (one per process) lives on
            return
        if threading.get_ident() == self._ui_thread or self._loop is None:
            self._show_status(status)
            return
        self._loop.call_soon_threadsafe(self._show_status_and_update, status)

    def _show_status_and_update(self, status: SyncStatus) -> None:
        if not self.closed:
            self._show_status(status)
            self.page.update()

    def refresh_status(self) -> None:
        self._show_status(self.core.status())

    def _show_status(self, st: SyncStatus) -> None:
        self.status_text.value = st.message
        self.status_text.color = w.OK_COLOR if st.online else (w.WARN_COLOR if st.online is False else None)
        self.status_icon.icon = (
            ft.Icons.CLOUD_DONE if st.online else ft.Icons.CLOUD_OFF if st.online is False else ft.Icons.CLOUD_OUTLINED
        )
        self.status_icon.color = self.status_text.color
        self.pending_text.value = st.pending_line
        self.pending_text.color = None if st.ready_offline else w.WARN_COLOR
        self.last_sync_text.value = f"Sidst synkroniseret: {w.clock_text(st.last_sync_at)}"
        self.progress.visible = st.syncing and not st.first_sync_done
        self.rejected_button.visible = st.rejected > 0
        self.rejected_button.content.value = (
            f"{st.rejected} {'ændring blev afvist' if st.rejected == 1 else 'ændringer blev afvist'} – se hvorfor"
        )
        self.status_bar.visible = self.core.logged_in and not self.core.locked and not self.core.needs_pin

    def trigger_sync(self) -> None:
        """Ask the sync loop to run now (safe from any thread)."""
        loop = getattr(self, "_loop", None)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is not None and running is not loop:
            loop.call_soon_threadsafe(self._wake.set)
        else:
            self._wake.set()

    async def sync_once(self) -> None:
        """Sync in a worker thread, refreshing the status bar while it runs."""
        if self.core.locked:
            if await off_ui(self.core.wipe_if_revoked_while_locked):
                self.show_wiped()
            return
        if not self.core.logged_in:
            return
        before = self.core.status()
        # the bar follows the engine's status while this runs (see _status_changed)
        await off_ui(self.core.sync)
        if self.core.wiped_message:
            self.show_wiped()
            return
        if self.core.locked:
            return  # locked while syncing: the lock screen stays
        if not self.core.logged_in:
            self.show_login()  # wiped under us: nothing left to show
            return
        if self.core.needs_login:
            self.show_login()
            self.say("Du skal logge ind igen. Dine ændringer er gemt.", error=True)
            return
        after = self.core.status()
        changed = after.pulled_records != before.pulled_records
        if not before.first_sync_done and after.first_sync_done:
            self.notice.visible = False  # "henter dine data …" is done
        on_read_only_screen = self.stack and getattr(self.stack[-1][0], "refreshable", False)
        if changed and on_read_only_screen:
            self.render()
        else:
            self.refresh_status()
            self.page.update()

    def show_wiped(self) -> None:
        """The phone wiped itself (revoked): say so plainly on the login screen."""
        self.resume_stack = None
        self.show_login()
        self.say(self.core.wiped_message, error=True)

    def on_lifecycle(self, e) -> None:
        """The app went to the background (lock it) or came back (sync at once)."""
        if e.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE):
            self.app_hidden()
        elif e.state in (ft.AppLifecycleState.SHOW, ft.AppLifecycleState.RESUME):
            self.trigger_sync()

    async def sync_loop(self) -> None:
        """Sync at start, after every save, when the app comes back to the foreground, and every
        `sync_interval` seconds; sooner (2, 4, 8 … s) while offline with changes waiting."""
        self._loop = asyncio.get_running_loop()
        self._ui_thread = threading.get_ident()
        while not self.closed:
            try:
                await self.sync_once()
            except Exception:  # noqa: BLE001 - the loop must survive anything; the bar shows the state
                import logging

                logging.getLogger("trinvis").exception("sync failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.core.sync_state.next_delay(self.sync_interval))
            except TimeoutError:
                pass
            self._wake.clear()

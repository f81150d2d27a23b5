"""Starts the Trinvis app: `python -m mobile_app` (web mode, no CDN) or `flet build apk`."""

from __future__ import annotations

import os

import flet as ft

from mobile_app.core import AppCore
from mobile_app.ui.app import TrinvisApp

_core: AppCore | None = None


def core() -> AppCore:
    """One core per process: in web mode the Flet process is the device."""
    global _core
    if _core is None:
        _core = AppCore()
    return _core


async def main(page: ft.Page) -> None:
    app = TrinvisApp(page, core(), sync_interval=float(os.environ.get("TRINVIS_SYNC_INTERVAL", "20")))

    def closed(e):
        app.closed = True

    page.on_disconnect = closed
    page.on_close = closed
    # background: lock; foreground again: sync at once (see TrinvisApp.on_lifecycle)
    page.on_app_lifecycle_state_change = app.on_lifecycle
    # A new page is the app being opened again: it starts locked (the PIN opens it).
    app.core.lock()
    app.start()
    page.run_task(app.sync_loop)
    page.run_task(app.idle_loop)


def run(port: int = 8550, host: str | None = None) -> None:
    os.environ.setdefault("FLET_WEB_NO_CDN", "1")
    ft.run(main, view=ft.AppView.WEB_BROWSER, port=port, host=host, no_cdn=True)

"""Start-up of the browser build: choose the browser's adapters, then run the same app.

Only imported in Pyodide (the generated main.py of the web build). The server is the page's
own origin (the backend serves the app at /app/), the data directory is mounted on IndexedDB,
and `mobile_app.ui.runner.off_ui` calls the core directly because there are no threads.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import flet as ft

from mobile_app.browser.persist import MOUNT, IdbPersistence

persistence: IdbPersistence | None = None
_held: list[object] = []  # the JS callbacks that keep the tab's lock (must outlive web_main)

ONE_TAB = "Trinvis er allerede åben i en anden fane. Luk denne fane, og brug den anden."


async def only_tab() -> bool:
    """Hold the store's Web Lock for this tab's lifetime; False when another tab holds it.

    Each tab has its own copy of the store in memory and writes it back whole: two open tabs
    would overwrite each other's saves."""
    import asyncio

    import js
    from pyodide.ffi import create_proxy, to_js

    if not hasattr(js.navigator, "locks"):
        return True
    got: asyncio.Future[bool] = asyncio.get_event_loop().create_future()

    def granted(lock: object) -> object:
        got.set_result(bool(lock))  # JS null (refused) is falsy; Pyodide's jsnull is not None
        # The lock is held until this promise settles: never, so until the tab closes.
        return js.Promise.new(_hold(create_proxy(lambda resolve, reject: None)))

    options = to_js({"ifAvailable": True}, dict_converter=js.Object.fromEntries)
    js.navigator.locks.request("trinvis-store", options, _hold(create_proxy(granted)))
    return await got


def _hold(proxy: object) -> object:
    _held.append(proxy)
    return proxy


def page_url() -> str:
    import flet_js  # the Python worker's bridge module (registered by flet-web's python-worker.js)

    return str(flet_js.documentUrl)


def configure(url: str) -> None:
    """The server is the page's origin; `?sync=N` (at least 2 s) sets the sync interval (tests, bench)."""
    parts = urlsplit(url)
    os.environ.setdefault("TRINVIS_SERVER_URL", f"{parts.scheme}://{parts.netloc}")
    os.environ["TRINVIS_DATA_DIR"] = MOUNT
    sync = parse_qs(parts.query).get("sync", [""])[0]
    if sync.isdigit():
        os.environ["TRINVIS_SYNC_INTERVAL"] = str(max(2, int(sync)))


async def web_main(page: ft.Page) -> None:
    """Mount storage (once per page load), point the core at the page's server, run the app."""
    global persistence
    if persistence is None:
        import pyodide_js

        if not await only_tab():
            page.add(ft.Text(ONE_TAB, size=20))
            return

        from mobile_app.core import sealed_file

        configure(page_url())
        sealed_file.JOURNAL_MODE = "DELETE"
        persistence = IdbPersistence(pyodide_js.FS)
        await persistence.mount()
    from mobile_app.main import main

    await main(page)

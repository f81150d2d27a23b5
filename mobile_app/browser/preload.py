"""What the browser build's Pyodide memory snapshot holds: the modules the app imports at start.

Imported only by the snapshot maker in mobile_app/browser/worker.js, in a fresh Pyodide that never
runs the app: nothing here may touch JavaScript (no `js`, `pyodide.ffi` objects, `flet_js`), open
the store, read the data directory or the page's address. Module-level code of what is listed
must do the same (it does: the app's start-up work is in functions; e.g. a WebCrypto bridge must
reach `js` inside its functions, not at import). Otherwise no snapshot is made (the worker's
status says `makeFailed`, tests/e2e/test_pwa_snapshot_e2e.py fails) and every start is a slow
one. The snapshot is code and constants only, no user data; the worker checks SNAPSHOT_KEY after
restoring.
"""

from __future__ import annotations

import flet  # noqa: F401
import flet.messaging.connection  # noqa: F401
import flet.messaging.protocol  # noqa: F401
import flet.messaging.session  # noqa: F401
import flet.pubsub.pubsub_hub  # noqa: F401
import msgpack  # noqa: F401

import mobile_app.browser.entry  # noqa: F401
import mobile_app.main  # noqa: F401

SNAPSHOT_KEY = ""
"""Set by the snapshot maker to the build's snapshot key; a restore checks it."""

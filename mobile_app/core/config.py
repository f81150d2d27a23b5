"""Where the app keeps its data, which server it talks to (TRINVIS_SERVER_URL, set by the build or
the environment) and whether it is the demo (TRINVIS_DEMO=1)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SERVER_URL = "http://127.0.0.1:5000"


def server_url() -> str:
    return os.environ.get("TRINVIS_SERVER_URL") or DEFAULT_SERVER_URL


def data_dir() -> Path:
    """TRINVIS_DATA_DIR, else FLET_APP_STORAGE_DATA (set by packaged apps), else ~/.trinvis."""
    raw = os.environ.get("TRINVIS_DATA_DIR") or os.environ.get("FLET_APP_STORAGE_DATA") or str(Path.home() / ".trinvis")
    path = Path(raw)
    path.mkdir(parents=True, exist_ok=True)
    # Owner-only: another app or user account on the device must not even list the files.
    path.chmod(0o700)
    return path


def store_path() -> Path:
    return data_dir() / "trinvis-app.sqlite"


LOCK_AFTER_STAFF = 5 * 60
LOCK_AFTER_YOUTH = 30 * 60


def lock_after(role: str | None) -> float:
    """Idle seconds before the app locks: TRINVIS_LOCK_AFTER_STAFF / _YOUTH, else 5 / 30 minutes.

    Staff phones hold a whole caseload, so they lock sooner; a young person's phone holds only
    their own plan, and a PIN every few minutes would keep them from using it.
    """
    if role == "youth":
        return float(os.environ.get("TRINVIS_LOCK_AFTER_YOUTH") or LOCK_AFTER_YOUTH)
    return float(os.environ.get("TRINVIS_LOCK_AFTER_STAFF") or LOCK_AFTER_STAFF)


def demo_mode() -> bool:
    """TRINVIS_DEMO=1: the demo, whose users share a published password (the login may say it)."""
    return os.environ.get("TRINVIS_DEMO", "0") == "1"

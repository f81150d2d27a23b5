"""Where the app keeps its data, which server it talks to (TRINVIS_SERVER_URL, set by the build or
the environment) and whether it is the demo (TRINVIS_DEMO=1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT_SERVER_URL = "http://127.0.0.1:5000"


BUILD_SETTINGS = Path(__file__).with_name("build_settings.json")
"""Written into the phone build by `python -m mobile_app.packaging --server-url …`."""


def server_url() -> str:
    """TRINVIS_SERVER_URL, else the address the phone app was built with, else the local default.

    Nobody types it on the login screen: staff who need another server use "Indstillinger"."""
    return os.environ.get("TRINVIS_SERVER_URL") or _built_server_url() or DEFAULT_SERVER_URL


def _built_server_url() -> str:
    try:
        value = json.loads(BUILD_SETTINGS.read_text(encoding="utf-8")).get("server_url")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def write_build_settings(core_dir: Path, server: str) -> Path:
    """Put the server address into a staged build's copy of this package."""
    if not server.startswith(("http://", "https://")):
        raise ValueError("the server address must start with http:// or https://")
    path = core_dir / BUILD_SETTINGS.name
    path.write_text(json.dumps({"server_url": server.rstrip("/")}), encoding="utf-8")
    return path


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

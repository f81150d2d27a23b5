"""Where the app keeps its data and which server it talks to (environment, then defaults)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SERVER_URL = "http://127.0.0.1:5000"


def server_url() -> str:
    return os.environ.get("TRINVIS_SERVER_URL") or DEFAULT_SERVER_URL


def data_dir() -> Path:
    """TRINVIS_DATA_DIR, else FLET_APP_STORAGE_DATA (set by packaged apps), else ~/.trinvis."""
    raw = (
        os.environ.get("TRINVIS_DATA_DIR")
        or os.environ.get("FLET_APP_STORAGE_DATA")
        or str(Path.home() / ".trinvis")
    )
    path = Path(raw)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path() -> Path:
    return data_dir() / "trinvis-app.sqlite"

"""The staged phone build holds the app and the shared code only, and starts from its own copy."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from mobile_app import packaging
from mobile_app.core import config


def test_stage_has_app_code_entry_and_only_app_dependencies(tmp_path):
    dest = packaging.stage(tmp_path / "phone")
    assert (dest / "main.py").read_text().strip().endswith("ft.run(main)")
    assert (dest / "mobile_app" / "core" / "store.py").exists()
    assert (dest / "shared" / "schemas.py").exists()
    assert not (dest / "backend").exists()
    deps = tomllib.loads((dest / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split("==")[0].lower() for d in deps}
    assert names == set(packaging.APP_DEPENDENCIES)
    assert all("==" in d for d in deps)  # pinned like the repository
    assert "cryptography==43.0.1" in deps  # the version pypi.flet.dev has Android/iOS wheels for
    # The staged copy imports on its own (not the repository's package).
    code = "import mobile_app.core, shared.schemas, mobile_app.ui.app; print(mobile_app.core.__file__)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=dest, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().startswith(str(dest))


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.delenv("TRINVIS_DATA_DIR", raising=False)
    monkeypatch.setenv("FLET_APP_STORAGE_DATA", str(tmp_path / "flet"))
    assert config.data_dir() == tmp_path / "flet"
    monkeypatch.setenv("TRINVIS_DATA_DIR", str(tmp_path / "own"))
    assert config.store_path() == tmp_path / "own" / "trinvis-app.sqlite"
    monkeypatch.delenv("TRINVIS_DATA_DIR")
    monkeypatch.delenv("FLET_APP_STORAGE_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.data_dir() == tmp_path / "home" / ".trinvis"
    monkeypatch.delenv("TRINVIS_SERVER_URL", raising=False)
    assert config.server_url() == "http://127.0.0.1:5000"


def test_the_server_address_is_built_in(tmp_path, monkeypatch):
    """Issue 16 item 5: the address comes from the build, not from the login screen."""
    dest = packaging.stage(tmp_path / "phone")
    with pytest.raises(ValueError):
        config.write_build_settings(dest / "mobile_app" / "core", "trinvis.kommune.dk")
    config.write_build_settings(dest / "mobile_app" / "core", "https://trinvis.kommune.dk/")
    code = "from mobile_app.core import config; print(config.server_url())"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TRINVIS_SERVER_URL")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=dest, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "https://trinvis.kommune.dk"
    monkeypatch.delenv("TRINVIS_SERVER_URL", raising=False)
    assert config.server_url() == "http://127.0.0.1:5000"  # the repository itself has none built in

"""Run a blocking core call without freezing the screen: a thread natively, directly in the browser."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

IN_BROWSER = sys.platform == "emscripten"
"""Pyodide has no threads; the core's calls there are short (local SQLite, one request each)."""


async def off_ui(fn: Callable[..., T], *args: Any) -> T:
    """`await off_ui(app.core.sync)`: like asyncio.to_thread, but also in the browser build."""
    if IN_BROWSER:
        await asyncio.sleep(0)  # let the screen show "working…" first
        return fn(*args)
    return await asyncio.to_thread(fn, *args)

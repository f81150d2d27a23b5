"""Keeps the local SQLite file across browser restarts: IndexedDB under Emscripten's file system.

In Pyodide the file system is in memory. The data directory is mounted on IDBFS, filled from
IndexedDB once at start, and written back after every committed transaction (the store's
after-commit hook). Writes are coalesced: while one sync runs, later commits mark the state
dirty and one more sync follows, so a burst of saves costs at most two IndexedDB writes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from mobile_app.core import sealed_file

MOUNT = "/trinvis"


class IdbPersistence:
    """The mounted directory and the write-back schedule."""

    def __init__(self, fs: Any, path: str = MOUNT):
        self.fs = fs
        self.path = path
        self.running = False
        self.dirty = False
        self.synced = 0  # completed write-backs (for tests and the bench)
        self.errors: list[str] = []

    def _syncfs(self, populate: bool) -> asyncio.Future[None]:
        from pyodide.ffi import create_once_callable

        fut: asyncio.Future[None] = asyncio.get_event_loop().create_future()

        def done(err: Any = None) -> None:
            if not fut.done():
                if err:
                    fut.set_exception(OSError(str(err)))
                else:
                    fut.set_result(None)

        self.fs.syncfs(populate, create_once_callable(done))
        return fut

    async def mount(self) -> None:
        """Mount IDBFS on the data directory and load what IndexedDB holds."""
        self.fs.mkdirTree(self.path)
        self.fs.mount(self.fs.filesystems.IDBFS, {}, self.path)
        await self._syncfs(True)
        sealed_file.AFTER_COMMIT.append(self.schedule)

    def schedule(self) -> None:
        """Called after each commit: write back now, or once more after the running write."""
        if self.running:
            self.dirty = True
            return
        self.running = True
        asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        try:
            while True:
                self.dirty = False
                try:
                    await self._syncfs(False)
                    self.synced += 1
                except OSError as exc:  # quota or a closed database: keep the data in memory, say so
                    self.errors.append(str(exc))
                if not self.dirty:
                    return
        finally:
            self.running = False

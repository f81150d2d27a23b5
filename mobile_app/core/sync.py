"""Sync: push the outbox in batches, then pull with the saved cursor until nothing is left.

The engine reports what it does to the observable `SyncState` (records pulled, first download
done, last sync): the screens follow that, not the store's metadata.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from mobile_app.core.api import ApiClient
from mobile_app.core.clock import utcnow
from mobile_app.core.errors import ApiError
from mobile_app.core.status import SyncState
from mobile_app.core.store import Store
from shared import SCHEMA_VERSION
from shared.schemas import MAX_MUTATIONS_PER_PUSH

PUSH_BATCH = 200
PULL_LIMIT = 500


@dataclass
class SyncResult:
    pushed: dict[str, int] = field(default_factory=dict)
    pulled: int = 0
    revoked: list[str] = field(default_factory=list)


class SyncEngine:
    """Moves data between the store and the server. One sync at a time per device."""

    def __init__(
        self,
        store: Store,
        client: ApiClient,
        device_id: str,
        push_batch: int = PUSH_BATCH,
        pull_limit: int = PULL_LIMIT,
        state: SyncState | None = None,
    ):
        self.store = store
        self.state = state or SyncState(lambda: (store.pending_count(), store.rejected_count()))
        self.client = client
        self.device_id = device_id
        self.push_batch = min(push_batch, MAX_MUTATIONS_PER_PUSH)
        self.pull_limit = pull_limit
        self._running = threading.Lock()

    def push(self) -> dict[str, int]:
        """Send every pending mutation; returns counts per result status."""
        totals: dict[str, int] = {}
        batch_size = self.push_batch
        while True:
            batch = self.store.next_batch(batch_size)
            if not batch:
                return totals
            try:
                body = self.client.push(self.device_id, SCHEMA_VERSION, [e.as_mutation() for e in batch])
            except ApiError as exc:
                if exc.status == 413 and batch_size > 1:
                    # Too large for one request: halve and send the same mutations again.
                    batch_size = max(1, batch_size // 2)
                    continue
                raise
            results = body.get("results") or []
            if len(results) != len(batch):
                raise ApiError(502, "bad_response", "Serveren svarede uventet. Prøv igen senere.")
            for k, v in self.store.apply_push_results(batch, results).items():
                totals[k] = totals.get(k, 0) + v

    def pull(self, progress: Callable[[int], None] | None = None) -> SyncResult:
        """Pull pages from the saved cursor; each page and its cursor are saved together."""
        result = SyncResult()
        while True:
            cursor = self.store.get_meta("cursor")
            page = self.client.pull(cursor, self.pull_limit)
            changes = page.get("changes") or []
            revoked = page.get("revoked_youth_ids") or []
            self.store.apply_pull_page(changes, revoked, page.get("cursor") or cursor)
            result.pulled += len(changes)
            result.revoked.extend(revoked)
            pulled = int(self.store.get_meta("pulled_records", 0) or 0)
            self.state.update(pulled_records=pulled)
            if progress:
                progress(pulled)
            if not page.get("has_more"):
                if not self.store.get_meta("first_sync_done"):
                    self.store.set_meta("first_sync_done", True)
                self.state.update(first_sync_done=True)
                return result

    def sync(self, progress: Callable[[int], None] | None = None) -> SyncResult:
        """Push, pull, and push again what the pull re-based. Raises Offline, AuthExpired, …"""
        with self._running:
            result = SyncResult()
            result.pushed = self.push()
            pulled = self.pull(progress)
            result.pulled, result.revoked = pulled.pulled, pulled.revoked
            if self.store.pending_count():
                for k, v in self.push().items():
                    result.pushed[k] = result.pushed.get(k, 0) + v
            synced_at = utcnow().isoformat()
            self.store.set_meta("last_sync_at", synced_at)
            self.state.update(last_sync_at=synced_at)
            return result

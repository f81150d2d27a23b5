"""Benchmark of the phone app's core: local saves, pushing them, and applying a large first pull.

    python bench/app_bench.py [--saves 1000] [--pull 15000]

1. 1,000 local saves (check-ins, absence notices, outreach and agreement edits) through the
   services into the store + outbox, each in its own durable transaction: p50/p95 per save.
2. Pushing those saves to the real backend (create_app on a temporary SQLite, served on a local
   port, seeded like the demo) with the sync engine, in batches of 200.
3. Applying a 15,000-record first pull to an empty store, page by page (500 per page), with
   pages shaped like the server's (fetched beforehand, so the figure is the phone's own work).

Targets (issue 3): a local save < 20 ms p95; a first pull applied at >= 5,000 records/s.
Since issue 10 everything is sealed with AES-GCM (the store is encrypted at rest); targets there:
save p95 < 20 ms, a 15,000-record first pull applied in < 2 s. 4. The PIN's key derivation
(scrypt, the app's real cost) is timed too: it is what an unlock costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "mobile_app"))

from mobile_app.core import AppCore  # noqa: E402
from mobile_app.core.store import Store  # noqa: E402
from mobile_app.core.sync import SyncEngine  # noqa: E402
from mobile_app.core.vault import KdfParams, new_data_key, unwrap_key, wrap_key  # noqa: E402

PIN = "2580"

TZ = ZoneInfo("Europe/Copenhagen")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_saves_and_push(n: int, tmp: Path) -> None:
    from app_server import LiveServer, build_app

    app = build_app(f"sqlite:///{tmp}/server.sqlite")
    server = LiveServer(app).start()
    try:
        mentor = AppCore(tmp / "mentor.sqlite", server_url=server.url)
        mentor.login("mentor.lise", "demo1234")
        mentor.choose_pin(PIN)
        mentor.sync()
        # The young person's clock walks back a day per check-in: one check-in per day, at 09:30.
        youth_clock = {"now": datetime.now(TZ)}
        youth = AppCore(tmp / "youth.sqlite", server_url=server.url, clock=lambda: youth_clock["now"])
        youth.login("ung.mads", "demo1234")
        youth.choose_pin(PIN)
        youth.sync()

        msvc, ysvc = mentor.services(), youth.services()
        youth_ids = [y["id"] for y in mentor.store.all("youth")]
        my_act = next(a for a in youth.store.all("activity", ysvc.my_youth_id()) if a["title"] == "Dagligt værksted")
        agreements = [a for y in youth_ids for a in msvc.agreements(y)]
        times: list[float] = []
        today = msvc.today()
        for i in range(n):
            kind = i % 4
            t0 = time.perf_counter()
            if kind == 0:
                # A young person's check-in (a new attendance record each day).
                day = today - timedelta(days=i // 4)
                youth_clock["now"] = datetime.combine(day, datetime.min.time(), TZ).replace(hour=9, minute=30)
                ysvc.check_in(my_act["id"])
            elif kind == 1:
                msvc.log_outreach(youth_ids[i % len(youth_ids)], "call", bool(i % 2), f"Opkald {i}")
            elif kind == 2:
                msvc.add_agreement(youth_ids[i % len(youth_ids)], f"Aftale nr. {i}", today + timedelta(days=1))
            else:
                ag = agreements[i % len(agreements)]
                msvc.review_agreement(ag["id"], "open", f"Gennemgået {i}")
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"local saves: {n} saves (store + outbox, durable), p50 {statistics.median(times):.2f} ms, "
            f"p95 {pct(times, 95):.2f} ms, max {max(times):.2f} ms  (target p95 < 20 ms)"
        )
        queued = mentor.store.pending_count() + youth.store.pending_count()

        t0 = time.perf_counter()
        r1 = SyncEngine(mentor.store, mentor.client(), mentor.device_id).push()
        r2 = SyncEngine(youth.store, youth.client(), youth.device_id).push()
        dt = time.perf_counter() - t0
        results = {k: r1.get(k, 0) + r2.get(k, 0) for k in set(r1) | set(r2)}
        print(
            f"push: {queued} queued mutations (from {n} saves; unsent edits of one record are folded) "
            f"in {dt:.2f} s = {queued / dt:.0f} mutations/s; results {results}"
        )
        mentor.store.close()
        youth.store.close()
    finally:
        server.stop()


def synthetic_pages(total: int, page_size: int = 500) -> list[dict]:
    """Pull pages shaped like the server's: many young people with plan items and daily records."""
    org = str(uuid.uuid4())
    pages, changes = [], []
    youths = [str(uuid.uuid4()) for _ in range(max(1, total // 150))]
    start = date(2025, 1, 6)
    i = 0
    while i < total:
        y = youths[i % len(youths)]
        rid = str(uuid.uuid4())
        k = i % 3
        if k == 0:
            data = {
                "id": rid,
                "youth_id": y,
                "activity_id": str(uuid.uuid4()),
                "date": (start + timedelta(days=i % 300)).isoformat(),
                "status": "present",
                "self_checked_in_at": datetime(2025, 3, 1, 8, 55, tzinfo=TZ).isoformat(),
                "absence_reason": "",
                "note": "",
                "organization_id": org,
                "visibility": "shared",
                "recorded_by_user_id": None,
            }
            entity = "attendance"
        elif k == 1:
            data = {
                "id": rid,
                "youth_id": y,
                "organization_id": org,
                "text": f"Aftale {i}",
                "responsible": "youth",
                "responsible_user_id": None,
                "due_date": "2025-03-01",
                "status": "kept",
                "review_note": "",
                "reviewed_at": None,
                "youth_comment": "",
                "youth_marked_done_at": None,
                "created_by_user_id": None,
            }
            entity = "agreement"
        else:
            data = {
                "id": rid,
                "youth_id": y,
                "organization_id": org,
                "method": "call",
                "reached": True,
                "note": "Snakkede om ugen",
                "contacted_at": "2025-03-01T09:30:00+00:00",
                "user_id": None,
            }
            entity = "outreach"
        changes.append({"entity": entity, "id": rid, "version": 1, "deleted": False, "data": data})
        i += 1
        if len(changes) == page_size:
            pages.append({"changes": changes, "cursor": f"c{len(pages)}", "has_more": True, "revoked_youth_ids": []})
            changes = []
    if changes:
        pages.append({"changes": changes, "cursor": f"c{len(pages)}", "has_more": False, "revoked_youth_ids": []})
    return pages


def bench_first_pull(total: int, tmp: Path) -> None:
    pages = synthetic_pages(total)
    store = Store(tmp / "pull.sqlite", key=new_data_key())
    t0 = time.perf_counter()
    for page in pages:
        store.apply_pull_page(page["changes"], page["revoked_youth_ids"], page["cursor"])
    dt = time.perf_counter() - t0
    assert store.count() == total
    print(
        f"first pull: {total} records in {len(pages)} pages applied in {dt:.2f} s = "
        f"{total / dt:.0f} records/s  (target: 15,000 in < 2 s)"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--pull", type=int, default=15000)
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as d:
        bench_saves_and_push(args.saves, Path(d))
        bench_first_pull(args.pull, Path(d))
    bench_unlock()


def bench_unlock(rounds: int = 5) -> None:
    row = wrap_key(new_data_key(), PIN, KdfParams())
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        unwrap_key(row, PIN)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"unlock (scrypt n=2^16, r=8 + unwrap): median {statistics.median(times):.0f} ms over {rounds}")


if __name__ == "__main__":
    main()

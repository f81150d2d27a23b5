"""PostgreSQL restarts under load (issue 18): gunicorn -w 3, phones on the app's real core.

The test makes its OWN PostgreSQL cluster (tests/fire/pgcluster.py: initdb in a temp dir, a free
port) and drops it at the end, so it can restart and stop it without touching the shared server.
While five phones edit and sync in a loop, PostgreSQL gets a fast restart while the phones are
quiet (a night-time restart) and then a short outage under load (an immediate stop, a few
seconds down, start). Afterwards:

- no 5xx outside the outage windows, and every 5xx inside them is a 503 (no 500, no 409 "busy");
- the health endpoint reported the database down during the outage;
- nothing saved on a phone is lost: outboxes empty, nothing rejected, every acknowledged change
  kept; every phone holds exactly what its user may see, as the server has it;
- no conflict record has one device on both sides (a phone's own edits around a failed sync).
"""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

import pytest
import requests

from bench.load import Gunicorn
from mobile_app.core.errors import ValidationFailed
from tests.backend.world import PASSWORD
from tests.fire import pgcluster
from tests.fire.harness import (
    FaultyTransport,
    FireDevice,
    Ledger,
    acknowledged_changes_kept,
    build_fire_world,
    check_server_invariants,
    device_invariants,
    device_view,
    diff_views,
    expected_view,
    own_edit_conflicts,
    uid,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.timeout(240)]

PHONES = (("lise-phone", "lise"), ("lise-tablet", "lise"), ("ahmed", "ahmed"), ("mads", "mads"), ("karen", "karen"))
OUTAGE_SECONDS = 3.0


class TimedTransport(FaultyTransport):
    """No faults: the network is fine, the database is not. Every exchange with its times."""

    def __init__(self):
        super().__init__()
        self.timeline: list[tuple[float, float, str, int | None]] = []

    def send(self, request, **kw):
        t0, status = time.monotonic(), None
        try:
            resp = super().send(request, **kw)
            status = resp.status_code
            return resp
        finally:
            self.timeline.append((t0, time.monotonic(), request.path_url.split("?")[0], status))


@pytest.fixture
def own_pg():
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    cluster = pgcluster.Cluster()
    yield cluster
    cluster.drop()


@pytest.fixture
def stack(own_pg, tmp_path):
    """The migrated database on the own cluster, its municipality, and gunicorn -w 3 in front."""
    from backend.cli import upgrade_schema
    from backend.extensions import db
    from tests.conftest import make_app

    url = own_pg.create_database("trinvis")
    app = make_app(url)
    with app.app_context():
        upgrade_schema()
        db.session.remove()
    w = build_fire_world(app)
    server = Gunicorn(url, workers=3, log_path=str(tmp_path / "gunicorn.log"))
    yield app, w, server
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def edit(d: FireDevice, r: random.Random) -> None:
    """One everyday edit: staff review or add agreements; the young person checks in or comments."""
    svc, role = d.services(), d.user["role"]
    token = f"{d.name}-{uid()[:8]}"
    if role == "youth":
        yid = svc.my_youth_id()
        ags, acts = d.store.all("agreement", yid), d.store.all("activity", yid)
        if ags and r.random() < 0.6:
            svc.youth_update_agreement(r.choice(ags)["id"], r.random() < 0.5, f"Kommentar {token}")
        elif acts:
            svc.check_in(r.choice(acts)["id"], svc.today() - timedelta(days=r.randint(0, 3)))
        return
    youths = [y["id"] for y in d.store.all("youth")]
    org = d.user.get("organization_id")
    ags = [a for a in d.store.all("agreement") if role != "partner" or a.get("organization_id") == org]
    if ags and r.random() < 0.7:
        # the same few agreements again and again: one device's consecutive edits of one record
        svc.review_agreement(r.choice(ags)["id"], r.choice(["kept", "not_kept", "open"]), f"Gennemgået {token}")
    elif youths:
        svc.add_agreement(r.choice(youths), f"Aftale {token}", svc.today() + timedelta(days=r.randint(0, 5)))


class Phones:
    """The phone threads, which can be paused (a quiet night) and stopped."""

    def __init__(self, devices: list[FireDevice]):
        self.stop, self.awake = threading.Event(), threading.Event()
        self.awake.set()
        self.idle = [threading.Event() for _ in devices]
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=phone_loop, args=(d, i, self)) for i, d in enumerate(devices)]
        for t in self.threads:
            t.start()

    def pause(self) -> None:
        self.awake.clear()
        for e in self.idle:
            assert e.wait(60), "a phone did not finish its sync"

    def resume(self) -> None:
        for e in self.idle:
            e.clear()
        self.awake.set()

    def end(self) -> None:
        self.stop.set()
        self.awake.set()
        for t in self.threads:
            t.join(60)
        assert not any(t.is_alive() for t in self.threads), "a phone is stuck"


def phone_loop(d: FireDevice, seed: int, phones: Phones) -> None:
    r = random.Random(seed)
    try:
        while not phones.stop.is_set():
            if not phones.awake.is_set():
                phones.idle[seed].set()
                phones.awake.wait()
                continue
            try:
                edit(d, r)
            except ValidationFailed:
                pass
            d.sync()  # never raises for an outage: the status says it, the outbox keeps the edit
            time.sleep(r.uniform(0.05, 0.25))
    except Exception as e:  # noqa: BLE001 - reported by the test
        phones.errors.append(f"{d.name}: {e!r}")


def test_postgres_restarts_under_load_lose_nothing_and_answer_503(stack, own_pg, tmp_path):
    app, w, server = stack
    ledger = Ledger()
    devices = []
    for name, user in PHONES:
        t = TimedTransport()
        t.ledger = ledger
        d = FireDevice(tmp_path / f"{name}.sqlite", server.url, name, t)
        d.login(user, PASSWORD)
        assert d.sync() is not None, d.last_error
        devices.append(d)

    windows, health = [], []
    phones = Phones(devices)
    try:
        time.sleep(3)
        # A night-time restart: nobody is syncing, so every worker's pooled connections go stale
        # unnoticed and the first phone in the morning meets them (was a 500 per worker).
        phones.pause()
        t0 = time.monotonic()
        own_pg.restart("fast")
        windows.append((t0, time.monotonic()))
        phones.resume()
        time.sleep(4)
        # A short outage in the middle of the load.
        t0 = time.monotonic()
        own_pg.stop("immediate")
        time.sleep(0.5)
        r = requests.get(f"{server.url}/api/v1/health", timeout=10)
        health.append((r.status_code, r.json(), r.headers.get("Retry-After")))
        time.sleep(OUTAGE_SECONDS)
        own_pg.start()
        windows.append((t0, time.monotonic()))
        time.sleep(5)
    finally:
        phones.end()
    assert phones.errors == []

    status, body, retry_after = health[0]
    assert status == 503 and body["database"] == "down" and retry_after, health

    problems = []
    in_outage = 0
    for d in devices:
        for start, end, path, code in d.transport.timeline:
            inside = any(start <= w_end and end >= w_start for w_start, w_end in windows)
            if code is not None and code >= 500:
                if not inside:
                    problems.append(f"{d.name}: {code} on {path} outside the outage")
                elif code != 503:
                    problems.append(f"{d.name}: {code} on {path} during the outage (want 503)")
                in_outage += 1
            if code == 409:
                problems.append(f"{d.name}: 409 on {path}")
    assert not problems, "\n".join(problems[:20])
    assert in_outage > 0, "the phones never met the outage: the test did not test anything"

    # Everyone syncs twice on a good network: nothing may be left, rejected or different.
    for _ in range(2):
        for d in devices:
            assert d.sync() is not None, f"{d.name}: {d.last_error}"
    from backend.extensions import db
    from backend.models import User

    with app.app_context():
        for d in devices:
            assert d.store.pending_count() == 0 and d.store.rejected() == [], (d.name, d.store.outbox())
            user = db.session.get(User, d.user["id"])
            problems += [f"{d.name}: {p}" for p in diff_views(expected_view(user), device_view(d))]
            problems += device_invariants(d)
        db.session.remove()
    problems += check_server_invariants(app)
    problems += acknowledged_changes_kept(app, ledger)
    problems += own_edit_conflicts(app, ledger)
    assert not problems, "\n".join(problems[:20])
    assert len(ledger.sent) > 20, "too little load to mean anything"
    for d in devices:
        d.store.close()

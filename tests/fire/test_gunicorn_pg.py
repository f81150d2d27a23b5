"""Many concurrent writers and pullers against a real gunicorn (-w 3) on PostgreSQL.

tests/backend/test_concurrency_pg.py does this in one process with threads; here the writers
and pullers are HTTP clients and the pushes run in three gunicorn worker processes, each with its
own connection pool, so transactions really overlap and commit out of order.
"""

from __future__ import annotations

import random
import threading

import pytest
import requests
from sqlalchemy import func, select

from bench.load import Gunicorn
from shared import SCHEMA_VERSION
from tests.backend.world import D0, PASSWORD, build_world, goal, uid
from tests.fire.harness import FULL

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def gunicorn(fire_app, database_url, tmp_path):
    server = Gunicorn(database_url, workers=3, log_path=str(tmp_path / "gunicorn.log"))
    yield server
    server.stop()


class Client:
    def __init__(self, base: str, username: str, device: str):
        self.base = base
        self.s = requests.Session()
        r = self.s.post(
            f"{base}/api/v1/auth/login",
            timeout=60,
            json={"username": username, "password": PASSWORD, "device_name": device},
        )
        assert r.status_code == 200, r.text
        self.s.headers["Authorization"] = f"Bearer {r.json()['token']}"
        self.device = device
        self.cursor = None

    def push(self, mutations: list[dict]) -> list[dict]:
        r = self.s.post(
            f"{self.base}/api/v1/sync/push",
            timeout=60,
            json={"device_id": self.device, "schema_version": SCHEMA_VERSION, "mutations": mutations},
        )
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def pull_all(self, limit: int = 500) -> list[dict]:
        out = []
        while True:
            params = {"limit": limit, **({"cursor": self.cursor} if self.cursor else {})}
            r = self.s.get(f"{self.base}/api/v1/sync/pull", params=params, timeout=60)
            assert r.status_code == 200, r.text
            page = r.json()
            out += page["changes"]
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return out


def _run(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)


def test_no_pull_misses_a_late_commit(fire_app, gunicorn):
    w = build_world(fire_app)
    org_of = {"lise": "Jobcenter", "ahmed": "Jobcenter", "karen": "UU"}
    writers = ["lise", "ahmed", "karen"] * (5 if FULL else 3)
    per_writer = 40 if FULL else 15
    applied: set[str] = set()
    errors: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    seen: dict[str, set[str]] = {"puller-1": set(), "puller-2": set()}
    pullers = {name: Client(gunicorn.url, "ahmed", name) for name in seen}
    clients = [Client(gunicorn.url, name, f"{name}-{i}") for i, name in enumerate(writers)]

    def writer(c: Client, name: str, rnd: random.Random):
        try:
            for i in range(per_writer):
                batch = [
                    goal(w, rnd.choice(["mads", "sara"]), org_of[name], f"{name} {i}.{k}")
                    for k in range(rnd.randint(1, 3))
                ]
                res = c.push(
                    [
                        {
                            "mutation_id": uid(),
                            "entity": "goal",
                            "id": d["id"],
                            "op": "upsert",
                            "base_version": None,
                            "data": d,
                        }
                        for d in batch
                    ]
                )
                with lock:
                    applied.update(r["record"]["id"] for r in res if r["status"] == "applied")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    def puller(name: str):
        try:
            while True:
                done = stop.is_set()
                seen[name].update(c["id"] for c in pullers[name].pull_all(limit=5) if c["entity"] == "goal")
                if done:
                    return
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    ps = [threading.Thread(target=puller, args=(n,)) for n in seen]
    ws = [
        threading.Thread(target=writer, args=(c, n, random.Random(i)))
        for i, (c, n) in enumerate(zip(clients, writers, strict=True))
    ]
    for p in ps:
        p.start()
    _run(ws)
    stop.set()
    for p in ps:
        p.join(120)
    assert errors == []
    assert len(applied) >= len(writers) * per_writer
    for name, ids in seen.items():
        assert applied <= ids, f"{name} missed {len(applied - ids)} of {len(applied)} changes"


def test_concurrent_retries_and_races_apply_once(fire_app, gunicorn):
    from backend.extensions import db
    from backend.models import AppliedMutation, Attendance, Conflict, Goal

    w = build_world(fire_app)
    ahmed = Client(gunicorn.url, "ahmed", "setup")
    act = {
        "id": uid(),
        "youth_id": w.youths["mads"],
        "organization_id": w.orgs["Jobcenter"],
        "title": "Værksted",
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "start_time": "09:00",
        "end_time": "12:00",
        "start_date": "2026-01-05",
        "visibility": "shared",
    }
    ag = {
        "id": uid(),
        "youth_id": w.youths["mads"],
        "organization_id": w.orgs["Jobcenter"],
        "text": "Ring",
        "responsible": "youth",
        "due_date": "2026-01-07",
    }
    assert [
        r["status"]
        for r in ahmed.push(
            [
                {
                    "mutation_id": uid(),
                    "entity": "activity",
                    "id": act["id"],
                    "op": "upsert",
                    "base_version": None,
                    "data": act,
                },
                {
                    "mutation_id": uid(),
                    "entity": "agreement",
                    "id": ag["id"],
                    "op": "upsert",
                    "base_version": None,
                    "data": ag,
                },
            ]
        )
    ] == ["applied", "applied"]
    n = 8
    phones = [Client(gunicorn.url, "lise", f"phone-{i}") for i in range(n)]
    same = goal(w, "mads", "Jobcenter", "Én gang")
    same_m = {
        "mutation_id": uid(),
        "entity": "goal",
        "id": same["id"],
        "op": "upsert",
        "base_version": None,
        "data": same,
    }
    statuses: dict[str, list] = {"retry": [], "natural_key": [], "edit": []}
    errors: list[str] = []
    barrier = threading.Barrier(n)

    def phone(i: int):
        try:
            c = phones[i]
            barrier.wait(30)
            statuses["retry"] += [r["status"] for r in c.push([same_m])]
            rid = uid()
            statuses["natural_key"] += [
                r["status"]
                for r in c.push(
                    [
                        {
                            "mutation_id": uid(),
                            "entity": "attendance",
                            "id": rid,
                            "op": "upsert",
                            "base_version": None,
                            "data": {
                                "id": rid,
                                "youth_id": w.youths["mads"],
                                "activity_id": act["id"],
                                "date": D0,
                                "status": "present",
                                "note": f"phone {i}",
                            },
                        }
                    ]
                )
            ]
            statuses["edit"] += [
                r["status"]
                for r in c.push(
                    [
                        {
                            "mutation_id": uid(),
                            "entity": "agreement",
                            "id": ag["id"],
                            "op": "upsert",
                            "base_version": 1,
                            "data": {"id": ag["id"], "review_note": f"phone {i}", "status": "kept"},
                        }
                    ]
                )
            ]
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    _run([threading.Thread(target=phone, args=(i,)) for i in range(n)])
    assert errors == []
    assert sorted(statuses["retry"]) == ["applied"] + ["duplicate"] * (n - 1)
    assert set(statuses["natural_key"]) <= {"applied", "merged"} and statuses["natural_key"].count("applied") == 1
    assert set(statuses["edit"]) <= {"applied", "merged"} and len(statuses["edit"]) == n
    with fire_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal).where(Goal.id == same["id"])) == 1
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AppliedMutation)
                .where(AppliedMutation.mutation_id == same_m["mutation_id"])
            )
            == 1
        )
        assert (
            db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.activity_id == act["id"]))
            == 1
        )
        # Every phone's review note is either the final one or kept in a conflict record.
        from backend.models import Agreement

        final = db.session.get(Agreement, ag["id"])
        losing = {
            c.losing_value
            for c in db.session.scalars(
                select(Conflict).where(Conflict.record_id == ag["id"], Conflict.field == "review_note")
            )
        }
        assert final.version == 1 + n
        assert {f"phone {i}" for i in range(n)} <= losing | {final.review_note}
        db.session.remove()
    # and a puller sees the one attendance record, at its final version
    changes = Client(gunicorn.url, "ahmed", "reader").pull_all()
    atts = [c for c in changes if c["entity"] == "attendance"]
    assert len(atts) == 1 and atts[0]["version"] == n

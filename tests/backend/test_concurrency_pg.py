"""Concurrent writers and a puller on PostgreSQL: no change is skipped, no mutation applied twice.

Each push transaction is held open for a random moment after it has taken its change numbers
(a listener sleeps in before_commit), so transactions commit out of order as they would under
load. A cursor that passed a late-committing change would lose it for ever; the puller here must
still end up with every accepted change.
"""

import random
import threading
import time

import pytest
from sqlalchemy import event, func, select

from backend.extensions import db
from backend.models import AppliedMutation, Goal
from tests.backend.world import Api, build_world, goal, uid

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def slow_commits(app):
    rnd = random.Random(7)

    def _sleep(session):
        time.sleep(rnd.random() * 0.03)

    event.listen(db.session, "before_commit", _sleep)
    yield
    event.remove(db.session, "before_commit", _sleep)


def test_puller_never_misses_a_late_commit(app, client, slow_commits):
    w = build_world(app)
    writers = ["lise", "ahmed", "karen", "lise", "ahmed", "karen"]
    org_of = {"lise": "Jobcenter", "ahmed": "Jobcenter", "karen": "UU"}
    applied: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    seen: set[str] = set()
    errors: list[str] = []

    def writer(name: str, n: int):
        try:
            api = Api(app.test_client(), name, f"{name}-{uid()[:4]}")
            for i in range(n):
                d = goal(w, random.choice(["mads", "sara"]), org_of[name], f"{name} {i}")
                res = api.push(
                    *[
                        {
                            "mutation_id": uid(),
                            "entity": "goal",
                            "id": d["id"],
                            "op": "upsert",
                            "base_version": None,
                            "data": d,
                        }
                    ]
                )
                with lock:
                    applied.extend(r["record"]["id"] for r in res if r["status"] == "applied")
        except Exception as e:  # surfaced by the assertion below
            errors.append(repr(e))

    def puller():
        api = Api(app.test_client(), "ahmed", "puller")
        while True:
            done = stop.is_set()
            changes, _ = api.pull_all(limit=7)
            seen.update(c["id"] for c in changes if c["entity"] == "goal")
            if done:
                return

    threads = [threading.Thread(target=writer, args=(n, 15)) for n in writers]
    p = threading.Thread(target=puller)
    p.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    p.join()
    assert errors == []
    assert len(applied) == 90
    assert set(applied) <= seen, f"missed {len(set(applied) - seen)} changes"


def test_concurrent_retries_of_one_mutation_apply_once(app, client, slow_commits):
    w = build_world(app)
    d = goal(w, "mads", "Jobcenter", "Én gang")
    m = {"mutation_id": uid(), "entity": "goal", "id": d["id"], "op": "upsert", "base_version": None, "data": d}
    statuses: list[str] = []
    errors: list[str] = []

    def send():
        try:
            api = Api(app.test_client(), "lise", f"phone-{uid()[:4]}")
            statuses.extend(r["status"] for r in api.push(m))
        except Exception as e:
            errors.append(repr(e))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(statuses) == ["applied"] + ["duplicate"] * 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 1
        assert (
            db.session.scalar(
                select(func.count()).select_from(AppliedMutation).where(AppliedMutation.mutation_id == m["mutation_id"])
            )
            == 1
        )

"""Convergence property: app cores edit offline at random, sync in random orders and
interleavings (some through a faulty network), and afterwards agree with the server.

Each example starts from a fresh municipality: six devices (the young person Mads, mentor Lise
on a phone and a tablet, the coordinator Ahmed, partners Karen (UU) and Nina (treatment)) plus
Ahmed's caseworker pages, which delete records. Invariants after everyone has synced twice:
every device holds exactly what its user may see, as the server has it (an oracle built from
the roles table in docs/architecture.md); every acknowledged change is on the server or superseded (a later edit
that saw it, a deletion, or a conflict record); no record exists twice; one attendance record per
youth/activity/day; no conflict record between one device's own consecutive edits (an edit, a
sync that never arrives, another edit of the same record: the "own_edits" action).
"""

from __future__ import annotations

import os
import random
import threading
from datetime import timedelta

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.sync import SyncEngine
from shared import SCHEMA_VERSION
from tests.app_lock_params import TEST_PIN
from tests.backend.world import PASSWORD
from tests.fire.harness import (
    CLIENT_OPTIONS,
    FAULTS,
    FULL,
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
    reset_case_data,
    uid,
)

EXAMPLES = int(os.environ.get("TRINVIS_FIRE_EXAMPLES") or (1000 if FULL else 200))
DEVICES = (
    ("mads", "mads"),
    ("lise-phone", "lise"),
    ("lise-tablet", "lise"),
    ("ahmed", "ahmed"),
    ("karen", "karen"),
    ("nina", "nina"),
)
CONVERGENCE_FAULTS = tuple(FAULTS) + (None,)
ACTIONS = (
    "edit",
    "edit",
    "edit",
    "edit",
    "sync",
    "push",
    "pull",
    "faulty_sync",
    "web_delete",
    "consent",
    "parallel_sync",
    "own_edits",
)


class Run:
    """One example: a fresh world, six devices, the ledger and the trace (for the failure report)."""

    def __init__(self, setup: Setup, n: int):
        reset_case_data(setup.app, setup.w)
        self.app = setup.app
        self.w = setup.w
        self.ledger = Ledger()
        self.trace: list[str] = []
        self.devices: list[FireDevice] = []
        for i, (name, _user) in enumerate(DEVICES):
            t = FaultyTransport(rng=random.Random(n * 31 + i))
            t.ledger = self.ledger
            d = FireDevice(setup.tmp / f"ex{n}-{name}.sqlite", setup.url, name, t)
            token, user = setup.logins[name]
            d.adopt_login({"token": token, "user": user}, setup.url)
            d.choose_pin(TEST_PIN)
            t.user_id = user["id"]
            self.devices.append(d)
        self.web = setup.web
        self.web_token, self.web_user = setup.logins["browser"][0], setup.logins["browser"][1]["id"]
        self.server_url = setup.url
        for d in self.devices:
            assert d.sync() is not None, d.last_error

    def close(self):
        for d in self.devices:
            d.store.close()
            os.unlink(d.store.path)

    # ---- actions ----------------------------------------------------------------------

    def do(self, action: str, di: int, seed: int) -> None:
        d = self.devices[di % len(self.devices)]
        r = random.Random(seed)
        self.trace.append(f"{action}({d.name}, {seed})")
        if action == "edit":
            try:
                self.edit(d, r)
            except ValidationFailed as e:
                self.trace.append(f"  refused on the phone: {e.message}")
        elif action == "sync":
            d.sync()
        elif action == "push":
            try:
                SyncEngine(d.store, d.client(), d.device_id).push()
            except Exception as e:  # the app would show the status; the outbox keeps everything
                self.trace.append(f"  push failed: {e!r}")
        elif action == "pull":
            try:
                SyncEngine(d.store, d.client(), d.device_id, pull_limit=r.choice([2, 5, 500])).pull()
            except Exception as e:
                self.trace.append(f"  pull failed: {e!r}")
        elif action == "faulty_sync":
            d.transport.plan = [r.choice(CONVERGENCE_FAULTS) for _ in range(r.randint(1, 4))]
            self.trace.append(f"  faults {d.transport.plan}")
            d.sync()
            d.transport.plan = []
        elif action == "own_edits":
            self.own_edits(d, r)
        elif action == "web_delete":
            self.web_delete(r)
        elif action == "consent":
            self.toggle_consent()
        elif action == "parallel_sync":
            chosen = r.sample(self.devices, r.randint(2, 4))
            threads = [threading.Thread(target=c.sync) for c in chosen]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

    def edit(self, d: FireDevice, r: random.Random) -> None:
        svc = d.services()
        user = d.user
        role, org = user["role"], user.get("organization_id")
        youths = [y["id"] for y in d.store.all("youth")]
        if not youths:
            return
        yid = r.choice(youths)
        today = svc.today()
        day = today - timedelta(days=r.randint(0, 3))
        token = f"{d.name}-{uid()[:8]}"
        acts = [a for a in d.store.all("activity", yid) if role != "partner" or a.get("organization_id") == org]
        ags = [a for a in d.store.all("agreement", yid) if role != "partner" or a.get("organization_id") == org]
        goals = [g for g in d.store.all("goal", yid) if role == "coordinator" or g.get("organization_id") == org]
        if role == "youth":
            yid = svc.my_youth_id()
            acts = d.store.all("activity", yid)
            ags = d.store.all("agreement", yid)
            kind = r.choice(["check_in", "absence", "agreement", "assessment"])
        elif role == "partner":
            kind = r.choice(["attendance", "new_agreement", "review", "assessment", "new_goal", "goal"])
        else:
            kind = r.choice(
                ["attendance", "new_agreement", "review", "review", "outreach", "assessment", "new_goal", "goal"]
            )
            if role == "coordinator":
                kind = r.choice([kind, "review", "goal"])
        self.trace.append(f"  {kind}")
        if kind == "check_in" and acts:
            svc.check_in(r.choice(acts)["id"], day)
        elif kind == "absence" and acts:
            svc.notify_absence(r.choice(acts)["id"], f"Syg {token}", day)
        elif kind == "agreement" and ags:
            ag, done = r.choice(ags), r.random() < 0.5
            # the app offers "done" only on the young person's own agreements; on staff ones, a comment
            done = done if ag.get("responsible") != "staff" else None
            svc.youth_update_agreement(ag["id"], done, f"Kommentar {token}")
        elif kind == "assessment":
            dims = svc.dimensions()
            svc.submit_assessment(
                yid,
                today - timedelta(days=7 * r.randint(0, 6)),
                {x.key: r.randint(1, 10) for x in dims},
                f"Måling {token}",
            )
        elif kind == "attendance" and acts:
            svc.record_attendance(
                yid,
                r.choice(acts)["id"],
                day,
                r.choice(["present", "late", "absent_notified", "absent_unnotified"]),
                note=f"Note {token}",
            )
        elif kind == "new_agreement":
            svc.add_agreement(
                yid, f"Aftale {token}", today + timedelta(days=r.randint(0, 5)), r.choice(["youth", "staff"])
            )
        elif kind == "review" and ags:
            svc.review_agreement(
                r.choice(ags)["id"], r.choice(["kept", "not_kept", "open", "cancelled"]), f"Gennemgået {token}"
            )
        elif kind == "outreach":
            svc.log_outreach(yid, r.choice(["call", "sms", "home_visit"]), r.random() < 0.5, f"Kontakt {token}")
        elif kind == "new_goal":
            gid = uid()
            svc._save(
                "goal",
                gid,
                yid,
                {
                    "organization_id": org,
                    "title": f"Delmål {token}",
                    "status": "open",
                    "visibility": r.choice(["shared", "organization"]),
                },
                create=True,
            )
        elif kind == "goal" and goals:
            g = r.choice(goals)
            change = r.choice(
                [
                    {"status": r.choice(["open", "in_progress", "achieved", "dropped"])},
                    {"visibility": r.choice(["shared", "organization"])},
                    {"title": f"Delmål {token}"},
                ]
            )
            svc._save("goal", g["id"], g["youth_id"], change, create=False)

    def own_edits(self, d: FireDevice, r: random.Random) -> None:
        """Issue 18 item 3: edit an agreement, a sync that never reaches the server, edit it again.

        The two edits are one writer's: they must never make a conflict record (checked at the end).
        """
        svc, user = d.services(), d.user
        if user["role"] == "youth":
            ags = d.store.all("agreement", svc.my_youth_id())
        else:
            ags = [
                a
                for a in d.store.all("agreement")
                if user["role"] != "partner" or a.get("organization_id") == user.get("organization_id")
            ]
        if not ags:
            return
        ag = r.choice(ags)
        for i in range(2):
            token = f"{d.name}-{uid()[:8]}"
            try:
                if user["role"] == "youth":
                    svc.youth_update_agreement(ag["id"], r.random() < 0.5, f"Kommentar {i} {token}")
                else:
                    svc.review_agreement(ag["id"], r.choice(["kept", "not_kept", "open"]), f"Gennemgået {i} {token}")
            except ValidationFailed as e:
                self.trace.append(f"  refused on the phone: {e.message}")
                return
            if i == 0:
                d.transport.plan = ["drop_request"] * CLIENT_OPTIONS["attempts"]
                d.sync()  # counted as sent on the phone, never arrived
                d.transport.plan = []
        self.trace.append(f"  reviewed {ag['id'][:8]} twice around a lost sync")

    def web_delete(self, r: random.Random) -> None:
        """Ahmed deletes a record on the caseworker pages, from the version his phone last saw."""
        ahmed = next(d for d in self.devices if d.name == "ahmed")
        entity = r.choice(["agreement", "goal", "outreach", "attendance"])
        rows = ahmed.store._q("SELECT id, version FROM record WHERE entity = ? AND version IS NOT NULL", (entity,))
        if not rows:
            return
        row = r.choice(rows)
        m = {
            "mutation_id": uid(),
            "entity": entity,
            "id": row["id"],
            "op": "delete",
            "base_version": row["version"],
            "data": None,
        }
        resp = self.web.post(
            f"{self.server_url}/api/v1/sync/push",
            headers={"Authorization": f"Bearer {self.web_token}"},
            json={"device_id": "browser", "schema_version": SCHEMA_VERSION, "mutations": [m]},
        )
        assert resp.status_code == 200, resp.text
        result = resp.json()["results"][0]
        self.ledger.record(self.web_user, [m], [result], "browser")
        self.trace.append(f"  deleted {entity} {row['id'][:8]}: {result['status']}")

    def toggle_consent(self) -> None:
        """Ahmed records that Sara withdraws (or gives again) her consent to UU."""
        ahmed = next(d for d in self.devices if d.name == "ahmed")
        sara, uu = self.w.youths["sara"], self.w.orgs["UU"]
        c = next((c for c in ahmed.store.all("consent", sara) if c["organization_id"] == uu), None)
        if c is None:
            return
        new = "withdrawn" if c["status"] == "given" else "given"
        ahmed.store.save("consent", c["id"], sara, {"status": new}, create=False)
        self.trace.append(f"  consent -> {new}")

    # ---- the end ---------------------------------------------------------------------

    def settle(self) -> list[str]:
        """Everyone syncs twice on a good network; rejected changes are shown and discarded."""
        problems = []
        for d in self.devices:
            d.transport.plan = []
            d.transport.flush()
        for _ in range(2):
            for d in self.devices:
                if d.sync() is None:
                    problems.append(f"{d.name}: sync failed on a good network: {d.last_error}")
                for e in d.store.rejected():
                    code = (e.error or {}).get("code")
                    if not (d.name == "karen" and code == "not_found"):
                        problems.append(f"{d.name}: unexpected rejection of {e.entity}: {e.error}")
                    d.discard_rejected(e.seq)
        for d in self.devices:
            if d.store.pending_count():
                problems.append(f"{d.name}: {d.store.pending_count()} changes still unsent")
        return problems

    def check(self) -> list[str]:
        from backend.extensions import db
        from backend.models import User

        problems = self.settle()
        with self.app.app_context():
            for d in self.devices:
                user = db.session.get(User, d.user["id"])
                problems += [f"{d.name}: {p}" for p in diff_views(expected_view(user), device_view(d))]
                problems += device_invariants(d)
            db.session.remove()
        problems += check_server_invariants(self.app)
        problems += acknowledged_changes_kept(self.app, self.ledger)
        problems += own_edit_conflicts(self.app, self.ledger)
        return problems


steps = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, len(DEVICES) - 1), st.integers(0, 2**31)),
    min_size=1,
    max_size=16,
)


# CI runs a fixed set of examples (derandomize) so that main stays green for reasons in the
# change, not by chance; runs by hand explore new ones every time.
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
)
@given(program=steps)
def _property(run_factory, program):
    run = run_factory()
    try:
        for action, di, seed in program:
            run.do(action, di, seed)
        problems = run.check()
        assert not problems, "\n".join(problems[:20] + ["trace:"] + run.trace)
    finally:
        run.close()


class Setup:
    """Built once per test: the world, and one login per device (kept across examples)."""

    def __init__(self, app, url: str, tmp):
        self.app, self.url, self.tmp = app, url, tmp
        self.w = build_fire_world(app)
        self.web = requests.Session()
        self.logins = {}
        for name, user in DEVICES + (("browser", "ahmed"),):
            r = self.web.post(
                f"{url}/api/v1/auth/login", json={"username": user, "password": PASSWORD, "device_name": name}
            )
            assert r.status_code == 200, r.text
            self.logins[name] = (r.json()["token"], r.json()["user"])


@pytest.mark.timeout(1800 if FULL else 600)
def test_devices_converge_after_random_offline_edits(fire_app, live, tmp_path):
    setup = Setup(fire_app, live.url, tmp_path)
    counter = iter(range(10**9))
    try:
        _property(lambda: Run(setup, next(counter)))
    finally:
        setup.web.close()

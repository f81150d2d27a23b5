"""Morning check-in peak: N simulated devices against gunicorn + PostgreSQL on loopback.

Each device logs in, pulls everything it may see, pushes 1–5 mutations (a young person's check-in
or absence notice, a mentor's attendance, agreement review and outreach) and pulls again. The
devices start spread over a short ramp (everyone opens the app around 9 o'clock) and the run is
bounded in time. Prints throughput, p50/p95/p99 per request kind and every error.

    python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/load.py --devices 200 --workers 3 --concurrency 50 --ramp 30 --max-seconds 180

With --database-url it makes its own database (trinvis_load_<pid>), migrates it, seeds one young
person per youth device (mentors look after 10 each), starts `python -m gunicorn -w <workers>` on
a free loopback port and drops everything afterwards. Passwords are hashed with argon2's
production defaults (the server would re-hash a cheap test hash at the first login and distort the
figures), so a login costs what it costs in production. Exit code 1 when any request failed.

It also prints where the CPU went: gunicorn's workers, PostgreSQL's backends for the bench
database, this client (it shares the cores) and the whole machine, and per request kind the
worker CPU the server reported in a Server-Timing header (TRINVIS_SERVER_TIMING=1, bench only).
`--logged-in` models an ordinary morning: the phones logged in at install and hold their tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-1234"


def _schema_version() -> int:
    from shared import SCHEMA_VERSION as v

    return v


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`python -m gunicorn -w N 'backend:create_app()'` on a free loopback port."""

    def __init__(
        self, database_url: str, workers: int = 3, log_path: str | None = None, env: dict[str, str] | None = None
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Production settings, but the load's many logins must not be throttled, and its staff have
        # no authenticator app (two-factor login is tested in tests/e2e/test_accounts_e2e.py).
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TRINVIS_LOGIN_RATE_LIMIT": "1000000 per minute",
            "TRINVIS_LOGIN_ACCOUNT_RATE_LIMIT": "1000000 per minute",
            "TRINVIS_REQUIRE_2FA": "0",
            "SECRET_KEY": "load-test",
            "TRINVIS_FIELD_KEYS": Fernet.generate_key().decode(),  # production requires it
            "PYTHONPATH": str(ROOT),
            "TRINVIS_SERVER_TIMING": "1",
            **(env or {}),
        }
        self.log = open(log_path or os.devnull, "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--preload",
                "backend:create_app()",
            ],
            cwd=str(ROOT),
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.time() > deadline:
                self.stop()
                raise RuntimeError("gunicorn did not answer /api/v1/health within 30 s")
            time.sleep(0.2)
        for _ in range(10 * workers):  # every worker up before the clock starts
            requests.get(f"{self.url}/api/v1/health", timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


# ---- seeding ------------------------------------------------------------------------------------


def seed(app, n_youth: int, n_mentors: int) -> dict:
    """Organisation, mentors, young people (each with a plan, a daily activity, an agreement)."""
    from backend.admin import create_organization, create_user, system_write
    from backend.extensions import db
    from backend.models import Youth

    with app.app_context():
        org = create_organization("Jobcenter", "jobcenter")
        mentors = [
            create_user(f"load.mentor{i}", PASSWORD, "mentor", "Jobcenter", f"Mentor {i}").id for i in range(n_mentors)
        ]
        coord = create_user("load.coordinator", PASSWORD, "coordinator", "Jobcenter", "Koordinator").id
        youths = []
        today = date.today()
        for i in range(n_youth):
            u = create_user(f"load.youth{i}", PASSWORD, "youth", None, f"Ung {i}")
            y = db.session.query(Youth).filter_by(user_id=u.id).one()
            youths.append((f"load.youth{i}", y.id, y.version))
        muts = []
        for i, (_name, yid, version) in enumerate(youths):
            mentor = mentors[i % n_mentors] if n_mentors else None
            # consent to the job centre first: only staff of a consented organisation may be assigned
            cid = str(uuid.uuid4())
            muts.append(
                {
                    "entity": "consent",
                    "id": cid,
                    "base_version": None,
                    "data": {"id": cid, "youth_id": yid, "organization_id": org.id, "status": "given"},
                }
            )
            muts.append(
                {
                    "entity": "youth",
                    "id": yid,
                    "base_version": version,
                    "data": {"id": yid, "youth_id": yid, "mentor_id": mentor, "coordinator_id": coord},
                }
            )
        system_write(muts)
        muts = []
        for _name, yid, _v in youths:
            pid, aid, ag = (str(uuid.uuid4()) for _ in range(3))
            muts += [
                {
                    "entity": "plan",
                    "id": pid,
                    "data": {
                        "id": pid,
                        "youth_id": yid,
                        "end_goal": "Uddannelse",
                        "end_goal_kind": "education",
                        "start_date": (today - timedelta(days=30)).isoformat(),
                    },
                },
                {
                    "entity": "activity",
                    "id": aid,
                    "data": {
                        "id": aid,
                        "youth_id": yid,
                        "organization_id": org.id,
                        "title": "Værksted",
                        "weekdays": [0, 1, 2, 3, 4, 5, 6],
                        "start_time": "09:00",
                        "end_time": "15:00",
                        "start_date": (today - timedelta(days=30)).isoformat(),
                        "visibility": "shared",
                    },
                },
                {
                    "entity": "agreement",
                    "id": ag,
                    "data": {
                        "id": ag,
                        "youth_id": yid,
                        "organization_id": org.id,
                        "text": "Mød op kl. 9",
                        "responsible": "youth",
                        "due_date": today.isoformat(),
                    },
                },
            ]
            if len(muts) >= 450:
                system_write(muts)
                muts = []
        if muts:
            system_write(muts)
        db.session.remove()
    return {"youths": [y[0] for y in youths], "mentors": [f"load.mentor{i}" for i in range(n_mentors)]}


def make_database(base_url: str, n_youth: int, n_mentors: int) -> tuple[str, dict]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from backend import create_app

    url = make_url(
        base_url.replace("postgresql://", "postgresql+psycopg://", 1)
        if base_url.startswith("postgresql://")
        else base_url
    )
    name = f"trinvis_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(
        url.set(database="postgres").render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    db_url = url.set(database=name).render_as_string(hide_password=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "TESTING": True})
    with app.app_context():
        from backend.cli import upgrade_schema

        upgrade_schema()
    users = seed(app, n_youth, n_mentors)
    with app.app_context():
        from backend.extensions import db

        db.engine.dispose()
    return db_url, users


def drop_database(db_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    admin = create_engine(
        url.set(database="postgres").render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


# ---- the devices -------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.mutations = 0
        self.server_cpu: dict[str, list[float]] = {}  # ms of worker CPU per request (Server-Timing)

    def timed(self, kind: str, fn):
        t = time.perf_counter()
        resp = None
        try:
            resp = fn()
            return resp
        finally:
            with self.lock:
                self.times.setdefault(kind, []).append(time.perf_counter() - t)
                cpu = _server_cpu_ms(resp)
                if cpu is not None:
                    self.server_cpu.setdefault(kind, []).append(cpu)

    def error(self, msg: str) -> None:
        with self.lock:
            self.errors.append(msg)


def _server_cpu_ms(resp) -> float | None:
    """The worker CPU of one request, from the Server-Timing header the server sends in this bench."""
    header = resp.headers.get("Server-Timing", "") if resp is not None else ""
    for part in header.split(";"):
        if part.startswith("dur="):
            try:
                return float(part[4:])
            except ValueError:
                return None
    return None


def login(base: str, username: str, stats: Stats) -> dict | None:
    """Log a device in; its token and user, or None (the error is counted)."""
    with requests.Session() as s:
        r = stats.timed(
            "login",
            lambda: s.post(
                f"{base}/api/v1/auth/login",
                timeout=30,
                json={"username": username, "password": PASSWORD, "device_name": f"load-{username}"},
            ),
        )
    if r.status_code != 200:
        stats.error(f"{username} login {r.status_code} {r.text[:200]}")
        return None
    return r.json()


def device(
    base: str, username: str, role: str, stats: Stats, rng: random.Random, deadline: float, session: dict | None = None
) -> None:
    """One phone's morning: log in (unless it already holds a token), pull, push, pull."""
    s = requests.Session()
    try:
        body = session or login(base, username, stats)
        if body is None:
            return
        s.headers["Authorization"] = f"Bearer {body['token']}"
        user = body["user"]
        records, cursor = pull_all(s, base, stats, username, None)
        if records is None or time.time() > deadline:
            return
        muts = mutations_for(role, user, records, rng)
        r = stats.timed(
            "push",
            lambda: s.post(
                f"{base}/api/v1/sync/push",
                timeout=30,
                json={"device_id": f"load-{username}", "schema_version": _schema_version(), "mutations": muts},
            ),
        )
        if r.status_code != 200:
            return stats.error(f"{username} push {r.status_code} {r.text[:200]}")
        bad = [x for x in r.json()["results"] if x["status"] not in ("applied", "merged", "duplicate")]
        if bad:
            stats.error(f"{username} push rejected: {bad[0]['error']}")
        with stats.lock:
            stats.mutations += len(muts)
        pull_all(s, base, stats, username, cursor)
    except requests.RequestException as e:
        stats.error(f"{username}: {e!r}")
    finally:
        s.close()


def pull_all(s, base, stats: Stats, username: str, cursor):
    records: dict[tuple[str, str], dict] = {}
    while True:
        params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        r = stats.timed("pull", lambda params=params: s.get(f"{base}/api/v1/sync/pull", params=params, timeout=30))
        if r.status_code != 200:
            stats.error(f"{username} pull {r.status_code} {r.text[:200]}")
            return None, cursor
        page = r.json()
        for ch in page["changes"]:
            if not ch["deleted"]:
                records[(ch["entity"], ch["id"])] = ch
        cursor = page["cursor"]
        if not page["has_more"]:
            return records, cursor


def mutations_for(role: str, user: dict, records: dict, rng: random.Random) -> list[dict]:
    from shared.clock import LOCAL_TZ

    now = datetime.now(UTC)
    acts = [r["data"] for (e, _), r in records.items() if e == "activity"]
    ags = [r for (e, _), r in records.items() if e == "agreement"]
    out = []

    def m(entity, rid, data, base=None):
        out.append(
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": entity,
                "id": rid,
                "op": "upsert",
                "base_version": base,
                "data": {"id": rid, **data},
            }
        )

    for _ in range(rng.randint(1, 5)):
        act = rng.choice(acts)
        # Staff record up to a week back; the young person checks in or calls in sick for today only
        # (the server's rule, in Copenhagen's date).
        today = now.astimezone(LOCAL_TZ).date()
        back = 0 if role == "youth" else rng.randint(0, 6)
        day = (today - timedelta(days=back)).isoformat()
        key = {"youth_id": act["youth_id"], "activity_id": act["id"], "date": day}
        if role == "youth":
            if rng.random() < 0.8:
                m("attendance", str(uuid.uuid4()), {**key, "self_checked_in_at": now.isoformat()})
            else:
                m("attendance", str(uuid.uuid4()), {**key, "status": "absent_notified", "absence_reason": "Syg"})
        else:
            kind = rng.choice(["attendance", "attendance", "review", "outreach"])
            if kind == "attendance":
                m("attendance", str(uuid.uuid4()), {**key, "status": rng.choice(["present", "late"])})
            elif kind == "review" and ags:
                ag = rng.choice(ags)
                m(
                    "agreement",
                    ag["id"],
                    {
                        "youth_id": ag["data"]["youth_id"],
                        "review_note": "Gennemgået",
                        "status": rng.choice(["kept", "not_kept", "open"]),
                    },
                    ag["version"],
                )
            else:
                m(
                    "outreach",
                    str(uuid.uuid4()),
                    {
                        "youth_id": act["youth_id"],
                        "organization_id": user["organization_id"],
                        "method": "call",
                        "reached": True,
                        "note": "",
                        "contacted_at": now.isoformat(),
                    },
                )
    return out


def run(
    base: str,
    users: dict,
    devices: int,
    concurrency: int,
    ramp: float,
    max_seconds: float,
    seed_: int = 1,
    logged_in: bool = False,
    server=None,
    db_url: str | None = None,
) -> dict:
    """Start `devices` devices over `ramp` seconds; returns the figures (and prints them).

    `logged_in`: the devices hold their tokens already (they logged in once, at install), so the
    morning is pull, push, pull; the logins happen before the clock starts and are not counted.
    """
    rng = random.Random(seed_)
    n_mentor_devices = min(len(users["mentors"]), max(1, devices // 10)) if users["mentors"] else 0
    plan = [(u, "mentor") for u in users["mentors"][:n_mentor_devices]]
    plan += [(u, "youth") for u in users["youths"][: devices - len(plan)]]
    rng.shuffle(plan)
    sessions: dict[str, dict | None] = {}
    if logged_in:
        sessions = issued_tokens(db_url, [u for u, _ in plan]) if db_url else {}
        if not sessions:  # no database at hand: log in through the API before the clock starts
            warm = Stats()
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                bodies = pool.map(lambda p: login(base, p[0], warm), plan)
                for (username, _role), body in zip(plan, bodies, strict=True):
                    sessions[username] = body
    stats = Stats()
    cpu = CpuMeter(server, _db_name(db_url))
    start = time.time()
    deadline = start + max_seconds
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = []
        for i, (username, role) in enumerate(plan):
            at = start + ramp * i / max(1, len(plan))
            futures.append(
                pool.submit(
                    _delayed,
                    at,
                    deadline,
                    device,
                    base,
                    username,
                    role,
                    stats,
                    random.Random(rng.random()),
                    deadline,
                    sessions.get(username),
                )
            )
        for f in futures:
            f.result()
    elapsed = time.time() - start
    figures = report(stats, len(plan), elapsed)
    figures["cpu"] = cpu.report(sum(len(v) for v in stats.times.values()), elapsed, stats)
    return figures


def _db_name(db_url: str | None) -> str | None:
    from sqlalchemy.engine import make_url

    return make_url(db_url).database if db_url else None


def issued_tokens(db_url: str, usernames: list[str]) -> dict[str, dict]:
    """Tokens as the phones got them at install (a login each, long before the morning), issued
    directly in the database: a thousand argon2 logins would take minutes of this machine's CPU."""
    from backend import create_app
    from backend.api import user_json
    from backend.auth import issue_token
    from backend.extensions import db
    from backend.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "TESTING": True})
    out = {}
    with app.app_context():
        for user in db.session.query(User).filter(User.username.in_(usernames)):
            out[user.username] = {"token": issue_token(user, f"load-{user.username}"), "user": user_json(user)}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return out


class CpuMeter:
    """Where the CPU went during the run: gunicorn's workers, PostgreSQL's backends for the bench
    database, this load client, and the whole machine (all from /proc; Linux only)."""

    def __init__(self, server, db_name: str | None):
        self.server, self.db_name = server, db_name
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.t0 = self.snapshot()

    @staticmethod
    def _proc_cpu(pid: int) -> tuple[float, float]:
        """(own utime+stime, waited-for children's) in ticks."""
        try:
            with open(f"/proc/{pid}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
            return int(f[11]) + int(f[12]), int(f[13]) + int(f[14])
        except (OSError, IndexError, ValueError):
            return 0, 0

    def _children(self, pid: int) -> list[int]:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as fh:
                return [int(x) for x in fh.read().split()]
        except OSError:
            return []

    def _postgres_pids(self) -> list[int]:
        out = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/cmdline", "rb") as fh:
                        title = fh.read().decode(errors="replace")
                except OSError:
                    continue
                if title.startswith("postgres:") and self.db_name and f" {self.db_name} " in title:
                    out.append(int(d))
        return out

    def snapshot(self) -> dict:
        snap = {"client": time.process_time(), "server": {}, "postgres": {}}
        if self.server is not None:
            own, reaped = self._proc_cpu(self.server.proc.pid)
            snap["server"] = {pid: self._proc_cpu(pid)[0] for pid in self._children(self.server.proc.pid)}
            snap["server"]["master"] = own + reaped
        snap["postgres"] = {pid: self._proc_cpu(pid)[0] for pid in self._postgres_pids()}
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
        snap["machine_busy"], snap["machine_total"] = sum(f) - f[3] - f[4], sum(f)
        return snap

    def report(self, requests_: int, elapsed: float, stats: Stats) -> dict:
        t1 = self.snapshot()

        def delta(kind):  # processes that started during the run count from zero
            return sum(v - self.t0[kind].get(k, 0) for k, v in t1[kind].items()) / self.tick

        server, pg = delta("server"), delta("postgres")
        client = t1["client"] - self.t0["client"]
        busy = (t1["machine_busy"] - self.t0["machine_busy"]) / max(1, t1["machine_total"] - self.t0["machine_total"])
        n = max(1, requests_)
        cores = os.cpu_count() or 1
        out = {
            "server_cpu_s": round(server, 2),
            "postgres_cpu_s": round(pg, 2),
            "client_cpu_s": round(client, 2),
            "machine_busy": round(busy, 3),
            "server_ms_per_request": round(server / n * 1000, 2),
            "postgres_ms_per_request": round(pg / n * 1000, 2),
            "client_ms_per_request": round(client / n * 1000, 2),
            "by_kind_server_ms": {k: round(statistics.mean(v), 2) for k, v in sorted(stats.server_cpu.items())},
        }
        print(f"CPU during the run ({cores} cores, {elapsed:.0f} s, machine {busy * 100:.0f} % busy):")
        print(f"  gunicorn workers {server:6.1f} s = {out['server_ms_per_request']:6.2f} ms per request")
        print(
            f"  PostgreSQL       {pg:6.1f} s = {out['postgres_ms_per_request']:6.2f} ms per request "
            "(backends alive at the end)"
        )
        print(f"  load client      {client:6.1f} s = {out['client_ms_per_request']:6.2f} ms per request (same cores)")
        measured = sum(sum(v) for v in stats.server_cpu.values()) or 1.0
        for kind, v in sorted(stats.server_cpu.items()):
            print(
                f"  {kind:8} worker CPU per request: mean {statistics.mean(v):7.2f} ms, "
                f"p95 {_pct([x / 1000 for x in v], 95):7.2f} ms (n={len(v)}, Server-Timing); "
                f"{sum(v) / measured * 100:4.0f} % of the workers' request CPU"
            )
        capacity = cores / ((server + pg + client) / n) if server + pg + client else 0
        print(
            f"  at this cost the {cores} cores serve at most ~{capacity:.0f} requests/s with the client on them, "
            f"~{cores / max(1e-9, (server + pg) / n):.0f} without"
        )
        return out


def _delayed(at: float, deadline: float, fn, *args):
    if time.time() < at:
        time.sleep(at - time.time())
    if time.time() < deadline:
        fn(*args)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k] * 1000


def report(stats: Stats, devices: int, elapsed: float) -> dict:
    all_times = [t for ts in stats.times.values() for t in ts]
    figures = {
        "devices": devices,
        "seconds": round(elapsed, 2),
        "requests": len(all_times),
        "throughput_rps": round(len(all_times) / elapsed, 1) if elapsed else 0.0,
        "mutations": stats.mutations,
        "errors": len(stats.errors),
        "p50_ms": round(_pct(all_times, 50), 1),
        "p95_ms": round(_pct(all_times, 95), 1),
        "p99_ms": round(_pct(all_times, 99), 1),
        "by_kind": {
            k: {
                "n": len(v),
                "p50_ms": round(_pct(v, 50), 1),
                "p95_ms": round(_pct(v, 95), 1),
                "p99_ms": round(_pct(v, 99), 1),
                "mean_ms": round(statistics.mean(v) * 1000, 1),
            }
            for k, v in sorted(stats.times.items())
        },
        "error_samples": stats.errors[:10],
    }
    print(
        f"devices {devices}, {figures['requests']} requests in {figures['seconds']} s "
        f"= {figures['throughput_rps']} req/s, {stats.mutations} mutations, errors {len(stats.errors)}"
    )
    print(f"all      p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  p99 {figures['p99_ms']:7.1f} ms")
    for k, v in figures["by_kind"].items():
        print(f"{k:8} p50 {v['p50_ms']:7.1f} ms  p95 {v['p95_ms']:7.1f} ms  p99 {v['p99_ms']:7.1f} ms  (n={v['n']})")
    for e in stats.errors[:10]:
        print("ERROR", e)
    return figures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--database-url", default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=50, help="devices talking at the same moment")
    ap.add_argument("--ramp", type=float, default=30.0, help="seconds over which the devices start")
    ap.add_argument("--max-seconds", type=float, default=180.0)
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument(
        "--logged-in",
        action="store_true",
        help="devices already hold tokens (logged in at install): the morning is pull, push, pull",
    )
    args = ap.parse_args(argv)
    n_mentors = max(1, args.devices // 10)
    db_url, users = make_database(args.database_url, args.devices, n_mentors)
    server = Gunicorn(db_url, args.workers)
    try:
        figures = run(
            server.url,
            users,
            args.devices,
            args.concurrency,
            args.ramp,
            args.max_seconds,
            logged_in=args.logged_in,
            server=server,
            db_url=db_url,
        )
    finally:
        server.stop()
        drop_database(db_url)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

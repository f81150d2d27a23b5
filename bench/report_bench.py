"""Time to compute the results page for a Viborg-sized municipality: 1,500 young people × 2 years.

    python bench/report_bench.py [--youth 1500] [--url postgresql://postgres@127.0.0.1:5432/trinvis_bench]

Builds a fresh database (dropped and re-created; PostgreSQL by default, target < 1 s there),
fills it with synthetic history by bulk insert — the bench measures reading, so the data is
written straight to the tables, with the access grants the sync engine would have made — and
prints the time of `compute_results` and of a full GET /results (figures, charts, HTML) as the
coordinator of every young person, best of five runs each.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

NS = uuid.UUID("6a1d3e0c-2b8f-4a57-9c11-0d4e5f6a7b8c")


def sid(*parts) -> str:
    return str(uuid.uuid5(NS, ":".join(map(str, parts))))


def fresh_database(url: str) -> str:
    u = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url)
    if u.get_backend_name() == "sqlite":
        if u.database and os.path.exists(u.database):
            os.remove(u.database)
        return u.render_as_string(hide_password=False)
    admin = create_engine(
        u.set(database="postgres").render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()
    return u.render_as_string(hide_password=False)


def fill(n_youth: int, today: date) -> dict:
    from backend.admin import create_organization, create_user
    from backend.extensions import db
    from backend.models import AccessGrant, Activity, Agreement, Assessment, Attendance, Plan, Youth
    from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
    from backend.programmes.seed import _catalogue
    from shared.dimensions import DIMENSIONS
    from shared.schedule import assessment_due_dates

    rng = random.Random(1500)
    org = create_organization("Jobcenter", "jobcenter").id
    coord = create_user("bench.koordinator", "bench-pass-1", "coordinator", "Jobcenter", "Koordinator").id
    _catalogue()
    programmes = [p.id for p in db.session.query(Programme).all()]
    now = datetime.now(UTC)
    common = {"version": 1, "deleted": False, "field_versions": {}, "created_at": now, "updated_at": now}
    rows: dict = {k: [] for k in ("youth", "grant", "plan", "enr", "out", "tg", "act", "att", "agr", "asm")}
    span = 730
    keys = list(DIMENSIONS.keys)
    for i in range(n_youth):
        yid = sid("youth", i)
        start = today - timedelta(days=rng.randint(30, span))
        rows["youth"].append(
            {
                **common,
                "id": yid,
                "youth_id": yid,
                "display_name": f"Ung {i}",
                "coordinator_id": coord,
                "outcome": "active",
            }
        )
        rows["grant"].append(
            {
                "youth_id": yid,
                "subject_kind": "user",
                "subject_id": coord,
                "reason": "coordinator",
                "active": True,
                "seq": i + 1,
            }
        )
        rows["plan"].append(
            {
                **common,
                "id": sid("plan", i),
                "youth_id": yid,
                "end_goal": "Uddannelse",
                "end_goal_kind": "education",
                "start_date": start,
            }
        )
        rows["tg"].append(
            {
                "id": sid("tg", i),
                "youth_id": yid,
                "target_group": rng.choice(("job_ready", "education_ready", "activity_ready")),
                "valid_from": start,
                "note": "",
                "recorded_at": now,
            }
        )
        leave = start + timedelta(days=rng.randint(60, 400))
        end = min(leave, today)
        if leave < today:
            rows["out"].append(
                {
                    "id": sid("out", i),
                    "youth_id": yid,
                    "outcome": rng.choice(
                        ("education", "job", "self_supporting_other", "target_group_change", "flexjob", "moved_other")
                    ),
                    "valid_from": leave,
                    "note": "",
                    "recorded_at": now,
                }
            )
        for n in range(1 + (i % 3 == 0)):
            es = start + timedelta(days=7 + 120 * n)
            if es >= today:
                continue
            rows["enr"].append(
                {
                    "id": sid("enr", i, n),
                    "youth_id": yid,
                    "programme_id": programmes[(i + n) % len(programmes)],
                    "start_date": es,
                    "planned_end_date": es + timedelta(weeks=16),
                    "note": "",
                    "activity_ids": [],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        aid = sid("act", i)
        rows["act"].append(
            {
                **common,
                "id": aid,
                "youth_id": yid,
                "organization_id": org,
                "title": "Forløb",
                "weekdays": [0, 2, 4],
                "start_time": "09:00",
                "end_time": "12:00",
                "start_date": start,
                "end_date": end,
                "location": "",
                "visibility": "shared",
            }
        )
        d = start
        while d < end:
            if d.weekday() in (0, 2, 4):
                r = rng.random()
                rows["att"].append(
                    {
                        **common,
                        "id": sid("att", i, d),
                        "youth_id": yid,
                        "activity_id": aid,
                        "date": d,
                        "status": "present" if r < 0.75 else "late" if r < 0.8 else "absent_unnotified",
                        "absence_reason": "",
                        "note": "",
                        "organization_id": org,
                        "visibility": "shared",
                    }
                )
            if d.weekday() == 1:
                rows["agr"].append(
                    {
                        **common,
                        "id": sid("agr", i, d),
                        "youth_id": yid,
                        "organization_id": org,
                        "text": "Aftale",
                        "responsible": "youth",
                        "due_date": d,
                        "status": "kept" if rng.random() < 0.7 else "not_kept",
                        "review_note": "",
                        "youth_comment": "",
                    }
                )
            d += timedelta(days=1)
        for n, due in enumerate(assessment_due_dates(start, end)):
            for role in ("youth", "staff"):
                ks = keys if role == "staff" else [k for k in keys if not DIMENSIONS.get(k).staff_only]
                rows["asm"].append(
                    {
                        **common,
                        "id": sid("asm", i, n, role),
                        "youth_id": yid,
                        "due_date": due,
                        "rater_role": role,
                        "scores": {k: min(10, 3 + n // 2 + rng.randint(0, 2)) for k in ks},
                        "comment": "",
                        "organization_id": org,
                        "submitted_at": datetime.combine(
                            due + timedelta(days=rng.randint(0, 25)), datetime.min.time(), UTC
                        ),
                    }
                )
    for key, model in (
        ("youth", Youth),
        ("grant", AccessGrant),
        ("plan", Plan),
        ("tg", TargetGroupChange),
        ("out", OutcomeChange),
        ("enr", Enrolment),
        ("act", Activity),
        ("att", Attendance),
        ("agr", Agreement),
        ("asm", Assessment),
    ):
        batch = rows[key]
        for j in range(0, len(batch), 5000):
            db.session.execute(insert(model), batch[j : j + 5000])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does on a live database after a bulk load: fresh planner statistics.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
    return {"coordinator_id": coord, **{k: len(v) for k, v in rows.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--youth", type=int, default=1500)
    ap.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/trinvis_bench")
    )
    args = ap.parse_args()
    url = fresh_database(args.url)
    from backend import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    today = date.today()
    with app.app_context():
        from backend.cli import upgrade_schema

        upgrade_schema()
        t0 = time.perf_counter()
        counts = fill(args.youth, today)
        print(f"data: {counts} (built in {time.perf_counter() - t0:.1f} s) on {make_url(url).get_backend_name()}")
        from backend.extensions import db
        from backend.models import User
        from backend.programmes.queries import compute_results, parse_filters

        user = db.session.get(User, counts["coordinator_id"])
        first = (today.replace(day=1) - timedelta(days=700)).strftime("%Y-%m")
        filters = parse_filters({"from": first}, today)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            res = compute_results(user, filters, today)
            times.append(time.perf_counter() - t)
        print(
            f"compute_results, {len(filters['months'])} months, {res['youth_count']} young people: "
            f"best {min(times) * 1000:.0f} ms, median {sorted(times)[2] * 1000:.0f} ms"
        )
    client = app.test_client()
    from tests.backend.world import web_login  # a real server-side web session, as a login makes

    web_login(client, counts["coordinator_id"])
    times = []
    for _ in range(5):
        t = time.perf_counter()
        r = client.get(f"/results?from={first}")
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    print(
        f"GET /results (figures + charts + HTML): best {min(times) * 1000:.0f} ms, "
        f"median {sorted(times)[2] * 1000:.0f} ms; target < 1000 ms on PostgreSQL"
    )


if __name__ == "__main__":
    main()

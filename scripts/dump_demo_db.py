"""Seed the demo into a fresh SQLite database and dump every table's rows, sorted, to a file.

    python scripts/dump_demo_db.py OUT.txt [--today YYYY-MM-DD]

For proving a refactoring of the seed (or of the write path under it) changes no data: dump
before and after, then `cmp` the two files. Nothing is left out — ids, hashes, timestamps — so the
run is made deterministic first: `os.urandom` (salts, uuid4, tokens) comes from a seeded
generator, and `datetime.now()` returns a fixed instant that moves one microsecond per call.
The seed runs twice (the second run must change nothing), and both summaries head the file.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import sys
import tempfile
from pathlib import Path

_rng = random.Random(12345)
os.urandom = lambda n: bytes(_rng.getrandbits(8) for _ in range(n))
random._urandom = os.urandom  # SystemRandom (secrets) reads it from here

_BASE = _dt.datetime(2026, 12, 1, 9, 30, tzinfo=_dt.UTC)
_ticks = [0]


class _FrozenDateTime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        _ticks[0] += 1
        instant = _BASE + _dt.timedelta(microseconds=_ticks[0])
        return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)


_dt.datetime = _FrozenDateTime  # before anything imports `from datetime import datetime`

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import inspect, text  # noqa: E402

from backend import create_app  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--today", default="2026-12-01", help="the demo's pinned today (TRINVIS_TODAY)")
    args = ap.parse_args()
    path = Path(tempfile.mkdtemp()) / "demo.sqlite"
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True, "SECRET_KEY": "dump"}
    app = create_app({**config, "TRINVIS_TODAY": args.today})
    with app.app_context():
        from backend.cli import upgrade_schema
        from backend.extensions import db
        from backend.seed import seed_demo

        upgrade_schema()
        lines = [seed_demo(), seed_demo()]
        with db.engine.connect() as c:
            for table in sorted(inspect(c).get_table_names()):
                rows = sorted(repr(tuple(r)) for r in c.execute(text(f'SELECT * FROM "{table}"')))
                lines += [f"== {table} {len(rows)}", *rows]
        db.engine.dispose()
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.unlink()
    print(f"{args.out}: {len(lines)} lines")


if __name__ == "__main__":
    main()

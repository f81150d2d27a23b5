"""Morning reminders to the young person by SMS (issue 13): planning, the outbox, pluggable senders.

`service.run(now)` is what `flask --app backend send-reminders` (cron/systemd) and the demo seed
call: it plans today's reminders (one per young person and day, a unique key) and hands the due
ones to the configured sender. The outbox table is the record of every message and its fate.
"""

from __future__ import annotations

from flask import Flask


def register_reminders(app: Flask) -> None:
    """The staff's SMS outbox page and the `send-reminders` command."""
    from backend.reminders.cli import send_reminders_cmd
    from backend.reminders.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(send_reminders_cmd)

    from backend.reminders.demo import seed_reach_demo
    from backend.seed import EXTRA_SEEDERS

    if seed_reach_demo not in EXTRA_SEEDERS:
        EXTRA_SEEDERS.append(seed_reach_demo)

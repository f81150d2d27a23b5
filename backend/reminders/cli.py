"""`flask --app backend send-reminders`: run it every few minutes from cron or a systemd timer."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app


def _instant(ctx, param, value):
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("skriv tidspunktet i ISO 8601, fx 2026-03-30T06:00:00+00:00") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@click.command("send-reminders")
@click.option(
    "--at",
    "at",
    default=None,
    callback=_instant,
    help="act as if it were this instant (ISO 8601; for tests and trying it out). Default: now",
)
def send_reminders_cmd(at):
    """Plan today's morning reminders and send the due ones (idempotent: safe to run often).

    Uses the SMS gateway in TRINVIS_SMS_GATEWAY_URL when set, else only records them in the outbox.
    Exits 1 when a message failed (it is retried on the next run), so the scheduler shows it.
    """
    from backend.reminders.senders import sender_from_config
    from backend.reminders.service import run

    result = run(at, sender=sender_from_config(current_app.config))
    click.echo(result.summary())
    if result.failed:
        for err in sorted(set(result.errors)):
            click.echo(f"Fejl: {err}", err=True)
        raise SystemExit(1)

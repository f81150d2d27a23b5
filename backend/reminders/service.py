"""Planning and sending the morning reminders (one SMS per young person and day with an activity).

Rules (pure ones live in shared/contact.py): a reminder is planned for a young person who has a
mobile number, has not turned reminders off, is in an active case and has an activity today. It
is due at the time they chose (default: an hour before the first activity, never in the night)
and expires when the first activity has started plus the check-in grace. The unique `key`
(young person + day) makes planning idempotent; claiming a row (pending/failed → sending in one
UPDATE) makes two runs at once send it once; a failed send stays in the outbox and the next run
retries it with the same key until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from backend.clock import LOCAL_TZ, local_now, utcnow
from backend.extensions import db
from backend.models import Activity, SmsMessage, Youth
from backend.reminders.senders import OutboxSender, Sender, SendError
from shared.contact import first_start, in_quiet_hours, reminder_at
from shared.schedule import CHECK_IN_GRACE_MINUTES, occurs_on

STALE_CLAIM = timedelta(minutes=10)
"""A row left 'sending' this long (the run died mid-send) is tried again, with the same key."""

REMINDER_TEXT = (
    "Godmorgen {first}. Husk: du skal noget i dag kl. {start}. Tjek ind i Trinvis-appen, "
    "når du er der - eller meld fra i appen, hvis du ikke kan."
)
"""Says when, never what or where: an SMS passes a provider and shows on a locked screen, and an
activity's title can be health information (treatment). Plain GSM characters: one SMS."""


@dataclass
class RunResult:
    planned: int = 0
    sent: int = 0
    failed: int = 0
    expired: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Påmindelser: {self.planned} planlagt, {self.sent} sendt, {self.failed} fejlede (prøves igen), "
            f"{self.expired} udløbet, {self.cancelled} annulleret."
        )


def reminder_key(youth_id: str, day: date) -> str:
    return f"reminder:{youth_id}:{day.isoformat()}"


def _utc(local_naive: datetime) -> datetime:
    return local_naive.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def todays_plans(day: date) -> list[dict]:
    """What to send on local `day`: for each young person who should get a reminder, its times and text."""
    youths = db.session.execute(
        select(Youth.id, Youth.display_name, Youth.phone, Youth.reminder_time).where(
            Youth.deleted.is_(False),
            Youth.outcome == "active",
            Youth.reminders_enabled.is_(True),
            Youth.phone.is_not(None),
        )
    ).all()
    if not youths:
        return []
    acts: dict[str, list[dict]] = {}
    for a in db.session.execute(
        select(Activity.youth_id, Activity.weekdays, Activity.start_date, Activity.end_date, Activity.start_time).where(
            Activity.deleted.is_(False), Activity.youth_id.in_([y.id for y in youths])
        )
    ):
        if occurs_on(list(a.weekdays or []), a.start_date, a.end_date, day):
            acts.setdefault(a.youth_id, []).append({"start_time": a.start_time})
    plans = []
    for y in youths:
        start = first_start(acts.get(y.id, []))
        if start is None:
            continue
        starts_at = datetime.combine(day, datetime.strptime(start, "%H:%M").time())
        plans.append(
            {
                "key": reminder_key(y.id, day),
                "youth_id": y.id,
                "to_phone": y.phone,
                "day": day,
                "due_at": _utc(reminder_at(day, start, y.reminder_time)),
                "expires_at": _utc(starts_at + timedelta(minutes=CHECK_IN_GRACE_MINUTES)),
                "body": REMINDER_TEXT.format(first=(y.display_name or "").split(" ")[0], start=start),
            }
        )
    return plans


def plan_day(day: date) -> int:
    """Add today's missing reminders to the outbox; returns how many were new (idempotent)."""
    plans = todays_plans(day)
    have = set(db.session.scalars(select(SmsMessage.key).where(SmsMessage.day == day)))
    new = 0
    for p in plans:
        if p["key"] in have:
            continue
        try:
            with db.session.begin_nested():  # another run may plan the same key at the same moment
                db.session.add(SmsMessage(kind="reminder", **p))
            new += 1
        except IntegrityError:
            pass
    db.session.commit()
    return new


def _claim(msg_id: str, seen_status: str, now: datetime) -> bool:
    """pending/failed/stale sending → sending, only if nobody else changed the row meanwhile."""
    cond = [SmsMessage.id == msg_id, SmsMessage.status == seen_status]
    if seen_status == "sending":
        cond.append(or_(SmsMessage.claimed_at.is_(None), SmsMessage.claimed_at <= now - STALE_CLAIM))
    res = db.session.execute(
        update(SmsMessage).where(*cond).values(status="sending", claimed_at=now, attempts=SmsMessage.attempts + 1)
    )
    db.session.commit()
    return res.rowcount == 1


def _still_wanted(msg: SmsMessage) -> bool:
    """The young person may have turned reminders off or left since it was planned."""
    y = db.session.get(Youth, msg.youth_id)
    return bool(y and not y.deleted and y.reminders_enabled and y.phone and (y.outcome or "active") == "active")


def deliver_due(now: datetime, sender: Sender, result: RunResult) -> None:
    """Expire what is too late, then send what is due (not in the quiet hours)."""
    result.expired += db.session.execute(
        update(SmsMessage)
        .where(SmsMessage.status.in_(("pending", "failed", "sending")), SmsMessage.expires_at <= now)
        .values(status="expired")
    ).rowcount
    db.session.commit()
    if in_quiet_hours(local_now(now)):
        return
    due = db.session.execute(
        select(SmsMessage.id, SmsMessage.status)
        .where(
            SmsMessage.due_at <= now,
            SmsMessage.expires_at > now,
            SmsMessage.status.in_(("pending", "failed", "sending")),
        )
        .order_by(SmsMessage.due_at)
    ).all()
    for msg_id, status in due:
        if not _claim(msg_id, status, now):
            continue
        msg = db.session.get(SmsMessage, msg_id)
        if not _still_wanted(msg):
            msg.status = "cancelled"
            result.cancelled += 1
        else:
            try:
                msg.provider_ref = sender.send(msg.to_phone, msg.body, msg.key)
                msg.status, msg.sent_at, msg.sender, msg.last_error = "sent", now, sender.name, ""
                result.sent += 1
            except SendError as e:
                msg.status, msg.last_error, msg.sender = "failed", str(e)[:1000], sender.name
                result.failed += 1
                result.errors.append(str(e))
        db.session.commit()


def run(now: datetime | None = None, sender: Sender | None = None) -> RunResult:
    """Plan today's reminders and send the due ones: what `send-reminders` does on each tick."""
    now = now or utcnow()  # real messages go out in real time, whatever day a demo pins
    result = RunResult()
    result.planned = plan_day(local_now(now).date())
    deliver_due(now, sender or OutboxSender(), result)
    return result

"""Issue 13, step 2: morning reminders — scheduling across DST, idempotency, opt-out, quiet hours,
the embedded outbox and an HTTP SMS gateway (a real local HTTP server started by the test)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from backend.admin import system_write
from backend.extensions import db
from backend.models import SmsMessage
from backend.reminders import service
from backend.reminders.senders import HttpGatewaySender, OutboxSender
from tests.backend.world import build_world, uid


def utc(*a) -> datetime:
    return datetime(*a, tzinfo=UTC)


@pytest.fixture
def w(app):
    """Mads (+45 31 23 45 67) has a 09:00 activity every day; Sara has one too but no number."""
    world = build_world(app)
    with app.app_context():
        system_write(
            [
                {
                    "entity": "youth",
                    "id": world.youths["mads"],
                    "data": {"id": world.youths["mads"], "youth_id": world.youths["mads"], "phone": "31234567"},
                }
            ]
        )
        for y in ("mads", "sara"):
            system_write(
                [
                    {
                        "entity": "activity",
                        "id": uid(),
                        "data": {
                            "youth_id": world.youths[y],
                            "organization_id": world.orgs["Jobcenter"],
                            "title": "Behandling",
                            "weekdays": [0, 1, 2, 3, 4, 5, 6],
                            "start_time": "09:00",
                            "end_time": "12:00",
                            "start_date": "2026-01-05",
                        },
                    }
                ]
            )
        db.session.remove()
    return world


def outbox(app) -> list[SmsMessage]:
    with app.app_context():
        rows = db.session.scalars(select(SmsMessage).order_by(SmsMessage.day)).all()
        for r in rows:
            db.session.expunge(r)
        db.session.remove()
        return rows


def run(app, now, sender=None):
    with app.app_context():
        result = service.run(now, sender or OutboxSender())
        db.session.remove()
        return result


def set_youth(app, yid, **fields):
    with app.app_context():
        system_write([{"entity": "youth", "id": yid, "data": {"id": yid, "youth_id": yid, **fields}}])
        db.session.remove()


@pytest.mark.parametrize(
    "day, before, at",
    [
        ((2026, 3, 27), utc(2026, 3, 27, 6, 59), utc(2026, 3, 27, 7, 0)),  # winter time: 08:00 = 07:00 UTC
        ((2026, 3, 29), utc(2026, 3, 29, 5, 59), utc(2026, 3, 29, 6, 0)),  # the night clocks go forward
        ((2026, 3, 30), utc(2026, 3, 30, 5, 59), utc(2026, 3, 30, 6, 0)),  # summer time: 08:00 = 06:00 UTC
        ((2026, 10, 25), utc(2026, 10, 25, 6, 59), utc(2026, 10, 25, 7, 0)),  # the night clocks go back
    ],
)
def test_reminder_is_due_an_hour_before_in_copenhagen_time_across_dst(app, w, day, before, at):
    r = run(app, before)
    assert (r.planned, r.sent) == (1, 0)
    [msg] = outbox(app)
    assert msg.due_at == at and msg.status == "pending" and msg.to_phone == "+4531234567"
    assert msg.body.startswith("Godmorgen Mads. Husk: du skal noget i dag kl. 09:00.")
    assert "Behandling" not in msg.body  # never what: an activity's title can be health information
    r = run(app, at)
    assert (r.planned, r.sent) == (0, 1)
    [msg] = outbox(app)
    assert msg.status == "sent" and msg.sent_at == at and msg.sender == "outbox" and msg.attempts == 1


def test_after_midnight_utc_is_already_tomorrow_in_copenhagen_but_quiet(app, w):
    r = run(app, utc(2026, 3, 29, 23, 30))  # 01:30 on Monday 30 March in Copenhagen
    assert (r.planned, r.sent) == (1, 0)
    [msg] = outbox(app)
    assert msg.day.isoformat() == "2026-03-30"


def test_running_twice_sends_nothing_twice(app, w):
    at = utc(2026, 3, 30, 6, 5)
    assert run(app, at).sent == 1
    again = run(app, at)
    assert (again.planned, again.sent) == (0, 0)
    assert len(outbox(app)) == 1


def test_two_runs_at_once_claim_a_message_once(app, w):
    run(app, utc(2026, 3, 30, 5, 0))
    [msg] = outbox(app)
    with app.app_context():
        now = utc(2026, 3, 30, 6, 5)
        assert service._claim(msg.id, "pending", now) is True
        assert service._claim(msg.id, "pending", now) is False
        assert service._claim(msg.id, "sending", now) is False  # fresh claim: not stale
        assert service._claim(msg.id, "sending", utc(2026, 3, 30, 6, 16)) is True  # the first run died


def test_chosen_time_and_quiet_hours(app, w):
    set_youth(app, w.youths["mads"], reminder_time="06:15")
    run(app, utc(2026, 3, 30, 3, 0))
    [msg] = outbox(app)
    assert msg.due_at == utc(2026, 3, 30, 5, 0)  # 07:00 local: nothing in the night
    set_youth(app, w.youths["mads"], reminder_time="07:40")
    run(app, utc(2026, 3, 31, 3, 0))
    assert outbox(app)[1].due_at == utc(2026, 3, 31, 5, 40)


def test_opt_out_means_nothing_is_planned_and_a_planned_one_is_cancelled(app, w):
    run(app, utc(2026, 3, 30, 5, 0))
    set_youth(app, w.youths["mads"], reminders_enabled=False)
    r = run(app, utc(2026, 3, 30, 6, 5))
    assert (r.sent, r.cancelled) == (0, 1)
    assert outbox(app)[0].status == "cancelled"
    assert run(app, utc(2026, 3, 31, 6, 5)).planned == 0


def test_a_finished_case_gets_no_reminder(app, w):
    set_youth(app, w.youths["mads"], outcome="education")
    assert run(app, utc(2026, 3, 30, 6, 5)).planned == 0


def test_too_late_is_expired_not_sent(app, w):
    r = run(app, utc(2026, 3, 30, 7, 16))  # 09:16: the activity started more than 15 minutes ago
    assert (r.planned, r.sent, r.expired) == (1, 0, 1)
    assert outbox(app)[0].status == "expired"


def test_no_activity_today_no_reminder(app, w):
    with app.app_context():
        assert service.todays_plans(datetime(2025, 12, 1).date()) == []  # before the activities start


# ---- the HTTP gateway against a local fake server -------------------------------------------


class FakeGateway:
    """A local SMS gateway: records each request; answers 500 while `failing`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.failing = False
        gw = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gw.requests.append(
                    {
                        "body": body,
                        "auth": self.headers.get("Authorization"),
                        "key": self.headers.get("Idempotency-Key"),
                    }
                )
                status, out = (500, b'{"error": "down"}') if gw.failing else (200, b'{"id": "gw-1"}')
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def gateway():
    gw = FakeGateway()
    yield gw
    gw.stop()


def test_gateway_failing_is_retried_later_never_lost_never_doubled(app, w, gateway):
    sender = HttpGatewaySender(gateway.url, "kommune", "hemmelig", timeout=5)
    gateway.failing = True
    r = run(app, utc(2026, 3, 30, 6, 0), sender)
    assert (r.sent, r.failed) == (0, 1) and "500" in r.errors[0]
    [msg] = outbox(app)
    assert msg.status == "failed" and "500" in msg.last_error and msg.attempts == 1
    gateway.failing = False
    r = run(app, utc(2026, 3, 30, 6, 5), sender)
    assert (r.sent, r.failed) == (1, 0)
    assert run(app, utc(2026, 3, 30, 6, 10), sender).sent == 0
    [msg] = outbox(app)
    assert (msg.status, msg.attempts, msg.provider_ref, msg.sender) == ("sent", 2, "gw-1", "http")
    assert len(gateway.requests) == 2  # one refused, one accepted: nothing after it was sent
    first, second = gateway.requests
    assert first["key"] == second["key"] == second["body"]["reference"] == msg.key  # the gateway can de-duplicate
    assert second["body"]["to"] == "+4531234567" and second["auth"].startswith("Basic ")


def test_gateway_unreachable_keeps_the_message(app, w, gateway):
    gateway.stop()
    sender = HttpGatewaySender(gateway.url, token="t", timeout=2)
    r = run(app, utc(2026, 3, 30, 6, 0), sender)
    assert r.failed == 1 and "forbindelse" in r.errors[0]
    assert outbox(app)[0].status == "failed"


def test_cli_uses_the_gateway_from_the_config_and_exits_1_on_failure(app, w, gateway):
    gateway.failing = True
    app.config["SMS_GATEWAY_URL"] = gateway.url

    def cli(at):
        with app.app_context():
            r = app.test_cli_runner().invoke(args=["send-reminders", "--at", at])
            db.session.remove()
        return r

    r = cli("2026-03-30T06:00:00+00:00")
    assert r.exit_code == 1 and "500" in r.output, r.output
    gateway.failing = False
    r = cli("2026-03-30T06:05:00+00:00")
    assert r.exit_code == 0 and "1 sendt" in r.output, r.output
    r = cli("2026-03-30T06:10:00+00:00")
    assert r.exit_code == 0 and "0 planlagt, 0 sendt" in r.output, r.output
    assert len(gateway.requests) == 2
    r = cli("i morgen")
    assert r.exit_code == 2 and "ISO 8601" in r.output


# ---- the staff's outbox page ------------------------------------------------------------------


def test_outbox_page_shows_the_days_messages_to_mentor_and_coordinator_only(app, w):
    from tests.backend.test_web_pages import Browser

    run(app, utc(2026, 3, 30, 6, 5))
    for who in ("lise", "ahmed"):
        page = Browser(app, who).get("/sms?day=2026-03-30")
        assert page.status_code == 200
        assert "Godmorgen Mads" in page.text and "+45 31 23 45 67" in page.text and "Sendt" in page.text
    assert "Ingen beskeder" in Browser(app, "lise").get("/sms?day=2026-03-31").text
    assert "Ugyldig dato" in Browser(app, "lise").get("/sms?day=igår").text
    assert Browser(app, "karen").get("/sms?day=2026-03-30").status_code == 403
    assert Browser(app, "ole").get("/sms?day=2026-03-30").text.count("Godmorgen") == 0  # not his young people


# ---- the demo ---------------------------------------------------------------------------------


def test_demo_outbox_has_this_mornings_reminder_for_each_young_person_with_an_activity(app):
    from datetime import timedelta

    from backend import seed
    from backend.reminders.demo import seed_reach_demo

    with app.app_context():
        seed.seed_demo()
        now = datetime.now(UTC)
        today = service.local_now(now).date()
        expected = {p["key"]: p for p in service.todays_plans(today)}
        rows = db.session.scalars(select(SmsMessage).where(SmsMessage.day == today)).all()
        assert {r.key for r in rows} == set(expected)
        for r in rows:
            assert r.status in (("sent",) if r.due_at <= now < r.expires_at else ("sent", "pending", "expired"))
            assert r.sender in ("outbox", "")
        # A Monday at 09:00: both demo young people have an activity, the reminders before 09:00 went out.
        monday = today + timedelta(days=7 - today.weekday())
        at = datetime(monday.year, monday.month, monday.day, 9, 0, tzinfo=service.LOCAL_TZ).astimezone(UTC)
        assert "2 påmindelser" in seed_reach_demo(at)
        rows = db.session.scalars(select(SmsMessage).where(SmsMessage.day == monday)).all()
        assert len(rows) == 2 and {r.to_phone for r in rows} == {"+4531123456", "+4540123456"}
        assert all((r.status == "sent") == (r.due_at <= at) for r in rows)
        assert seed_reach_demo(at) is None  # idempotent: nothing new, nothing sent twice
        assert len(db.session.scalars(select(SmsMessage).where(SmsMessage.day == monday)).all()) == 2
        db.session.remove()


def test_the_young_persons_export_holds_their_messages_and_erasure_removes_them(app, w):
    from backend.models import User, Youth
    from backend.rights.erasure import erase_youth
    from backend.rights.export import build_export

    run(app, utc(2026, 3, 30, 6, 5))
    with app.app_context():
        mads = db.session.get(Youth, w.youths["mads"])
        me = db.session.get(User, mads.user_id)
        export = build_export(me, mads, "self")
        [sms] = export["records"]["sms"]
        assert sms["to_phone"] == "+4531234567" and sms["body"].startswith("Godmorgen Mads")
        assert export["counts"]["sms"] == 1
        erase_youth(mads.id, None, "test", "cli")
        db.session.commit()
        assert db.session.scalars(select(SmsMessage)).all() == []
        db.session.remove()

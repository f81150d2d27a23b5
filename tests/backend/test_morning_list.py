"""Issue 13, step 3: the morning list of today's no-shows, the one tap that records the attempt,
"Fik du fat i …?", and the noon flag for a no-show nobody has reached."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.admin import system_write
from backend.extensions import db
from backend.models import AuditLog, Outreach, User
from backend.reach.morning import morning_list
from backend.services.caseload import LOCAL_TZ, load_caseload, local_now
from shared.contact import kind_text
from tests.backend.test_web_pages import Browser
from tests.backend.world import build_world, uid


def local(*a) -> datetime:
    return datetime(*a, tzinfo=LOCAL_TZ)


@pytest.fixture
def w(app):
    """Mads (with a number) and Sara (without) both have a 09:00 activity every day."""
    world = build_world(app)
    now = local_now()
    # For the pages (real clock): today's activity started 30 minutes ago.
    start = (now - timedelta(minutes=30)).strftime("%H:%M") if now.hour or now.minute >= 30 else "00:00"
    world.start = start
    with app.app_context():
        system_write(
            [
                {
                    "entity": "youth",
                    "id": world.youths["mads"],
                    "data": {
                        "id": world.youths["mads"],
                        "youth_id": world.youths["mads"],
                        "phone": "31234567",
                        "contact_time": "Efter kl. 10",
                    },
                }
            ]
        )
        world.act = {}
        for y in ("mads", "sara"):
            for title, at in (("Værksted", "09:00"), ("Praktik", start)):
                aid = uid()
                world.act[(y, title)] = aid
                system_write(
                    [
                        {
                            "entity": "activity",
                            "id": aid,
                            "data": {
                                "youth_id": world.youths[y],
                                "organization_id": world.orgs["Jobcenter"],
                                "title": title,
                                "weekdays": [0, 1, 2, 3, 4, 5, 6],
                                "start_time": at,
                                "end_time": "23:59",
                                "start_date": "2026-01-05",
                            },
                        }
                    ]
                )
        db.session.remove()
    return world


def user(app, name) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def test_kind_text_is_one_plain_sms():
    t = kind_text("Mads Jensen", "Værksted", "09:00", "Lise Mortensen")
    assert t.startswith("Hej Mads. Vi savner dig i dag til Værksted kl. 09:00.") and t.endswith("Hilsen Lise")
    assert len(t) <= 160


def test_morning_list_is_the_not_checked_in_card(app, w):
    with app.app_context():
        lise = user(app, "lise")
        assert morning_list(lise, local(2026, 3, 30, 9, 10)) == []  # within the 15 minutes' grace
        rows = morning_list(lise, local(2026, 3, 30, 9, 16))
        assert [r.name for r in rows] == ["Mads", "Sara"]
        mads = rows[0]
        assert mads.phone_shown == "+45 31 23 45 67" and mads.tel == "tel:+4531234567"
        assert mads.sms("Lise").startswith("sms:+4531234567?body=Hej%20Mads.%20Vi%20savner%20dig")
        assert rows[1].phone is None
        # the caseload's card says the same
        flagged = {
            r.display_name for r in load_caseload(lise, local(2026, 3, 30, 9, 16)) if "not_checked_in" in r.flag_keys
        }
        assert flagged == {"Mads", "Sara"}
        assert morning_list(user(app, "karen"), local(2026, 3, 30, 9, 16)) == []  # partners do not call


def test_checked_in_or_notified_leaves_the_list_unnotified_absence_stays(app, w):
    with app.app_context():
        system_write(
            [
                {
                    "entity": "attendance",
                    "id": uid(),
                    "data": {
                        "youth_id": w.youths["mads"],
                        "activity_id": w.act[("mads", "Værksted")],
                        "date": "2026-03-30",
                        "status": "absent_unnotified",
                    },
                },
                {
                    "entity": "attendance",
                    "id": uid(),
                    "data": {
                        "youth_id": w.youths["sara"],
                        "activity_id": w.act[("sara", "Værksted")],
                        "date": "2026-03-30",
                        "status": "absent_notified",
                        "absence_reason": "Syg",
                    },
                },
            ]
        )
        rows = morning_list(user(app, "lise"), local(2026, 3, 30, 9, 20))
        names = [r.name for r in rows]
        assert "Mads" in names
        sara = [r for r in rows if r.name == "Sara"]
        assert not sara or all(a["title"] != "Værksted" for a in sara[0].missed)
        mads = [r for r in rows if r.name == "Mads"][0]
        assert "Værksted" in [a["title"] for a in mads.missed]


def test_unreached_no_show_is_flagged_from_noon_until_someone_reaches_them(app, w):
    with app.app_context():
        ahmed = user(app, "ahmed")

        def flagged(at):
            return {r.display_name for r in load_caseload(ahmed, at) if "unreached" in r.flag_keys}

        assert flagged(local(2026, 3, 30, 11, 59)) == set()
        assert flagged(local(2026, 3, 30, 12, 0)) == {"Mads", "Sara"}
        system_write(
            [
                {
                    "entity": "outreach",
                    "id": uid(),
                    "data": {
                        "youth_id": w.youths["mads"],
                        "organization_id": w.orgs["Jobcenter"],
                        "method": "call",
                        "reached": False,
                        "contacted_at": local(2026, 3, 30, 9, 30).astimezone(UTC).isoformat(),
                    },
                }
            ]
        )
        assert flagged(local(2026, 3, 30, 12, 0)) == {"Mads", "Sara"}  # tried, not reached
        system_write(
            [
                {
                    "entity": "outreach",
                    "id": uid(),
                    "data": {
                        "youth_id": w.youths["mads"],
                        "organization_id": w.orgs["Jobcenter"],
                        "method": "sms",
                        "reached": True,
                        "contacted_at": local(2026, 3, 30, 10, 30).astimezone(UTC).isoformat(),
                    },
                }
            ]
        )
        assert flagged(local(2026, 3, 30, 12, 0)) == {"Sara"}
        assert flagged(local(2026, 3, 31, 12, 0)) == {"Mads", "Sara"}  # a new day


# ---- the page, through the Flask test client ------------------------------------------------


def page_links(html: str) -> list[dict]:
    return [
        dict(re.findall(r'(data-[a-z-]+|href)="([^"]*)"', m))
        for m in re.findall(r'<a class="btn[^"]*" (href="[^"]*" data-testid="(?:call|text)"[^>]*)>', html, re.S)
    ]


def test_one_tap_records_the_attempt_and_the_answer_without_typing(app, w):
    b = Browser(app, "lise")
    html = b.get("/morning").text
    assert "Mads" in html and "Efter kl. 10" in html and "Intet mobilnummer" in html  # Sara: no number
    call, text = page_links(html)
    assert call["href"] == "tel:+4531234567" and text["href"].startswith("sms:+4531234567?body=Hej%20Mads")
    data = {"csrf_token": call["data-csrf"], "mutation_id": call["data-mutation-id"], "method": "call"}
    r1 = b.client.post(call["data-attempt-url"], data=data, headers={"Accept": "application/json"})
    r2 = b.client.post(call["data-attempt-url"], data=data, headers={"Accept": "application/json"})  # double tap
    assert r1.status_code == r2.status_code == 200 and r1.json["id"] == r2.json["id"]
    with app.app_context():
        [o] = db.session.scalars(select(Outreach)).all()
        assert (o.method, o.reached, o.youth_id, o.user_id) == ("call", False, w.youths["mads"], w.users["lise"])
        assert abs((o.contacted_at - datetime.now(UTC)).total_seconds()) < 60
    ask = b.get(f"/morning?ask={o.id}").text
    assert "Fik du fat i Mads?" in ask
    r = b.post(f"/morning/attempt/{o.id}/reached", {"reached": "yes", "base_version": 1, "mutation_id": uid()})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(Outreach, o.id).reached is True
    # and the coordinator sees it on the plan page, nobody typed anything
    plan = Browser(app, "ahmed").get(f"/youth/{w.youths['mads']}").text
    assert "Ringet op med ét tryk fra morgenlisten." in plan


def test_morning_page_refuses_partners_and_bad_input(app, w):
    assert Browser(app, "karen").get("/morning").status_code == 403
    b = Browser(app, "lise")
    b.get("/morning")
    r = b.post(f"/morning/{w.youths['mads']}/attempt", {"method": "brevdue", "mutation_id": uid()})
    assert r.status_code == 302  # back to the list with a Danish message
    assert "Ukendt kontaktform" in b.get("/morning").text
    assert b.post("/morning/not-a-uuid/attempt", {"method": "call"}).status_code == 404
    assert b.post(f"/morning/attempt/{uid()}/reached", {"reached": "yes"}).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Outreach)).all() == []
        assert db.session.scalar(select(AuditLog).where(AuditLog.detail == "morning list")) is not None


def test_without_javascript_a_plain_form_records_the_attempt_and_asks(app, w):
    b = Browser(app, "lise")
    html = b.get("/morning").text
    assert "<noscript>" in html and "Jeg har ringet" in html
    r = b.post(f"/morning/{w.youths['mads']}/attempt", {"method": "sms", "mutation_id": uid()})
    assert r.status_code == 302 and "/morning?ask=" in r.headers["Location"]
    assert "Har Mads svaret på din sms?" in b.get(r.headers["Location"]).text
    with app.app_context():
        [o] = db.session.scalars(select(Outreach)).all()
        assert (o.method, o.reached, o.note) == ("sms", False, "Sms sendt med ét tryk fra morgenlisten.")


def test_the_plan_pages_call_link_records_too_and_asks_on_the_morning_page(app, w):
    b = Browser(app, "ahmed")
    html = b.get(f"/youth/{w.youths['mads']}").text
    m = re.search(
        r'data-testid="plan-call" data-attempt-url="([^"]+)" data-method="call"\s+'
        r'data-mutation-id="([^"]+)" data-csrf="([^"]+)"',
        html,
    )
    assert m, "the plan page's Ring link carries the recording attributes"
    r = b.client.post(
        m[1], data={"csrf_token": m[3], "mutation_id": m[2], "method": "call"}, headers={"Accept": "application/json"}
    )
    assert r.status_code == 200
    ask = b.get(f"/morning?ask={r.json['id']}").text
    assert "Fik du fat i Mads?" in ask
    partner = Browser(app, "karen").get(f"/youth/{w.youths['mads']}").text
    # partners neither record nor see the number (need-to-know: self, mentor and coordinator only)
    assert "tel:" not in partner and "4531234567" not in partner and "data-attempt-url" not in partner

"""«Forløb i måneden»: the head of department's question answered on one page, on the demo.

"How many of this month's Unge på Toppen participants are self-supporting, against the expected
50 %?" The expected numbers are worked out here from the demo's own history rows (enrolments and
outcome history, as backend/programmes/seed.py wrote them), with none of the report code.
"""

import re
from datetime import date

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import User
from backend.programmes.models import Enrolment, OutcomeChange, TargetGroupChange
from backend.programmes.seed import sid
from tests.backend.world import web_login

SELF_SUPPORTING = {"education", "job", "self_supporting_other"}


@pytest.fixture
def demo(app):
    app.config.update(TRINVIS_DEMO=True, DEMO_MODE=True)
    with app.app_context():
        from backend.seed import seed_demo

        seed_demo()
        db.session.remove()
    return app


def login(client, app, username):
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == username))
    web_login(client, uid)


def status_on(rows, d):
    """The status on day d from (valid_from, recorded_at, outcome) rows: latest valid, last recorded."""
    valid = sorted((r for r in rows if r[0] <= d), key=lambda r: (r[0], r[1]))
    return valid[-1][2] if valid else "active"


def known_answer(app, programme_name, today, first=None):
    """A month's participants and their status on `today` (the month's reference day), from the raw history."""
    first = first or today.replace(day=1)
    with app.app_context():
        pid = sid("programme", programme_name)
        latest = {}
        for e in db.session.scalars(select(Enrolment).where(Enrolment.programme_id == pid)):
            end = e.actual_end_date or e.planned_end_date
            if e.start_date <= today and end >= first:
                if e.youth_id not in latest or e.start_date > latest[e.youth_id].start_date:
                    latest[e.youth_id] = e
        statuses, changed = {}, 0
        for yid, e in latest.items():
            rows = db.session.execute(
                select(OutcomeChange.valid_from, OutcomeChange.recorded_at, OutcomeChange.outcome).where(
                    OutcomeChange.youth_id == yid
                )
            ).all()
            statuses[yid] = status_on(rows, today)
            tgs = db.session.execute(
                select(
                    TargetGroupChange.valid_from, TargetGroupChange.recorded_at, TargetGroupChange.target_group
                ).where(TargetGroupChange.youth_id == yid)
            ).all()
            at_start, now = status_on(tgs, e.start_date), status_on(tgs, today)
            changed += statuses[yid] == "target_group_change" or (tgs and at_start != "active" and now != at_start)
        return pid, statuses, changed


def cell(html, table, key):
    t = re.search(rf'data-testid="{table}".*?</table>', html, re.S).group(0)
    return re.search(rf'data-k="{key}">([^<]*)<', t).group(1).strip()


def test_head_of_departments_question_on_the_demo(demo, client):
    app = demo
    today = date.today()
    pid, statuses, changed = known_answer(app, "Unge på Toppen", today)
    participants = len(statuses)
    assert participants >= 1  # the demo always has a current Unge på Toppen participant
    moved = sum(s == "moved_other" for s in statuses.values())
    self_supporting = sum(s in SELF_SUPPORTING for s in statuses.values())
    print(
        "demo answer:",
        participants,
        "participants,",
        self_supporting,
        "self-supporting,",
        moved,
        "moved,",
        changed,
        "changed target group",
    )

    login(client, app, "tovholder.ahmed")
    # menu «Resultater» (1) → «Unge på Toppen» under «Forløb i denne måned» (2)
    results = client.get("/results").get_data(as_text=True)
    link = re.search(r'href="(/results/programme\?programme=[^"]+)">Unge på Toppen</a>', results).group(1)
    r = client.get(link.replace("&amp;", "&"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert cell(html, "month-counts", "participants") == str(participants)
    assert cell(html, "month-counts", "self_supporting") == str(self_supporting)
    assert cell(html, "month-counts", "moved") == str(moved)
    assert cell(html, "month-counts", "target_group_changed") == str(changed)
    # against the sheet's expected 50 % (dated 30 June 2018, so it does not apply to today's cohorts)
    row = re.search(r'<tr data-outcome="self_supporting">.*?</tr>', html, re.S).group(0)
    assert "50,0 %" in row and "pr. 30.06.2018" in row
    assert f"{self_supporting} af {participants - moved}" in row
    assert "Gælder ikke" in row  # no measurement at the sheet's date: shown as such, not as «no participants»
    answer = re.search(r'data-testid="answer">(.*?)</p>', html, re.S).group(1)
    assert (
        f"<strong>{participants}</strong> unge" in answer
        and f"<strong>{self_supporting}</strong> selvforsørgende" in answer
    )
    assert "Forventet: 50,0 % pr. 30.06.2018" in answer


def test_every_month_of_the_last_year_matches_the_history(demo, client):
    """The same question for each of the last 12 months (month end as reference day)."""
    import calendar

    from backend.programmes.reports import add_months

    app = demo
    today = date.today()
    login(client, app, "tovholder.ahmed")
    seen_self_supporting = 0
    for name in ("Unge på Toppen", "Formel 1", "Arbejde & Sundhed"):
        for back in range(1, 13):
            first = add_months(today.replace(day=1), -back)
            ref = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            pid, statuses, changed = known_answer(app, name, ref, first)
            html = client.get(f"/results/programme?programme={pid}&month={first:%Y-%m}").get_data(as_text=True)
            ss = sum(s in SELF_SUPPORTING for s in statuses.values())
            got = [cell(html, "month-counts", k) for k in ("participants", "self_supporting", "target_group_changed")]
            assert got == [str(len(statuses)), str(ss), str(changed)], (name, first)
            seen_self_supporting += ss
    assert seen_self_supporting > 0  # the check is not only of zeros


def test_week_anchored_effect_measured_and_pending_on_the_demo(demo, client):
    """Formel 1 (16 and 32 weeks): participants past week 16 are measured, the others wait."""
    app = demo
    today = date.today()
    pid, statuses, _ = known_answer(app, "Formel 1", today)
    login(client, app, "tovholder.ahmed")
    html = client.get(f"/results/programme?programme={pid}&month={today:%Y-%m}").get_data(as_text=True)
    rows = re.findall(r'<tr data-outcome="self_supporting">.*?</tr>', html, re.S)
    assert len(rows) == 2 and "uge 16" in rows[0] and "uge 32" in rows[1]
    for row in rows:
        assert "Ingen deltagere" not in row
    assert cell(html, "month-counts", "participants") == str(len(statuses))


def test_results_page_no_longer_says_no_participants_when_some_started_earlier(demo, client):
    app = demo
    login(client, app, "tovholder.ahmed")
    today = date.today()
    html = client.get(f"/results/export/cohorts.csv?from={today:%Y-%m}&to={today:%Y-%m}").get_data(as_text=True)
    _, statuses, _ = known_answer(app, "Unge på Toppen", today)
    utop = [ln for ln in html.splitlines() if ln.startswith("Unge på Toppen;")]
    assert utop and not any(";0;Ingen deltagere" in ln for ln in utop)


def test_bad_query_is_a_plain_danish_400_and_youth_cannot_open_it(demo, client):
    login(client, demo, "tovholder.ahmed")
    for query, message in (
        ({"month": "2026-13"}, "ÅÅÅÅ-MM"),
        ({"programme": "x"}, "Vælg fra listen"),
        ({"month": "2999-01"}, "efter denne måned"),
        ({"programme": "00000000-0000-4000-8000-000000000000"}, "findes ikke"),
    ):
        r = client.get("/results/programme", query_string=query)
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and 'data-testid="filter-error"' in html and message in html, query
    assert client.get("/results/programme").status_code == 200  # no programme chosen: the list of links
    login(client, demo, "ung.mads")
    assert client.get("/results/programme").status_code in (302, 403)

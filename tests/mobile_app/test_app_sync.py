"""The app's core against the REAL backend: offline, convergence, crashes, duplicates, revocation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from app_server import FAST_RETRY

from mobile_app.core import AppCore
from mobile_app.core.api import ApiClient
from mobile_app.core.errors import UpdateRequired
from mobile_app.core.sync import SyncEngine
from shared import SCHEMA_VERSION
from tests.app_lock_params import TEST_PIN

ROOT = Path(__file__).resolve().parents[2]


def todays_activity(core: AppCore) -> dict:
    svc = core.services()
    youth_id = svc.my_youth_id() or mads_id(core)
    items = [i for i in svc.activities_on(youth_id, svc.today()) if i.activity["title"] == "Dagligt værksted"]
    assert items, "the test seed gives every young person an activity every day"
    return items[0].activity


def mads_id(core: AppCore) -> str:
    return next(y["id"] for y in core.store.all("youth") if y["display_name"].split()[0] == "Mads")


def attendance_today(core: AppCore, youth_id: str, activity_id: str) -> list[dict]:
    today = core.services().today().isoformat()
    return [a for a in core.store.all("attendance", youth_id) if a["activity_id"] == activity_id and a["date"] == today]


def test_everything_works_with_backend_down(backend_server, device):
    youth = device("mads", "ung.mads")
    assert youth.sync() is not None and youth.status().first_sync_done
    act = todays_activity(youth)
    backend_server.stop()

    svc = youth.services()
    me = svc.my_youth_id()
    svc.check_in(act["id"])
    ag = svc.agreements(me)[0]
    svc.youth_update_agreement(ag["id"], True, "Jeg har ringet")
    assert svc.plan(me)["plan"]["end_goal"]
    assert youth.sync() is None
    st = youth.status()
    assert st.online is False and st.pending == 2 and "Offline" in st.message

    # The app restarts offline: still logged in, everything still there.
    path = youth.store.path
    youth.store.close()
    youth = AppCore(path, client_options=FAST_RETRY)
    youth.unlock(TEST_PIN)
    assert youth.logged_in and youth.store.pending_count() == 2
    assert attendance_today(youth, me, act["id"])[0]["self_checked_in_at"]

    backend_server.start()
    result = youth.sync()
    assert result is not None and result.pushed.get("applied", 0) + result.pushed.get("merged", 0) == 2
    assert youth.status().pending == 0 and youth.status().online is True

    mentor = device("lise", "mentor.lise")
    mentor.sync()
    [att] = attendance_today(mentor, me, act["id"])
    assert att["self_checked_in_at"] and att["status"] == "present"
    assert mentor.store.get("agreement", ag["id"])["youth_comment"] == "Jeg har ringet"
    row = next(r for r in mentor.services().caseload() if r.youth["id"] == me)
    assert [i.state for i in row.today if i.activity["id"] == act["id"]] == ["recorded"]


def test_offline_edits_on_two_devices_converge(backend_server, device):
    phone = device("lise-phone", "mentor.lise")
    tablet = device("lise-tablet", "mentor.lise")
    phone.sync()
    tablet.sync()
    me = mads_id(phone)
    act = todays_activity(phone)
    ag = phone.services().agreements(me)[0]
    backend_server.stop()

    phone.services().record_attendance(me, act["id"], phone.services().today(), "present", note="Kom kl. 9")
    phone.services().review_agreement(ag["id"], "kept", "Holdt – fra telefonen")
    tablet.services().record_attendance(me, act["id"], tablet.services().today(), "late", note="Kom 9.20")
    tablet.services().add_agreement(me, "Søge to praktikpladser", tablet.services().today())
    tablet.services().review_agreement(ag["id"], "kept", "Holdt – fra tabletten")
    assert phone.sync() is None and tablet.sync() is None

    backend_server.start()
    for core in (phone, tablet, phone):
        assert core.sync() is not None
    assert phone.store.pending_count() == tablet.store.pending_count() == 0
    assert not phone.store.rejected() and not tablet.store.rejected()
    # One attendance record for the natural key on both, with the same id and data.
    [a1], [a2] = attendance_today(phone, me, act["id"]), attendance_today(tablet, me, act["id"])
    assert a1 == a2
    assert phone.store.get("agreement", ag["id"]) == tablet.store.get("agreement", ag["id"])
    assert phone.store.get("agreement", ag["id"])["review_note"] == "Holdt – fra tabletten"  # later arrival
    for entity in ("agreement", "attendance", "outreach", "assessment"):
        ids1 = {(r["id"], str(sorted(r.items()))) for r in phone.store.all(entity)}
        ids2 = {(r["id"], str(sorted(r.items()))) for r in tablet.store.all(entity)}
        assert ids1 == ids2, entity


CHILD = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from mobile_app.core import AppCore
    from mobile_app.core.store import Store
    core = AppCore({path!r}, client_options={{"attempts": 2, "timeout": 5, "max_wait": 0.2}})
    core.unlock("2580")  # tests.app_lock_params.TEST_PIN
    svc = core.services()
    act = [a for a in core.store.all("activity", svc.my_youth_id()) if a["title"] == "Dagligt værksted"][0]
    svc.check_in(act["id"])
    if {mode!r} == "after_push":
        def die(self, batch, results):
            os.kill(os.getpid(), signal.SIGKILL)  # the server has applied it; the phone never hears back
        Store.apply_push_results = die
        core.sync()
    print("SAVED", flush=True)
    import time
    time.sleep(60)
""")


def run_child(path: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), path=path, mode=mode)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_process_killed_between_local_write_and_push_loses_nothing(backend_server, device):
    youth = device("mads", "ung.mads")
    youth.sync()
    path = youth.store.path
    youth.store.close()
    child = run_child(path, "before_push")
    assert child.stdout.readline().strip() == "SAVED"
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(10) == -signal.SIGKILL

    youth = AppCore(path, client_options=FAST_RETRY)
    youth.unlock(TEST_PIN)
    assert youth.store.pending_count() == 1
    result = youth.sync()
    assert result.pushed == {"applied": 1}
    mentor = device("lise", "mentor.lise")
    mentor.sync()
    [att] = attendance_today(mentor, youth.services().my_youth_id(), todays_activity(youth)["id"])
    assert att["self_checked_in_at"]
    youth.store.close()


def test_killed_after_server_applied_push_is_delivered_once(backend_server, device):
    youth = device("mads", "ung.mads")
    youth.sync()
    path = youth.store.path
    youth.store.close()
    child = run_child(path, "after_push")
    assert child.wait(30) == -signal.SIGKILL, child.stderr.read()

    youth = AppCore(path, client_options=FAST_RETRY)
    youth.unlock(TEST_PIN)
    [entry] = youth.store.outbox()
    assert entry.sent_count == 1  # it left the phone once already
    result = youth.sync()
    assert result.pushed == {"duplicate": 1}
    me = youth.services().my_youth_id()
    act = todays_activity(youth)
    [att] = attendance_today(youth, me, act["id"])
    assert att["self_checked_in_at"] and youth.store.get_row("attendance", att["id"])["version"] == 1
    with backend_server.flask_app.app_context():
        from backend.extensions import db
        from backend.models import Attendance

        rows = db.session.query(Attendance).filter_by(youth_id=me, activity_id=act["id"]).all()
        assert len(rows) == 1 and rows[0].version == 1
        db.session.remove()
    youth.store.close()


def test_duplicate_delivery_applies_once(backend_server, device):
    mentor = device("lise", "mentor.lise")
    mentor.sync()
    me = mads_id(mentor)
    mentor.services().add_agreement(me, "Møde hos UU", mentor.services().today())
    batch = mentor.store.next_batch(10)
    client = mentor.client()
    first = client.push(mentor.device_id, SCHEMA_VERSION, [e.as_mutation() for e in batch])["results"][0]
    again = client.push(mentor.device_id, SCHEMA_VERSION, [e.as_mutation() for e in batch])["results"][0]
    assert first["status"] == "applied" and again["status"] == "duplicate"
    assert again["version"] == first["version"] == 1
    mentor.store.apply_push_results(batch, [again])
    mentor.sync()
    assert [a["text"] for a in mentor.store.all("agreement", me)].count("Møde hos UU") == 1
    assert mentor.store.get_row("agreement", batch[0].record_id)["version"] == 1


def test_revoked_youth_disappears_from_device(backend_server, device):
    karen = device("karen", "uu.karen")
    karen.sync()
    names = {y["display_name"].split()[0]: y["id"] for y in karen.store.all("youth")}
    assert {"Mads", "Sara"} <= set(names)
    sara = names["Sara"]
    assert karen.store.all("consent", sara)

    ahmed = device("ahmed", "tovholder.ahmed")
    ahmed.sync()
    uu = next(o["id"] for o in ahmed.store.all("organization") if o["name"] == "UU")
    consent = next(c for c in ahmed.store.all("consent", sara) if c["organization_id"] == uu)
    ahmed.store.save(
        "consent",
        consent["id"],
        sara,
        {"status": "withdrawn", "withdrawn_at": datetime.now(UTC).isoformat()},
        create=False,
    )
    assert ahmed.sync().pushed in ({"applied": 1}, {"merged": 1})

    result = karen.sync()
    assert sara in result.revoked
    for entity in ("youth", "plan", "goal", "activity", "agreement", "attendance", "consent", "assessment"):
        assert karen.store.all(entity, sara) == [], entity
    assert karen.store.get("youth", names["Mads"]) is not None


def test_pull_does_not_overwrite_unsent_local_edit(backend_server, device):
    phone = device("lise-phone", "mentor.lise")
    other = device("lise-tablet", "mentor.lise")
    phone.sync()
    other.sync()
    me = mads_id(phone)
    ag = phone.services().agreements(me)[0]
    phone.services().review_agreement(ag["id"], "open", "Vi taler om det i morgen")  # not pushed yet
    other.store.save("agreement", ag["id"], me, {"text": "Ring til lægen før kl. 10"}, create=False)
    other.sync()

    SyncEngine(phone.store, phone.client(), phone.device_id).pull()  # a pull only, no push
    local = phone.store.get("agreement", ag["id"])
    assert local["text"] == "Ring til lægen før kl. 10"  # the other device's change arrived
    assert local["review_note"] == "Vi taler om det i morgen"  # our unsent edit survived
    assert phone.store.pending_count() == 1
    phone.sync()
    other.sync()
    merged = other.store.get("agreement", ag["id"])
    assert merged["text"] == "Ring til lægen før kl. 10" and merged["review_note"] == "Vi taler om det i morgen"


def test_interrupted_first_sync_resumes_from_last_page(backend_server, device):
    fresh = device("reference", "mentor.lise")
    fresh.sync()
    everything = {(r["entity"], r["id"]) for r in _rows(fresh)}
    assert len(everything) > 12

    phone = device("lise-phone", "mentor.lise")
    engine = SyncEngine(phone.store, phone.client(), phone.device_id, pull_limit=4)
    pages = []

    def progress(n):
        pages.append(n)
        if len(pages) == 2:
            backend_server.stop()  # the connection drops in the middle of the first sync

    from mobile_app.core.errors import Offline

    with pytest.raises(Offline):
        engine.pull(progress)
    saved_cursor = phone.store.get_meta("cursor")
    assert saved_cursor and phone.store.get_meta("pulled_records") == 8
    assert not phone.store.get_meta("first_sync_done")

    backend_server.start()
    client = phone.client()
    cursors = []
    real_pull = client.pull
    client.pull = lambda cursor, limit: (cursors.append(cursor), real_pull(cursor, limit))[1]
    SyncEngine(phone.store, client, phone.device_id, pull_limit=4).pull()
    assert cursors[0] == saved_cursor  # resumed, not started over
    assert {(r["entity"], r["id"]) for r in _rows(phone)} == everything
    assert phone.store.get_meta("first_sync_done")


def _rows(core: AppCore) -> list[dict]:
    rows = core.store._q("SELECT entity, id FROM record")
    return [{"entity": r["entity"], "id": r["id"]} for r in rows]


def expire_tokens(backend_server) -> None:
    with backend_server.flask_app.app_context():
        from backend.extensions import db
        from backend.models import DeviceToken

        for row in db.session.query(DeviceToken).all():
            row.expires_at = datetime(2000, 1, 1, tzinfo=UTC)
        db.session.commit()
        db.session.remove()


def test_old_app_is_told_to_update_and_expired_login_keeps_data(backend_server, device):
    youth = device("mads", "ung.mads")
    youth.sync()
    with pytest.raises(UpdateRequired):
        ApiClient(backend_server.url, youth.store.get_meta("token"), **FAST_RETRY).push(youth.device_id, 0, [])
    svc = youth.services()
    svc.check_in(todays_activity(youth)["id"])
    expire_tokens(backend_server)  # 90 days unused: expired, not revoked
    assert youth.sync() is None
    assert youth.status().needs_login and youth.store.pending_count() == 1
    youth.login("ung.mads", "demo1234")  # same user again: nothing is wiped
    assert youth.sync() is not None and youth.store.pending_count() == 0


def test_short_outage_is_bridged_by_retries_with_backoff(backend_server, device):
    """The server is down when the sync starts and back a moment later: the retry gets through."""
    import threading

    youth = device("mads", "ung.mads")
    youth.sync()
    youth.services().check_in(todays_activity(youth)["id"])
    backend_server.stop()
    threading.Timer(0.8, backend_server.start).start()
    patient = ApiClient(backend_server.url, youth.store.get_meta("token"), attempts=8, max_wait=0.5)
    result = SyncEngine(youth.store, patient, youth.device_id).sync()
    assert result.pushed == {"applied": 1} or result.pushed == {"merged": 1}
    assert youth.store.pending_count() == 0


def test_rejected_change_keeps_server_reason_and_can_be_discarded(backend_server, device):
    """A change the server refuses (here: a young person editing the text of an agreement, as an
    older app without the local rule could) is kept with the server's reason, not retried, and
    discarding it brings back the server's version."""
    youth = device("mads", "ung.mads")
    youth.sync()
    me = youth.services().my_youth_id()
    ag = youth.services().agreements(me)[0]
    youth.store.save("agreement", ag["id"], me, {"text": "Jeg bestemmer selv"}, create=False)
    assert youth.sync().pushed == {"rejected": 1}
    [rej] = youth.rejected_changes()
    assert rej.reason and "Aftalen" in rej.reason and rej.editable == {"text": "Jeg bestemmer selv"}
    assert youth.status().rejected == 1 and youth.status().pending == 0
    assert youth.sync().pushed == {}  # not sent again
    youth.discard_rejected(rej.seq)
    assert youth.store.get("agreement", ag["id"])["text"] == ag["text"]
    assert youth.store.get_row("agreement", ag["id"])["pending"] == 0


def test_own_consecutive_edits_never_conflict(backend_server, device):
    """Issue 18 item 3: review, a sync that never reaches the server, review again, sync.

    Both edits are the mentor's, from one phone: the server must apply them in order and write no
    conflict (before the fix the second edit kept the first one's base and "lost" to it).
    """
    from sqlalchemy import select

    from mobile_app.core.errors import Offline

    mentor = device("lise", "mentor.lise")
    mentor.sync()
    me = mads_id(mentor)
    ag = mentor.services().agreements(me)[0]
    mentor.services().review_agreement(ag["id"], "not_kept", "Kom ikke")
    unreachable = ApiClient("http://127.0.0.1:9", mentor.store.get_meta("token"), **FAST_RETRY)
    with pytest.raises(Offline):
        SyncEngine(mentor.store, unreachable, mentor.device_id).push()  # counted as sent, never arrived
    mentor.services().review_agreement(ag["id"], "kept", "Kom alligevel, bare sent")
    assert mentor.store.pending_count() == 2
    result = mentor.sync()
    assert result.pushed == {"applied": 2}, result.pushed
    assert mentor.store.get("agreement", ag["id"])["review_note"] == "Kom alligevel, bare sent"
    with backend_server.flask_app.app_context():
        from backend.extensions import db
        from backend.models import Agreement, Conflict

        assert db.session.scalars(select(Conflict).where(Conflict.record_id == ag["id"])).all() == []
        row = db.session.get(Agreement, ag["id"])
        assert (row.status, row.review_note) == ("kept", "Kom alligevel, bare sent")
        db.session.remove()

"""The local store and services on their own (no server): outbox, re-base, validation, rules."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import app_local_data as ld
import pytest

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.sealed_file import FORMAT_VERSION
from mobile_app.core.services import Services
from mobile_app.core.store import Store
from mobile_app.core.vault import new_data_key

TZ = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=TZ)
KEY = new_data_key()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "app.sqlite", key=KEY)
    yield s
    s.close()


@pytest.fixture
def seeded(store):
    data = ld.changes(NOW.date())
    store.apply_pull_page(data["changes"], [], "c1")
    return store, data["activity_id"]


def svc(store, user):
    return Services(store, user, clock=lambda: NOW)


def test_save_writes_record_and_outbox_in_one_go(seeded):
    store, act = seeded
    rec = svc(store, ld.YOUTH_LOGIN).check_in(act)
    assert rec["self_checked_in_at"]
    [entry] = store.outbox()
    assert entry.entity == "attendance" and entry.is_create and entry.data["activity_id"] == act
    assert store.get_row("attendance", rec["id"])["pending"] == 1


def test_update_queues_only_changed_fields(seeded):
    store, _ = seeded
    ag = store.all("agreement")[0]
    svc(store, ld.YOUTH_LOGIN).youth_update_agreement(ag["id"], True, "Har ringet")
    [entry] = store.outbox()
    assert set(entry.data) == {"id", "youth_id", "youth_comment", "youth_marked_done_at"}
    assert entry.base_version == 1 and not entry.is_create


def test_bad_entry_refused_in_danish_and_nothing_queued(seeded):
    store, act = seeded
    with pytest.raises(ValidationFailed) as exc:
        svc(store, ld.YOUTH_LOGIN).notify_absence(act, "   ")
    assert "hvorfor" in exc.value.message
    assert store.outbox() == []
    with pytest.raises(ValidationFailed) as exc:
        svc(store, ld.MENTOR_LOGIN).add_agreement(ld.YOUTH, "", NOW.date())
    assert exc.value.message.startswith("Aftalen:")
    with pytest.raises(ValidationFailed):
        svc(store, ld.MENTOR_LOGIN).add_agreement(ld.YOUTH, "Gå en tur", "i morgen")
    assert store.outbox() == []


def test_youth_may_not_record_staff_things(seeded):
    store, act = seeded
    youth = svc(store, ld.YOUTH_LOGIN)
    with pytest.raises(ValidationFailed):
        youth.record_attendance(ld.YOUTH, act, NOW.date(), "late")
    with pytest.raises(ValidationFailed):
        youth.add_agreement(ld.YOUTH, "Noget", NOW.date())
    with pytest.raises(ValidationFailed):
        svc(store, ld.MENTOR_LOGIN).check_in(act)


def test_pull_rebases_unsent_edit_instead_of_overwriting(seeded):
    store, _ = seeded
    ag = store.all("agreement")[0]
    svc(store, ld.YOUTH_LOGIN).youth_update_agreement(ag["id"], False, "Min kommentar")
    server = {**ag, "text": "Ring til lægen i dag", "review_note": "Husk det"}
    store.apply_pull_page(
        [{"entity": "agreement", "id": ag["id"], "version": 2, "deleted": False, "data": server}], [], "c2"
    )
    row = store.get_row("agreement", ag["id"])
    assert row["version"] == 2
    assert row["data"]["text"] == "Ring til lægen i dag"  # server's change taken
    assert row["data"]["youth_comment"] == "Min kommentar"  # unsent edit kept on top
    assert store.outbox()[0].base_version == 1  # the version the user edited


def test_unsent_edits_are_folded_but_sent_ones_never_change(seeded):
    store, _ = seeded
    youth = svc(store, ld.YOUTH_LOGIN)
    ag = store.all("agreement")[0]
    youth.youth_update_agreement(ag["id"], False, "a")
    youth.youth_update_agreement(ag["id"], False, "b")
    assert len(store.outbox()) == 1 and store.outbox()[0].data["youth_comment"] == "b"
    store.next_batch(10)  # now it may have left the phone
    youth.youth_update_agreement(ag["id"], False, "c")
    entries = store.outbox()
    assert [e.data["youth_comment"] for e in entries] == ["b", "c"]
    # only one mutation per record per batch: the second waits for the first answer
    assert [e.data["youth_comment"] for e in store.next_batch(10)] == ["b"]


def test_revoked_youth_disappears_with_its_queue(seeded):
    store, act = seeded
    svc(store, ld.YOUTH_LOGIN).check_in(act)
    store.apply_pull_page([], [ld.YOUTH], "c3")
    assert store.all("agreement") == [] and store.all("youth") == [] and store.outbox() == []
    assert store.get("organization", ld.ORG)


def test_attendance_merged_by_server_takes_server_id(seeded):
    store, act = seeded
    rec = svc(store, ld.YOUTH_LOGIN).check_in(act)
    batch = store.next_batch(10)
    server_rec = {**rec, "id": "11111111-1111-4111-8111-111111111111", "status": "late", "version": 3}
    store.apply_push_results(
        batch,
        [{"mutation_id": batch[0].mutation_id, "status": "merged", "version": 3, "record": server_rec, "error": None}],
    )
    assert store.get("attendance", rec["id"]) is None
    assert store.find_attendance(ld.YOUTH, act, NOW.date().isoformat())["status"] == "late"
    assert store.outbox() == []


def test_rejected_change_is_kept_fixable_and_discardable(seeded):
    store, _ = seeded
    mentor = svc(store, ld.MENTOR_LOGIN)
    ag = mentor.add_agreement(ld.YOUTH, "Søge 2 jobs", NOW.date())
    batch = store.next_batch(10)
    store.apply_push_results(
        batch,
        [
            {
                "mutation_id": batch[0].mutation_id,
                "status": "rejected",
                "version": None,
                "record": None,
                "error": {"code": "forbidden", "message": "Ikke tilladt"},
            }
        ],
    )
    assert store.pending_count() == 0 and len(store.rejected()) == 1
    assert store.next_batch(10) == []
    seq = store.rejected()[0].seq
    old_mid = store.rejected()[0].mutation_id
    store.fix_rejected(seq, {"text": "Søge 3 jobs"})
    [again] = store.next_batch(10)
    assert again.mutation_id != old_mid and again.data["text"] == "Søge 3 jobs"
    store.apply_push_results(
        [again],
        [
            {
                "mutation_id": again.mutation_id,
                "status": "rejected",
                "error": {"code": "forbidden", "message": "Stadig ikke"},
            }
        ],
    )
    mentor.review_agreement(ag["id"], "kept")  # a later edit waits behind the rejected create
    assert store.next_batch(10) == []
    store.discard(seq)
    assert store.get("agreement", ag["id"]) is None  # never reached the server: gone
    assert store.outbox() == []  # and so did the edit that waited for it


def test_caseload_and_due_rules(seeded):
    store, act = seeded
    mentor = svc(store, ld.MENTOR_LOGIN)
    [row] = mentor.caseload()
    assert row.missing == ["Værkstedet"]  # 10:00 > 09:00 + 15 min, no check-in
    assert row.agreements_due == 1
    assert row.assessment_overdue is not None  # plan started 50 days ago, due at day 42
    due, state = mentor.next_assessment(ld.YOUTH)
    assert state == "overdue" and (NOW.date() - due).days == 8
    mentor.submit_assessment(ld.YOUTH, due, {d.key: 7 for d in mentor.dimensions()})
    nxt, state = mentor.next_assessment(ld.YOUTH)
    assert state == "early" and (nxt - due).days == 42 and mentor.assessment_overdue(ld.YOUTH) is None
    svc(store, ld.YOUTH_LOGIN).check_in(act)
    [row] = mentor.caseload()
    assert row.missing == [] and row.today[0].state == "checked_in"


def test_assessment_draft_survives_and_submit_needs_all_dims(tmp_path):
    path = tmp_path / "a.sqlite"
    store = Store(path, key=KEY)
    data = ld.changes(NOW.date())
    store.apply_pull_page(data["changes"], [], "c1")
    youth = svc(store, ld.YOUTH_LOGIN)
    due = youth.assessment_due(ld.YOUTH)
    assert due is not None
    youth.save_assessment_draft(ld.YOUTH, due, {"hverdagsmestring": 4}, "")
    store.close()
    store = Store(path, key=KEY)
    youth = svc(store, ld.YOUTH_LOGIN)
    draft = youth.assessment_draft(ld.YOUTH, due)
    assert draft["scores"] == {"hverdagsmestring": 4}
    with pytest.raises(ValidationFailed):
        youth.submit_assessment(ld.YOUTH, due, draft["scores"])
    scores = {d.key: 5 for d in youth.dimensions()}
    assert "tro_paa_maalet" not in scores
    youth.submit_assessment(ld.YOUTH, due, scores, "ok")
    assert youth.assessment_due(ld.YOUTH) is None
    assert youth.progress(ld.YOUTH)["series"]["youth"] == [(due, 5.0)]
    assert store.get_draft(youth._draft_key(ld.YOUTH, due)) is None
    store.close()


def test_check_in_only_around_the_activity_on_the_day(seeded):
    store, act = seeded  # activity 09:00–12:00 every day
    at = lambda h, m=0: Services(store, ld.YOUTH_LOGIN, clock=lambda: NOW.replace(hour=h, minute=m))  # noqa: E731
    with pytest.raises(ValidationFailed) as exc:
        at(7, 30).check_in(act)
    assert exc.value.message == "Du kan tjekke ind fra kl. 08:00."
    assert not at(7, 30).activities_on(ld.YOUTH, NOW.date())[0].can_check_in
    with pytest.raises(ValidationFailed):
        at(12, 30).check_in(act)
    with pytest.raises(ValidationFailed):
        at(8, 30).check_in(act, day=NOW.date().replace(day=NOW.day - 1))
    assert store.outbox() == []
    assert at(8, 0).activities_on(ld.YOUTH, NOW.date())[0].can_check_in
    assert at(8, 0).check_in(act)["self_checked_in_at"]


def test_duplicate_answer_repeating_a_rejection_is_shown_as_rejected(seeded):
    """The first answer (rejected) was lost; the retry's `duplicate` carries the same error."""
    store, _ = seeded
    svc(store, ld.MENTOR_LOGIN).add_agreement(ld.YOUTH, "Søge 2 jobs", NOW.date())
    batch = store.next_batch(10)
    store.apply_push_results(
        batch,
        [
            {
                "mutation_id": batch[0].mutation_id,
                "status": "duplicate",
                "version": None,
                "record": None,
                "error": {"code": "not_found", "message": "Den unge er ikke synlig"},
            }
        ],
    )
    [rej] = store.rejected()
    assert rej.mutation_id == batch[0].mutation_id and store.pending_count() == 0


def test_a_store_from_before_encryption_is_dropped_not_read(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE record (entity TEXT, id TEXT, data TEXT)")
    old.execute("INSERT INTO record VALUES ('youth', 'y1', '{\"display_name\": \"Mads Jensen\"}')")
    old.commit()
    old.close()
    store = Store(path, key=KEY)
    assert store.count() == 0 and store._q("PRAGMA user_version")[0][0] == FORMAT_VERSION
    store.close()
    assert b"Mads Jensen" not in b"".join(p.read_bytes() for p in tmp_path.glob("old.sqlite*"))


def test_sealed_values_do_not_open_in_another_row_or_without_the_key(store):
    from mobile_app.core.errors import Locked
    from mobile_app.core.vault import WrongKey

    data = ld.changes(NOW.date())
    store.apply_pull_page(data["changes"], [], "c1")
    a, b = store._q("SELECT entity, id, data FROM record LIMIT 2")
    with pytest.raises(WrongKey):  # a ciphertext copied to another record
        store._data(b["entity"], b["id"], a["data"])
    store.lock()
    with pytest.raises(Locked):
        store.all(a["entity"])
    assert store.count() >= 2  # plain counts still work while locked
    store.unlock(KEY)
    assert store.get(a["entity"], a["id"])["id"] == a["id"]

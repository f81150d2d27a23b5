"""A phone updated from the schema-2 app: its queued follow-up lists become placement_follow_up records."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from mobile_app.core import AppCore
from mobile_app.core.company import CompanyServices
from mobile_app.core.sealed_file import FORMAT_VERSION
from mobile_app.core.store import Store
from mobile_app.core.vault import new_data_key
from tests.app_lock_params import FAST_KDF, TEST_PIN
from tests.mobile_app.test_app_sync import FAST_RETRY, mads_id

KEY = new_data_key()
YOUTH = str(uuid.uuid4())
ORG = str(uuid.uuid4())


def entry(day: str, done: bool = False, note: str = "") -> dict[str, Any]:
    return {"date": day, "done": done, "note": note}


def agreement(ag_id: str, follow_ups: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": ag_id,
        "youth_id": YOUTH,
        "organization_id": ORG,
        "visibility": "organization",
        "company": "Tømrerværkstedet",
        "start_date": "2026-11-01",
        "follow_ups": follow_ups,
    }


def as_schema_2(store: Store) -> None:
    """What the schema-2 app's store format was (the lists are what it queued and pulled)."""
    store._conn.execute("PRAGMA user_version=2")


def snapshot(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    outbox = [(e.mutation_id, e.entity, e.record_id, e.data, e.is_create) for e in store.outbox()]
    records = [
        (r["entity"], r["id"], r["pending"], r["version"], r["base"], r["data"])
        for r in (store.get_row(x["entity"], x["id"]) for x in store._q("SELECT entity, id FROM record ORDER BY id"))
        if r
    ]
    return outbox, records


def test_queued_lists_become_follow_up_creates_once(tmp_path):
    path = tmp_path / "phone.sqlite"
    store = Store(path, key=KEY)
    edited, only_list, offline = (str(uuid.uuid4()) for _ in range(3))
    pulled = [
        {"entity": "company_agreement", "id": edited, "version": 2, "data": agreement(edited, [entry("2026-11-10")])},
        {"entity": "company_agreement", "id": only_list, "version": 1, "data": agreement(only_list, [])},
    ]
    store.apply_pull_page(pulled, [], "c1")
    new_two = [entry("2026-11-10"), entry("2026-11-20", True, "Godt"), entry("2026-12-20")]
    store.save("company_agreement", edited, YOUTH, {"tasks": "Lager", "follow_ups": new_two}, create=False)
    store.save("company_agreement", only_list, YOUTH, {"follow_ups": [entry("2026-12-01")]}, create=False)
    store.save("company_agreement", offline, YOUTH, agreement(offline, [entry("2026-12-05")]), create=True)
    as_schema_2(store)
    store.close()

    store = Store(path, key=KEY)
    assert store._q("PRAGMA user_version")[0][0] == FORMAT_VERSION
    agreements = [e for e in store.outbox() if e.entity == "company_agreement"]
    # the edit keeps its other change; the one that only added a follow-up has nothing left to send
    assert [(e.record_id, e.data) for e in agreements if not e.is_create] == [
        (edited, {"tasks": "Lager", "id": edited, "youth_id": YOUTH})
    ]
    assert [e.record_id for e in agreements if e.is_create] == [offline]
    assert store.get_row("company_agreement", only_list)["pending"] == 0
    ups = [e.data for e in store.outbox() if e.entity == "placement_follow_up"]
    # the unchanged 2026-11-10 entry is the server's already (its migration moved it)
    assert sorted((u["company_agreement_id"], u["due_date"], u["done_date"], u["note"]) for u in ups) == sorted(
        [
            (edited, "2026-11-20", "2026-11-20", "Godt"),
            (edited, "2026-12-20", None, ""),
            (only_list, "2026-12-01", None, ""),
            (offline, "2026-12-05", None, ""),
        ]
    )
    assert all(u["visibility"] == "organization" and u["organization_id"] == ORG for u in ups)
    assert all(store.get("placement_follow_up", u["id"]) == u for u in ups)
    for ag_id in (edited, only_list, offline):
        row = store.get_row("company_agreement", ag_id)
        assert "follow_ups" not in row["data"] and "follow_ups" not in (row["base"] or {})
    assert not any("follow_ups" in (e.data or {}) for e in store.outbox())

    before = snapshot(store)
    as_schema_2(store)
    store.close()
    store = Store(path, key=KEY)
    assert snapshot(store) == before
    store.close()


def test_the_upgrade_waits_for_the_key(tmp_path):
    path = tmp_path / "phone.sqlite"
    store = Store(path, key=KEY)
    ag = str(uuid.uuid4())
    store.save("company_agreement", ag, YOUTH, agreement(ag, [entry("2026-12-05")]), create=True)
    as_schema_2(store)
    store.close()
    store = Store(path)  # locked: kept, not dropped, not yet upgraded
    assert store.pending_count() == 1 and store._q("PRAGMA user_version")[0][0] == 2
    store.unlock(KEY)
    assert store.pending_count() == 2 and store._q("PRAGMA user_version")[0][0] == FORMAT_VERSION
    store.close()


def rewind_to_schema_2(mentor: AppCore, ag: dict[str, Any], day: str, new: list[dict[str, Any]]) -> None:
    """Leave the mentor's store as the schema-2 app would have: the agreement pulled with its list
    (one follow-up on `day`), an unsent edit of it carrying that one and the `new` ones."""
    store = mentor.store
    base = {k: v for k, v in store.get_row("company_agreement", ag["id"])["base"].items()}
    base["follow_ups"] = [entry(day)]
    aad = f"record|company_agreement|{ag['id']}"
    with store.tx() as c:
        c.execute("DELETE FROM record WHERE entity = 'placement_follow_up'")
        c.execute(
            "UPDATE record SET base = ?, data = ? WHERE entity = 'company_agreement' AND id = ?",
            (store._seal(aad, base), store._seal(aad, base), ag["id"]),
        )
    changes = {"tasks": "Lager og kasse", "follow_ups": [entry(day), *new]}
    store.save("company_agreement", ag["id"], ag["youth_id"], changes, create=False)
    as_schema_2(store)


def test_an_updated_phone_sends_its_old_follow_ups_to_the_real_backend(backend_server, device, tmp_path):
    mentor = device("lise", "mentor.lise")
    mentor.sync()
    me = mads_id(mentor)
    today = mentor.services().today()
    first = (today + timedelta(days=3)).isoformat()
    ag = CompanyServices(mentor.services()).save(
        me, {"company": "Bageriet", "start_date": today.isoformat(), "first_follow_up": first}
    )
    mentor.sync()
    assert mentor.store.pending_count() == 0
    new = [
        entry((today - timedelta(days=2)).isoformat(), True, "Ringede til Jens"),
        entry((today + timedelta(30)).isoformat()),
    ]
    rewind_to_schema_2(mentor, ag, first, new)
    path = mentor.store.path
    mentor.store.close()

    mentor = AppCore(path, server_url=backend_server.url, client_options=FAST_RETRY, kdf=FAST_KDF)
    assert mentor.store.pending_count() == 1  # locked: the old edit, untouched
    mentor.unlock(TEST_PIN)
    assert mentor.store.pending_count() == 3  # the edit without its list, and the two new follow-ups
    result = mentor.sync()
    assert result is not None and not mentor.store.rejected() and mentor.store.pending_count() == 0

    other = device("lise2", "mentor.lise")
    other.sync()
    assert other.store.get("company_agreement", ag["id"])["tasks"] == "Lager og kasse"
    got = CompanyServices(other.services()).agreement(ag["id"])
    assert [(f["due_date"], f["done_date"], f["note"]) for f in got["follow_ups"]] == [
        (new[0]["date"], new[0]["date"], "Ringede til Jens"),
        (first, None, ""),
        (new[1]["date"], None, ""),
    ]
    assert all(f["visibility"] == got["visibility"] for f in got["follow_ups"])

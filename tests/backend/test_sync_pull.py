"""Pull: paging, cursors, revoked young people, access growth, narrowed items."""

import pytest

from tests.backend.world import D0, Api, activity, goal, uid


def live(changes):
    """Apply changes like a client would: latest version per (entity, id), tombstones remove."""
    state = {}
    for c in changes:
        key = (c["entity"], c["id"])
        if c["deleted"]:
            state.pop(key, None)
        else:
            state[key] = c
    return state


def test_paging_returns_everything_once_in_order(app, client, w):
    lise = Api(client, "lise")
    made = [lise.upsert("goal", goal(w, "mads", "Jobcenter", f"Mål {i}"))["record"]["id"] for i in range(23)]
    ahmed = Api(client, "ahmed")
    pages = []
    while True:
        page = ahmed.pull_page(ahmed.cursor, limit=5)
        pages.append(page)
        ahmed.cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert all(len(p["changes"]) <= 5 for p in pages)
    got = [c["id"] for p in pages for c in p["changes"]]
    assert len(got) == len(set(got))
    assert set(made) <= set(got)
    goal_ids = [i for i in got if i in set(made)]
    assert goal_ids == made  # in change order
    # nothing new: a no-op pull returns nothing and keeps the cursor usable
    page = ahmed.pull_page(ahmed.cursor)
    assert page["changes"] == [] and page["has_more"] is False


def test_incremental_pull_gets_only_later_changes(app, client, w):
    ahmed, lise = Api(client, "ahmed"), Api(client, "lise")
    ahmed.pull_all()
    g = lise.upsert("goal", goal(w, "mads", "Jobcenter"))["record"]
    changes, _ = ahmed.pull_all()
    assert [c["id"] for c in changes] == [g["id"]]


def test_interrupted_first_sync_resumes_from_last_page(app, client, w):
    lise = Api(client, "lise")
    for i in range(12):
        lise.upsert("goal", goal(w, "mads", "Jobcenter", f"Mål {i}"))
    ahmed = Api(client, "ahmed")
    first = ahmed.pull_page(None, limit=4)
    assert first["has_more"]
    # the device stores the cursor of each applied page; after a crash it continues from there
    rest, _ = [], None
    cursor = first["cursor"]
    while True:
        page = ahmed.pull_page(cursor, limit=4)
        rest += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    full, _ = Api(client, "ahmed", "other-phone").pull_all()
    assert {c["id"] for c in first["changes"] + rest} == {c["id"] for c in full}
    assert not ({c["id"] for c in first["changes"]} & {c["id"] for c in rest})


def test_consent_withdrawal_revokes_and_regrant_delivers_old_records(app, client, w):
    ahmed = Api(client, "ahmed")
    old_goal = ahmed.upsert("goal", goal(w, "mads", "Jobcenter", "Fra før"))["record"]
    nina = Api(client, "nina")
    changes, revoked = nina.pull_all()
    assert ("goal", old_goal["id"]) in live(changes)
    assert revoked == []
    # Ahmed records that Mads withdraws his consent to Rusmiddelcenter
    consent = next(
        c
        for c in Api(client, "ahmed", "pc").pull_all()[0]
        if c["entity"] == "consent" and c["data"]["organization_id"] == w.orgs["Rusmiddelcenter"]
    )
    res = ahmed.upsert("consent", {"id": consent["id"], "status": "withdrawn"}, base_version=consent["version"])
    assert res["status"] == "applied" and res["record"]["withdrawn_at"]
    changes, revoked = nina.pull_all()
    assert revoked == [w.youths["mads"]]
    assert changes == [] or all(c["data"] is None or c["data"].get("youth_id") != w.youths["mads"] for c in changes)
    # changes while revoked never reach her
    ahmed.upsert("goal", goal(w, "mads", "Jobcenter", "Mens samtykket var trukket"))
    changes, _ = nina.pull_all()
    assert all(c["entity"] == "organization" for c in changes)
    # consent given again: everything about Mads, also what changed long before her cursor
    ahmed.upsert("consent", {"id": consent["id"], "status": "given"}, base_version=res["version"])
    changes, revoked = nina.pull_all()
    got = live(changes)
    assert ("goal", old_goal["id"]) in got
    assert ("youth", w.youths["mads"]) in got
    assert revoked == []


def test_new_assignment_delivers_youth_history(app, client, w):
    lise = Api(client, "lise")
    g = lise.upsert("goal", goal(w, "sara", "Jobcenter", "Saras mål"))["record"]
    assert ("youth", w.youths["sara"]) in live(lise.pull_all()[0])
    ole = Api(client, "ole")  # another mentor, not assigned
    changes, _ = ole.pull_all()
    assert ("goal", g["id"]) not in live(changes)
    ahmed = Api(client, "ahmed")
    ahmed.upsert("youth", {"id": w.youths["sara"], "mentor_id": w.users["ole"]}, base_version=2)
    changes, _ = ole.pull_all()
    assert ("goal", g["id"]) in live(changes)
    # Lise is no longer Sara's mentor: her phone is told to drop Sara
    _, revoked = lise.pull_all()
    assert revoked == [w.youths["sara"]]


def test_item_narrowed_to_organisation_is_removed_from_partner_devices(app, client, w):
    karen = Api(client, "karen")
    nina = Api(client, "nina")
    g = nina.upsert("goal", goal(w, "mads", "Rusmiddelcenter", "Behandlingsmål"))["record"]
    assert ("goal", g["id"]) in live(karen.pull_all()[0])
    nina.upsert("goal", {"id": g["id"], "visibility": "organization"}, base_version=1)
    changes, _ = karen.pull_all()
    assert [(c["id"], c["deleted"], c["data"]) for c in changes] == [(g["id"], True, None)]
    # a later edit still does not leak it
    nina.upsert("goal", {"id": g["id"], "title": "Ny titel"}, base_version=2)
    changes, _ = karen.pull_all()
    assert all(c["data"] is None for c in changes if c["id"] == g["id"])
    assert ("goal", g["id"]) in live(nina.pull_all()[0])


def test_activity_narrowing_cascades_to_its_attendance(app, client, w):
    nina, peter = Api(client, "nina"), Api(client, "peter")
    act = nina.upsert("activity", activity(w, "mads", "Rusmiddelcenter", "Gruppe"))["record"]
    att = nina.upsert(
        "attendance", {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": D0, "status": "present"}
    )["record"]
    assert ("attendance", att["id"]) in live(peter.pull_all()[0])
    nina.upsert("activity", {"id": act["id"], "visibility": "organization"}, base_version=1)
    changes, _ = peter.pull_all()
    assert {(c["entity"], c["deleted"]) for c in changes} == {("activity", True), ("attendance", True)}


@pytest.mark.parametrize("cursor", ["not-base64!!", "eyJ4IjoxfQ", "e30", "eyJzIjotMX0", "eyJzIjo5OTk5OTk5fQ"])
def test_bad_cursor_is_a_400(app, client, w, cursor):
    lise = Api(client, "lise")
    r = client.get("/api/v1/sync/pull", headers=lise.headers, query_string={"cursor": cursor})
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "100000"])
def test_bad_limit_is_a_400(app, client, w, limit):
    lise = Api(client, "lise")
    r = client.get("/api/v1/sync/pull", headers=lise.headers, query_string={"limit": limit})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid"


def test_pull_is_audit_logged(app, client, w):
    from sqlalchemy import select

    from backend.extensions import db
    from backend.models import AuditLog

    Api(client, "karen").pull_all()
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog).where(AuditLog.user_id == w.users["karen"], AuditLog.action == "read")
        ).all()
        assert {r.youth_id for r in rows} == {w.youths["mads"], w.youths["sara"]}


def test_record_deleted_during_a_paged_first_sync_is_removed_from_the_device(app, client, w):
    lise = Api(client, "lise")
    made = {lise.upsert("goal", goal(w, "mads", "Jobcenter", f"Mål {i}"))["record"]["id"] for i in range(6)}
    ahmed = Api(client, "ahmed")
    seen = []
    while not any(c["id"] in made for c in seen):  # page until the device holds a goal
        page = ahmed.pull_page(ahmed.cursor, limit=4)
        assert page["has_more"]
        seen += page["changes"]
        ahmed.cursor = page["cursor"]
    early = next(c["id"] for c in seen if c["id"] in made)
    lise.delete("goal", early, base_version=1)  # deleted while the first sync is still paging
    rest, _ = ahmed.pull_all(limit=4)
    assert ("goal", early) not in live(seen + rest)
    assert [c["deleted"] for c in rest if c["id"] == early] == [True]


def _withdraw(client, w, youth="mads", org="Rusmiddelcenter", status="withdrawn"):
    """Ahmed sets a consent's status; returns the applied record."""
    ahmed = Api(client, "ahmed", f"pc-{uid()[:6]}")
    consent = next(
        c
        for c in live(ahmed.pull_all()[0]).values()
        if c["entity"] == "consent"
        and c["data"]["organization_id"] == w.orgs[org]
        and c["data"]["youth_id"] == w.youths[youth]
    )
    res = ahmed.upsert("consent", {"id": consent["id"], "status": status}, base_version=consent["version"])
    assert res["status"] == "applied", res
    return res["record"]


class Device:
    """What a phone holds: pages applied like the app's store does (revoked young people first)."""

    def __init__(self, api):
        self.api, self.records = api, {}

    def apply(self, changes, revoked):
        self.records = {k: c for k, c in self.records.items() if (c["data"] or {}).get("youth_id") not in revoked}
        for c in changes:
            key = (c["entity"], c["id"])
            if c["deleted"]:
                self.records.pop(key, None)
            else:
                self.records[key] = c

    def page(self, limit=4):
        page = self.api.pull_page(self.api.cursor, limit=limit)
        self.apply(page["changes"], page["revoked_youth_ids"])
        self.api.cursor = page["cursor"]
        return page

    def sync(self):
        while self.page(limit=500)["has_more"]:
            pass

    def page_until_holding(self, record_id):
        """Page a first sync, 4 at a time, until this device holds `record_id`."""
        while ("goal", record_id) not in self.records:
            assert self.page()["has_more"]

    def holds_youth(self, youth_id):
        return [k for k, c in self.records.items() if c["data"].get("youth_id") == youth_id]


def _early_goal(client, w):
    """A goal for Mads followed by enough other changes that a first sync pages past it."""
    ahmed = Api(client, "ahmed")
    g = ahmed.upsert("goal", goal(w, "mads", "Jobcenter", "Tidligt mål"))["record"]
    for i in range(8):
        ahmed.upsert("goal", goal(w, "mads", "Jobcenter", f"Senere mål {i}"))
    return ahmed, g


def test_consent_withdrawn_during_a_paged_first_sync_is_reported_afterwards(app, client, w):
    _, g = _early_goal(client, w)
    nina = Device(Api(client, "nina"))
    nina.page_until_holding(g["id"])
    _withdraw(client, w)  # while Nina's phone is still paging
    nina.sync()
    nina.sync()
    assert nina.holds_youth(w.youths["mads"]) == []


def test_record_deleted_while_consent_was_withdrawn_is_removed_when_consent_returns(app, client, w):
    """Withdrawn during Nina's first sync, a goal deleted, consent given again: the goal must go."""
    ahmed, g = _early_goal(client, w)
    nina = Device(Api(client, "nina"))
    nina.page_until_holding(g["id"])
    _withdraw(client, w)
    ahmed.delete("goal", g["id"], base_version=1)
    nina.sync()  # pages past the deletion while Mads is hidden
    _withdraw(client, w, status="given")
    nina.sync()
    assert ("goal", g["id"]) not in nina.records
    assert ("youth", w.youths["mads"]) in nina.records


def test_revocation_racing_a_pull_is_not_lost_when_consent_returns(app, client, w, monkeypatch):
    """A pull read the counter, then the withdrawal committed before it selected its page.

    The page left Mads out but moved the cursor past a deletion; the consent came back before
    the next pull. The device must still lose the deleted goal.
    """
    from backend.sync import changes as changes_mod
    from backend.sync import pull as pull_mod

    ahmed = Api(client, "ahmed")
    g = ahmed.upsert("goal", goal(w, "mads", "Jobcenter", "Slettes"))["record"]
    nina = Device(Api(client, "nina"))
    nina.sync()
    assert ("goal", g["id"]) in nina.records
    ahmed.delete("goal", g["id"], base_version=1)
    with app.app_context():
        before = changes_mod.current_seq()
    _withdraw(client, w)
    # the racing pull: counter read before the withdrawal, revocations looked at before it too
    monkeypatch.setattr(pull_mod, "current_seq", lambda: before)
    monkeypatch.setattr(pull_mod, "_revoked_since", lambda user, after: [])
    page = nina.page(limit=500)
    assert not page["has_more"] and ("goal", g["id"]) in nina.records
    monkeypatch.undo()
    _withdraw(client, w, status="given")
    nina.sync()
    assert ("goal", g["id"]) not in nina.records
    assert ("youth", w.youths["mads"]) in nina.records

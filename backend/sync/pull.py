"""Handing out changes: everything the user may see that changed after the cursor, in order.

The cursor is opaque to clients (base64 of a small JSON):
  s  – main position: every visible change with a sequence number ≤ s has been delivered;
  i  – set during a device's first sync (no revoked ids, no tombstones older than t, its start);
  c  – young people who became visible (new consent or assignment) and whose older records
       are being caught up, cs – position within that catch-up, cu – its upper bound;
  g  – grants up to this number have been looked at;
  r  – revocations up to this number have been looked at.

`g` and `r` are the counter as it stood when a pull began. A grant or revocation that commits
while a pull runs may or may not be reflected in that pull's pages, so the next pull looks at it
again: a revocation is reported if the young person is still hidden, and a young person hidden
and visible again gets a catch-up with tombstones (the device may hold records deleted meanwhile).
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from backend import audit
from backend.access import SEES_ALL_ITEMS, grant_condition, item_condition, item_visible, visible_youth_query
from backend.errors import ApiError
from backend.extensions import db
from backend.models import AccessGrant, ChangeLog, User
from backend.sync.changes import current_seq
from backend.sync.cursor import decode_cursor, encode_cursor
from backend.sync.records import MODELS, columns, mapping_to_wire
from shared.enums import Role
from shared.permissions import FIELD_HIDING, blanked


def pull(user: User, cursor: str | None, limit: int, channel: str = "api") -> dict:
    """One page of changes for `user` after `cursor`; adds its audit lines, the caller commits them."""
    state = decode_cursor(cursor)
    top = current_seq()
    if state is None:
        state = {"s": 0, "i": 1, "g": top, "t": top}
    if state["s"] > top:
        raise ApiError(400, "invalid_cursor", "Cursoren er fra en anden server. Start forfra uden cursor.")
    initial = bool(state.get("i"))
    revoked: list[str] = []
    if not initial:
        # A first sync looks at neither while it pages; both then start from where it began.
        revoked = _revoked_since(user, state.get("r", state["s"]))
        state["r"] = top
        if not state.get("c"):
            new = _granted_since(user, state.get("g", state["s"]), top)
            if new:
                state.update(c=sorted(new), cs=0, cu=state["s"])
            state["g"] = top
    youth_q = visible_youth_query(user)
    if state.get("c"):
        rows, has_more = _catch_up_page(user, youth_q, state, top, limit, initial)
    else:
        rows, has_more = _main_page(user, youth_q, state, top, limit, initial)
    changes = _load(user, rows)
    _audit_read(user, changes, channel)
    return {"changes": changes, "cursor": encode_cursor(state), "has_more": has_more, "revoked_youth_ids": revoked}


def _catch_up_page(user: User, youth_q, state: dict, top: int, limit: int, initial: bool) -> tuple[_Page, bool]:
    """A page of the older records of young people who became visible; moves the cursor's catch-up.

    Tombstones too: a young person hidden and visible again may have records on the device that
    were deleted while hidden.
    """
    rows = _page(user, youth_q, after=state["cs"], upto=state["cu"], limit=limit, youth_ids=state["c"])
    more = len(rows) > limit
    rows = _Page(rows[:limit], rows.conds)
    if more:
        state["cs"] = rows[-1].seq
        return rows, True  # the main stream comes next
    for k in ("c", "cs", "cu"):
        state.pop(k, None)
    skip = state.get("t", top) if initial else None
    return rows, _page(user, youth_q, after=state["s"], upto=top, limit=0, skip_deleted_upto=skip) != []


def _main_page(user: User, youth_q, state: dict, top: int, limit: int, initial: bool) -> tuple[_Page, bool]:
    """A page of the main stream after the cursor; moves it (and ends a first sync on its last page)."""
    skip = state.get("t", top) if initial else None
    rows = _page(user, youth_q, after=state["s"], upto=top, limit=limit, skip_deleted_upto=skip)
    has_more = len(rows) > limit
    rows = _Page(rows[:limit], rows.conds)
    state["s"] = rows[-1].seq if has_more else top
    if not has_more and initial:
        state.pop("i", None)
        state["r"] = state.pop("t", state["g"])
    return rows, has_more


def _audit_read(user: User, changes: list[dict], channel: str) -> None:
    """One audit count per young person and entity handed out (the caller commits)."""
    counts: dict = {}
    for ch in changes:
        y = ch.pop("_youth_id")
        if y is not None:
            counts[(y, ch["entity"])] = counts.get((y, ch["entity"]), 0) + 1
    if counts:
        audit.record_many(user, "read", counts, channel=channel)


def _page(
    user: User,
    youth_q,
    after: int,
    upto: int,
    limit: int,
    youth_ids: list[str] | None = None,
    skip_deleted_upto: int | None = None,
) -> list:
    """Change rows after `after` up to `upto`, in order.

    Tombstones numbered up to `skip_deleted_upto` are left out: they are older than the sync or
    catch-up that is running, so the device cannot hold those records. A record deleted while a
    first sync is paging gets a later number and its tombstone is sent (the device may already
    have received the record on an earlier page).
    """
    if user.role == Role.ADMIN:
        scope = ChangeLog.entity == "organization"
    elif youth_ids is not None:
        scope = and_(ChangeLog.youth_id.in_(youth_ids), ChangeLog.youth_id.in_(youth_q))
    else:
        scope = or_(ChangeLog.entity == "organization", ChangeLog.youth_id.in_(youth_q))
    item = or_(item_condition(user), ChangeLog.narrowed.is_(True))
    conds = [ChangeLog.seq > after, ChangeLog.seq <= upto, scope, item]
    if skip_deleted_upto is not None:
        conds.append(or_(ChangeLog.deleted.is_(False), ChangeLog.seq > skip_deleted_upto))
    q = (
        select(
            ChangeLog.entity,
            ChangeLog.record_id,
            ChangeLog.seq,
            ChangeLog.deleted,
            ChangeLog.youth_id,
            ChangeLog.organization_id,
            ChangeLog.visibility,
        )
        .where(*conds)
        .order_by(ChangeLog.seq)
        .limit(limit + 1)
    )
    # Core execution on the session's connection (same transaction): these are plain column
    # selects, and the ORM's result processing was a fifth of a large pull.
    return _Page(db.session.connection().execute(q).all(), conds)


class _Page(list):
    """The change rows of a page, with the conditions that selected them (to load their records)."""

    def __init__(self, rows, conds):
        super().__init__(rows)
        self.conds = conds


def _load(user: User, rows: _Page) -> list[dict]:
    """Full records for the change rows, in order; tombstones for deleted or no longer visible ones.

    Each entity's records are read with one join of change_log over the page's range and
    conditions (an index range scan), not a long `id IN (…)` list.
    """
    if not rows:
        return []
    entities = {r.entity for r in rows}
    last = rows[-1].seq
    loaded: dict[tuple[str, str], tuple[int, dict]] = {}
    for entity in entities:
        model = MODELS[entity]
        select_cols = [getattr(model, c) for c in columns(entity)]
        if entity != "organization":
            select_cols.append(model.version)
        q = (
            select(*select_cols)
            .join(ChangeLog, and_(ChangeLog.record_id == model.id, ChangeLog.entity == entity))
            .where(*rows.conds, ChangeLog.seq <= last)
        )
        for m in db.session.connection().execute(q).mappings():
            loaded[(entity, m["id"])] = (m.get("version", 1), mapping_to_wire(entity, m))
    sees_all = user.role in SEES_ALL_ITEMS
    out = []
    for r in rows:
        version, data = loaded.get((r.entity, r.record_id), (0, None))
        visible = (
            not r.deleted and data is not None and (sees_all or item_visible(user, r.organization_id, r.visibility))
        )
        if visible and r.entity in FIELD_HIDING:
            # an organisation-only comment or note, or the young person's contact details, travel blank
            data = blanked(user, r.entity, data)
        out.append(
            {
                "entity": r.entity,
                "id": r.record_id,
                "version": version,
                "deleted": not visible,
                "data": data if visible else None,
                "_youth_id": r.youth_id if visible else None,
            }
        )
    return out


def _revoked_since(user: User, after: int) -> list[str]:
    q = select(AccessGrant.youth_id).where(grant_condition(user), AccessGrant.revoked_seq > after).distinct()
    candidates = set(db.session.scalars(q))
    if not candidates:
        return []
    still = set(db.session.scalars(visible_youth_query(user).where(AccessGrant.youth_id.in_(candidates))))
    return sorted(candidates - still)


def _granted_since(user: User, after: int, upto: int) -> set[str]:
    if user.role == Role.ADMIN:
        return set()
    q = select(AccessGrant.youth_id).where(
        grant_condition(user), AccessGrant.active.is_(True), AccessGrant.seq > after, AccessGrant.seq <= upto
    )
    return set(db.session.scalars(q))

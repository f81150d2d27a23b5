"""Administrator operations (used by the CLI and the seed): organisations, users, assignments, tokens."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import SimpleNamespace

from sqlalchemy import or_, select

from backend.auth import KEEPS_DATA, REASON_WIPE, hash_password, revoke_token
from backend.extensions import db
from backend.models import AppliedMutation, Consent, DeviceToken, Organization, User, Youth
from backend.sync.changes import ChangeSet
from backend.sync.push import push
from shared.enums import Role


class AdminError(Exception):
    """An administrator's request that cannot be carried out; the message says why (Danish)."""


SYSTEM = SimpleNamespace(
    id="00000000-0000-0000-0000-000000000000", role="system", organization_id=None, username="system"
)


def system_write(mutations: list[dict], actor=None, channel: str = "cli") -> list[dict]:
    """Apply mutations through the sync engine without permission checks; raise on any rejection."""
    muts = [{"mutation_id": str(uuid.uuid4()), "op": "upsert", "base_version": None, **m} for m in mutations]
    results = push(actor or SYSTEM, "admin", muts, channel=channel, system=True)
    bad = [r for r in results if r["status"] == "rejected"]
    if bad:
        raise AdminError("; ".join(r["error"]["message"] for r in bad))
    return results


def unapplied(step: str, mutations: list[dict], make_id: Callable[..., str]) -> list[dict]:
    """Complete a seed step's `mutations` as upserts with ids from `make_id`; return those not yet applied.

    Deterministic mutation ids let a re-run of the seed leave out what an earlier run applied.
    """
    for m in mutations:
        m.setdefault("op", "upsert")
        m.setdefault("base_version", None)
        m["data"] = {**m["data"], "id": m["id"]}
        m["mutation_id"] = make_id("mutation", step, m["entity"], m["id"])
    ids = [m["mutation_id"] for m in mutations]
    done: set[str] = set()
    for i in range(0, len(ids), 500):
        done |= set(
            db.session.scalars(
                select(AppliedMutation.mutation_id).where(AppliedMutation.mutation_id.in_(ids[i : i + 500]))
            )
        )
    return [m for m in mutations if m["mutation_id"] not in done]


def create_organization(name: str, kind: str | None = None) -> Organization:
    name = name.strip()
    if not name:
        raise AdminError("Navnet må ikke være tomt.")
    org = db.session.scalar(select(Organization).where(Organization.name == name))
    if org is not None:
        return org
    org = Organization(name=name, kind=kind)
    db.session.add(org)
    db.session.flush()
    cs = ChangeSet()
    cs.touch("organization", org.id, None, None, "shared")
    cs.finalize()
    db.session.commit()
    return org


def create_user(
    username: str, password: str, role: str, org_name: str | None, display_name: str, birth_date: str | None = None
) -> User:
    """Create a user; a youth user gets their youth record (and so sees themself) at once.

    The password policy is not applied here: callers that take a password from a person check it
    first (backend.accounts.policy.check_password, as the CLI and the pages do); the demo seeder
    and test fixtures do not.
    """
    username = username.strip().lower()
    if not username or len(username) > 100:
        raise AdminError("Ugyldigt brugernavn.")
    if role not in {r.value for r in Role}:
        raise AdminError(f"Ukendt rolle: {role}.")
    if len(password) < 8:
        raise AdminError("Adgangskoden skal være mindst 8 tegn.")
    if db.session.scalar(select(User).where(User.username == username)) is not None:
        raise AdminError(f"Brugernavnet {username} findes allerede.")
    org = None
    if role in (Role.MENTOR, Role.COORDINATOR, Role.PARTNER):
        if not org_name:
            raise AdminError("Medarbejdere skal høre til en organisation (--org).")
        org = db.session.scalar(select(Organization).where(Organization.name == org_name))
        if org is None:
            raise AdminError(f"Organisationen {org_name} findes ikke.")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        organization_id=org.id if org else None,
        display_name=display_name,
    )
    db.session.add(user)
    db.session.commit()
    if role == Role.YOUTH:
        yid = str(uuid.uuid4())
        data = {"id": yid, "youth_id": yid, "display_name": display_name, "user_id": user.id}
        if birth_date:
            data["birth_date"] = birth_date
        system_write([{"entity": "youth", "id": yid, "data": data}])
    return user


def youth_of(username: str) -> Youth:
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    youth = db.session.scalar(select(Youth).where(Youth.user_id == user.id)) if user else None
    if youth is None:
        raise AdminError(f"{username} er ikke en ung.")
    return youth


def _staff(username: str, roles: set[str]) -> User:
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None or user.role not in roles:
        raise AdminError(f"{username} er ikke en bruger med rollen {'/'.join(sorted(roles))}.")
    return user


def assign(youth_username: str, mentor: str | None = None, coordinator: str | None = None) -> Youth:
    youth = youth_of(youth_username)
    data = {"id": youth.id, "youth_id": youth.id}
    if mentor:
        data["mentor_id"] = _staff(mentor, {Role.MENTOR}).id
    if coordinator:
        data["coordinator_id"] = _staff(coordinator, {Role.COORDINATOR}).id
    if len(data) == 2:
        raise AdminError("Angiv --mentor og/eller --coordinator.")
    system_write([{"entity": "youth", "id": youth.id, "base_version": youth.version, "data": data}])
    return youth


def record_consent(youth_username: str, org_names: list[str]) -> None:
    """Record given consents (the written intake consent) through the sync engine."""
    youth = youth_of(youth_username)
    muts = []
    for name in org_names:
        org = db.session.scalar(select(Organization).where(Organization.name == name))
        if org is None:
            raise AdminError(f"Organisationen {name} findes ikke.")
        existing = db.session.scalar(
            select(Consent).where(Consent.youth_id == youth.id, Consent.organization_id == org.id)
        )
        rid = existing.id if existing else str(uuid.uuid4())
        muts.append(
            {
                "entity": "consent",
                "id": rid,
                "base_version": existing.version if existing else None,
                "data": {"id": rid, "youth_id": youth.id, "organization_id": org.id, "status": "given"},
            }
        )
    system_write(muts)


def revoke_tokens(username: str, device: str | None = None) -> int:
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise AdminError(f"Brugeren {username} findes ikke.")
    # A token a password reset signed out is still on a phone that keeps its data: it must wipe too.
    q = select(DeviceToken).where(
        DeviceToken.user_id == user.id,
        or_(DeviceToken.revoked_at.is_(None), DeviceToken.revoked_reason.in_(KEEPS_DATA)),
    )
    if device:
        q = q.where(DeviceToken.device_name == device)
    rows = db.session.scalars(q).all()
    for row in rows:
        revoke_token(row, REASON_WIPE)
    db.session.commit()
    return len(rows)


def set_org_contact(
    name: str, on_call_phone: str | None, weekdays: str | None, opens: str | None, closes: str | None
) -> Organization:
    """Set an organisation's on-call (24/7) number and opening hours; the phones receive them by sync.

    `weekdays` is e.g. "0-4" or "0,1,2,3,4" (0 = Monday). A value left as None is not changed;
    an empty phone removes the number.
    """
    from marshmallow import ValidationError

    from shared.schemas import OrganizationSchema, first_error_message

    org = db.session.scalar(select(Organization).where(Organization.name == name.strip()))
    if org is None:
        raise AdminError(f"Organisationen {name} findes ikke.")
    data = {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "on_call_phone": org.on_call_phone,
        "opening_weekdays": list(org.opening_weekdays or []),
        "opens_at": org.opens_at,
        "closes_at": org.closes_at,
    }
    if on_call_phone is not None:
        data["on_call_phone"] = on_call_phone.strip() or None
    if weekdays is not None:
        data["opening_weekdays"] = _parse_weekdays(weekdays)
    if opens is not None:
        data["opens_at"] = opens.strip() or None
    if closes is not None:
        data["closes_at"] = closes.strip() or None
    try:
        loaded = OrganizationSchema().load(data)
    except ValidationError as e:
        raise AdminError(first_error_message(e)) from None
    if bool(loaded["opens_at"]) != bool(loaded["closes_at"]) or (
        loaded["opens_at"] and loaded["opens_at"] >= loaded["closes_at"]
    ):
        raise AdminError("Åbningstiden skal have et 'fra' før 'til', fx 08:00 og 16:00.")
    for k in ("on_call_phone", "opening_weekdays", "opens_at", "closes_at"):
        setattr(org, k, loaded[k])
    cs = ChangeSet()
    cs.touch("organization", org.id, None, None, "shared")
    cs.finalize()
    db.session.commit()
    return org


def _parse_weekdays(text: str) -> list[int]:
    days: set[int] = set()
    try:
        for part in (p.strip() for p in text.split(",") if p.strip()):
            lo, _, hi = part.partition("-")
            days.update(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise AdminError("Ugedage skrives som 0-4 eller 0,1,2 (0 = mandag).") from None
    if any(d < 0 or d > 6 for d in days):
        raise AdminError("Ugedage går fra 0 (mandag) til 6 (søndag).")
    return sorted(days)


def set_user_phone(username: str, phone: str) -> User:
    """A staff member's work phone (a mentor's is shown to their young people in opening hours)."""
    from shared.contact import normalize_phone

    user = _staff(username, {Role.MENTOR, Role.COORDINATOR, Role.PARTNER})
    try:
        user.phone = normalize_phone(phone)
    except ValueError as e:
        raise AdminError(str(e)) from None
    db.session.commit()
    return user

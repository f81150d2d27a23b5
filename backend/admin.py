"""Administrator operations (used by the CLI and the seed): organisations, users, assignments, tokens."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from sqlalchemy import select

from backend.auth import hash_password, revoke_token
from backend.extensions import db
from backend.models import Consent, DeviceToken, Organization, User, Youth
from backend.sync.changes import ChangeSet
from backend.sync.push import push
from shared.enums import Role


class AdminError(Exception):
    """An administrator's request that cannot be carried out; the message says why (Danish)."""


SYSTEM = SimpleNamespace(id="00000000-0000-0000-0000-000000000000", role="system", organization_id=None,
                         username="system")


def system_write(mutations: list[dict], actor=None, channel: str = "cli") -> list[dict]:
    """Apply mutations through the sync engine without permission checks; raise on any rejection."""
    muts = [{"mutation_id": str(uuid.uuid4()), "op": "upsert", "base_version": None, **m} for m in mutations]
    results = push(actor or SYSTEM, "admin", muts, channel=channel, system=True)
    bad = [r for r in results if r["status"] == "rejected"]
    if bad:
        raise AdminError("; ".join(r["error"]["message"] for r in bad))
    return results


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


def create_user(username: str, password: str, role: str, org_name: str | None, display_name: str,
                birth_date: str | None = None) -> User:
    """Create a user; a youth user gets their youth record (and so sees themself) at once."""
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
    user = User(username=username, password_hash=hash_password(password), role=role,
                organization_id=org.id if org else None, display_name=display_name)
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
        existing = db.session.scalar(select(Consent).where(Consent.youth_id == youth.id,
                                                           Consent.organization_id == org.id))
        rid = existing.id if existing else str(uuid.uuid4())
        muts.append({"entity": "consent", "id": rid, "base_version": existing.version if existing else None,
                     "data": {"id": rid, "youth_id": youth.id, "organization_id": org.id, "status": "given"}})
    system_write(muts)


def revoke_tokens(username: str, device: str | None = None) -> int:
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise AdminError(f"Brugeren {username} findes ikke.")
    q = select(DeviceToken).where(DeviceToken.user_id == user.id, DeviceToken.revoked_at.is_(None))
    if device:
        q = q.where(DeviceToken.device_name == device)
    rows = db.session.scalars(q).all()
    for row in rows:
        revoke_token(row)
    db.session.commit()
    return len(rows)

"""A small municipality built through the real admin functions and sync engine, plus an API driver."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from backend.admin import assign, create_organization, create_user, system_write, youth_of
from backend.extensions import db
from shared import SCHEMA_VERSION

PASSWORD = "test-pass-1234"


def uid() -> str:
    return str(uuid.uuid4())


@dataclass
class World:
    orgs: dict[str, str] = field(default_factory=dict)  # name -> id
    users: dict[str, str] = field(default_factory=dict)  # username -> id
    youths: dict[str, str] = field(default_factory=dict)  # username -> youth id


def build_world(app) -> World:
    """Orgs Jobcenter, UU, Bostøtte, Rusmiddelcenter; mads (consents to all) and sara (Jobcenter, UU)."""
    w = World()
    with app.app_context():
        for name, kind in (
            ("Jobcenter", "jobcenter"),
            ("UU", "uu"),
            ("Bostøtte", "bostotte"),
            ("Rusmiddelcenter", "rusmiddelcenter"),
        ):
            w.orgs[name] = create_organization(name, kind).id
        for username, role, org in (
            ("mads", "youth", None),
            ("sara", "youth", None),
            ("lise", "mentor", "Jobcenter"),
            ("ahmed", "coordinator", "Jobcenter"),
            ("karen", "partner", "UU"),
            ("peter", "partner", "Bostøtte"),
            ("nina", "partner", "Rusmiddelcenter"),
            ("admin", "admin", None),
            ("ole", "mentor", "Jobcenter"),
        ):
            w.users[username] = create_user(username, PASSWORD, role, org, username.capitalize()).id
        for y in ("mads", "sara"):
            w.youths[y] = youth_of(y).id
        consents = {"mads": ["Jobcenter", "UU", "Bostøtte", "Rusmiddelcenter"], "sara": ["Jobcenter", "UU"]}
        muts = []
        for y, orgs in consents.items():
            for o in orgs:
                muts.append(
                    {
                        "entity": "consent",
                        "id": uid(),
                        "data": {"id": None, "youth_id": w.youths[y], "organization_id": w.orgs[o], "status": "given"},
                    }
                )
        for m in muts:
            m["data"]["id"] = m["id"]
        system_write(muts)
        # consent first: only staff of a consented organisation may be mentor or coordinator
        for y in ("mads", "sara"):
            assign(y, "lise", "ahmed")
        db.session.remove()
    return w


class Api:
    """Drives /api/v1 through the Flask test client like a device would."""

    def __init__(self, client, username: str, device: str = "test-device"):
        self.client = client
        self.device = device
        r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_name": device})
        assert r.status_code == 200, r.get_json()
        self.token = r.get_json()["token"]
        self.user = r.get_json()["user"]
        self.cursor = None

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def push_raw(self, mutations, schema_version=SCHEMA_VERSION):
        return self.client.post(
            "/api/v1/sync/push",
            headers=self.headers,
            json={"device_id": self.device, "schema_version": schema_version, "mutations": mutations},
        )

    def push(self, *mutations) -> list[dict]:
        r = self.push_raw(list(mutations))
        assert r.status_code == 200, r.get_json()
        return r.get_json()["results"]

    def upsert(self, entity, data, base_version=None, record_id=None) -> dict:
        rid = record_id or data.get("id") or uid()
        data = {**data, "id": rid}
        return self.push(
            {
                "mutation_id": uid(),
                "entity": entity,
                "id": rid,
                "op": "upsert",
                "base_version": base_version,
                "data": data,
            }
        )[0]

    def delete(self, entity, record_id, base_version=None) -> dict:
        return self.push(
            {
                "mutation_id": uid(),
                "entity": entity,
                "id": record_id,
                "op": "delete",
                "base_version": base_version,
                "data": None,
            }
        )[0]

    def pull_page(self, cursor=None, limit=500):
        q = {"limit": limit}
        if cursor:
            q["cursor"] = cursor
        r = self.client.get("/api/v1/sync/pull", headers=self.headers, query_string=q)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def pull_all(self, limit=500) -> tuple[list[dict], list[str]]:
        """Pull until has_more is false from the saved cursor; returns (changes, revoked ids)."""
        changes, revoked = [], []
        while True:
            page = self.pull_page(self.cursor, limit)
            changes += page["changes"]
            revoked += page["revoked_youth_ids"]
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return changes, revoked


def goal(w: World, youth: str, org: str, title: str = "Delmål", visibility: str = "shared", **kw) -> dict:
    return {
        "id": uid(),
        "youth_id": w.youths[youth],
        "organization_id": w.orgs[org],
        "title": title,
        "visibility": visibility,
        **kw,
    }


def activity(w: World, youth: str, org: str, title: str = "Aktivitet", visibility: str = "shared", **kw) -> dict:
    base = {
        "id": uid(),
        "youth_id": w.youths[youth],
        "organization_id": w.orgs[org],
        "title": title,
        "weekdays": [0, 2, 4],
        "start_time": "09:00",
        "end_time": "12:00",
        "start_date": "2026-01-05",
        "visibility": visibility,
    }
    base.update(kw)
    return base


def day(offset: int = 0) -> str:
    """The server's local date (Copenhagen) plus `offset` days, ISO: attendance has date windows."""
    from datetime import timedelta

    from backend.sync.need_to_know import server_today

    return (server_today() + timedelta(days=offset)).isoformat()


D0, D1 = day(0), day(-1)  # today and yesterday (a check-in is accepted on its day, or synced the next)


def web_login(client, user_id: str) -> None:
    """Log `client` in to the web pages as `user_id` without the form: a real server-side session
    row (backend.accounts.sessions), its id in the session cookie, as a password login makes."""
    from flask import session

    from backend.accounts import sessions
    from backend.models import User

    app = client.application
    with app.test_request_context():
        sessions.start(db.session.get(User, user_id))
        db.session.commit()
        sid = session["sid"]
        db.session.remove()
    with client.session_transaction() as s:
        s["sid"] = sid  # other keys (the CSRF token) stay, unlike a real login

"""Why a device token ended decides whether the phone wipes itself: a password reset signs the
phone out (it keeps its unsent changes), a lost phone, logout or a closed account wipe it."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import DeviceToken
from tests.backend.test_accounts_lifecycle import NEW, api_login
from tests.backend.test_cli import cli, ok  # noqa: F401 - the CLI fixture


def status(client, token: str) -> str:
    digest = hashlib.sha256(token.encode()).hexdigest()
    r = client.post("/api/v1/auth/token-status", json={"token_hash": digest})
    assert r.status_code == 200
    return r.get_json()["status"]


def refusal(client, token: str) -> str:
    """The 401 code a request with this token gets."""
    r = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    return r.get_json()["error"]["code"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def reset_password(app, username: str) -> None:
    """The one-time link, issued and used (backend.accounts.lifecycle, as the web page does)."""
    from backend.accounts.lifecycle import find_user, issue_reset, use_reset

    with app.app_context():
        use_reset(issue_reset(find_user(username), None), NEW)
        db.session.remove()


def reasons(app, user_id: str) -> set[str | None]:
    with app.app_context():
        rows = db.session.scalars(select(DeviceToken.revoked_reason).where(DeviceToken.user_id == user_id)).all()
        db.session.remove()
    return set(rows)


def test_password_reset_signs_the_phone_out_without_wiping(app, client, w):
    token = api_login(client, "lise").get_json()["token"]
    assert status(client, token) == "active"
    reset_password(app, "lise")
    assert status(client, token) == "signed_out"
    r = client.get("/api/v1/sync/pull", headers=bearer(token))
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "signed_out"
    assert "nye adgangskode" in r.get_json()["error"]["message"]
    new = api_login(client, "lise", NEW).get_json()["token"]
    listed = client.get("/api/v1/auth/tokens", headers=bearer(new)).get_json()["tokens"]
    assert {(t["revoked"], t["revoked_reason"]) for t in listed} == {(True, "password_reset"), (False, None)}


def _revoke_by_api(client, actor: str, token: str, owner: str) -> None:
    """`actor` revokes every token of `owner` through the API (a lost phone)."""
    mine = api_login(client, actor).get_json()["token"]
    me = client.get("/api/v1/auth/me", headers=bearer(mine)).get_json()["user"]
    owner_id = me["id"] if actor == owner else None
    if owner_id is None:
        with client.application.app_context():
            from backend.models import User

            owner_id = db.session.scalar(select(User.id).where(User.username == owner))
            db.session.remove()
    rows = client.get("/api/v1/auth/tokens", headers=bearer(mine), query_string={"user_id": owner_id}).get_json()[
        "tokens"
    ]
    for t in rows:
        if not t["current"]:
            assert client.post(f"/api/v1/auth/tokens/{t['id']}/revoke", headers=bearer(mine)).status_code == 200


@pytest.mark.parametrize("how", ["coordinator", "admin", "own", "cli", "deactivate", "logout"])
def test_lost_phone_closed_account_and_logout_still_wipe(app, client, cli, w, how):
    token = api_login(client, "lise").get_json()["token"]
    if how in ("coordinator", "admin"):
        _revoke_by_api(client, "ahmed" if how == "coordinator" else "admin", token, "lise")
    elif how == "own":
        _revoke_by_api(client, "lise", token, "lise")  # from another of her devices
    elif how == "cli":
        ok(cli("revoke-token", "lise"))
    elif how == "deactivate":
        ok(cli("deactivate-user", "lise"))
    else:
        assert client.post("/api/v1/auth/logout", headers=bearer(token), json={}).status_code == 200
    assert status(client, token) == "revoked" and refusal(client, token) == "token_revoked"
    if how == "deactivate":
        ok(cli("reactivate-user", "lise"))  # back again: the old phone still must wipe
        assert status(client, token) == "revoked"
    expected = {"deactivate": "deactivated", "logout": "logout"}.get(how, "wipe")
    assert reasons(app, w.users["lise"]) - {None} == {expected}


@pytest.mark.parametrize("then", ["coordinator", "cli", "deactivate"])
def test_a_signed_out_phone_reported_lost_afterwards_still_wipes(app, client, cli, w, then):
    token = api_login(client, "lise").get_json()["token"]
    reset_password(app, "lise")
    assert status(client, token) == "signed_out"
    if then == "coordinator":
        ahmed = api_login(client, "ahmed").get_json()["token"]
        rows = client.get("/api/v1/auth/tokens", headers=bearer(ahmed), query_string={"user_id": w.users["lise"]})
        for t in rows.get_json()["tokens"]:
            assert client.post(f"/api/v1/auth/tokens/{t['id']}/revoke", headers=bearer(ahmed)).status_code == 200
    elif then == "cli":
        ok(cli("revoke-token", "lise"))
    else:
        ok(cli("deactivate-user", "lise"))
        ok(cli("reactivate-user", "lise"))
    assert status(client, token) == "revoked" and refusal(client, token) == "token_revoked"


def test_a_token_revoked_before_reasons_were_kept_wipes(app, client, w):
    token = api_login(client, "lise").get_json()["token"]
    with app.app_context():
        row = db.session.scalar(select(DeviceToken).where(DeviceToken.user_id == w.users["lise"]))
        from backend.models import utcnow

        row.revoked_at, row.revoked_reason = utcnow(), None  # as the migration leaves old rows
        db.session.commit()
        db.session.remove()
    assert status(client, token) == "revoked"


def test_unknown_and_malformed_hashes(client, w):
    assert status(client, "never-issued") == "unknown"
    r = client.post("/api/v1/auth/token-status", json={"token_hash": "ABC"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid"

"""The municipality administrator's user page: create a user (who sets their own password through a
one-time link), deactivate and reactivate, a new password link, and resetting two-factor login.
Administrators see accounts only, never case data."""

from __future__ import annotations

import secrets
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from backend.accounts import lifecycle
from backend.accounts.models import TotpCredential
from backend.admin import AdminError, create_user
from backend.extensions import db
from backend.models import Organization, User
from backend.web.common import ROLE_LABELS, login_url, require_uuid, session_user
from shared.enums import Role

bp = Blueprint("admin_users", __name__, url_prefix="/admin")


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = session_user()
        if user is None:
            return redirect(login_url())
        if user.role != Role.ADMIN:
            return render_template(
                "error.html", status=403, message="Kun kommunens administrator har adgang til brugerstyring."
            ), 403
        return view(user, *args, **kwargs)

    return wrapper


def _page(admin: User, link: dict | None = None, error: str | None = None, form: dict | None = None, status=200):
    users = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    orgs = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    org_names = {o.id: o.name for o in orgs}
    totp = {c.user_id for c in db.session.scalars(select(TotpCredential).where(TotpCredential.enabled_at.isnot(None)))}
    return render_template(
        "admin_users.html",
        users=users,
        orgs=orgs,
        org_names=org_names,
        totp=totp,
        roles=[(r.value, ROLE_LABELS[r.value]) for r in Role],
        link=link,
        error=error,
        form=form or {},
        me=admin,
    ), status


@bp.get("/brugere")
@admin_required
def index(admin: User):
    return _page(admin)


@bp.post("/brugere")
@admin_required
def create(admin: User):
    form = {k: (request.form.get(k) or "").strip() for k in ("username", "display_name", "role", "org")}
    try:
        # Nobody knows this random password: the new user sets their own through the link.
        user = create_user(
            form["username"],
            secrets.token_urlsafe(32),
            form["role"],
            form["org"] or None,
            form["display_name"] or form["username"],
        )
    except AdminError as e:
        return _page(admin, error=str(e), form=form, status=400)
    code = lifecycle.issue_reset(user, admin, channel="web")
    return _page(
        admin, link={"user": user, "url": request.host_url.rstrip("/") + lifecycle.RESET_PATH + code, "new": True}
    )


def _target(user_id: str) -> User:
    user = db.session.get(User, require_uuid(user_id))
    if user is None:
        abort(404)
    return user


@bp.post("/brugere/<user_id>/<action>")
@admin_required
def act(admin: User, user_id: str, action: str):
    user = _target(user_id)
    try:
        if action == "deaktiver":
            n_sessions, n_tokens = lifecycle.deactivate(user, admin, channel="web")
            flash(
                f"{user.username} er deaktiveret. {n_sessions} browser-session(er) og {n_tokens} "
                "enhed(er) er logget ud.",
                "success",
            )
        elif action == "genaktiver":
            lifecycle.reactivate(user, admin, channel="web")
            flash(f"{user.username} kan logge ind igen.", "success")
        elif action == "nulstil-totp":
            lifecycle.reset_two_factor(user, admin, channel="web")
            flash(
                f"Totrinsbekræftelse for {user.username} er nulstillet; den sættes op igen ved næste login.", "success"
            )
        elif action == "adgangskode":
            code = lifecycle.issue_reset(user, admin, channel="web")
            return _page(
                admin,
                link={"user": user, "new": False, "url": request.host_url.rstrip("/") + lifecycle.RESET_PATH + code},
            )
        else:
            abort(404)
    except AdminError as e:
        flash(str(e), "error")
    return redirect(url_for("admin_users.index"))

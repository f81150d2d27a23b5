"""Login (password, then a TOTP code where two-factor login is on) and logout for staff and
administrators; young people get a plain explanation. Sessions live on the server
(backend/accounts/sessions.py); both login steps share the login throttle."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from backend import audit
from backend.accounts import sessions, twofactor
from backend.accounts.throttle import throttled
from backend.auth import authenticate
from backend.extensions import db
from backend.models import User
from backend.web.common import NO_CASE_PAGES, safe_next, session_user
from shared.enums import STAFF_ROLES, Role

bp = Blueprint("auth", __name__)

WEB_ROLES = STAFF_ROLES | {Role.ADMIN}
BAD_LOGIN = "Forkert brugernavn eller adgangskode."


def home_for(user: User, next_url: str | None = None) -> str:
    """Where a user lands after login: `next` when it is a safe local path, else their start page."""
    default = url_for("admin_users.index") if user.role == Role.ADMIN else url_for("caseload.index")
    return safe_next(next_url, default)


def _form(username="", error=None, status=200, next_url=""):
    return render_template("login.html", username=username[:100], next=next_url, error=error), status


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login():
    next_url = request.values.get("next", "")
    if request.method == "GET":
        user = session_user()
        if user is not None:
            return redirect(home_for(user, next_url))
        return _form(next_url=next_url)
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    if not username or not password:
        return _form(username, "Skriv både brugernavn og adgangskode.", 400, next_url)
    if len(username) > 100 or len(password) > 500 or "\x00" in username + password:
        return _form(username, BAD_LOGIN, 401, next_url)
    user = authenticate(username.lower(), password)
    if user is None:
        audit.record(None, "login_failed", detail=f"username={username[:100]}", channel="web")
        db.session.commit()
        return _form(username, BAD_LOGIN, 401, next_url)
    if user.role not in WEB_ROLES:
        db.session.commit()
        return render_template(
            "no_case_pages.html", message=NO_CASE_PAGES.get(user.role, "Ingen adgang."), name=user.display_name
        ), 403
    stage = twofactor.login_stage(user)
    sessions.start(user, stage)  # a new session id at every login (no fixation)
    session["next"] = next_url[:2000]
    if stage == "full":
        audit.record(user, "login", detail="browser", channel="web")
        db.session.commit()
        return redirect(home_for(user, session.pop("next", "")))
    session["pending_username"] = user.username  # the second step counts against this account
    audit.record(user, "login_password_ok", detail=f"browser, next step {stage}", channel="web")
    db.session.commit()
    return redirect(url_for("auth.second_factor") if stage == "mfa" else url_for("account.totp_setup"))


def pending_login():
    """(session row, user) of a browser that gave the right password and owes a TOTP code."""
    found = sessions.current()
    if found is None or found[0].stage != "mfa":
        return None
    return found


@bp.route("/login/kode", methods=["GET", "POST"])
@throttled
def second_factor():
    found = pending_login()
    if found is None:
        return redirect(url_for("auth.login"))
    row, user = found
    if request.method == "GET":
        return render_template("login_code.html", error=None)
    try:
        kind = twofactor.verify_second_factor(user, request.form.get("code") or "")
    except twofactor.SecondFactorUnavailable:
        db.session.commit()  # the audit line says why
        return render_template("login_code.html", error=twofactor.UNAVAILABLE_DA), 503
    if kind is None:
        audit.record(user, "login_failed", detail="second factor", channel="web")
        db.session.commit()
        return render_template("login_code.html", error="Koden passer ikke. Prøv igen med den nyeste kode."), 401
    sessions.promote(row)
    audit.record(user, "login", detail=f"browser, {kind}", channel="web")
    db.session.commit()
    if kind == "recovery":
        left = twofactor.remaining_recovery_codes(user)
        flash(f"Du brugte en gendannelseskode. Du har {left} tilbage. Lav nye under »Min konto«.", "info")
    return redirect(home_for(user, session.pop("next", "")))


@bp.post("/logout")
def logout():
    found = sessions.current()
    if found is not None:
        audit.record(found[1], "logout", detail="browser", channel="web")
    sessions.end_current()
    db.session.commit()
    session.clear()
    return redirect(url_for("auth.login", logged_out=1))

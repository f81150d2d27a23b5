"""Login and logout for staff (session cookie); youth and administrators get a plain explanation."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from backend import audit
from backend.auth import authenticate
from backend.extensions import db, limiter
from backend.web.common import NO_CASE_PAGES, current_user, safe_next, start_session
from shared.enums import STAFF_ROLES

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    next_url = request.values.get("next", "")
    if request.method == "GET":
        if current_user() is not None:
            return redirect(safe_next(next_url))
        return render_template("login.html", username="", next=next_url, error=None)
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    if not username or not password:
        return render_template("login.html", username=username[:100], next=next_url,
                               error="Skriv både brugernavn og adgangskode."), 400
    if len(username) > 100 or len(password) > 500 or "\x00" in username + password:
        return render_template("login.html", username=username[:100], next=next_url,
                               error="Forkert brugernavn eller adgangskode."), 401
    user = authenticate(username.lower(), password)
    if user is None:
        audit.record(None, "login_failed", detail=f"username={username[:100]}", channel="web")
        db.session.commit()
        return render_template("login.html", username=username, next=next_url,
                               error="Forkert brugernavn eller adgangskode."), 401
    if user.role not in STAFF_ROLES:
        db.session.commit()
        return render_template("no_case_pages.html", message=NO_CASE_PAGES.get(user.role, "Ingen adgang."),
                               name=user.display_name), 403
    start_session(user)
    audit.record(user, "login", detail="browser", channel="web")
    db.session.commit()
    return redirect(safe_next(next_url))


@bp.post("/logout")
def logout():
    user = current_user()
    if user is not None:
        audit.record(user, "logout", detail="browser", channel="web")
        db.session.commit()
    session.clear()
    return redirect(url_for("auth.login", logged_out=1))

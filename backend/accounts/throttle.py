"""The login throttle: per client address and per account, shared by the web and API logins and
the second-factor step, counted in storage all workers share (backend/accounts/ratelimit.py).
Throttled answers say when to try again: Retry-After, and Danish text on the page or in the JSON."""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, g, jsonify, render_template, request, session
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from backend.errors import error_body
from backend.extensions import limiter


def account_key() -> str:
    """The account a login attempt is for: the form's or JSON's username, or the half-logged-in
    user of the second-factor step. Lower-cased like usernames are stored."""
    name = None
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("username"), str):
            name = body["username"]
    else:
        name = request.form.get("username")
    if not name and isinstance(session.get("pending_username"), str):
        name = session["pending_username"]
    name = (name or "").strip().lower()[:100]
    if not name:
        return f"nouser:{get_remote_address()}"  # an attempt without a username still counts
    try:
        name.encode("utf-8")
        printable = name.isprintable()
    except UnicodeEncodeError:  # a lone surrogate from JSON ("\ud800") cannot be stored
        printable = False
    if not printable:  # NUL and other controls neither (PostgreSQL refuses NUL in text)
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"user#{digest}"
    return f"user:{name}"


per_address = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="login-address", methods=["POST"]
)
per_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    scope="login-account",
    key_func=account_key,
    methods=["POST"],
)


def throttled(view):
    """Both login limits on a view (POST only)."""
    return per_address(per_account(view))


def retry_after() -> int:
    """Seconds until the breached window ends (at least 1)."""
    lim = limiter.current_limit
    reset_at = lim.reset_at if lim is not None else time.time() + 60
    return max(1, math.ceil(reset_at - time.time()))


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} sekunder"
    minutes = math.ceil(seconds / 60)
    return "1 minut" if minutes == 1 else f"{minutes} minutter"


def register_throttle_errors(app: Flask) -> None:
    @app.errorhandler(RateLimitExceeded)
    def _throttled(e: RateLimitExceeded):
        seconds = retry_after()
        message = f"For mange forsøg på at logge ind. Vent {wait_text(seconds)} og prøv igen."
        headers = {"Retry-After": str(seconds)}
        if request.path.startswith("/api/"):
            body = error_body("rate_limited", message, {"retry_after": seconds})
            return jsonify(body), 429, headers
        g.throttle_message = message
        if request.endpoint == "auth.second_factor":
            return render_template("login_code.html", error=message), 429, headers
        if request.endpoint == "auth.login":
            return (
                render_template(
                    "login.html",
                    username=(request.form.get("username") or "")[:100],
                    next=request.values.get("next", ""),
                    error=message,
                ),
                429,
                headers,
            )
        return render_template("error.html", status=429, message=message), 429, headers

""" "Min konto" for staff and administrators: change one's own password, set up two-factor login
(QR code, recovery codes), and the one-time link that sets a password after a reset."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from backend import audit
from backend.accounts import lifecycle, sessions, twofactor
from backend.accounts.policy import WeakPassword, min_length
from backend.admin import AdminError
from backend.extensions import db
from backend.web.auth import home_for
from backend.web.common import login_url, session_user

bp = Blueprint("account", __name__)


def _account_page(user, error: str | None = None, status: int = 200):
    return render_template(
        "account.html",
        user=user,
        totp_on=twofactor.enabled(user),
        totp_allowed=user.role in twofactor.ALLOWED_ROLES,
        totp_required=twofactor.required(user),
        recovery_left=twofactor.remaining_recovery_codes(user),
        min_length=min_length(user.role),
        error=error,
    ), status


@bp.get("/konto")
def index():
    user = session_user()
    if user is None:
        return redirect(login_url())
    return _account_page(user)


@bp.post("/konto/adgangskode")
def change_password():
    found = sessions.current()
    if found is None or found[0].stage != "full":
        return redirect(login_url())
    row, user = found
    new = request.form.get("new_password") or ""
    if new != (request.form.get("new_password_again") or ""):
        error = "De to nye adgangskoder er ikke ens."
    else:
        try:
            lifecycle.change_password(user, row, request.form.get("old_password") or "", new)
        except (AdminError, WeakPassword) as e:
            error = str(e)
        else:
            sessions.start(user)  # this browser goes on under a new session id
            db.session.commit()
            flash("Din adgangskode er skiftet. Du er logget ud alle andre steder.", "success")
            return redirect(url_for("account.index"))
    return _account_page(user, error, 400)


def _enrolling():
    """(row, user) allowed on the set-up page: a full session, or a login that must set it up."""
    found = sessions.current()
    if found is None or found[0].stage not in ("full", "enrol"):
        return None
    if found[1].role not in twofactor.ALLOWED_ROLES:
        return None
    return found


@bp.route("/konto/totp", methods=["GET", "POST"])
def totp_setup():
    found = _enrolling()
    if found is None:
        return redirect(login_url())
    row, user = found
    if twofactor.enabled(user):
        flash("Totrinsbekræftelse er allerede slået til.", "info")
        return redirect(url_for("account.index"))
    secret = twofactor.pending_secret(user)
    error, status = None, 200
    if request.method == "POST":
        codes = twofactor.confirm_enrolment(user, request.form.get("code") or "")
        if codes is not None:
            audit.record(user, "enable_2fa", channel="web")
            if row.stage == "enrol":
                sessions.promote(row)
                audit.record(user, "login", detail="browser, totp set up", channel="web")
            db.session.commit()
            return render_template("recovery_codes.html", codes=codes, next=home_for(user, session.pop("next", "")))
        db.session.commit()
        error, status = "Koden passer ikke. Tjek at telefonens ur går rigtigt, og skriv den nyeste kode.", 400
    qr = twofactor.qr_svg(twofactor.provisioning_uri(user, secret))
    return render_template("totp_setup.html", secret=secret, qr=qr, must=row.stage == "enrol", error=error), status


@bp.post("/konto/gendannelseskoder")
def new_recovery_codes():
    user = session_user()
    if user is None:
        return redirect(login_url())
    if not twofactor.enabled(user):
        return redirect(url_for("account.index"))
    codes = twofactor.new_recovery_codes(user)
    audit.record(user, "new_recovery_codes", channel="web")
    db.session.commit()
    return render_template("recovery_codes.html", codes=codes, next=url_for("account.index"))


@bp.get("/adgangskode/<code>")
def reset_link(code: str):
    """Take the one-time code out of the address bar (and so out of history) before the form."""
    session["reset_code"] = code[:100]
    return redirect(url_for("account.reset_password"))


@bp.route("/adgangskode/ny", methods=["GET", "POST"])
def reset_password():
    code = session.get("reset_code") or ""
    user = lifecycle.reset_target(code)
    if user is None:
        return render_template(
            "error.html",
            status=404,
            message="Linket er ugyldigt, brugt eller udløbet. Bed din administrator om et nyt.",
        ), 404
    error = None
    if request.method == "POST":
        new = request.form.get("new_password") or ""
        if new != (request.form.get("new_password_again") or ""):
            error = "De to adgangskoder er ikke ens."
        else:
            try:
                lifecycle.use_reset(code, new)
            except (AdminError, WeakPassword) as e:
                error = str(e)
            else:
                session.clear()
                return render_template("reset_done.html", user=user)
    return render_template(
        "reset_password.html", user=user, min_length=min_length(user.role), error=error
    ), 400 if error else 200

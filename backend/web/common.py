"""Shared pieces of the caseworker pages: the logged-in user, guards, formatting, pushing a form."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from backend import audit
from backend.clock import to_local
from backend.models import User
from backend.sync.push import push
from shared.enums import STAFF_ROLES, Role
from shared.labels import PAGE_FIELD_LABELS_DA, field_label
from shared.messages import field_messages
from shared.schemas import is_uuid, validate_entity

ROLE_LABELS = {
    "mentor": "Mentor",
    "coordinator": "Tovholder",
    "partner": "Samarbejdspartner",
    "youth": "Ung",
    "admin": "Administrator",
}

NO_CASE_PAGES = {
    Role.YOUTH: "Sagssiderne er for medarbejdere. Som ung bruger du Trinvis-appen på din telefon – "
    "der kan du se din plan, dine aftaler og tjekke ind.",
    Role.ADMIN: "Administratorer har ikke adgang til sagsdata. Brugere administreres under "
    "»Brugere«; organisationer og tildelinger med kommandolinjen "
    "(flask --app backend create-org, assign …).",
}


def session_user() -> User | None:
    """Whoever is fully logged in to this browser (staff or admin), per the server-side session."""
    from backend.accounts import sessions

    found = sessions.current()
    if found is None or found[0].stage != "full":
        return None
    return found[1]


def current_user() -> User | None:
    """The staff member logged in to this browser session (the case pages' user), if any."""
    user = session_user()
    return user if user is not None and user.role in STAFF_ROLES else None


def login_url():
    """The login page, coming back here afterwards; says so when the session ran out."""
    return url_for("auth.login", next=request.full_path.rstrip("?"), expired=1 if g.get("session_expired") else None)


def _not_staff():
    """An administrator (logged in, no case data) gets a plain page, anyone else the login page."""
    if session_user() is not None:
        return render_template("error.html", status=403, message=NO_CASE_PAGES[Role.ADMIN]), 403
    return redirect(login_url())


def login_required(view):
    """Staff only; others are sent to the login page. The view finds the user in `g.web_user`."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        user = current_user()
        if user is None:
            return _not_staff()
        g.web_user = user
        return view(*args, **kwargs)

    return wrapper


def coordinator_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = current_user()
        if user is None:
            return _not_staff()
        if user.role != Role.COORDINATOR:
            return render_template(
                "error.html",
                status=403,
                message="Kun den koordinerende sagsbehandler (tovholderen) har adgang til denne side.",
            ), 403
        return view(*args, **kwargs)

    return wrapper


def _unsafe(path: str) -> bool:
    if any(not ch.isprintable() or ch in "\t\r\n\\" for ch in path):
        return True  # browsers drop tabs/newlines and read \ as /: "/\t/evil" would become //evil
    if not path.startswith("/") or path.startswith("//"):
        return True
    parts = urlsplit(path)
    return bool(parts.scheme or parts.netloc)


def safe_next(target: str | None, default: str | None = None) -> str:
    """A same-site path to go to after login, else the start page. The path must stay safe however
    often it is percent-decoded (%09, %5C, %2F%2F…), since some hop may decode it again."""
    fallback = default or url_for("caseload.index")
    if not target or not isinstance(target, str) or len(target) > 2000:
        return fallback
    seen = target
    for _ in range(4):
        if _unsafe(seen):
            return fallback
        decoded = unquote(seen)
        if decoded == seen:
            return target
        seen = decoded
    return fallback


def require_uuid(value: str) -> str:
    if not is_uuid(value):
        abort(404)
    return value


# ---- forms through the sync engine ----------------------------------------------------------


def form_mutation_id() -> str:
    """The mutation id the form was rendered with (so a double submit is applied once)."""
    mid = request.form.get("mutation_id", "")
    return mid if is_uuid(mid) else str(uuid.uuid4())


def summary(errors: dict[str, str]) -> str:
    """The field messages in one line for the top of the form ("Titel: Skal udfyldes. …")."""
    return " ".join(v if k == "_schema" else f"{field_label(k, PAGE_FIELD_LABELS_DA)}: {v}" for k, v in errors.items())


class FormRejected(Exception):
    """A form the engine or the schema refused; `errors` per field, `message` for the top."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def push_form(
    user: User, entity: str, record_id: str, data: dict, base_version: int | None, partial: bool, op: str = "upsert"
) -> dict:
    """Validate `data` (wire form) like the phones do, then push it through the sync engine.

    Returns the engine's result; raises FormRejected with Danish messages on any refusal.
    """
    if op == "upsert":
        try:
            validate_entity(entity, data, partial=partial)
        except ValidationError as e:
            errs = field_messages(e)
            raise FormRejected("Ret dette, før det kan gemmes: " + summary(errs), errs) from None
    mutation = {
        "mutation_id": form_mutation_id(),
        "entity": entity,
        "id": record_id,
        "op": op,
        "base_version": base_version,
        "data": data if op == "upsert" else None,
    }
    result = push(user, "web", [mutation], channel="web")[0]
    if result["status"] == "rejected":
        err = result.get("error") or {}
        details = err.get("details")
        errs = field_messages(details) if isinstance(details, dict) else {}
        raise FormRejected(err.get("message") or "Ændringen blev afvist.", errs)
    return result


def parse_base_version(raw: str | None) -> int | None:
    """The version shown in the form; garbage is a Danish error, not a 500."""
    if raw in (None, ""):
        return None
    try:
        v = int(raw)
    except (TypeError, ValueError):
        raise FormRejected("Formularen er ugyldig (version). Genindlæs siden.") from None
    if v < 1 or v > 2**31:
        raise FormRejected("Formularen er ugyldig (version). Genindlæs siden.")
    return v


def audit_read(user: User, counts: dict[tuple[str | None, str | None], int], detail: str) -> None:
    """Add the audit lines of a page's read; the view commits them."""
    audit.record_many(user, "read", {k: v for k, v in counts.items() if v}, channel="web", detail=detail)


# ---- template helpers --------------------------------------------------------------------------


def da_date(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y")


def da_datetime(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    local = to_local(value)
    return local.strftime("%d.%m.%Y kl. %H:%M")

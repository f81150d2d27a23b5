"""JSON errors for the API ({"error": {"code", "message"}}), Danish pages for the web."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from backend.dbhealth import RETRY_AFTER_SECONDS, DatabaseUnavailable, is_unavailable

UNAVAILABLE_MESSAGE = "Serveren er midlertidigt utilgængelig. Prøv igen om lidt."


class ApiError(Exception):
    """An error the API reports with a status, a machine code and a human message."""

    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def error_body(code: str, message: str, details=None) -> dict:
    err = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


_CODES = {
    400: ("invalid", "Ugyldig forespørgsel."),
    401: ("unauthenticated", "Du skal logge ind."),
    403: ("forbidden", "Du har ikke adgang."),
    404: ("not_found", "Findes ikke."),
    405: ("method_not_allowed", "Metoden er ikke tilladt."),
    409: ("conflict", "Konflikt."),
    413: ("too_large", "Forespørgslen er for stor."),
    415: ("unsupported_media_type", "Send JSON."),
    426: ("upgrade_required", "Opdater appen."),
    429: ("rate_limited", "For mange forsøg. Vent lidt og prøv igen."),
}


def _rollback() -> None:
    from backend.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a dead connection may refuse even this; the answer matters more
        db.session.close()


def _is_api() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):
        return jsonify(error_body(e.code, e.message, e.details)), e.status

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        code, message = _CODES.get(e.code or 500, ("error", e.description or "Fejl."))
        if e.code == 429:
            message = "For mange forsøg. Vent et minut og prøv igen."
        # Keep werkzeug's headers (Allow on 405, Retry-After, WWW-Authenticate), not its body type.
        headers = [(k, v) for k, v in e.get_headers() if k.lower() != "content-type"]
        if _is_api():
            return jsonify(error_body(code, message)), e.code, headers
        return render_template("error.html", status=e.code, message=message), e.code, headers

    @app.errorhandler(DatabaseUnavailable)
    def _unavailable(e: Exception):
        # Not the app's fault and not the client's: say so, and when to try again.
        app.logger.warning("Database unavailable: %s", e)
        _rollback()
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _is_api():
            return jsonify(error_body("unavailable", UNAVAILABLE_MESSAGE)), 503, headers
        # Not render_template: the page context asks the database for the logged-in user.
        page = app.jinja_env.get_template("unavailable.html").render(message=UNAVAILABLE_MESSAGE, current_user=None)
        return page, 503, headers

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        if is_unavailable(e):  # the connection dropped in the middle of the request
            return _unavailable(DatabaseUnavailable(str(e)[:200]))
        # A real fault, not bad input: log it and answer in the contract's shape.
        app.logger.exception("Unhandled error")
        _rollback()
        if _is_api():
            return jsonify(error_body("internal", "Der skete en fejl på serveren.")), 500
        return render_template("error.html", status=500, message="Der skete en fejl."), 500

"""Caseworker web pages (server-rendered, session login, CSRF, strict security headers)."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def register_web(app: Flask) -> None:
    """Register the caseworker blueprints, template helpers, the CSRF page and security headers."""
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_page_context(app)
    _register_csrf_page(app)
    app.after_request(_security_headers)


def _register_blueprints(app: Flask) -> None:
    from backend.accounts.throttle import register_throttle_errors
    from backend.web import (
        account,
        admin_users,
        audit_view,
        auth,
        caseload,
        company,
        conflicts,
        plan,
        plan_voice,
        progression,
        steps,
    )

    for mod in (
        auth,
        caseload,
        plan,
        plan_voice,
        steps,
        company,
        progression,
        conflicts,
        audit_view,
        account,
        admin_users,
    ):
        app.register_blueprint(mod.bp)
    app.register_blueprint(steps.results_bp)
    register_throttle_errors(app)


def _plan_answer_state(plan) -> str:
    from shared.plan_voice import answer_state

    return answer_state({f: getattr(plan, f) for f in ("youth_answer", "youth_answer_revision", "revision")})


def _register_template_helpers(app: Flask) -> None:
    """The filters and globals the templates use (Danish formatting, labels, the issue-14 states)."""
    from backend.web.common import da_date, da_datetime
    from backend.web.privacy import private_marker
    from shared.company import follow_up_state, gaps_over_a_month
    from shared.contact import format_phone
    from shared.enums import label_da
    from shared.steps import STEPS, step_info

    app.jinja_env.filters["da_date"] = da_date
    app.jinja_env.filters["da_datetime"] = da_datetime
    app.jinja_env.filters["label_da"] = label_da
    app.jinja_env.globals["private_marker"] = private_marker
    app.jinja_env.globals["answer_state"] = _plan_answer_state
    app.jinja_env.globals["step_info"] = step_info
    app.jinja_env.globals["follow_up_state"] = follow_up_state
    app.jinja_env.globals["follow_up_gaps"] = gaps_over_a_month
    app.jinja_env.globals["company_choices"] = lambda v: [(c.id, c.company) for c in v.company_agreements]
    app.jinja_env.globals["step_choices"] = [(k, s.title) for k, s in STEPS.items()]
    app.jinja_env.filters["phone"] = format_phone


def _register_page_context(app: Flask) -> None:
    from backend.web.common import ROLE_LABELS, session_user

    @app.context_processor
    def _globals():
        if request.path.startswith("/api/"):
            return {}
        # Other packages' pages (e.g. programmes, issue 6) get a menu entry once they exist.
        # Staff and administrators (the latter see only their user pages in the menu).
        return {
            "current_user": session_user(),
            "role_label": ROLE_LABELS,
            "has_endpoint": lambda name: name in app.view_functions,
        }


def _register_csrf_page(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(e):
        return render_template(
            "error.html",
            status=400,
            message="Formularen er udløbet eller mangler sikkerhedsnøglen. Gå tilbage, genindlæs siden og prøv igen.",
        ), 400


def _security_headers(resp):
    """No sniffing, no framing, same-origin referrers; the CSP and no caching on the pages."""
    h = resp.headers
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/api/"):
        h.setdefault("Content-Security-Policy", CSP)
        if not request.path.startswith("/static/"):
            # Case data must not linger in shared browser caches or the back/forward cache.
            h["Cache-Control"] = "no-store"
    return resp

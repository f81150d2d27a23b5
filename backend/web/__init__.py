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
    from backend.web.common import ROLE_LABELS, da_date, da_datetime, session_user
    from shared.company import follow_up_state, gaps_over_a_month
    from shared.contact import format_phone
    from shared.enums import label_da
    from shared.plan_voice import answer_state
    from shared.steps import STEPS, step_info

    def plan_answer_state(plan) -> str:
        return answer_state({f: getattr(plan, f) for f in ("youth_answer", "youth_answer_revision", "revision")})

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

    app.jinja_env.filters["da_date"] = da_date
    app.jinja_env.filters["da_datetime"] = da_datetime
    app.jinja_env.filters["label_da"] = label_da
    from backend.web.privacy import private_marker

    app.jinja_env.globals["private_marker"] = private_marker
    app.jinja_env.globals["answer_state"] = plan_answer_state
    app.jinja_env.globals["step_info"] = step_info
    app.jinja_env.globals["follow_up_state"] = follow_up_state
    app.jinja_env.globals["follow_up_gaps"] = gaps_over_a_month
    app.jinja_env.globals["company_choices"] = lambda v: [(c.id, c.company) for c in v.company_agreements]
    app.jinja_env.globals["step_choices"] = [(k, s.title) for k, s in STEPS.items()]
    app.jinja_env.filters["phone"] = format_phone

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

    @app.errorhandler(CSRFError)
    def _csrf_error(e):
        return render_template(
            "error.html",
            status=400,
            message="Formularen er udløbet eller mangler sikkerhedsnøglen. Gå tilbage, genindlæs siden og prøv igen.",
        ), 400

    @app.after_request
    def _security_headers(resp):
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

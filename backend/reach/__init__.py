"""Reaching the young person from the caseworker pages (issue 13): the morning list of today's
no-shows with one-tap call/text that records the attempt, and the 'Kontaktforsøg' record."""

from __future__ import annotations

from flask import Flask


def register_reach(app: Flask) -> None:
    """The morning list pages and the young person's contacts API."""
    from backend.extensions import csrf
    from backend.reach.api import bp as api_bp
    from backend.reach.views import bp

    app.register_blueprint(bp)
    csrf.exempt(api_bp)  # bearer tokens, not cookies
    app.register_blueprint(api_bp)

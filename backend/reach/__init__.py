"""Reaching the young person from the caseworker pages (issue 13): the morning list of today's
no-shows with one-tap call/text that records the attempt, and the 'Kontaktforsøg' record."""

from __future__ import annotations

from flask import Flask


def register_reach(app: Flask) -> None:
    from backend.reach.views import bp

    app.register_blueprint(bp)

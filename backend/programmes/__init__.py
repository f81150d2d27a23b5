"""Programmes (forløb), enrolment, target-group/outcome history and results (issue 6)."""

from flask import Flask


def register_programmes(app: Flask) -> None:
    """Register the programme and results blueprints (and the tables, for migrations)."""
    from backend.programmes import models  # noqa: F401 - register tables with the metadata
    from backend.programmes.views import register

    register(app)

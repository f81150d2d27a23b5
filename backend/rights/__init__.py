"""The young person's rights: data export (GDPR art. 15), erasure (art. 17) and retention."""

from __future__ import annotations

from flask import Flask


def register_rights(app: Flask) -> None:
    """The export and erasure pages, the export API and the retention command."""
    from backend.extensions import csrf
    from backend.rights.cli import purge_closed_cases_cmd
    from backend.rights.views import api_bp, web_bp

    app.register_blueprint(web_bp)
    csrf.exempt(api_bp)  # bearer tokens, not cookies
    app.register_blueprint(api_bp)
    app.cli.add_command(purge_closed_cases_cmd)

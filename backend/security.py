"""Transport security, configured rather than hand-written: Flask-Talisman sets the session
cookie's Secure/HttpOnly/SameSite flags and HSTS from config (on in production, off only in the
demo, development and tests); ProxyFix trusts exactly TRUSTED_PROXIES reverse proxies, so the
per-address login throttle sees the client's address and not the proxy's."""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

HSTS_SECONDS = 365 * 24 * 3600


def init_security(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # One Talisman per app: it keeps its options on the instance, and tests build many apps.
    app.extensions["talisman"] = Talisman(
        app,
        # TLS ends at the reverse proxy, which also redirects http→https; a redirect here would
        # loop behind a proxy that does not send X-Forwarded-Proto.
        force_https=False,
        strict_transport_security=bool(app.config.get("HSTS")),
        strict_transport_security_max_age=HSTS_SECONDS,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        # The pages' CSP and caching rules are set per path in backend/web/__init__.py.
        content_security_policy=None,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )

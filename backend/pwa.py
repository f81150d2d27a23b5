"""The phone app as a web app at /app/: the static build of mobile_app (Python runs in the browser).

Same origin as /api/v1, so no CORS and the same TLS. Built by `python -m mobile_app.packaging
--web` into build/web (TRINVIS_WEB_APP_DIR overrides). Every file is answered with
`Cache-Control: no-cache` and an ETag: the browser always asks, and gets a cheap 304 unless a
new version was deployed; the service worker (sw.js) keeps the files for offline use and
notices a new version by its changed bytes. The page gets its own Content-Security-Policy,
which allows what Pyodide and Flutter need (WebAssembly, a module worker) and nothing remote.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "build" / "web"

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; manifest-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)

NOT_BUILT = (
    "<!doctype html><html lang='da'><meta charset='utf-8'><title>Trinvis</title>"
    "<p>Appen er ikke bygget på denne server endnu. Kør: <code>python -m mobile_app.packaging --web</code></p>"
)

bp = Blueprint("pwa", __name__, url_prefix="/app")


def app_dir() -> Path:
    return Path(current_app.config.get("WEB_APP_DIR") or os.environ.get("TRINVIS_WEB_APP_DIR") or DEFAULT_DIR).resolve()


@bp.get("/")
@bp.get("/<path:path>")
def serve(path: str = "index.html") -> Response:
    root = app_dir()
    if not (root / "index.html").is_file():
        return Response(NOT_BUILT, status=404, mimetype="text/html")
    try:
        resp = send_from_directory(root, path, max_age=0, conditional=True, etag=True)
    except NotFound:
        return Response("Ikke fundet.", status=404, mimetype="text/plain")
    if path.endswith((".mjs", ".js")):
        resp.mimetype = "text/javascript"
    return resp


def register_pwa(app: Flask) -> None:
    """Register /app/ before the web pages: its after_request then runs last (Flask runs them in
    reverse order) and replaces the pages' `no-store` and CSP for /app/ only."""
    app.register_blueprint(bp)

    @app.after_request
    def _app_headers(resp: Response) -> Response:
        if request.path == "/app" or request.path.startswith("/app/"):
            resp.headers["Cache-Control"] = "no-cache"
            resp.headers["Content-Security-Policy"] = CSP
            if request.path.endswith("/sw.js"):
                resp.headers["Service-Worker-Allowed"] = "/app/"
        return resp

#!/usr/bin/env bash
# Set up and run the demo: the backend with the seeded demo municipality + the app in web mode.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND_PORT="${TRINVIS_BACKEND_PORT:-5000}"
APP_PORT="${TRINVIS_APP_PORT:-8550}"

echo "== installing Trinvis (pip install -e .)"
python3 -m pip install -q --disable-pip-version-check -e . 2>&1 | grep -v "^WARNING: Location" || true

export TRINVIS_DEMO=1
export SECRET_KEY="${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}"
export TRINVIS_SERVER_URL="${TRINVIS_SERVER_URL:-http://127.0.0.1:${BACKEND_PORT}}"
export TRINVIS_DATA_DIR="${TRINVIS_DATA_DIR:-$PWD/instance/app-data}"
mkdir -p "$TRINVIS_DATA_DIR"

echo "== building the phone app for the browser (python -m mobile_app.packaging --web → build/web, served at /app/)"
python3 -m mobile_app.packaging --web

echo "== database: ${DATABASE_URL:-SQLite in instance/trinvis.sqlite}; migrating and seeding the demo municipality"
flask --app backend seed-demo

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

flask --app backend run --host 127.0.0.1 --port "$BACKEND_PORT" >instance/backend.log 2>&1 &
pids+=($!)
python3 -m mobile_app --port "$APP_PORT" >instance/app.log 2>&1 &
pids+=($!)

wait_for() {
  python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit("svarer ikke: " + sys.argv[1])
PY
}
wait_for "http://127.0.0.1:${BACKEND_PORT}/api/v1/health"
wait_for "http://127.0.0.1:${APP_PORT}/"

cat <<TXT

Trinvis kører (stop med Ctrl+C; logs i instance/backend.log og instance/app.log):

  Sagsbehandler-sider (browser):  http://127.0.0.1:${BACKEND_PORT}/login
  Appen i telefonens browser:      http://127.0.0.1:${BACKEND_PORT}/app/   (virker uden net efter første besøg;
                                   "Føj til hjemmeskærm" installerer den)
  Appen (udviklings-web-udgave):   http://127.0.0.1:${APP_PORT}/
  Sync-API og OpenAPI:             http://127.0.0.1:${BACKEND_PORT}/api/v1/health  ·  /api/v1/openapi.json

Demo-brugere, alle med adgangskoden demo1234 (kun demo):
  ung.mads, ung.sara          den unge (appen)
  mentor.lise                 mentor, Jobcenter (appen)
  tovholder.ahmed             koordinerende sagsbehandler, Jobcenter (sagsbehandler-siderne)
  uu.karen                    partner, UU
  bostotte.peter              partner, Bostøtte (ser kun Mads)
  behandler.nina              partner, Rusmiddelcenter (ser kun Mads)
  admin                       administrator: »Brugere« på sagsbehandler-siderne (ingen sagsdata)
TXT
wait

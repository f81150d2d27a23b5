#!/usr/bin/env bash
# Set up everything the tests need, check lint, format and types (scripts/lint.sh), then run the
# tests: SQLite, PostgreSQL (when TEST_DATABASE_URL is set) and the browser tests in their own run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "== installing the project (pip install -e '.[dev]')"
python3 -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true

status=0
# pytest-xdist: one worker per core, at most 4 (each makes its own test database and servers)
PARALLEL="-n auto --maxprocesses 4"
run() {  # pytest exits 5 when a selection holds no tests; that is not a failure here
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then status=$rc; fi
}

# A violation fails the run (and CI); the tests still run, so one run shows everything.
echo "== lint, format and types (scripts/lint.sh)"
run ./scripts/lint.sh

echo "== unit and integration tests on SQLite"
run env -u TEST_DATABASE_URL python3 -m pytest tests -m "not e2e" -q $PARALLEL
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== unit and integration tests on PostgreSQL"
  run python3 -m pytest tests -m "not e2e" -q $PARALLEL
fi
echo "== building the phone app for the browser (python -m mobile_app.packaging --web)"
run python3 -m mobile_app.packaging --web
echo "== end-to-end tests in headless Chromium"
# loadfile: a file's tests share their server and browser, so they stay on one worker
run env -u TEST_DATABASE_URL python3 -m pytest tests/e2e -m e2e -q $PARALLEL --dist loadfile

exit $status

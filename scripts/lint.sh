#!/usr/bin/env bash
# Lint, format and type checks: ruff (lint + format, configured in pyproject.toml) and mypy
# (strict on shared/ and mobile_app/core/). scripts/test.sh runs this first, so CI fails on a
# violation. Runs every check and reports all failures, then exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
step() {
  echo "== $*"
  "$@" || status=1
}
step python3 -m ruff check .
step python3 -m ruff format --check .
step python3 -m mypy
if [ "$status" -ne 0 ]; then
  echo "lint: failed (fix with 'ruff check --fix', 'ruff format', and the mypy messages above)" >&2
fi
exit $status

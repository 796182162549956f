#!/usr/bin/env bash
# Run the ansible-test integration targets against a fresh local simulator.
# Usage: tests/utils/run-integration.sh [target ...]   (default: all targets)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
. "$ROOT/tests/utils/start-simulator.sh"

CONFIG=$(mktemp "${TMPDIR:-/tmp}/osc-integration.XXXXXX.yml")
trap 'stop_simulator; rm -f "$CONFIG"' EXIT

start_simulator "$ROOT/tests/simulator/seeds/demo.json"

# Every target gets these as extra vars (ansible-test's integration_config.yml);
# they hold the seed's keys, so the file is readable by its owner only.
(umask 077 && "$PY" "$ROOT/tests/utils/sim_vars.py" "$ROOT/tests/simulator/seeds/demo.json" "$SIM_URL" "$PY" >"$CONFIG")

OSC_INTEGRATION_CONFIG=$CONFIG "$ROOT/tests/utils/ansible-test.sh" integration "$@"

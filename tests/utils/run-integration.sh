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

# Every target gets these as extra vars (ansible-test's integration_config.yml).
"$PY" - "$ROOT/tests/simulator/seeds/demo.json" "$SIM_URL" "$SIM_BASE" "$PY" >"$CONFIG" <<'PYEOF'
import json, sys
seed_file, url, base, python = sys.argv[1:5]
seed = json.load(open(seed_file))
a, b = seed["accounts"][:2]
config = {
    "ansible_python_interpreter": python,
    "osc_endpoint": url,
    "osc_sim": base + "/_sim",
    "osc_region": seed.get("region", "eu-west-2"),
    "osc_account_a": {k: a[k] for k in ("account_id", "access_key", "secret_key")},
    "osc_account_b": {k: b[k] for k in ("account_id", "access_key", "secret_key")},
    "osc_net_a1": a["nets"][0]["net_id"],
    "osc_net_a2": a["nets"][1]["net_id"],
    "osc_net_b1": b["nets"][0]["net_id"],
}
print(json.dumps(config, indent=2))
PYEOF

OSC_INTEGRATION_CONFIG=$CONFIG "$ROOT/tests/utils/ansible-test.sh" integration "$@"

#!/usr/bin/env bash
# Run the ansible-test integration targets.
# Usage: tests/utils/run-integration.sh [target ...]   (default: all targets)
#
# Where the targets run (docs/testing-real-account.md):
# - OSC_INTEGRATION_CONFIG=PATH, or else tests/integration/integration_config.yml
#   if present: that config (tests/integration/integration_config.yml.template
#   shows its variables), e.g. a real account. No simulator is started.
# - otherwise: a fresh local simulator, with the config generated from its seed.
#   OSC_SIM_AS_REAL_ACCOUNT=1 fills the template from the seed with
#   osc_is_simulator: false instead, so the targets take the real-account path
#   (no call counts, faults, clock or resets): the proof that path works.
# - OSC_SIM_TAGS_SHARED=1 starts that simulator with --tags-shared-across-accounts
#   (both accounts of a peering share its tags; the default is one set per
#   account). Which one the platform does is unknown: the targets must pass
#   under both on the real-account path.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
TEMPLATE=$ROOT/tests/integration/integration_config.yml.template
. "$ROOT/tests/utils/start-simulator.sh"

CONFIG=$(mktemp "${TMPDIR:-/tmp}/osc-integration.XXXXXX.yml")
trap 'stop_simulator; rm -f "$CONFIG"' EXIT

USER_CONFIG=${OSC_INTEGRATION_CONFIG:-}
if [[ -z $USER_CONFIG && -f $ROOT/tests/integration/integration_config.yml ]]; then
    USER_CONFIG=$ROOT/tests/integration/integration_config.yml
fi

# Every target gets these as extra vars (ansible-test's integration_config.yml);
# they hold secret keys, so the file is readable by its owner only.
if [[ -n $USER_CONFIG ]]; then
    if [[ ! -f $USER_CONFIG ]]; then
        echo "error: OSC_INTEGRATION_CONFIG=$USER_CONFIG is not a file" >&2
        exit 2
    fi
    echo "Integration config: $USER_CONFIG (no simulator started)" >&2
    # The modules run with this venv's python unless the config says otherwise.
    (umask 077 && "$PY" - "$USER_CONFIG" "$PY" >"$CONFIG" <<'PYEOF'
import json, sys, yaml
variables = yaml.safe_load(open(sys.argv[1])) or {}
variables.setdefault("ansible_python_interpreter", sys.argv[2])
print(json.dumps(variables, indent=2))
PYEOF
    )
else
    SEED=$ROOT/tests/simulator/seeds/demo.json
    SIM_ARGS=()
    TAGS_SHARED=false
    if [[ ${OSC_SIM_TAGS_SHARED:-} == 1 ]]; then
        SIM_ARGS+=(--tags-shared-across-accounts)
        TAGS_SHARED=true
        echo "Simulator: tags shared across the two accounts of a peering" >&2
    fi
    start_simulator "$SEED" "${SIM_ARGS[@]}"
    if [[ ${OSC_SIM_AS_REAL_ACCOUNT:-} == 1 ]]; then
        echo "Integration config: the template, filled from the simulator's seed, osc_is_simulator: false" >&2
        (umask 077 && "$PY" "$ROOT/tests/utils/sim_vars.py" "$SEED" "$SIM_URL" "$PY" \
            --template "$TEMPLATE" osc_is_simulator=false "ansible_python_interpreter=$PY" >"$CONFIG")
    else
        (umask 077 && "$PY" "$ROOT/tests/utils/sim_vars.py" "$SEED" "$SIM_URL" "$PY" \
            "osc_sim_tags_shared=$TAGS_SHARED" >"$CONFIG")
    fi
fi

# One run ID for every target of this suite (the value of setup_osc's run tag),
# unless the config sets its own osc_run_id.
RUN_ID=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
RUN_ID=$("$PY" - "$CONFIG" "$RUN_ID" <<'PYEOF'
import json, sys
path, run_id = sys.argv[1:]
with open(path) as handle:
    variables = json.load(handle)
variables.setdefault("osc_run_id", run_id)
with open(path, "w") as handle:
    json.dump(variables, handle, indent=2)
print(variables["osc_run_id"])
PYEOF
)
echo "Tagged peerings of this run carry the tag osc-it-run=$RUN_ID" >&2

# The API targets are "unsupported" for a plain ansible-test (their aliases say why); this config makes them run.
OSC_INTEGRATION_CONFIG=$CONFIG "$ROOT/tests/utils/ansible-test.sh" integration --allow-unsupported "$@"

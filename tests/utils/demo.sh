#!/usr/bin/env bash
# The demo, in one command (`make demo` creates .venv-demo first, then calls this).
#
#   1. builds the collection and installs the tarball into build/collections;
#   2. starts the Outscale API simulator: two accounts, three Nets;
#   3. runs docs/examples/demo.yml with the INSTALLED copy: one task per
#      peering (cross-account accepted in the same task), a listing with
#      net_peering_info, a second run that changes nothing, a cleanup;
#   4. runs docs/examples/demo-mesh.yml: the three Nets as a full mesh in ONE
#      net_peerings task (check-mode preview, converge with cross-account
#      acceptance and routes on both sides in each Net's main table, a second
#      run of 3 reads, cleanup of the routes and peerings with state: overridden);
#   5. prints a summary, including the API calls the simulator received.
# The simulator is stopped on exit, even when a step fails.
#
# Env: VENV (default $ROOT/.venv-demo, else $ROOT/.venv), DEMO_SEED (default the demo seed),
#      DEMO_BUILD_DIR (default $ROOT/build).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -z "${VENV:-}" ] && [ ! -d "$ROOT/.venv-demo" ] && [ -d "$ROOT/.venv" ]; then VENV=$ROOT/.venv; fi
VENV=${VENV:-$ROOT/.venv-demo}
# Absolute paths: the playbook runs from a scratch directory.
if [ -d "$VENV" ]; then VENV=$(cd "$VENV" && pwd); fi
PY=$VENV/bin/python
SEED=$(realpath -m "${DEMO_SEED:-$ROOT/tests/simulator/seeds/demo.json}")
BUILD=$(realpath -m "${DEMO_BUILD_DIR:-$ROOT/build}")
COLLECTIONS=$BUILD/collections

if [ -t 1 ]; then BOLD=$'\e[1m'; GREEN=$'\e[32m'; RED=$'\e[31m'; RESET=$'\e[0m'; else BOLD=; GREEN=; RED=; RESET=; fi
step() { printf '\n%s==> %s%s\n' "$BOLD" "$*" "$RESET"; }
die() { printf '%serror:%s %s\n' "$RED" "$RESET" "$*" >&2; exit 2; }

for tool in python ansible-galaxy ansible-playbook; do
    [ -x "$VENV/bin/$tool" ] || die "$VENV/bin/$tool not found. Run 'make demo', or create the virtualenv:
    python3 -m venv .venv-demo && .venv-demo/bin/pip install -r requirements-demo.txt"
done
[ -f "$SEED" ] || die "seed file $SEED not found"

. "$ROOT/tests/utils/start-simulator.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/osc-demo.XXXXXX")
trap 'stop_simulator; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM  # run the EXIT trap on Ctrl-C too

# -- 1. build and install ------------------------------------------------------
step "Building the collection and installing the tarball into ${COLLECTIONS#"$ROOT"/}"
mkdir -p "$BUILD"
rm -rf "$COLLECTIONS"
VERSION=$("$PY" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' "$ROOT/galaxy.yml")
TARBALL=$BUILD/outscale-cloud-$VERSION.tar.gz
(cd "$ROOT" && "$VENV/bin/ansible-galaxy" collection build --force --output-path "$BUILD" . >/dev/null)
ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS "$VENV/bin/ansible-galaxy" collection install --offline --force \
    -p "$COLLECTIONS" "$TARBALL" >/dev/null
INSTALLED=$COLLECTIONS/ansible_collections/outscale/cloud
[ -f "$INSTALLED/plugins/modules/net_peering.py" ] || die "the install did not produce $INSTALLED"
echo "built   ${TARBALL#"$ROOT"/}"
echo "installed ${INSTALLED#"$ROOT"/} (version $VERSION)"

# -- 2. simulator ----------------------------------------------------------------
step "Starting the Outscale API simulator (seed ${SEED#"$ROOT"/})"
start_simulator "$SEED"
echo "endpoint $SIM_URL"

# The accounts' keys go to ansible-playbook in a file only we can read, never
# on a command line (visible in ps) nor on screen.
VARS=$WORK/demo-vars.json
SUMMARY=$WORK/summary.json
MESH_SUMMARY=$WORK/mesh-summary.json
(umask 077 && "$PY" "$ROOT/tests/utils/sim_vars.py" "$SEED" "$SIM_URL" "$PY" \
    "demo_summary_file=$SUMMARY" "demo_mesh_summary_file=$MESH_SUMMARY" \
    "demo_simulator_log=$SIM_BASE/_sim/log" >"$VARS")
"$PY" - "$VARS" <<'PYEOF'
import json, sys
v = json.load(open(sys.argv[1]))
for name in ("osc_account_a", "osc_account_b"):
    acc = v[name]
    print("%s  account %s  access key %s  (secret key not shown)" % (name, acc["account_id"], acc["access_key"]))
print("Nets: %s, %s (account A), %s (account B)" % (v["osc_net_a1"], v["osc_net_a2"], v["osc_net_b1"]))
PYEOF

# -- 3. the playbooks, with the installed copy ----------------------------------------
run_playbook() {
    (
        cd "$WORK"  # no ansible.cfg or adjacent collections/ of the repository can interfere
        env ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" \
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
            ANSIBLE_STDOUT_CALLBACK=default \
            ANSIBLE_RETRY_FILES_ENABLED=false \
            ANSIBLE_DISPLAY_SKIPPED_HOSTS=false \
            "$VENV/bin/ansible-playbook" -i "$ROOT/docs/examples/localhost.ini" "$ROOT/docs/examples/$1" -e "@$VARS"
    )
}
step "Running docs/examples/demo.yml with the installed collection (one net_peering task per peering)"
rc=0
run_playbook demo.yml || rc=$?
if [ "$rc" -eq 0 ]; then
    step "Running docs/examples/demo-mesh.yml (the three Nets as a mesh, in one net_peerings task)"
    run_playbook demo-mesh.yml || rc=$?
fi

# -- 4. summary ---------------------------------------------------------------------
step "Summary"
"$PY" - "$SUMMARY" "$SIM_BASE/_sim/log" "$rc" "$MESH_SUMMARY" <<'PYEOF' || true
import collections, json, os, sys, urllib.request
summary_file, log_url, rc, mesh_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
summary = json.load(open(summary_file)) if os.path.exists(summary_file) else None
mesh = json.load(open(mesh_file)) if os.path.exists(mesh_file) else None


def counts(summary_of_run):
    keys = ("created", "accepted", "rejected", "deleted", "routes_created", "routes_deleted", "failed")
    shown = ["%s %d" % (key.replace("_", " "), summary_of_run[key]) for key in keys if summary_of_run.get(key)]
    return ", ".join(shown) or "nothing to do"


def call_cost(calls):
    writes = [c for c in calls if not c.startswith("Read")]
    text = "%d API call%s (%s)" % (len(calls), "" if len(calls) == 1 else "s",
                                   ", ".join("%d %s" % (calls.count(a), a) for a in sorted(set(calls))) or "none")
    return text + (", no write" if not writes else ", WRITES: %s" % ", ".join(writes))


if summary:
    print("Peerings created and accepted, one task each:")
    for p in summary["first_run"]["peerings"]:
        src, acc = p["source_net"], p["accepter_net"]
        kind = "cross-account" if src["account_id"] != acc["account_id"] else "same account"
        print("  %-13s %s (%s) -> %s (%s)  %-13s  state: %s" % (p["net_peering_id"], src["net_id"], src["account_id"],
              acc["net_id"], acc["account_id"], kind, p["state"]["name"]))
    second = summary["second_run"]
    changed = sum(1 for value in second.values() if value)
    calls = summary.get("second_run_calls")
    cost = ""
    if calls is not None:
        writes = [c for c in calls if not c.startswith("Read")]
        cost = ", %d API calls (%s)" % (len(calls), ", ".join("%d %s" % (calls.count(a), a) for a in sorted(set(calls))) or "none")
        cost += ", no write" if not writes else ", WRITES: %s" % ", ".join(writes)
    print("Second run of the same tasks: changed=%d (of %d tasks)%s" % (changed, len(second), cost))
    print("Listed by net_peering_info: %s" % ", ".join("%s (%s)" % (p["net_peering_id"], p["state"]["name"])
                                                     for p in summary["listed"]) or "none")
    print("Cleanup: deleted %s; live peerings left: %s" % (", ".join(summary["deleted"]) or "nothing",
                                                             summary["live_after_cleanup"]))
else:
    print("The playbook stopped before the end: see the failed task above.")
if mesh:
    print()
    print("The same three Nets as a full mesh, in ONE net_peerings task (full_mesh filter):")
    print("  check mode predicted: %s (reads only)" % counts(mesh["preview"]))
    for p in mesh["peerings"]:
        src, acc = p["source_net"], p["accepter_net"]
        kind = "cross-account" if src["account_id"] != acc["account_id"] else "same account"
        print("  %-13s %s (%s) -> %s (%s)  %-13s  state: %s" % (p["net_peering_id"], src["net_id"], src["account_id"],
              acc["net_id"], acc["account_id"], kind, p["state"]["name"]))
        for route in p.get("routes") or []:
            print("                route in %s of %s to %s" % (route["route_table_id"], route["net_id"],
                  route["destination_ip_range"]))
    print("  first run: %s" % counts(mesh["first_run"]))
    if mesh.get("graph"):
        print("  the mesh as a Mermaid flowchart (outscale.cloud.peering_graph; paste it into a ```mermaid block")
        print("  of a Markdown file, or into mermaid.live):")
        print()
        print(mesh["graph"].rstrip())
        print()
    second = "changed=%d" % (1 if mesh["second_run_changed"] else 0)
    if mesh.get("second_run_calls") is not None:
        second += ", " + call_cost(mesh["second_run_calls"])
    print("  second run of the same task: %s" % second)
    print("  cleanup (state: overridden, empty list, scope demo=mesh): %s; live peerings left: %s"
          % (counts(mesh["cleanup"]), mesh["live_after_cleanup"]))
try:
    calls = json.load(urllib.request.urlopen(log_url, timeout=10))["calls"]
except Exception as exc:  # the summary must never hide the playbook's result
    print("(could not read the simulator's log: %s)" % exc)
    calls = None
if calls is not None:
    by_action = collections.Counter(c["action"] for c in calls)
    errors = [c for c in calls if c.get("status") and c["status"] >= 400]
    print("API calls received by the simulator: %d in total, %d refused" % (len(calls), len(errors)))
    for action, count in sorted(by_action.items()):
        per_account = collections.Counter(c.get("account_id") or "?" for c in calls if c["action"] == action)
        accounts = ", ".join("%s: %d" % item for item in sorted(per_account.items()))
        print("  %-18s %3d  (%s)" % (action, count, accounts))
    for c in errors:
        print("  refused: %s -> HTTP %s, Code %s" % (c["action"], c["status"], c.get("code")))
PYEOF

if [ "$rc" -eq 0 ]; then
    printf '\n%sDemo OK%s (%d s). Next: docs/getting-started.md, docs/topology.md, ansible-doc outscale.cloud.net_peerings\n' "$GREEN" "$RESET" "$SECONDS"
else
    printf '\n%sDemo FAILED%s (ansible-playbook exit code %s). The simulator has been stopped.\n' "$RED" "$RESET" "$rc"
fi
exit "$rc"

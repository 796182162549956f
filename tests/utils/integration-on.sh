#!/usr/bin/env bash
# The ansible-test integration targets on another ansible-core than .venv's:
#
#   tests/utils/integration-on.sh oldest   the oldest release meta/runtime.yml accepts
#                                           (requires_ansible), on python3 (3.11)
#   tests/utils/integration-on.sh newest   the newest release, on Python 3.13 or 3.12
#                                           (skipped, saying so, if there is none)
#
# The virtualenv (.venv-oldest, .venv-latest: the runtime and simulator requirements
# only) is the one sanity-on.sh uses for the same release (venv-on.sh), then
# tests/utils/run-integration.sh runs with VENV pointing at it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
case "${1:-}" in
  oldest | newest) ;;
  *)
    echo "usage: $0 oldest|newest" >&2
    exit 2
    ;;
esac
. "$ROOT/tests/utils/venv-on.sh"
prepare_venv "$1" || {
  echo "skipped: no Python 3.12+ interpreter found (set PYTHON_LATEST=/path/to/python3.13)"
  exit 0
}
# ansible-test.sh defaults to --python 3.11; the venv's own version is the one to test.
VENV=$VENV exec "$ROOT/tests/utils/run-integration.sh" --python "$PYTHON_VERSION"

#!/usr/bin/env bash
# ansible-test sanity on another ansible-core than .venv's:
#
#   tests/utils/sanity-on.sh oldest   the oldest release meta/runtime.yml accepts (.venv-oldest)
#   tests/utils/sanity-on.sh X.Y      release X.Y (.venv-X.Y; Python 3.12+ from 2.20 on)
#   tests/utils/sanity-on.sh newest   the newest release (.venv-latest, Python 3.12+)
#
# Skipped, saying so, when the release needs Python 3.12+ and there is none. The
# virtualenvs are those of integration-on.sh (venv-on.sh): one per release.
# For "newest", SANITY_VERSIONS (set by the Makefile: the releases that the sanity
# stages other than sanity-oldest cover) must hold every release after the oldest up
# to the one before the newest, so a new ansible-core release cannot go untested: the stage fails naming
# the release to add.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ -n "${1:-}" ] || { echo "usage: $0 oldest|X.Y|newest" >&2; exit 2; }
. "$ROOT/tests/utils/venv-on.sh"
prepare_venv "$1" || {
  echo "skipped: no Python 3.12+ interpreter found (set PYTHON_LATEST=/path/to/python3.13)"
  exit 0
}
if [ "$1" = newest ] && [ -n "${SANITY_VERSIONS:-}" ]; then
  newest=$("$VENV/bin/python" -c 'import ansible; print(".".join(ansible.__version__.split(".")[:2]))')
  oldest=$(oldest_core)
  missing=""
  # The oldest has its own stage (sanity-oldest); every release after it, up to the newest, needs one too.
  for ((minor = ${oldest#*.} + 1; minor < ${newest#*.}; minor++)); do
    [[ " $SANITY_VERSIONS " == *" 2.$minor "* ]] || missing="$missing 2.$minor"
  done
  if [ -n "$missing" ]; then
    echo "error: the newest ansible-core is $newest; no sanity stage runs on:$missing." >&2
    echo "Add it to SANITY_BETWEEN in the Makefile." >&2
    exit 1
  fi
fi
VENV=$VENV exec "$ROOT/tests/utils/ansible-test.sh" sanity --python "$PYTHON_VERSION"

#!/usr/bin/env bash
# ruff (format check and lint, ruff.toml) on all Python; ansible-lint (production profile) on the collection, docs/examples
# and the test playbooks (configuration in .ansible-lint); then antsibull-docs
# lint-collection-docs --plugin-docs (plugin docs and the docsite's extra docs),
# and a check that docs/docsite/rst/ matches the Markdown guides.
# Usage: tests/utils/lint.sh [ansible-lint args...]
#
# antsibull-docs wants the collection under ansible_collections/outscale/cloud, so the
# tree is linked there in a temporary directory, put on ANSIBLE_COLLECTIONS_PATH for
# both tools. (Plain `ansible-lint` needs no such link: it installs this tree into
# .ansible/collections itself, without network; see .ansible-lint.)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
if [[ ! -x $VENV/bin/ansible-lint ]]; then
    echo "error: $VENV/bin/ansible-lint not found; install it: $VENV/bin/pip install -r requirements-test.txt" >&2
    exit 2
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/osc-lint.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/ansible_collections/outscale"
ln -s "$ROOT" "$TMP/ansible_collections/outscale/cloud"
cd "$ROOT"
export PATH=$VENV/bin:$PATH
rc=0
echo "== ruff (one formatter and linter for all Python, ruff.toml)"
"$VENV/bin/ruff" format --check --quiet . || { echo "ruff format: files above need formatting: make format" >&2; rc=1; }
"$VENV/bin/ruff" check --quiet . || rc=1
echo "== ansible-lint"
ANSIBLE_COLLECTIONS_PATH=$TMP "$VENV/bin/ansible-lint" "$@" || rc=1
echo "== antsibull-docs lint-collection-docs --plugin-docs"
# It wants the collection under ansible_collections/<namespace>/<name>/.
(cd "$TMP/ansible_collections/outscale/cloud" &&
    ANSIBLE_COLLECTIONS_PATH=$TMP "$VENV/bin/antsibull-docs" lint-collection-docs --plugin-docs .) || rc=1
echo "== docs/docsite/rst up to date with docs/*.md"
"$VENV/bin/python" tests/utils/docsite.py --check || rc=1
[ "$rc" -eq 0 ] && echo "lint: ruff, ansible-lint, antsibull-docs and docsite check clean"
exit "$rc"

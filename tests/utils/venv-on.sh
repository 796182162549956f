#!/usr/bin/env bash
# Sourced by integration-on.sh and sanity-on.sh: the virtualenv of one ansible-core
# release, shared by the stages of that release (make test MATRIX=1 JOBS=2 may start
# two of them at once: the first one fills it, under a lock; the other waits, then
# reuses it).
#
#   prepare_venv oldest   the oldest release meta/runtime.yml accepts (requires_ansible),
#                         on $PYTHON or python3, in .venv-oldest
#   prepare_venv newest   the newest release, on Python 3.13 or 3.12, in .venv-latest
#   prepare_venv X.Y      release X.Y, in .venv-X.Y (on Python 3.12+ from 2.20 on)
#
# Sets VENV and PYTHON_VERSION. Returns 3, having filled nothing, when the release
# needs Python 3.12+ and there is none (find-python-latest.sh). A venv is filled once
# per set of requirements; for "newest", remove .venv-latest (or make clean) to pick up
# a newer release (.ci/run starts from no venv).

# requires_ansible: ">=2.18.0" -> 2.18
oldest_core() {
  sed -nE 's/^requires_ansible: *"?>= *([0-9]+)\.([0-9]+)(\.[0-9]+)?"?.*/\1.\2/p' "$ROOT/meta/runtime.yml"
}

prepare_venv() {
  local which=$1 python core_spec stamp minor
  case "$which" in
    oldest)
      local oldest
      oldest=$(oldest_core)
      [ -n "$oldest" ] || { echo "error: no requires_ansible: \">=X.Y\" in meta/runtime.yml" >&2; exit 2; }
      python=${PYTHON:-python3}
      VENV=$ROOT/.venv-oldest
      core_spec="ansible-core==$oldest.*"
      ;;
    newest)
      . "$ROOT/tests/utils/find-python-latest.sh"
      find_python_latest
      [ -n "$PYTHON_LATEST" ] || return 3
      python=$PYTHON_LATEST
      VENV=${VENV_LATEST:-$ROOT/.venv-latest}
      core_spec="ansible-core"
      ;;
    [0-9]*.[0-9]*)
      minor=${which#*.}
      if [ "${which%%.*}" -gt 2 ] || [ "$minor" -ge 20 ]; then  # ansible-core 2.20+ needs Python 3.12+
        . "$ROOT/tests/utils/find-python-latest.sh"
        find_python_latest
        [ -n "$PYTHON_LATEST" ] || return 3
        python=$PYTHON_LATEST
      else
        python=${PYTHON:-python3}
      fi
      VENV=$ROOT/.venv-$which
      core_spec="ansible-core==$which.*"
      ;;
    *)
      echo "error: prepare_venv oldest|newest|X.Y, not '$which'" >&2
      exit 2
      ;;
  esac
  mkdir -p "$VENV"
  stamp=$VENV/.ready-$(cat "$ROOT/requirements.txt" "$ROOT/tests/simulator/requirements.txt" <(echo "$core_spec") | cksum | cut -d' ' -f1)
  (
    flock 9
    if [ ! -f "$stamp" ]; then
      [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
      "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade \
        -r "$ROOT/requirements.txt" -r "$ROOT/tests/simulator/requirements.txt" "$core_spec"
      rm -f "$VENV"/.ready-*
      touch "$stamp"
    fi
  ) 9>"$VENV/.lock"
  PYTHON_VERSION=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  echo "using: ansible-core $("$VENV/bin/python" -c 'import ansible; print(ansible.__version__)'), Python $PYTHON_VERSION ($VENV)"
}

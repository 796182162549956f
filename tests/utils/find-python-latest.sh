#!/usr/bin/env bash
# Sourced: set PYTHON_LATEST to a Python 3.13 (else 3.12) interpreter, or to ""
# if there is none. The newest ansible-core needs Python 3.12+. pyenv shims on
# PATH may not work, so its versions directory is searched for the binaries.
# An explicit PYTHON_LATEST from the environment wins.
find_python_latest() {
  PYTHON_LATEST=${PYTHON_LATEST:-}
  [ -n "$PYTHON_LATEST" ] && return 0
  local pyenv_root candidate
  pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for candidate in "$pyenv_root"/versions/3.13*/bin/python3.13 "$(command -v python3.13 || true)" \
                   /usr/bin/python3.13 /usr/local/bin/python3.13 \
                   "$pyenv_root"/versions/3.12*/bin/python3.12 "$(command -v python3.12 || true)" /usr/bin/python3.12; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys' 2>/dev/null; then
      PYTHON_LATEST=$candidate
      return 0
    fi
  done
  PYTHON_LATEST=""
}

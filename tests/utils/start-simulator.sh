#!/usr/bin/env bash
# Sourced by the test and demo scripts: start the simulator in the background
# and set SIM_URL (the API endpoint) and SIM_PID. The caller's EXIT trap must
# call stop_simulator, so it is stopped even when a step fails.
# Usage: start_simulator SEED_FILE [extra simulator args...]

start_simulator() {
  local seed=$1; shift
  SIM_LOG=$(mktemp "${TMPDIR:-/tmp}/osc-sim.XXXXXX")
  PYTHONPATH="$ROOT/tests${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m simulator --port 0 --seed "$seed" "$@" >"$SIM_LOG" 2>&1 &
  SIM_PID=$!
  local waited=0
  SIM_URL=""
  while [ -z "$SIM_URL" ]; do
    SIM_URL=$(head -n 1 "$SIM_LOG" | grep -E '^https?://127\.0\.0\.1:[0-9]+/api/v1$' || true)
    if [ -z "$SIM_URL" ]; then
      if ! kill -0 "$SIM_PID" 2>/dev/null || [ "$waited" -ge 150 ]; then
        echo "The simulator did not start; its output:" >&2
        cat "$SIM_LOG" >&2
        return 1
      fi
      sleep 0.1
      waited=$((waited + 1))
    fi
  done
  SIM_BASE=${SIM_URL%/api/v1}
  export SIM_URL SIM_BASE SIM_PID
}

stop_simulator() {
  if [ -n "${SIM_PID:-}" ] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill -TERM "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  [ -n "${SIM_LOG:-}" ] && rm -f "$SIM_LOG"
  SIM_PID=""
}

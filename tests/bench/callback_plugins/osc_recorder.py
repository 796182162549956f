# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: record every task result, with timings, to a JSON file.

Used by tests/bench (per-task wall times, API calls per task) and by
tests/reliability (which task failed, with which message, and which peering
each task reported). Enabled with ANSIBLE_CALLBACKS_ENABLED=osc_recorder and
ANSIBLE_CALLBACK_PLUGINS=<this directory>; it leaves the stdout callback alone.

Timing: a task's wall time runs from ``v2_runner_on_start`` (sent by the
strategy in the controller just before it forks the worker) to the result
callback (when the controller has read the worker's result). Both are seen in
the controller process, on one monotonic clock, so the figure holds everything
a task costs: fork, templating, module transfer, the module run, and the
result's trip back. It is the per-task figure profile_tasks would give.

Environment:
  OSC_RECORDER_FILE  where to write the JSON (nothing is recorded without it)
  OSC_RECORDER_SIM   the simulator's control base (http://127.0.0.1:PORT/_sim):
                     after each result the call counts of its request log are
                     read, so the API calls of each task are known. Reading them
                     happens after the task's end time is taken, so it is not
                     in any timing (only forks 1 gives per-task counts).
"""

from __future__ import annotations

import json
import os
import time
from urllib.request import urlopen

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: osc_recorder
type: aggregate
short_description: Record task results and timings to a JSON file (tests only)
description:
  - Test helper of outscale.cloud; see the module docstring.
requirements:
  - enable in configuration
"""

# Result keys worth keeping; the rest (invocation, diff, ...) only costs space.
KEEP = (
    "changed",
    "failed",
    "skipped",
    "unreachable",
    "msg",
    "net_peering",
    "api_error",
    "warnings",
    "exception",
    "module_stderr",
    "summary",
    "failures",
)


def _small(result):
    small = {key: result[key] for key in KEEP if key in result}
    if "net_peerings" in result:
        small["net_peerings_count"] = len(result.get("net_peerings") or [])
    return small


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "osc_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = os.environ.get("OSC_RECORDER_FILE")
        self.sim = os.environ.get("OSC_RECORDER_SIM")
        self.started = {}
        self.records = []
        self.items = {}
        self.playbook_start = None
        self.initial_counts = None
        self.marks_failed = 0

    # -- helpers ---------------------------------------------------------

    def _call_counts(self):
        """The simulator's API call counts so far, {action: n} (None without a simulator)."""
        if not self.sim:
            return None
        try:
            with urlopen(self.sim + "/counts", timeout=30) as response:
                return json.loads(response.read().decode("utf-8")).get("counts")
        except Exception:  # pylint: disable=broad-except
            self.marks_failed += 1
            return None

    def _finish(self, result, status):
        end = time.monotonic()
        host, task = result.host.get_name(), result.task
        key = (host, task._uuid)
        start = self.started.pop(key, None)
        self.records.append(
            {
                "host": host,
                "task": task.get_name(),
                "action": task.action,
                "uuid": task._uuid,
                "status": status,
                "start": start,
                "end": end,
                "seconds": None if start is None else end - start,
                "result": _small(result.result),
                "items": self.items.pop(key, None),
                "call_counts": self._call_counts(),
            }
        )

    # -- callbacks -------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        self.initial_counts = self._call_counts()
        self.playbook_start = time.monotonic()

    def v2_runner_on_start(self, host, task):
        self.started[(host.get_name(), task._uuid)] = time.monotonic()

    def _item(self, result, status):
        key = (result.host.get_name(), result.task._uuid)
        entry = _small(result.result)
        entry["status"] = status
        entry["item"] = result.result.get("item")
        self.items.setdefault(key, []).append(entry)

    def v2_runner_item_on_ok(self, result):
        self._item(result, "ok")

    def v2_runner_item_on_failed(self, result):
        self._item(result, "failed")

    def v2_runner_item_on_skipped(self, result):
        self._item(result, "skipped")

    def v2_runner_on_ok(self, result):
        self._finish(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finish(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._finish(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._finish(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        if not self.path:
            return
        data = {
            "playbook_seconds": None if self.playbook_start is None else time.monotonic() - self.playbook_start,
            "records": self.records,
            "log_marks_failed": self.marks_failed,
            "initial_call_counts": self.initial_counts,
        }
        with open(self.path, "w") as handle:
            json.dump(data, handle, default=str)

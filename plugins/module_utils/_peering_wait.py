# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Waiting for a peering to reach a state: polls with growing, jittered intervals,
bounded by a timeout, riding out throttling. Used by the executor after an accept."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    Peering,
    read_by_id,
    state_message,
    state_name,
)

# Seconds between two polls while waiting: grows from 1 s to 5 s, then stays at
# 5 s, each with +-25% jitter so parallel tasks do not poll in step.
POLL_INTERVALS = (1, 2, 3, 4, 5)
# While waiting for "active", these states mean it will never come.
WAIT_FAIL_STATES = ("rejected", "failed", "expired", "deleted")


def wait_for_state(
    client: Any,
    peering_id: str,
    target: str,
    last: Optional[Peering],
    wait_timeout: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    jitter: Callable[[], float],
) -> Peering:
    """Poll ReadNetPeerings by ID until the peering reaches ``target``.

    Returns the peering. Raises OscError on a state that can never reach the target (rejected,
    failed, expired, deleted), when the peering vanishes, or at wait_timeout, with the last peering
    seen. Throttling is ridden out: a throttled poll is simply followed by the next one.
    """
    started = clock()
    polls = 0
    while True:
        interval = POLL_INTERVALS[min(polls, len(POLL_INTERVALS) - 1)] if POLL_INTERVALS else 0
        delay = interval * (0.75 + 0.5 * jitter())
        remaining = wait_timeout - (clock() - started)
        if remaining <= 0:
            now, message = state_name(last) or "unknown", state_message(last) or "no message"
            raise OscError(
                f"Timed out after {wait_timeout} s waiting for {peering_id} to become {target}; "
                f"it is still {now} ({message}). It may still get there: "
                "run the task again to wait more, or raise wait_timeout.",
                result={"peering": last},
            )
        sleep(min(delay, remaining))
        polls += 1
        try:
            peering = read_by_id(client, peering_id)
        except OscApiError as exc:
            if exc.is_throttling:
                continue  # the client gave up on this poll; the wait goes on
            raise
        if peering is None:
            raise OscError(
                f"{peering_id} disappeared while waiting for it to become {target}.", result={"peering": last}
            )
        last = peering
        name = state_name(peering)
        if name == target:
            return peering
        if name in WAIT_FAIL_STATES:
            raise OscError(
                f"{peering_id} became {name} ({state_message(peering) or 'no message'}) while waiting for {target}; "
                f"it will not become {target}.",
                result={"peering": peering},
            )

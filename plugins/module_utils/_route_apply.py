# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The route steps of a plan, carried out by the executor (_peering_apply) through the
client of the side's owner.

- CreateRoute only once the peering is active (the evidence on routes to a pending
  peering contradicts itself).
- A write whose outcome is unknown is settled by reading the table back
  (ReadRouteTables RouteTableIds), never sent again blindly; a route the read shows
  through another target is never replaced.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering, state_name
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import Step
from ansible_collections.outscale.cloud.plugins.module_utils._peering_unknown import UnsettledWrite
from ansible_collections.outscale.cloud.plugins.module_utils._route_reads import read_route
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import (
    ALREADY_DONE,
    CREATE_ROUTE,
    target_of,
)


def write_route(executor: Any, step: Step, current: Optional[Peering]) -> str:
    """One CreateRoute or DeleteRoute; sets ``executor.wrote`` once something was written.

    Returns the step's outcome: "done", or ALREADY_DONE when another writer made the same route meanwhile.
    """
    client = executor.clients[step.actor]
    if step.kind == CREATE_ROUTE:
        peering_id = step.peering_id or (current or {}).get("NetPeeringId")
        if state_name(current) != "active":
            raise OscError(
                f"Net peering {peering_id} is {state_name(current) or 'unknown'}, not active, so no route was written "
                f"to it (table {step.route_table_id} of Net {step.net_id}). Routes are written once the peering is "
                "active: run the task again with wait=true, or once it is accepted."
            )
        return _create(executor, client, step, peering_id)
    _delete(executor, client, step)
    return "done"


def _where(step: Step) -> str:
    return f"route table {step.route_table_id} of Net {step.net_id}"


def _create(executor: Any, client: Any, step: Step, peering_id: str) -> str:
    body = {
        "RouteTableId": step.route_table_id,
        "DestinationIpRange": step.destination_ip_range,
        "NetPeeringId": peering_id,
    }
    unknown: Optional[OscAmbiguousWriteError] = None  # an earlier attempt whose outcome is unknown
    for attempt in (1, 2):
        try:
            client.call("CreateRoute", body)
            executor.wrote = True
            return "done"
        except OscAmbiguousWriteError as exc:
            unknown = exc
            outcome = _settle_create(executor, client, step, peering_id, exc)
            if outcome == "done":
                executor.wrote = True
                return "done"
            if outcome != "absent" or attempt == 2:
                raise exc.with_hint(_hint_after_read(step, outcome))
            # Read back, the route is not there: sending again is no longer blind.
        except OscApiError as exc:
            if exc.status != 409:  # guess: the platform's code for an existing route is not documented
                raise exc.with_hint(f"CreateRoute was refused for {_where(step)}.")
            outcome = _settle_create(executor, client, step, peering_id, unknown or exc)
            if outcome == "done":
                # After an unknown outcome, most likely our first attempt (a read can lag a slow write);
                # otherwise made meanwhile (another task?), through this very peering: nothing to do.
                if unknown is None:
                    return ALREADY_DONE
                executor.wrote = True
                return "done"
            raise exc.with_hint(_hint_after_read(step, outcome))


def _read_back(executor: Any, client: Any, step: Step, action: str, unknown: OscApiError) -> Any:
    """(table found, route) after ``action``; a failed read says the write may have taken effect."""
    try:
        return read_route(client, step.route_table_id, step.destination_ip_range)
    except OscApiError as exc:
        if not isinstance(unknown, OscAmbiguousWriteError):
            raise  # the write was refused: it did nothing, only the read failed
        executor.wrote = True
        executor.warnings.append(f"{action} may have changed something although the task failed; run it again.")
        raise UnsettledWrite(
            f"{action} was sent for {_where(step)} and may have succeeded: its outcome is unknown "
            f"({unknown.reason}), and reading the table back failed too ({exc.full_message().rstrip('.')}). "
            "Run the task again: it reads the routes and finishes the job, never writing a route twice.",
            exc,
        ) from exc


def _settle_create(executor: Any, client: Any, step: Step, peering_id: str, unknown: OscApiError) -> str:
    """After a CreateRoute whose outcome is unknown: "done", "absent", or the route's current target."""
    found, route = _read_back(executor, client, step, "CreateRoute", unknown)
    if not found:
        return "no table"
    if route is None:
        return "absent"
    if route.get("NetPeeringId") == peering_id:
        return "done"
    return target_of(route)


def _hint_after_read(step: Step, outcome: str) -> str:
    if outcome == "no table":
        return f"Read again, {step.route_table_id} is gone (deleted meanwhile?); run the task again."
    if outcome == "absent":
        return f"Read again, {_where(step)} still has no route to {step.destination_ip_range}; run the task again."
    return (
        f"Read again, {_where(step)} sends {step.destination_ip_range} to {outcome}; it was left as is. Delete or "
        "change that route, then run the task again."
    )


def _delete(executor: Any, client: Any, step: Step) -> None:
    body = {"RouteTableId": step.route_table_id, "DestinationIpRange": step.destination_ip_range}
    unknown: Optional[OscAmbiguousWriteError] = None  # an earlier attempt whose outcome is unknown
    for attempt in (1, 2):
        try:
            client.call("DeleteRoute", body)
            break
        except OscApiError as exc:
            if unknown is None and not isinstance(exc, OscAmbiguousWriteError):
                raise exc.with_hint(f"DeleteRoute was refused for {_where(step)}.")
            # Unknown outcome, or a resend refused (the first attempt went through late?): read back.
            unknown = exc if isinstance(exc, OscAmbiguousWriteError) else unknown
            found, route = _read_back(executor, client, step, "DeleteRoute", unknown)
            if not found or route is None:
                break  # gone (or its table is): the delete took effect
            if route.get("NetPeeringId") != step.peering_id:
                raise exc.with_hint(
                    f"Read again, {_where(step)} sends {step.destination_ip_range} to {target_of(route)} now; it "
                    "was left as is."
                )
            if attempt == 2:
                raise exc.with_hint(
                    f"Read again, {_where(step)} still sends {step.destination_ip_range} to {step.peering_id}; run "
                    "the task again."
                )
            # Still there: the delete did not happen, so sending it again cannot remove anything else.
    executor.wrote = True

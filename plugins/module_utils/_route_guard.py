# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Checks on the plans once the route planner (_route_plan) has merged its steps: pure, no I/O.

Beside the planner, which is at its size limit: a peering that ends pending with a side the task
cannot write, a second peer of one range routed from another table of the Net, and the routes of a
peering accepted with wait=false.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering, is_live, net_ids, state_name
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import ACCEPT, ACCEPTER, TASK, Plan
from ansible_collections.outscale.cloud.plugins.module_utils._route_plan import ends_live, missing_side, removed_ids
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import (
    CREATE_ROUTE,
    NetInfo,
    same_range,
)


def refuse_unroutable_pending(plans: List[Plan], nets: Dict[str, NetInfo]) -> None:
    """A peering that ends pending gets no route yet; if the task cannot write one of its sides, no later run
    of it can either. Refused before any write, naming the account, as a pair that ends active is."""
    for item in plans:
        if item.refusal or not ends_live(item) or state_name(item.after) == "active":
            continue
        sides = [net for net in net_ids(item.after) if net] or [item.wanted.source_net_id, item.wanted.accepter_net_id]
        lacking = [nets.get(net) or NetInfo(net) for net in sides if (nets.get(net) or NetInfo(net)).actor is None]
        if lacking:
            item.refusal, item.steps = missing_side(lacking[0]), []


def _second_peer(item: Plan, info: NetInfo, destination: str, live: set, ended: set) -> Optional[str]:
    """A route of the Net to ``destination`` through another peering that is (or may be) live, in any table."""
    own = (item.after or {}).get("NetPeeringId")
    for table in info.tables or []:
        for route in table.get("Routes") or []:
            via = route.get("NetPeeringId") if isinstance(route, dict) else None
            if not via or via == own or not same_range(route.get("DestinationIpRange"), destination):
                continue
            # A peering not read is live unless every peering of the Net's account was read.
            if via in live or (via not in ended and not info.task_owned):
                return (
                    f"Net {info.net_id} would route {destination} to two peers: route table "
                    f"{table.get('RouteTableId')} already sends it to {via}. The most specific route would take part "
                    "of the other peer's traffic. Nothing was done for this pair; give one of them a disjoint range, "
                    f"or do not route both from {info.net_id}."
                )
    return None


def refuse_second_peer_of_one_range(plans: List[Plan], nets: Dict[str, NetInfo], observed: List[Peering]) -> None:
    """A route to create whose range another live peering of the Net already carries, in a table the option
    does not select (the selected ones are the planner's: refused, or replaced when stale). net_peering reads
    one pair, so it knows the Net's other peers only from their routes."""
    removed = {pid for item in plans for pid in removed_ids(item)}
    live = {p.get("NetPeeringId") for p in observed if is_live(p)} - removed
    ended = {p.get("NetPeeringId") for p in observed if not is_live(p)} | removed
    for item in plans:
        for step in item.steps if not item.refusal else []:
            info = nets.get(step.net_id) if step.kind == CREATE_ROUTE else None  # task_owned: see plan_routes
            refusal = _second_peer(item, info, step.destination_ip_range, live, ended) if info else None
            if refusal:
                item.refusal, item.steps = refusal, []
                break


def accept_as_the_owner(plans: List[Plan], nets: Dict[str, NetInfo]) -> None:
    """net_peering accepting a peering another account requested: its accepter_credentials are then the
    source Net's owner's, to route that side. This task's own read of the accepter Net's tables proved
    that it owns that Net, and only that Net's owner can accept: the task accepts itself."""
    for item in plans:
        accepter_net = net_ids(item.after or item.before or {})[1]
        if (nets.get(accepter_net) or NetInfo(accepter_net)).actor != TASK:
            continue
        for step in item.steps:
            if step.kind == ACCEPT and step.actor == ACCEPTER:
                step.actor = TASK


def defer_routes(plans: List[Plan]) -> None:
    """wait=false: a peering accepted by this run may still be pending when its routes are due, and no
    route is written to a pending peering. Its route creates are left to a later run, with a warning,
    in check mode as in the real run (check mode is the plan)."""
    for item in plans:
        creates = [step for step in item.steps if step.kind == CREATE_ROUTE]
        if creates and any(step.kind == ACCEPT for step in item.steps):
            item.steps = [step for step in item.steps if step.kind != CREATE_ROUTE]
            wanted = item.wanted
            name = f"{wanted.source_net_id} -> {wanted.accepter_net_id}" if wanted.by_pair else wanted.net_peering_id
            item.warnings.append(
                f"routes: {len(creates)} route(s) through the peering {name} were not written: with wait=false the "
                "peering this task accepts may not be active yet. Run the task again once it is, or use wait=true."
            )

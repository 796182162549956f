# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The routes through the peerings of one task: a pure function, beside the peering planner.

``plan_routes(plans, nets, observed, option, mode)`` takes the peering plans (from
_peering_plan or _peering_topology), what is known of each Net (its range, its
route tables as ReadRouteTables returns them, who can write them) and the
peerings read, and decides for each plan: the route deletes to run before its
peering steps (cleanup of a peering being removed, stale routes under
``overridden``), the route creates to run after them (once the peering is
active), or a refusal (overlap, a route to another target, missing credentials).
_routes.merge_routes puts the decisions into the plans. No I/O: check mode and diff
mode show exactly this; _route_apply writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    Peering,
    is_live,
    net_ids,
    state_name,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import (
    ACCEPTER,
    DELETE,
    REJECT,
    TASK,
    Plan,
    Step,
)
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import (  # noqa: F401  (re-exported)
    CREATE_ROUTE,
    DELETE_ROUTE,
    NetInfo,
    Route,
    RouteOption,
    Table,
    overlaps,
    route_view,
    routes_through,
    same_range,
    selected_tables,
    target_of,
)


@dataclass
class RouteDecision:
    """For one plan: deletes before its peering steps, creates after, or a refusal; the routes before and after."""

    before_steps: List[Step] = field(default_factory=list)
    after_steps: List[Step] = field(default_factory=list)
    refusal: Optional[str] = None
    routes_before: List[Dict[str, str]] = field(default_factory=list)
    routes_after: List[Dict[str, str]] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)


def _delete_route(
    decision: RouteDecision,
    handled: Set[Tuple[str, str]],
    info: NetInfo,
    table: Table,
    route: Dict[str, Any],
    peering_id: Optional[str],
    reason: str,
) -> None:
    """Plan a DeleteRoute before the pair's peering steps; its (table, destination) is then handled."""
    handled.add((table.get("RouteTableId"), route.get("DestinationIpRange")))
    decision.before_steps.append(
        _route_step(DELETE_ROUTE, info, table, route.get("DestinationIpRange"), peering_id, reason)
    )


def _route_step(
    kind: str, info: NetInfo, table: Table, destination: str, peering_id: Optional[str], reason: str
) -> Step:
    return Step(
        kind,
        info.actor,
        reason,
        peering_id,
        net_id=info.net_id,
        account=info.account,
        route_table_id=table.get("RouteTableId"),
        destination_ip_range=destination,
    )


# -- which peerings end live, and the peers of each Net ----------------------------


def ends_active(item: Plan) -> bool:
    return not item.refusal and state_name(item.after) == "active"


def ends_live(item: Plan) -> bool:
    return not item.refusal and item.after is not None and is_live(item.after)


def removed_ids(item: Plan) -> List[str]:
    """The live peerings this plan deletes or rejects."""
    ids = [step.peering_id for step in item.steps if step.kind in (DELETE, REJECT) and step.peering_id]
    if not ids and item.before and any(step.kind in (DELETE, REJECT) for step in item.steps):
        ids = [item.before.get("NetPeeringId")]
    return ids


def _nets_of(item: Plan) -> Tuple[Optional[str], Optional[str]]:
    peering = item.after if item.after else item.before
    if peering:
        return net_ids(peering)
    return item.wanted.source_net_id, item.wanted.accepter_net_id


def _peers(plans: List[Plan], observed: List[Peering]) -> Dict[str, Dict[str, Optional[str]]]:
    """{Net: {peer Net: peering ID or None}} for every live peering read and every listed one ending live."""
    peers: Dict[str, Dict[str, Optional[str]]] = {}
    removed = {pid for item in plans for pid in removed_ids(item)}
    for peering in observed:
        if is_live(peering) and peering.get("NetPeeringId") not in removed:
            a, b = net_ids(peering)
            peers.setdefault(a, {})[b] = peering.get("NetPeeringId")
            peers.setdefault(b, {})[a] = peering.get("NetPeeringId")
    for item in plans:
        if ends_live(item):
            a, b = _nets_of(item)
            peers.setdefault(a, {}).setdefault(b, (item.after or {}).get("NetPeeringId"))
            peers.setdefault(b, {}).setdefault(a, (item.after or {}).get("NetPeeringId"))
    return peers


# -- refusals ------------------------------------------------------------------------


def unseen_net(item: Plan, nets: Dict[str, NetInfo], region: Optional[str] = None) -> Optional[str]:
    """A Net of the pair that the account which must own it read and did not see: the create would fail (5065)."""
    if item.refusal or not item.wanted.by_pair:
        return None
    for net in (item.wanted.source_net_id, item.wanted.accepter_net_id):
        info = nets.get(net)
        if info is None or info.unseen_by is None:
            continue
        where = f"in region {region}" if region else "in this region"
        if info.unseen_by == TASK:
            who = "this task's credentials"
            fix = "check the Net ID and the region; a Net of another account needs accepter_owner_id" + (
                " and accepter_credentials for that account" if net == item.wanted.accepter_net_id else ""
            )
        else:
            if info.unseen_by == ACCEPTER:
                who = f"the accepter_credentials (accepter_owner_id {item.wanted.accepter_owner_id})"
            else:
                who = f"the accepter_credentials of account {info.unseen_by}"
            fix = "check the Net ID, accepter_owner_id and that accepter_credentials are that account's"
        side = "source" if net == item.wanted.source_net_id else "accepter"
        return (
            f"The {side} Net {net} cannot be seen with {who} {where}: it does not exist there, or another account "
            f"owns it. Nothing was done for this pair: {fix}."
        )
    return None


def pair_overlap(item: Plan, nets: Dict[str, NetInfo]) -> Optional[str]:
    """The two Nets of a pair that must end live overlap: the platform would create the peering ``failed``."""
    if not ends_live(item):
        return None
    a, b = _nets_of(item)
    range_a, range_b = (nets.get(a) or NetInfo(a)).ip_range, (nets.get(b) or NetInfo(b)).ip_range
    if overlaps(range_a, range_b):
        return (
            f"Net {a} ({range_a}) and Net {b} ({range_b}) have overlapping IP ranges: the platform would create their "
            "peering in state failed, and no route could tell them apart. Nothing was done for this pair; peer Nets "
            "with disjoint ranges."
        )
    return None


def peer_overlap(
    item: Plan, nets: Dict[str, NetInfo], peers: Dict[str, Dict[str, Optional[str]]], live: Set[str], ended: Set[str]
) -> Optional[str]:
    """With routes: the new peer's range overlaps the range of another live peer of the same Net."""
    a, b = _nets_of(item)
    for net, peer in ((a, b), (b, a)):
        peer_range = (nets.get(peer) or NetInfo(peer)).ip_range
        for other in sorted(peers.get(net, {})):
            other_range = (nets.get(other) or NetInfo(other)).ip_range
            if other != peer and overlaps(peer_range, other_range):
                return (
                    f"Net {net} would route to two peers whose ranges overlap: Net {peer} ({peer_range}) and Net "
                    f"{other} ({other_range}). The most specific route would take part of the other peer's traffic. "
                    "Nothing was done for this pair; give one of them a disjoint range, or do not route both from "
                    f"{net}."
                )
        # Peers the read does not show (net_peering reads one pair): the routes of the Net to other peerings tell.
        peering_id = ((item.after or item.before) or {}).get("NetPeeringId")
        for table in (nets.get(net) or NetInfo(net)).tables or []:
            for route in table.get("Routes") or []:
                other_range, via = route.get("DestinationIpRange"), route.get("NetPeeringId")
                if not via or via == peering_id or _is_stale(route, nets.get(net) or NetInfo(net), live, ended):
                    continue  # not a route to another live peer (one this task removes, or ended, steals nothing)
                if overlaps(peer_range, other_range) and not same_range(peer_range, other_range):
                    return (
                        f"Net {net} would route to two peers whose ranges overlap: Net {peer} ({peer_range}) and the "
                        f"peer of {via} ({other_range}, routed in {table.get('RouteTableId')}). The most specific "
                        "route would take part of the other peer's traffic. Nothing was done for this pair; give one "
                        f"of them a disjoint range, or do not route both from {net}."
                    )
    return None


def missing_side(info: NetInfo) -> str:
    account = info.account
    if info.tried is not None:
        given = "accepter_credentials" + ("" if info.tried == ACCEPTER else f" of account {info.tried}")
        return (
            f"routes: the {given} cannot see the route tables of Net {info.net_id} (every Net has a main table, and "
            "only its owner reads it), so they are not the credentials of its owner, or the Net is not in this "
            "region. Nothing was done for this pair: fix those credentials."
        )
    if account is None:
        return (
            f"routes: no route table of Net {info.net_id} could be read, with this task's credentials or any "
            "accepter_credentials. Every Net has a main route table, and only its owner reads it: check that the Net "
            "exists in this region, and give accepter_credentials for the account that owns it. Nothing was done for "
            "this pair."
        )
    return (
        f"routes: Net {info.net_id} belongs to account {account} and this task has no credentials for it, so its "
        f"route tables can be neither read nor written. Nothing was done for this pair. Add accepter_credentials for "
        f"account {account}, or leave routes out and route that side in a task run with its credentials."
    )


# -- the plan ----------------------------------------------------------------------


def _is_stale(route: Route, info: NetInfo, live_ids: Set[str], ended_ids: Set[str]) -> bool:
    peering_id = route.get("NetPeeringId")
    if not peering_id or peering_id in live_ids:
        return False
    # A Net of another account may be peered with a third account, whose peerings this task cannot read.
    return info.task_owned or peering_id in ended_ids


def _side_routes(
    item: Plan,
    info: NetInfo,
    destination: str,
    option: RouteOption,
    mode: str,
    live_ids: Set[str],
    ended_ids: Set[str],
    decision: RouteDecision,
) -> Set[Tuple[str, str]]:
    """Routes of one side of a pair ending active: creates, and the stale route in the way under overridden."""
    peering_id = (item.after or {}).get("NetPeeringId")
    handled = set()
    for table in selected_tables(info.tables, option):
        existing = [
            r
            for r in table.get("Routes") or []
            if isinstance(r, dict) and same_range(r.get("DestinationIpRange"), destination)
        ]
        if existing and peering_id and existing[0].get("NetPeeringId") == peering_id:
            continue  # already there, through this very peering
        if existing and _is_stale(existing[0], info, live_ids, ended_ids) and mode == "overridden":
            reason = "stale: its peering is no longer live; replaced by the route through this peering"
            _delete_route(decision, handled, info, table, existing[0], existing[0].get("NetPeeringId"), reason)
        elif existing:
            target = target_of(existing[0])
            stale = ""
            if _is_stale(existing[0], info, live_ids, ended_ids):
                stale = f" ({target} is no longer live: state=overridden of net_peerings removes such stale routes)"
            decision.refusal = (
                f"Route table {table.get('RouteTableId')} of Net {info.net_id} already sends {destination} to "
                f"{target}{stale}. It was left as is and nothing was done for this pair: delete or change that route "
                "(or narrow routes.route_table_tags), then run the task again."
            )
            return handled
        decision.after_steps.append(
            _route_step(CREATE_ROUTE, info, table, destination, peering_id, "no route to the peer through it")
        )
        decision.routes_after.append(route_view(info.net_id, table, {"DestinationIpRange": destination}))
    return handled


def _pair_decision(
    item: Plan,
    nets: Dict[str, NetInfo],
    peers: Dict[str, Dict[str, Optional[str]]],
    option: RouteOption,
    mode: str,
    live_ids: Set[str],
    ended_ids: Set[str],
    handled: Set[Tuple[str, str]],
) -> RouteDecision:
    decision = RouteDecision()
    peering_id = ((item.after or item.before) or {}).get("NetPeeringId")
    a, b = _nets_of(item)
    sides = [nets.get(a) or NetInfo(a), nets.get(b) or NetInfo(b)]
    decision.routes_before = [r for info in sides for r in routes_through(info, peering_id)]
    if ends_active(item):
        overlap, mine = peer_overlap(item, nets, peers, live_ids, ended_ids), set()
        for info in sides:
            if info.tables is None or info.actor is None:
                decision.refusal = missing_side(info)
                return decision
        decision.routes_after = list(decision.routes_before)
        for info, peer in ((sides[0], sides[1]), (sides[1], sides[0])):
            if not peer.ip_range:
                decision.refusal = (
                    f"routes: the IP range of Net {peer.net_id} is unknown; nothing was done for this pair."
                )
                return decision
            if not selected_tables(info.tables, option):
                decision.warnings.append(
                    f"routes: no route table of Net {info.net_id} matches route_tables={option.route_tables} and "
                    f"route_table_tags={option.route_table_tags}, so no route to {peer.ip_range} was planned there."
                )
            mine |= _side_routes(item, info, peer.ip_range, option, mode, live_ids, ended_ids, decision)
            if decision.refusal:  # the overlap says more than "the route is taken" when a peer took it
                decision.refusal, decision.after_steps, decision.before_steps = overlap or decision.refusal, [], []
                return decision
        if overlap and decision.after_steps:  # a pair already routed adds no route: it takes no other peer's traffic
            decision.refusal, decision.after_steps, decision.before_steps = overlap, [], []
            decision.routes_after = list(decision.routes_before)
            return decision
        handled |= mine
        return decision
    for removed in removed_ids(item):
        # Cleanup before the peering goes: its routes in the selected tables of each side the task can act for.
        for info in sides:
            if info.tables is None or info.actor is None:
                decision.warnings.append(
                    f"Routes to {removed} in the tables of Net {info.net_id} (account {info.account or 'unknown'}) "
                    "were not removed: this task has no credentials for that account."
                )
                continue
            for table in selected_tables(info.tables, option):
                for route in table.get("Routes") or []:
                    if isinstance(route, dict) and route.get("NetPeeringId") == removed:
                        _delete_route(decision, handled, info, table, route, removed, "its peering is being removed")
    done = {(s.route_table_id, s.destination_ip_range) for s in decision.before_steps}
    decision.routes_after = [
        r for r in decision.routes_before if (r["route_table_id"], r["destination_ip_range"]) not in done
    ]
    return decision


def plan_routes(
    plans: List[Plan],
    nets: Dict[str, NetInfo],
    observed: List[Peering],
    option: Optional[RouteOption],
    mode: str = "merged",
    listed_count: Optional[int] = None,
    all_peerings_read: bool = True,
    region: Optional[str] = None,
) -> Tuple[List[RouteDecision], List[Dict[str, str]]]:
    """(one decision per plan, in order; the stale routes found in the listed Nets' selected tables).

    Every plan is first refused when a Net of its pair was not seen by the account that must own
    it (unseen_net), then when its two Nets overlap. Without ``option`` nothing else. ``listed_count``:
    the plans after it are removals (overridden), whose Nets are not searched for stale routes.
    ``all_peerings_read``: ``observed`` holds every peering of the task's account (net_peerings),
    not one pair's (net_peering); only then is a route to a peering not read known to be stale.
    """
    if not all_peerings_read:
        for info in nets.values():
            info.task_owned = False
    decisions = []
    listed_count = len(plans) if listed_count is None else listed_count
    if option is None:
        return [RouteDecision(refusal=unseen_net(item, nets, region) or pair_overlap(item, nets)) for item in plans], []
    early = [unseen_net(item, nets, region) or pair_overlap(item, nets) for item in plans]
    peers = _peers([item for item, refusal in zip(plans, early) if not refusal], observed)  # refused: never peered
    live_ids = {p.get("NetPeeringId") for p in observed if is_live(p)}
    removed = {pid for item in plans for pid in removed_ids(item)}
    live_ids -= removed
    ended_ids = {p.get("NetPeeringId") for p in observed if not is_live(p)} | removed
    handled: Set[Tuple[str, str]] = set()
    for item, refusal in zip(plans, early):
        if refusal or item.refusal:
            decisions.append(RouteDecision(refusal=refusal))
            continue
        decisions.append(_pair_decision(item, nets, peers, option, mode, live_ids, ended_ids, handled))
    stale = _stale(plans[:listed_count], decisions, nets, option, mode, live_ids, ended_ids, handled)
    _one_writer_per_route(decisions)
    return decisions, stale


def _one_writer_per_route(decisions: List[RouteDecision]) -> None:
    """Each (table, destination) is written by one plan only.

    DeleteRoute names a route by its table and destination, not its target: if two plans
    deleted the same one (a peering removed, and a new peering of the same range that takes
    its place), the second delete could remove the route the other plan has just created.
    A plan that creates the route owns it (it deletes the old one itself, before its
    create); otherwise the first plan that deletes it keeps the delete.
    """
    created = {
        (step.route_table_id, step.destination_ip_range)
        for decision in decisions
        for step in decision.after_steps
        if step.kind == CREATE_ROUTE
    }
    deleted: Set[Tuple[Optional[str], Optional[str]]] = set()
    for decision in decisions:
        owned = {(step.route_table_id, step.destination_ip_range) for step in decision.after_steps}
        kept = []
        for step in decision.before_steps:
            key = (step.route_table_id, step.destination_ip_range)
            if step.kind == DELETE_ROUTE and ((key in created and key not in owned) or key in deleted):
                continue
            if step.kind == DELETE_ROUTE:
                deleted.add(key)
            kept.append(step)
        decision.before_steps = kept


def _stale(
    listed: List[Plan],
    decisions: List[RouteDecision],
    nets: Dict[str, NetInfo],
    option: RouteOption,
    mode: str,
    live_ids: Set[str],
    ended_ids: Set[str],
    handled: Set[Tuple[str, str]],
) -> List[Dict[str, str]]:
    """Routes in the listed Nets' selected tables to peerings no longer live; removed under overridden."""
    found, seen = [], set()
    # A Net's stale routes go to its first listed pair that is not refused: a refused one makes no write.
    for index in sorted(range(len(listed)), key=lambda i: bool(decisions[i].refusal or listed[i].refusal)):
        for net in _nets_of(listed[index]):
            info = nets.get(net)
            if net in seen or info is None or info.tables is None or info.actor is None:
                continue
            seen.add(net)
            for table in selected_tables(info.tables, option):
                for route in table.get("Routes") or []:
                    key = (table.get("RouteTableId"), route.get("DestinationIpRange"))
                    if not isinstance(route, dict) or key in handled or not _is_stale(route, info, live_ids, ended_ids):
                        continue
                    handled.add(key)
                    found.append(dict(route_view(net, table, route), net_peering_id=route.get("NetPeeringId")))
                    if mode == "overridden" and not decisions[index].refusal:
                        reason = "stale: its peering is no longer live"
                        _delete_route(decisions[index], handled, info, table, route, route.get("NetPeeringId"), reason)
    return found

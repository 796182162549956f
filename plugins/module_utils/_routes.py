# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Routes through the peerings, shared by the peering modules: the ``routes`` option,
reading route tables and Net ranges (a fixed number of calls per account), and
``add_routes``, which reads what the route planner needs, runs it and puts its
steps into the peering plans. Decisions live in _route_plan (pure), writes in _route_apply.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional, Set, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._nets import read_nets
from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering, account_ids, net_ids
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import (
    ACCEPTER,
    CHECK_ACCEPTER,
    TASK,
    Actors,
    Plan,
)
from ansible_collections.outscale.cloud.plugins.module_utils._route_guard import (
    accept_as_the_owner,
    defer_routes,
    refuse_second_peer_of_one_range,
    refuse_unroutable_pending,
)
from ansible_collections.outscale.cloud.plugins.module_utils._route_plan import RouteDecision, ends_live, plan_routes
from ansible_collections.outscale.cloud.plugins.module_utils._route_reads import read_route_tables
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import (
    NetInfo,
    RouteOption,
)
from ansible_collections.outscale.cloud.plugins.module_utils._tags import validate_tags

_ROUTES_OPTION = dict(
    type="dict",
    options=dict(
        route_tables=dict(type="str", default="all", choices=["all", "main"]),
        route_table_tags=dict(type="dict"),
    ),
)


def routes_argument_spec() -> Dict[str, Any]:
    """The ``routes`` option, the same on net_peering and net_peerings."""
    return copy.deepcopy(_ROUTES_OPTION)


def validate_routes(value: Optional[Dict[str, Any]]) -> None:
    if value is not None:
        error = validate_tags(value.get("route_table_tags"), "routes.route_table_tags")
        if error:
            raise OscError(error)


def merge_routes(plans: List[Plan], decisions: List[RouteDecision], with_routes: bool) -> None:
    """Put each decision into its plan: a refusal replaces the steps; deletes go first, creates last."""
    for item, decision in zip(plans, decisions):
        if decision.refusal and not item.refusal:
            item.refusal, item.steps = decision.refusal, []
        if with_routes:
            item.routes_before, item.routes_after = decision.routes_before, decision.routes_after
        if item.refusal:
            continue
        item.steps = decision.before_steps + item.steps + decision.after_steps
        item.warnings.extend(decision.warnings)


# -- what the planner needs --------------------------------------------------------------


def _nets_and_accounts(plans: List[Plan]) -> Dict[str, Optional[str]]:
    """{Net: its account as far as the plans tell (None: unknown, or the task's)}."""
    accounts: Dict[str, Optional[str]] = {}
    for item in plans:
        peering = item.after or item.before
        if peering:
            for net, account in zip(net_ids(peering), account_ids(peering)):
                if net:
                    accounts[net] = accounts.get(net) or account
        wanted = item.wanted
        if wanted.by_pair:
            accounts.setdefault(wanted.source_net_id, None)
            accounts[wanted.accepter_net_id] = accounts.get(wanted.accepter_net_id) or wanted.accepter_owner_id
    return accounts


def known_ranges(observed: List[Peering]) -> Dict[str, str]:
    """Each Net's range, from the peerings read (any state: a Net's range never changes)."""
    ranges = {}
    for peering in observed:
        for side in ("SourceNet", "AccepterNet"):
            net = peering.get(side) or {}
            if net.get("NetId") and net.get("IpRange"):
                ranges[net["NetId"]] = net["IpRange"]
    return ranges


def owner_readers(plans: List[Plan], actors: Actors, ranges: Dict[str, str]) -> Dict[str, str]:
    """{listed Net whose range no peering read shows: the actor whose credentials must see it}. Pure.

    No peering read shows the Net, so the pair will be created as listed: its source Net is the
    task's, its accepter Net is accepter_owner_id's (the task's without it). A Net of another
    account the task has no credentials for cannot be checked (only its owner sees a Net): it is
    left out, and the platform decides at the create.
    """
    readers: Dict[str, str] = {}
    for item in plans:
        wanted = item.wanted
        if not wanted.by_pair or not ends_live(item):
            continue  # refused, or absent/rejected: nothing to create (a deleted Net must not fail its cleanup)
        if wanted.source_net_id not in ranges:
            readers.setdefault(wanted.source_net_id, TASK)
        if wanted.accepter_net_id not in ranges:
            reader = actors.accepter_for(wanted.accepter_owner_id) if wanted.accepter_owner_id else TASK
            if reader is not None:
                readers.setdefault(wanted.accepter_net_id, reader)
    return readers


def _read_ranges(clients: Dict[str, Any], readers: Dict[str, str], nets: Dict[str, NetInfo]) -> Dict[str, Set[str]]:
    """One ReadNets per actor for the Nets it must own: their ranges, and which it cannot see.

    Returns {actor: the Nets it saw} (its credentials are proven for them: no second read).
    """
    by_actor: Dict[str, List[str]] = {}
    for net, actor in readers.items():
        by_actor.setdefault(actor, []).append(net)
    seen_by: Dict[str, Set[str]] = {}
    for actor, wanted in sorted(by_actor.items(), key=lambda item: (item[0] != TASK, item[0])):  # the task first
        try:
            found = {net["NetId"]: net for net in read_nets(clients[actor], sorted(wanted))}
        except OscApiError:
            if actor == TASK:
                raise
            # Accepter keys that do not work: the accepter check reads again and explains it, per account.
            continue
        for net in wanted:
            if net in found:
                nets[net].ip_range = nets[net].ip_range or found[net].get("IpRange")
                seen_by.setdefault(actor, set()).add(net)
            else:
                nets[net].unseen_by = actor
    return seen_by


def gather_tables(
    clients: Dict[str, Any], actors: Actors, plans: List[Plan], observed: List[Peering]
) -> Dict[str, NetInfo]:
    """Each Net of the plans with its range, tables and writer.

    Calls: one ReadRouteTables as the task (every Net of the plans: only the owner reads a
    Net's tables, so those returned are the task's), one per other account for its Nets
    not returned; one ReadNets per account, only for Nets whose range no peering read shows.
    """
    accounts = _nets_and_accounts(plans)
    ranges = known_ranges(observed)
    nets = {net: NetInfo(net, ranges.get(net), account) for net, account in accounts.items()}
    if not nets:
        return nets
    # Guess (no source): a NetIds filter naming another account's Net matches nothing rather than being
    # refused, as on AWS and in the simulator; so the task's one read tells its own Nets apart.
    by_reader: Dict[str, List[str]] = {TASK: sorted(nets)}
    tables = {TASK: read_route_tables(clients[TASK], {"NetIds": sorted(nets)})}
    seen = {t.get("NetId") for t in tables[TASK]}
    for net in sorted(set(nets) - seen):
        actor = actors.accepter_for(nets[net].account) if nets[net].account else None
        if actor is None and actors.any_accepter:
            actor = ACCEPTER  # net_peering by ID: the other side is whoever accepter_credentials are
        if actor is not None:
            by_reader.setdefault(actor, []).append(net)
    for actor, wanted in sorted(by_reader.items()):
        if actor != TASK:
            tables[actor] = read_route_tables(clients[actor], {"NetIds": wanted})
        owned = {t.get("NetId") for t in tables[actor]}
        for net in wanted:
            if net not in owned and actor != TASK:
                nets[net].tried = actor
            if net in owned:
                info = nets[net]
                info.tables = [t for t in tables[actor] if t.get("NetId") == net]
                info.actor, info.task_owned = actor, actor == TASK
                if actor not in (TASK, ACCEPTER):
                    info.account = actor
    for actor, wanted in sorted(by_reader.items()):
        unknown = [net for net in wanted if nets[net].actor == actor and not nets[net].ip_range]
        if unknown:
            for net in read_nets(clients[actor], unknown):
                if net.get("NetId") in nets and net.get("IpRange"):
                    nets[net["NetId"]].ip_range = net["IpRange"]
    return nets


def add_routes(
    clients: Dict[str, Any],
    actors: Actors,
    plans: List[Plan],
    observed: List[Peering],
    option: Optional[RouteOption],
    mode: str = "merged",
    listed_count: Optional[int] = None,
    all_peerings_read: bool = True,
    wait: bool = True,
) -> Tuple[List[Dict[str, str]], Dict[str, Set[str]]]:
    """Read, plan and merge the routes into ``plans`` (refusals included).

    ``wait`` false: the routes of a peering this run accepts are left to a later run (defer_routes).

    Returns the stale routes found, and {actor: the Nets whose tables it read}: only a Net's
    owner reads its tables, so those credentials are proven for those Nets (TopologyRun then
    skips the accepter check's ReadNets for them). Without ``option`` nothing is read: only
    the overlap of each pair's two Nets is checked, from the ranges the peerings read show.
    """
    nets, proven = gather_nets(clients, actors, plans, observed, option is not None, listed_count)
    decisions, stale = plan_routes(
        plans, nets, observed, option, mode, listed_count, all_peerings_read, region=actors.region
    )
    merge_routes(plans, decisions, option is not None)
    if option is not None:
        refuse_unroutable_pending(plans, nets)
        refuse_second_peer_of_one_range(plans, nets, observed)
        accept_as_the_owner(plans, nets)
    if not wait:
        defer_routes(plans)
    for item in plans:
        # net_peering's accepter check would read again what these reads proved: no account is read twice.
        item.steps = [
            step
            for step in item.steps
            if not (step.kind == CHECK_ACCEPTER and step.net_id in proven.get(step.actor, set()))
        ]
    return stale, proven


def gather_nets(
    clients: Dict[str, Any],
    actors: Actors,
    plans: List[Plan],
    observed: List[Peering],
    with_tables: bool,
    listed_count: Optional[int] = None,
) -> Tuple[Dict[str, NetInfo], Dict[str, Set[str]]]:
    """The reads, in one place: what is known of each Net, and {actor: the Nets its credentials proved to own}.

    Without tables: one ReadNets per account that must own a listed Net whose range no peering
    read shows (none when every listed pair has a peering read). With tables (routes): the
    route tables read tell who sees each Net (every Net has a main table), and ReadNets only
    the ranges still unknown (gather_tables).
    """
    ranges = known_ranges(observed)
    readers = owner_readers(plans[:listed_count], actors, ranges)  # the removals after them are by ID
    proven: Dict[str, Set[str]] = {}
    if not with_tables:
        nets = {net: NetInfo(net, ip_range) for net, ip_range in ranges.items()}
        for net in readers:
            nets.setdefault(net, NetInfo(net))
        proven = _read_ranges(clients, readers, nets)
        proven.pop(TASK, None)
        return nets, proven
    nets = gather_tables(clients, actors, plans, observed)
    for net, ip_range in ranges.items():
        # A peer no plan names (an unlisted peering read): its range, so that a new peer overlapping it is refused.
        nets.setdefault(net, NetInfo(net, ip_range))
    for net, reader in readers.items():
        info = nets.get(net)
        if info is not None and info.actor is None:
            info.unseen_by = reader  # neither this task nor the credentials of its owner read its tables
    for info in nets.values():
        if info.actor is not None and info.tables is not None:
            proven.setdefault(info.actor, set()).add(info.net_id)
    return nets, proven

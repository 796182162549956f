# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Route tables and routes as ReadRouteTables returns them: which tables the ``routes``
option selects, a route's target, comparing ranges, and what the task knows of a Net.
Pure; shared by the route planner (_route_plan) and the info report (_route_report).
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._tags import tags_to_dict

CREATE_ROUTE, DELETE_ROUTE = "create_route", "delete_route"
ROUTE_KINDS = (CREATE_ROUTE, DELETE_ROUTE)
ROUTE_TABLE_CHOICES = ("all", "main")
# The target fields of a Route (OpenAPI 1.42.0); a route has exactly one.
TARGET_FIELDS = ("NetPeeringId", "GatewayId", "NatServiceId", "NicId", "VmId", "VirtualGatewayId")

Table = Dict[str, Any]
Route = Dict[str, Any]


@dataclass
class RouteOption:
    """The modules' ``routes`` option: which route tables of each Net carry the routes."""

    route_tables: str = "all"
    route_table_tags: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, value: Optional[Dict[str, Any]]) -> Optional[RouteOption]:
        if value is None:
            return None
        tags = {key: "" if tag is None else str(tag) for key, tag in (value.get("route_table_tags") or {}).items()}
        return cls(value.get("route_tables") or "all", tags)


@dataclass
class NetInfo:
    """What the task knows of one Net.

    ``tables``: its route tables as read, or None when the task has no credentials for its
    account. ``actor``: who writes them. ``task_owned``: the task's own account owns it, so
    every peering of it was read, and a route to a peering not read is stale for sure.
    """

    net_id: str
    ip_range: Optional[str] = None
    account: Optional[str] = None
    tables: Optional[List[Table]] = None
    actor: Optional[str] = None
    task_owned: bool = False
    tried: Optional[str] = None  # credentials that were given for its account but returned none of its tables
    # A listed Net that the actor which must own it (see _routes.owner_readers) read and did not see.
    unseen_by: Optional[str] = None


# -- tables and routes ---------------------------------------------------------


def is_main(table: Table) -> bool:
    return any(isinstance(link, dict) and link.get("Main") for link in table.get("LinkRouteTables") or [])


def selected_tables(tables: Optional[Iterable[Table]], option: RouteOption) -> List[Table]:
    """The tables the option selects: all, or only the main one; then only those carrying every tag."""
    chosen = []
    for table in tables or []:
        if option.route_tables == "main" and not is_main(table):
            continue
        tags = tags_to_dict(table.get("Tags"))
        if all(tags.get(key) == value for key, value in option.route_table_tags.items()):
            chosen.append(table)
    return chosen


def target_of(route: Route) -> str:
    """A route's target, as a user reads it: "local", "pcx-...", "igw-...", or "unknown"."""
    for name in TARGET_FIELDS:
        if route.get(name):
            return str(route[name])
    return "unknown"


@functools.lru_cache(maxsize=4096)
def _network(text: str) -> Optional[Any]:
    """A CIDR parsed once (a topology compares the same few ranges many times), or None if it is not one."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except (ValueError, TypeError):
        return None


def same_range(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two CIDRs are the same network (10.1.0.0/16 and 10.1.0.0/16), tolerant of odd text."""
    if not a or not b:
        return False
    net_a, net_b = _network(a), _network(b)
    return net_a == net_b if net_a is not None and net_b is not None else a == b


def overlaps(a: Optional[str], b: Optional[str]) -> bool:
    if not a or not b:
        return False
    net_a, net_b = _network(a), _network(b)
    return net_a is not None and net_b is not None and net_a.version == net_b.version and net_a.overlaps(net_b)


def route_view(net_id: str, table: Table, route: Route) -> Dict[str, str]:
    """A route as the modules report it."""
    return {
        "net_id": net_id,
        "route_table_id": table.get("RouteTableId"),
        "destination_ip_range": route.get("DestinationIpRange"),
    }


def routes_through(info: NetInfo, peering_id: Optional[str]) -> List[Dict[str, str]]:
    """Every route through this peering in any table of the Net (what is there, selected or not)."""
    if not peering_id:
        return []
    return [
        route_view(info.net_id, table, route)
        for table in info.tables or []
        for route in table.get("Routes") or []
        if isinstance(route, dict) and route.get("NetPeeringId") == peering_id
    ]


# A route step's outcome when the route was found made meanwhile by another writer: it is there, nothing was written.
ALREADY_DONE = "already_done"


def routes_now(item: Any, actions: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    """The routes through the plan's peering after its actions: those read, plus creates, minus deletes.

    An action counts once done (or planned, in check mode, or already done by another writer); a failed one
    changed nothing.
    """
    routes = [dict(route) for route in item.routes_before or []]
    for action in actions:
        if action.get("step") not in ROUTE_KINDS or action.get("outcome") not in ("done", "planned", ALREADY_DONE):
            continue
        route = {key: action.get(key) for key in ("net_id", "route_table_id", "destination_ip_range")}
        if action["step"] == CREATE_ROUTE:
            routes.append(route)
        elif route in routes:
            routes.remove(route)
    return routes

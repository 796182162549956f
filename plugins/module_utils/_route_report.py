# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Can traffic flow through a peering? net_peering_info's ``routes`` report, a pure function
of the peering, the route tables read and the other peerings read."""

from __future__ import annotations

from typing import Any, Dict, List, Set

from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering, state_name
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import (
    RouteOption,
    Table,
    is_main,
    same_range,
    selected_tables,
    target_of,
)


def _problem(kind: str, table: Table, destination: Any, target: Any, message: str) -> Dict[str, Any]:
    return {
        "kind": kind,
        "route_table_id": table.get("RouteTableId"),
        "destination_ip_range": destination,
        "target": target,
        "message": message,
    }


def route_report(
    peering: Peering,
    tables_by_net: Dict[str, List[Table]],
    route_table_tags: Dict[str, str],
    live_ids: Set[str],
    ended_ids: Set[str],
    all_read: bool,
) -> List[Dict[str, Any]]:
    """For each side whose tables were read: its selected tables, the route to the peer, the problems.

    Problems: ``missing`` (an active peering, a table with no route to the peer's range),
    ``other_target`` (that range goes elsewhere), ``stale`` (a route through a peering that is
    not live: this one once ended, or another one read as ended, or, when every peering of
    the account was read, one not read at all).
    """
    peering_id, active = peering.get("NetPeeringId"), state_name(peering) == "active"
    option = RouteOption("all", dict(route_table_tags or {}))
    sides = []
    for side, other in (("SourceNet", "AccepterNet"), ("AccepterNet", "SourceNet")):
        net_id = (peering.get(side) or {}).get("NetId")
        peer_net, peer_range = (peering.get(other) or {}).get("NetId"), (peering.get(other) or {}).get("IpRange")
        if net_id not in tables_by_net:
            continue  # another account's Net: only its owner reads its tables
        tables, problems = [], []
        for table in selected_tables(tables_by_net[net_id], option):
            routes = [r for r in table.get("Routes") or [] if isinstance(r, dict)]
            to_peer = next((r for r in routes if same_range(r.get("DestinationIpRange"), peer_range)), None)
            through = [r.get("DestinationIpRange") for r in routes if r.get("NetPeeringId") == peering_id]
            tables.append(
                {
                    "route_table_id": table.get("RouteTableId"),
                    "main": is_main(table),
                    "routes_through_peering": through,
                    "route_to_peer": None
                    if to_peer is None
                    else {"destination_ip_range": to_peer.get("DestinationIpRange"), "target": target_of(to_peer)},
                }
            )
            where = f"route table {table.get('RouteTableId')} of Net {net_id}"
            if active and to_peer is None:
                problems.append(
                    _problem(
                        "missing",
                        table,
                        peer_range,
                        None,
                        f"{where} has no route to {peer_range} (Net {peer_net}): traffic to the peer does not flow "
                        "from the Subnets using it.",
                    )
                )
            elif active and to_peer.get("NetPeeringId") != peering_id:
                problems.append(
                    _problem(
                        "other_target",
                        table,
                        peer_range,
                        target_of(to_peer),
                        f"{where} sends {peer_range} to {target_of(to_peer)}, not through {peering_id}.",
                    )
                )
            for route in routes:
                via = route.get("NetPeeringId")
                # One name per case: flake8 (galaxy-importer's) refuses a line that starts with `or`.
                through_this_ended = via == peering_id and state_name(peering) not in ("active", "pending-acceptance")
                through_another_ended = via != peering_id and (via in ended_ids or (all_read and via not in live_ids))
                stale = via and (through_this_ended or through_another_ended)
                if stale:
                    problems.append(
                        _problem(
                            "stale",
                            table,
                            route.get("DestinationIpRange"),
                            via,
                            f"{where} sends {route.get('DestinationIpRange')} to {via}, which is no longer live.",
                        )
                    )
        sides.append({"net_id": net_id, "peer_ip_range": peer_range, "route_tables": tables, "problems": problems})
    return sides

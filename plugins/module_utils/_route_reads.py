# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Reading route tables: every page, each table's shape checked where it comes in.

Apart from _routes (which also reads Net ranges), so that net_peering_info's route
report needs ReadRouteTables only: the permission tables list what each module can call.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._errors import UnexpectedResponse
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import Table, same_range


def _checked_table(table: Any, where: str, page: Dict[str, Any]) -> Table:
    if not isinstance(table, dict) or not isinstance(table.get("RouteTableId"), str):
        raise UnexpectedResponse("ReadRouteTables", f"{where} is not a route table with a RouteTableId", page)
    for key in ("Routes", "LinkRouteTables", "Tags"):
        if table.get(key) is not None and not isinstance(table.get(key), list):
            raise UnexpectedResponse("ReadRouteTables", f"{where}.{key} is not a list", page)
    return table


def read_route_tables(client: Any, filters: Dict[str, List[str]]) -> List[Table]:
    """Every route table that matches, all pages (only the owner of a Net reads its tables)."""
    tables: List[Table] = []
    for page in client.pages("ReadRouteTables", {"Filters": filters}):
        items = page.get("RouteTables")
        if items is not None and not isinstance(items, list):
            raise UnexpectedResponse("ReadRouteTables", "RouteTables is not a list", page)
        for item in items or []:
            tables.append(_checked_table(item, f"RouteTables[{len(tables)}]", page))
    return tables


def read_route(client: Any, route_table_id: str, destination: str) -> Tuple[bool, Optional[Dict[str, Any]]]:
    """(the table was found, the route to ``destination`` in it or None). One ReadRouteTables call."""
    tables = [
        t for t in read_route_tables(client, {"RouteTableIds": [route_table_id]}) if t["RouteTableId"] == route_table_id
    ]
    if not tables:
        return False, None
    for route in tables[0].get("Routes") or []:
        if isinstance(route, dict) and same_range(route.get("DestinationIpRange"), destination):
            return True, route
    return True, None

# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Reading the Nets an account can see (only their owner can: that is how accepter
credentials are proven, and how a task tells which side of a peering it is on)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._errors import UnexpectedResponse


def read_nets(client: Any, net_ids: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """Every Net visible to ``client``'s account (only ``net_ids`` when given), all pages.

    Each Net is a dict with a string NetId; any other shape raises UnexpectedResponse.
    """
    if net_ids is not None and not net_ids:
        return []  # an empty NetIds filter would match every Net
    body: Dict[str, Any] = {"Filters": {"NetIds": list(net_ids)}} if net_ids is not None else {}
    nets: List[Dict[str, Any]] = []
    for page in client.pages("ReadNets", body):
        items = page.get("Nets")
        # A missing or null list is read as "none", as for the peerings.
        if items is not None and not isinstance(items, list):
            raise UnexpectedResponse("ReadNets", f"Nets is a {type(items).__name__}, not a list", page)
        for index, net in enumerate(items or []):
            if not isinstance(net, dict) or not isinstance(net.get("NetId"), str):
                raise UnexpectedResponse("ReadNets", f"Nets[{index}] has no NetId string", page)
            nets.append(net)
    return nets

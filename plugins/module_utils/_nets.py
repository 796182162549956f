# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Reading Nets: ReadNets, every page."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._errors import UnexpectedResponse


def read_nets(client: Any, net_ids: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """Every Net the caller can see (only the owner of a Net sees it), all pages; only ``net_ids`` if given."""
    body: Dict[str, Any] = {"Filters": {"NetIds": list(net_ids)}} if net_ids is not None else {}
    nets: List[Dict[str, Any]] = []
    for page in client.pages("ReadNets", body):
        items = page.get("Nets")
        if items is not None and not isinstance(items, list):
            raise UnexpectedResponse("ReadNets", "Nets is not a list", page)
        nets.extend(net for net in items or [] if isinstance(net, dict))
    return nets

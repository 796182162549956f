# -*- coding: utf-8 -*-
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Net peering domain, shared by net_peering and net_peering_info:
the result shape, filters, and ID formats."""

from __future__ import annotations

import re

LIVE_STATES = ("pending-acceptance", "active")
TERMINAL_STATES = ("rejected", "failed", "expired", "deleted")

NET_ID_PATTERN = re.compile(r"^vpc-[0-9a-f]{8}$")
PEERING_ID_PATTERN = re.compile(r"^pcx-[0-9a-f]{8}$")
ACCOUNT_ID_PATTERN = re.compile(r"^[0-9]{12}$")

# snake_case filter keys of the modules -> FiltersNetPeering fields of the API.
FILTER_KEYS = {
    "accepter_net_account_ids": "AccepterNetAccountIds",
    "accepter_net_ip_ranges": "AccepterNetIpRanges",
    "accepter_net_net_ids": "AccepterNetNetIds",
    "expiration_dates": "ExpirationDates",
    "net_peering_ids": "NetPeeringIds",
    "source_net_account_ids": "SourceNetAccountIds",
    "source_net_ip_ranges": "SourceNetIpRanges",
    "source_net_net_ids": "SourceNetNetIds",
    "state_messages": "StateMessages",
    "state_names": "StateNames",
    "tag_keys": "TagKeys",
    "tag_values": "TagValues",
    "tags": "Tags",
}


def tags_to_dict(tags):
    """API tag list [{Key, Value}] -> {key: value}."""
    return dict((tag.get("Key"), tag.get("Value", "")) for tag in tags or [])


def tags_to_list(tags):
    """{key: value} -> API tag list, in a stable order."""
    return [{"Key": key, "Value": "" if value is None else str(value)} for key, value in sorted((tags or {}).items())]


def _net(net):
    net = net or {}
    return {"account_id": net.get("AccountId"), "ip_range": net.get("IpRange"), "net_id": net.get("NetId")}


def normalize_peering(peering):
    """The API's NetPeering -> the snake_case dict both modules return."""
    state = peering.get("State") or {}
    return {
        "net_peering_id": peering.get("NetPeeringId"),
        "state": {"name": state.get("Name"), "message": state.get("Message")},
        "source_net": _net(peering.get("SourceNet")),
        "accepter_net": _net(peering.get("AccepterNet")),
        "expiration_date": peering.get("ExpirationDate"),
        "tags": tags_to_dict(peering.get("Tags")),
    }


def build_filters(filters):
    """Module ``filters`` (snake_case) -> FiltersNetPeering.

    Returns (api_filters, error message or None). Scalars become one-item
    lists; ``tags`` also takes a dict, turned into "KEY=VALUE" strings.
    """
    api_filters = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            return None, "filters: unknown key '%s'. Valid keys: %s." % (key, ", ".join(sorted(FILTER_KEYS)))
        if key == "tags" and isinstance(value, dict):
            value = ["%s=%s" % (tag_key, "" if tag_value is None else tag_value) for tag_key, tag_value in sorted(value.items())]
        elif not isinstance(value, list):
            value = [value]
        api_filters[FILTER_KEYS[key]] = [str(item) for item in value]
    return api_filters, None

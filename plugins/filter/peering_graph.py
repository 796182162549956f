# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outscale.cloud.peering_graph filter: peerings (as net_peering_info and
net_peerings return them) drawn as a Mermaid flowchart. Its documentation is in
peering_graph.yml next to this file.

It reads plain data only: no module_utils, so importing it stays cheap for
every controller worker (see the filters' import test)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

DIRECTIONS = ("LR", "RL", "TB", "BT")
# The state names of the API, grouped as the picture shows them; any other name is drawn as ended.
LIVE_STATES = {"active": "active", "pending-acceptance": "pending"}
# How each kind of edge is drawn: the Mermaid link, and its style.
EDGE_LINKS = {"active": "-->", "pending": "-.->", "ended": "-.->", "broken": "--x"}
EDGE_STYLES = {
    "active": "stroke:#2e7d32,stroke-width:2px",
    "pending": "stroke:#ef6c00,stroke-width:2px,stroke-dasharray:6 4",
    "ended": "stroke:#9e9e9e,stroke-width:1px,stroke-dasharray:2 4",
    "broken": "stroke:#c62828,stroke-width:2px,stroke-dasharray:8 4",
}
# Mermaid reads quotes and a few signs in a label as syntax; the API's values never hold them, but tags might.
UNSAFE = re.compile(r'["<>|{}\[\]`]')


def _fail(message):
    raise AnsibleFilterError(f"outscale.cloud.peering_graph: {message}")


def _text(value):
    return UNSAFE.sub("_", str(value))


def _node_id(net_id):
    return "n_" + re.sub(r"[^0-9A-Za-z_]", "_", net_id)


def _peerings(data):
    """The list of peerings: a registered result (with net_peerings), or that list itself."""
    if isinstance(data, Mapping):
        if "net_peerings" not in data:
            _fail(
                "the input is a dict without net_peerings: give the registered result of "
                "outscale.cloud.net_peering_info or outscale.cloud.net_peerings, or its net_peerings list."
            )
        data = data["net_peerings"]
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        _fail(f"the input must be a list of peerings, or a registered result holding one, not {type(data).__name__}.")
    return data


def _net(peering, side, index):
    net = peering.get(side)
    if not isinstance(net, Mapping) or not net.get("net_id"):
        _fail(f"item {index} has no {side}.net_id: give peerings as net_peering_info or net_peerings return them.")
    return net


def _kind(peering):
    state = peering.get("state")
    name = state.get("name") if isinstance(state, Mapping) else state
    return LIVE_STATES.get(name, "ended"), name or "unknown"


def _sides_without_routes(peering, source, accepter):
    """The Nets of an active peering that have no route through it, when the result carries routes."""
    if "routes" not in peering:
        return []  # not known: never drawn as broken
    routed = {route.get("net_id") for route in peering.get("routes") or [] if isinstance(route, Mapping)}
    return [net["net_id"] for net in (source, accepter) if net["net_id"] not in routed]


def peering_graph(data, direction="LR", ended=True):
    """A Mermaid flowchart of the peerings: one node per Net, one edge per peering."""
    if direction not in DIRECTIONS:
        _fail(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}.")
    nodes, edges = {}, []
    for index, peering in enumerate(_peerings(data)):
        if peering is None:  # net_peerings lists a peering that does not exist (yet, or any more) as null
            continue
        if not isinstance(peering, Mapping):
            _fail(f"item {index} is a {type(peering).__name__}, not a peering (a dict).")
        source, accepter = _net(peering, "source_net", index), _net(peering, "accepter_net", index)
        kind, state = _kind(peering)
        if kind == "ended" and not ended:
            continue
        for net in (source, accepter):
            nodes.setdefault(net["net_id"], net)
        label = " ".join(filter(None, (peering.get("net_peering_id"), state)))
        if kind == "active":
            unrouted = _sides_without_routes(peering, source, accepter)
            if unrouted:
                kind = "broken"
                label += ", no route in " + " and ".join(unrouted)
        edges.append((source["net_id"], accepter["net_id"], kind, label))
    lines = [f"flowchart {direction}"]
    for net_id, net in nodes.items():
        parts = [net_id, net.get("ip_range"), f"account {net.get('account_id') or 'unknown'}"]
        shown = "<br/>".join(_text(part) for part in parts if part)
        lines.append(f'    {_node_id(net_id)}["{shown}"]')
    for source, accepter, kind, label in edges:
        lines.append(f'    {_node_id(source)} {EDGE_LINKS[kind]}|"{_text(label)}"| {_node_id(accepter)}')
    for kind, style in EDGE_STYLES.items():
        numbers = [str(number) for number, edge in enumerate(edges) if edge[2] == kind]
        if numbers:
            lines.append(f"    linkStyle {','.join(numbers)} {style}")
    return "\n".join(lines) + "\n"


class FilterModule:
    """outscale.cloud.peering_graph."""

    def filters(self):
        return {"peering_graph": peering_graph}

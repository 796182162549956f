# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outscale.cloud.peering_graph filter: peerings (as net_peering_info and
net_peerings return them) drawn as a Mermaid flowchart. Its documentation is the
DOCUMENTATION, EXAMPLES and RETURN below.

It reads plain data only: no module_utils, so importing it stays cheap for
every controller worker (see the filters' import test)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: peering_graph
version_added: 0.2.0
author:
  - outscale.cloud maintainers (@outscale)
short_description: Draw peerings as a Mermaid flowchart
description:
  - Turns the registered result of M(outscale.cloud.net_peering_info) or M(outscale.cloud.net_peerings), or its
    C(net_peerings) list, into a L(Mermaid,https://mermaid.js.org/syntax/flowchart.html) flowchart, a picture of the
    network as text. Mermaid blocks render in GitHub's and GitLab's web views of Markdown files, and in
    U(https://mermaid.live).
  - Each Net is a node labelled with its ID, its IP range and its account. Each peering is an arrow from the
    source Net (the requester) to the accepter Net, labelled with its ID and state, and styled by state
    (green for C(active), dashed orange for C(pending-acceptance), dotted grey for an ended peering -
    C(rejected), C(failed), C(expired), C(deleted)).
  - When a peering carries C(routes) (a list of C(net_id), C(route_table_id), C(destination_ip_range), the routes
    through the peering, in either Net), an active peering whose Net on one side has no route through it is
    drawn as broken (a red dashed line ending in a cross, its label naming the Nets without a route). A peering
    without a C(routes) key is never drawn as broken, since nothing is known of its routes.
  - C(null) items (a peering that C(net_peerings) lists but that does not exist) are left out. Nodes and edges
    keep the order of the input, so the same input always gives the same text.
positional: _input
options:
  _input:
    description:
      - The registered result of M(outscale.cloud.net_peering_info) or M(outscale.cloud.net_peerings) (a dict with
        C(net_peerings)), or that list of peerings.
      - Each peering has C(source_net) and C(accepter_net) (each with C(net_id), and C(ip_range) and C(account_id)
        when known), C(state.name), C(net_peering_id), and optionally C(routes).
    type: raw
    required: true
  direction:
    description: The direction of the flowchart, left to right (V(LR)), right to left, top to bottom or bottom to top.
    type: str
    choices: [LR, RL, TB, BT]
    default: LR
  ended:
    description: Whether to draw the ended peerings (rejected, failed, expired, deleted), dotted and grey.
    type: bool
    default: true
seealso:
  - module: outscale.cloud.net_peering_info
    description: Lists the peerings to draw.
  - module: outscale.cloud.net_peerings
    description: Its registered result can be drawn as it is.
"""

EXAMPLES = r"""
- name: List the peerings of the account
  outscale.cloud.net_peering_info:
  register: listed

- name: Write them as a Markdown page with a Mermaid picture
  ansible.builtin.copy:
    dest: network.md
    mode: "0644"
    content: |
      # Our Net peerings

      ```mermaid
      {{ listed | outscale.cloud.peering_graph }}
      ```

# The live peerings only, top to bottom.
# live_graph => "flowchart TB\n    n_vpc_a1a1a1a1[\"vpc-a1a1a1a1<br/>10.1.0.0/16<br/>account 111111111111\"]\n..."
- name: Keep a picture of the live peerings only, top to bottom
  ansible.builtin.set_fact:
    live_graph: "{{ listed | outscale.cloud.peering_graph(direction='TB', ended=false) }}"
"""

RETURN = r"""
_value:
  description:
    - The Mermaid flowchart, one line per Net, per peering and per edge style, ending with a newline.
  type: str
  sample: |
    flowchart LR
        n_vpc_a1a1a1a1["vpc-a1a1a1a1<br/>10.1.0.0/16<br/>account 111111111111"]
        n_vpc_b1b1b1b1["vpc-b1b1b1b1<br/>10.3.0.0/16<br/>account 222222222222"]
        n_vpc_a1a1a1a1 -->|"pcx-1a2b3c4d active"| n_vpc_b1b1b1b1
        linkStyle 0 stroke:#2e7d32,stroke-width:2px
"""

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

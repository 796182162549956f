"""The peering_graph filter: nodes, edges by state, broken edges from routes, input shapes, errors, and the
picture docs/topology.md shows."""

import os
import re
import subprocess
import sys

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.outscale.cloud.plugins.filter.peering_graph import FilterModule, peering_graph

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
A, B = "111111111111", "222222222222"
NETS = {
    "vpc-a1a1a1a1": {"net_id": "vpc-a1a1a1a1", "ip_range": "10.1.0.0/16", "account_id": A},
    "vpc-a2a2a2a2": {"net_id": "vpc-a2a2a2a2", "ip_range": "10.2.0.0/16", "account_id": A},
    "vpc-b1b1b1b1": {"net_id": "vpc-b1b1b1b1", "ip_range": "10.3.0.0/16", "account_id": B},
}


def peering(peering_id, source, accepter, state, routes=None):
    item = {
        "net_peering_id": peering_id,
        "state": {"name": state, "message": state},
        "source_net": dict(NETS[source]),
        "accepter_net": dict(NETS[accepter]),
        "tags": {},
    }
    if routes is not None:
        item["routes"] = [
            {"net_id": net, "route_table_id": f"rtb-{number:08x}", "destination_ip_range": "10.0.0.0/8"}
            for number, net in enumerate(routes)
        ]
    return item


def edges(graph):
    return [line.strip() for line in graph.splitlines() if "|" in line]


def test_registered_as_a_filter_of_its_own_file():
    assert FilterModule().filters() == {"peering_graph": peering_graph}


def test_each_net_once_labelled_with_id_range_and_account_and_each_peering_an_arrow():
    graph = peering_graph(
        [
            peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-a2a2a2a2", "active"),
            peering("pcx-22222222", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active"),
        ]
    )
    lines = graph.splitlines()
    assert lines[0] == "flowchart LR" and graph.endswith("\n")
    assert lines[1:4] == [
        '    n_vpc_a1a1a1a1["vpc-a1a1a1a1<br/>10.1.0.0/16<br/>account 111111111111"]',
        '    n_vpc_a2a2a2a2["vpc-a2a2a2a2<br/>10.2.0.0/16<br/>account 111111111111"]',
        '    n_vpc_b1b1b1b1["vpc-b1b1b1b1<br/>10.3.0.0/16<br/>account 222222222222"]',
    ]
    assert edges(graph) == [
        'n_vpc_a1a1a1a1 -->|"pcx-11111111 active"| n_vpc_a2a2a2a2',
        'n_vpc_a1a1a1a1 -->|"pcx-22222222 active"| n_vpc_b1b1b1b1',
    ]
    assert lines[-1] == "    linkStyle 0,1 stroke:#2e7d32,stroke-width:2px"


@pytest.mark.parametrize(
    "state, link, style",
    [
        ("active", "-->", "stroke:#2e7d32"),
        ("pending-acceptance", "-.->", "stroke:#ef6c00"),
        ("rejected", "-.->", "stroke:#9e9e9e"),
        ("deleted", "-.->", "stroke:#9e9e9e"),
        ("expired", "-.->", "stroke:#9e9e9e"),
        ("failed", "-.->", "stroke:#9e9e9e"),
    ],
)
def test_edges_are_styled_by_state(state, link, style):
    graph = peering_graph([peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-b1b1b1b1", state)])
    assert edges(graph) == [f'n_vpc_a1a1a1a1 {link}|"pcx-11111111 {state}"| n_vpc_b1b1b1b1']
    assert graph.splitlines()[-1].startswith(f"    linkStyle 0 {style}")


def test_linkstyle_numbers_follow_the_order_of_the_edges():
    graph = peering_graph(
        [
            peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-a2a2a2a2", "pending-acceptance"),
            peering("pcx-22222222", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active"),
            peering("pcx-33333333", "vpc-a2a2a2a2", "vpc-b1b1b1b1", "deleted"),
            peering("pcx-44444444", "vpc-a2a2a2a2", "vpc-b1b1b1b1", "active"),
        ]
    )
    styles = [line.split()[1] for line in graph.splitlines() if line.strip().startswith("linkStyle")]
    assert styles == ["1,3", "0", "2"]  # active, pending, ended


def test_ended_peerings_can_be_left_out():
    items = [
        peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-a2a2a2a2", "deleted"),
        peering("pcx-22222222", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active"),
    ]
    graph = peering_graph(items, ended=False)
    assert edges(graph) == ['n_vpc_a1a1a1a1 -->|"pcx-22222222 active"| n_vpc_b1b1b1b1']
    assert "vpc-a2a2a2a2" not in graph  # a Net only an ended peering links is not drawn either


def test_an_active_peering_with_a_side_without_routes_is_drawn_broken():
    graph = peering_graph(
        [
            peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-a2a2a2a2", "active", routes=["vpc-a1a1a1a1", "vpc-a2a2a2a2"]),
            peering("pcx-22222222", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active", routes=["vpc-a1a1a1a1"]),
            peering("pcx-33333333", "vpc-a2a2a2a2", "vpc-b1b1b1b1", "active", routes=[]),
        ]
    )
    assert edges(graph) == [
        'n_vpc_a1a1a1a1 -->|"pcx-11111111 active"| n_vpc_a2a2a2a2',
        'n_vpc_a1a1a1a1 --x|"pcx-22222222 active, no route in vpc-b1b1b1b1"| n_vpc_b1b1b1b1',
        'n_vpc_a2a2a2a2 --x|"pcx-33333333 active, no route in vpc-a2a2a2a2 and vpc-b1b1b1b1"| n_vpc_b1b1b1b1',
    ]
    assert "    linkStyle 1,2 stroke:#c62828,stroke-width:2px,stroke-dasharray:8 4" in graph.splitlines()


def test_without_routes_in_the_result_nothing_is_drawn_broken():
    # net_peering_info without routes: nothing is known of them, so the edge is a plain active one.
    graph = peering_graph([peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active")])
    assert "--x" not in graph and "no route" not in graph


def test_a_pending_peering_is_never_broken_for_lack_of_routes():
    graph = peering_graph([peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "pending-acceptance", routes=[])])
    assert edges(graph) == ['n_vpc_a1a1a1a1 -.->|"pcx-11111111 pending-acceptance"| n_vpc_b1b1b1b1']


def test_takes_a_registered_result_or_its_list_and_skips_nulls():
    items = [peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active"), None]
    registered = {"changed": False, "net_peerings": items, "summary": {}}
    assert peering_graph(registered) == peering_graph(items) == peering_graph(items[:1])


def test_a_net_without_range_or_account_says_so():
    item = peering("pcx-11111111", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active")
    item["accepter_net"] = {"net_id": "vpc-b1b1b1b1", "ip_range": None, "account_id": None}
    assert '    n_vpc_b1b1b1b1["vpc-b1b1b1b1<br/>account unknown"]' in peering_graph([item]).splitlines()


def test_labels_never_break_the_mermaid_syntax():
    item = peering('pcx-"]|x', "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active")
    assert edges(peering_graph([item])) == ['n_vpc_a1a1a1a1 -->|"pcx-___x active"| n_vpc_b1b1b1b1']


def test_empty_input_is_an_empty_flowchart():
    assert peering_graph([]) == "flowchart LR\n"
    assert peering_graph({"net_peerings": []}, direction="TB") == "flowchart TB\n"


@pytest.mark.parametrize(
    "data, kwargs, message",
    [
        ({"changed": True}, {}, "a dict without net_peerings"),
        ("pcx-11111111", {}, "must be a list of peerings"),
        (42, {}, "must be a list of peerings"),
        ([42], {}, "item 0 is a int, not a peering"),
        ([{"source_net": {"net_id": "vpc-a1a1a1a1"}}], {}, "item 0 has no accepter_net.net_id"),
        ([], {"direction": "down"}, "direction must be one of LR, RL, TB, BT"),
    ],
)
def test_bad_input_is_refused_with_what_to_give(data, kwargs, message):
    with pytest.raises(AnsibleFilterError, match="^outscale.cloud.peering_graph: .*" + re.escape(message)):
        peering_graph(data, **kwargs)


def test_the_picture_in_topology_md_is_this_filters_output():
    """docs/topology.md shows a rendered graph: it must be what the filter gives for its example."""
    with open(os.path.join(ROOT, "docs", "topology.md"), encoding="utf-8") as handle:
        blocks = re.findall(r"^```mermaid\n(.*?)^```$", handle.read(), re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1
    example = [
        peering("pcx-1a2b3c4d", "vpc-a1a1a1a1", "vpc-a2a2a2a2", "active", routes=["vpc-a1a1a1a1", "vpc-a2a2a2a2"]),
        peering("pcx-2b3c4d5e", "vpc-a1a1a1a1", "vpc-b1b1b1b1", "active", routes=["vpc-a1a1a1a1"]),
        peering("pcx-3c4d5e6f", "vpc-a2a2a2a2", "vpc-b1b1b1b1", "pending-acceptance", routes=[]),
        peering("pcx-4d5e6f70", "vpc-a2a2a2a2", "vpc-b1b1b1b1", "rejected", routes=[]),
    ]
    assert blocks[0] == peering_graph({"net_peerings": example})


def test_importing_the_filter_loads_no_module_utils():
    """Each controller worker imports filter plugins afresh: this one stays off the client and everything else."""
    code = (
        "import sys\n"
        "import ansible_collections.outscale.cloud.plugins.filter.peering_graph\n"
        "print(' '.join(sorted(m.rsplit('.', 1)[-1] for m in sys.modules "
        "if m.startswith('ansible_collections.outscale.cloud.plugins.module_utils.'))))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []

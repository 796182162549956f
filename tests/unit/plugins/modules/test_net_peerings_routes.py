"""outscale.cloud.net_peerings with routes: main() against the simulator over a real socket.

Account A has Nets A0, A1, A2 (each with its main table and a Subnet table tagged
tier=app, A0's also routing 0.0.0.0/0 to an internet service); account B has B0.
A0 is peered with A1, A2 and B0 (B0 accepted with B's credentials).
"""

import pytest

from ansible_collections.outscale.cloud.plugins.modules import net_peerings
from ansible_collections.outscale.cloud.tests.unit.plugins.modules.module_runs import (
    main_table_nets,
    routes_to_peerings,
    run_main,
    warnings,
)

A, B = "111111111111", "222222222222"
KEYS_A = {"access_key": "AKROUTESACCOUNTA0001", "secret_key": "SKroutesSecretA000000000000000000000001"}
KEYS_B = {"access_key": "AKROUTESACCOUNTB0001", "secret_key": "SKroutesSecretB000000000000000000000001"}
A0, A1, A2, A3, B0 = "vpc-a0000000", "vpc-a0000001", "vpc-a0000002", "vpc-a0000003", "vpc-b0000000"
RANGES = {A0: "10.10.0.0/16", A1: "10.11.0.0/16", A2: "10.12.0.0/16", A3: "10.10.128.0/17", B0: "10.50.0.0/16"}
PAIRS = [
    {"source_net_id": A0, "accepter_net_id": A1},
    {"source_net_id": A0, "accepter_net_id": A2},
    {"source_net_id": A0, "accepter_net_id": B0, "accepter_owner_id": B},
]


def net(net_id, extra_routes=()):
    return {
        "net_id": net_id,
        "ip_range": RANGES[net_id],
        "route_tables": [
            {"main": True, "routes": list(extra_routes)},
            {
                "route_table_id": f"rtb-5{net_id[4]}{net_id[-6:]}",
                "subnet_ids": [f"subnet-5{net_id[4]}{net_id[-6:]}"],
                "tags": {"tier": "app"},
            },
        ],
    }


@pytest.fixture
def demo_seed():
    igw = {"destination_ip_range": "0.0.0.0/0", "gateway_id": "igw-a0000000"}
    return {
        "region": "eu-west-2",
        "accounts": [
            dict(account_id=A, nets=[net(A0, [igw]), net(A1), net(A2), net(A3)], **KEYS_A),
            dict(account_id=B, nets=[net(B0)], **KEYS_B),
        ],
    }


class Run:
    def __init__(self, simulator, capsys):
        self.simulator, self.capsys = simulator, capsys

    def __call__(self, peerings=None, check_mode=False, diff=False, **args):
        full = dict(
            endpoint=self.simulator.url,
            region="eu-west-2",
            peerings=PAIRS if peerings is None else peerings,
            accepter_credentials=[dict(account_id=B, **KEYS_B)],
            **KEYS_A,
        )
        full.update(args)
        self.simulator.clear_log()
        return run_main(net_peerings, full, self.capsys, check_mode, diff)

    def calls(self):
        return sorted((e["action"], e["account_id"]) for e in self.simulator.log() if not e.get("throttled"))

    def routes_to_peerings(self, net_id):
        """{(table, destination): peering} of the Net's routes through peerings."""
        return routes_to_peerings(self.simulator, net_id)


@pytest.fixture
def run(osc_simulator, capsys):
    return Run(osc_simulator, capsys)


def main_tables_seed(ranges):
    """A seed of account A's Nets {ID: range}, each with its main table only; account B has none."""
    return {
        "region": "eu-west-2",
        "accounts": [dict(account_id=A, nets=main_table_nets(ranges), **KEYS_A), dict(account_id=B, nets=[], **KEYS_B)],
    }


def test_converge_routes_both_sides_then_rerun_reads_once_per_account(run):
    result = run(routes={"route_tables": "main"})
    assert result["changed"] and not result.get("failed"), result.get("msg")
    assert result["summary"]["routes_created"] == 6 and result["summary"]["routes_deleted"] == 0
    ids = [p["net_peering_id"] for p in result["net_peerings"]]
    a0 = run.routes_to_peerings(A0)
    assert sorted(a0.values()) == sorted(ids) and all(table == "rtb-a0000000" for table, _unused in a0)
    assert run.routes_to_peerings(B0) == {("rtb-b0000000", RANGES[A0]): ids[2]}
    assert result["net_peerings"][2]["routes"] == [
        {"net_id": A0, "route_table_id": "rtb-a0000000", "destination_ip_range": RANGES[B0]},
        {"net_id": B0, "route_table_id": "rtb-b0000000", "destination_ip_range": RANGES[A0]},
    ]
    calls = run.calls()
    assert calls.count(("CreateRoute", A)) == 5 and calls.count(("CreateRoute", B)) == 1
    assert calls.count(("ReadRouteTables", A)) == 1 and calls.count(("ReadRouteTables", B)) == 1
    again = run(routes={"route_tables": "main"})
    assert not again["changed"] and again["summary"]["routes_created"] == 0, again
    assert run.calls() == [("ReadNetPeerings", A), ("ReadRouteTables", A), ("ReadRouteTables", B)]
    assert again["net_peerings"][2]["routes"] == result["net_peerings"][2]["routes"]


def test_without_routes_nothing_about_routes_is_read(run):
    result = run()
    assert result["changed"] and "routes" not in result["net_peerings"][0]
    assert "routes_created" not in result["summary"]
    assert not any(action.startswith(("ReadRouteTables", "CreateRoute")) for action, _unused in run.calls())
    assert run.routes_to_peerings(A0) == {}


def test_tagged_tables_and_check_mode_diff(run):
    planned = run(routes={"route_table_tags": {"tier": "app"}}, check_mode=True, diff=True)
    assert planned["changed"] and planned["summary"]["routes_created"] == 6
    assert not any(action in ("CreateRoute", "CreateNetPeering") for action, _unused in run.calls())
    # The diff: under the pair's line, one line per route to add, in the tagged tables only.
    lines = planned["diff"]["prepared"].splitlines()
    pair = next(index for index, line in enumerate(lines) if line.startswith(f"+ {A0} -> {A1}"))
    route_lines = [line for line in lines[pair + 1 :] if line.startswith("    ")][:2]
    assert sorted(route_lines) == sorted(
        [f"    + route {RANGES[A1]} in rtb-5a000000 of {A0}", f"    + route {RANGES[A0]} in rtb-5a000001 of {A1}"]
    ), lines
    done = run(routes={"route_table_tags": {"tier": "app"}})
    assert done["summary"]["routes_created"] == 6
    assert set(run.routes_to_peerings(A0)) == {
        ("rtb-5a000000", RANGES[A1]),
        ("rtb-5a000000", RANGES[A2]),
        ("rtb-5a000000", RANGES[B0]),
    }


def test_conflicting_route_is_kept_and_the_pair_fails(run, osc_simulator):
    osc_simulator.add_route("rtb-a0000001", destination_ip_range=RANGES[A0], gateway_id="igw-a0000001")
    result = run(routes={"route_tables": "main"})
    assert result["failed"] and result["summary"]["failed"] == 1 and result["summary"]["created"] == 2
    failure = result["failures"][0]
    assert failure["accepter_net_id"] == A1
    for word in ("rtb-a0000001", RANGES[A0], "igw-a0000001", "left as is"):
        assert word in failure["msg"]
    tables = {t["RouteTableId"]: t for t in osc_simulator.route_tables(A1)}
    assert [r.get("GatewayId") for r in tables["rtb-a0000001"]["Routes"] if r["DestinationIpRange"] == RANGES[A0]] == [
        "igw-a0000001"
    ]
    assert not any(pair["accepter_net_id"] == A1 for pair in result["actions"])  # refused before any write


def test_deleted_and_overridden_clean_their_routes_only(run, osc_simulator):
    first = run(routes={}, scope_tags={"topology": "unit"})
    assert first["summary"]["routes_created"] == 12, first["summary"]
    # Drop A0-A2 from the list: overridden deletes its 4 routes, then the peering; the rest stay.
    result = run(PAIRS[:1] + PAIRS[2:], routes={}, state="overridden", scope_tags={"topology": "unit"})
    assert result["summary"]["deleted"] == 1 and result["summary"]["routes_deleted"] == 4, result
    kinds = [a["step"] for a in result["actions"]]
    assert kinds == ["delete_route"] * 4 + ["delete"]
    assert all(dest != RANGES[A2] for _unused, dest in run.routes_to_peerings(A0))
    assert run.routes_to_peerings(A2) == {}
    assert len(run.routes_to_peerings(A0)) == 4 and len(run.routes_to_peerings(B0)) == 2
    gone = run(PAIRS[2:], routes={}, state="deleted")
    assert gone["summary"]["routes_deleted"] == 4 and len(run.routes_to_peerings(A0)) == 2
    assert "igw-a0000000" in [r.get("GatewayId") for t in osc_simulator.route_tables(A0) for r in t["Routes"]]


def test_stale_routes_reported_and_removed_under_overridden(run, osc_simulator):
    run(PAIRS[:1], routes={"route_tables": "main"}, scope_tags={"topology": "unit"})
    osc_simulator.add_route("rtb-a0000000", destination_ip_range="10.99.0.0/16", net_peering_id="pcx-0000dead")
    merged = run(PAIRS[:1], routes={"route_tables": "main"}, scope_tags={"topology": "unit"})
    assert not merged["changed"] and merged["stale_routes"] == [
        {
            "net_id": A0,
            "route_table_id": "rtb-a0000000",
            "destination_ip_range": "10.99.0.0/16",
            "net_peering_id": "pcx-0000dead",
        }
    ]
    assert any("Stale route" in w for w in warnings(merged))
    cleaned = run(PAIRS[:1], routes={"route_tables": "main"}, state="overridden", scope_tags={"topology": "unit"})
    assert cleaned["changed"] and cleaned["summary"]["routes_deleted"] == 1
    assert ("rtb-a0000000", "10.99.0.0/16") not in run.routes_to_peerings(A0)


def test_overlap_refused_before_any_write(run):
    # A3's range is inside A0's: the pair is refused after the reads, before any write.
    result = run([{"source_net_id": A0, "accepter_net_id": A3}, PAIRS[0]], routes={})
    assert result["failed"] and result["summary"]["failed"] == 1 and result["summary"]["created"] == 1
    failure = result["failures"][0]
    for word in (A0, A3, RANGES[A0], RANGES[A3], "overlapping"):
        assert word in failure["msg"]
    assert not any(a["accepter_net_id"] == A3 for a in result["actions"])
    assert ("ReadNets", A) in run.calls()  # A3's range: no peering of it was read


def test_wrong_accepter_credentials_are_found_by_the_table_read_before_any_write(run):
    wrong = [dict(account_id=B, **KEYS_A)]  # account A's keys given as B's
    result = run(PAIRS[2:], routes={}, accepter_credentials=wrong)
    assert result["failed"] and result["summary"]["failed"] == 1
    assert "Net vpc-b0000000 cannot be seen with the accepter_credentials" in result["failures"][0]["msg"]
    assert f"accepter_credentials of account {B}" in result["failures"][0]["msg"]
    assert all(action.startswith("Read") for action, _unused in run.calls())

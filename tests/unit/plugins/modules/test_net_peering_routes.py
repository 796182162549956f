"""outscale.cloud.net_peering with routes: main() against the simulator over a real socket (demo seed:
vpc-a1a1a1a1 10.1.0.0/16 and vpc-a2a2a2a2 10.2.0.0/16 in account A, vpc-b1b1b1b1 10.3.0.0/16 in account B;
each Net has only its main table)."""

import pytest

from ansible_collections.outscale.cloud.plugins.modules import net_peering, net_peering_info
from ansible_collections.outscale.cloud.tests.unit.plugins.modules.module_runs import routes_to_peerings, run_main

A1, A2, B1 = "vpc-a1a1a1a1", "vpc-a2a2a2a2", "vpc-b1b1b1b1"
ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
KEYS_A = {"access_key": "AKSIMDEMOACCOUNTA001", "secret_key": "SKsimDemoSecretA0000000000000000000000001"}
KEYS_B = {"access_key": "AKSIMDEMOACCOUNTB001", "secret_key": "SKsimDemoSecretB0000000000000000000000001"}
CROSS = dict(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B, accepter_credentials=KEYS_B)


class Sim:
    def __init__(self, simulator, capsys):
        self.simulator, self.capsys = simulator, capsys

    def run(self, check_mode=False, diff=False, **args):
        full = dict(endpoint=self.simulator.url, region=self.simulator.region, max_retries=3, retry_max_time=5)
        full.update(KEYS_A, **args)
        self.simulator.clear_log()
        return run_main(net_peering, full, self.capsys, check_mode, diff)

    def calls(self):
        return [(e["action"], e["account_id"]) for e in self.simulator.log()]

    def peering_routes(self, net_id):
        """[(destination, peering)] of the Net's routes through peerings."""
        return [(key[1], peering) for key, peering in routes_to_peerings(self.simulator, net_id).items()]


@pytest.fixture
def sim(osc_simulator, capsys):
    return Sim(osc_simulator, capsys)


def test_cross_account_accept_and_route_both_sides_then_rerun(sim):
    result = sim.run(state="accepted", routes={}, **CROSS)
    assert result["changed"] and not result.get("failed"), result.get("msg")
    pcx = result["net_peering"]["net_peering_id"]
    assert sim.peering_routes(A1) == [("10.3.0.0/16", pcx)] and sim.peering_routes(B1) == [("10.1.0.0/16", pcx)]
    assert [(a["step"], a["actor"], a["outcome"]) for a in result["route_actions"]] == [
        ("create_route", "task", "done"),
        ("create_route", "accepter", "done"),
    ]
    assert ("CreateRoute", ACCOUNT_B) in sim.calls()
    again = sim.run(state="accepted", routes={}, **CROSS)
    assert not again["changed"] and len(again["net_peering"]["routes"]) == 2
    assert sim.calls() == [
        ("ReadNetPeerings", ACCOUNT_A),
        ("ReadRouteTables", ACCOUNT_A),
        ("ReadRouteTables", ACCOUNT_B),
    ]


def test_no_accepter_credentials_fails_before_any_write_naming_the_account(sim):
    sim.run(state="accepted", **CROSS)
    args = {k: v for k, v in CROSS.items() if k != "accepter_credentials"}
    result = sim.run(state="present", routes={}, **args)
    assert result["failed"] and ACCOUNT_B in result["msg"] and B1 in result["msg"]
    assert not any(action == "CreateRoute" for action, _unused in sim.calls())


def test_absent_deletes_its_routes_first(sim):
    sim.run(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_route(
        sim.simulator.route_tables(A1)[0]["RouteTableId"], destination_ip_range="0.0.0.0/0", gateway_id="igw-a1a1a1a1"
    )
    result = sim.run(state="absent", routes={}, source_net_id=A1, accepter_net_id=A2, diff=True)
    assert result["changed"] and result["net_peering"]["routes"] == []
    assert [action for action, _unused in sim.calls()] == [
        "ReadNetPeerings",
        "ReadRouteTables",
        "DeleteRoute",
        "DeleteRoute",
        "DeleteNetPeering",
    ]
    assert sim.peering_routes(A1) == [] and sim.peering_routes(A2) == []
    assert len(result["diff"]["before"]["routes"]) == 2 and result["diff"]["after"]["routes"] == []
    assert any(r.get("GatewayId") == "igw-a1a1a1a1" for t in sim.simulator.route_tables(A1) for r in t["Routes"])


def test_check_mode_plans_the_routes(sim):
    result = sim.run(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2, check_mode=True, diff=True)
    assert result["changed"] and [a["outcome"] for a in result["route_actions"]] == ["planned", "planned"]
    assert {r["destination_ip_range"] for r in result["diff"]["after"]["routes"]} == {"10.1.0.0/16", "10.2.0.0/16"}
    assert {action for action, _unused in sim.calls()} == {"ReadNetPeerings", "ReadRouteTables", "ReadNets"}


@pytest.mark.parametrize("kind, creates", [("drop_after", 1), ("drop_before", 2)])
def test_create_route_whose_answer_is_lost_is_read_back_never_duplicated(sim, kind, creates):
    sim.run(state="accepted", source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_fault(action="CreateRoute", kind=kind, count=1)
    result = sim.run(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and not result.get("failed"), result.get("msg")
    calls = [action for action, _unused in sim.calls()]
    assert (
        calls.count("CreateRoute") == creates + 1
    )  # the lost one (resent only if the read shows none), the other side
    assert calls.count("ReadRouteTables") == 2
    assert len(sim.peering_routes(A1)) == 1 and len(sim.peering_routes(A2)) == 1


def info(sim, **args):
    full = dict(endpoint=sim.simulator.url, region=sim.simulator.region, **KEYS_A)
    full.update(args)
    sim.simulator.clear_log()
    return run_main(net_peering_info, full, sim.capsys)


def test_info_reports_routes_missing_other_target_and_stale(sim):
    sim.run(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2)
    sim.run(state="accepted", **CROSS)  # no routes: A1 has none to B1
    a1_main = sim.simulator.route_tables(A1)[0]["RouteTableId"]
    sim.simulator.add_route(a1_main, destination_ip_range="10.99.0.0/16", net_peering_id="pcx-0000dead")
    a2_main = sim.simulator.route_tables(A2)[0]["RouteTableId"]
    sim.simulator.add_route(a2_main, destination_ip_range="10.3.0.0/16", gateway_id="igw-a2a2a2a2")
    result = info(sim, routes=True)
    assert [action for action, _unused in sim.calls()] == ["ReadNetPeerings", "ReadRouteTables"]
    by_pair = {(p["source_net"]["net_id"], p["accepter_net"]["net_id"]): p for p in result["net_peerings"]}
    same = by_pair[(A1, A2)]["routes"]
    assert [side["net_id"] for side in same] == [A1, A2]  # both sides are this account's
    assert same[0]["route_tables"][0]["route_to_peer"]["target"] == by_pair[(A1, A2)]["net_peering_id"]
    assert [p["kind"] for p in same[0]["problems"]] == ["stale"] and "pcx-0000dead" in same[0]["problems"][0]["message"]
    assert same[1]["problems"] == []
    cross = by_pair[(A1, B1)]["routes"]
    assert [side["net_id"] for side in cross] == [A1]  # B1's tables are account B's
    assert [p["kind"] for p in cross[0]["problems"]] == ["missing", "stale"]
    assert "10.3.0.0/16" in cross[0]["problems"][0]["message"]
    # A filtered read cannot call an unread peering stale.
    filtered = info(sim, routes=True, net_peering_ids=[by_pair[(A1, A2)]["net_peering_id"]])
    assert filtered["net_peerings"][0]["routes"][0]["problems"] == []


def test_info_other_target(sim):
    sim.run(state="accepted", source_net_id=A1, accepter_net_id=A2)
    a2_main = sim.simulator.route_tables(A2)[0]["RouteTableId"]
    sim.simulator.add_route(a2_main, destination_ip_range="10.1.0.0/16", gateway_id="igw-a2a2a2a2")
    result = info(sim, routes=True, route_table_tags={"none": "such"})
    assert result["net_peerings"][0]["routes"][0]["route_tables"] == []  # no table carries the tag
    result = info(sim, routes=True)
    problems = result["net_peerings"][0]["routes"][1]["problems"]
    assert [(p["kind"], p["target"]) for p in problems] == [("other_target", "igw-a2a2a2a2")]


def test_info_without_routes_reads_no_table(sim):
    sim.run(state="accepted", source_net_id=A1, accepter_net_id=A2)
    result = info(sim)
    assert "routes" not in result["net_peerings"][0] and [a for a, _unused in sim.calls()] == ["ReadNetPeerings"]

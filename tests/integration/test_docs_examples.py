"""The playbooks and inventory under docs/examples/, run for real.

Each example is run by the real ansible-playbook, with this checkout on
ANSIBLE_COLLECTIONS_PATH, against a simulator; the resulting peerings are read
back from the simulator, and a second run must report changed=0. So the
examples the docs show cannot rot.

Run: .venv/bin/python -m pytest tests/integration/test_docs_examples.py
"""

import glob
import json
import os
import re
import subprocess
import sys

import pytest
from simulator import Simulator

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscClient
from ansible_collections.outscale.cloud.plugins.module_utils._credentials import resolve_settings
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.client_fakes import paginate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "docs", "examples")
INVENTORY = os.path.join(EXAMPLES, "inventory")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

# Every playbook of docs/examples/ and the test that runs it.
TESTED_EXAMPLES = {
    "demo.yml": "test_demo",
    "demo-mesh.yml": "test_demo_mesh",
    "net-peering-states.yml": "test_net_peering_states",
    "peerings.yml": "test_inventory_converges",
}


@pytest.fixture(scope="module")
def collections_path(tmp_path_factory):
    """ansible_collections/outscale/cloud -> this checkout."""
    base = tmp_path_factory.mktemp("collections")
    os.makedirs(str(base / "ansible_collections" / "outscale"))
    os.symlink(ROOT, str(base / "ansible_collections" / "outscale" / "cloud"))
    return str(base)


@pytest.fixture
def run_playbook(collections_path, tmp_path):
    """Run ansible-playbook; return (exit code, stats of localhost, output)."""

    def run(playbook, extra_vars, inventory=None, env=None):
        vars_file = tmp_path / "vars.json"
        vars_file.write_text(json.dumps(dict(extra_vars, ansible_python_interpreter=sys.executable)))
        os.chmod(str(vars_file), 0o600)
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("OSC_", "ANSIBLE_"))}
        environment.update(
            {
                "HOME": str(tmp_path),  # no ~/.osc/config.json nor ~/.ansible of the tester's
                "ANSIBLE_COLLECTIONS_PATH": collections_path,
                "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
                "ANSIBLE_LOCALHOST_WARNING": "false",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "ANSIBLE_NOCOLOR": "true",
            }
        )
        environment.update(env or {})
        command = [ANSIBLE_PLAYBOOK, os.path.join(EXAMPLES, playbook), "-e", f"@{vars_file}"]
        if inventory:
            command[1:1] = ["-i", inventory]
        process = subprocess.run(
            command,
            cwd=str(tmp_path),
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
            check=False,
        )
        return process.returncode, recap(process.stdout), process.stdout

    return run


def recap(output):
    """localhost's counters from the PLAY RECAP, e.g. {"ok": 6, "changed": 0, ...}, or None."""
    match = re.search(r"^localhost\s+:\s+(.*)$", output, re.MULTILINE)
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))} if match else None


def failures(output):
    """The failed tasks of a run, with their task names, for assertion messages."""
    lines = output.splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.startswith("fatal:") and "...ignoring" not in "\n".join(lines[index : index + 2]):
            task = next((lines[i] for i in range(index, -1, -1) if lines[i].startswith("TASK [")), "")
            found.append(f"{task}\n{line}")
    return "\n".join(found) or output[-4000:]


def client(sim, account):
    return OscClient(
        resolve_settings(
            {
                "access_key": account["access_key"],
                "secret_key": account["secret_key"],
                "endpoint": sim.url,
                "region": sim.region,
            },
            environ={},
        )
    )


def peerings(sim, account, live_only=True):
    """The peerings account sees, {id: peering}."""
    body = {"Filters": {"StateNames": ["pending-acceptance", "active"]}} if live_only else {}
    found = paginate(client(sim, account), "ReadNetPeerings", body, "NetPeerings")
    return {p["NetPeeringId"]: p for p in found}


def demo_vars(sim):
    a, b = sim.accounts[:2]
    return {
        "osc_endpoint": sim.url,
        "osc_region": sim.region,
        "osc_account_a": {k: a[k] for k in ("account_id", "access_key", "secret_key")},
        "osc_account_b": {k: b[k] for k in ("account_id", "access_key", "secret_key")},
        "osc_net_a1": a["nets"][0]["net_id"],
        "osc_net_a2": a["nets"][1]["net_id"],
        "osc_net_b1": b["nets"][0]["net_id"],
    }


def test_every_example_playbook_is_tested():
    examples = sorted(os.path.basename(path) for path in glob.glob(os.path.join(EXAMPLES, "*.yml")))
    assert examples == sorted(TESTED_EXAMPLES), "add a test for each playbook in docs/examples/"
    for name in TESTED_EXAMPLES.values():
        assert callable(globals()[name])


def test_demo(osc_simulator, run_playbook, tmp_path):
    sim = osc_simulator
    summary_file = tmp_path / "summary.json"
    extra = dict(demo_vars(sim), demo_summary_file=str(summary_file), demo_simulator_log=sim.base_url + "/_sim/log")
    code, stats, output = run_playbook("demo.yml", extra)
    assert code == 0, failures(output)
    assert stats["failed"] == 0
    summary = json.loads(summary_file.read_text())
    first = summary["first_run"]["peerings"]
    assert [p["state"]["name"] for p in first] == ["active", "active"]
    assert first[0]["accepter_net"]["account_id"] == "222222222222"  # cross-account, accepted in one task
    assert summary["second_run"] == {"cross_account_changed": False, "same_account_changed": False}
    assert summary["second_run_calls"] == ["ReadNetPeerings", "ReadNetPeerings"]  # one read per task, no write
    assert sorted(summary["deleted"]) == sorted(p["net_peering_id"] for p in first)
    assert summary["live_after_cleanup"] == 0
    assert peerings(sim, sim.accounts[0]) == {}
    counts = sim.call_counts()
    assert counts["CreateNetPeering"] == 2 and counts["AcceptNetPeering"] == 2 and counts["DeleteNetPeering"] == 2
    # the demo cleans up after itself, so running it again does the same again
    code, _stats, output = run_playbook("demo.yml", demo_vars(sim))
    assert code == 0, failures(output)
    assert sim.call_counts("CreateNetPeering") == 4


def test_demo_mesh(osc_simulator, run_playbook, tmp_path):
    sim = osc_simulator
    summary_file = tmp_path / "mesh-summary.json"
    extra = dict(
        demo_vars(sim), demo_mesh_summary_file=str(summary_file), demo_simulator_log=sim.base_url + "/_sim/log"
    )
    code, stats, output = run_playbook("demo-mesh.yml", extra)
    assert code == 0, failures(output)
    assert stats["failed"] == 0
    summary = json.loads(summary_file.read_text())
    assert summary["preview"]["created"] == 3 and summary["preview"]["accepted"] == 3
    mesh = summary["peerings"]
    assert [p["state"]["name"] for p in mesh] == ["active"] * 3
    b = sim.accounts[1]["account_id"]
    assert sorted(p["accepter_net"]["account_id"] == b for p in mesh) == [False, True, True]  # 2 across accounts
    # the picture the demo prints: three Nets, three active peerings
    graph = summary["graph"].splitlines()
    assert graph[0] == "flowchart LR" and sum(1 for line in graph if " -->|" in line) == 3
    assert sum(1 for line in graph if "<br/>account " in line) == 3
    assert summary["second_run_changed"] is False
    # one read of the peerings for the whole mesh and one of the route tables per account, no write
    assert summary["second_run_calls"] == ["ReadNetPeerings", "ReadRouteTables", "ReadRouteTables"]
    assert summary["cleanup"]["deleted"] == 3 and summary["live_after_cleanup"] == 0
    assert peerings(sim, sim.accounts[0]) == {}
    assert sim.call_counts("CreateNetPeering") == 3 and sim.call_counts("DeleteNetPeering") == 3
    assert sim.call_counts("AcceptNetPeering", account_id=b) == 2  # the cross-account ones, by their accepter
    # it cleans up after itself, so it runs again
    code, _stats, output = run_playbook("demo-mesh.yml", demo_vars(sim))
    assert code == 0, failures(output)
    assert sim.call_counts("CreateNetPeering") == 6


def test_net_peering_states(osc_simulator, run_playbook):
    sim = osc_simulator
    code, stats, output = run_playbook("net-peering-states.yml", demo_vars(sim))
    assert code == 0, failures(output)
    assert stats["failed"] == 0
    live = list(peerings(sim, sim.accounts[0]).values())
    assert len(live) == 1
    assert live[0]["State"]["Name"] == "active"
    assert live[0]["SourceNet"]["NetId"] == sim.accounts[0]["nets"][0]["net_id"]
    assert live[0]["AccepterNet"]["NetId"] == sim.accounts[1]["nets"][0]["net_id"]
    states = sorted(p["State"]["Name"] for p in peerings(sim, sim.accounts[0], live_only=False).values())
    assert states == ["active", "deleted", "rejected"]


# -- inventory-driven provisioning -----------------------------------------------------------

INVENTORY_SEED = os.path.join(EXAMPLES, "inventory-seed.json")
PROFILES = ("default", "partner")  # the profiles of outscale_accounts in inventory/group_vars/all.yml, in seed order
ACCOUNT_NAMES = ("network", "apps")  # the keys of outscale_accounts (the hosts' net_account), in seed order
HUB_AND_SPOKE = [("net-hub", "net-spoke-apps"), ("net-hub", "net-spoke-db"), ("net-hub", "net-spoke-web")]
FULL_MESH = [
    ("net-shared-eu", "net-shared-logs"),
    ("net-shared-eu", "net-shared-tools"),
    ("net-shared-logs", "net-shared-tools"),
]


def inventory_nets():
    """host name -> (net_id, account name), read from inventory/hosts.yml."""
    import yaml  # pylint: disable=import-outside-toplevel

    with open(os.path.join(INVENTORY, "hosts.yml")) as handle:
        data = yaml.safe_load(handle)
    nets = {}
    for group in data["all"]["children"]["outscale_nets"]["children"].values():
        for host, host_vars in group["hosts"].items():
            nets[host] = (host_vars["net_id"], host_vars["net_account"])
    return nets


@pytest.fixture
def inventory_sim(tmp_path):
    """A simulator with the inventory's Nets, and a profile file naming its two accounts."""
    sim = Simulator(seed=INVENTORY_SEED, validate_responses=True)
    with sim:
        config = {
            name: {
                "access_key": account["access_key"],
                "secret_key": account["secret_key"],
                "region": sim.region,
                "endpoints": {"api": sim.url},
            }
            for name, account in zip(PROFILES, sim.accounts)
        }
        config_file = tmp_path / "osc-config.json"
        config_file.write_text(json.dumps(config))
        os.chmod(str(config_file), 0o600)
        yield sim, {"OSC_CONFIG_FILE": str(config_file)}
    assert not sim.response_problems + sim.internal_errors


def live_pairs(sim):
    """{frozenset of the two Net IDs: (source Net ID, state, Name tag)} of every live peering, as each requester sees it."""
    pairs = {}
    for account in sim.accounts:
        for peering in peerings(sim, account).values():
            source, accepter = peering["SourceNet"], peering["AccepterNet"]
            if source["AccountId"] != account["account_id"]:
                continue  # counted from its requester's side, where its tags are
            key = frozenset((source["NetId"], accepter["NetId"]))
            tags = {t["Key"]: t["Value"] for t in peering.get("Tags", [])}
            assert key not in pairs, "two live peerings of one pair"
            pairs[key] = (source["NetId"], peering["State"]["Name"], tags.get("Name"), tags.get("managed-by"))
    return pairs


def expected_pairs(hosts):
    nets = inventory_nets()
    return {frozenset((nets[a][0], nets[b][0])): (nets[a][0], "active", f"{a}--{b}", "inventory") for a, b in hosts}


def test_inventory_describes_the_seeded_nets():
    """The seed holds exactly the Nets of hosts.yml, in the accounts that group_vars name."""
    with open(INVENTORY_SEED) as handle:
        seed = json.load(handle)
    seeded = {}
    for name, account in zip(ACCOUNT_NAMES, seed["accounts"]):
        for net in account["nets"]:
            seeded[net["net_id"]] = name
    assert dict(inventory_nets().values()) == seeded


def test_inventory_converges(inventory_sim, run_playbook):
    sim, env = inventory_sim
    inventory = INVENTORY

    # first run: hub-and-spoke (3, one across accounts) and full mesh (3, two across accounts)
    code, stats, output = run_playbook("peerings.yml", {}, inventory=inventory, env=env)
    assert code == 0, failures(output)
    assert live_pairs(sim) == expected_pairs(HUB_AND_SPOKE + FULL_MESH)
    assert sim.call_counts("CreateNetPeering") == 6 and sim.call_counts("AcceptNetPeering") == 6
    assert sim.call_counts("DeleteNetPeering") == 0
    accepts_by_b = sim.call_counts("AcceptNetPeering", account_id=sim.accounts[1]["account_id"])
    assert accepts_by_b == 3  # each peering is accepted by its accepter Net's account: spoke-apps, shared-tools twice

    # second run: nothing to do, one read per peering and per account
    sim.clear_log()
    code, stats, output = run_playbook("peerings.yml", {}, inventory=inventory, env=env)
    assert code == 0, failures(output)
    assert stats["changed"] == 0
    assert sim.call_counts() == {"ReadNetPeerings": 6 + 2}

    # drop the hub-and-spoke topology: its three peerings are pruned, the mesh stays
    only_mesh = {"peering_topologies": [{"name": "shared", "type": "full_mesh", "group": "full_mesh"}]}
    code, stats, output = run_playbook("peerings.yml", only_mesh, inventory=inventory, env=env)
    assert code == 0, failures(output)
    assert live_pairs(sim) == expected_pairs(FULL_MESH)
    assert sim.call_counts("DeleteNetPeering") == 3

    code, stats, output = run_playbook("peerings.yml", only_mesh, inventory=inventory, env=env)
    assert code == 0, failures(output)
    assert stats["changed"] == 0

    # and back: the hub-and-spoke peerings are made again
    code, stats, output = run_playbook("peerings.yml", {}, inventory=inventory, env=env)
    assert code == 0, failures(output)
    assert live_pairs(sim) == expected_pairs(HUB_AND_SPOKE + FULL_MESH)


def test_inventory_rejects_a_bad_topology(inventory_sim, run_playbook):
    sim, env = inventory_sim
    bad = {
        "peering_topologies": [
            {"name": "core", "type": "hub_and_spoke", "group": "hub_and_spoke", "hub": "net-nowhere"}
        ]
    }
    code, _stats, output = run_playbook("peerings.yml", bad, inventory=INVENTORY, env=env)
    assert code != 0
    assert "Topology core" in failures(output)
    assert sim.call_counts() == {}  # it stops before any API call

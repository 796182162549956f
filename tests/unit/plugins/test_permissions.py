"""The permission tables cannot drift from the code.

Each module's "Permissions" note (DOCUMENTATION) and the table of
docs/testing-real-account.md list every API call the module can make, for the
task's account and for an accepter account (accepter_credentials). Checked here:

- statically: the union of the two lists is exactly the set of API action names
  written in the module and in every module_utils it imports (transitively): a new
  call (say CreateRoute) added to the code and not to both tables fails;
- the two places agree, module by module, and the targets' policy lists them all;
- at run time: the modules' main tasks succeed against the simulator with EIM
  users allowed only their lists (the task's keys one list, the accepter's the
  other), so no list misses a call those tasks make (the simulator answers 403 Code 4).
"""

import ast
import json
import os
import re

import pytest
import yaml
from ansible.module_utils.testing import patch_module_args
from simulator import Simulator
from simulator.spec import document

from ansible_collections.outscale.cloud.plugins.modules import net_peering, net_peering_info, net_peerings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MODULES_DIR = os.path.join(ROOT, "plugins", "modules")
MODULE_UTILS_DIR = os.path.join(ROOT, "plugins", "module_utils")
GUIDE = os.path.join(ROOT, "docs", "testing-real-account.md")
MODULE_UTILS = "ansible_collections.outscale.cloud.plugins.module_utils."
# The Outscale API's actions, from the official OpenAPI document: a string of the code that names one
# is a call (a response field such as LinkRouteTables, shaped like an action, is not one).
API_ACTIONS = frozenset(path.rsplit("/", 1)[-1] for path in document()["paths"])
DOC_STRINGS = ("DOCUMENTATION", "EXAMPLES", "RETURN")
MODULE_NAMES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith(".py") and name != "__init__.py")


def _reachable(path, seen=None):
    """The file and every module_utils file it imports, at any depth (imports inside functions too)."""
    seen = set() if seen is None else seen
    if path in seen:
        return seen
    seen.add(path)
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(MODULE_UTILS):
            _reachable(os.path.join(MODULE_UTILS_DIR, node.module[len(MODULE_UTILS) :] + ".py"), seen)
    return seen


def _action_names(path):
    """API action names written as whole strings in the code (the module's docs strings aside)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    skipped = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) in DOC_STRINGS for t in node.targets):
            skipped.update(id(child) for child in ast.walk(node))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in API_ACTIONS
        and id(node) not in skipped
    }


def calls_in_code(module_name):
    names = set()
    for path in _reachable(os.path.join(MODULES_DIR, module_name + ".py")):
        names |= _action_names(path)
    return names


def _code_names(text):
    return set(re.findall(r"C\(([A-Za-z]+)\)", text))


def documented(module_name):
    """(task's account, accepter account) from the module's Permissions note."""
    with open(os.path.join(MODULES_DIR, module_name + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    doc = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "DOCUMENTATION"
    )
    notes = [note for note in yaml.safe_load(doc).get("notes", []) if note.startswith("Permissions")]
    assert len(notes) == 1, f"{module_name}: one note starting with 'Permissions' in DOCUMENTATION's notes"
    task, _unused, accepter = notes[0].partition("accepter_credentials)")
    assert "This task's account:" in task, f"{module_name}: the Permissions note names this task's account"
    return _code_names(task.split("This task's account:", 1)[1]), _code_names(accepter)


def _guide_section(title):
    with open(GUIDE, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def guide_table():
    """{module name: (task's account, accepter account)} from the guide's Permissions table."""
    rows = {}
    for line in _guide_section("Permissions").splitlines():
        match = re.match(r"^\| `outscale\.cloud\.(\w+)` \|(.*)\|(.*)\|$", line)
        if match:
            rows[match.group(1)] = tuple(
                {name for name in re.findall(r"`([A-Za-z]+)`", cell) if name in API_ACTIONS}
                for cell in match.groups()[1:]
            )
    return rows


@pytest.mark.parametrize("module_name", MODULE_NAMES)
def test_module_docs_list_exactly_the_calls_the_code_can_make(module_name):
    task, accepter = documented(module_name)
    found = calls_in_code(module_name)
    assert task | accepter == found, (
        f"{module_name}: the Permissions note lists {sorted(task | accepter)}, the code can make {sorted(found)}. "
        "Add each new call to the note (under the account whose keys make it) and to docs/testing-real-account.md."
    )


def test_guide_table_matches_every_module_note():
    table = guide_table()
    assert sorted(table) == MODULE_NAMES, "docs/testing-real-account.md, Permissions: one row per module"
    for module_name in MODULE_NAMES:
        assert table[module_name] == documented(module_name), module_name


def test_guide_asks_both_accounts_for_every_call_of_the_modules():
    """The targets act as either account, so each needs the union of every module's calls."""
    every = set().union(*(calls_in_code(name) for name in MODULE_NAMES))
    section = _guide_section("What you need")
    for account in ("A", "B"):
        (row,) = [line for line in section.splitlines() if line.strip().startswith(f"| {account} |")]
        assert set(re.findall(r"`([A-Za-z]+)`", row)) == every, account
    policy = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    assert {action.split(":", 1)[1] for action in policy["Statement"][0]["Action"]} == every


def test_the_scan_finds_calls_made_through_a_variable():
    """_write_state passes its action as an argument: the scan still sees the names where they are written."""
    assert {"RejectNetPeering", "DeleteNetPeering", "CreateTags", "DeleteTags"} <= calls_in_code("net_peering")
    assert calls_in_code("net_peering_info") == {"ReadNetPeerings", "ReadRouteTables"}


# -- at run time: EIM users allowed only the documented lists --------------------------------------

A, B = "111111111111", "222222222222"
A1, A2, B1 = "vpc-a1a1a1a1", "vpc-a2a2a2a2", "vpc-b1b1b1b1"
TASK_KEYS = {"access_key": "AKPERMTASKA000000001", "secret_key": "SKpermTaskA00000000000000000000000000001"}
ACCEPTER_KEYS = {"access_key": "AKPERMACCEPTERB00001", "secret_key": "SKpermAccepterB0000000000000000000000001"}


def _seed(module_name):
    task, accepter = documented(module_name)
    with open(os.path.join(ROOT, "tests", "simulator", "seeds", "demo.json"), encoding="utf-8") as handle:
        seed = json.load(handle)
    account_a, account_b = seed["accounts"][:2]
    account_a["eim_users"] = [dict(name="task", allowed_actions=sorted(task), **TASK_KEYS)]
    account_b["eim_users"] = [dict(name="accepter", allowed_actions=sorted(accepter or {"ReadNets"}), **ACCEPTER_KEYS)]
    # Permissions, not throttling, are under test (max_retries=0): the tasks' bursts must not meet the rate limit.
    seed["throttling"] = {"enabled": False}
    return seed


def _run(module, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def restricted(request, capsys):
    """run(module, **args) as the task's EIM user; returns (result, calls made by each account)."""
    with Simulator(seed=_seed(request.param)) as sim:
        connection = dict(endpoint=sim.url, region=sim.region, max_retries=0, **TASK_KEYS)

        def run(module, **args):
            sim.clear_log()
            result = _run(module, dict(connection, **args), capsys)
            assert not result.get("failed"), result.get("msg")
            return result, {(entry["account_id"], entry["action"]) for entry in sim.log()}

        run.accepter = dict(ACCEPTER_KEYS)
        yield run


@pytest.mark.parametrize("restricted", ["net_peering"], indirect=True)
def test_net_peering_runs_with_only_its_permissions(restricted):
    run, as_b = restricted, restricted.accepter
    pair_ab = dict(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=B)
    _unused, calls = run(net_peering, state="accepted", accepter_credentials=as_b, tags={"Name": "x"}, **pair_ab)
    assert (B, "ReadNets") in calls and (B, "AcceptNetPeering") in calls and (A, "CreateTags") in calls
    run(net_peering, state="absent", **pair_ab)
    _unused, calls = run(net_peering, state="present", **pair_ab)
    _unused, calls = run(net_peering, state="rejected", accepter_credentials=as_b, **pair_ab)
    assert (B, "RejectNetPeering") in calls
    pair_aa = dict(source_net_id=A1, accepter_net_id=A2)
    run(net_peering, state="accepted", tags={"k": "v", "old": "1"}, **pair_aa)
    _unused, calls = run(net_peering, state="present", tags={"k": "v"}, purge_tags=True, **pair_aa)
    assert (A, "DeleteTags") in calls
    _unused, calls = run(net_peering, state="absent", **pair_aa)
    assert (A, "DeleteNetPeering") in calls
    run(net_peering, state="present", **pair_aa)
    _unused, calls = run(net_peering, state="rejected", **pair_aa)
    assert (A, "RejectNetPeering") in calls


@pytest.mark.parametrize("restricted", ["net_peerings"], indirect=True)
def test_net_peerings_runs_with_only_its_permissions(restricted):
    run = restricted
    credentials = [dict(account_id=B, **restricted.accepter)]
    listed = [
        {"source_net_id": A1, "accepter_net_id": B1, "accepter_owner_id": B},
        {"source_net_id": A1, "accepter_net_id": A2},
    ]
    scope = {"topology": "permissions"}
    _unused, calls = run(net_peerings, peerings=listed, scope_tags=scope, accepter_credentials=credentials)
    assert {(B, "ReadNets"), (B, "AcceptNetPeering"), (A, "AcceptNetPeering"), (A, "CreateTags")} <= calls
    _unused, calls = run(net_peerings, peerings=listed[:1], state="overridden", scope_tags=scope, purge_tags=True)
    assert (A, "DeleteNetPeering") in calls
    _unused, calls = run(net_peerings, peerings=listed[:1], state="deleted")
    assert (A, "DeleteNetPeering") in calls


@pytest.mark.parametrize("restricted", ["net_peering_info"], indirect=True)
def test_net_peering_info_runs_with_only_its_permissions(restricted):
    result, calls = restricted(net_peering_info, filters={"state_names": ["active"]})
    assert result["net_peerings"] == [] and calls == {(A, "ReadNetPeerings")}

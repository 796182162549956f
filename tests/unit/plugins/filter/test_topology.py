"""The full_mesh and hub_and_spoke filters: counts, order, accounts, state/tags, and every validation error.
Their shared code is plugins/plugin_utils/_topology.py; each filter's plugin file registers that one filter."""

import os
import subprocess
import sys
from collections.abc import Mapping

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.outscale.cloud.plugins.filter import full_mesh as full_mesh_plugin
from ansible_collections.outscale.cloud.plugins.filter import hub_and_spoke as hub_and_spoke_plugin
from ansible_collections.outscale.cloud.plugins.plugin_utils._topology import full_mesh, hub_and_spoke

A, B, C = "111111111111", "222222222222", "333333333333"


def net_ids(count):
    return [f"vpc-{0x10000000 + index:08x}" for index in range(count)]


def pairs(peerings):
    return [(p["source_net_id"], p["accepter_net_id"], p.get("accepter_owner_id")) for p in peerings]


class HostVars(Mapping):
    """A read-only mapping, as hostvars are in ansible-core (not a dict)."""

    def __init__(self, **values):
        self._values = values

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)


def test_each_plugin_file_registers_the_filter_it_is_named_after():
    assert full_mesh_plugin.FilterModule().filters() == {"full_mesh": full_mesh}
    assert hub_and_spoke_plugin.FilterModule().filters() == {"hub_and_spoke": hub_and_spoke}


# -- counts -------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 20])
def test_full_mesh_has_every_unordered_pair_exactly_once(count):
    nets = net_ids(count)
    result = full_mesh(nets)
    assert len(result) == count * (count - 1) // 2
    unordered = [frozenset((p["source_net_id"], p["accepter_net_id"])) for p in result]
    assert len(set(unordered)) == len(unordered)  # no pair twice, in either direction
    expected = {frozenset((x, y)) for x in nets for y in nets if x != y}
    assert set(unordered) == expected


@pytest.mark.parametrize("count", [1, 2, 3, 5, 20])
def test_hub_and_spoke_has_one_peering_per_spoke(count):
    nets = net_ids(count)
    result = hub_and_spoke(nets, nets[0])
    assert len(result) == count - 1
    assert [p["accepter_net_id"] for p in result] == nets[1:]
    assert {p["source_net_id"] for p in result} <= {nets[0]}


def test_hub_outside_the_list_is_peered_with_every_net():
    nets = net_ids(4)
    result = hub_and_spoke(nets, {"net_id": "vpc-aaaaaaaa"})
    assert pairs(result) == [("vpc-aaaaaaaa", net, None) for net in nets]


def test_no_spoke_gives_an_empty_list():
    assert hub_and_spoke([], {"net_id": "vpc-aaaaaaaa"}) == []
    assert hub_and_spoke(["vpc-aaaaaaaa"], "vpc-aaaaaaaa") == []


# -- order ----------------------------------------------------------------------


def test_full_mesh_order_follows_the_input_and_the_earlier_net_requests():
    assert pairs(full_mesh(["vpc-0000000d", "vpc-0000000b", "vpc-0000000c", "vpc-0000000a"])) == [
        ("vpc-0000000d", "vpc-0000000b", None),
        ("vpc-0000000d", "vpc-0000000c", None),
        ("vpc-0000000d", "vpc-0000000a", None),
        ("vpc-0000000b", "vpc-0000000c", None),
        ("vpc-0000000b", "vpc-0000000a", None),
        ("vpc-0000000c", "vpc-0000000a", None),
    ]


def test_hub_and_spoke_order_follows_the_input():
    nets = ["vpc-0000000c", "vpc-0000000a", "vpc-000000ff", "vpc-0000000b"]
    assert pairs(hub_and_spoke(nets, "vpc-000000ff")) == [
        ("vpc-000000ff", "vpc-0000000c", None),
        ("vpc-000000ff", "vpc-0000000a", None),
        ("vpc-000000ff", "vpc-0000000b", None),
    ]


def test_same_input_same_output():
    nets = [{"net_id": net, "account_id": (A, B, None)[index % 3]} for index, net in enumerate(net_ids(12))]
    assert full_mesh(nets) == full_mesh(list(nets))
    assert full_mesh(nets, account_id=A, foreign_pairs="skip") == full_mesh(nets, account_id=A, foreign_pairs="skip")


def test_output_keys_come_in_a_fixed_order():
    result = full_mesh(
        [{"net_id": "vpc-00000001", "account_id": A}, {"net_id": "vpc-00000002", "account_id": B}],
        state="accepted",
        tags={"k": "v"},
    )
    assert list(result[0]) == ["source_net_id", "accepter_net_id", "accepter_owner_id", "state", "tags"]


# -- accounts -------------------------------------------------------------------

# (first Net's account, second Net's account) -> (source, accepter, accepter_owner_id); N1, N2 are the Nets.
MESH_WITHOUT_ACCOUNT_ID = [
    (A, A, ("N1", "N2", None)),
    (A, B, ("N1", "N2", B)),
    (B, A, ("N1", "N2", A)),
    (None, B, ("N1", "N2", None)),  # the source's account is unknown: cannot tell they differ
    (A, None, ("N1", "N2", None)),
    (None, None, ("N1", "N2", None)),
    ("", B, ("N1", "N2", None)),  # empty is unknown
]

MESH_AS_ACCOUNT_A = [
    (A, A, ("N1", "N2", None)),
    (A, B, ("N1", "N2", B)),
    (B, A, ("N2", "N1", B)),  # the Net of the task's account requests, even when listed second
    (None, B, ("N1", "N2", B)),  # a Net of unknown account is in the task's account
    (B, None, ("N2", "N1", B)),
    (None, None, ("N1", "N2", None)),
    (A, None, ("N1", "N2", None)),
]


def two_nets(first_account, second_account):
    return [
        {"net_id": "vpc-00000001", "account_id": first_account},
        {"net_id": "vpc-00000002", "account_id": second_account},
    ]


def expected_pair(expected):
    ids = {"N1": "vpc-00000001", "N2": "vpc-00000002"}
    return [(ids[expected[0]], ids[expected[1]], expected[2])]


@pytest.mark.parametrize("first_account, second_account, expected", MESH_WITHOUT_ACCOUNT_ID)
def test_full_mesh_accounts_without_account_id(first_account, second_account, expected):
    assert pairs(full_mesh(two_nets(first_account, second_account))) == expected_pair(expected)


@pytest.mark.parametrize("first_account, second_account, expected", MESH_AS_ACCOUNT_A)
def test_full_mesh_accounts_as_account_a(first_account, second_account, expected):
    assert pairs(full_mesh(two_nets(first_account, second_account), account_id=A)) == expected_pair(expected)


def test_full_mesh_foreign_pair_fails_by_default_naming_the_pair_and_the_fix():
    nets = [
        {"net_id": "vpc-00000001", "account_id": A},
        HostVars(net_id="vpc-00000002", account_id=B, inventory_hostname="net-b"),
        {"net_id": "vpc-00000003", "account_id": C},
    ]
    with pytest.raises(AnsibleFilterError) as error:
        full_mesh(nets, account_id=A)
    message = str(error.value)
    assert message.startswith(
        f"outscale.cloud.full_mesh: Net 2 of the input (host net-b), vpc-00000002 in account {B}, "
        f"and Net 3 of the input, vpc-00000003 in account {C}, are both outside account_id {A}"
    )
    assert "foreign_pairs='skip'" in message


def test_full_mesh_foreign_pairs_skip_leaves_them_out():
    nets = [
        {"net_id": "vpc-00000001", "account_id": B},
        {"net_id": "vpc-00000002", "account_id": A},
        {"net_id": "vpc-00000003", "account_id": C},
        {"net_id": "vpc-00000004", "account_id": B},
    ]
    assert pairs(full_mesh(nets, account_id=A, foreign_pairs="skip")) == [
        ("vpc-00000002", "vpc-00000001", B),
        ("vpc-00000002", "vpc-00000003", C),
        ("vpc-00000002", "vpc-00000004", B),
    ]


def test_full_mesh_split_by_account_covers_each_pair_once():
    """The documented two-task recipe: A's pairs, then B's pairs among B's Nets."""
    nets = [{"net_id": net, "account_id": (A, B)[index % 2]} for index, net in enumerate(net_ids(7))]
    as_a = full_mesh(nets, account_id=A, foreign_pairs="skip")
    as_b = full_mesh([net for net in nets if net["account_id"] == B], account_id=B)
    unordered = [frozenset((p["source_net_id"], p["accepter_net_id"])) for p in as_a + as_b]
    assert len(unordered) == len(set(unordered)) == 7 * 6 // 2
    assert all(p["source_net_id"] in {n["net_id"] for n in nets if n["account_id"] == A} for p in as_a)


def test_twelve_digit_numbers_are_account_ids():
    result = full_mesh(
        [{"net_id": "vpc-00000001", "account_id": int(A)}, {"net_id": "vpc-00000002", "account_id": int(B)}],
        account_id=int(A),
    )
    assert pairs(result) == [("vpc-00000001", "vpc-00000002", B)]
    assert isinstance(result[0]["accepter_owner_id"], str)


# hub's account, spoke's account, account_id -> accepter_owner_id
HUB_ACCOUNTS = [
    (A, A, None, None),
    (A, B, None, B),
    (None, B, None, None),
    (None, B, A, B),
    (A, B, A, B),
    (A, None, A, None),
    (None, A, A, None),
]


@pytest.mark.parametrize("hub_account, spoke_account, account_id, owner", HUB_ACCOUNTS)
def test_hub_and_spoke_accounts(hub_account, spoke_account, account_id, owner):
    nets = [
        {"net_id": "vpc-000000aa", "account_id": hub_account},
        {"net_id": "vpc-00000001", "account_id": spoke_account},
    ]
    assert pairs(hub_and_spoke(nets, "vpc-000000aa", account_id=account_id)) == [
        ("vpc-000000aa", "vpc-00000001", owner)
    ]


def test_hub_by_inventory_hostname_and_by_hostvars():
    hub = HostVars(net_id="vpc-000000aa", account_id=A, inventory_hostname="net-hub", group_names=["hub"])
    spokes = [
        HostVars(net_id="vpc-00000001", account_id=B, inventory_hostname="net-apps"),
        HostVars(net_id="vpc-00000002", account_id=A, inventory_hostname="net-web"),
    ]
    expected = [("vpc-000000aa", "vpc-00000001", B), ("vpc-000000aa", "vpc-00000002", None)]
    assert pairs(hub_and_spoke([hub] + spokes, "net-hub")) == expected
    assert pairs(hub_and_spoke(spokes, hub)) == expected
    assert pairs(hub_and_spoke(spokes + [hub], hub)) == expected


def test_hub_dict_takes_the_account_from_the_list_when_it_has_none():
    nets = [{"net_id": "vpc-000000aa", "account_id": A}, {"net_id": "vpc-00000001", "account_id": B}]
    assert pairs(hub_and_spoke(nets, {"net_id": "vpc-000000aa"})) == [("vpc-000000aa", "vpc-00000001", B)]


# -- state and tags ---------------------------------------------------------------


def test_state_and_tags_are_left_out_when_not_given():
    for result in (full_mesh(net_ids(3)), hub_and_spoke(net_ids(3), net_ids(3)[0])):
        assert all(set(p) == {"source_net_id", "accepter_net_id"} for p in result)


@pytest.mark.parametrize("state", ["accepted", "present"])
def test_state_and_tags_are_put_in_each_item(state):
    tags = {"managed-by": "inventory", "empty": ""}
    for result in (
        full_mesh(net_ids(3), state=state, tags=tags),
        hub_and_spoke(net_ids(3), net_ids(3)[0], state=state, tags=tags),
    ):
        assert all(p["state"] == state and p["tags"] == tags for p in result)
        result[0]["tags"]["changed"] = "x"  # each item has its own copy
        assert result[1]["tags"] == tags and tags == {"managed-by": "inventory", "empty": ""}


def test_empty_tags_are_kept():
    assert full_mesh(net_ids(2), tags={})[0]["tags"] == {}


# -- inputs that are not plain lists of dicts -------------------------------------


def test_generators_tuples_and_mappings_are_accepted():
    nets = net_ids(3)
    expected = full_mesh(nets)
    assert full_mesh(tuple(nets)) == expected
    assert full_mesh(net for net in nets) == expected
    assert full_mesh([HostVars(net_id=net, ansible_host="ignored", group_names=["x"]) for net in nets]) == expected


# -- validation errors -----------------------------------------------------------

ERRORS = [
    # (filter, args, kwargs, expected message after "outscale.cloud.<filter>: ")
    (
        full_mesh,
        ("vpc-00000001",),
        {},
        "the input must be a list of Nets (Net IDs, or dicts with net_id and optionally "
        "account_id), got a string. For the hosts of an inventory group: groups['my_group'] | map('extract', "
        "hostvars) | list.",
    ),
    (full_mesh, ({"net-a": {"net_id": "vpc-00000001"}},), {}, "the input must be a list of Nets"),
    (full_mesh, (HostVars(net_id="vpc-00000001"),), {}, "got a dict."),
    (
        full_mesh,
        ([{"net_id": "vpc-00000001", "account_id": 1.11111111111e11}],),
        {},
        "account_id is a number; an account",
    ),
    (full_mesh, (None,), {}, "got a null."),
    (full_mesh, (42,), {}, "got a number."),
    (hub_and_spoke, ({"net_id": "vpc-00000001"}, "vpc-00000001"), {}, "got a dict."),
    (
        full_mesh,
        ([{"account_id": A, "inventory_hostname": "net-a"}],),
        {},
        "Net 1 of the input (host net-a) has no net_id: give each Net a net_id, such as net_id: vpc-12345678 in its "
        "host "
        "vars, or list its Net ID as a string.",
    ),
    (full_mesh, (["vpc-00000001", {"net_id": ""}],), {}, "Net 2 of the input has no net_id"),
    (full_mesh, ([{"net_id": 12345678}],), {}, "Net 1 of the input: net_id is a number; a Net ID is a string"),
    (
        full_mesh,
        (["vpc-00000001", ["vpc-00000002"]],),
        {},
        "Net 2 of the input is a list; each Net is a Net ID string (vpc-12345678) or a dict with net_id",
    ),
    (
        full_mesh,
        (["vpc-1234567"],),
        {},
        "Net 1 of the input: 'vpc-1234567' is not a Net ID: use vpc- followed by 8 hexadecimal characters, for "
        "example vpc-12345678.",
    ),
    (full_mesh, (["VPC-12345678"],), {}, "'VPC-12345678' is not a Net ID"),
    (full_mesh, (["vpc-1234567g"],), {}, "'vpc-1234567g' is not a Net ID"),
    (
        hub_and_spoke,
        ([{"net_id": "subnet-12345678", "inventory_hostname": "h"}], {"net_id": "vpc-000000aa"}),
        {},
        "Net 1 of the input (host h): 'subnet-12345678' is not a Net ID",
    ),
    (
        full_mesh,
        (["vpc-00000001", "vpc-00000002", {"net_id": "vpc-00000001", "inventory_hostname": "dup"}],),
        {},
        "vpc-00000001 is listed twice (Net 1 of the input and Net 3 of the input (host dup)): list each Net once.",
    ),
    (
        full_mesh,
        ([{"net_id": "vpc-00000001", "account_id": "12345678901"}],),
        {},
        "Net 1 of the input: account_id '12345678901' is not an account ID: use the 12 digits of the account, "
        "quoted in "
        "YAML so leading zeros are kept.",
    ),
    (
        full_mesh,
        ([{"net_id": "vpc-00000001", "account_id": 12345678901}],),
        {},
        "Net 1 of the input: account_id is the number 12345678901, not the 12 digits of an account: quote account IDs",
    ),
    (full_mesh, ([{"net_id": "vpc-00000001", "account_id": 0o1234567}],), {}, "account_id is the number 342391"),
    (
        full_mesh,
        ([{"net_id": "vpc-00000001", "account_id": True}],),
        {},
        "Net 1 of the input: account_id is a boolean; an account ID is the 12 digits of the account, quoted",
    ),
    (
        full_mesh,
        (["vpc-00000001"],),
        {"account_id": "1111-1111-1111"},
        "account_id '1111-1111-1111' is not an account ID",
    ),
    (hub_and_spoke, (["vpc-00000001"], "vpc-00000001"), {"account_id": 1234}, "account_id is the number 1234"),
    (
        full_mesh,
        (["vpc-00000001"],),
        {"state": "active"},
        "state 'active' is not valid: use accepted or present (or leave it out: the module's default is accepted).",
    ),
    (hub_and_spoke, (["vpc-00000001"], "vpc-00000001"), {"state": "absent"}, "state 'absent' is not valid"),
    (
        full_mesh,
        (["vpc-00000001"],),
        {"tags": ["managed-by=inventory"]},
        "tags is a list; give a dict, such as {'managed-by': 'inventory'}.",
    ),
    (full_mesh, (["vpc-00000001"],), {"tags": {"k": ["v"]}}, "tags: the value of 'k' is a list"),
    (full_mesh, (["vpc-00000001"],), {"tags": {"": "v"}}, "tags: key '' must be 1 to"),
    (
        full_mesh,
        (["vpc-00000001"],),
        {"account_id": A, "foreign_pairs": "warn"},
        "foreign_pairs 'warn' is not valid: use error or skip.",
    ),
    (
        hub_and_spoke,
        (["vpc-00000001"], "vpc-00000002"),
        {},
        "hub 'vpc-00000002' is not among the Nets of the input (by Net ID, or by inventory_hostname for hostvars): add "
        "the hub to the list, or give hub as a dict with net_id and account_id.",
    ),
    (
        hub_and_spoke,
        ([{"net_id": "vpc-00000001", "inventory_hostname": "net-a"}], "net-hub"),
        {},
        "hub 'net-hub' is not among the Nets of the input",
    ),
    (hub_and_spoke, ([], "vpc-00000001"), {}, "hub 'vpc-00000001' is not among the Nets of the input"),
    (
        hub_and_spoke,
        (["vpc-00000001"], "vpc-123"),
        {},
        "hub 'vpc-123' is not a Net ID: use vpc- followed by 8 hexadecimal characters, for example vpc-12345678.",
    ),
    (
        hub_and_spoke,
        (["vpc-00000001"], 0),
        {},
        "hub is a number; give the hub's Net ID (vpc-12345678), its inventory_hostname, or a dict with net_id",
    ),
    (hub_and_spoke, (["vpc-00000001"], {"account_id": A}), {}, "hub has no net_id"),
    (
        hub_and_spoke,
        (
            [{"net_id": "vpc-00000001", "account_id": B, "inventory_hostname": "net-hub"}],
            {"net_id": "vpc-00000001", "account_id": A},
        ),
        {},
        f"the hub vpc-00000001 has account_id {A}, but Net 1 of the input (host net-hub) gives it account {B}: make "
        "them agree.",
    ),
    (
        hub_and_spoke,
        ([{"net_id": "vpc-00000001", "account_id": B}, "vpc-00000002"], "vpc-00000001"),
        {"account_id": A},
        f"the hub vpc-00000001 belongs to account {B}, but account_id is {A}: the hub's account requests every "
        "peering, so "
        f"run the task as account {B} and set account_id to it.",
    ),
]


@pytest.mark.parametrize("filter_function, args, kwargs, expected", ERRORS)
def test_validation_errors_name_the_filter_the_argument_and_the_fix(filter_function, args, kwargs, expected):
    with pytest.raises(AnsibleFilterError) as error:
        filter_function(*args, **kwargs)
    prefix = f"outscale.cloud.{filter_function.__name__}: "
    message = str(error.value)
    assert message.startswith(prefix)
    assert expected in message


def test_a_single_net_is_not_an_error():
    assert full_mesh(["vpc-00000001"]) == []
    assert full_mesh([{"net_id": "vpc-00000001", "account_id": B}], account_id=A) == []


def test_importing_the_filters_does_not_load_the_client():
    """Each controller worker imports the filter plugin afresh, compiling everything it imports (the collection
    loader keeps no bytecode): the filters must stay off the client and its transport and signer."""
    code = (
        "import sys\n"
        "import ansible_collections.outscale.cloud.plugins.filter.full_mesh\n"
        "import ansible_collections.outscale.cloud.plugins.filter.hub_and_spoke\n"
        "print(' '.join(sorted(m.rsplit('.', 1)[-1] for m in sys.modules "
        "if m.startswith('ansible_collections.outscale.cloud.plugins.module_utils.'))))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["_ids", "_tags"]

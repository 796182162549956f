# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The code of the full_mesh and hub_and_spoke filters, which turn a list of Nets
(Net IDs, or dicts such as inventory hostvars with net_id and account_id) into
the peerings list of outscale.cloud.net_peerings. Each filter is a plugin file of
its own, named after it and holding its documentation (plugins/filter/full_mesh.py,
plugins/filter/hub_and_spoke.py); both import their code from here.

Private to the collection (no public API, may change in any release). It imports
only _ids and _tags of module_utils, never the client: each controller worker
imports filter plugins afresh (see the filters' import test)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

from ansible.errors import AnsibleFilterError

from ansible_collections.outscale.cloud.plugins.module_utils._ids import ACCOUNT_ID_PATTERN, NET_ID_PATTERN
from ansible_collections.outscale.cloud.plugins.module_utils._tags import validate_tags

PEERING_STATES = ("accepted", "present")
FOREIGN_PAIRS_CHOICES = ("error", "skip")
GROUP_RECIPE = "groups['my_group'] | map('extract', hostvars) | list"

# A 12-digit number cannot come from YAML reading an unquoted ID with a leading
# zero (0 + 11 octal digits is at most 8**11 - 1, 10 digits), so it is the account
# ID as written; any shorter number may have lost its zeros, or been read as octal.
SMALLEST_12_DIGITS = 10**11


class Net:
    """One Net of the input: its ID, its account (None when unknown) and how to name it in messages."""

    def __init__(self, net_id, account_id, label, host=None):
        self.net_id = net_id
        self.account_id = account_id
        self.label = label
        self.host = host  # inventory_hostname, when the Net is a host's hostvars


def _kind(value):
    """A value's type as YAML and Jinja users name it (ansible-core hands filters wrapper types)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (str, bytes)):
        return "string"
    if isinstance(value, Mapping):
        return "dict"
    if isinstance(value, Iterable):
        return "list"
    return type(value).__name__


def _fail(filter_name, message):
    raise AnsibleFilterError(f"outscale.cloud.{filter_name}: {message}")


def _account_id(filter_name, what, value):
    """An account ID as the 12-digit string the API takes, or None when not given (null or empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        _fail(
            filter_name,
            f"{what} is a {_kind(value)}; an account ID is the 12 digits of the account, quoted: '123456789012'.",
        )
    if isinstance(value, int):
        if SMALLEST_12_DIGITS <= value < 10 * SMALLEST_12_DIGITS:
            return str(value)
        _fail(
            filter_name,
            f"{what} is the number {value}, not the 12 digits of an account: "
            "quote account IDs in YAML ('012345678901'), "
            "as an unquoted ID loses its leading zeros (or is read as octal).",
        )
    if not ACCOUNT_ID_PATTERN.fullmatch(value):
        _fail(
            filter_name,
            f"{what} '{value}' is not an account ID: "
            "use the 12 digits of the account, quoted in YAML so leading zeros are kept.",
        )
    return value


def _net(filter_name, what, item):
    """A Net from a Net ID string or a dict with net_id (and account_id); other keys are ignored."""
    host = None
    if isinstance(item, str):
        net_id, account, label = item, None, what
    elif isinstance(item, Mapping):
        host = item.get("inventory_hostname")
        label = f"{what} (host {host})" if host else what
        net_id = item.get("net_id")
        if net_id is None or net_id == "":
            _fail(
                filter_name,
                f"{label} has no net_id: give each Net a net_id, "
                "such as net_id: vpc-12345678 in its host vars, or list its Net ID as a string.",
            )
        if not isinstance(net_id, str):
            _fail(filter_name, f"{label}: net_id is a {_kind(net_id)}; a Net ID is a string such as vpc-12345678.")
        account = _account_id(filter_name, f"{label}: account_id", item.get("account_id"))
    else:
        _fail(
            filter_name,
            f"{what} is a {_kind(item)}; "
            "each Net is a Net ID string (vpc-12345678) or a dict with net_id and optionally account_id.",
        )
    if not NET_ID_PATTERN.fullmatch(net_id):
        _fail(
            filter_name,
            f"{label}: '{net_id}' is not a Net ID: "
            "use vpc- followed by 8 hexadecimal characters, for example vpc-12345678.",
        )
    return Net(net_id, account, label, host)


def _nets(filter_name, nets):
    """The input as a list of Net, each listed once."""
    if nets is None or isinstance(nets, (str, bytes, Mapping)) or not isinstance(nets, Iterable):
        _fail(
            filter_name,
            "the input must be a list of Nets (Net IDs, or dicts with net_id and optionally account_id), "
            f"got a {_kind(nets)}. For the hosts of an inventory group: {GROUP_RECIPE}.",
        )
    result = []
    first_seen = {}
    for position, item in enumerate(nets):
        net = _net(filter_name, f"Net {position + 1} of the input", item)
        if net.net_id in first_seen:
            _fail(
                filter_name,
                f"{net.net_id} is listed twice ({first_seen[net.net_id].label} and {net.label}): list each Net once.",
            )
        first_seen[net.net_id] = net
        result.append(net)
    return result


def _options(filter_name, account_id, state, tags):
    """The checked account_id, and the keys that state and tags add to each peering."""
    account_id = _account_id(filter_name, "account_id", account_id)
    extra = {}
    if state is not None:
        if state not in PEERING_STATES:
            _fail(
                filter_name,
                f"state '{state}' is not valid: use accepted or present (or leave it out: "
                "the module's default is accepted).",
            )
        extra["state"] = state
    if tags is not None:
        if not isinstance(tags, Mapping):
            _fail(filter_name, f"tags is a {_kind(tags)}; give a dict, such as {{'managed-by': 'inventory'}}.")
        problem = validate_tags(tags)
        if problem:
            _fail(filter_name, problem)
        extra["tags"] = dict(tags)
    return account_id, extra


def _peering(source, accepter, requester_account, extra):
    """One item of the peerings list. accepter_owner_id is set when the accepter's account is known and is
    not the requester's (requester_account: the task's account, or else the source Net's, or None)."""
    peering = {"source_net_id": source.net_id, "accepter_net_id": accepter.net_id}
    if accepter.account_id and requester_account and accepter.account_id != requester_account:
        peering["accepter_owner_id"] = accepter.account_id
    for key, value in extra.items():
        peering[key] = dict(value) if isinstance(value, dict) else value  # no item shares another's tags
    return peering


def full_mesh(nets, account_id=None, state=None, tags=None, foreign_pairs="error"):
    """Every unordered pair of Nets once, in input order (pairs (1,2), (1,3), ..., (2,3), ...)."""
    name = "full_mesh"
    nets = _nets(name, nets)
    account_id, extra = _options(name, account_id, state, tags)
    if foreign_pairs not in FOREIGN_PAIRS_CHOICES:
        _fail(name, f"foreign_pairs '{foreign_pairs}' is not valid: use error or skip.")
    peerings = []
    for first, second in combinations(nets, 2):
        if account_id is None:
            peerings.append(_peering(first, second, first.account_id, extra))
            continue
        # A Net of unknown account is taken to be in the task's account, as the module does
        # for an accepter without accepter_owner_id.
        if first.account_id in (None, account_id):
            peerings.append(_peering(first, second, account_id, extra))
        elif second.account_id in (None, account_id):
            peerings.append(_peering(second, first, account_id, extra))
        elif foreign_pairs == "error":
            _fail(
                name,
                f"{first.label}, {first.net_id} in account {first.account_id}, and {second.label}, "
                f"{second.net_id} in account {second.account_id}, are both outside account_id {account_id}, "
                "so this task's account cannot request their peering. "
                "Peer them in a task run as one of their accounts (with account_id set to it), "
                "or pass foreign_pairs='skip' to leave such pairs out.",
            )
    return peerings


def _hub(name, hub, nets):
    """The hub as a Net: a Net ID or inventory_hostname found in nets, or a dict (completed from nets)."""
    if isinstance(hub, str):
        if hub.startswith("vpc-") and not NET_ID_PATTERN.fullmatch(hub):
            _fail(
                name,
                f"hub '{hub}' is not a Net ID: use vpc- followed by 8 hexadecimal characters, "
                "for example vpc-12345678.",
            )
        if NET_ID_PATTERN.fullmatch(hub):
            found = [net for net in nets if net.net_id == hub]
        else:
            found = [net for net in nets if net.host == hub]
        if not found:
            _fail(
                name,
                f"hub '{hub}' is not among the Nets of the input (by Net ID, or by inventory_hostname for hostvars): "
                "add the hub to the list, or give hub as a dict with net_id and account_id.",
            )
        return found[0]
    if not isinstance(hub, Mapping):
        _fail(
            name,
            f"hub is a {_kind(hub)}; give the hub's Net ID (vpc-12345678), its inventory_hostname, "
            "or a dict with net_id and optionally account_id, such as hostvars['net-hub'].",
        )
    given = _net(name, "hub", hub)
    for net in nets:
        if net.net_id == given.net_id:
            if given.account_id and net.account_id and given.account_id != net.account_id:
                _fail(
                    name,
                    f"the hub {given.net_id} has account_id {given.account_id}, "
                    f"but {net.label} gives it account {net.account_id}: make them agree.",
                )
            return Net(given.net_id, given.account_id or net.account_id, given.label, given.host)
    return given


def hub_and_spoke(nets, hub, account_id=None, state=None, tags=None):
    """One peering from the hub to each other Net, in input order; the hub requests them all."""
    name = "hub_and_spoke"
    nets = _nets(name, nets)
    account_id, extra = _options(name, account_id, state, tags)
    hub = _hub(name, hub, nets)
    if account_id and hub.account_id and hub.account_id != account_id:
        _fail(
            name,
            f"the hub {hub.net_id} belongs to account {hub.account_id}, but account_id is {account_id}: "
            "the hub's account requests every peering, "
            f"so run the task as account {hub.account_id} and set account_id to it.",
        )
    requester_account = account_id or hub.account_id
    return [_peering(hub, spoke, requester_account, extra) for spoke in nets if spoke.net_id != hub.net_id]

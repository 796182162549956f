"""State of the simulated region and the Net peering lifecycle rules.

One re-entrant lock guards everything: every public method takes it for its whole
run, so each API call is atomic (no lost update, no second live peering per pair of
Nets whatever the interleaving of the ThreadingHTTPServer's threads).
"""

from __future__ import annotations

import copy
import dataclasses
import ipaddress
import json
import os
import random
import re
import threading

from .clock import Clock, iso
from .errors import (
    CANNOT_DELETE,
    INVALID_PARAMETER_VALUE,
    INVALID_STATE,
    NET_HAS_PEERINGS,
    NO_SUCH_NET,
    NO_SUCH_NET_PEERING,
    NO_SUCH_ROUTE,
    NO_SUCH_ROUTE_TABLE,
    NOT_AUTHORIZED,
    PEERING_ALREADY_EXISTS,
    ROUTE_ALREADY_EXISTS,
    SAME_NET,
    TOO_MANY_NET_PEERINGS,
    TOO_MANY_TAGS,
    ApiError,
)

PENDING_LIFETIME = 7 * 86400  # spec: not accepted within 7 days -> expired
RETENTION = 3600  # guide: ended peerings stay visible for about one hour
MAX_TAGS_PER_RESOURCE = 50  # Outscale's documented tag limit per resource

# "provisioning" is internal: an accepted peering waiting for the accept delay. The spec
# lists no transitional state, so it is reported as pending-acceptance (see public_state).
LIVE = frozenset({"pending-acceptance", "provisioning", "active"})
ENDED = frozenset({"rejected", "failed", "expired", "deleted"})
PUBLIC_STATES = ("pending-acceptance", "active", "rejected", "failed", "expired", "deleted")

STATE_FILE_FORMAT = "outscale-simulator-state"
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_NET_ID = re.compile(r"^vpc-[0-9a-f]{8}$")
_BULK_POOL = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT space: never in seeds
# A seeded Net without ip_range gets the first /16 of this block that overlaps no other
# seeded Net (a simulator convenience: the platform always has a range, CreateNet requires one).
_DEFAULT_NET_POOL = ipaddress.ip_network("172.16.0.0/12")
_ROUTE_TABLE_ID = re.compile(r"^rtb-[0-9a-f]{8}$")
_SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8}$")
# Targets of a route other than "local", as the seed names them, the API field, and the ID
# prefixes the simulator takes for them.
ROUTE_TARGETS = {
    "gateway_id": ("GatewayId", ("igw", "vgw")),
    "nat_service_id": ("NatServiceId", ("nat",)),
    "net_peering_id": ("NetPeeringId", ("pcx",)),
    "nic_id": ("NicId", ("eni",)),
    "vm_id": ("VmId", ("i",)),
}


@dataclasses.dataclass
class Account:
    account_id: str
    access_key: str
    secret_key: str
    max_live_peerings: int | None = None
    # EIM permissions of the account's own key (None: everything allowed), and EIM users:
    # [{"name", "access_key", "secret_key", "denied_actions" or "allowed_actions"}].
    denied_actions: list[str] | None = None
    allowed_actions: list[str] | None = None
    eim_users: list[dict] = dataclasses.field(default_factory=list)

    def keys(self) -> list[dict]:
        """Every access key of the account with its permissions (the account's own first)."""
        own = {
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "denied_actions": self.denied_actions,
            "allowed_actions": self.allowed_actions,
        }
        return [own, *self.eim_users]


@dataclasses.dataclass
class Net:
    net_id: str
    account_id: str
    ip_range: str
    seq: int
    tenancy: str = "default"


@dataclasses.dataclass
class RouteTable:
    """A route table of a Net. Documented ("About Route Tables"): every Net has one main
    table, holding the local route to the Net's range; Subnets with no explicit link use it."""

    route_table_id: str
    net_id: str
    account_id: str  # the Net's owner: the only account that reads or writes the table
    seq: int
    main: bool = False
    main_link_id: str | None = None  # LinkRouteTableId of the main table's link to its Net
    # Explicit links to Subnets: [{"LinkRouteTableId": "rtbassoc-...", "SubnetId": "subnet-..."}]
    subnet_links: list[dict] = dataclasses.field(default_factory=list)
    # Routes in the API's shape without State (computed when viewed): DestinationIpRange,
    # CreationMethod and one target field; the local route first.
    routes: list[dict] = dataclasses.field(default_factory=list)

    def link_ids(self) -> list[str]:
        ids = [link["LinkRouteTableId"] for link in self.subnet_links]
        return ids if self.main_link_id is None else [self.main_link_id, *ids]

    def route_to(self, destination: str) -> dict | None:
        return next((route for route in self.routes if route["DestinationIpRange"] == destination), None)


@dataclasses.dataclass
class Peering:
    peering_id: str
    seq: int
    source_net_id: str
    source_account_id: str
    source_ip_range: str
    accepter_net_id: str
    accepter_account_id: str
    accepter_ip_range: str
    state: str
    message: str
    created_at: float
    expires_at: float | None = None
    active_at: float | None = None
    ended_at: float | None = None

    @property
    def public_state(self) -> str:
        return "pending-acceptance" if self.state == "provisioning" else self.state

    def pair(self) -> frozenset:
        return frozenset((self.source_net_id, self.accepter_net_id))

    def end(self, state: str, message: str, now: float) -> None:
        self.state, self.message, self.ended_at = state, message, now
        if state != "expired":
            self.expires_at = None


def _check_permissions(key: dict) -> None:
    """denied_actions / allowed_actions: lists of action names, not both."""
    for field in ("denied_actions", "allowed_actions"):
        value = key.get(field)
        if value is not None and (not isinstance(value, list) or not all(isinstance(a, str) for a in value)):
            raise ValueError(f"seed: '{field}' must be a list of action names")
    if key.get("denied_actions") is not None and key.get("allowed_actions") is not None:
        raise ValueError(f"seed: access key {key['access_key']!r} has both denied_actions and allowed_actions")


def load_seed(seed: dict | str | os.PathLike) -> dict:
    """Read (if a path) and check a seed document; return a deep copy."""
    if not isinstance(seed, dict):
        with open(seed, encoding="utf-8") as handle:
            seed = json.load(handle)
    seed = copy.deepcopy(seed)
    accounts = seed.get("accounts")
    if not isinstance(accounts, list) or not accounts:
        raise ValueError("seed: 'accounts' must be a non-empty list")
    seen_keys, seen_nets, seen_tables, seen_subnets = set(), set(), set(), set()
    for account in accounts:
        for field in ("account_id", "access_key", "secret_key"):
            if not isinstance(account.get(field), str) or not account[field]:
                raise ValueError(f"seed: every account needs a non-empty string '{field}'")
        if not _ACCOUNT_ID.match(account["account_id"]):
            raise ValueError(f"seed: account_id {account['account_id']!r} is not 12 digits")
        users = account.get("eim_users", [])
        if not isinstance(users, list):
            raise ValueError("seed: 'eim_users' must be a list")
        for key in [account, *users]:
            for field in ("access_key", "secret_key"):
                if not isinstance(key.get(field), str) or not key[field]:
                    raise ValueError(f"seed: every EIM user needs a non-empty string '{field}'")
            if key["access_key"] in seen_keys:
                raise ValueError(f"seed: access key {key['access_key']!r} used twice")
            seen_keys.add(key["access_key"])
            _check_permissions(key)
        for net in account.setdefault("nets", []):
            if not _NET_ID.match(str(net.get("net_id"))):
                raise ValueError(f"seed: net_id {net.get('net_id')!r} is not vpc- and 8 hex digits")
            if net["net_id"] in seen_nets:
                raise ValueError(f"seed: net_id {net['net_id']!r} used twice")
            seen_nets.add(net["net_id"])
            if "ip_range" in net:  # optional: a default is chosen at load (_default_ranges)
                ipaddress.ip_network(net["ip_range"])  # raises ValueError on a bad range
            _check_seed_route_tables(net, seen_tables, seen_subnets)
    return seed


def _check_seed_route_tables(net: dict, seen_tables: set, seen_subnets: set) -> None:
    """The optional ``route_tables`` of a seeded Net (README.md, "Seed file")."""
    tables = net.get("route_tables", [])
    if not isinstance(tables, list):
        raise ValueError(f"seed: route_tables of {net['net_id']} must be a list")
    if sum(1 for entry in tables if isinstance(entry, dict) and entry.get("main")) > 1:
        raise ValueError(f"seed: {net['net_id']} has more than one main route table")
    if not any(isinstance(entry, dict) and entry.get("main") for entry in tables):
        tables = [*tables, {"main": True}]  # the implicit main table takes its ID too
    for entry in tables:
        check_route_table_entry(entry, net["net_id"])
        table_id = entry.get("route_table_id") or (main_table_id(net["net_id"]) if entry.get("main") else None)
        if table_id is not None:
            if table_id in seen_tables:
                raise ValueError(f"seed: route table {table_id!r} used twice")
            seen_tables.add(table_id)
        for subnet_id in entry.get("subnet_ids", []):
            if subnet_id in seen_subnets:
                raise ValueError(f"seed: Subnet {subnet_id!r} linked to two route tables")
            seen_subnets.add(subnet_id)


def main_table_id(net_id: str) -> str:
    """The main table of a seeded Net is rtb- with the Net's digits (unless the seed names it)."""
    return "rtb-" + net_id.split("-", 1)[1]


def check_route_table_entry(entry: object, net_id: str) -> None:
    """A seed-shaped route table: {"main", "route_table_id", "subnet_ids", "tags", "routes"}."""
    if not isinstance(entry, dict):
        raise ValueError(f"route table of {net_id}: an object is expected")
    unknown = set(entry) - {"main", "route_table_id", "subnet_ids", "tags", "routes"}
    if unknown:
        raise ValueError(f"route table of {net_id}: unknown fields {', '.join(sorted(unknown))}")
    if not isinstance(entry.get("main", False), bool):
        raise ValueError(f"route table of {net_id}: 'main' must be true or false")
    table_id = entry.get("route_table_id")
    if table_id is not None and not _ROUTE_TABLE_ID.match(str(table_id)):
        raise ValueError(f"route table of {net_id}: {table_id!r} is not rtb- and 8 hex digits")
    subnet_ids = entry.get("subnet_ids", [])
    if not isinstance(subnet_ids, list) or not all(_SUBNET_ID.match(str(s)) for s in subnet_ids):
        raise ValueError(f"route table of {net_id}: subnet_ids must be a list of subnet- and 8 hex digits")
    if len(set(subnet_ids)) != len(subnet_ids):
        raise ValueError(f"route table of {net_id}: a Subnet is listed twice")
    tags = entry.get("tags", {})
    if not isinstance(tags, dict) or not all(
        isinstance(k, str) and 1 <= len(k) <= 255 and isinstance(v, str) and len(v) <= 255 for k, v in tags.items()
    ):
        raise ValueError(f"route table of {net_id}: tags must map keys (1-255 characters) to strings (0-255)")
    if len(tags) > MAX_TAGS_PER_RESOURCE:
        raise ValueError(f"route table of {net_id}: more than {MAX_TAGS_PER_RESOURCE} tags")
    routes = entry.get("routes", [])
    if not isinstance(routes, list):
        raise ValueError(f"route table of {net_id}: routes must be a list")
    destinations = set()
    for route in routes:
        destination = route_from_seed(route, net_id)["DestinationIpRange"]
        if destination in destinations:
            raise ValueError(f"route table of {net_id}: two routes to {destination}")
        destinations.add(destination)


def route_from_seed(route: object, net_id: str) -> dict:
    """{"destination_ip_range", one target} -> the API's route (without State)."""
    if not isinstance(route, dict):
        raise ValueError(f"route of {net_id}: an object is expected")
    unknown = set(route) - {"destination_ip_range", *ROUTE_TARGETS}
    if unknown:
        raise ValueError(f"route of {net_id}: unknown fields {', '.join(sorted(unknown))}")
    try:
        destination = route.get("destination_ip_range")
        if "/" not in destination:  # a bare address would pass as a /32
            raise ValueError(destination)
        destination = str(ipaddress.IPv4Network(destination))
    except (ValueError, TypeError):
        raise ValueError(
            f"route of {net_id}: destination_ip_range {route.get('destination_ip_range')!r} is not an IPv4 CIDR block"
        ) from None
    targets = [name for name in ROUTE_TARGETS if name in route]
    if len(targets) != 1:
        raise ValueError(f"route of {net_id} to {destination}: exactly one of {', '.join(ROUTE_TARGETS)} is needed")
    field, prefixes = ROUTE_TARGETS[targets[0]]
    value = str(route[targets[0]])
    if not any(re.fullmatch(rf"{prefix}-[0-9a-f]{{8}}", value) for prefix in prefixes):
        raise ValueError(
            f"route of {net_id} to {destination}: {targets[0]} {value!r} is not "
            f"{' or '.join(p + '-' for p in prefixes)} and 8 hex digits"
        )
    return {"CreationMethod": "CreateRoute", "DestinationIpRange": destination, field: value}


def _default_ranges(accounts: list[dict]) -> dict[str, str]:
    """{net_id: range} for the seeded Nets without ip_range: disjoint /16s of 172.16.0.0/12."""
    taken = [ipaddress.ip_network(n["ip_range"]) for a in accounts for n in a.get("nets", []) if "ip_range" in n]
    free = (block for block in _DEFAULT_NET_POOL.subnets(new_prefix=16) if not any(block.overlaps(t) for t in taken))
    chosen = {}
    for account in accounts:
        for net in account.get("nets", []):
            if "ip_range" not in net:
                block = next(free, None)
                if block is None:
                    raise ValueError("seed: too many Nets without ip_range (give them one)")
                chosen[net["net_id"]] = str(block)
    return chosen


class Store:
    """Accounts, Nets, Net peerings and per-account tags of one simulated region."""

    def __init__(self, seed: dict, clock: Clock, region: str | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self._seed = load_seed(seed)
        self._region_override = region
        self._ids = random.Random()
        self._load_seed()

    # ----- setup, reset, persistence -------------------------------------------------

    def _clear(self) -> None:
        self.region = self._region_override or self._seed.get("region") or "eu-west-2"
        self.accounts: dict[str, Account] = {}
        self.nets: dict[str, Net] = {}
        self.peerings: dict[str, Peering] = {}  # insertion order == creation order (seq)
        self.route_tables: dict[str, RouteTable] = {}  # insertion order == creation order (seq)
        self._link_ids: set[str] = set()  # every LinkRouteTableId in use
        # Tags are per account on a resource: {resource_id: {account_id: {key: value}}}.
        # Each account sees and edits only its own tags on a shared peering (owner-side
        # view): the accepter's tags never leak to the requester and vice versa.
        self.tags: dict[str, dict[str, dict[str, str]]] = {}
        self.accept_delay = 0.0
        self._seq = 0
        self._bulk_blocks = 0

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _load_seed(self) -> None:
        defaults = _default_ranges(self._seed["accounts"])
        with self.lock:
            self._clear()
            for entry in self._seed["accounts"]:
                account = Account(
                    entry["account_id"],
                    entry["access_key"],
                    entry["secret_key"],
                    denied_actions=entry.get("denied_actions"),
                    allowed_actions=entry.get("allowed_actions"),
                    eim_users=copy.deepcopy(entry.get("eim_users", [])),
                )
                self.accounts[account.account_id] = account
                for net in entry.get("nets", []):
                    created = Net(
                        net["net_id"],
                        account.account_id,
                        net.get("ip_range") or defaults[net["net_id"]],
                        self._next_seq(),
                        net.get("tenancy", "default"),
                    )
                    self.nets[created.net_id] = created
                    tables = net.get("route_tables", [])
                    if not any(table.get("main") for table in tables):
                        tables = [{"main": True}, *tables]
                    for table in sorted(tables, key=lambda t: not t.get("main")):  # the main one first
                        self._build_route_table(created, table)

    def seed_settings(self) -> dict:
        """The seed's ``throttling`` and ``auth_lockout`` documents (None when absent)."""
        return {
            "throttling": copy.deepcopy(self._seed.get("throttling")),
            "auth_lockout": copy.deepcopy(self._seed.get("auth_lockout")),
        }

    def reset(self) -> None:
        """Back to the seed: no peering, no tag, no quota, no accept delay."""
        self._load_seed()

    def _key(self, access_key: str) -> tuple[Account, dict] | tuple[None, None]:
        for account in self.accounts.values():
            for key in account.keys():
                if key["access_key"] == access_key:
                    return account, key
        return None, None

    def secret_for(self, access_key: str) -> str | None:
        with self.lock:
            _account, key = self._key(access_key)
            return None if key is None else key["secret_key"]

    def account_for(self, access_key: str) -> str | None:
        with self.lock:
            account, _key = self._key(access_key)
            return None if account is None else account.account_id

    def permitted(self, access_key: str, action: str) -> bool:
        """Whether the EIM policy of this key allows the action (seed's denied/allowed_actions).

        Recorded (stephrobert/pepin): an EIM user without the permission gets 403/4.
        """
        with self.lock:
            _account, key = self._key(access_key)
            if key is None:
                return False
            if key.get("allowed_actions") is not None:
                return action in key["allowed_actions"]
            return action not in (key.get("denied_actions") or [])

    def seed_accounts(self) -> list[dict]:
        """Current accounts in the seed's shape."""
        with self.lock:
            accounts = []
            for account in self.accounts.values():
                entry = {
                    "account_id": account.account_id,
                    "access_key": account.access_key,
                    "secret_key": account.secret_key,
                    "nets": [
                        {"net_id": n.net_id, "ip_range": n.ip_range}
                        for n in self.nets.values()
                        if n.account_id == account.account_id
                    ],
                }
                for field in ("denied_actions", "allowed_actions"):
                    if getattr(account, field) is not None:
                        entry[field] = list(getattr(account, field))
                if account.eim_users:
                    entry["eim_users"] = copy.deepcopy(account.eim_users)
                accounts.append(entry)
            return accounts

    def snapshot(self) -> dict:
        """Everything needed to resume later (faults and the call log are runtime only)."""
        with self.lock:
            return {
                "format": STATE_FILE_FORMAT,
                "version": 1,
                "region": self.region,
                "clock_offset": self.clock.offset,
                "accept_delay": self.accept_delay,
                "seq": self._seq,
                "bulk_blocks": self._bulk_blocks,
                "accounts": [dataclasses.asdict(a) for a in self.accounts.values()],
                "nets": [dataclasses.asdict(n) for n in self.nets.values()],
                "peerings": [dataclasses.asdict(p) for p in self.peerings.values()],
                "route_tables": [dataclasses.asdict(t) for t in self.route_tables.values()],
                "tags": copy.deepcopy(self.tags),
            }

    def restore(self, data: dict) -> None:
        """Replace the whole state with a snapshot() (all or nothing)."""
        if not isinstance(data, dict) or data.get("format") != STATE_FILE_FORMAT:
            raise ValueError("not a simulator state file")
        try:
            accounts = {a["account_id"]: Account(**a) for a in data["accounts"]}
            nets = {n["net_id"]: Net(**n) for n in data["nets"]}
            peerings = sorted((Peering(**p) for p in data["peerings"]), key=lambda p: p.seq)
            # A state file saved before route tables existed has none: each Net gets its
            # main table back below.
            tables = sorted((RouteTable(**t) for t in data.get("route_tables", [])), key=lambda t: t.seq)
            region, seq = str(data["region"]), int(data["seq"])
        except (KeyError, TypeError) as problem:
            raise ValueError(f"broken simulator state file: {problem!r}") from None
        with self.lock:
            self._clear()
            self.region, self._seq = region, seq
            self.accounts, self.nets = accounts, nets
            self.peerings = {p.peering_id: p for p in peerings}
            for table in tables:
                self._register_route_table(table)
            if "route_tables" not in data:
                for net in self.nets.values():
                    self._build_route_table(net, {"main": True})
            self.tags = copy.deepcopy(data.get("tags", {}))
            self.accept_delay = float(data.get("accept_delay", 0.0))
            self._bulk_blocks = int(data.get("bulk_blocks", 0))
            self.clock.set_offset(data.get("clock_offset", 0.0))

    # ----- controls --------------------------------------------------------------------

    def set_quota(self, account_id: str, max_live_peerings: int | None) -> None:
        with self.lock:
            if account_id not in self.accounts:
                raise KeyError(account_id)
            self.accounts[account_id].max_live_peerings = max_live_peerings

    def set_accept_delay(self, seconds: float) -> None:
        with self.lock:
            self.accept_delay = max(0.0, float(seconds))

    # ----- time-driven transitions -----------------------------------------------------

    def _refresh(self) -> float:
        """Apply expiry, end of the accept delay and retention; return the current time."""
        now = self.clock.time()
        for peering in list(self.peerings.values()):
            if peering.state == "pending-acceptance" and peering.expires_at is not None and now >= peering.expires_at:
                peering.end("expired", "Expired", peering.expires_at)
            elif peering.state == "provisioning" and now >= peering.active_at:
                peering.state, peering.message = "active", "Active"
            if peering.ended_at is not None and now >= peering.ended_at + RETENTION:
                del self.peerings[peering.peering_id]
                self.tags.pop(peering.peering_id, None)
        return now

    # ----- views -----------------------------------------------------------------------

    def _tags_view(self, resource_id: str, account_id: str) -> list[dict]:
        own = self.tags.get(resource_id, {}).get(account_id, {})
        return [{"Key": key, "Value": value} for key, value in own.items()]

    def _peering_view(self, peering: Peering, account_id: str) -> dict:
        # ExpirationDate: created + 7 days while pending, kept once accepted (documented:
        # the spec's AcceptNetPeering example shows a date on an active peering) and once
        # expired (the moment it expired). Guess: null once rejected, failed or deleted.
        return {
            "AccepterNet": {
                "AccountId": peering.accepter_account_id,
                "IpRange": peering.accepter_ip_range,
                "NetId": peering.accepter_net_id,
            },
            "ExpirationDate": iso(peering.expires_at) if peering.expires_at is not None else None,
            "NetPeeringId": peering.peering_id,
            "SourceNet": {
                "AccountId": peering.source_account_id,
                "IpRange": peering.source_ip_range,
                "NetId": peering.source_net_id,
            },
            "State": {"Message": peering.message, "Name": peering.public_state},
            "Tags": self._tags_view(peering.peering_id, account_id),
        }

    def _net_view(self, net: Net) -> dict:
        return {
            "DhcpOptionsSetId": "default",
            "IpRange": net.ip_range,
            "NetId": net.net_id,
            "State": "available",
            "Tags": self._tags_view(net.net_id, net.account_id),
            "Tenancy": net.tenancy,
        }

    def _route_state(self, route: dict) -> str:
        # Contradictory evidence (outscale-routes-evidence.md): the OpenAPI says a route's
        # State is "always active"; terraform-provider-outscale's test
        # TestAccNet_Route_CreateFailureKeepsState expects "blackhole" until the peering is
        # accepted. Guess: a route through a peering is "active" while the peering is active
        # and "blackhole" otherwise (pending, ended, or gone: on AWS routes to a deleted
        # peering stay, as blackholes; on Outscale it is unknown). Other targets are not
        # modelled and always "active".
        peering_id = route.get("NetPeeringId")
        if peering_id is None:
            return "active"
        peering = self.peerings.get(peering_id)
        return "active" if peering is not None and peering.state == "active" else "blackhole"

    def _route_table_view(self, table: RouteTable) -> dict:
        links = []
        if table.main:
            links.append(
                {
                    "LinkRouteTableId": table.main_link_id,
                    "Main": True,
                    "NetId": table.net_id,
                    "RouteTableId": table.route_table_id,
                }
            )
        for link in table.subnet_links:
            # spec (LinkRouteTable.NetId): the Net only "if the route table is not explicitly
            # linked to a Subnet".
            links.append(
                {
                    "LinkRouteTableId": link["LinkRouteTableId"],
                    "Main": False,
                    "RouteTableId": table.route_table_id,
                    "SubnetId": link["SubnetId"],
                }
            )
        return {
            "LinkRouteTables": links,
            "NetId": table.net_id,
            "RoutePropagatingVirtualGateways": [],  # virtual gateways are not modelled
            "RouteTableId": table.route_table_id,
            "Routes": [{**route, "State": self._route_state(route)} for route in table.routes],
            "Tags": self._tags_view(table.route_table_id, table.account_id),
        }

    # ----- lookups -----------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self._ids.getrandbits(32):08x}"
            if (
                candidate not in self.nets
                and candidate not in self.peerings
                and candidate not in self.route_tables
                and candidate not in self._link_ids
            ):
                return candidate

    def _own_route_table(self, account_id: str, route_table_id: str) -> RouteTable:
        # Only the owner of a Net reads or writes its tables (account isolation, see
        # outscale-routes-evidence.md). Guess: another account's table answers exactly as
        # an unknown one (400/5046), so its existence does not leak.
        table = self.route_tables.get(route_table_id)
        if table is None or table.account_id != account_id:
            raise ApiError(NO_SUCH_ROUTE_TABLE, f"The route table '{route_table_id}' does not exist.")
        return table

    def _own_net(self, account_id: str, net_id: str) -> Net:
        net = self.nets.get(net_id)
        if net is None or net.account_id != account_id:
            raise ApiError(NO_SUCH_NET, f"The Net '{net_id}' does not exist.")
        return net

    def _visible_peering(self, account_id: str, peering_id: str) -> Peering:
        peering = self.peerings.get(peering_id)
        if peering is None or account_id not in (peering.source_account_id, peering.accepter_account_id):
            raise ApiError(NO_SUCH_NET_PEERING, f"The Net peering '{peering_id}' does not exist.")
        return peering

    def _live_count(self, account_id: str) -> int:
        return sum(
            1
            for p in self.peerings.values()
            if p.state in LIVE and account_id in (p.source_account_id, p.accepter_account_id)
        )

    # ----- Net peerings ----------------------------------------------------------------

    def create_peering(
        self,
        caller: str,
        source_net_id: str,
        accepter_net_id: str,
        accepter_owner_id: str | None,
        dry_run: bool = False,
    ) -> dict | None:
        with self.lock:
            now = self._refresh()
            if source_net_id == accepter_net_id:
                raise ApiError(SAME_NET, "SourceNetId and AccepterNetId must be two different Nets.")
            source = self._own_net(caller, source_net_id)
            # AccepterOwnerId defaults to the caller (spec), so the peer Net of another
            # account is simply not found without it, and not found under a wrong owner:
            # both answer 5065 no-such-vpc, what a real lookup by (owner, Net) would give.
            owner = accepter_owner_id or caller
            accepter = self.nets.get(accepter_net_id)
            if accepter is None or accepter.account_id != owner:
                raise ApiError(NO_SUCH_NET, f"The Net '{accepter_net_id}' does not exist for account {owner}.")
            overlap = ipaddress.ip_network(source.ip_range).overlaps(ipaddress.ip_network(accepter.ip_range))
            reverse_active = None
            if not overlap:
                # A failed peering is never live, so only a would-be live one is checked.
                for other in self.peerings.values():
                    if other.state not in LIVE:
                        continue
                    # Documented (CreateNetPeering: "cannot create more than one"): a second
                    # live peering in the same direction is refused. Guess: 409/9067 (ricochet
                    # returns the existing one instead; the real code is unknown).
                    if other.source_net_id == source_net_id and other.accepter_net_id == accepter_net_id:
                        raise ApiError(
                            PEERING_ALREADY_EXISTS,
                            f"The Net peering '{other.peering_id}' already links {source_net_id} to {accepter_net_id}.",
                        )
                    # Documented (CreateNetPeering) and modelled (ricochet): B->A while A->B is
                    # active is created, then automatically rejected. While A->B is pending,
                    # B->A is created pending too (AcceptNetPeering: "rejects any pending B-to-A").
                    if (
                        other.state in ("active", "provisioning")
                        and other.source_net_id == accepter_net_id
                        and other.accepter_net_id == source_net_id
                    ):
                        reverse_active = other
                quota = self.accounts[caller].max_live_peerings
                # Guess: the quota counts the requester's live peerings on either side.
                if reverse_active is None and quota is not None and self._live_count(caller) >= quota:
                    raise ApiError(
                        TOO_MANY_NET_PEERINGS, f"Account {caller} reached its limit of {quota} Net peerings."
                    )
            if dry_run:
                return None
            peering = Peering(
                peering_id=self._new_id("pcx"),
                seq=self._next_seq(),
                source_net_id=source.net_id,
                source_account_id=source.account_id,
                source_ip_range=source.ip_range,
                accepter_net_id=accepter.net_id,
                accepter_account_id=accepter.account_id,
                accepter_ip_range=accepter.ip_range,
                state="pending-acceptance",
                message=f"Pending acceptance by {accepter.account_id}",
                created_at=now,
                expires_at=now + PENDING_LIFETIME,
            )
            if overlap:
                # Documented: overlapping ranges are not refused, the peering is created failed.
                peering.end("failed", "Failed due to overlapping IP ranges", now)
            elif reverse_active is not None:
                # Guess: the message (the state is documented, see above).
                peering.end("rejected", f"Rejected (redundant with the active {reverse_active.peering_id})", now)
            self.peerings[peering.peering_id] = peering
            return self._peering_view(peering, caller)

    def accept_peering(self, caller: str, peering_id: str, dry_run: bool = False) -> dict | None:
        with self.lock:
            now = self._refresh()
            peering = self._visible_peering(caller, peering_id)
            if caller != peering.accepter_account_id:
                raise ApiError(
                    NOT_AUTHORIZED, f"Only the owner of {peering.accepter_net_id} can accept '{peering_id}'."
                )
            if peering.state == "provisioning":
                # Already accepted and still provisioning: a repeated accept (a retry after a
                # timeout, typically) succeeds again instead of failing on the reported state.
                return None if dry_run else self.accept_view(peering)
            if peering.state != "pending-acceptance":
                raise ApiError(
                    INVALID_STATE, f"The Net peering '{peering_id}' is {peering.public_state}, not pending-acceptance."
                )
            if dry_run:
                return None
            if self.accept_delay > 0:
                peering.state, peering.message, peering.active_at = (
                    "provisioning",
                    "Provisioning",
                    now + self.accept_delay,
                )
            else:
                peering.state, peering.message = "active", "Active"
            # Documented (AcceptNetPeering) and modelled (ricochet): accepting A->B rejects a
            # pending B->A as redundant.
            for other in self.peerings.values():
                if (
                    other.state == "pending-acceptance"
                    and other.source_net_id == peering.accepter_net_id
                    and other.accepter_net_id == peering.source_net_id
                ):
                    other.end("rejected", f"Rejected by {caller} (redundant with {peering_id})", now)
            return self.accept_view(peering)

    def accept_view(self, peering: Peering) -> dict:
        """What AcceptNetPeering answers: not the object a read returns.

        Evidence: terraform-provider-outscale (resource_net_peering_acceptation.go) reads
        the peering again after accepting. Guess: what differs; the simulator leaves out
        Tags, so a client that needs them must read.
        """
        view = self._peering_view(peering, peering.accepter_account_id)
        del view["Tags"]
        return view

    def reject_peering(self, caller: str, peering_id: str, dry_run: bool = False) -> None:
        with self.lock:
            now = self._refresh()
            peering = self._visible_peering(caller, peering_id)
            if caller != peering.accepter_account_id:
                raise ApiError(
                    NOT_AUTHORIZED, f"Only the owner of {peering.accepter_net_id} can reject '{peering_id}'."
                )
            if peering.state != "pending-acceptance":
                raise ApiError(
                    INVALID_STATE, f"The Net peering '{peering_id}' is {peering.public_state}, not pending-acceptance."
                )
            if not dry_run:
                peering.end("rejected", f"Rejected by {caller}", now)

    def delete_peering(self, caller: str, peering_id: str, dry_run: bool = False) -> None:
        with self.lock:
            now = self._refresh()
            peering = self._visible_peering(caller, peering_id)
            if peering.state in ENDED:
                raise ApiError(
                    CANNOT_DELETE, f"The Net peering '{peering_id}' is {peering.state} and cannot be deleted."
                )
            # An accepted peering still provisioning counts as active here: either owner may
            # delete it, so the accepter can undo its own accept.
            if peering.state == "pending-acceptance" and caller != peering.source_account_id:
                raise ApiError(NOT_AUTHORIZED, f"Only the requester can delete the pending Net peering '{peering_id}'.")
            if not dry_run:
                peering.end("deleted", f"Deleted by {caller}", now)

    def read_peerings(self, caller: str, keep=None, after: int = 0, limit: int | None = None) -> list[tuple[int, dict]]:
        """(seq, view) of the caller's peerings (either side) in creation order.

        Only those created after ``after`` that ``keep`` accepts, at most ``limit``: a page
        of 10,000 peerings builds a page of views, not 10,000.
        """
        with self.lock:
            self._refresh()
            visible = (
                p
                for p in self.peerings.values()
                if p.seq > after and caller in (p.source_account_id, p.accepter_account_id)
            )
            return _select(visible, lambda p: self._peering_view(p, caller), keep, limit)

    # ----- Nets ---------------------------------------------------------------------------

    def create_net(self, caller: str, ip_range: str, tenancy: str, dry_run: bool = False) -> dict | None:
        with self.lock:
            self._refresh()
            if dry_run:
                return None
            net = Net(self._new_id("vpc"), caller, ip_range, self._next_seq(), tenancy)
            self.nets[net.net_id] = net
            self._build_route_table(net, {"main": True}, derived_main_id=False)
            return self._net_view(net)

    def read_nets(self, caller: str, keep=None, after: int = 0, limit: int | None = None) -> list[tuple[int, dict]]:
        """Same as read_peerings, for the caller's own Nets."""
        with self.lock:
            own = (n for n in self.nets.values() if n.seq > after and n.account_id == caller)
            return _select(own, self._net_view, keep, limit)

    def delete_net(self, caller: str, net_id: str, dry_run: bool = False) -> None:
        with self.lock:
            self._refresh()
            self._own_net(caller, net_id)
            # Documented (DeleteNet; cluster-api-provider-outscale deletes peerings first):
            # refused while the Net has peerings. Guess: only live (pending or active) ones
            # count, since ended ones cannot be deleted and vanish by themselves; the code
            # (409/9066) is a guess too, see errors.NET_HAS_PEERINGS.
            blocking = [
                p.peering_id
                for p in self.peerings.values()
                if p.state in LIVE and net_id in (p.source_net_id, p.accepter_net_id)
            ]
            if blocking:
                raise ApiError(
                    NET_HAS_PEERINGS, f"The Net '{net_id}' has Net peerings ({', '.join(blocking)}); delete them first."
                )
            if dry_run:
                return
            del self.nets[net_id]
            self.tags.pop(net_id, None)
            # Guess: the Net's route tables go with it. The platform refuses to delete a Net
            # that still has Subnets (and so explicitly linked tables); the simulator does not
            # model Subnets, so it does not refuse.
            for table in [t for t in self.route_tables.values() if t.net_id == net_id]:
                self._drop_route_table(table)

    # ----- route tables ------------------------------------------------------------------

    def _register_route_table(self, table: RouteTable) -> None:
        self.route_tables[table.route_table_id] = table
        self._link_ids.update(table.link_ids())

    def _drop_route_table(self, table: RouteTable) -> None:
        del self.route_tables[table.route_table_id]
        self._link_ids.difference_update(table.link_ids())
        self.tags.pop(table.route_table_id, None)

    def _build_route_table(self, net: Net, entry: dict, derived_main_id: bool = True) -> RouteTable:
        """A table of ``net`` from a checked seed-shaped entry (check_route_table_entry).

        Documented ("About Route Tables"; OpenAPI examples): a table holds the local route
        to its Net's range (CreationMethod CreateRouteTable). Modelled (osc-ricochet-2
        CreateRouteTable): the local route's GatewayId is "local".
        """
        main = bool(entry.get("main"))
        table_id = entry.get("route_table_id")
        if table_id is None:
            # Seeded Nets: a main table ID derived from the Net's, so seeds and tests can
            # name it; the rest are random, as on the platform.
            table_id = main_table_id(net.net_id) if main and derived_main_id else self._new_id("rtb")
        if table_id in self.route_tables:
            raise ValueError(f"route table {table_id!r} exists already")
        # One main table per Net: seeds are checked for it, the control API adds none.
        if entry.get("subnet_ids"):
            linked = {link["SubnetId"] for t in self.route_tables.values() for link in t.subnet_links}
            for subnet_id in entry["subnet_ids"]:
                if subnet_id in linked:
                    raise ValueError(f"Subnet {subnet_id!r} is linked to another route table already")
        table = RouteTable(table_id, net.net_id, net.account_id, self._next_seq(), main=main)
        table.routes.append(
            {"CreationMethod": "CreateRouteTable", "DestinationIpRange": net.ip_range, "GatewayId": "local"}
        )
        for route in entry.get("routes", []):  # before any ID is taken: this may refuse
            self._add_route(table, route_from_seed(route, net.net_id))
        if main:
            derived = "rtbassoc-" + table_id.split("-", 1)[1]
            use_derived = derived_main_id and derived not in self._link_ids
            table.main_link_id = derived if use_derived else self._new_id("rtbassoc")
            self._link_ids.add(table.main_link_id)
        for subnet_id in entry.get("subnet_ids", []):
            # rtbassoc- with the Subnet's digits (a Subnet is linked once), so a reset gives
            # the same IDs back; random if a main link took them.
            link_id = "rtbassoc-" + subnet_id.split("-", 1)[1]
            if link_id in self._link_ids:
                link_id = self._new_id("rtbassoc")
            link = {"LinkRouteTableId": link_id, "SubnetId": subnet_id}
            table.subnet_links.append(link)
            self._link_ids.add(link["LinkRouteTableId"])
        self.route_tables[table.route_table_id] = table
        if entry.get("tags"):
            self.tags.setdefault(table_id, {})[net.account_id] = dict(entry["tags"])
        return table

    @staticmethod
    def _add_route(table: RouteTable, route: dict) -> None:
        if table.route_to(route["DestinationIpRange"]) is not None:
            raise ValueError(f"{table.route_table_id} has a route to {route['DestinationIpRange']} already")
        table.routes.append(route)

    def add_route_table(self, net_id: str, entry: dict) -> dict:
        """Control: a route table in a Net, as a seed describes one; returns its API view."""
        with self.lock:
            self._refresh()
            net = self.nets.get(net_id)
            if net is None:
                raise KeyError(net_id)
            check_route_table_entry(entry, net_id)
            if entry.get("main"):
                raise ValueError(f"{net_id} has its main route table already; add only Subnet tables")
            return self._route_table_view(self._build_route_table(net, entry))

    def add_route(self, route_table_id: str, route: dict) -> dict:
        """Control: a route as a seed describes one, bypassing CreateRoute's rules (a route
        to a peering that does not exist, for example); returns the table's API view."""
        with self.lock:
            self._refresh()
            table = self.route_tables.get(route_table_id)
            if table is None:
                raise KeyError(route_table_id)
            self._add_route(table, route_from_seed(route, table.net_id))
            return self._route_table_view(table)

    def route_table_views(self, net_id: str | None = None, account_id: str | None = None) -> list[dict]:
        """Control: every route table (API views, owners' tags), optionally of one Net or account."""
        with self.lock:
            self._refresh()
            return [
                self._route_table_view(t)
                for t in self.route_tables.values()
                if net_id in (None, t.net_id) and account_id in (None, t.account_id)
            ]

    def read_route_tables(
        self, caller: str, keep=None, after: int = 0, limit: int | None = None
    ) -> list[tuple[int, dict]]:
        """Same as read_peerings, for the route tables of the caller's own Nets."""
        with self.lock:
            self._refresh()
            own = (t for t in self.route_tables.values() if t.seq > after and t.account_id == caller)
            return _select(own, self._route_table_view, keep, limit)

    def create_route(
        self, caller: str, route_table_id: str, destination: str, target: tuple[str, str], dry_run: bool = False
    ) -> dict | None:
        """``target``: (API field, ID), checked for its format by the caller."""
        with self.lock:
            self._refresh()
            table = self._own_route_table(caller, route_table_id)
            field, target_id = target
            if field == "NetPeeringId":
                # Unknown, or another account's: 5035 as on the peering calls.
                peering = self._visible_peering(caller, target_id)
                # Modelled (osc-ricochet-2 CreateRoute: the peering must have the table's Net
                # on either side). Guess: the code, 400/4047.
                if table.net_id not in (peering.source_net_id, peering.accepter_net_id):
                    raise ApiError(
                        INVALID_PARAMETER_VALUE,
                        f"NetPeeringId: '{target_id}' does not link {table.net_id}, the Net of '{route_table_id}'.",
                    )
                # Guess: an ended peering (rejected, failed, expired, deleted) takes no new route
                # (409/6003 as other calls on a peering in the wrong state). A pending one does:
                # the route is created "blackhole" until the peering is active (_route_state).
                if peering.state in ENDED:
                    raise ApiError(
                        INVALID_STATE, f"The Net peering '{target_id}' is {peering.state}: no route can use it."
                    )
            # Other targets (internet and virtual gateways, NAT services, NICs, VMs) are not
            # modelled: any well-formed ID is taken (guess; ricochet checks they exist in the Net).
            existing = table.route_to(destination)
            if existing is not None:
                # Follows from the API's shape (one route per table and destination); the
                # code is a guess (errors.ROUTE_ALREADY_EXISTS). The local route counts too.
                raise ApiError(
                    ROUTE_ALREADY_EXISTS,
                    f"The route table '{route_table_id}' already has a route to {destination}.",
                )
            if dry_run:
                return None
            table.routes.append({"CreationMethod": "CreateRoute", "DestinationIpRange": destination, field: target_id})
            return self._route_table_view(table)

    def delete_route(self, caller: str, route_table_id: str, destination: str, dry_run: bool = False) -> dict | None:
        """Documented (DeleteRoute): the route is named by its table and its exact destination."""
        with self.lock:
            self._refresh()
            table = self._own_route_table(caller, route_table_id)
            route = table.route_to(destination)
            if route is None:
                # Guess: 400/5045 no-such-route (the yaml's name).
                raise ApiError(NO_SUCH_ROUTE, f"The route table '{route_table_id}' has no route to {destination}.")
            if route.get("GatewayId") == "local":
                # Guess: the local route cannot be deleted (AWS refuses it), 400/4047.
                raise ApiError(INVALID_PARAMETER_VALUE, f"The local route to {destination} cannot be deleted.")
            if dry_run:
                return None
            table.routes.remove(route)
            return self._route_table_view(table)

    # ----- tags ----------------------------------------------------------------------------

    def _check_taggable(self, caller: str, resource_id: str) -> None:
        if resource_id.startswith("pcx-"):
            self._visible_peering(caller, resource_id)
        elif resource_id.startswith("rtb-"):
            self._own_route_table(caller, resource_id)
        else:
            self._own_net(caller, resource_id)

    def create_tags(self, caller: str, resource_ids: list[str], tags: list[dict], dry_run: bool = False) -> None:
        with self.lock:
            self._refresh()
            new = {tag["Key"]: tag["Value"] for tag in tags}
            for resource_id in resource_ids:  # check all first: the call is all or nothing
                self._check_taggable(caller, resource_id)
                merged = {**self.tags.get(resource_id, {}).get(caller, {}), **new}
                if len(merged) > MAX_TAGS_PER_RESOURCE:
                    raise ApiError(TOO_MANY_TAGS, f"'{resource_id}' would have more than {MAX_TAGS_PER_RESOURCE} tags.")
            if dry_run:
                return
            for resource_id in resource_ids:
                self.tags.setdefault(resource_id, {}).setdefault(caller, {}).update(new)

    def delete_tags(self, caller: str, resource_ids: list[str], tags: list[dict], dry_run: bool = False) -> None:
        with self.lock:
            self._refresh()
            for resource_id in resource_ids:
                self._check_taggable(caller, resource_id)
            if dry_run:
                return
            for resource_id in resource_ids:
                own = self.tags.get(resource_id, {}).get(caller, {})
                for tag in tags:
                    # spec: with a Value, only a tag with exactly that value goes. The schema
                    # makes Value mandatory, so an empty Value stands for "any value" (the
                    # only way left to delete by key); a tag whose value is "" goes too.
                    if tag["Key"] in own and (tag["Value"] == "" or own[tag["Key"]] == tag["Value"]):
                        del own[tag["Key"]]

    # ----- bulk loading (benchmarks) ------------------------------------------------------

    def bulk_peerings(self, account_id: str, count: int, state: str = "active") -> list[str]:
        """Create ``count`` peerings (and their Nets) in one go, bypassing API rules.

        Every peering gets its own accepter Net so pairs stay unique; all Nets belong to
        ``account_id`` and get disjoint /28 ranges from 100.64.0.0/10.
        """
        if state not in PUBLIC_STATES:
            raise ValueError(f"state must be one of {', '.join(PUBLIC_STATES)}")
        if count < 0:
            raise ValueError("count must be >= 0")
        with self.lock:
            now = self._refresh()
            if account_id not in self.accounts:
                raise KeyError(account_id)
            source = self._bulk_net(account_id)
            created = []
            for _index in range(count):
                accepter = self._bulk_net(account_id)
                peering = Peering(
                    peering_id=self._new_id("pcx"),
                    seq=self._next_seq(),
                    source_net_id=source.net_id,
                    source_account_id=account_id,
                    source_ip_range=source.ip_range,
                    accepter_net_id=accepter.net_id,
                    accepter_account_id=account_id,
                    accepter_ip_range=accepter.ip_range,
                    state="pending-acceptance",
                    message=f"Pending acceptance by {account_id}",
                    created_at=now,
                    expires_at=now + PENDING_LIFETIME,
                )
                if state == "active":
                    peering.state, peering.message = "active", "Active"
                elif state != "pending-acceptance":
                    messages = {
                        "rejected": f"Rejected by {account_id}",
                        "failed": "Failed due to overlapping IP ranges",
                        "expired": "Expired",
                        "deleted": f"Deleted by {account_id}",
                    }
                    peering.end(state, messages[state], now)
                self.peerings[peering.peering_id] = peering
                created.append(peering.peering_id)
            return created

    def _bulk_net(self, account_id: str) -> Net:
        block = _BULK_POOL.network_address + self._bulk_blocks * 16
        self._bulk_blocks += 1
        net = Net(self._new_id("vpc"), account_id, f"{block}/28", self._next_seq())
        self.nets[net.net_id] = net
        self._build_route_table(net, {"main": True}, derived_main_id=False)
        return net


def _select(resources, view_of, keep, limit: int | None) -> list[tuple[int, dict]]:
    """(seq, view) of the resources whose view ``keep`` accepts, stopping at ``limit``."""
    found = []
    for resource in resources:
        view = view_of(resource)
        if keep is None or keep(view):
            found.append((resource.seq, view))
            if limit is not None and len(found) >= limit:
                break
    return found

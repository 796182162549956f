"""The API surface: one method per action, from a validated request body to a response body.

Bodies reaching here already match <Action>Request of outscale.yaml (spec.py). What the
schema cannot say (ID formats, ranges, lengths) is checked here; the lifecycle rules
live in store.py. DryRun: every check runs, nothing changes, and the answer is HTTP 200
with only ResponseContext (guess: the real answer to a successful dry run is not
documented; AWS answers an error instead, Outscale's docs only say it "checks whether
you have the required permissions").
"""

from __future__ import annotations

import ipaddress
import re

from .errors import (
    INVALID_CIDR_SIZE,
    INVALID_ID_PREFIX,
    INVALID_PARAMETER_SET,
    INVALID_PARAMETER_VALUE,
    INVALID_TAG_KEY,
    INVALID_TAG_VALUE_LENGTH,
    MALFORMED_ID,
    MISSING_PARAMETER,
    ApiError,
)
from .queries import NET_FILTERS, PEERING_FILTERS, ROUTE_TABLE_FILTERS, Paginator, compile_filters, scope_of
from .store import ROUTE_TARGETS, Store

ACTIONS = (
    "CreateNetPeering",
    "AcceptNetPeering",
    "RejectNetPeering",
    "DeleteNetPeering",
    "ReadNetPeerings",
    "CreateTags",
    "DeleteTags",
    "CreateNet",
    "ReadNets",
    "DeleteNet",
    "ReadRouteTables",
    "CreateRoute",
    "DeleteRoute",
)

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ACCOUNT_ID_LOST_ZERO = re.compile(r"^\d{11}$")
# Filters holding resource IDs: a malformed one is refused like a malformed parameter
# (recorded: ReadVms with a bad ID in a filter answers 400/4104).
_ID_FILTERS = {
    "ReadNetPeerings": {"NetPeeringIds": ("pcx",), "SourceNetNetIds": ("vpc",), "AccepterNetNetIds": ("vpc",)},
    "ReadNets": {"NetIds": ("vpc",)},
    # RouteGatewayIds is not checked: it holds "local" as well as igw- and vgw- IDs.
    "ReadRouteTables": {
        "LinkRouteTableIds": ("rtb",),
        "LinkRouteTableLinkRouteTableIds": ("rtbassoc",),
        "LinkSubnetIds": ("subnet",),
        "NetIds": ("vpc",),
        "RouteNatServiceIds": ("nat",),
        "RouteNetPeeringIds": ("pcx",),
        "RouteTableIds": ("rtb",),
        "RouteVmIds": ("i",),
    },
}
_TAGGABLE_PREFIXES = ("pcx", "vpc", "rtb")
# CreateRoute's target parameters and the ID prefixes each takes (same as the seeds').
_ROUTE_TARGETS = dict(ROUTE_TARGETS.values())


def check_id(value: str, prefixes: tuple[str, ...], parameter: str) -> None:
    """4104 for a wrong prefix, 4105 for the right prefix with a malformed rest."""
    prefix = value.split("-", 1)[0] if "-" in value else None
    if prefix not in prefixes:
        raise ApiError(
            INVALID_ID_PREFIX, f"{parameter}: '{value}' does not start with {' or '.join(p + '-' for p in prefixes)}."
        )
    if not re.fullmatch(rf"{prefix}-[0-9a-f]{{8}}", value):
        raise ApiError(MALFORMED_ID, f"{parameter}: '{value}' is not {prefix}- followed by 8 hexadecimal digits.")


def _destination(value: str) -> str:
    """A route's DestinationIpRange: an IPv4 CIDR block, host bits clear (guess: 400/4047
    otherwise, as CreateNet's IpRange; ricochet refuses what is not a CIDR)."""
    try:
        if "/" not in value:  # a bare address would pass as a /32
            raise ValueError(value)
        return str(ipaddress.IPv4Network(value))
    except ValueError:
        raise ApiError(
            INVALID_PARAMETER_VALUE, f"DestinationIpRange: '{value}' is not an IPv4 CIDR block (like 10.0.0.0/16)."
        ) from None


def _check_tags(tags: list[dict], resource_ids: list[str]) -> None:
    if not resource_ids:
        raise ApiError(MISSING_PARAMETER, "ResourceIds: at least one resource ID is required.")
    if not tags:
        raise ApiError(MISSING_PARAMETER, "Tags: at least one tag is required.")
    for resource_id in resource_ids:
        check_id(resource_id, _TAGGABLE_PREFIXES, "ResourceIds")
    for tag in tags:
        if not 1 <= len(tag["Key"]) <= 255:
            raise ApiError(INVALID_TAG_KEY, "Tags.Key: between 1 and 255 characters.")
        if len(tag["Value"]) > 255:
            raise ApiError(INVALID_TAG_VALUE_LENGTH, "Tags.Value: between 0 and 255 characters.")


class Api:
    """Dispatches an action for an authenticated account."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.paginator = Paginator()

    def call(self, action: str, account_id: str, body: dict) -> dict:
        """Response body without ResponseContext; raises ApiError on refusal."""
        handler = getattr(self, f"_{action}")
        return handler(account_id, body, bool(body.get("DryRun", False)))

    # Method names mirror the API's action names.
    # pylint: disable=invalid-name

    def _CreateNetPeering(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["SourceNetId"], ("vpc",), "SourceNetId")
        check_id(body["AccepterNetId"], ("vpc",), "AccepterNetId")
        owner = body.get("AccepterOwnerId")
        if owner is not None and _ACCOUNT_ID_LOST_ZERO.match(owner):
            # terraform-provider-outscale issue #566: an account ID that lost its leading
            # zero (11 digits, e.g. written as a number in HCL) is accepted and answered
            # zero-padded to 12 digits.
            owner = owner.zfill(12)
        if owner is not None and not _ACCOUNT_ID.match(owner):
            raise ApiError(INVALID_PARAMETER_VALUE, "AccepterOwnerId: an account ID is 12 digits.")
        view = self.store.create_peering(caller, body["SourceNetId"], body["AccepterNetId"], owner, dry_run)
        return {} if view is None else {"NetPeering": view}

    def _AcceptNetPeering(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["NetPeeringId"], ("pcx",), "NetPeeringId")
        view = self.store.accept_peering(caller, body["NetPeeringId"], dry_run)
        return {} if view is None else {"NetPeering": view}

    def _RejectNetPeering(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["NetPeeringId"], ("pcx",), "NetPeeringId")
        self.store.reject_peering(caller, body["NetPeeringId"], dry_run)
        return {}

    def _DeleteNetPeering(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["NetPeeringId"], ("pcx",), "NetPeeringId")
        self.store.delete_peering(caller, body["NetPeeringId"], dry_run)
        return {}

    def _read(self, caller: str, body: dict, dry_run: bool, action: str, key: str, fetch, extractors) -> dict:
        filters = body.get("Filters")
        for name, prefixes in _ID_FILTERS[action].items():
            for value in (filters or {}).get(name) or []:
                check_id(value, prefixes, f"Filters.{name}")
        keep = compile_filters(filters, extractors)
        scope = scope_of(caller, action, filters)
        after, size = self.paginator.window(body.get("ResultsPerPage"), body.get("NextPageToken"), scope)
        views, next_token = self.paginator.page(fetch(caller, keep, after, size + 1), size, scope)
        if dry_run:
            return {}
        result = {key: views}
        if next_token is not None:
            result["NextPageToken"] = next_token
        return result

    def _ReadNetPeerings(self, caller: str, body: dict, dry_run: bool) -> dict:
        return self._read(
            caller, body, dry_run, "ReadNetPeerings", "NetPeerings", self.store.read_peerings, PEERING_FILTERS
        )

    def _ReadNets(self, caller: str, body: dict, dry_run: bool) -> dict:
        return self._read(caller, body, dry_run, "ReadNets", "Nets", self.store.read_nets, NET_FILTERS)

    def _ReadRouteTables(self, caller: str, body: dict, dry_run: bool) -> dict:
        return self._read(
            caller, body, dry_run, "ReadRouteTables", "RouteTables", self.store.read_route_tables, ROUTE_TABLE_FILTERS
        )

    def _CreateRoute(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["RouteTableId"], ("rtb",), "RouteTableId")
        destination = _destination(body["DestinationIpRange"])
        # Documented (CreateRoute): exactly one target. Guess: the codes, 400/7000 for
        # none (MissingParameter) and 400/4046 for several.
        targets = [field for field in _ROUTE_TARGETS if field in body]
        if not targets:
            raise ApiError(MISSING_PARAMETER, f"One target is required: {', '.join(_ROUTE_TARGETS)}.")
        if len(targets) > 1:
            raise ApiError(INVALID_PARAMETER_SET, f"Only one target is allowed, got {', '.join(targets)}.")
        field = targets[0]
        check_id(body[field], _ROUTE_TARGETS[field], field)
        view = self.store.create_route(caller, body["RouteTableId"], destination, (field, body[field]), dry_run)
        return {} if view is None else {"RouteTable": view}

    def _DeleteRoute(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["RouteTableId"], ("rtb",), "RouteTableId")
        view = self.store.delete_route(caller, body["RouteTableId"], _destination(body["DestinationIpRange"]), dry_run)
        return {} if view is None else {"RouteTable": view}

    def _CreateTags(self, caller: str, body: dict, dry_run: bool) -> dict:
        _check_tags(body["Tags"], body["ResourceIds"])
        self.store.create_tags(caller, body["ResourceIds"], body["Tags"], dry_run)
        return {}

    def _DeleteTags(self, caller: str, body: dict, dry_run: bool) -> dict:
        _check_tags(body["Tags"], body["ResourceIds"])
        self.store.delete_tags(caller, body["ResourceIds"], body["Tags"], dry_run)
        return {}

    def _CreateNet(self, caller: str, body: dict, dry_run: bool) -> dict:
        try:
            network = ipaddress.IPv4Network(body["IpRange"])
        except ValueError:
            raise ApiError(
                INVALID_PARAMETER_VALUE, f"IpRange: '{body['IpRange']}' is not an IPv4 CIDR block."
            ) from None
        if not 16 <= network.prefixlen <= 28:  # Outscale: a Net is between /16 and /28
            raise ApiError(INVALID_CIDR_SIZE, "IpRange: the prefix length must be between /16 and /28.")
        view = self.store.create_net(caller, str(network), body.get("Tenancy", "default"), dry_run)
        return {} if view is None else {"Net": view}

    def _DeleteNet(self, caller: str, body: dict, dry_run: bool) -> dict:
        check_id(body["NetId"], ("vpc",), "NetId")
        self.store.delete_net(caller, body["NetId"], dry_run)
        return {}

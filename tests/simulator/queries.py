"""Read filters and NextPageToken pagination."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import os
from typing import Callable

from .errors import INVALID_FILTER, INVALID_PARAMETER_VALUE, ApiError

DEFAULT_RESULTS_PER_PAGE = 100  # guess: the real default is undocumented; 100 keeps pages small
MAX_RESULTS_PER_PAGE = 1000  # spec: between 1 and 1000, both included


def _tags(view: dict) -> list[dict]:
    return view.get("Tags", [])


# Filter name -> the values of a view it compares with. Values inside one filter are
# ORed, filters are ANDed (facts sheet).
PEERING_FILTERS: dict[str, Callable[[dict], list]] = {
    "AccepterNetAccountIds": lambda v: [v["AccepterNet"]["AccountId"]],
    "AccepterNetIpRanges": lambda v: [v["AccepterNet"]["IpRange"]],
    "AccepterNetNetIds": lambda v: [v["AccepterNet"]["NetId"]],
    "ExpirationDates": lambda v: [v["ExpirationDate"]] if v["ExpirationDate"] else [],
    "NetPeeringIds": lambda v: [v["NetPeeringId"]],
    "SourceNetAccountIds": lambda v: [v["SourceNet"]["AccountId"]],
    "SourceNetIpRanges": lambda v: [v["SourceNet"]["IpRange"]],
    "SourceNetNetIds": lambda v: [v["SourceNet"]["NetId"]],
    "StateMessages": lambda v: [v["State"]["Message"]],
    "StateNames": lambda v: [v["State"]["Name"]],
    "TagKeys": lambda v: [t["Key"] for t in _tags(v)],
    "TagValues": lambda v: [t["Value"] for t in _tags(v)],
    "Tags": lambda v: [(t["Key"], t["Value"]) for t in _tags(v)],
}

NET_FILTERS: dict[str, Callable[[dict], list]] = {
    "DhcpOptionsSetIds": lambda v: [v["DhcpOptionsSetId"]],
    "IpRanges": lambda v: [v["IpRange"]],
    "IsDefault": lambda v: [False],  # the simulator has no default Net
    "NetIds": lambda v: [v["NetId"]],
    "States": lambda v: [v["State"]],
    "TagKeys": lambda v: [t["Key"] for t in _tags(v)],
    "TagValues": lambda v: [t["Value"] for t in _tags(v)],
    "Tags": lambda v: [(t["Key"], t["Value"]) for t in _tags(v)],
}


def _routes(view: dict, field: str) -> list:
    return [route[field] for route in view["Routes"] if field in route]


# Route filters match a table when any of its routes matches (each filter on its own, as
# AWS's route.* filters do; Outscale documents only the names).
ROUTE_TABLE_FILTERS: dict[str, Callable[[dict], list]] = {
    "LinkRouteTableIds": lambda v: [link["RouteTableId"] for link in v["LinkRouteTables"]],
    "LinkRouteTableLinkRouteTableIds": lambda v: [link["LinkRouteTableId"] for link in v["LinkRouteTables"]],
    "LinkRouteTableMain": lambda v: [any(link["Main"] for link in v["LinkRouteTables"])],
    "LinkSubnetIds": lambda v: [link["SubnetId"] for link in v["LinkRouteTables"] if "SubnetId" in link],
    "NetIds": lambda v: [v["NetId"]],
    "RouteCreationMethods": lambda v: _routes(v, "CreationMethod"),
    "RouteDestinationIpRanges": lambda v: _routes(v, "DestinationIpRange"),
    "RouteDestinationServiceIds": lambda v: _routes(v, "DestinationServiceId"),
    "RouteGatewayIds": lambda v: _routes(v, "GatewayId"),
    "RouteNatServiceIds": lambda v: _routes(v, "NatServiceId"),
    "RouteNetPeeringIds": lambda v: _routes(v, "NetPeeringId"),
    "RouteStates": lambda v: _routes(v, "State"),
    "RouteTableIds": lambda v: [v["RouteTableId"]],
    "RouteVmIds": lambda v: _routes(v, "VmId"),
    "TagKeys": lambda v: [t["Key"] for t in _tags(v)],
    "TagValues": lambda v: [t["Value"] for t in _tags(v)],
    "Tags": lambda v: [(t["Key"], t["Value"]) for t in _tags(v)],
}


def _instant(value: str) -> int:
    """Milliseconds since the epoch of an ISO 8601 date-time (the API's precision)."""
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return round(moment.timestamp() * 1000)


def _wanted(name: str, values) -> set:
    """Normalise one filter's values to what the extractor returns."""
    if not isinstance(values, list):  # IsDefault and LinkRouteTableMain are single booleans
        values = [values]
    if name == "Tags":
        pairs = set()
        for value in values:
            if "=" not in value:
                raise ApiError(INVALID_FILTER, f"Filters.Tags: {value!r} is not KEY=VALUE.")
            key, _sep, tag_value = value.partition("=")
            pairs.add((key, tag_value))
        return pairs
    if name == "ExpirationDates":
        try:
            return {_instant(value) for value in values}
        except ValueError:
            raise ApiError(INVALID_FILTER, "Filters.ExpirationDates: not an ISO 8601 date-time.") from None
    return set(values)


def compile_filters(filters: dict | None, extractors: dict[str, Callable[[dict], list]]) -> Callable[[dict], bool]:
    """A predicate over views. An empty list of values is ignored rather than matching nothing."""
    checks = []
    for name, values in (filters or {}).items():
        if values == []:
            continue
        wanted = _wanted(name, values)
        extract = extractors[name]
        if name == "ExpirationDates":
            checks.append(lambda view, w=wanted, x=extract: any(_instant(v) in w for v in x(view)))
        else:
            checks.append(lambda view, w=wanted, x=extract: any(v in w for v in x(view)))
    return lambda view: all(check(view) for check in checks)


class Paginator:
    """Keyset pagination over (seq, view) lists sorted by creation.

    A token is base64 of JSON {"after": <last seq served>, "mac": ...}. The MAC binds it
    to this simulator run (random key), the caller's account, the action and the filters,
    so a forged, foreign or re-targeted token is refused with 400. Keyset rather than
    offset: peerings created or purged between pages do not shift the next page.
    """

    def __init__(self) -> None:
        self._key = os.urandom(16)

    def _mac(self, scope: str, after: int) -> str:
        return hmac.new(self._key, f"{scope}|{after}".encode(), hashlib.sha256).hexdigest()[:32]

    def _decode(self, token: str, scope: str) -> int:
        try:
            data = json.loads(base64.b64decode(token, validate=True))
            after = data["after"]
            mac = data["mac"]
        except (binascii.Error, ValueError, TypeError, KeyError):
            raise ApiError(INVALID_PARAMETER_VALUE, "NextPageToken: invalid token.") from None
        if (
            not isinstance(after, int)
            or not isinstance(mac, str)
            or not hmac.compare_digest(mac, self._mac(scope, after))
        ):
            raise ApiError(INVALID_PARAMETER_VALUE, "NextPageToken: this token was not issued for this request.")
        return after

    def window(self, results_per_page: int | None, token: str | None, scope: str) -> tuple[int, int]:
        """(seq after which the page starts, page size), both checked."""
        if results_per_page is None:
            results_per_page = DEFAULT_RESULTS_PER_PAGE
        if not 1 <= results_per_page <= MAX_RESULTS_PER_PAGE:
            raise ApiError(INVALID_PARAMETER_VALUE, f"ResultsPerPage must be between 1 and {MAX_RESULTS_PER_PAGE}.")
        # An empty token is taken as "first page": several clients send "" on the first call.
        after = self._decode(token, scope) if token else 0
        return after, results_per_page

    def page(self, found: list[tuple[int, dict]], results_per_page: int, scope: str) -> tuple[list[dict], str | None]:
        """Views of one page and the next token (None on the last page).

        ``found`` holds the matches after the window's start, in order, at most one more
        than a page: that extra one only tells that another page exists.
        """
        chosen = found[:results_per_page]
        next_token = None
        if len(found) > results_per_page:
            last = chosen[-1][0]
            raw = json.dumps({"after": last, "mac": self._mac(scope, last)}).encode()
            next_token = base64.b64encode(raw).decode()
        return [view for _seq, view in chosen], next_token


def scope_of(account_id: str, action: str, filters: dict | None) -> str:
    """What a page token is bound to."""
    return f"{account_id}|{action}|{json.dumps(filters or {}, sort_keys=True)}"

# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The Net peering domain, shared by every peering module: the result shape,
filters, reading and checking what the API returns, matching the peerings of a
pair of Nets (both directions), and who may act on a peering. ID formats are in _ids.

Decisions live in _peering_plan (pure), writes in _peering_apply.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError, UnexpectedResponse
from ansible_collections.outscale.cloud.plugins.module_utils._tags import tags_to_dict

Peering = Dict[str, Any]

LIVE_STATES = ("pending-acceptance", "active")
TERMINAL_STATES = ("rejected", "failed", "expired", "deleted")

# Advice for refusals of the peering calls, by Outscale error Code (the executor adds
# advice that depends on the step; reads get these from read_peerings).
CODE_HINTS = {
    "4104": "An ID has the wrong prefix: Nets are vpc-xxxxxxxx, peerings pcx-xxxxxxxx.",
    "4199": "source_net_id and accepter_net_id are the same Net; peer two different Nets.",
    "5035": "No such Net peering is visible to these credentials; check net_peering_id and the account.",
    "5065": "No such Net is visible; check the Net ID, the region, and accepter_owner_id for another account's Net.",
    "9029": "Peerings that are rejected, failed or expired cannot be deleted; they disappear on their own.",
    "10035": "The account has reached its Net peering quota; delete unused peerings or ask Outscale support.",
}

# snake_case filter keys of the modules -> FiltersNetPeering fields of the API
# (accepter_net_account_ids -> AccepterNetAccountIds).
FILTER_KEYS = {
    key: "".join(part.capitalize() for part in key.split("_"))
    for key in (
        "accepter_net_account_ids",
        "accepter_net_ip_ranges",
        "accepter_net_net_ids",
        "expiration_dates",
        "net_peering_ids",
        "source_net_account_ids",
        "source_net_ip_ranges",
        "source_net_net_ids",
        "state_messages",
        "state_names",
        "tag_keys",
        "tag_values",
        "tags",
    )
}


def _object(value: Any) -> Dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (normalize_peering never raises on odd data)."""
    return value if isinstance(value, dict) else {}


def _net(net: Any) -> Dict[str, Any]:
    net = _object(net)
    return {"account_id": net.get("AccountId"), "ip_range": net.get("IpRange"), "net_id": net.get("NetId")}


def normalize_peering(peering: Any) -> Dict[str, Any]:
    """The API's NetPeering -> the snake_case dict both modules return."""
    peering = _object(peering)
    state = _object(peering.get("State"))
    return {
        "net_peering_id": peering.get("NetPeeringId"),
        "state": {"name": state.get("Name"), "message": state.get("Message")},
        "source_net": _net(peering.get("SourceNet")),
        "accepter_net": _net(peering.get("AccepterNet")),
        "expiration_date": peering.get("ExpirationDate"),
        "tags": tags_to_dict(peering.get("Tags") if isinstance(peering.get("Tags"), list) else None),
    }


def build_filters(filters: Optional[Dict[str, Any]]) -> Dict[str, List[str]]:
    """Module ``filters`` (snake_case) -> FiltersNetPeering.

    Scalars become one-item lists; ``tags`` also takes a dict, turned into
    "KEY=VALUE" strings. Raises OscError naming an unknown key.
    """
    api_filters = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise OscError(f"filters: unknown key '{key}'. Valid keys: {', '.join(sorted(FILTER_KEYS))}.")
        if key == "tags" and isinstance(value, dict):
            value = [
                f"{tag_key}={'' if tag_value is None else tag_value}" for tag_key, tag_value in sorted(value.items())
            ]
        elif not isinstance(value, list):
            value = [value]
        api_filters[FILTER_KEYS[key]] = [str(item) for item in value]
    return api_filters


def _describe(value: Any) -> str:
    """A JSON value's kind, for a message: null, a string 'x', a number, a list, an object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        shown = value[:40] + ("..." if len(value) > 40 else "")
        return f"the string {shown!r}"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _is_text(value: Any, optional: bool = False) -> bool:
    return isinstance(value, str) or (optional and value is None)


def peering_problem(peering: Any, where: str) -> Optional[str]:
    """What makes an API NetPeering unusable (a phrase naming the field), or None.

    Only the fields the module reads are checked. AccountId, IpRange, State.Message and
    ExpirationDate may be null; Tags may be missing or null (no tags), a tag Value null.
    """
    if not isinstance(peering, dict):
        return f"{where} is {_describe(peering)}, not an object"
    if not isinstance(peering.get("NetPeeringId"), str) or not peering.get("NetPeeringId"):
        return f"{where}.NetPeeringId is {_describe(peering.get('NetPeeringId'))}, not a peering ID"
    state = peering.get("State")
    if not isinstance(state, dict):
        return f"{where}.State is {_describe(state)}, not an object"
    if not _is_text(state.get("Name")):
        return f"{where}.State.Name is {_describe(state.get('Name'))}, not a state name"
    if not _is_text(state.get("Message"), optional=True):
        return f"{where}.State.Message is {_describe(state.get('Message'))}, not a string"
    for side in ("SourceNet", "AccepterNet"):
        net = peering.get(side)
        if not isinstance(net, dict):
            return f"{where}.{side} is {_describe(net)}, not an object"
        if not _is_text(net.get("NetId")):
            return f"{where}.{side}.NetId is {_describe(net.get('NetId'))}, not a Net ID"
        for key in ("AccountId", "IpRange"):
            if not _is_text(net.get(key), optional=True):
                return f"{where}.{side}.{key} is {_describe(net.get(key))}, not a string"
    if not _is_text(peering.get("ExpirationDate"), optional=True):
        return f"{where}.ExpirationDate is {_describe(peering.get('ExpirationDate'))}, not a date"
    tags = peering.get("Tags")
    if tags is not None and not isinstance(tags, list):
        return f"{where}.Tags is {_describe(tags)}, not a list"
    for index, tag in enumerate(tags or []):
        if not isinstance(tag, dict):
            return f"{where}.Tags[{index}] is {_describe(tag)}, not an object"
        if not _is_text(tag.get("Key")):
            return f"{where}.Tags[{index}].Key is {_describe(tag.get('Key'))}, not a string"
        if not _is_text(tag.get("Value"), optional=True):
            return f"{where}.Tags[{index}].Value is {_describe(tag.get('Value'))}, not a string"
    return None


def checked_peering(peering: Any, action: str, where: str = "NetPeering", response: Any = None) -> Peering:
    """The API NetPeering once its shape is checked, tidied for the rest of the module: Tags always
    a list, a null tag Value the empty string. Raises UnexpectedResponse naming the action and the field."""
    problem = peering_problem(peering, where)
    if problem:
        raise UnexpectedResponse(action, problem, response)
    tidy = dict(peering)
    tidy["Tags"] = [
        {"Key": tag["Key"], "Value": "" if tag.get("Value") is None else tag["Value"]}
        for tag in peering.get("Tags") or []
    ]
    return tidy


def code_hint(error: OscError) -> Optional[str]:
    """The advice for an API error's Code, if there is one (errors without a Code get None)."""
    code = getattr(error, "code", None)
    return CODE_HINTS.get(str(code)) if code is not None else None


def read_peerings(client: Any, filters: Dict[str, Any]) -> List[Peering]:
    """Every NetPeering that matches, all pages, each checked with checked_peering.

    The client follows the pages; each page's NetPeerings is checked here, so
    that data of the wrong shape is reported as such, never iterated.
    """
    action = "ReadNetPeerings"
    found = []
    try:
        for page in client.pages(action, {"Filters": filters}):
            items = page.get("NetPeerings")
            # A missing or null list is read as "none".
            if items is not None and not isinstance(items, list):
                raise UnexpectedResponse(action, f"NetPeerings is {_describe(items)}, not a list", page)
            for item in items or []:
                found.append(checked_peering(item, action, f"NetPeerings[{len(found)}]", page))
    except OscError as exc:
        raise exc.with_hint(code_hint(exc))
    return found


def state_name(peering: Optional[Peering]) -> Optional[str]:
    """The State.Name of an API NetPeering (None for no peering)."""
    return ((peering or {}).get("State") or {}).get("Name")


def state_message(peering: Optional[Peering]) -> Optional[str]:
    return ((peering or {}).get("State") or {}).get("Message")


def is_live(peering: Optional[Peering]) -> bool:
    return state_name(peering) in LIVE_STATES


def net_ids(peering: Peering) -> Tuple[Optional[str], Optional[str]]:
    """(source Net ID, accepter Net ID) of an API NetPeering."""
    return (((peering.get("SourceNet") or {}).get("NetId")), ((peering.get("AccepterNet") or {}).get("NetId")))


def account_ids(peering: Peering) -> Tuple[Optional[str], Optional[str]]:
    """(source account, accepter account) of an API NetPeering."""
    return (((peering.get("SourceNet") or {}).get("AccountId")), ((peering.get("AccepterNet") or {}).get("AccountId")))


def connects(peering: Peering, net_a: Optional[str], net_b: Optional[str]) -> bool:
    """Whether the peering links these two Nets, in either direction."""
    return set(net_ids(peering)) == {net_a, net_b}


def pair_filters(source_net_id: str, accepter_net_id: str) -> Dict[str, List[str]]:
    """ReadNetPeerings filters that catch every peering of the pair, in both directions, with one call.

    Filter fields are ANDed and the values inside one field ORed, so this also
    matches a Net peered with itself (refused by the API anyway); select_pair
    keeps only the peerings that really link the two Nets. No StateNames filter:
    the terminal peerings of the pair (still visible for about an hour) tell an
    ambiguous create's result apart from older ones, and let state=rejected
    report the peering it rejected.
    """
    nets = sorted((source_net_id, accepter_net_id))
    return {"SourceNetNetIds": list(nets), "AccepterNetNetIds": list(nets)}


def pair_live(
    peerings: Iterable[Peering], source_net_id: str, accepter_net_id: str
) -> Tuple[List[Peering], List[Peering]]:
    """The peerings linking the two Nets, split into (live, ended), in the order read."""
    mine = [p for p in peerings or [] if connects(p, source_net_id, accepter_net_id)]
    return [p for p in mine if is_live(p)], [p for p in mine if not is_live(p)]


def is_requested_direction(peering: Peering, source_net_id: str) -> bool:
    return net_ids(peering)[0] == source_net_id


def select_id(peerings: Iterable[Peering], net_peering_id: str) -> Optional[Peering]:
    """The peering with this ID, or None (the filter is checked again, never trusted blindly)."""
    found = [p for p in peerings or [] if p.get("NetPeeringId") == net_peering_id]
    return found[0] if found else None


def new_peering(
    peerings: Iterable[Peering], source_net_id: str, accepter_net_id: str, known_ids: Iterable[str]
) -> Optional[Peering]:
    """After an ambiguous create: the peering of the pair, in the requested direction, that did not exist before."""
    known = set(known_ids)
    fresh = [
        p
        for p in peerings or []
        if connects(p, source_net_id, accepter_net_id)
        and is_requested_direction(p, source_net_id)
        and p.get("NetPeeringId") not in known
    ]
    live = [p for p in fresh if is_live(p)]
    candidates = live or fresh
    if len(candidates) > 1:
        ids = ", ".join(p.get("NetPeeringId") or "?" for p in candidates)
        raise OscError(
            "CreateNetPeering's outcome was unknown, "
            f"and several new peerings of {source_net_id} and {accepter_net_id} appeared meanwhile: {ids}. "
            "Another task may be creating them; check them with net_peering_info and keep one.",
            changed=True,
        )
    return candidates[0] if candidates else None


def read_by_id(client: Any, net_peering_id: str) -> Optional[Peering]:
    """The API NetPeering with this ID, or None. One ReadNetPeerings call."""
    return select_id(read_peerings(client, {"NetPeeringIds": [net_peering_id]}), net_peering_id)


def read_pair(client: Any, source_net_id: str, accepter_net_id: str) -> List[Peering]:
    """Every peering linking the two Nets, any state, either direction. One ReadNetPeerings call."""
    peerings = read_peerings(client, pair_filters(source_net_id, accepter_net_id))
    return [p for p in peerings if connects(p, source_net_id, accepter_net_id)]


def caller_account(
    peering: Optional[Peering],
    source_net_id: Optional[str] = None,
    accepter_net_id: Optional[str] = None,
    accepter_owner_id: Optional[str] = None,
) -> Optional[str]:
    """The caller's account ID as far as the peering and the task tell it, or None if unknown.

    The API never says who the caller is, and asking (ReadAccounts) would cost a
    call on every run. What we know instead:
      - both Nets in one account: the caller can read the peering, so it is that account;
      - with accepter_owner_id, the task declares its account the requester: the
        account of its source Net (the accepter Net being the other account's),
        whatever the direction of the peering.
    Without accepter_owner_id on a peering between two accounts, the caller could
    be either side (the requester naming the pair without accepter_owner_id, or the
    accepter's own playbook): None, and the callers try the API and explain a refusal.
    """
    if not peering:
        return None
    source_account, accepter_account = account_ids(peering)
    if source_account and source_account == accepter_account:
        return source_account
    if not (source_net_id and accepter_net_id and accepter_owner_id):
        return None
    for side in ("SourceNet", "AccepterNet"):
        net = peering.get(side) or {}
        if net.get("NetId") == source_net_id:
            return net.get("AccountId")
    return None


def pair_account(peerings: Iterable[Peering]) -> Optional[str]:
    """The account owning both Nets of a pair, if a peering of the pair (any state) shows it, else None.

    A Net never changes account, and only the two accounts of a peering can read
    it: a same-account peering of the pair means the caller is that account.
    """
    for peering in peerings or []:
        source_account, accepter_account = account_ids(peering)
        if source_account and source_account == accepter_account:
            return source_account
    return None


def with_state(peering: Peering, name: str, message: Optional[str] = None) -> Peering:
    """A copy of the peering in another state (a prediction, or the result of a write that returns no peering).

    ExpirationDate is kept: the platform keeps it once a peering is accepted.
    """
    peering = dict(peering)
    peering["State"] = {"Name": name, "Message": message}
    return peering


def to_be_created(
    source_net_id: str, accepter_net_id: str, accepter_owner_id: Optional[str], source_account: Optional[str] = None
) -> Peering:
    """The peering a CreateNetPeering would make, as far as the task knows it (no ID yet)."""
    return {
        "NetPeeringId": None,
        "State": {"Name": "pending-acceptance", "Message": None},
        "SourceNet": {"AccountId": source_account, "IpRange": None, "NetId": source_net_id},
        "AccepterNet": {"AccountId": accepter_owner_id or source_account, "IpRange": None, "NetId": accepter_net_id},
        "ExpirationDate": None,
        "Tags": [],
    }


def diff_view(peering: Optional[Peering]) -> Dict[str, Any]:
    """What diff mode shows of a peering: its ID, state, Nets, accounts and tags."""
    if not peering:
        return {}
    (source_net, accepter_net), (source_account, accepter_account) = net_ids(peering), account_ids(peering)
    return {
        "net_peering_id": peering.get("NetPeeringId"),
        "state": state_name(peering),
        "source_net_id": source_net,
        "source_account_id": source_account,
        "accepter_net_id": accepter_net,
        "accepter_account_id": accepter_account,
        "tags": tags_to_dict(peering.get("Tags")),
    }


def normalize_account_id(value: Any) -> Tuple[Optional[str], Optional[str]]:
    """An account ID as the API writes it (12 digits), and a warning when it had to be padded.

    YAML reads an unquoted 012345678901 as the integer 12345678901 (the leading
    zero lost); the platform zero-pads such IDs (terraform-provider-outscale #566),
    so the module does the same and says so.
    """
    if value is None:
        return None, None
    text = str(value).strip()
    # One or two lost zeros; anything shorter is no account ID and is left for validation to refuse.
    if text.isdigit() and 10 <= len(text) < 12:
        padded = text.zfill(12)
        return padded, (
            f"accepter_owner_id {text} has fewer than 12 digits: it was read as {padded}, the platform's reading. "
            "An unquoted YAML number loses its leading zeros, "
            "and one written with a leading 0 and only digits 0 to 7 is even read as octal, "
            "which changes the digits: quote account IDs in YAML."
        )
    return text, None

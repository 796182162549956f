# -*- coding: utf-8 -*-
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Net peering domain, shared by net_peering and net_peering_info:
the result shape, filters, and ID formats; and for net_peering, finding the
peering of a pair, deciding what each state needs, waiting, and the tag diff."""

from __future__ import annotations

import re

from ansible_collections.outscale.cloud.plugins.module_utils.credentials import CredentialsError, resolve_settings

LIVE_STATES = ("pending-acceptance", "active")
TERMINAL_STATES = ("rejected", "failed", "expired", "deleted")

NET_ID_PATTERN = re.compile(r"^vpc-[0-9a-f]{8}$")
PEERING_ID_PATTERN = re.compile(r"^pcx-[0-9a-f]{8}$")
ACCOUNT_ID_PATTERN = re.compile(r"^[0-9]{12}$")

# snake_case filter keys of the modules -> FiltersNetPeering fields of the API.
FILTER_KEYS = {
    "accepter_net_account_ids": "AccepterNetAccountIds",
    "accepter_net_ip_ranges": "AccepterNetIpRanges",
    "accepter_net_net_ids": "AccepterNetNetIds",
    "expiration_dates": "ExpirationDates",
    "net_peering_ids": "NetPeeringIds",
    "source_net_account_ids": "SourceNetAccountIds",
    "source_net_ip_ranges": "SourceNetIpRanges",
    "source_net_net_ids": "SourceNetNetIds",
    "state_messages": "StateMessages",
    "state_names": "StateNames",
    "tag_keys": "TagKeys",
    "tag_values": "TagValues",
    "tags": "Tags",
}


def tags_to_dict(tags):
    """API tag list [{Key, Value}] -> {key: value}; a null Value is the empty string (tags {k: ""} stay idempotent)."""
    return dict((tag.get("Key"), "" if tag.get("Value") is None else tag.get("Value"))
                for tag in tags or [] if isinstance(tag, dict))


def tags_to_list(tags):
    """{key: value} -> API tag list, in a stable order."""
    return [{"Key": key, "Value": "" if value is None else str(value)} for key, value in sorted((tags or {}).items())]


def _object(value):
    """``value`` if it is a JSON object, else an empty one (normalize_peering never raises on odd data)."""
    return value if isinstance(value, dict) else {}


def _net(net):
    net = _object(net)
    return {"account_id": net.get("AccountId"), "ip_range": net.get("IpRange"), "net_id": net.get("NetId")}


def normalize_peering(peering):
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


def build_filters(filters):
    """Module ``filters`` (snake_case) -> FiltersNetPeering.

    Returns (api_filters, error message or None). Scalars become one-item
    lists; ``tags`` also takes a dict, turned into "KEY=VALUE" strings.
    """
    api_filters = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            return None, "filters: unknown key '%s'. Valid keys: %s." % (key, ", ".join(sorted(FILTER_KEYS)))
        if key == "tags" and isinstance(value, dict):
            value = ["%s=%s" % (tag_key, "" if tag_value is None else tag_value) for tag_key, tag_value in sorted(value.items())]
        elif not isinstance(value, list):
            value = [value]
        api_filters[FILTER_KEYS[key]] = [str(item) for item in value]
    return api_filters, None


# ---------------------------------------------------------------------------
# The net_peering module's domain logic: find, decide, wait, tag diff.
# Functions that talk to the API take the client as their first argument; the
# rest are pure, so the decisions can be unit-tested without any I/O.
# ---------------------------------------------------------------------------

# Seconds between two polls while waiting: grows from 1 s to 5 s, then stays at
# 5 s. A module-level tuple so tests can replace it with zeros.
POLL_INTERVALS = (1, 2, 3, 4, 5)
# While waiting for "active", these states mean it will never come.
WAIT_FAIL_STATES = ("rejected", "failed", "expired", "deleted")

TAG_KEY_MAX = 255
TAG_VALUE_MAX = 255


class PeeringError(Exception):
    """A failure the module reports as is (the message says what to do)."""

    def __init__(self, message, peering=None):
        super(PeeringError, self).__init__(message)
        self.peering = peering


class UnexpectedResponse(PeeringError):
    """An API answer whose shape the module cannot use (checked where the data comes in, never a traceback)."""

    def __init__(self, action, problem, response=None):
        context = response.get("ResponseContext") if isinstance(response, dict) else None
        request_id = context.get("RequestId") if isinstance(context, dict) else None
        message = ("The API returned an unexpected %s response: %s. The task cannot rely on it; run the task again, and if "
                   "this persists, report it to Outscale support%s." % (action, problem, " (RequestId %s)" % request_id if request_id else ""))
        super(UnexpectedResponse, self).__init__(message)
        self.action = action
        self.problem = problem


def _describe(value):
    """A JSON value's kind, for a message: null, a string 'x', a number, a list, an object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "the string %r" % (value[:40] + ("..." if len(value) > 40 else ""))
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _is_text(value, optional=False):
    return isinstance(value, str) or (optional and value is None)


def peering_problem(peering, where):
    """What makes an API NetPeering unusable (a phrase naming the field), or None.

    Only the fields the module reads are checked. AccountId, IpRange, State.Message and
    ExpirationDate may be null; Tags may be missing or null (no tags), a tag Value null.
    """
    if not isinstance(peering, dict):
        return "%s is %s, not an object" % (where, _describe(peering))
    if not isinstance(peering.get("NetPeeringId"), str) or not peering.get("NetPeeringId"):
        return "%s.NetPeeringId is %s, not a peering ID" % (where, _describe(peering.get("NetPeeringId")))
    state = peering.get("State")
    if not isinstance(state, dict):
        return "%s.State is %s, not an object" % (where, _describe(state))
    if not _is_text(state.get("Name")):
        return "%s.State.Name is %s, not a state name" % (where, _describe(state.get("Name")))
    if not _is_text(state.get("Message"), optional=True):
        return "%s.State.Message is %s, not a string" % (where, _describe(state.get("Message")))
    for side in ("SourceNet", "AccepterNet"):
        net = peering.get(side)
        if not isinstance(net, dict):
            return "%s.%s is %s, not an object" % (where, side, _describe(net))
        if not _is_text(net.get("NetId")):
            return "%s.%s.NetId is %s, not a Net ID" % (where, side, _describe(net.get("NetId")))
        for key in ("AccountId", "IpRange"):
            if not _is_text(net.get(key), optional=True):
                return "%s.%s.%s is %s, not a string" % (where, side, key, _describe(net.get(key)))
    if not _is_text(peering.get("ExpirationDate"), optional=True):
        return "%s.ExpirationDate is %s, not a date" % (where, _describe(peering.get("ExpirationDate")))
    tags = peering.get("Tags")
    if tags is not None and not isinstance(tags, list):
        return "%s.Tags is %s, not a list" % (where, _describe(tags))
    for index, tag in enumerate(tags or []):
        if not isinstance(tag, dict):
            return "%s.Tags[%d] is %s, not an object" % (where, index, _describe(tag))
        if not _is_text(tag.get("Key")):
            return "%s.Tags[%d].Key is %s, not a string" % (where, index, _describe(tag.get("Key")))
        if not _is_text(tag.get("Value"), optional=True):
            return "%s.Tags[%d].Value is %s, not a string" % (where, index, _describe(tag.get("Value")))
    return None


def checked_peering(peering, action, where="NetPeering", response=None):
    """The API NetPeering once its shape is checked, tidied for the rest of the module: Tags always
    a list, a null tag Value the empty string. Raises UnexpectedResponse naming the action and the field."""
    problem = peering_problem(peering, where)
    if problem:
        raise UnexpectedResponse(action, problem, response)
    tidy = dict(peering)
    tidy["Tags"] = [{"Key": tag["Key"], "Value": "" if tag.get("Value") is None else tag["Value"]}
                    for tag in peering.get("Tags") or []]
    return tidy


def read_peerings(client, filters):
    """Every NetPeering that matches, all pages, each checked with checked_peering.

    The client follows the pages; each page's NetPeerings is checked here, so
    that data of the wrong shape is reported as such, never iterated.
    """
    action = "ReadNetPeerings"
    found = []
    for page in client.pages(action, {"Filters": filters}):
        items = page.get("NetPeerings")
        # A missing or null list is read as "none".
        if items is not None and not isinstance(items, list):
            raise UnexpectedResponse(action, "NetPeerings is %s, not a list" % _describe(items), page)
        for item in items or []:
            found.append(checked_peering(item, action, "NetPeerings[%d]" % len(found), page))
    return found


def state_name(peering):
    """The State.Name of an API NetPeering (None for no peering)."""
    return ((peering or {}).get("State") or {}).get("Name")


def state_message(peering):
    return ((peering or {}).get("State") or {}).get("Message")


def is_live(peering):
    return state_name(peering) in LIVE_STATES


def net_ids(peering):
    """(source Net ID, accepter Net ID) of an API NetPeering."""
    return (((peering.get("SourceNet") or {}).get("NetId")), ((peering.get("AccepterNet") or {}).get("NetId")))


def account_ids(peering):
    """(source account, accepter account) of an API NetPeering."""
    return (((peering.get("SourceNet") or {}).get("AccountId")), ((peering.get("AccepterNet") or {}).get("AccountId")))


def connects(peering, net_a, net_b):
    """Whether the peering links these two Nets, in either direction."""
    return set(net_ids(peering)) == set((net_a, net_b))


def pair_filters(source_net_id, accepter_net_id):
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


def select_pair(peerings, source_net_id, accepter_net_id):
    """Split the peerings of the pair into (the live one or None, the terminal ones).

    More than one live peering between the same two Nets should not happen (the
    API allows one at a time); if it does, taking any of them could be the wrong
    one, so it fails and lists them.
    """
    mine = [p for p in peerings or [] if connects(p, source_net_id, accepter_net_id)]
    live = [p for p in mine if is_live(p)]
    terminal = [p for p in mine if not is_live(p)]
    if len(live) > 1:
        raise PeeringError(
            "More than one live Net peering links %s and %s: %s. Keep one (delete or reject the others, for example with "
            "net_peering_id and state=absent or state=rejected), then run the task again."
            % (source_net_id, accepter_net_id, ", ".join("%s (%s)" % (p.get("NetPeeringId"), state_name(p)) for p in live)))
    return (live[0] if live else None), terminal


def select_id(peerings, net_peering_id):
    """The peering with this ID, or None (the filter is checked again, never trusted blindly)."""
    found = [p for p in peerings or [] if p.get("NetPeeringId") == net_peering_id]
    return found[0] if found else None


def new_peering(peerings, source_net_id, accepter_net_id, known_ids):
    """After an ambiguous create: the peering of the pair that did not exist before, or None."""
    fresh = [p for p in peerings or [] if connects(p, source_net_id, accepter_net_id) and p.get("NetPeeringId") not in known_ids]
    live = [p for p in fresh if is_live(p)]
    candidates = live or fresh
    if len(candidates) > 1:
        raise PeeringError(
            "CreateNetPeering's outcome was unknown, and several new peerings of %s and %s appeared meanwhile: %s. "
            "Another task may be creating them; check them with net_peering_info and keep one."
            % (source_net_id, accepter_net_id, ", ".join(p.get("NetPeeringId") or "?" for p in candidates)))
    return candidates[0] if candidates else None


def read_by_id(client, net_peering_id):
    """The API NetPeering with this ID, or None. One ReadNetPeerings call."""
    return select_id(read_peerings(client, {"NetPeeringIds": [net_peering_id]}), net_peering_id)


def read_pair(client, source_net_id, accepter_net_id):
    """Every peering linking the two Nets, any state, either direction. One ReadNetPeerings call."""
    peerings = read_peerings(client, pair_filters(source_net_id, accepter_net_id))
    return [p for p in peerings if connects(p, source_net_id, accepter_net_id)]


def tag_diff(current, desired, purge):
    """What CreateTags and DeleteTags must do to turn ``current`` into ``desired``.

    Returns (to_create, to_delete), both {key: value}. ``desired`` None means
    tags are not managed. A changed value is simply re-created (CreateTags
    overwrites); to_delete carries the current values because DeleteTags with a
    value only deletes a tag whose value matches.
    """
    current = current or {}
    if desired is None:
        return {}, {}
    desired = dict((key, "" if value is None else str(value)) for key, value in desired.items())
    to_create = dict((key, value) for key, value in desired.items() if current.get(key) != value)
    to_delete = {}
    if purge:
        to_delete = dict((key, value) for key, value in current.items() if key not in desired)
    return to_create, to_delete


def validate_tags(tags):
    """An error message for tags the API would refuse, or None."""
    for key, value in (tags or {}).items():
        if not isinstance(key, str) or not 1 <= len(key) <= TAG_KEY_MAX:
            return "tags: key %r must be 1 to %d characters long." % (key, TAG_KEY_MAX)
        if isinstance(value, (dict, list)):
            return ("tags: the value of '%s' is a %s; a tag value is a string. Quote it, or turn it into one "
                    "(for example with the to_json filter)." % (key, "dict" if isinstance(value, dict) else "list"))
        if value is not None and len(str(value)) > TAG_VALUE_MAX:
            return "tags: the value of '%s' is longer than %d characters; shorten it." % (key, TAG_VALUE_MAX)
    return None


def caller_account(peering, source_net_id=None, accepter_net_id=None, accepter_owner_id=None):
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


def pair_account(peerings):
    """The account owning both Nets of a pair, if a peering of the pair (any state) shows it, else None.

    A Net never changes account, and only the two accounts of a peering can read
    it: a same-account peering of the pair means the caller is that account.
    """
    for peering in peerings or []:
        source_account, accepter_account = account_ids(peering)
        if source_account and source_account == accepter_account:
            return source_account
    return None


def decide(state, peering, by_pair):
    """What to do for ``state`` given the peering found (an API dict, or None).

    Returns one of: "keep", "create", "create_accept", "accept", "reject",
    "delete", "not_found", or "fail:<reason>" for a state that cannot reach the
    target. Pure: the module turns it into calls and messages.
    """
    name = state_name(peering)
    if state == "present":
        if name in LIVE_STATES:
            return "keep"
        if peering is None:
            return "create" if by_pair else "not_found"
        return "fail:terminal"
    if state == "accepted":
        if name == "active":
            return "keep"
        if name == "pending-acceptance":
            return "accept"
        if peering is None:
            return "create_accept" if by_pair else "not_found"
        return "fail:terminal"
    if state == "rejected":
        if name == "pending-acceptance":
            return "reject"
        if name == "active":
            return "fail:active"
        # Already rejected, or failed/expired/deleted/nothing: no pending request is left to turn down.
        return "keep"
    # absent
    if name in LIVE_STATES:
        return "delete"
    return "keep"


def merge_response(known, response):
    """The peering after a write that returned one, keeping the tags we know.

    The accepter account's view (after AcceptNetPeering with accepter_credentials)
    may not carry the requester's tags, and tags do not change on accept.
    """
    merged = dict(known or {})
    merged.update(response or {})
    if known and "Tags" in known:
        merged["Tags"] = known["Tags"]
    return merged


def wait_for_state(client, net_peering_id, target, timeout, sleep, clock, intervals=None):
    """Poll ReadNetPeerings by ID until the peering reaches ``target``.

    Returns the peering. Raises PeeringError on a state that can never reach
    the target (rejected, failed, expired, deleted), when the peering vanishes,
    or at ``timeout`` seconds, with the last peering seen.
    """
    intervals = POLL_INTERVALS if intervals is None else intervals
    started = clock()
    polls = 0
    last = None
    while True:
        delay = intervals[min(polls, len(intervals) - 1)] if intervals else 0
        remaining = timeout - (clock() - started)
        if remaining <= 0:
            raise PeeringError(
                "Timed out after %d s waiting for %s to become %s; it is still %s (%s). It may still get there: run the task "
                "again to wait more, or raise wait_timeout." % (timeout, net_peering_id, target, state_name(last) or "unknown",
                                                                state_message(last) or "no message"),
                last)
        sleep(min(delay, remaining))
        polls += 1
        peering = read_by_id(client, net_peering_id)
        if peering is None:
            raise PeeringError("%s disappeared while waiting for it to become %s." % (net_peering_id, target), last)
        last = peering
        name = state_name(peering)
        if name == target:
            return peering
        if name in WAIT_FAIL_STATES:
            raise PeeringError("%s became %s (%s) while waiting for %s; it will not become %s."
                               % (net_peering_id, name, state_message(peering) or "no message", target, target), peering)


ACCEPTER_CREDENTIAL_OPTIONS = ("access_key", "secret_key", "profile", "config_file", "region", "endpoint", "validate_certs",
                               "ca_bundle", "x509_client_cert", "x509_client_key")


def accepter_settings(main, options):
    """ConnectionSettings for the accepter account, from ``accepter_credentials``.

    They are the other account's, so the OSC_* environment (the caller's) never
    applies: keys come from the suboptions or from a profile. What the suboptions
    and the profile leave unset is taken from the main connection: region and
    endpoint (a peering links Nets of one region), TLS verification, timeouts and
    retries. A client certificate authenticates one account, so it is never
    inherited. Raises CredentialsError with a message saying what to set.
    """
    options = dict((key, value) for key, value in (options or {}).items() if value is not None and value != "")
    has_pair = "access_key" in options or "secret_key" in options
    if not has_pair and "profile" not in options:
        raise CredentialsError("set access_key and secret_key, or profile (with config_file if it is not ~/.osc/config.json), "
                               "for the accepter account. The OSC_* environment variables are never used for it.")
    for name in ("request_timeout", "max_retries", "retry_max_time"):
        options[name] = getattr(main, name)
    settings = resolve_settings(options, environ={})
    if settings.sources.get("region") == "default":
        settings.region = main.region
        settings.sources["region"] = "inherited from the main connection"
    if settings.sources.get("endpoint") == "default" and settings.region == main.region:
        settings.endpoint = main.endpoint
        settings.sources["endpoint"] = "inherited from the main connection"
    if settings.sources.get("validate_certs") == "default":
        settings.validate_certs = main.validate_certs
    if not settings.ca_bundle:
        settings.ca_bundle = main.ca_bundle
    return settings

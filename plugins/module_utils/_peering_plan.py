# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""What to do for one wanted peering, given what was read: a pure function.

``plan(wanted, observed, actors)`` returns the ordered steps (create, accept,
reject, delete, delete tags, create tags), each with its reason and who must
act, plus the peering as it is and as it will be; or a refusal with its
message. No I/O: check mode stops here, diff mode renders ``before``/``after``,
and ``_peering_apply`` carries the steps out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    Peering,
    account_ids,
    caller_account,
    is_live,
    is_requested_direction,
    net_ids,
    pair_account,
    pair_live,
    select_id,
    state_name,
    to_be_created,
    with_state,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_keep import kept_of  # noqa: F401  (re-exported)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan_checks import (  # noqa: F401  (re-exported)
    _check_accepter_owner,
    _check_live,
    _describe_live,
    _Refusal,
    _refusal_for_ended,
    links_two_accounts,
    missing_credentials,
    pending_delete_advice,
    purge_kept_warning,
)
from ansible_collections.outscale.cloud.plugins.module_utils._tags import (
    apply_tag_diff,
    tag_diff,
    tags_to_dict,
    tags_to_list,
    tags_to_remove,
)

TASK = "task"  # the task's own credentials
ACCEPTER = "accepter"  # net_peering's accepter_credentials, for whichever account must accept

CREATE, ACCEPT, REJECT, DELETE = "create", "accept", "reject", "delete"
DELETE_TAGS, CREATE_TAGS = "delete_tags", "create_tags"
CHECK_ACCEPTER = "check_accepter"  # a read that proves accepter credentials are the accepter's, before a create


@dataclass
class Wanted:
    """One peering as the task wants it: by ID, or by its two Nets (either direction)."""

    state: str
    net_peering_id: Optional[str] = None
    source_net_id: Optional[str] = None
    accepter_net_id: Optional[str] = None
    accepter_owner_id: Optional[str] = None
    tags: Optional[Dict[str, Any]] = None
    purge_tags: bool = True
    remove_tags: Tuple[str, ...] = ()  # keys to delete whatever the peering's accounts (purge_tags spares some)

    @property
    def by_pair(self) -> bool:
        return bool(self.source_net_id)


class Actors:
    """Who the task can act as, besides its own credentials.

    ``accounts``: account IDs it holds credentials for (net_peerings' accepter_credentials).
    ``any_accepter``: credentials for whichever account must accept (net_peering's accepter_credentials).
    ``region``: for messages.
    """

    def __init__(
        self, accounts: FrozenSet[str] = frozenset(), any_accepter: bool = False, region: Optional[str] = None
    ) -> None:
        self.accounts = frozenset(accounts)
        self.any_accepter = any_accepter
        self.region = region

    def accepter_for(self, account: Optional[str]) -> Optional[str]:
        """The actor holding the credentials of ``account`` (None if the task has none)."""
        if account is not None and account in self.accounts:
            return account
        if self.any_accepter:
            return ACCEPTER
        return None


@dataclass
class Step:
    """One write (or the accepter check): ``peering_id`` None means the peering created by an earlier step."""

    kind: str
    actor: str
    reason: str
    peering_id: Optional[str] = None
    tags: Dict[str, str] = field(default_factory=dict)
    net_id: Optional[str] = None
    account: Optional[str] = None
    best_effort: bool = False
    route_table_id: Optional[str] = None  # route steps (_route_plan): the table and destination
    destination_ip_range: Optional[str] = None

    def as_dict(self) -> Dict[str, Any]:
        out = {"step": self.kind, "actor": self.actor, "net_peering_id": self.peering_id, "reason": self.reason}
        if self.tags:
            out["tags"] = dict(self.tags)
        if self.route_table_id:
            out.update(
                net_id=self.net_id, route_table_id=self.route_table_id, destination_ip_range=self.destination_ip_range
            )
        return out


@dataclass
class Plan:
    """The outcome of plan(): steps to take, or a refusal; and the peering before and (predicted) after.

    ``known_ids``: every peering of the pair that was read, to tell a new one apart after an
    ambiguous create. ``observed``: what was read, for steps acting on another peering than
    the one reported (both directions pending).
    """

    wanted: Wanted
    before: Optional[Peering]
    after: Optional[Peering]
    steps: List[Step]
    refusal: Optional[str] = None
    warnings: List[str] = field(default_factory=list)
    known_ids: Tuple[str, ...] = ()
    observed: Tuple[Peering, ...] = ()
    # With the routes option (_route_plan.merge_routes): the routes through the peering, now and predicted.
    routes_before: Optional[List[Dict[str, str]]] = None
    routes_after: Optional[List[Dict[str, str]]] = None

    @property
    def changes(self) -> bool:
        return any(step.kind != CHECK_ACCEPTER for step in self.steps)

    def kinds(self) -> List[str]:
        return [step.kind for step in self.steps]


# What a state handler returns: the steps, the predicted peering, warnings.
StateResult = Tuple[List["Step"], Optional[Peering], List[str]]


# -- who may act ---------------------------------------------------------------


def _caller(wanted: Wanted, peering: Optional[Peering]) -> Optional[str]:
    return caller_account(peering, wanted.source_net_id, wanted.accepter_net_id, wanted.accepter_owner_id)


def accepter(
    wanted: Wanted, peering: Optional[Peering], pair_peerings: List[Peering], actors: Actors, verb: str
) -> str:
    """Who accepts or rejects ``peering`` (None: the one about to be created). Raises _Refusal when nobody can."""
    if peering is None:
        if not wanted.accepter_owner_id:
            return TASK  # the accepter Net is the caller's own
        actor = actors.accepter_for(wanted.accepter_owner_id)
        if actor is not None:
            return actor
        if pair_account(pair_peerings) == wanted.accepter_owner_id:
            # An earlier peering of the pair shows both Nets in accepter_owner_id's account,
            # which is then the caller's: it can accept its own peering.
            return TASK
        raise _Refusal(
            missing_credentials(wanted, wanted.accepter_owner_id, wanted.accepter_net_id, verb, created=False)
        )
    caller = _caller(wanted, peering)
    accepter_account = account_ids(peering)[1]
    if caller is not None and caller == accepter_account:
        return TASK
    actor = actors.accepter_for(accepter_account)
    if actor is not None:
        # Given for this: used whenever the caller is not provably the accepter.
        return actor
    if caller is not None:
        raise _Refusal(missing_credentials(wanted, accepter_account, net_ids(peering)[1], verb, created=True))
    # Two accounts and no telling which side the caller is on (by ID, or a pair without
    # accepter_owner_id): try as the caller, and explain a refusal.
    return TASK


def _who_may(
    wanted: Wanted, live: List[Peering], observed: List[Peering], actors: Actors, verb: str
) -> Tuple[List[Tuple[Peering, str]], List[str]]:
    """([(peering, its accepter)] for the live ones the task may accept or reject, [why not, for the others])."""
    allowed, refusals = [], []
    for peering in live:
        try:
            allowed.append((peering, accepter(wanted, peering, observed, actors, verb)))
        except _Refusal as refusal:
            refusals.append(str(refusal))
    return allowed, refusals


def can_delete(wanted: Wanted, peering: Peering) -> bool:
    """Whether the task may delete it, as far as it can tell (pending: the requester only)."""
    caller = _caller(wanted, peering)
    return not (
        state_name(peering) == "pending-acceptance" and caller is not None and caller != account_ids(peering)[0]
    )


# -- the plan --------------------------------------------------------------------


def find(wanted: Wanted, observed: List[Peering]) -> Tuple[List[Peering], Optional[Peering]]:
    """(the live peerings of the pair that matter, the ended one to report when nothing is live)."""
    if not wanted.by_pair:
        found = select_id(observed, wanted.net_peering_id)
        if found is not None and is_live(found):
            return [found], None
        return [], found
    live, ended = pair_live(observed, wanted.source_net_id, wanted.accepter_net_id)
    reported = None
    if not live and wanted.state == "rejected":
        # Report the peering that was rejected, when there is exactly one: a second run
        # of a reject task then shows what it did. Several: none is "the" one.
        rejected = [p for p in ended if state_name(p) == "rejected"]
        reported = rejected[0] if len(rejected) == 1 else None
    return live, reported


def _requested_first(wanted: Wanted, live: List[Peering]) -> List[Peering]:
    if not wanted.by_pair:
        return list(live)
    return sorted(live, key=lambda p: 0 if is_requested_direction(p, wanted.source_net_id) else 1)


def _tag_steps(wanted: Wanted, peering: Peering, peering_id: Optional[str]) -> Tuple[List[Step], Peering, List[str]]:
    """The tag writes, the peering once they are done, and a warning for the tags purge_tags kept.

    purge_tags deletes unlisted tags only on a peering within one account. On a peering of
    two accounts the tags read may be the other account's too (if the platform shares them,
    which is unknown): deleting them would undo the other account's tasks, and two tasks
    purging each other's tags would flip-flop forever. So there it deletes none.
    """
    current = tags_to_dict(peering.get("Tags"))
    to_create, to_delete = tag_diff(current, wanted.tags, wanted.purge_tags)
    warnings = []
    if to_delete and links_two_accounts(peering):
        kept = {key: value for key, value in to_delete.items() if key not in wanted.remove_tags}
        if kept:
            warnings.append(purge_kept_warning(peering_id, kept))
        to_delete = {}
    # Named in remove_tags: deleted on any peering, whoever set them (the task asked for it by name).
    to_delete.update(tags_to_remove(current, list(wanted.remove_tags)))
    steps = []
    if to_delete:
        steps.append(
            Step(
                DELETE_TAGS,
                TASK,
                "tags not in the task (purge_tags), or named in remove_tags",
                peering_id,
                tags=to_delete,
            )
        )
    if to_create:
        steps.append(Step(CREATE_TAGS, TASK, "tags missing or with another value", peering_id, tags=to_create))
    if steps:
        peering = dict(peering, Tags=tags_to_list(apply_tag_diff(current, to_create, to_delete)))
    return steps, peering, warnings


def plan(wanted: Wanted, observed: List[Peering], actors: Actors, check_accepter: bool = True) -> Plan:
    """The steps that take ``observed`` (what ReadNetPeerings returned) to ``wanted``, or a refusal.

    ``check_accepter``: before creating a peering that accepter credentials will accept, a
    CHECK_ACCEPTER step proves them. False when the caller proves them itself (net_peerings:
    once per account for all its pairs).
    """
    known_ids = tuple(p.get("NetPeeringId") for p in observed)
    live, reported = find(wanted, observed)
    before = live[0] if live else reported
    try:
        _check_live(wanted, live)
        _check_accepter_owner(wanted, live)
        live = _requested_first(wanted, live)
        before = live[0] if live else reported
        steps, after, warnings = _STATES[wanted.state](wanted, live, observed, actors, check_accepter)
    except _Refusal as refusal:
        return Plan(wanted, before, before, [], refusal=str(refusal), known_ids=known_ids, observed=tuple(observed))
    if after is not None and after.get("NetPeeringId"):
        # The plan is about the peering it reports: with both directions pending, that may
        # be the second one read (the one the task could accept).
        before = select_id(observed, after["NetPeeringId"]) or before
    if wanted.state in ("present", "accepted") and after is not None:
        tag_steps, after, tag_warnings = _tag_steps(wanted, after, after.get("NetPeeringId"))
        steps.extend(tag_steps)
        warnings = warnings + tag_warnings
    if len([step for step in steps if step.kind in (REJECT, DELETE)]) > 1:
        # Several live peerings (both directions pending), some of whose side the task cannot
        # tell: each is tried, and one the platform refuses is reported as remaining.
        for step in steps:
            step.best_effort = step.kind in (REJECT, DELETE)
    return Plan(wanted, before, after, steps, warnings=warnings, known_ids=known_ids, observed=tuple(observed))


def _create(wanted: Wanted, actors: Actors, reason: str) -> Tuple[List[Step], Peering]:
    steps = [Step(CREATE, TASK, reason)]
    return steps, to_be_created(wanted.source_net_id, wanted.accepter_net_id, wanted.accepter_owner_id)


def _refuse_by_id(wanted: Wanted, observed: List[Peering], actors: Actors) -> _Refusal:
    """Nothing live by that ID: it does not exist (for these credentials), or it ended."""
    found = select_id(observed, wanted.net_peering_id)
    if found is None:
        return _Refusal(
            f"Net peering {wanted.net_peering_id} was not found with these credentials in region {actors.region}. "
            "Check the ID, the account and the region, "
            "or give source_net_id and accepter_net_id to create a peering."
        )
    return _Refusal(_refusal_for_ended(wanted, found))


def _removal_step(wanted: Wanted, peering: Peering, observed: List[Peering], actors: Actors, reason: str) -> Step:
    """Delete (as its requester) or reject (as its accepter) a second live peering of the pair."""
    if can_delete(wanted, peering):
        return Step(DELETE, TASK, reason, peering.get("NetPeeringId"), best_effort=True)
    actor = accepter(wanted, peering, observed, actors, "reject")  # raises _Refusal when nobody can
    return Step(REJECT, actor, reason, peering.get("NetPeeringId"), best_effort=True)


def _present(
    wanted: Wanted, live: List[Peering], observed: List[Peering], actors: Actors, check_accepter: bool
) -> StateResult:
    if len(live) > 1:
        # Both directions pending (two runs listing the pair in opposite directions, say):
        # "present" means one peering, so one is kept and the others removed.
        kept = kept_of(live)
        steps, warnings = [], []
        for other in live:
            if other is kept:
                continue
            reason = f"a second live peering of the pair; {kept.get('NetPeeringId')} is kept"
            try:
                steps.append(_removal_step(wanted, other, observed, actors, reason))
            except _Refusal as refusal:
                warnings.append(f"{other.get('NetPeeringId')} remains: {refusal}")
        source, accepter_net = net_ids(kept)
        warnings.insert(
            0,
            f"More than one live Net peering links {wanted.source_net_id or source} and "
            f"{wanted.accepter_net_id or accepter_net}: {_describe_live(live)}. {kept.get('NetPeeringId')} is kept.",
        )
        return steps, kept, warnings
    if live:
        return [], live[0], []  # any live peering of the pair, in either direction, is the one
    if not wanted.by_pair:
        raise _refuse_by_id(wanted, observed, actors)
    steps, after = _create(wanted, actors, "no live peering links the two Nets")
    return steps, after, []


def _accepted(
    wanted: Wanted, live: List[Peering], observed: List[Peering], actors: Actors, check_accepter: bool
) -> StateResult:
    if live and state_name(live[0]) == "active":
        return [], live[0], []
    if live:
        # Pending. With both directions pending, accept the requested one when the task can,
        # else the other; the platform then rejects the one not accepted.
        allowed, refusals = _who_may(wanted, live, observed, actors, "accept")
        if not allowed:
            raise _Refusal(refusals[0])
        peering, actor = allowed[0]
        reason = "pending-acceptance"
        if len(live) > 1:
            reason += "; both directions were pending, the platform rejects the other one"
        return [Step(ACCEPT, actor, reason, peering.get("NetPeeringId"))], with_state(peering, "active", "Active"), []
    if not wanted.by_pair:
        raise _refuse_by_id(wanted, observed, actors)
    actor = accepter(wanted, None, observed, actors, "accept")  # refuses before anything is created
    steps, after = _create(wanted, actors, "no live peering links the two Nets")
    if actor != TASK and check_accepter:
        steps.insert(
            0,
            Step(
                CHECK_ACCEPTER,
                actor,
                f"prove the accepter credentials are account {wanted.accepter_owner_id}'s before creating",
                net_id=wanted.accepter_net_id,
                account=wanted.accepter_owner_id,
            ),
        )
    steps.append(Step(ACCEPT, actor, "created by this task", None))
    return steps, with_state(after, "active", "Active"), []


def _rejected(
    wanted: Wanted, live: List[Peering], observed: List[Peering], actors: Actors, check_accepter: bool
) -> StateResult:
    if live and state_name(live[0]) == "active":
        raise _Refusal(
            f"Net peering {wanted.net_peering_id or live[0].get('NetPeeringId')} is active; "
            "only a pending-acceptance peering can be rejected. Use state=absent to delete it."
        )
    allowed, refusals = _who_may(wanted, live, observed, actors, "reject")
    steps = [Step(REJECT, actor, "pending-acceptance", peering.get("NetPeeringId")) for peering, actor in allowed]
    after = with_state(allowed[0][0], "rejected") if allowed else None
    if live and not steps:
        raise _Refusal(refusals[0])
    warnings = []
    if steps and refusals:
        warnings.append(f"Not rejected: {' '.join(refusals)}")
    if not live:
        # Already rejected, or failed/expired/deleted/nothing: no pending request is left to turn down.
        after = find(wanted, observed)[1] if wanted.by_pair else select_id(observed, wanted.net_peering_id)
        warnings.extend(_id_not_found(wanted, observed, actors))
    return steps, after, warnings


def _absent(
    wanted: Wanted, live: List[Peering], observed: List[Peering], actors: Actors, check_accepter: bool
) -> StateResult:
    steps, after, warnings = [], None, []
    for peering in live:
        if can_delete(wanted, peering):
            steps.append(Step(DELETE, TASK, state_name(peering), peering.get("NetPeeringId")))
            after = after or with_state(peering, "deleted")
        elif len(live) == 1:
            raise _Refusal(pending_delete_advice(peering))
        else:
            warnings.append(f"{peering.get('NetPeeringId')} remains: {pending_delete_advice(peering)}")
    if not live and not wanted.by_pair:
        after = select_id(observed, wanted.net_peering_id)
        warnings.extend(_id_not_found(wanted, observed, actors))
    return steps, after, warnings


def _id_not_found(wanted: Wanted, observed: List[Peering], actors: Actors) -> List[str]:
    """Nothing to do is fine, but an explicit ID that matches nothing may be a typo: say so."""
    if wanted.by_pair or select_id(observed, wanted.net_peering_id) is not None:
        return []
    return [
        f"Net peering {wanted.net_peering_id} was not found with these credentials in region {actors.region}, "
        f"so there was nothing to {'reject' if wanted.state == 'rejected' else 'delete'}. "
        "If you expected it, check the ID, the account and the region."
    ]


_STATES = {"present": _present, "accepted": _accepted, "rejected": _rejected, "absent": _absent}

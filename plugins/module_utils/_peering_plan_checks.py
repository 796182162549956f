# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The planner's refusals and messages: what it checks before planning, and how it explains itself.

Pure functions of (wanted, observed), used by _peering_plan (which re-exports them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    Peering,
    account_ids,
    net_ids,
    state_message,
    state_name,
)

if TYPE_CHECKING:  # annotations only: _peering_plan imports this module
    from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import Wanted


class _Refusal(Exception):
    """Internal: plan() turns it into Plan.refusal."""


def missing_credentials(wanted: Wanted, account: Optional[str], net_id: Optional[str], verb: str, created: bool) -> str:
    """Nobody this task has credentials for can accept or reject: say whose credentials are missing."""
    msg = (
        f"Only account {account}, which owns the accepter Net {net_id}, can {verb} this peering, "
        "and this task has no credentials for it. "
    )
    if not created:
        msg += "Nothing was created. "
    msg += (
        f"Add accepter_credentials (access_key and secret_key, or profile) for account {account}, "
        f"or {verb} it in a task run with that account's credentials"
    )
    if not created:
        msg += " (state=present here only requests the peering)"
    elif verb == "reject":
        msg += " (as the requester, state=absent withdraws the request)"
    msg += "."
    if wanted.accepter_owner_id and account == wanted.accepter_owner_id and not created:
        msg += f" If accepter_owner_id ({account}) is this task's own account, omit it."
    return msg


def pending_delete_advice(peering: Peering) -> str:
    peering_id, requester = peering.get("NetPeeringId"), account_ids(peering)[0]
    return (
        f"Net peering {peering_id} is pending-acceptance and was requested by account {requester}; "
        "only the requester can delete it. As the accepter, "
        "reject it instead (outscale.cloud.net_peering with state=rejected), "
        "or run this task with the requester's credentials."
    )


def _describe_live(peerings: List[Peering]) -> str:
    described = []
    for peering in peerings:
        source, accepter = net_ids(peering)
        described.append(f"{peering.get('NetPeeringId')} ({state_name(peering)}, {source} -> {accepter})")
    return ", ".join(described)


def _check_live(wanted: Wanted, live: List[Peering]) -> None:
    """At most one live peering per pair, except both directions pending at once (the platform allows it)."""
    if len(live) <= 1:
        return
    both_pending = (
        len(live) == 2
        and all(state_name(p) == "pending-acceptance" for p in live)  # noqa: W503 (galaxy-importer)
        and net_ids(live[0]) == tuple(reversed(net_ids(live[1])))  # noqa: W503
    )
    if not both_pending:
        raise _Refusal(
            f"More than one live Net peering links {wanted.source_net_id} and {wanted.accepter_net_id}: "
            f"{_describe_live(live)}. Keep one (delete or reject the others, "
            "for example with net_peering_id and state=absent or state=rejected), then run the task again."
        )


def _check_accepter_owner(wanted: Wanted, live: List[Peering]) -> None:
    """A live peering shows who owns the accepter Net: an accepter_owner_id that says otherwise is a mistake.

    Creating with it would fail on the platform; ignoring it on an existing peering would hide the mistake.
    """
    if not (wanted.by_pair and wanted.accepter_owner_id):
        return
    for peering in live:
        nets, accounts = net_ids(peering), account_ids(peering)
        owner = dict(zip(nets, accounts)).get(wanted.accepter_net_id)
        if owner and owner != wanted.accepter_owner_id:
            raise _Refusal(
                f"accepter_owner_id is {wanted.accepter_owner_id}, but the existing Net peering "
                f"{peering.get('NetPeeringId')} ({state_name(peering)}) shows that {wanted.accepter_net_id} belongs "
                f'to account {owner}. Fix accepter_owner_id (set it to "{owner}"), or check the Net IDs. '
                "Nothing was done."
            )


def _refusal_for_ended(wanted: Wanted, peering: Peering) -> str:
    peering_id = wanted.net_peering_id or peering.get("NetPeeringId")
    name, message = state_name(peering), state_message(peering) or "no message"
    if wanted.state == "accepted":
        return (
            f"Net peering {peering_id} is {name} ({message}), so it cannot be accepted. "
            "Peerings that ended cannot be revived: give source_net_id and accepter_net_id to create a new one."
        )
    return (
        f"Net peering {peering_id} is {name} ({message}) and cannot become live again. "
        "Give source_net_id and accepter_net_id to create a new one."
    )


def links_two_accounts(peering: Peering) -> bool:
    """Whether the peering's two Nets belong to two different accounts (both known)."""
    source_account, accepter_account = account_ids(peering)
    return bool(source_account and accepter_account and source_account != accepter_account)


def purge_kept_warning(peering_id: Optional[str], kept: Dict[str, str]) -> str:
    names = ", ".join(repr(key) for key in sorted(kept))
    return (
        f"purge_tags kept {names} on {peering_id or 'the peering'}: it links two accounts, and whether they share "
        "its tags is not known, so a tag this task does not list may be the other account's. To delete some anyway, "
        "name them in remove_tags; to keep them without this warning, list them in tags or set purge_tags=false."
    )

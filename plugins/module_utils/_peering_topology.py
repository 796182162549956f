# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Many peerings in one task: the same planner, once per pair, over one read.

``plan_topology`` (pure) turns the listed peerings, the one ReadNetPeerings of
the task's account and the ``state`` (merged, overridden, deleted) into one
plan per pair, plus removals for ``overridden``. ``TopologyRun`` proves the
accepter credentials (one ReadNets per account, before any write), then applies
the independent plans in parallel, bounded; a failing pair never stops the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Optional, Set, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._nets import read_nets
from ansible_collections.outscale.cloud.plugins.module_utils._outcome import Outcome
from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    Peering,
    account_ids,
    diff_view,
    is_live,
    net_ids,
    normalize_peering,
    pair_live,
    select_id,
    state_name,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import (
    TASK,
    Actors,
    Plan,
    Wanted,
    kept_of,
    plan,
)
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import ALREADY_DONE, ROUTE_KINDS, routes_now
from ansible_collections.outscale.cloud.plugins.module_utils._tags import tags_to_dict

if TYPE_CHECKING:  # the executor is loaded only when a plan has steps (see TopologyRun.run)
    from ansible_collections.outscale.cloud.plugins.module_utils._peering_apply import Executor

SUMMARY_KEYS = ("created", "accepted", "rejected", "deleted", "retagged", "unchanged", "failed")
ROUTE_SUMMARY_KEYS = ("routes_created", "routes_deleted")
COUNTED_STEPS = {"create": "created", "accept": "accepted", "reject": "rejected", "delete": "deleted"}
# summary key -> how the one-line plan says it, in check mode ("3 to create") and after the run ("3 created").
PLAN_VERBS = {
    "created": "create",
    "accepted": "accept",
    "rejected": "reject",
    "deleted": "delete",
    "retagged": "retag",
    "routes_created": "create",
    "routes_deleted": "delete",
}
# How a step reads in the diff's line of its pair.
STEP_WORDS = {"create_tags": "tag", "delete_tags": "untag"}


def pair_key(source_net_id: str, accepter_net_id: str) -> Tuple[str, str]:
    """The same key for both directions of a pair."""
    return tuple(sorted((source_net_id, accepter_net_id)))  # type: ignore[return-value]


def has_scope(peering: Peering, scope_tags: Dict[str, Any]) -> bool:
    tags = tags_to_dict(peering.get("Tags"))
    # Written as tags are written: a null value is the empty string.
    wanted = {key: "" if value is None else str(value) for key, value in (scope_tags or {}).items()}
    return bool(wanted) and all(tags.get(key) == value for key, value in wanted.items())


def own_account(listed: List[Wanted], observed: List[Peering]) -> Optional[str]:
    """The task's account, if the read shows it, else None.

    Only its two accounts can read a peering, so the task's account is in every
    peering read: a same-account peering names it, and so does the one account
    common to all of them. A listed source Net is always the task's too.
    """
    common: Optional[Set[str]] = None
    for peering in observed:
        accounts = {account for account in account_ids(peering) if account}
        common = accounts if common is None else common & accounts
    if common is not None and len(common) == 1:
        return next(iter(common))
    sources = {wanted.source_net_id for wanted in listed}
    for peering in observed:
        for net_id, account in zip(net_ids(peering), account_ids(peering)):
            if net_id in sources and account:
                return account
    return None


def removable(listed: List[Wanted], observed: List[Peering], scope_tags: Dict[str, str]) -> List[Peering]:
    """The live peerings ``overridden`` removes: carrying all of the scope tags, not listed (either direction)."""
    listed_pairs = {pair_key(w.source_net_id, w.accepter_net_id) for w in listed}
    return [
        p for p in observed if is_live(p) and has_scope(p, scope_tags) and pair_key(*net_ids(p)) not in listed_pairs
    ]


def undecided_sides(listed: List[Wanted], observed: List[Peering], scope_tags: Dict[str, str]) -> List[str]:
    """Accepter Nets of pending removals whose side the read cannot tell (``own_nets`` of plan_topology decides)."""
    if own_account(listed, observed) is not None:
        return []
    return sorted(
        {
            net_ids(p)[1]
            for p in removable(listed, observed, scope_tags)
            if state_name(p) == "pending-acceptance" and len(set(account_ids(p))) > 1
        }
    )


def plan_topology(
    listed: List[Wanted],
    observed: List[Peering],
    actors: Actors,
    mode: str,
    scope_tags: Dict[str, str],
    own_nets: FrozenSet[str] = frozenset(),
) -> Tuple[List[Plan], List[Plan]]:
    """(one plan per listed peering, in order; the removals ``overridden`` adds).

    ``own_nets``: Nets known to be the task's account's (see undecided_sides).
    """
    plans = []
    # Observed peerings by unordered pair of Nets, so each listed pair finds its own in one lookup.
    by_pair: Dict[FrozenSet[Any], List[Peering]] = {}
    for peering in observed:
        by_pair.setdefault(frozenset(net_ids(peering)), []).append(peering)
    for wanted in listed:
        if mode == "deleted":
            wanted = Wanted(
                "absent",
                source_net_id=wanted.source_net_id,
                accepter_net_id=wanted.accepter_net_id,
                accepter_owner_id=wanted.accepter_owner_id,
            )
        elif scope_tags:
            # Every listed peering carries the scope, so that removing it from the list later removes it.
            tags = dict(scope_tags)
            tags.update(wanted.tags or {})
            wanted = Wanted(
                wanted.state,
                source_net_id=wanted.source_net_id,
                accepter_net_id=wanted.accepter_net_id,
                accepter_owner_id=wanted.accepter_owner_id,
                tags=tags,
                purge_tags=wanted.purge_tags,
            )
        pair = by_pair.get(frozenset((wanted.source_net_id, wanted.accepter_net_id)), [])
        plans.append(plan(wanted, pair, actors, check_accepter=False))  # TopologyRun proves them per account
    removals = []
    if mode == "overridden":
        me = own_account(listed, observed)
        for peering in removable(listed, observed, scope_tags):
            source_account, accepter_account = account_ids(peering)
            # A pending request this account received is turned down; anything else is deleted.
            received = state_name(peering) == "pending-acceptance" and source_account != accepter_account
            if me is not None:
                received = received and accepter_account == me
            else:
                received = received and net_ids(peering)[1] in own_nets
            wanted = Wanted("rejected" if received else "absent", net_peering_id=peering.get("NetPeeringId"))
            removal = plan(wanted, [peering], actors, check_accepter=False)
            removals.append(removal)
    return plans, removals


def created(result: Dict[str, Any]) -> bool:
    """Whether this run's plan created a peering for the pair."""
    outcome = result.get("outcome")
    return outcome is not None and any(a["step"] == "create" and a["outcome"] == "done" for a in outcome.actions)


def duplicates_made(
    results: List[Dict[str, Any]], fresh: List[Peering]
) -> List[Tuple[Dict[str, Any], Peering, Peering]]:
    """(result, the peering it created, the one to keep instead) for each pair this run created
    a peering of, where ``fresh`` (a read after the writes) shows another live one that wins.

    Another run listing the pair the other way round may have created one meanwhile (both
    directions may be pending at once). Both runs apply kept_of to what they read, so they
    agree; the run whose peering loses removes it. Pure.
    """
    found = []
    for result in results:
        if not created(result) or not result["outcome"].peering:
            continue
        ours = result["outcome"].peering
        live = pair_live(fresh, *net_ids(ours))[0]
        mine = select_id(live, ours.get("NetPeeringId"))
        if mine is None or len(live) < 2:
            continue
        kept = kept_of(live)
        if kept.get("NetPeeringId") != mine.get("NetPeeringId"):
            found.append((result, mine, kept))
    return found


class TopologyRun:
    """Applies the plans of one task: accepter checks first, then the pairs in parallel."""

    def __init__(
        self,
        clients: Dict[str, Any],
        make_executor: Callable[[], Executor],
        max_concurrent_writes: int,
        check_mode: bool,
        proven: Optional[Dict[str, Set[str]]] = None,
    ) -> None:
        self.clients = clients
        self.make_executor = make_executor
        self.max_concurrent_writes = max_concurrent_writes
        self.check_mode = check_mode
        # {actor: Nets its credentials already proved to own} (their route tables were read)
        self.proven = proven or {}
        self.warnings: List[str] = []

    def check_accepters(self, plans: List[Plan]) -> Dict[str, OscError]:
        """One ReadNets per accepter account, with every Net it must own: {account: why it failed}."""
        needed: Dict[str, Set[str]] = {}
        for item in plans:
            for step in item.steps:
                # Route steps are not accepts: their account's credentials were proven by reading its tables.
                if step.actor != TASK and step.kind not in ROUTE_KINDS:
                    net = net_ids(item.before)[1] if item.before else item.wanted.accepter_net_id
                    needed.setdefault(step.actor, set()).add(net)
        failures = {}
        for actor, nets in sorted(needed.items()):
            nets = nets - self.proven.get(actor, set())  # its tables were read (routes): already proven
            if not nets:
                continue
            try:
                seen = {net["NetId"] for net in read_nets(self.clients[actor], sorted(nets))}
                missing = sorted(nets - seen)
                if missing:
                    raise OscError(
                        f"the accepter_credentials of account {actor} cannot see {', '.join(missing)}, "
                        "so they are not that account's credentials (or the Nets are not in this region). "
                        "Nothing was done for these peerings."
                    )
            except OscApiError as exc:
                failures[actor] = exc.with_hint(
                    f"Fix the accepter_credentials of account {actor}; "
                    "nothing was done for the peerings it must accept."
                )
            except OscError as exc:
                failures[actor] = exc
        return failures

    def run(self, plans: List[Plan]) -> List[Dict[str, Any]]:
        """Apply every plan; one result per plan, in order: {plan, outcome or error}."""
        # The plans carry no accepter check (plan_topology): proven once per account here, not once per pair.
        bad_accounts = self.check_accepters([item for item in plans if not item.refusal])
        results: List[Dict[str, Any]] = [{"plan": item} for item in plans]
        todo = []
        for result in results:
            item = result["plan"]
            if item.refusal:
                result["error"] = OscError(item.refusal)
                continue
            blocked = [bad_accounts[step.actor] for step in item.steps if step.actor in bad_accounts]
            if blocked:
                result["error"] = blocked[0]  # shared by the pairs of that account: never annotated
                continue
            if not item.steps:  # nothing to do: no executor, no thread (a re-run of a big topology stays cheap)
                result["outcome"] = Outcome.of_nothing_to_do(item, self.check_mode)
                continue
            todo.append(result)
        if self.check_mode or len(todo) <= 1 or self.max_concurrent_writes <= 1:
            for result in todo:
                self._apply(result)
        else:
            from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel

            with ThreadPoolExecutor(max_workers=self.max_concurrent_writes) as pool:
                list(pool.map(self._apply, todo))
        return results

    def settle(self, results: List[Dict[str, Any]], fresh: List[Peering], actors: Actors) -> None:
        """Remove each peering this run created that lost to another run's (see duplicates_made)."""
        for result, mine, kept in duplicates_made(results, fresh):
            outcome = result["outcome"]
            mine_id, kept_id = mine.get("NetPeeringId"), kept.get("NetPeeringId")
            removal = plan(Wanted("absent", net_peering_id=mine_id), [mine], actors)
            executor = self.make_executor()
            try:
                removed = executor.apply(removal)
            except OscError as exc:
                source, accepter = net_ids(mine)
                self.warnings.append(
                    f"{mine_id} and {kept_id} both link {source} and {accepter} (another run created one meanwhile); "
                    f"{mine_id} could not be removed: {exc.full_message()}"
                )
                continue
            finally:
                self.warnings.extend(executor.warnings)
            self.warnings.append(
                f"{mine_id} was created, but another run created {kept_id} for the same Nets meanwhile; "
                f"{kept_id} is kept (the earliest) and {mine_id} was deleted."
            )
            result["outcome"] = Outcome(kept, True, outcome.actions + removed.actions)

    def _apply(self, result: Dict[str, Any]) -> None:
        executor = self.make_executor()
        try:
            result["outcome"] = executor.apply(result["plan"], check_mode=self.check_mode)
        except OscError as exc:
            result["error"] = exc
        except Exception as exc:  # noqa: BLE001  a defect in one pair must not hide the others' results
            result["error"] = OscError(
                f"internal error while applying this pair ({type(exc).__name__}: {exc}); "
                "the other pairs were applied. Please report it.",
                changed=executor.wrote,
            )
        self.warnings.extend(executor.warnings)


def describe(item: Plan) -> Dict[str, Any]:
    wanted = item.wanted
    if wanted.by_pair:
        return {"source_net_id": wanted.source_net_id, "accepter_net_id": wanted.accepter_net_id}
    source, accepter = net_ids(item.before) if item.before else (None, None)
    return {"net_peering_id": wanted.net_peering_id, "source_net_id": source, "accepter_net_id": accepter}


def counts_line(summary: Dict[str, int], check_mode: bool) -> str:
    """The summary in one line a person reads: '3 to create, 2 to accept, 185 unchanged, 0 failed' (check mode)."""
    words = []
    for key, verb in PLAN_VERBS.items():
        if summary.get(key):
            noun = "routes " if key in ROUTE_SUMMARY_KEYS else ""
            done = key.replace("routes_", "")
            words.append(f"{summary[key]} {noun}{f'to {verb}' if check_mode else done}")
    return ", ".join([*words, f"{summary['unchanged']} unchanged", f"{summary['failed']} failed"])


def _state_of(view: Dict[str, Any]) -> str:
    return (view.get("state") or "?") if view else "absent"


def _tag_changes(before: Dict[str, Any], after: Dict[str, Any]) -> str:
    old, new = (before or {}).get("tags") or {}, (after or {}).get("tags") or {}
    changes = [f"+{key}={new[key]}" for key in sorted(new) if old.get(key) != new[key]]
    changes += [f"-{key}" for key in sorted(old) if key not in new]
    return " ".join(changes)


def diff_line(
    name: str, steps: List[Dict[str, Any]], before: Dict[str, Any], after: Dict[str, Any], failed: bool
) -> str:
    """One line for one changed pair: what is (or would be) done, and the state it goes from and to.

    '+ vpc-a -> vpc-b: create, accept (absent -> active) tags +Name=x'; '-' removes,
    '~' changes, '!' failed (its message is in failures and the task's msg).
    """
    route_steps = [step for step in steps if step["step"] in ROUTE_KINDS]
    steps = [step for step in steps if step["step"] not in ROUTE_KINDS]
    kinds = [step["step"] for step in steps]
    mark = "!" if failed else "+" if "create" in kinds else "-" if {"delete", "reject"} & set(kinds) else "~"
    peering_id = (after or {}).get("net_peering_id") or (before or {}).get("net_peering_id")
    words = [
        STEP_WORDS.get(step["step"], step["step"]) + (" FAILED" if step.get("outcome") == "failed" else "")
        for step in steps
    ]
    shown_id = f" {peering_id}" if peering_id else ""
    line = f"{mark} {name}{shown_id}: {', '.join(words) or ('failed' if failed else 'routes')} "
    line += f"({_state_of(before)} -> {_state_of(after)})"
    source_account, accepter_account = (
        (after or before or {}).get(key) for key in ("source_account_id", "accepter_account_id")
    )
    if accepter_account and accepter_account != source_account:  # across accounts (the source may be unknown yet)
        line += f" accepter account {accepter_account}"
    tags = _tag_changes(before, after)
    line += f" tags {tags}" if tags else ""
    for step in route_steps:
        sign = "+" if step["step"] == "create_route" else "-"
        failed_word = " FAILED" if step.get("outcome") == "failed" else ""
        line += (
            f"\n    {sign} route {step.get('destination_ip_range')} in {step.get('route_table_id')} "
            f"of {step.get('net_id')}{failed_word}"
        )
    return line


def report(
    results: List[Dict[str, Any]], listed_count: int, check_mode: bool = False, with_routes: bool = False
) -> Dict[str, Any]:
    """The module's result fields: msg, net_peerings, summary, actions, failures, and the diff.

    The diff is Ansible's ``prepared`` text: the counts, then one line per pair that changes
    (or would), instead of whole objects, so a large topology's ``--check --diff`` stays readable;
    each route added or removed gets a line of its own under its pair's.
    ``with_routes``: each peering gains ``routes``, the summary routes_created and routes_deleted.
    """
    summary = dict.fromkeys(SUMMARY_KEYS + (ROUTE_SUMMARY_KEYS if with_routes else ()), 0)
    peerings, actions, failures = [], [], []
    lines = []
    for index, result in enumerate(results):
        item, outcome, error = result["plan"], result.get("outcome"), result.get("error")
        pair = describe(item)
        name = f"{pair['source_net_id']} -> {pair['accepter_net_id']}"
        steps = outcome.actions if outcome else (error.result.get("actions", []) if error else [])
        for action in steps:
            actions.append(dict(pair, **action))
            if action["outcome"] != "failed" and action["step"] in COUNTED_STEPS:
                summary[COUNTED_STEPS[action["step"]]] += 1
            if with_routes and action["outcome"] in ("done", "planned") and action["step"] in ROUTE_KINDS:
                summary["routes_" + action["step"].split("_")[0] + "d"] += 1
        changes = [a for a in steps if a["outcome"] != ALREADY_DONE]  # made meanwhile by another writer: no change
        if any(a["step"] in ("create_tags", "delete_tags") and a["outcome"] != "failed" for a in steps):
            summary["retagged"] += 1
        final = outcome.peering if outcome else (error.result.get("peering", item.before) if error else item.before)
        routes = routes_now(item, steps) if with_routes else None
        if index < listed_count:
            peerings.append(normalize_peering(final) if final else None)
            if final and with_routes:
                peerings[-1]["routes"] = routes
        if error:
            summary["failed"] += 1
            failure = dict(pair, msg=error.full_message())
            failure.update(error.fields())
            failures.append(failure)
        elif not changes and index < listed_count:
            summary["unchanged"] += 1
        if changes or error:
            lines.append(diff_line(name, changes, diff_view(item.before), diff_view(final), error is not None))
    msg = counts_line(summary, check_mode)
    return {
        "msg": msg,
        "net_peerings": peerings,
        "summary": summary,
        "actions": actions,
        "failures": failures,
        "diff": {"prepared": "\n".join([msg] + lines) + "\n"},
    }

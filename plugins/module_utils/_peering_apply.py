# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The executor: carries out a plan's steps through the clients, safely.

- A write whose outcome is unknown (connection lost, timeout, 5xx) is never sent
  again blindly: the peering is read back, then adopted or decided on.
- An answer is trusted for its state only; what is reported comes from reads
  and from the task's own writes.
- Waiting polls with jittered backoff and rides out throttling.
- A refused call gets the advice of the step that made it.

It is the only code that writes. It raises OscError (with the peering as it was
and whether something was already changed); the module base reports it.
"""

from __future__ import annotations

import random
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError, UnexpectedResponse
from ansible_collections.outscale.cloud.plugins.module_utils._nets import read_nets
from ansible_collections.outscale.cloud.plugins.module_utils._outcome import Outcome
from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    Peering,
    account_ids,
    checked_peering,
    code_hint,
    connects,
    new_peering,
    peering_problem,
    read_pair,
    state_message,
    state_name,
    with_state,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import (
    ACCEPT,
    ACCEPTER,
    CHECK_ACCEPTER,
    CREATE,
    CREATE_TAGS,
    DELETE,
    DELETE_TAGS,
    REJECT,
    TASK,
    Plan,
    Step,
    pending_delete_advice,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_unknown import UnknownOutcomes
from ansible_collections.outscale.cloud.plugins.module_utils._peering_wait import wait_for_state
from ansible_collections.outscale.cloud.plugins.module_utils._route_apply import write_route
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import ROUTE_KINDS
from ansible_collections.outscale.cloud.plugins.module_utils._tags import (
    apply_tag_diff,
    tags_to_dict,
    tags_to_list,
)


def step_hint(step: Optional[Step], error: OscApiError, peering: Optional[Peering]) -> Optional[str]:
    """What to do about a refused call, knowing the step that made it."""
    peering = peering or {}
    source_account, accepter_account = account_ids(peering) if peering else (None, None)
    action = error.action
    if action in ("AcceptNetPeering", "RejectNetPeering"):
        verb = "accept" if action == "AcceptNetPeering" else "reject"
        if error.status == 409:
            return (
                "The peering is no longer pending-acceptance (did someone act on it meanwhile?); "
                "run the task again to see its state."
            )
        if error.status in (401, 403) and str(error.code) != "4":
            if step is not None and step.actor != TASK:
                return (
                    f"Only the owner of the accepter Net (account {accepter_account}) can {verb} it: "
                    "check that accepter_credentials are that account's."
                )
            return (
                f"Only the owner of the accepter Net (account {accepter_account}) can {verb} it: "
                "add accepter_credentials for that account, or run the task with its credentials."
            )
    if action == "DeleteNetPeering":
        if state_name(peering) == "pending-acceptance" and error.status in (401, 403, 409) and str(error.code) != "4":
            return pending_delete_advice(peering)
        if error.status == 409:
            return "The peering is no longer live (did someone act on it meanwhile?); run the task again."
    if action == "CreateNetPeering" and str(error.code) == "9067":
        return "Another live peering of these Nets appeared meanwhile (another task?); run the task again to adopt it."
    return code_hint(error)


class Executor(UnknownOutcomes):
    """Applies plans through the clients: ``clients[TASK]`` is the task's, the others are keyed by actor."""

    def __init__(
        self,
        clients: Dict[str, Any],
        wait: bool = True,
        wait_timeout: int = 300,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.clients = clients
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.sleep, self.clock, self.jitter = sleep, clock, jitter
        self.warnings: List[str] = []
        self.wrote = False
        self.step_outcome = "done"

    @property
    def client(self) -> Any:
        return self.clients[TASK]

    def apply(self, plan: Plan, check_mode: bool = False) -> Outcome:
        """Carry out every step in order. Raises OscError carrying the peering and ``changed`` so far.

        In check mode only the reads among the steps run (the accepter check); the
        outcome is the plan's prediction, each action marked "planned".
        """
        current = plan.before
        self.wrote = False  # set as soon as a write went through, even if the step fails afterwards
        actions: List[Dict[str, Any]] = []
        refused: List[OscApiError] = []
        step = subject = None
        try:
            for step in plan.steps:
                subject = self._subject(step, plan, current)
                action = step.as_dict()
                action["net_peering_id"] = step.peering_id or (subject or {}).get("NetPeeringId")
                if check_mode:
                    if step.kind == CHECK_ACCEPTER:
                        self._check_accepter(step)
                    action["outcome"] = "planned"
                else:
                    try:
                        result = self._run(step, plan, subject)
                    except OscApiError as exc:
                        if not (step.best_effort and exc.status in (401, 403, 409)):
                            raise
                        # The platform says this task is not the side that may do it: the peering remains.
                        exc.with_hint(step_hint(step, exc, subject))
                        refused.append(exc)
                        self.warnings.append(f"{step.peering_id} remains: {exc.full_message()}")
                        action["outcome"] = "refused"
                        actions.append(action)
                        continue
                    if subject is current or current is None or step.kind == CREATE:
                        current = result  # the reported peering; another one's new state is only in actions
                    action["outcome"] = self.step_outcome
                actions.append(action)
            if refused and not self.wrote:
                raise refused[0]
        except OscApiError as exc:
            exc.with_hint(step_hint(step, exc, subject))
            if step is not None and step.actor != TASK:
                # Generic advice ("check access_key") must not send the user to the task's own keys.
                account = "" if step.actor == ACCEPTER else f" of account {step.actor}"
                exc.with_hint(f"This call was made with the accepter_credentials{account}.")
            self._annotate(exc, subject, self.wrote, actions, step)
            raise
        except OscError as exc:
            self._annotate(exc, exc.result.get("peering", subject), self.wrote, actions, step)
            raise
        if check_mode:
            return Outcome(plan.after, plan.changes, actions)
        return Outcome(current, self.wrote, actions)

    @staticmethod
    def _subject(step: Step, plan: Plan, current: Optional[Peering]) -> Optional[Peering]:
        """The peering a step acts on: the reported one, or another one read with it (both directions pending)."""
        if step.peering_id is None or current is None or step.peering_id == current.get("NetPeeringId"):
            return current
        return next((p for p in plan.observed if p.get("NetPeeringId") == step.peering_id), current)

    @staticmethod
    def _annotate(
        exc: OscError, current: Optional[Peering], changed: bool, actions: List[Dict[str, Any]], step: Optional[Step]
    ) -> None:
        exc.changed = exc.changed or changed
        exc.result["peering"] = current
        failed = step.as_dict() if step is not None else {}
        if failed:
            failed["outcome"] = "failed"
            failed["net_peering_id"] = step.peering_id or (current or {}).get("NetPeeringId")
        exc.result["actions"] = actions + ([failed] if failed else [])

    def _run(self, step: Step, plan: Plan, current: Optional[Peering]) -> Optional[Peering]:
        """One step: the peering afterwards (and ``step_outcome``, "done" unless found done by another)."""
        self.step_outcome = "done"
        if step.kind in ROUTE_KINDS:
            self.step_outcome = write_route(self, step, current)  # the side owner's client; the peering is unchanged
            return current
        if step.kind == CHECK_ACCEPTER:
            self._check_accepter(step)
            return current
        if step.kind == CREATE:
            return self._create(plan)
        peering_id = step.peering_id or current.get("NetPeeringId")
        if step.kind == ACCEPT:
            return self._accept(step, current, peering_id)
        if step.kind == REJECT:
            return self._write_state(step, current, peering_id, "RejectNetPeering", "rejected", ("pending-acceptance",))
        if step.kind == DELETE:
            return self._write_state(
                step, current, peering_id, "DeleteNetPeering", "deleted", ("pending-acceptance", "active")
            )
        if step.kind in (CREATE_TAGS, DELETE_TAGS):
            self._write_tags("CreateTags" if step.kind == CREATE_TAGS else "DeleteTags", peering_id, step.tags)
            self.wrote = True
            tags = tags_to_dict(current.get("Tags"))
            tags = apply_tag_diff(
                tags, step.tags if step.kind == CREATE_TAGS else {}, step.tags if step.kind == DELETE_TAGS else {}
            )
            return dict(current, Tags=tags_to_list(tags))
        raise OscError(f"internal error: unknown step {step.kind}")

    def _write_tags(self, action: str, peering_id: str, tags: Dict[str, str]) -> None:
        """One CreateTags or DeleteTags call. Tag writes are idempotent, so one whose
        outcome is unknown is simply sent again (once)."""
        body = {"ResourceIds": [peering_id], "Tags": tags_to_list(tags)}
        try:
            self.client.call(action, body)
        except OscAmbiguousWriteError:
            self.wrote = True  # it may have gone through: if the resend fails, the task may still have changed
            self.client.call(action, body)

    # -- the accepter's credentials -------------------------------------------

    def _check_accepter(self, step: Step) -> None:
        """One ReadNets with the accepter credentials: only the owner of a Net can see it.

        So wrong accepter keys are found before anything is created, never after.
        """
        client = self.clients[step.actor]
        try:
            nets = read_nets(client, [step.net_id])
        except OscApiError as exc:
            exc.with_hint("accepter_credentials do not work; fix them before anything is created (nothing was).")
            raise
        if not any(net["NetId"] == step.net_id for net in nets):
            raise OscError(
                f"accepter_credentials cannot see the accepter Net {step.net_id}, "
                f"so they are not the credentials of its owner (account {step.account}), "
                f"or the Net does not exist in region {client.settings.region}. Nothing was created. "
                f"Give accepter_credentials of account {step.account}, "
                "and check accepter_net_id and accepter_owner_id."
            )

    # -- create ------------------------------------------------------------------

    def _create(self, plan: Plan) -> Peering:
        wanted = plan.wanted
        source_net_id, accepter_net_id = wanted.source_net_id, wanted.accepter_net_id
        body = {"SourceNetId": source_net_id, "AccepterNetId": accepter_net_id}
        if wanted.accepter_owner_id:
            body["AccepterOwnerId"] = wanted.accepter_owner_id
        peering = None
        unknown: Optional[OscAmbiguousWriteError] = None  # an earlier attempt whose outcome is unknown
        for attempt in (1, 2):
            try:
                response = self.client.call("CreateNetPeering", body)
            except OscAmbiguousWriteError as exc:
                # The platform may have created it: read the pair again and adopt what is new.
                peering = self._created_peering(plan, exc)
                if peering is not None:
                    self.wrote = True
                    break
                if attempt == 2:
                    raise exc.with_hint(
                        "Read again, the pair has no new peering, so none was created; run the task again."
                    )
                # Nothing was created, so sending again is no longer blind. Even if that read
                # were stale, the API keeps one live peering per direction and would refuse a second.
                unknown = exc
                continue
            except OscApiError as exc:
                if unknown is None or str(exc.code) != "9067":
                    raise
                # The resend is refused: a live peering of this direction exists now. After the
                # unknown outcome, the likeliest author is our first attempt (a read can lag a
                # slow create): read again, adopt it, and report the change.
                peering = self._created_peering(plan, unknown)
                if peering is None:
                    raise
                self.wrote = True
                self.warnings.append(
                    f"CreateNetPeering's outcome was unknown ({unknown.reason}) and its resend was refused "
                    f"(Code 9067): {peering.get('NetPeeringId')} appeared meanwhile, "
                    "most likely made by the first attempt, and was adopted."
                )
                break
            self.wrote = True  # HTTP 200: something was created, whatever the answer says
            peering = response.get("NetPeering")
            problem = "no NetPeering in the response" if peering is None else peering_problem(peering, "NetPeering")
            if problem is None and not connects(peering, source_net_id, accepter_net_id):
                problem = f"NetPeering {peering.get('NetPeeringId')} links other Nets"
            if problem is None:
                peering = checked_peering(peering, "CreateNetPeering")
                break
            # HTTP 200, so something was created; but what? Like an ambiguous write: read and
            # adopt. Never sent again, which could duplicate the peering this call made.
            peering = self._created_peering(plan)
            if peering is None:
                raise OscError(
                    f"CreateNetPeering succeeded (HTTP 200) but returned no usable peering ({problem}), "
                    f"and reading the peerings of {source_net_id} and {accepter_net_id} again finds no new one. "
                    "It was not sent again, so as not to duplicate it: "
                    "run the task again to adopt it once the API lists it "
                    "(the API refuses a second live peering of the same two Nets).",
                    changed=True,
                )
            self.warnings.append(
                f"CreateNetPeering returned no usable peering ({problem}); "
                f"{peering.get('NetPeeringId')} was found by reading the pair again."
            )
            break
        if state_name(peering) not in ("pending-acceptance", "active"):
            advice = ""
            if state_name(peering) == "failed":
                ranges = [(peering.get(side) or {}).get("IpRange") for side in ("SourceNet", "AccepterNet")]
                advice = (
                    f" The IP ranges of the two Nets ({ranges[0]} and {ranges[1]}) must not overlap: "
                    "peer Nets with disjoint ranges."
                )
            raise OscError(
                f"CreateNetPeering made {peering.get('NetPeeringId')}, but it is {state_name(peering)}: "
                f"{state_message(peering) or 'no message'}.{advice}",
                result={"peering": peering},
                changed=True,
            )
        return peering

    def _created_peering(self, plan: Plan, unknown: Optional[OscApiError] = None) -> Optional[Peering]:
        """After a create whose result is unknown: the new peering of the pair, or None. One ReadNetPeerings call."""
        wanted = plan.wanted
        try:
            peerings = read_pair(self.client, wanted.source_net_id, wanted.accepter_net_id)
        except OscApiError as exc:
            raise self._unsettled("CreateNetPeering", unknown, exc)
        return new_peering(peerings, wanted.source_net_id, wanted.accepter_net_id, plan.known_ids)

    # -- state changes -------------------------------------------------------------

    def _accept(self, step: Step, current: Peering, peering_id: str) -> Peering:
        response = self._write_once_more_if_unknown(
            step,
            "AcceptNetPeering",
            peering_id,
            done=lambda p: state_name(p) == "active",
            retry=lambda p: state_name(p) == "pending-acceptance",
        )
        if isinstance(response, dict) and "NetPeering" in response:
            # Trusted for its state only: the answer is not what a read returns (the accepter's
            # view, no requester tags); the rest of what is reported comes from reads.
            returned = checked_peering(response["NetPeering"], "AcceptNetPeering", response=response)
            if returned["NetPeeringId"] != peering_id:
                raise UnexpectedResponse(
                    "AcceptNetPeering",
                    f"NetPeering is {returned['NetPeeringId']}, not the accepted {peering_id}",
                    response,
                )
            current = with_state(current, state_name(returned), state_message(returned))
        elif isinstance(response, dict):
            current = with_state(current, "active", "Active")  # HTTP 200 without a peering: it was accepted
        else:  # settled by a read
            current = self._merge_read(current, response)
        if state_name(current) == "active" or not self.wait:
            return current
        return self._merge_read(current, self.wait_for_state(peering_id, "active", current))

    def _write_state(
        self,
        step: Step,
        current: Peering,
        peering_id: str,
        action: str,
        target: str,
        retry_states: Tuple[str, ...],
    ) -> Peering:
        response = self._write_once_more_if_unknown(
            step,
            action,
            peering_id,
            done=lambda p: state_name(p) == target or (p is None and target == "deleted"),
            retry=lambda p: state_name(p) in retry_states,
        )
        if not isinstance(response, dict):
            current = self._merge_read(current, response)
        if state_name(current) != target:
            # Reject and Delete return no peering; the platform's message is not known without another read.
            current = with_state(current, target)
        return current

    # -- waiting -------------------------------------------------------------------

    def wait_for_state(self, peering_id: str, target: str, last: Optional[Peering] = None) -> Peering:
        """Poll the peering until it reaches ``target`` (see _peering_wait.wait_for_state)."""
        return wait_for_state(
            self.client, peering_id, target, last, self.wait_timeout, self.sleep, self.clock, self.jitter
        )

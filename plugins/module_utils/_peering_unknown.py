# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The executor's writes of unknown outcome: read back, then adopted, sent once more, or reported.

A write whose outcome is unknown (connection lost, timeout, 5xx) is never sent again blindly.
Mixed into _peering_apply.Executor (which holds ``client``, ``clients``, ``wrote``, ``warnings``).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Union

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering, read_by_id, state_name
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import Step


class UnsettledWrite(OscError):
    """A write that may have taken effect, whose read-back failed: changed, with the read's api_error."""

    def __init__(self, message: str, read_error: OscApiError) -> None:
        super().__init__(message, changed=True)
        self.read_error = read_error

    def fields(self) -> Dict[str, Any]:
        return self.read_error.fields()


class _ReadBack:
    """A write's outcome settled by reading the peering back (``peering`` None: it is gone)."""

    def __init__(self, peering: Optional[Peering]) -> None:
        self.peering = peering


class UnknownOutcomes:
    """The read-backs of Executor: what a write of unknown outcome did."""

    client: Any
    clients: Dict[str, Any]
    wrote: bool
    warnings: List[str]

    def _unsettled(self, action: str, unknown: Optional[OscApiError], read_error: OscApiError) -> OscError:
        """A write was sent, its outcome is unknown, and reading back failed too: it may have taken effect.

        Reported as Ansible users expect of a change that may have happened: changed, with a
        warning, and the advice to run again (a re-run reads the state and finishes the job).
        """
        self.wrote = True
        cause = unknown.reason if unknown is not None else "it answered without a usable peering"
        message = (
            f"{action} was sent and may have succeeded: its outcome is unknown ({cause}), and reading it back failed "
            f"too ({read_error.full_message().rstrip('.')}). Run the task again: it reads the current state and "
            "adopts what this run made, never making it twice."
        )
        self.warnings.append(f"{action} may have changed something although the task failed; run it again.")
        return UnsettledWrite(message, read_error)

    def _write_once_more_if_unknown(
        self,
        step: Step,
        action: str,
        peering_id: str,
        done: Callable[[Optional[Peering]], bool],
        retry: Callable[[Optional[Peering]], bool],
    ) -> Union[Dict[str, Any], _ReadBack]:
        """Send an accept, reject or delete; if its outcome is unknown, read the peering and decide.

        ``done(peering)``: the write took effect. ``retry(peering)``: it did not and can be sent
        once more (these writes create nothing, so a second one cannot duplicate).
        Returns the response (a dict), or the peering read back (None if gone) when a read settled it.
        """
        client = self.clients[step.actor]
        try:
            response = client.call(action, {"NetPeeringId": peering_id})
        except OscAmbiguousWriteError as exc:
            peering = self._read_back(action, peering_id, exc)
            if done(peering):
                self.wrote = True
                return _ReadBack(peering)
            if peering is None or not retry(peering):
                raise exc.with_hint(f"Read again, {peering_id} is {state_name(peering) or 'gone'}; run the task again.")
            # AcceptNetPeering of a peering already accepted but still provisioning succeeds again.
            try:
                response = client.call(action, {"NetPeeringId": peering_id})
            except OscApiError as again:
                lost_again = isinstance(again, OscAmbiguousWriteError)
                if again.status != 409 and not lost_again:
                    raise
                # Refused as no longer pending (the first attempt most likely went through late), or
                # unknown again (either attempt may have): read once more, never a third blind send.
                peering = self._read_back(action, peering_id, again if lost_again else exc)
                if not done(peering):
                    if lost_again:
                        raise again.with_hint(
                            f"Read again, {peering_id} is {state_name(peering) or 'gone'}; run the task again."
                        )
                    raise
                self.wrote = True
                return _ReadBack(peering)
        self.wrote = True
        return response

    def _read_back(self, action: str, peering_id: str, unknown: OscApiError) -> Optional[Peering]:
        """The peering after ``action`` of unknown outcome; a failed read says the write may have happened."""
        try:
            return read_by_id(self.client, peering_id)
        except OscApiError as exc:
            raise self._unsettled(action, unknown, exc)

    @staticmethod
    def _merge_read(current: Peering, read: Any) -> Peering:
        """``current`` updated with a read of it, keeping the tags the task knows (they do not change on a state change)."""
        peering = read.peering if isinstance(read, _ReadBack) else read
        if not peering:
            return current
        merged = dict(current or {})
        merged.update(peering)
        if current and "Tags" in current:
            merged["Tags"] = current["Tags"]
        return merged

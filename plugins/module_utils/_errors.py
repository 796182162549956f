# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The one error convention: code below the modules raises an OscError; the
module base (``_base.OscModule.run``) turns it into ``fail_json`` in one place."""

from __future__ import annotations

import re
from typing import Any, Dict, Optional


class OscError(Exception):
    """A failure whose message says what to do.

    ``hint`` is advice added by the code that knows the context (for an API
    refusal, the step that made the call). ``result`` holds extra result fields
    (for example the peering as it was when the task failed). ``changed`` says
    whether something was already written before the failure.
    """

    def __init__(
        self, message: str, hint: Optional[str] = None, result: Optional[Dict[str, Any]] = None, changed: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.result = dict(result or {})
        self.changed = changed

    def with_hint(self, hint: Optional[str]) -> OscError:
        """Add advice. Outer code knows the context (which step, which credentials), the
        inner code the cause (what the API's code means): both are kept, context first."""
        if hint and hint != self.hint and (not self.hint or hint not in self.hint):
            self.hint = f"{hint} {self.hint}" if self.hint else hint
        return self

    def full_message(self) -> str:
        text = str(self)
        if self.hint:
            text = f"{text.rstrip('. ')}. {self.hint}"
        return text if text.endswith((".", "?", "!")) else text + "."

    def fields(self) -> Dict[str, Any]:
        """Extra top-level result fields for fail_json (api_error for API failures)."""
        return {}


class ConfigurationError(OscError):
    """Connection settings that cannot be resolved (credentials, endpoint, region, files)."""


class UnexpectedResponse(OscError):
    """An API answer whose shape the module cannot use (checked where the data comes in, never a traceback)."""

    def __init__(self, action: str, problem: str, response: Any = None) -> None:
        context = response.get("ResponseContext") if isinstance(response, dict) else None
        request_id = context.get("RequestId") if isinstance(context, dict) else None
        quoting = f" (RequestId {request_id})" if _is_request_id(request_id) else ""
        super().__init__(
            f"The API returned an unexpected {action} response: {problem}. The task cannot rely on it; "
            f"run the task again, and if this persists, report it to Outscale support{quoting}."
        )
        self.action = action
        self.problem = problem


def _is_request_id(value: Any) -> bool:
    """Whether a RequestId may be quoted: the API's are UUIDs. Anything else (an echo of the request,
    a proxy's text) is left out, as it may carry a header or a secret."""
    return isinstance(value, str) and bool(_REQUEST_ID.match(value))


_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")

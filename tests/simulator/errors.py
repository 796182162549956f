"""Every refusal the simulator can produce: HTTP status, Outscale error Code and Type.

Sources (the reference notes outscale-net-peering-facts.md and outscale-platform-evidence.md; README.md, "Rules"):
- "yaml": osc_sdk_python/resources/gateway_errors.yaml (codes 4000-10046 only).
- "errors page": the public OUTSCALE API errors page (codes below 4000 and 7000).
- "recording": refusals recorded against a real region (codes only).
Where no source gives the answer the choice is marked "guess".
"""

from __future__ import annotations

import uuid
from typing import NamedTuple


class ErrorKind(NamedTuple):
    """One kind of refusal."""

    status: int
    code: str
    type: str
    name: str


# Authentication. Existing key, wrong signature: 401/1 AccessDenied, Details "" (recorded:
# stephrobert/pepin internal/collect/refusal_test.go, eu-west-2). The simulator also uses
# it for other broken signatures (malformed header, stale date): the errors page lists
# 1 ErrorAuthenticationFailed, the exact code of each case is unconfirmed.
AUTH_FAILED = ErrorKind(401, "1", "AccessDenied", "ErrorAuthenticationFailed")
# Unknown access key, and a valid key whose scope names another region (keys are per
# region): 400/4120 InvalidParameterValue (recorded: pepin refusal_test.go; feint
# docs/proxy.md). 4120 is not in gateway_errors.yaml, so its name is ours.
UNKNOWN_ACCESS_KEY = ErrorKind(400, "4120", "InvalidParameterValue", "invalid-access-key")
# Authentication blocked after repeated invalid access keys (documented: OpenAPI 1.42.0
# info.description). Guess: the code is undocumented; the simulator answers 401/1 like
# any other failed authentication.
AUTH_BLOCKED = ErrorKind(401, "1", "AccessDenied", "ErrorAuthenticationFailed")
# An EIM user denied the action: 403/4 "You are not authorized to perform this action."
# (recorded: stephrobert/pepin). Type AccessDenied is a guess (the errors page family).
EIM_NOT_AUTHORIZED = ErrorKind(403, "4", "AccessDenied", "You are not authorized to perform this action.")
# A signed caller acting on the wrong side of a peering (accept/reject by the requester,
# delete of a pending peering by the accepter). Guess: errors page 5 ErrorNotAuthorized (401);
# its code differs from 1, so clients can tell it from a bad signature.
NOT_AUTHORIZED = ErrorKind(401, "5", "AccessDenied", "ErrorNotAuthorized")
# Unsupported HTTP method (older errors page: 2 ErrorHttpMethodNotAllowed, 405).
METHOD_NOT_ALLOWED = ErrorKind(405, "2", "AccessDenied", "ErrorHttpMethodNotAllowed")

# Throttling (guide and errors page).
THROTTLED_PLATFORM = ErrorKind(503, "6", "AccessDenied", "ErrorOperationThrottledWholePlatform")
THROTTLED_ACCOUNT = ErrorKind(429, "24", "AccessDenied", "ErrorOperationThrottledPerAccount")
THROTTLED_CALL = ErrorKind(429, "25", "AccessDenied", "ErrorOperationThrottledPerCall")
# Identical requests repeated too often: limited (documented: OpenAPI 1.42.0
# info.description), answer undocumented. Guess: the per-call throttle, 429/25.
THROTTLED_IDENTICAL = ErrorKind(429, "25", "AccessDenied", "ErrorOperationThrottledPerCall")
# Guess: the code of a genuine 500 is not documented anywhere we can read; faults may override it.
INTERNAL_ERROR = ErrorKind(500, "2000", "InternalError", "ErrorInternalError")

# Request validation against outscale.yaml (errors page: 3001 InvalidParameter for an
# unexpected parameter, 7000 MissingParameter; yaml: 4108 invalid-parameter-type).
INVALID_PARAMETER = ErrorKind(400, "3001", "InvalidParameter", "invalid-parameter")
MISSING_PARAMETER = ErrorKind(400, "7000", "MissingParameter", "missing-parameter")
INVALID_PARAMETER_TYPE = ErrorKind(400, "4108", "InvalidParameterValue", "invalid-parameter-type")
INVALID_PARAMETER_VALUE = ErrorKind(400, "4047", "InvalidParameterValue", "invalid-parameter-value")
# Guess: a body that is not JSON at all; yaml 4095 validation-error is the closest name.
MALFORMED_BODY = ErrorKind(400, "4095", "InvalidParameterValue", "validation-error")
# Guess: an action the simulator does not know; yaml 5011 no-such-call.
UNKNOWN_ACTION = ErrorKind(400, "5011", "InvalidResource", "no-such-call")

# Identifiers and values (recording: 4104; yaml: the others).
INVALID_ID_PREFIX = ErrorKind(400, "4104", "InvalidParameterValue", "invalid-id-prefix")
MALFORMED_ID = ErrorKind(400, "4105", "InvalidParameterValue", "malformed-id")
INVALID_FILTER = ErrorKind(400, "4023", "InvalidParameterValue", "invalid-filter")
INVALID_CIDR_SIZE = ErrorKind(400, "4015", "InvalidParameterValue", "invalid-cidr-size")
INVALID_TAG_KEY = ErrorKind(400, "4069", "InvalidParameterValue", "invalid-tag-key")
INVALID_TAG_VALUE_LENGTH = ErrorKind(400, "4071", "InvalidParameterValue", "invalid-tag-value-length")
# Recording: same Net on both sides. Not in the yaml, so its Type is a guess.
SAME_NET = ErrorKind(400, "4199", "InvalidParameterValue", "same-net")

# Missing resources (recording: 5035 for peerings, 5065 for Nets).
NO_SUCH_NET_PEERING = ErrorKind(400, "5035", "InvalidResource", "no-such-networklink")
NO_SUCH_NET = ErrorKind(400, "5065", "InvalidResource", "no-such-vpc")

# State conflicts. 6003 is *unconfirmed* (facts sheet); 9029 comes from a public
# collection's notes and is absent from the yaml, so its Type is a guess.
INVALID_STATE = ErrorKind(409, "6003", "InvalidState", "invalid-state")
CANNOT_DELETE = ErrorKind(409, "9029", "ResourceConflict", "cannot-delete")
# A second live peering in the same direction: refused (documented: CreateNetPeering
# "cannot create more than one"), code unknown (ricochet returns the existing one).
# Guess: yaml 9067 has the exact meaning; HTTP 409 as the platform answers conflicts even
# where the spec declares no 409 (recorded: feint oapi-cli-lifecycle.jsonl, 9085).
PEERING_ALREADY_EXISTS = ErrorKind(409, "9067", "ResourceConflict", "vpc-peering-connection-already-exists")
# DeleteNet while the Net has peerings: refused (documented: DeleteNet). Guess: the code;
# yaml 9066 vpc-is-associated is the closest name, HTTP 409 as for other conflicts.
NET_HAS_PEERINGS = ErrorKind(409, "9066", "ResourceConflict", "vpc-is-associated")

# Route tables. Every code below is a guess: the names come from gateway_errors.yaml,
# none is recorded for these calls. Osc-ricochet-2 (Outscale's emulator) answers a bare
# 400 without a Code for each of these refusals.
NO_SUCH_ROUTE_TABLE = ErrorKind(400, "5046", "InvalidResource", "no-such-route-table")
NO_SUCH_ROUTE = ErrorKind(400, "5045", "InvalidResource", "no-such-route")
# A second route to the same destination in one table: refused (follows from the API's
# shape: DeleteRoute identifies a route by its table and destination; ricochet refuses
# it). Guess: 409 ResourceConflict, yaml 9052 route-already-exists.
ROUTE_ALREADY_EXISTS = ErrorKind(409, "9052", "ResourceConflict", "route-already-exists")
# CreateRoute with more than one target. Guess: yaml 4046 invalid-parameter-set.
INVALID_PARAMETER_SET = ErrorKind(400, "4046", "InvalidParameterValue", "invalid-parameter-set")

# Quotas (yaml). HTTP 400 for the same reason as above.
TOO_MANY_NET_PEERINGS = ErrorKind(400, "10035", "TooManyResources (QuotaExceded)", "too-many-networklinks")
TOO_MANY_TAGS = ErrorKind(400, "10041", "TooManyResources (QuotaExceded)", "too-many-tags")


class ApiError(Exception):
    """A refusal to send back with the real error shape."""

    def __init__(self, kind: ErrorKind, details: str = "") -> None:
        super().__init__(f"{kind.status} {kind.code} {kind.type}: {details}")
        self.kind = kind
        self.details = details

    def with_code(self, code: str | None) -> ApiError:
        """Same refusal with another Code (fault overrides)."""
        if not code:
            return self
        return ApiError(self.kind._replace(code=str(code)), self.details)

    def body(self, request_id: str) -> dict:
        """The JSON document of the error response."""
        return error_body(self.kind, self.details, request_id)


def error_body(kind: ErrorKind, details: str, request_id: str) -> dict:
    """{"Errors": [...], "ResponseContext": {...}} as the real API answers.

    ``details=None`` sends ``Details: ""`` as the platform does for a bad signature
    (recorded: pepin refusal_test.go); "" falls back to the kind's name.
    """
    return {
        "Errors": [{"Code": kind.code, "Type": kind.type, "Details": kind.name if details == "" else (details or "")}],
        "ResponseContext": {"RequestId": request_id},
    }


def new_request_id() -> str:
    """RequestId values look like UUIDs on the real API."""
    return str(uuid.uuid4())

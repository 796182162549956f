"""OSC4-HMAC-SHA256 verification with the official SDK as the oracle.

The expected signature is recomputed by ``osc_sdk_python.authentication.Authentication``
(never by code of the collection under test), with ``build_dates()`` pinned to the
request's X-Osc-Date. Failure reasons go into the error Details but never the secret
key, the expected signature or the Authorization header itself.
"""

from __future__ import annotations

import calendar
import hmac
import re
import time
from typing import Callable, Mapping

from osc_sdk_python.authentication import Authentication
from osc_sdk_python.credentials import Profile

from .errors import AUTH_FAILED, UNKNOWN_ACCESS_KEY, ApiError

ALGORITHM = "OSC4-HMAC-SHA256"
SERVICE = "api"
SIGNED_HEADERS = "content-type;host;x-osc-date"
MAX_SKEW_SECONDS = 300  # guide: a request must arrive within 5 minutes of its X-Osc-Date

_AUTHORIZATION = re.compile(
    r"^OSC4-HMAC-SHA256 Credential=(?P<ak>[^/\s,]+)/(?P<scope>[^\s,]+),\s*"
    r"SignedHeaders=(?P<signed>[^\s,]+),\s*Signature=(?P<sig>[0-9a-f]{64})$"
)
_DATE = re.compile(r"^\d{8}T\d{6}Z$")


class PinnedDateAuthentication(Authentication):
    """The SDK signer with its clock frozen to a given X-Osc-Date."""

    def __init__(self, profile: Profile, host: str, content_type: str, date_iso: str) -> None:
        super().__init__(profile, host, content_type=content_type)
        self._date_iso = date_iso

    def build_dates(self):
        return self._date_iso, self._date_iso[:8]


def expected_signature(
    secret_key: str, region: str, host: str, content_type: str, date_iso: str, uri: str, body: str
) -> str:
    """Signature the SDK would put in the Authorization header for this request."""
    profile = Profile(access_key="unused", secret_key=secret_key, region=region)
    signer = PinnedDateAuthentication(profile, host, content_type, date_iso)
    header = signer.forge_headers_signed(uri, body)["Authorization"]
    return header.rsplit("Signature=", 1)[1]


def signed_host(host_header: str) -> str:
    """The host the client signed: the Host header without its port."""
    host = host_header.strip()
    if host.startswith("["):  # IPv6 literal, kept in brackets as urllib3 does
        return host[: host.index("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


def parse_osc_date(value: str) -> float:
    """Epoch seconds of an X-Osc-Date (YYYYMMDDTHHMMSSZ, UTC)."""
    return float(calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ")))


def presented_credential(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """(access key, region of the credential scope) a request claims, if readable.

    Used before verification to find the lockout subject (see lockout.py).
    """
    match = _AUTHORIZATION.match((headers.get("Authorization") or "").strip())
    if not match:
        return None
    scope = match.group("scope").split("/")
    return match.group("ak"), scope[1] if len(scope) > 1 else ""


def authenticate(
    headers: Mapping[str, str],
    uri: str,
    body: bytes,
    region: str,
    secret_for: Callable[[str], str | None],
    signing_now: float,
) -> str:
    """Return the access key of a correctly signed request, else raise an ApiError.

    401/1 for a broken signature of a known key; 400/4120 for an access key this region
    does not know (unknown, or scoped to another region).
    """
    authorization = headers.get("Authorization")
    if not authorization:
        raise ApiError(AUTH_FAILED, "ErrorAuthenticationFailed: missing Authorization header")
    match = _AUTHORIZATION.match(authorization.strip())
    if not match:
        raise ApiError(AUTH_FAILED, "ErrorAuthenticationFailed: malformed Authorization header")
    if match.group("signed") != SIGNED_HEADERS:
        raise ApiError(AUTH_FAILED, f"ErrorAuthenticationFailed: SignedHeaders must be {SIGNED_HEADERS}")

    # Recorded (stephrobert/pepin refusal_test.go): an unknown access key is 400/4120.
    # Recorded (stephrobert/feint docs/proxy.md): a valid key used against another
    # region's endpoint gets the same 4120, since keys are per region. Both are checked
    # before the date and the signature: the key decides which secret could verify them.
    access_key = match.group("ak")
    secret_key = secret_for(access_key)
    if secret_key is None:
        raise ApiError(UNKNOWN_ACCESS_KEY, "The access key is not valid in this region.")
    scope = match.group("scope").split("/")
    if len(scope) == 4 and scope[1] != region:
        raise ApiError(UNKNOWN_ACCESS_KEY, f"The access key is not valid in region '{scope[1]}'.")

    date_iso = headers.get("X-Osc-Date", "")
    if not _DATE.match(date_iso):
        raise ApiError(AUTH_FAILED, "ErrorAuthenticationFailed: missing or malformed X-Osc-Date")
    try:
        sent_at = parse_osc_date(date_iso)
    except ValueError:
        raise ApiError(AUTH_FAILED, "ErrorAuthenticationFailed: malformed X-Osc-Date") from None
    # Documented (About-Signatures-of-API-Requests): older than 5 minutes is refused;
    # guess: the code (401/1, as any failed authentication).
    if abs(sent_at - signing_now) > MAX_SKEW_SECONDS:
        raise ApiError(
            AUTH_FAILED, "ErrorAuthenticationFailed: X-Osc-Date is more than 5 minutes away from the server time"
        )

    expected_scope = [date_iso[:8], region, SERVICE, "osc4_request"]
    if scope != expected_scope:
        raise ApiError(AUTH_FAILED, f"ErrorAuthenticationFailed: credential scope must be {'/'.join(expected_scope)}")

    host = signed_host(headers.get("Host", ""))
    content_type = headers.get("Content-Type", "")
    # The SDK hashes str.encode("utf-8"); undecodable bytes can only fail the comparison.
    text = body.decode("utf-8", errors="replace")
    expected = expected_signature(secret_key, region, host, content_type, date_iso, uri, text)
    if not hmac.compare_digest(expected, match.group("sig")):
        # Recorded (pepin): a wrong signature is 401/1 with Details "".
        raise ApiError(AUTH_FAILED, None)
    return access_key

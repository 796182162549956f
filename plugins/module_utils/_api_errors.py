# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Failed API calls: OscApiError and its subclasses, and the advice for the
failures any call can meet (authentication, permissions, connection, TLS).

Advice about a particular resource belongs to the code that made the call. No
message ever holds the secret key, the Authorization header or a proxy password:
every text that reaches a message goes through ``Failures.scrub``.
"""

from __future__ import annotations

import errno
import re
import socket
from typing import Any, Dict, Optional

from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError

# 429 (Codes 24/25) and 503 (Code 6) mean "refused before doing anything": safe to resend.
THROTTLE_STATUSES = (429, 503)
# A 5xx leaves a write's outcome unknown, so these are resent for reads only.
READ_RETRY_STATUSES = (500, 502, 504)

# Codes any call can meet, with what to do; {region} and {endpoint} are the client's.
GENERIC_ADVICE = {
    "1": "Check access_key/secret_key, the region, "
    "and that this machine's clock is right (requests must be signed within 5 minutes of the API's time). "
    "After several unknown access keys in a row, the platform also blocks authentication for 1 to 10 minutes: "
    "fix the key, wait, then run again.",
    # The platform answers 4120 both for an unknown key and for a key of another region.
    "4120": "The access key is not known in region {region} (endpoint {endpoint}). Outscale keys are per region: "
    "check access_key and that region/endpoint are the account's region.",
    "4": "These credentials are not allowed to call {action}: "
    "add the EIM permission api:{action} to their user's policy, or use credentials that have it.",
}

# An Authorization header (or just its signature) echoed back by a server or proxy.
AUTHORIZATION_PATTERN = re.compile(
    r"OSC4-HMAC-SHA256\s+Credential=\S*(\s+SignedHeaders=\S*)?(\s+Signature=[0-9a-fA-F]*)?"
)
SIGNATURE_PATTERN = re.compile(r"Signature=[0-9a-fA-F]+")
# A proxy's Basic credentials, echoed back by a proxy's error page.
BASIC_AUTH_PATTERN = re.compile(r"Basic\s+[A-Za-z0-9+/=]{4,}")


class OscApiError(OscError):
    """One failed API call (or a call that could not be made)."""

    def __init__(
        self,
        action: str,
        message: str,
        status: Optional[int] = None,
        code: Any = None,
        error_type: Optional[str] = None,
        details: Optional[str] = None,
        request_id: Optional[str] = None,
        hint: Optional[str] = None,
    ) -> None:
        self.action = action
        self.status = status
        self.code = code
        self.error_type = error_type
        self.details = details
        self.request_id = request_id
        self.reason = message
        super().__init__(self.describe(), hint=hint)

    def describe(self) -> str:
        parts = [f"{self.action} failed: {self.reason}"]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"Code {self.code}" + (f" ({self.error_type})" if self.error_type else ""))
        if self.details:
            parts.append(f"Details: {self.details}")
        if self.request_id:
            parts.append(f"RequestId: {self.request_id}")
        # Details often end with a period already: no "..", one final period.
        return ". ".join(part.rstrip(". ") for part in parts) + "."

    def as_dict(self) -> Dict[str, Any]:
        """The structured fields, for a module's failure result."""
        return {
            "action": self.action,
            "status_code": self.status,
            "code": self.code,
            "type": self.error_type,
            "details": self.details,
            "request_id": self.request_id,
        }

    def fields(self) -> Dict[str, Any]:
        return {"api_error": self.as_dict()}

    @property
    def is_throttling(self) -> bool:
        return self.status in THROTTLE_STATUSES


class OscAmbiguousWriteError(OscApiError):
    """A write was sent but its outcome is unknown (timeout, dropped connection, 5xx).

    It is never resent blindly, which could create a duplicate: the caller reads
    the current state and decides.
    """


class RetryableError(OscApiError):
    """A failure that is safe to resend (never a write with an unknown outcome); the client retries it."""


def _snippet(text: str, limit: int = 160) -> str:
    """A short, single-line, tag-free excerpt of a non-JSON body (proxy pages)."""
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("..." if len(text) > limit else "")


class Failures:
    """Turns what went wrong in a call into an OscApiError with advice, in the terms of one client's
    settings (endpoint, region) and the host and port it talks to."""

    def __init__(self, settings: Any, host: str, port: int) -> None:
        self.settings = settings
        self.host = host
        self.port = port

    def scrub(self, value: Any) -> str:
        """Remove the secret key and any Authorization header from text that reaches a message."""
        text = str(value)
        secret = self.settings.secret_key
        if secret:
            text = text.replace(secret, "********")
        text = AUTHORIZATION_PATTERN.sub("[Authorization header removed]", text)
        text = BASIC_AUTH_PATTERN.sub("Basic ********", text)
        return SIGNATURE_PATTERN.sub("Signature=********", text)

    def advice(self, action: str, code: Any) -> Optional[str]:
        """What to do about refusals any call can meet, in this client's terms (region, endpoint, action)."""
        advice = GENERIC_ADVICE.get(str(code)) if code is not None else None
        if advice:
            return advice.format(region=self.settings.region, endpoint=self.settings.endpoint, action=action)
        return None

    def gave_up(self, action: str, error: OscApiError, attempts: int, elapsed: float) -> OscApiError:
        if error.is_throttling:
            advice = (
                "The API throttles this account: run with fewer forks or fewer parallel writes, "
                "or raise max_retries / retry_max_time."
            )
        else:
            advice = (
                "The endpoint is slow or failing: check it is reachable from this machine, then run again, "
                "or raise request_timeout / max_retries / retry_max_time."
            )
        return OscApiError(
            action,
            f"{error.reason}; gave up after {attempts} attempts in {elapsed:.1f} s",
            error.status,
            error.code,
            error.error_type,
            error.details,
            error.request_id,
            hint=error.hint or advice,
        )

    def after_send(self, action: str, is_write: bool, reason: str) -> OscApiError:
        """The request may have reached the server: a write's outcome is unknown, a read can be resent."""
        if is_write:
            return OscAmbiguousWriteError(action, f"{reason}; the write may or may not have been applied")
        return RetryableError(action, reason)

    def unreadable_file(self, action: str, reason: Any) -> OscApiError:
        return OscApiError(
            action,
            self.scrub(reason),
            hint="Check that the file exists, is PEM, and is readable by the user that runs the module.",
        )

    def connect_error(self, action: str, reason: BaseException, proxy: Optional[str] = None) -> OscApiError:
        """A refused connection or a failed name lookup: fail at once, saying which host and port, and why."""
        host, port, endpoint = self.host, self.port, self.settings.endpoint
        if proxy:
            return OscApiError(
                action,
                f"cannot use the proxy {proxy} for endpoint {endpoint}: {self.scrub(reason)}",
                hint="The proxy comes from the environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY): "
                "check it, or add the endpoint's host to NO_PROXY.",
            )
        if isinstance(reason, socket.gaierror):
            return OscApiError(
                action,
                f"cannot resolve the host name {host} (endpoint {endpoint})",
                hint="Check the spelling of endpoint and region "
                "(the default endpoint is https://api.<region>.outscale.com/api/v1) and this machine's DNS.",
            )
        if isinstance(reason, ConnectionRefusedError) or getattr(reason, "errno", None) == errno.ECONNREFUSED:
            if host in ("127.0.0.1", "localhost", "::1"):
                advice = "Is the simulator (or whatever should answer there) running, on that port? Check endpoint."
            else:
                advice = "Check endpoint, and any proxy or firewall between this machine and it."
            return OscApiError(
                action, f"nothing listens on {host}:{port} (connection refused, endpoint {endpoint})", hint=advice
            )
        return OscApiError(
            action,
            f"cannot connect to {host}:{port} ({self.scrub(reason)})",
            hint="Check endpoint and region, and the network between this machine and the endpoint.",
        )

    def tls_error(self, action: str, cause: Any) -> OscApiError:
        text = self.scrub(cause)
        endpoint = self.settings.endpoint
        if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text or "packet length too long" in text:
            # The classic: https:// against a server that speaks plain HTTP (a local simulator).
            plain = endpoint.replace("https://", "http://", 1)
            return OscApiError(
                action,
                f"TLS handshake with {self.host}:{self.port} failed: "
                f"the server answers in plain HTTP, not TLS ({text})",
                hint=f"Use http:// instead of https:// in endpoint ({plain}).",
            )
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return OscApiError(
                action,
                f"TLS error talking to {endpoint} ({text})",
                hint="Set ca_bundle to the CA that signed the endpoint's certificate; "
                "validate_certs: false only for tests.",
            )
        return OscApiError(
            action,
            f"TLS error talking to {endpoint} ({text})",
            hint="Check that endpoint is the Outscale API (https://api.<region>.outscale.com/api/v1), "
            "and ca_bundle / x509_client_cert if you use them.",
        )

    def refusal(self, action: str, status: int, headers: Any, raw: bytes, data: Any, is_write: bool) -> OscApiError:
        """A non-2xx answer as an error: retryable, ambiguous (a write's 5xx) or final."""
        code = error_type = details = request_id = None
        if isinstance(data, dict):
            errors = data.get("Errors")
            first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
            code, error_type, details = first.get("Code"), first.get("Type"), first.get("Details")
            context = data.get("ResponseContext")
            request_id = context.get("RequestId") if isinstance(context, dict) else None
            reason = "the API refused the request"
        elif 300 <= status < 400 and headers.get("Location"):
            reason = (
                f"the endpoint redirects to {headers['Location']}; "
                "set endpoint to the final URL (redirects are not followed: the signature covers the host and path)"
            )
        elif raw:
            content_type = headers.get("Content-Type", "unknown type")
            # Scrub before cutting, so a cut cannot leave half a secret that no longer matches.
            text = self.scrub(raw.decode("utf-8", "replace"))
            reason = f"non-JSON error response ({content_type}, {len(raw)} bytes): {_snippet(text)}"
        else:
            reason = "empty error response"
        # Servers and proxies may echo the request back: scrub every text that reaches a message.
        reason = self.scrub(reason)
        error_type, details, request_id = [
            self.scrub(value) if isinstance(value, str) else value for value in (error_type, details, request_id)
        ]
        fields: Dict[str, Any] = dict(
            status=status,
            code=code,
            error_type=error_type,
            details=details,
            request_id=request_id,
            hint=self.advice(action, code),
        )
        if status in THROTTLE_STATUSES:
            return RetryableError(action, "throttled", **fields)
        if status in READ_RETRY_STATUSES:
            if is_write:
                return OscAmbiguousWriteError(
                    action, "server error; the write may or may not have been applied", **fields
                )
            return RetryableError(action, reason, **fields)
        return OscApiError(action, reason, **fields)

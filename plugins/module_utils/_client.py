# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""A small client for the Outscale API: sign, send, retry, page, raise.

It knows nothing about peerings. Every failure leaves it as OscApiError (or its
subclass OscAmbiguousWriteError), carrying what a user needs to act: action,
HTTP status, Outscale Code, Type, Details and RequestId, plus advice for the
failures any call can meet (authentication, permissions, connection, TLS).
Advice about a particular resource belongs to the code that made the call. No
message ever holds the secret key or the Authorization header.
"""

from __future__ import annotations

import errno
import json
import random
import re
import socket
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._http import (
    ConnectFailed,
    ConnectTimedOut,
    HttpTransport,
    LostAfterSend,
    ResponseTimedOut,
    TlsFailed,
    TlsFilesUnreadable,
)
from ansible_collections.outscale.cloud.plugins.module_utils._signer import sign_request
from ansible_collections.outscale.cloud.plugins.module_utils._version import COLLECTION_VERSION

USER_AGENT = f"outscale.cloud/{COLLECTION_VERSION} ansible-core/{ANSIBLE_VERSION}"

# 429 (Codes 24/25) and 503 (Code 6) mean "refused before doing anything": safe to resend.
THROTTLE_STATUSES = (429, 503)
# A 5xx leaves a write's outcome unknown, so these are resent for reads only.
READ_RETRY_STATUSES = (500, 502, 504)

BACKOFF_BASE = 0.5
BACKOFF_CAP = 20.0

# Codes any call can meet, with what to do; {region} and {endpoint} are the client's.
GENERIC_ADVICE = {
    # A known access key whose signature does not match: the secret key, the clock or the region (part of the
    # signature). The lockout follows unknown access keys (4120), so it is named only as that case.
    "1": "The signature was refused: check that secret_key is the one of this access_key, that this machine's clock "
    "is right (requests must be signed within 5 minutes of the API's time) and the region. Only if the calls before "
    "this one answered Code 4120 (unknown access key): the platform then blocks authentication for 1 to 10 minutes; "
    "fix access_key, wait, then run again.",
    # The platform answers 4120 both for an unknown key and for a key of another region.
    "4120": "The access key is not known in region {region} (endpoint {endpoint}). Outscale keys are per region: "
    "check access_key and that region/endpoint are the account's region. Do not retry in a loop: after several "
    "unknown access keys in a row, the platform blocks authentication for 1 to 10 minutes.",
    "4": "These credentials are not allowed to call {action}: add the EIM permission api:{action} to their user's "
    "policy, or use credentials that have it.",
}


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
            parts.append("Code {}{}".format(self.code, f" ({self.error_type})" if self.error_type else ""))
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


# An Authorization header (or just its signature) echoed back by a server or proxy.
AUTHORIZATION_PATTERN = re.compile(
    r"OSC4-HMAC-SHA256\s+Credential=\S*(\s+SignedHeaders=\S*)?(\s+Signature=[0-9a-fA-F]*)?"
)
SIGNATURE_PATTERN = re.compile(r"Signature=[0-9a-fA-F]+")
# A proxy's Basic credentials, echoed back by a proxy's error page.
BASIC_AUTH_PATTERN = re.compile(r"Basic\s+[A-Za-z0-9+/=]{4,}")


def _snippet(text, limit=160):
    """A short, single-line, tag-free excerpt of a non-JSON body (proxy pages)."""
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("..." if len(text) > limit else "")


class OscClient:
    """One HTTP transport per module run; every call signed, timed out and retried within bounds."""

    def __init__(self, settings: Any, sleep=time.sleep, clock=time.monotonic, jitter=random.random) -> None:
        self.settings = settings
        self.sleep, self.clock, self.jitter = sleep, clock, jitter
        self.transport = HttpTransport(
            settings.endpoint,
            validate_certs=settings.validate_certs,
            ca_bundle=settings.ca_bundle,
            client_cert=(settings.x509_client_cert, settings.x509_client_key) if settings.x509_client_cert else None,
        )
        self.call_counts: Dict[str, int] = {}
        self.warnings: List[str] = []
        # Shared by the threads of one task (net_peerings' parallel writes).
        self._lock = threading.Lock()
        self._throttled_until = 0.0

    # -- public API -------------------------------------------------------

    def call(self, action: str, body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """POST one action; return the decoded JSON response or raise OscApiError."""
        payload = json.dumps(body or {}, separators=(",", ":"))
        is_write = not action.startswith("Read")
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_throttle()
            with self._lock:
                self.call_counts[action] = self.call_counts.get(action, 0) + 1
            outcome = self._attempt(action, payload, is_write)
            if not isinstance(outcome, OscApiError):
                return outcome
            if not isinstance(outcome, _Retryable):
                raise outcome
            error = outcome
            delay = self.jitter() * min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
            elapsed = self.clock() - started
            if attempt > self.settings.max_retries or elapsed + delay > self.settings.retry_max_time:
                if error.is_throttling:
                    advice = (
                        "The API throttles this account: run with fewer forks or fewer parallel writes, or raise "
                        "max_retries / retry_max_time."
                    )
                else:
                    advice = (
                        "The endpoint is slow or failing: check it is reachable from this machine, then run again, "
                        "or raise request_timeout / max_retries / retry_max_time."
                    )
                raise OscApiError(
                    action,
                    f"{error.reason}; gave up after {attempt} attempts in {elapsed:.1f} s",
                    error.status,
                    error.code,
                    error.error_type,
                    error.details,
                    error.request_id,
                    hint=error.hint or advice,
                )
            if error.is_throttling:
                # The other threads using this client back off too: the limit is the account's.
                with self._lock:
                    self._throttled_until = max(self._throttled_until, self.clock() + delay)
            self.sleep(delay)

    def _wait_for_throttle(self) -> None:
        with self._lock:
            wait = self._throttled_until - self.clock()
        if wait > 0:
            self.sleep(wait)

    def pages(self, action: str, body: Optional[Dict[str, Any]], page_size: int = 1000) -> Iterator[Dict[str, Any]]:
        """Yield each page of a Read action, following NextPageToken; stop on a token seen before."""
        body = dict(body or {}, ResultsPerPage=page_size)
        seen = set()
        while True:
            page = self.call(action, body)
            yield page
            token = page.get("NextPageToken")
            if not token:
                return
            if not isinstance(token, str):
                raise OscApiError(action, f"unexpected response: NextPageToken is not a string ({token!r})")
            if token in seen:
                self.warnings.append(f"{action} returned a NextPageToken twice; stopped reading after that page.")
                return
            seen.add(token)
            body["NextPageToken"] = token

    def paginate(self, action: str, body: Optional[Dict[str, Any]], items_key: str, page_size: int = 1000) -> List[Any]:
        """Every item of every page: ``items_key`` (e.g. "NetPeerings") of each page, concatenated."""
        items = []
        for page in self.pages(action, body, page_size):
            page_items = page.get(items_key)
            if page_items is not None and not isinstance(page_items, list):
                raise OscApiError(
                    action, f"unexpected response: {items_key} is a {type(page_items).__name__}, not a list"
                )
            items.extend(page_items or [])
        return items

    # -- one attempt ------------------------------------------------------

    def _attempt(self, action, payload, is_write):
        """Send once. Return the decoded response, or an error (a _Retryable one if safe to resend)."""
        url = f"{self.settings.endpoint}/{action}"
        headers = sign_request(
            "POST", url, payload, self.settings.access_key, self.settings.secret_key, self.settings.region
        )
        headers["User-Agent"] = USER_AGENT
        try:
            # Redirects are not followed: the signature covers the host and path.
            response = self.transport.post(
                url,
                payload.encode("utf-8"),
                headers,
                connect_timeout=min(10, self.settings.request_timeout),
                read_timeout=self.settings.request_timeout,
            )
        except TlsFilesUnreadable as exc:
            return OscApiError(
                action,
                self._scrub(exc),
                hint="Check that the file exists, is PEM, and is readable by the user that runs the module.",
            )
        except TlsFailed as exc:
            return self._tls_error(action, self._scrub(exc))
        except ConnectTimedOut:
            return _Retryable(action, f"timed out connecting to {self.settings.endpoint}")
        except ConnectFailed as exc:
            # Refused, unresolvable or unreachable: nothing was sent, and waiting would not change the answer.
            return self._connect_error(action, exc.cause, exc.proxy)
        except ResponseTimedOut:
            return self._after_send(action, is_write, f"no response within {self.settings.request_timeout} s")
        except LostAfterSend:
            return self._after_send(action, is_write, "connection lost before a response")
        return self._decode(action, response, is_write)

    def close(self) -> None:
        self.transport.close()

    def _connect_error(self, action, reason, proxy=None):
        """A refused connection or a failed name lookup: fail at once, saying which host and port, and why."""
        host, port = self.transport.host, self.transport.port
        if proxy:
            return OscApiError(
                action,
                f"cannot use the proxy {proxy} for endpoint {self.settings.endpoint}: {self._scrub(reason)}",
                hint="The proxy comes from the environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY): check it, or "
                "add the endpoint's host to NO_PROXY.",
            )
        if isinstance(reason, socket.gaierror):
            return OscApiError(
                action,
                f"cannot resolve the host name {host} (endpoint {self.settings.endpoint})",
                hint="Check the spelling of endpoint and region (the default endpoint is "
                "https://api.<region>.outscale.com/api/v1) and this machine's DNS.",
            )
        if isinstance(reason, ConnectionRefusedError) or getattr(reason, "errno", None) == errno.ECONNREFUSED:
            if host in ("127.0.0.1", "localhost", "::1"):
                advice = "Is the simulator (or whatever should answer there) running, on that port? Check endpoint."
            else:
                advice = "Check endpoint, and any proxy or firewall between this machine and it."
            return OscApiError(
                action,
                f"nothing listens on {host}:{port} (connection refused, endpoint {self.settings.endpoint})",
                hint=advice,
            )
        return OscApiError(
            action,
            f"cannot connect to {host}:{port} ({self._scrub(reason)})",
            hint="Check endpoint and region, and the network between this machine and the endpoint.",
        )

    def _tls_error(self, action, cause):
        host, port = self.transport.host, self.transport.port
        text = str(cause)
        if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text or "packet length too long" in text:
            # The classic: https:// against a server that speaks plain HTTP (a local simulator).
            return OscApiError(
                action,
                f"TLS handshake with {host}:{port} failed: the server answers in plain HTTP, not TLS ({text})",
                hint="Use http:// instead of https:// in endpoint ({}).".format(
                    self.settings.endpoint.replace("https://", "http://", 1)
                ),
            )
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return OscApiError(
                action,
                f"TLS error talking to {self.settings.endpoint} ({text})",
                hint="Set ca_bundle to the CA that signed the endpoint's certificate; validate_certs: false "
                "only for tests.",
            )
        return OscApiError(
            action,
            f"TLS error talking to {self.settings.endpoint} ({text})",
            hint="Check that endpoint is the Outscale API (https://api.<region>.outscale.com/api/v1), and "
            "ca_bundle / x509_client_cert if you use them.",
        )

    def _advice(self, action, code, error_type):
        """What to do about refusals any call can meet, in this client's terms (region, endpoint, action)."""
        advice = GENERIC_ADVICE.get(str(code)) if code is not None else None
        if advice:
            return advice.format(region=self.settings.region, endpoint=self.settings.endpoint, action=action)
        return None

    def _after_send(self, action, is_write, reason):
        if is_write:
            return OscAmbiguousWriteError(action, f"{reason}; the write may or may not have been applied")
        return _Retryable(action, reason)

    def _decode(self, action, response, is_write):
        status = response.status
        raw = response.body or b""
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:  # includes UnicodeDecodeError
            data = None
        if 200 <= status < 300:
            if isinstance(data, dict):
                return data
            what = "an empty body" if not raw else f"a body that is not valid JSON ({len(raw)} bytes)"
            if is_write:  # the write went through, but we cannot tell what it made
                return OscAmbiguousWriteError(action, f"HTTP {status} with {what}", status)
            return _Retryable(action, f"the API answered with {what}", status)

        code = error_type = details = request_id = None
        if isinstance(data, dict):
            errors = data.get("Errors")
            first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
            code, error_type, details = first.get("Code"), first.get("Type"), first.get("Details")
            context = data.get("ResponseContext")
            request_id = context.get("RequestId") if isinstance(context, dict) else None
            reason = "the API refused the request"
        elif 300 <= status < 400 and response.headers.get("Location"):
            reason = (
                "the endpoint redirects to {}; set endpoint to the final URL (redirects are not followed: "
                "the signature covers the host and path)".format(response.headers["Location"])
            )
        elif raw:
            content_type = response.headers.get("Content-Type", "unknown type")
            # Scrub before cutting, so a cut cannot leave half a secret that no longer matches.
            text = self._scrub(raw.decode("utf-8", "replace"))
            reason = f"non-JSON error response ({content_type}, {len(raw)} bytes): {_snippet(text)}"
        else:
            reason = "empty error response"
        # Servers and proxies may echo the request back: scrub every text that reaches a message.
        reason = self._scrub(reason)
        error_type, details, request_id = [
            self._scrub(value) if isinstance(value, str) else value for value in (error_type, details, request_id)
        ]
        fields = dict(
            status=status,
            code=code,
            error_type=error_type,
            details=details,
            request_id=request_id,
            hint=self._advice(action, code, error_type),
        )
        if status in THROTTLE_STATUSES or (not is_write and status in READ_RETRY_STATUSES):
            return _Retryable(action, reason if status not in THROTTLE_STATUSES else "throttled", **fields)
        if is_write and status in READ_RETRY_STATUSES:
            return OscAmbiguousWriteError(action, "server error; the write may or may not have been applied", **fields)
        return OscApiError(action, reason, **fields)

    def _scrub(self, value):
        """Remove the secret key and any Authorization header from text that reaches a message."""
        text = str(value)
        secret = self.settings.secret_key
        if secret:
            text = text.replace(secret, "********")
        text = AUTHORIZATION_PATTERN.sub("[Authorization header removed]", text)
        text = BASIC_AUTH_PATTERN.sub("Basic ********", text)
        return SIGNATURE_PATTERN.sub("Signature=********", text)


class _Retryable(OscApiError):
    """Internal: a failure that is safe to resend (never a write with an unknown outcome)."""

# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""A small client for the Outscale API: sign, send, retry, page.

It knows nothing about peerings. Every failure leaves it as an OscApiError
(or its subclass OscAmbiguousWriteError), built with its advice by
``_api_errors.Failures``; a page of the wrong shape as UnexpectedResponse.
"""

from __future__ import annotations

import json
import random
import threading
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import (
    Failures,
    OscAmbiguousWriteError,
    OscApiError,
    RetryableError,
)
from ansible_collections.outscale.cloud.plugins.module_utils._errors import ConfigurationError, UnexpectedResponse
from ansible_collections.outscale.cloud.plugins.module_utils._http import (
    ConnectFailed,
    ConnectTimedOut,
    HttpTransport,
    LostAfterSend,
    Response,
    ResponseTimedOut,
    ResponseTooLarge,
    TlsFailed,
    TlsFilesUnreadable,
    check_proxy,
)
from ansible_collections.outscale.cloud.plugins.module_utils._signer import sign_request
from ansible_collections.outscale.cloud.plugins.module_utils._version import COLLECTION_VERSION

__all__ = ["OscAmbiguousWriteError", "OscApiError", "OscClient", "USER_AGENT"]

USER_AGENT = f"outscale.cloud/{COLLECTION_VERSION} ansible-core/{ANSIBLE_VERSION}"

BACKOFF_BASE = 0.5
BACKOFF_CAP = 20.0
# More pages of 1,000 than any account holds items: an endpoint that keeps sending a new
# NextPageToken is broken, and following it would never end.
MAX_PAGES = 100


class OscClient:
    """One HTTP transport per module run; every call signed, timed out and retried within bounds."""

    def __init__(
        self,
        settings: Any,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings
        self.sleep, self.clock, self.jitter = sleep, clock, jitter
        problem = check_proxy(settings.endpoint)
        if problem:  # a setting to fix, found before any call: never retried as a connection failure
            raise ConfigurationError(problem[0].upper() + problem[1:] + " Nothing was sent.")
        self.transport = HttpTransport(
            settings.endpoint,
            validate_certs=settings.validate_certs,
            ca_bundle=settings.ca_bundle,
            client_cert=(settings.x509_client_cert, settings.x509_client_key) if settings.x509_client_cert else None,
        )
        self.failures = Failures(settings, self.transport.host, self.transport.port)
        self.warnings: List[str] = []
        # Shared by the threads of one task (net_peerings' parallel writes).
        self._lock = threading.Lock()
        self._throttled_until = 0.0

    def call(self, action: str, body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """POST one action; return the decoded JSON response or raise OscApiError."""
        payload = json.dumps(body or {}, separators=(",", ":"))
        is_write = not action.startswith("Read")
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_throttle()
            outcome = self._attempt(action, payload, is_write)
            if not isinstance(outcome, OscApiError):
                return outcome
            if not isinstance(outcome, RetryableError):
                raise outcome
            delay = self.jitter() * min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
            elapsed = self.clock() - started
            if attempt > self.settings.max_retries or elapsed + delay > self.settings.retry_max_time:
                raise self.failures.gave_up(action, outcome, attempt, elapsed)
            if outcome.is_throttling:
                # The other threads using this client back off too: the limit is the account's.
                with self._lock:
                    self._throttled_until = max(self._throttled_until, self.clock() + delay)
            self.sleep(delay)

    def pages(self, action: str, body: Optional[Dict[str, Any]], page_size: int = 1000) -> Iterator[Dict[str, Any]]:
        """Yield each page of a Read action, following NextPageToken.

        A token seen before, or more than MAX_PAGES pages, is an error: the listing would be
        incomplete or endless, and a decision taken on it could be wrong.
        """
        body = dict(body or {}, ResultsPerPage=page_size)
        seen = set()
        while True:
            page = self.call(action, body)
            yield page
            token = page.get("NextPageToken")
            if not token:
                return
            if not isinstance(token, str):
                raise UnexpectedResponse(action, f"NextPageToken is not a string (a {type(token).__name__})", page)
            if token in seen:
                raise UnexpectedResponse(
                    action, f"page {len(seen) + 1} repeats a NextPageToken of an earlier page", page
                )
            if len(seen) + 1 >= MAX_PAGES:
                raise UnexpectedResponse(
                    action, f"more than {MAX_PAGES} pages of {page_size}, more than any account holds", page
                )
            seen.add(token)
            body["NextPageToken"] = token

    def close(self) -> None:
        self.transport.close()

    def _wait_for_throttle(self) -> None:
        with self._lock:
            wait = self._throttled_until - self.clock()
        if wait > 0:
            self.sleep(wait)

    def _attempt(self, action: str, payload: str, is_write: bool) -> Union[Dict[str, Any], OscApiError]:
        """Send once. Return the decoded response, or an error (a RetryableError if safe to resend)."""
        url = f"{self.settings.endpoint}/{action}"
        headers = sign_request(
            "POST", url, payload, self.settings.access_key, self.settings.secret_key, self.settings.region
        )
        headers["User-Agent"] = USER_AGENT
        failures = self.failures
        try:
            response = self.transport.post(
                url,
                payload.encode("utf-8"),
                headers,
                connect_timeout=min(10, self.settings.request_timeout),
                read_timeout=self.settings.request_timeout,
            )
        except TlsFilesUnreadable as exc:
            return failures.unreadable_file(action, exc)
        except TlsFailed as exc:
            return failures.tls_error(action, exc)
        except ConnectTimedOut:
            return RetryableError(action, f"timed out connecting to {self.settings.endpoint}")
        except ConnectFailed as exc:
            # Refused, unresolvable or unreachable: nothing was sent, and waiting would not change the answer.
            return failures.connect_error(action, exc.cause, exc.proxy)
        except ResponseTimedOut:
            return failures.after_send(action, is_write, f"no response within {self.settings.request_timeout} s")
        except ResponseTooLarge as exc:
            if is_write:
                return failures.after_send(action, is_write, str(exc))
            return OscApiError(
                action,
                f"{exc}, far more than any answer of the API",
                hint="Check that endpoint is the Outscale API (a proxy or another server may answer instead).",
            )
        except LostAfterSend as exc:
            through = f" (through the proxy {exc.proxy})" if exc.proxy else ""
            return failures.after_send(action, is_write, f"connection lost before a response{through}")
        return self._decode(action, response, is_write)

    def _decode(self, action: str, response: Response, is_write: bool) -> Union[Dict[str, Any], OscApiError]:
        raw = response.body or b""
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except (ValueError, RecursionError):  # UnicodeDecodeError included; RecursionError: nested too deep
            data = None
        if not 200 <= response.status < 300:
            return self.failures.refusal(action, response.status, response.headers, raw, data, is_write)
        if isinstance(data, dict):
            return data
        what = "an empty body" if not raw else f"a body that is not valid JSON ({len(raw)} bytes)"
        if is_write:  # the write went through, but we cannot tell what it made
            return OscAmbiguousWriteError(action, f"HTTP {response.status} with {what}", response.status)
        return RetryableError(action, f"the API answered with {what}", response.status)

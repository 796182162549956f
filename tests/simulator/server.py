"""HTTP(S) front end and the public ``Simulator`` object.

Request pipeline for ``POST /api/v1/<Action>``: lockout of repeated invalid access keys
(401) -> authenticate (401, or 400/4120 for a key this region does not know) -> known
action (400) -> natural throttling (503/429) -> EIM permission (403) -> injected fault ->
JSON body (400) -> schema of outscale.yaml (400) -> action (store rules) -> response with
ResponseContext. Every call is logged; /_sim/ control calls are not.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .actions import ACTIONS, Api
from .auth import authenticate, presented_credential
from .calllog import CallLog
from .clock import Clock, iso
from .control import dispatch
from .errors import (
    AUTH_BLOCKED,
    EIM_NOT_AUTHORIZED,
    INTERNAL_ERROR,
    MALFORMED_BODY,
    METHOD_NOT_ALLOWED,
    UNKNOWN_ACCESS_KEY,
    UNKNOWN_ACTION,
    ApiError,
    new_request_id,
)
from .faults import Fault, FaultInjector
from .lockout import DEFAULT_SETTINGS as LOCKOUT_DEFAULTS
from .lockout import AuthLockout
from .lockout import merge_settings as merge_lockout_settings
from .spec import response_problems, validate_request
from .store import Store
from .throttling import DEFAULT_SETTINGS as THROTTLING_DEFAULTS
from .throttling import ThrottledError, Throttler
from .throttling import merge_settings as merge_throttling_settings

HOST = "127.0.0.1"  # never reachable from another machine
API_PREFIX = "/api/v1/"
CONTROL_PREFIX = "/_sim/"
MAX_BODY = 10 * 1024 * 1024
DEMO_SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "demo.json")

# 502 and 504 come from the load balancer in front of the API on a real platform: an
# HTML page, not the API's JSON error shape.
_PROXY_PAGES = {
    "error_502": (502, "Bad Gateway"),
    "error_504": (504, "Gateway Timeout"),
}


@dataclasses.dataclass
class _Call:
    """What the log keeps about one API call."""

    action: str
    request_id: str
    account_id: str | None = None
    fault: str | None = None
    throttled: str | None = None


class _Dropped(Exception):
    """Close the connection on purpose: no response at all."""


class _HttpServer(ThreadingHTTPServer):
    """One thread per connection; TLS handshakes happen in that thread, not in accept()."""

    daemon_threads = True

    def __init__(self, address, simulator: Simulator, ssl_context: ssl.SSLContext | None) -> None:
        self.simulator = simulator
        self.ssl_context = ssl_context
        self._connections: set = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address) -> None:
        # Headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK add about 40 ms to every response.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.ssl_context is not None:
            request.settimeout(10)
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # a client that fails the handshake gets nothing more
        with self._connections_lock:
            self._connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(request)
            if self.ssl_context is not None:
                request.close()

    def handle_error(self, request, client_address) -> None:
        """Clients that vanish are normal here (timeouts, drops); anything else is a bug."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            self.simulator.internal_errors.append(f"connection handler: {error!r}")

    def close_all_connections(self) -> None:
        """Wake up threads waiting on idle keep-alive connections so stop() is quick."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's requests.Session expects
    server_version = "OutscaleApiSimulator/1.0"
    sys_version = ""
    timeout = 30

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the simulator keeps its own call log."""

    def do_POST(self):  # pylint: disable=invalid-name
        self.server.simulator.handle(self)

    def do_GET(self):  # pylint: disable=invalid-name
        self.server.simulator.handle(self)

    do_PUT = do_DELETE = do_PATCH = do_GET


class Simulator:
    """A local Outscale API (Net peerings, Nets, tags) on 127.0.0.1.

    ``seed``: dict or path of a seed file (default: seeds/demo.json). ``region``: the
    signing region (default: the seed's, else eu-west-2). ``tls``: (certfile, keyfile)
    to serve HTTPS. ``clock``: a Clock, or a start time (epoch or datetime) for a new one.
    ``validate_responses``: check every API response against outscale.yaml and collect
    problems in ``response_problems`` (tests assert it stays empty). ``throttling`` and
    ``auth_lockout``: settings (partial documents, or False to switch off) applied over
    the seed's ``throttling`` / ``auth_lockout`` and the defaults (README.md).
    """

    def __init__(
        self,
        seed=None,
        region: str | None = None,
        tls: tuple[str, str] | None = None,
        clock=None,
        port: int = 0,
        fault_seed: int = 0,
        validate_responses: bool = False,
        throttling: dict | bool | None = None,
        auth_lockout: dict | bool | None = None,
    ) -> None:
        self.clock = clock if isinstance(clock, Clock) else Clock(clock)
        self.store = Store(DEMO_SEED if seed is None else seed, self.clock, region)
        seed_settings = self.store.seed_settings()  # defaults < seed < constructor (CLI)
        self.throttler = Throttler(
            merge_throttling_settings(
                merge_throttling_settings(THROTTLING_DEFAULTS, seed_settings.get("throttling")), throttling
            )
        )
        self.lockout = AuthLockout(
            merge_lockout_settings(
                merge_lockout_settings(LOCKOUT_DEFAULTS, seed_settings.get("auth_lockout")), auth_lockout
            )
        )
        self.api = Api(self.store)
        self.faults = FaultInjector(fault_seed)
        self.calls = CallLog()
        self.tls = tuple(tls) if tls else None
        self.validate_responses = validate_responses
        self.response_problems: list[str] = []
        self.internal_errors: list[str] = []
        self._requested_port = port
        self._server: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # ----- life cycle -------------------------------------------------------------------

    def start(self) -> Simulator:
        if self._server is not None:
            return self
        context = None
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
        self._stopping.clear()
        self._server = _HttpServer((HOST, self._requested_port), self, context)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"osc-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # interrupts injected delays
        server.shutdown()
        server.close_all_connections()
        server.server_close()  # joins the connection threads
        self._thread.join()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the simulator is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + API_PREFIX.rstrip("/")

    @property
    def region(self) -> str:
        return self.store.region

    @property
    def accounts(self) -> list[dict]:
        """Accounts in the seed's shape (account_id, access_key, secret_key, nets)."""
        return self.store.seed_accounts()

    # ----- controls (same jobs as the /_sim/ endpoints) ----------------------------------

    def advance_clock(self, seconds: float) -> str:
        """Move simulated time forward; returns the new simulated time (ISO 8601)."""
        return iso(self.clock.advance(float(seconds)))

    def set_signing_skew(self, seconds: float) -> None:
        """Shift the time X-Osc-Date is checked against (stale-date tests)."""
        self.clock.set_signing_skew(seconds)

    def add_fault(self, **rule) -> dict:
        """Add a fault rule: the keyword arguments of FaultInjector.add (action, kind, count, ...)."""
        return self.faults.add(**rule)

    def clear_faults(self) -> None:
        self.faults.clear()

    def set_accept_delay(self, seconds: float) -> None:
        """Accepted peerings stay pending-acceptance for this long (simulated seconds)."""
        self.store.set_accept_delay(seconds)

    def set_quota(self, account_id: str, max_live_peerings: int | None) -> None:
        """Limit live (pending or active) peerings of an account; None removes the limit."""
        self.store.set_quota(account_id, None if max_live_peerings is None else int(max_live_peerings))

    def configure_throttling(self, settings: dict | bool) -> dict:
        """Change natural throttling (partial settings; False switches it off); returns the settings."""
        return self.throttler.configure(settings)

    def throttling_stats(self) -> dict:
        """Settings and how many calls natural throttling refused (total, per kind, per account)."""
        return self.throttler.stats()

    def configure_auth_lockout(self, settings: dict | bool) -> dict:
        """Change the invalid-access-key lockout (partial settings; False switches it off)."""
        return self.lockout.configure(settings)

    def auth_lockout_stats(self) -> dict:
        return self.lockout.stats(self.clock.time())

    def log(self) -> list[dict]:
        return self.calls.entries()

    def call_counts(
        self, action: str | None = None, account_id: str | None = None, include_throttled: bool = True
    ) -> int | dict[str, int]:
        return self.calls.counts(action, account_id, include_throttled)

    def clear_log(self) -> None:
        self.calls.clear()

    def take_log(self) -> list[dict]:
        return self.calls.take()

    def reset(self) -> None:
        """Back to the seed; faults, log, quotas, accept delay, clock, throttling and lockout too."""
        self.store.reset()
        self.throttler.reset()
        self.lockout.reset()
        self.faults.clear()
        self.calls.clear()
        self.clock.reset()

    def save(self, path: str) -> None:
        data = self.store.snapshot()
        temporary = f"{path}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        os.replace(temporary, path)

    def load(self, path: str) -> None:
        with open(path, encoding="utf-8") as handle:
            self.store.restore(json.load(handle))

    def bulk_peerings(self, account_id: str, count: int, state: str = "active") -> list[str]:
        return self.store.bulk_peerings(account_id, int(count), state)

    def add_route_table(self, net_id: str, **entry) -> dict:
        """A route table in ``net_id`` (seed fields: route_table_id, subnet_ids, tags, routes),
        bypassing the API; returns it as ReadRouteTables shows it to the Net's owner."""
        return self.store.add_route_table(net_id, entry)

    def add_route(self, route_table_id: str, **route) -> dict:
        """A route (seed fields: destination_ip_range and one target), bypassing CreateRoute's
        rules; returns the table as ReadRouteTables shows it."""
        return self.store.add_route(route_table_id, route)

    def route_tables(self, net_id: str | None = None, account_id: str | None = None) -> list[dict]:
        """Every route table (ReadRouteTables views), optionally of one Net or one account."""
        return self.store.route_table_views(net_id, account_id)

    # ----- request handling ---------------------------------------------------------------

    def handle(self, handler: _Handler) -> None:
        """Entry point of every HTTP request (runs in the connection's thread)."""
        parts = urlsplit(handler.path)
        try:
            body = _read_body(handler)
        except ValueError:
            body = None
        if parts.path.startswith(CONTROL_PREFIX):
            self._handle_control(handler, parts.path, parts.query, body)
        else:
            self._handle_api(handler, parts.path, body)

    def _handle_control(self, handler: _Handler, path: str, query: str, body: bytes | None) -> None:
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            payload = None
        status, document = dispatch(self, handler.command, path, query, payload)
        _send(handler, status, "application/json", json.dumps(document).encode())

    def _handle_api(self, handler: _Handler, path: str, body: bytes | None) -> None:
        call = _Call(
            action=path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path, request_id=new_request_id()
        )
        # The log entry is written before anything reaches the client, so a test that
        # reads the log right after a response (or a dropped connection) sees the call.
        try:
            status, document = self._answer(handler, call, body)
        except _Dropped:
            self._log(call, None, None)
            _drop(handler)
            return
        except _ProxyPage as page:
            self._log(call, page.status, None)
            _send(handler, page.status, "text/html", page.html.encode())
            return
        self._check_response(call, status, document)
        self._log(call, status, document["Errors"][0]["Code"] if "Errors" in document else None)
        _send(handler, status, "application/json", json.dumps(document).encode())

    def _log(self, call: _Call, status: int | None, code: str | None) -> None:
        self.calls.record(
            time=iso(self.clock.time()),
            action=call.action,
            account_id=call.account_id,
            status=status,
            code=code,
            fault=call.fault,
            request_id=call.request_id,
            throttled=call.throttled,
        )

    def _answer(self, handler: _Handler, call: _Call, body: bytes | None) -> tuple[int, dict]:
        """(status, JSON document) of one API call; raises _Dropped or _ProxyPage."""
        try:
            result = self._execute(handler, call, body)
            status, document = 200, {**result, "ResponseContext": {"RequestId": call.request_id}}
        except ApiError as error:
            status, document = error.kind.status, error.body(call.request_id)
        except (_Dropped, _ProxyPage):
            raise
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A simulator bug must not look like a hang: answer 500 and keep it for the tests.
            self.internal_errors.append(f"{call.action}: {error!r}")
            status, document = 500, ApiError(INTERNAL_ERROR, "Simulator internal error.").body(call.request_id)
        if call.fault == "drop_after":
            raise _Dropped()  # the call above was applied: the ambiguous outcome
        return status, document

    def _execute(self, handler: _Handler, call: _Call, body: bytes | None) -> dict:
        if handler.command != "POST":
            raise ApiError(METHOD_NOT_ALLOWED, f"{handler.command} is not allowed; use POST.")
        if body is None:
            raise ApiError(MALFORMED_BODY, "Unreadable request body (bad Content-Length).")
        access_key = self._authenticate(handler, call, body)
        call.account_id = self.store.account_for(access_key)
        if call.action not in ACTIONS:
            raise ApiError(UNKNOWN_ACTION, f"The action '{call.action}' is not supported by this API.")
        # Natural throttling before the permission check and before injected faults: a
        # throttled call consumes no fault rule.
        try:
            self.throttler.check(call.account_id, call.action, body, self.clock.time())
        except ThrottledError as error:
            call.throttled = error.throttle_kind
            raise
        if not self.store.permitted(access_key, call.action):
            # Recorded (stephrobert/pepin): an EIM user denied the action gets 403/4.
            raise ApiError(EIM_NOT_AUTHORIZED, "You are not authorized to perform this action.")
        fault = self.faults.pick(call.action, call.account_id)
        if fault is not None:
            call.fault = fault.kind
            self._apply_fault_before(fault)
        payload = _parse_json(body)
        validate_request(call.action, payload)
        return self.api.call(call.action, call.account_id, payload)

    def _authenticate(self, handler: _Handler, call: _Call, body: bytes) -> str:
        """The verified access key; the lockout of repeated invalid access keys applies first."""
        presented = presented_credential(handler.headers)
        subject = None
        if presented is not None:
            subject = self.lockout.subject(presented[0], presented[1], handler.client_address[0])
            remaining = self.lockout.blocked_for(subject, self.clock.time())
            if remaining > 0:
                call.throttled = "auth_lockout"
                raise ApiError(
                    AUTH_BLOCKED, f"Authentication blocked for {remaining:.0f} s after repeated invalid access keys."
                )
        try:
            access_key = authenticate(
                handler.headers, handler.path, body, self.store.region, self.store.secret_for, self.clock.signing_time()
            )
        except ApiError as error:
            if subject is not None and error.kind == UNKNOWN_ACCESS_KEY:
                self.lockout.failure(subject, self.clock.time())
            raise
        if subject is not None:
            self.lockout.success(subject)
        return access_key

    def _apply_fault_before(self, fault: Fault) -> None:
        if fault.kind == "drop_before":
            raise _Dropped()
        if fault.kind == "delay":
            self._stopping.wait(fault.seconds)  # then answer normally
        elif fault.kind in _PROXY_PAGES:
            status, reason = _PROXY_PAGES[fault.kind]
            raise _ProxyPage(fault.kind, status, f"<html><body><h1>{status} {reason}</h1></body></html>\n")
        error = fault.api_error()
        if error is not None:
            raise error

    def _check_response(self, call: _Call, status: int, document: dict) -> None:
        if not self.validate_responses:
            return
        # Fault and throttling answers (429, 503), 405, 403 (EIM) and 409 (conflicts: the
        # platform answers 409 even where the spec lists none, recorded in feint's corpus)
        # are outside what an operation declares; their body must still be ErrorResponse.
        declared_only = call.fault is None and call.throttled is None and status not in (403, 405, 409)
        self.response_problems.extend(response_problems(call.action, status, document, declared_only=declared_only))


class _ProxyPage(Exception):
    """A 502/504 page from the (simulated) front proxy."""

    def __init__(self, fault: str, status: int, html: str) -> None:
        super().__init__(fault)
        self.fault = fault
        self.status = status
        self.html = html


def _read_body(handler: _Handler) -> bytes:
    length = handler.headers.get("Content-Length")
    if length is None:
        return b""
    size = int(length)  # ValueError on garbage
    if size < 0 or size > MAX_BODY:
        raise ValueError("bad Content-Length")
    return handler.rfile.read(size)


def _parse_json(body: bytes) -> object:
    # An empty body stands for {} (no parameter), as curl users often send.
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except ValueError:  # includes UnicodeDecodeError
        raise ApiError(MALFORMED_BODY, "The request body is not valid JSON.") from None


def _send(handler: _Handler, status: int, content_type: str, data: bytes) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        handler.close_connection = True  # the client went away; nothing else to do


def _drop(handler: _Handler) -> None:
    """Close the connection without a byte of response."""
    handler.close_connection = True
    try:
        handler.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass

# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Review 17: whether a request may have reached the server, through proxies and TLS, and the answer's deadline.

Over real sockets on 127.0.0.1: small raw servers that break the connection at a chosen moment,
the CONNECT proxy of http_fixtures, always stopped. A write lost after it was sent must be an
unknown outcome (the caller reads back), never "nothing was sent".
"""

# ruff: noqa: F811  (pytest fixtures imported from test_client are used as parameters)

import os
import socket
import struct
import threading
import time

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import ConfigurationError
from ansible_collections.outscale.cloud.plugins.module_utils._http import TlsFailed, _refused_client_cert
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.http_fixtures import ConnectProxy, unused_port

# The fixtures of test_client (fake time, client factory, CA), shared.
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.test_client import (  # noqa: F401  pylint: disable=unused-import
    READ,
    _server_context,
    ca_pem,
    fake,
    make_client,
    no_proxy_env,
    tls_ca,
)

CREATE = "CreateNetPeering"
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


def read_request(conn):
    """The request line of one whole request read from ``conn`` (b"" if it closed first)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _separator, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(rest) < length:
        rest += conn.recv(65536)
    return head.split(b"\r\n", 1)[0]


def reset(conn):
    """Close with a TCP reset (SO_LINGER 0), as a server or a proxy that drops a connection does."""
    with socket.socket(fileno=os.dup(conn.fileno())) as raw:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class RawServer:
    """Runs ``handler(conn, received)`` for each connection on 127.0.0.1; ``received``: request lines."""

    def __init__(self, handler):
        self.handler = handler
        self.received = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.threads = []
        self.connections = []

    def __enter__(self):
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self.threads.append(thread)
        return self

    def __exit__(self, *exc_info):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
        except OSError:
            pass
        self.listener.close()
        for conn in self.connections:  # a kept-alive connection would hold its thread
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self.threads:
            thread.join(5)

    def _accept(self):
        while True:
            try:
                conn = self.listener.accept()[0]
            except OSError:
                return
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _handle(self, conn):
        self.connections.append(conn)
        try:
            self.handler(conn, self.received)
        except OSError:
            pass
        finally:
            conn.close()


def answer_once_then_reset(conn, received):
    """A kept-alive connection that the far end drops: the second request is read, then reset."""
    while True:
        line = read_request(conn)
        if not line:
            return
        received.append(line)
        if len(received) == 1:
            conn.sendall(OK)
        else:
            reset(conn)
            return


@pytest.mark.parametrize("through_proxy", [True, False], ids=["http-proxy", "direct"])
def test_a_kept_alive_connection_reset_after_a_write_is_an_unknown_outcome(make_client, monkeypatch, through_proxy):
    with RawServer(answer_once_then_reset) as srv:
        address = f"http://127.0.0.1:{srv.port}"
        if through_proxy:  # the raw server is the proxy; the endpoint is never contacted
            monkeypatch.setenv("HTTP_PROXY", address)
            endpoint = "http://10.255.255.1:8080/api/v1"
        else:
            endpoint = f"{address}/api/v1"
        client = make_client(endpoint)
        assert client.call(READ, {}) == {}
        with pytest.raises(OscAmbiguousWriteError) as info:
            client.call(CREATE, {"AccepterNetId": "vpc-1"})
    # It used to say "cannot use the proxy": nothing sent, no read-back, changed=false.
    assert [line.split(b" ")[1].rsplit(b"/", 1)[-1] for line in srv.received] == [b"ReadNetPeerings", CREATE.encode()]
    assert "may or may not have been applied" in str(info.value)


def test_a_tunnel_whose_server_closes_after_reading_the_write_is_an_unknown_outcome(
    tls_ca, ca_pem, make_client, monkeypatch
):
    context = _server_context(tls_ca)

    def read_then_reset(conn, received):
        tls = context.wrap_socket(conn, server_side=True)
        received.append(read_request(tls))
        reset(tls)

    with RawServer(read_then_reset) as srv, ConnectProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)  # undone after the test, like every variable it sets
        client = make_client(f"https://127.0.0.1:{srv.port}/api/v1", ca_bundle=ca_pem)
        with pytest.raises(OscAmbiguousWriteError):
            client.call(CREATE, {"AccepterNetId": "vpc-1"})
    assert srv.received == [b"POST /api/v1/CreateNetPeering HTTP/1.1"]  # exactly one, never resent
    assert len(proxy.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]), b"HTTP/1.1 502 garbage\r\n\r\n"],
    ids=["clear-text-alert", "clear-text-garbage"],
)
def test_a_tls_error_after_the_write_was_sent_is_an_unknown_outcome(tls_ca, ca_pem, make_client, answer):
    context = _server_context(tls_ca)

    def read_then_break_tls(conn, received):
        tls = context.wrap_socket(conn, server_side=True)
        received.append(read_request(tls))
        with socket.socket(fileno=os.dup(tls.fileno())) as raw:
            raw.sendall(answer)  # outside the TLS session: the client's TLS layer fails
            time.sleep(0.3)
        tls.close()

    with RawServer(read_then_break_tls) as srv:
        client = make_client(f"https://127.0.0.1:{srv.port}/api/v1", ca_bundle=ca_pem)
        with pytest.raises(OscAmbiguousWriteError):  # it used to be a TLS error: "nothing was sent"
            client.call(CREATE, {"AccepterNetId": "vpc-1"})
    assert len(srv.received) == 1


@pytest.mark.parametrize(
    "reason, refused",
    [
        ("[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required", True),
        ("[SSL: SSLV3_ALERT_BAD_CERTIFICATE] sslv3 alert bad certificate", True),
        ("[SSL: BAD_RECORD_TYPE] bad record type", False),
    ],
)
def test_only_a_refused_client_certificate_after_sending_stays_a_tls_error(reason, refused):
    # A TLS 1.3 server checks the client certificate after the client sent its request, and
    # refuses it before reading it (whether the alert or a reset arrives first is a race).
    assert _refused_client_cert(TlsFailed(reason)) is refused


def test_a_proxy_that_refuses_the_tunnel_means_nothing_was_sent(make_client, monkeypatch):
    with ConnectProxy(answer=b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        client = make_client("https://127.0.0.1:9/api/v1", max_retries=0)
        with pytest.raises(OscApiError) as info:
            client.call(CREATE, {"AccepterNetId": "vpc-1"})
    assert not isinstance(info.value, OscAmbiguousWriteError)
    assert "proxy" in str(info.value)


def test_an_unreachable_proxy_means_nothing_was_sent(make_client, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{unused_port()}")
    with pytest.raises(OscApiError) as info:
        make_client("http://10.255.255.1:8080/api/v1", max_retries=0).call(CREATE, {"AccepterNetId": "vpc-1"})
    assert not isinstance(info.value, OscAmbiguousWriteError)
    assert "cannot use the proxy" in str(info.value)


# -- the deadline covers the status line and the headers ------------------------------------------


def test_headers_trickled_a_byte_at_a_time_are_bounded_by_request_timeout(make_client):
    def trickle_headers(conn, received):
        received.append(read_request(conn))
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ")
        for _second in range(30):
            time.sleep(0.5)
            conn.sendall(b"a")
        conn.sendall(b"\r\nContent-Length: 2\r\n\r\n{}")

    with RawServer(trickle_headers) as srv:
        client = make_client(f"http://127.0.0.1:{srv.port}/api/v1", request_timeout=2, max_retries=0)
        started = time.monotonic()
        with pytest.raises(OscApiError) as info:
            client.call(READ, {})
        elapsed = time.monotonic() - started
    assert elapsed < 4, elapsed  # it used to take 15 s, every header byte arriving within the timeout
    assert "no response within 2 s" in str(info.value)


# -- no part of a proxy password, whatever it holds ---------------------------------------------


def test_a_proxy_password_holding_a_scheme_separator_never_shows(make_client, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://uSeR:PrOx://YpAsS@127.0.0.1:9")
    with pytest.raises((ConfigurationError, OscApiError)) as info:
        make_client("https://10.255.255.1/api/v1", max_retries=0).call(READ, {})
    message = info.value.full_message()
    assert "127.0.0.1:9" in message
    assert not any(piece in message for piece in ("PrOx", "YpAsS", "uSeR")), message

# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 19, defects 2, 5 and 7: what a write's refusal means, bounded answers, proxy passwords.

Over real sockets: the scripted server of test_client, and a small misbehaving server
on 127.0.0.1 (a trickled or oversized answer), always stopped.
"""

# ruff: noqa: F811  (pytest fixtures imported from test_client are used as parameters)

import socket
import threading
import time

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _client as client_module
from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import ConfigurationError, UnexpectedResponse
from ansible_collections.outscale.cloud.plugins.module_utils._http import MAX_RESPONSE_BYTES
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.client_fakes import paginate
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.http_fixtures import (
    Reply,
    ok,
    osc_error,
    unused_port,
)

# The fixtures of test_client (its scripted server, fake time and client factory), shared.
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.test_client import (  # noqa: F401  pylint: disable=unused-import
    PEERING,
    READ,
    fake,
    make_client,
    no_proxy_env,
    server,
)

HTML_503 = Reply(
    503, "<html><body><h1>503 Service Unavailable</h1>No server is available.</body></html>", content_type="text/html"
)


# -- defect 2: only the platform's throttling means "not done" for a write -----------------------


@pytest.mark.parametrize(
    "reply",
    [
        HTML_503,
        Reply(429, "Too Many Requests", content_type="text/plain"),
        osc_error(503, "9999", "ServiceUnavailable"),
        osc_error(429, "1", "TooManyRequests"),
        Reply(599, "", content_type="text/plain"),
    ],
    ids=["503-html", "429-text", "503-other-code", "429-other-code", "599"],
)
@pytest.mark.parametrize("action", ["CreateNetPeering", "AcceptNetPeering"])
def test_a_write_refused_otherwise_than_by_throttling_is_an_unknown_outcome_never_resent(
    server,
    make_client,
    fake,
    action,
    reply,
):
    server.push(reply, ok({"NetPeering": PEERING}))
    client = make_client(server)
    with pytest.raises(OscAmbiguousWriteError) as info:
        client.call(action, {"NetPeeringId": "pcx-12345678"})
    assert server.actions() == [action]  # sent once: the caller reads back
    assert "may or may not have been applied" in str(info.value)
    assert fake.sleeps == []


@pytest.mark.parametrize("status, code", [(503, "6"), (429, "24"), (429, "25")])
def test_the_platform_throttling_answers_are_resent_for_a_write(server, make_client, status, code):
    server.push(osc_error(status, code, "TooManyRequests"), ok({"NetPeering": PEERING}))
    assert make_client(server).call("CreateNetPeering", {})["NetPeering"] == PEERING
    assert server.actions() == ["CreateNetPeering"] * 2


def test_a_read_answered_by_a_proxy_503_page_is_retried(server, make_client):
    server.push(HTML_503, ok({"NetPeerings": []}))
    assert make_client(server).call(READ, {}) == {"NetPeerings": []}


# -- defect 5: bounded answers ------------------------------------------------------------------


class MisbehavingServer:
    """Answers every request with ``head``, then ``body_chunks`` (bytes, one every ``interval`` s)."""

    def __init__(self, head, body_chunks, interval=0.0):
        self.head, self.body_chunks, self.interval = head, body_chunks, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.listener.getsockname()[1]}/api/v1"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.listener.close()
        self.thread.join(5)

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn = self.listener.accept()[0]
            except OSError:
                return
            with conn:
                try:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        data += conn.recv(65536)
                    conn.sendall(self.head)
                    for chunk in self.body_chunks:
                        if self.stopping.wait(self.interval):
                            return
                        conn.sendall(chunk)
                except OSError:
                    continue


def test_an_answer_trickled_a_byte_at_a_time_is_bounded_by_request_timeout(make_client):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    with MisbehavingServer(head, [b" "] * 1000, interval=0.2) as bad:
        client = make_client(bad.endpoint, request_timeout=1, max_retries=0)
        started = time.monotonic()
        with pytest.raises(OscApiError) as info:
            client.call(READ, {})
        elapsed = time.monotonic() - started
    assert elapsed < 3, elapsed  # it used to read on for as long as the server kept sending
    assert "within 1 s" in str(info.value)


def test_an_answer_larger_than_any_real_one_is_refused_without_reading_it_all(make_client):
    size = MAX_RESPONSE_BYTES + 8 * 1024 * 1024
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n".encode()
    with MisbehavingServer(head, [b"[" + b" " * (1024 * 1024 - 1)] * (size // (1024 * 1024))) as bad:
        client = make_client(bad.endpoint, request_timeout=10, max_retries=3)
        with pytest.raises(OscApiError) as info:
            client.call(READ, {})
    assert "larger than 32 MiB" in str(info.value) and "endpoint" in info.value.full_message()
    assert client.call_counts == {READ: 1}  # not retried: the next answer would be as large


def test_an_answer_too_large_for_a_write_is_an_unknown_outcome(make_client):
    size = MAX_RESPONSE_BYTES + 1024 * 1024
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode()
    with MisbehavingServer(head, [b" " * (1024 * 1024)] * (size // (1024 * 1024))) as bad:
        with pytest.raises(OscAmbiguousWriteError):
            make_client(bad.endpoint, request_timeout=10).call("CreateNetPeering", {})


def test_deeply_nested_json_is_the_usual_clear_error(server, make_client):
    server.push(Reply(200, "[" * 100000 + "]" * 100000))
    with pytest.raises(OscApiError) as info:
        make_client(server, max_retries=0).call(READ, {})
    assert "not valid JSON" in str(info.value) and "recursion" not in str(info.value)


def test_more_pages_than_any_account_holds_is_an_error(server, make_client):
    pages = client_module.MAX_PAGES + 5
    server.push(*[ok({"NetPeerings": [], "NextPageToken": f"token-{n}"}) for n in range(pages)])
    with pytest.raises(UnexpectedResponse) as info:
        paginate(make_client(server), READ, {}, "NetPeerings")
    assert f"more than {client_module.MAX_PAGES} pages" in str(info.value)
    assert len(server.received) == client_module.MAX_PAGES


@pytest.mark.parametrize("token", [{"Authorization": "OSC4-HMAC-SHA256 Credential=AKLEAK"}, ["AKLEAK"], 7])
def test_a_page_token_of_the_wrong_type_is_named_not_quoted(server, make_client, token):
    # Review 17: the token's value reached the message unscrubbed; an echoing server could put anything there.
    server.push(ok({"NetPeerings": [], "NextPageToken": token}))
    with pytest.raises(UnexpectedResponse) as info:
        paginate(make_client(server), READ, {}, "NetPeerings")
    assert "NextPageToken is not a string" in str(info.value)
    assert "AKLEAK" not in str(info.value) and "Authorization" not in str(info.value)


@pytest.mark.parametrize(
    "request_id, shown",
    [
        ("0b8c3e5f-1d2a-4c6b-9e7f-123456789abc", True),
        ("Authorization: OSC4-HMAC-SHA256 Credential=AKLEAK/Signature=00ff", False),
        ("x" * 200, False),
        (["req"], False),
    ],
)
def test_an_unexpected_response_quotes_only_a_request_id_that_looks_like_one(request_id, shown):
    error = UnexpectedResponse("ReadNetPeerings", "odd", {"ResponseContext": {"RequestId": request_id}})
    assert ("RequestId" in str(error)) is shown
    assert "AKLEAK" not in str(error) and "x" * 100 not in str(error)


# -- defects 6 and 7: proxies parsed once, no part of a password shown -----------------------------

PIECES = ("PrOx", "YpAsS")


@pytest.mark.parametrize("separator", ["#", "/", "?"])
def test_a_proxy_password_with_url_delimiters_is_refused_without_showing_any_part(
    make_client,
    monkeypatch,
    separator,
):
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:PrOx{separator}YpAsS@127.0.0.1:3128")
    with pytest.raises(ConfigurationError) as info:
        make_client("https://api.eu-west-2.outscale.com/api/v1")
    message = info.value.full_message()
    assert "proxy" in message and "percent-encode" in message and "Nothing was sent" in message
    assert not any(piece in message for piece in PIECES), message


@pytest.mark.parametrize(
    "proxy", ["http://127.0.0.1:99999", "http://127.0.0.1:abc", "http://:3128", "http://[::1:3128", "http://a b:1"]
)
def test_a_malformed_proxy_is_refused_before_any_call(make_client, monkeypatch, proxy):
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    with pytest.raises(ConfigurationError) as info:
        make_client("https://api.eu-west-2.outscale.com/api/v1")
    assert "proxy" in str(info.value) and "NO_PROXY" in str(info.value)


def test_a_percent_encoded_proxy_password_never_shows_in_a_connection_failure(make_client, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://user:PrOx%23YpAsS@127.0.0.1:{unused_port()}")
    with pytest.raises(OscApiError) as info:
        make_client("http://api.eu-west-2.outscale.com/api/v1", max_retries=0).call(READ, {})
    message = info.value.full_message()
    assert "proxy" in message
    assert not any(piece in message for piece in PIECES + ("user:",)), message

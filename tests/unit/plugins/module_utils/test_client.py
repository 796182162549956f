# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OscClient over real sockets, against a scriptable server on 127.0.0.1.

No mock of the transport: every test sends real HTTP(S). Time is faked through the
client's injectable sleep/clock/jitter, so no test waits for a backoff; the
only real waits are sub-second read timeouts.
"""

import datetime
import json
import os
import random
import re
import socket
import ssl
import threading

import pytest
import trustme
from osc_sdk_python.authentication import Authentication
from osc_sdk_python.credentials import Profile

from ansible_collections.outscale.cloud.plugins.module_utils import _client as client_module
from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import (
    GENERIC_ADVICE,
    OscAmbiguousWriteError,
    OscApiError,
)
from ansible_collections.outscale.cloud.plugins.module_utils._credentials import ConnectionSettings, resolve_settings
from ansible_collections.outscale.cloud.plugins.module_utils._errors import UnexpectedResponse
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.client_fakes import CountingClient, paginate
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.http_fixtures import (
    ConnectProxy,
    Reply,
    ScriptedServer,
    drop,
    ok,
    osc_error,
    stall,
    unused_port,
)

ACCESS_KEY = "AKTESTCLIENT00000001"
SECRET_KEY = "SKtestClientSecret/+000000000000000000001"
REGION = "eu-west-2"
READ = "ReadNetPeerings"
WRITES = ["CreateNetPeering", "DeleteNetPeering"]
PEERING = {"NetPeeringId": "pcx-12345678", "State": {"Name": "active", "Message": "Active"}}
PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


def is_plain_api_error(error):
    """An OscApiError that is neither ambiguous nor retryable: the caller must act on it."""
    return error.__class__ is OscApiError  # exact class on purpose: subclasses mean something else


class FakeTime:
    """A clock that only moves when the client sleeps (or a test says so)."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds


def settings_for(endpoint, **overrides):
    values = dict(
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        region=REGION,
        endpoint=endpoint,
        validate_certs=True,
        ca_bundle=None,
        x509_client_cert=None,
        x509_client_key=None,
        request_timeout=2,
        max_retries=3,
        retry_max_time=60,
    )
    values.update(overrides)
    return ConnectionSettings(**values)


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch):
    # A proxy from the environment would take our 127.0.0.1 traffic elsewhere.
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def fake():
    return FakeTime()


@pytest.fixture
def make_client(fake):
    clients = []

    def factory(endpoint, jitter=0.5, settings=None, **overrides):
        endpoint = getattr(endpoint, "endpoint", endpoint)
        client = CountingClient(
            settings or settings_for(endpoint, **overrides),
            sleep=fake.sleep,
            clock=fake.clock,
            jitter=(lambda: jitter) if not callable(jitter) else jitter,
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


def authorization_values(server):
    return [item.headers.get("authorization", "") for item in server.received]


def assert_clean(error, server=None):
    """Neither the secret nor any Authorization header (nor its signature) leaks."""
    texts = [str(error), repr(error), json.dumps(error.as_dict()), error.reason]
    for text in texts:
        assert SECRET_KEY not in text
        assert "OSC4-HMAC-SHA256 Credential" not in text
    for header in authorization_values(server) if server else []:
        signature = header.rsplit("Signature=", 1)[-1]
        for text in texts:
            assert header not in text
            assert signature not in text


# -- retries: throttling ------------------------------------------------------


@pytest.mark.parametrize("action", [READ] + WRITES)
@pytest.mark.parametrize("status,code", [(429, "24"), (503, "6")])
def test_throttling_is_retried_for_reads_and_writes(server, make_client, fake, action, status, code):
    server.push(
        osc_error(status, code, "TooManyRequests"),
        osc_error(status, code, "TooManyRequests"),
        ok({"NetPeering": PEERING}),
    )
    client = make_client(server)

    assert client.call(action, {"NetPeeringId": "pcx-12345678"})["NetPeering"] == PEERING
    assert server.actions() == [action] * 3
    assert len(fake.sleeps) == 2
    assert client.call_counts == {action: 3}
    # A resent request is the same request.
    assert len({item.body for item in server.received}) == 1


@pytest.mark.parametrize("action", [READ, "CreateNetPeering"])
@pytest.mark.parametrize("status,code", [(429, "25"), (503, "6")])
def test_throttling_gives_up_at_max_retries(server, make_client, fake, action, status, code):
    server.push(*[osc_error(status, code, "Throttled", request_id=f"req-{n}") for n in range(10)])
    client = make_client(server, max_retries=2)

    with pytest.raises(OscApiError) as info:
        client.call(action, {})
    error = info.value
    assert not isinstance(error, OscAmbiguousWriteError)  # throttling means nothing was done
    assert "gave up after 3 attempts" in str(error)
    assert len(server.received) == 3
    assert len(fake.sleeps) == 2
    assert (error.status, error.code, error.request_id) == (status, code, "req-2")
    assert_clean(error, server)


@pytest.mark.parametrize("action", [READ, "CreateNetPeering", "AcceptNetPeering"])
@pytest.mark.parametrize(
    "status,code,error_type",
    [(400, "4104", "InvalidParameterValue"), (401, "1", "AccessDenied"), (409, "9029", "InvalidState")],
)
def test_client_errors_are_not_retried(server, make_client, fake, action, status, code, error_type):
    server.push(osc_error(status, code, error_type, "refused"), ok())
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call(action, {"NetPeeringId": "pcx-12345678"})
    error = info.value
    assert is_plain_api_error(error)
    assert (error.status, error.code, error.error_type) == (status, code, error_type)
    assert len(server.received) == 1
    assert fake.sleeps == []
    assert "gave up" not in str(error)
    if code in GENERIC_ADVICE:
        assert error.hint and error.hint in error.full_message()
    else:
        # Advice about peerings belongs to the step that made the call, not to the client.
        assert error.hint is None


def test_a_wrong_secret_key_is_told_to_check_the_secret_not_warned_of_the_unknown_key_lockout(server, make_client):
    server.push(osc_error(401, "1", "AccessDenied", "refused"))
    with pytest.raises(OscApiError) as info:
        make_client(server).call(READ, {})
    message = info.value.full_message()
    assert "check that secret_key is the one of this access_key" in message
    # The lockout follows unknown access keys (4120): named as that case only, after the advice for this one.
    assert "Only if the calls before this one answered Code 4120 (unknown access key)" in message
    assert "After several unknown access keys in a row" not in message


# -- retries: server errors -----------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_are_retried_for_reads(server, make_client, fake, status):
    server.push(
        osc_error(status, "2000", "InternalError"),
        osc_error(status, "2000", "InternalError"),
        ok({"NetPeerings": [PEERING]}),
    )
    client = make_client(server)

    assert client.call(READ, {})["NetPeerings"] == [PEERING]
    assert len(server.received) == 3
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_on_reads_give_up(server, make_client, status):
    server.push(*[osc_error(status, "2000", "InternalError")] * 5)
    client = make_client(server, max_retries=1)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert is_plain_api_error(info.value)
    assert "gave up after 2 attempts" in str(info.value)
    assert len(server.received) == 2


@pytest.mark.parametrize("action", WRITES + ["AcceptNetPeering", "CreateTags"])
@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_on_writes_are_ambiguous_and_never_resent(server, make_client, fake, action, status):
    server.push(osc_error(status, "2000", "InternalError", request_id="req-5xx"), ok({"NetPeering": PEERING}))
    client = make_client(server)

    with pytest.raises(OscAmbiguousWriteError) as info:
        client.call(action, {"SourceNetId": "vpc-11111111", "AccepterNetId": "vpc-22222222"})
    error = info.value
    assert len(server.received) == 1
    assert fake.sleeps == []
    assert (error.status, error.request_id) == (status, "req-5xx")
    assert "may or may not have been applied" in str(error)


def test_throttling_then_server_error_on_a_write_stops_at_the_server_error(server, make_client):
    server.push(osc_error(429, "24", "Throttled"), osc_error(500, "2000", "InternalError"), ok())
    client = make_client(server)

    with pytest.raises(OscAmbiguousWriteError):
        client.call("CreateNetPeering", {})
    assert len(server.received) == 2


# -- bounds: time and backoff -------------------------------------------------------


def test_retry_max_time_bounds_the_total_time_slept(server, make_client, fake):
    server.push(*[osc_error(503, "6", "Throttled")] * 50)
    client = make_client(server, jitter=0.999, max_retries=100, retry_max_time=10)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    # Sleeps 0.4995, 0.999, 1.998, 3.996 (7.49 s); the next, 7.992, would pass 10 s.
    assert len(server.received) == 5
    assert sum(fake.sleeps) <= 10
    assert "gave up after 5 attempts in 7.5 s" in str(info.value)


def test_retry_max_time_counts_time_spent_in_requests(server, make_client, fake):
    def slow_throttle(_received):
        fake.advance(4)  # each attempt "takes" 4 s of the fake clock
        return osc_error(503, "6", "Throttled")

    server.push(*[slow_throttle] * 20)
    client = make_client(server, jitter=0.0, max_retries=100, retry_max_time=10)

    with pytest.raises(OscApiError) as info:
        client.call("CreateNetPeering", {})
    assert len(server.received) == 3
    assert "gave up after 3 attempts in 12.0 s" in str(info.value)


@pytest.mark.parametrize("jitter", [0.0, 0.999])
def test_backoff_is_full_jitter_within_bounds(server, make_client, fake, jitter):
    server.push(*[osc_error(429, "24", "Throttled")] * 9)
    client = make_client(server, jitter=jitter, max_retries=8, retry_max_time=10**6)

    with pytest.raises(OscApiError):
        client.call(READ, {})
    assert len(server.received) == 9
    assert len(fake.sleeps) == 8
    for n, slept in enumerate(fake.sleeps):
        ceiling = min(client_module.BACKOFF_CAP, client_module.BACKOFF_BASE * 2**n)
        assert 0 <= slept <= ceiling
        assert slept == pytest.approx(jitter * ceiling)
    if jitter:
        assert fake.sleeps[-1] == pytest.approx(0.999 * client_module.BACKOFF_CAP)  # the cap is reached


def test_backoff_with_random_jitter_stays_within_bounds(server, make_client, fake):
    server.push(*[osc_error(503, "6", "Throttled")] * 9)
    client = make_client(server, jitter=random.Random(42).random, max_retries=8, retry_max_time=10**6)

    with pytest.raises(OscApiError):
        client.call("DeleteNetPeering", {})
    assert len(fake.sleeps) == 8
    for n, slept in enumerate(fake.sleeps):
        assert 0 <= slept <= min(client_module.BACKOFF_CAP, client_module.BACKOFF_BASE * 2**n)


# -- the ambiguous-write rule -------------------------------------------------------------


@pytest.mark.parametrize("action", WRITES)
def test_dropped_connection_on_a_write_is_ambiguous(server, make_client, fake, action):
    server.push(drop(), ok({"NetPeering": PEERING}))
    client = make_client(server)

    with pytest.raises(OscAmbiguousWriteError) as info:
        client.call(action, {"NetPeeringId": "pcx-12345678"})
    assert len(server.received) == 1
    assert fake.sleeps == []
    assert "connection lost" in str(info.value)
    assert_clean(info.value, server)


def test_dropped_connection_on_a_read_is_retried(server, make_client, fake):
    server.push(drop(), drop(), ok({"NetPeerings": [PEERING]}))
    client = make_client(server)

    assert client.call(READ, {})["NetPeerings"] == [PEERING]
    assert len(server.received) == 3
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize(
    "answer, hold, reason",
    [
        # A chunk length that is not one; a chunk cut short: requests' ChunkedEncodingError.
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, "connection lost before a response"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc", 0, "connection lost before a response"),
        # The head, then the body stalls: a read timeout that requests reports as a ConnectionError.
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{", 3, "no response within 0.5 s"),
    ],
)
def test_a_broken_answer_to_a_write_is_ambiguous(make_client, fake, answer, hold, reason):
    # The request went out and an answer began: whatever broke after that, the write may have been applied.
    listener = socket.create_server(("127.0.0.1", 0))
    requests_seen = []
    done = threading.Event()

    def answer_once():
        connection, _address = listener.accept()
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            requests_seen.append(data)
            connection.sendall(answer)
            done.wait(hold)

    thread = threading.Thread(target=answer_once, daemon=True)
    thread.start()
    client = make_client(f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1", request_timeout=0.5)
    try:
        with pytest.raises(OscAmbiguousWriteError) as info:
            client.call("CreateNetPeering", {})
    finally:
        done.set()
        thread.join(5)
        listener.close()
    assert len(requests_seen) == 1 and fake.sleeps == []
    assert reason in str(info.value)


def test_read_timeout_on_a_write_is_ambiguous(server, make_client, fake):
    server.push(stall(5, ok({"NetPeering": PEERING})), ok({"NetPeering": PEERING}))
    client = make_client(server, request_timeout=0.5)

    with pytest.raises(OscAmbiguousWriteError) as info:
        client.call("CreateNetPeering", {"SourceNetId": "vpc-11111111", "AccepterNetId": "vpc-22222222"})
    assert len(server.received) == 1
    assert fake.sleeps == []
    assert "no response within 0.5 s" in str(info.value)


def test_read_timeout_on_a_read_is_retried(server, make_client, fake):
    server.push(stall(5), ok({"NetPeerings": []}))
    client = make_client(server, request_timeout=0.5)

    assert client.call(READ, {}) == {"NetPeerings": []}
    assert len(server.received) == 2
    assert len(fake.sleeps) == 1


@pytest.mark.parametrize("action", [READ, "CreateNetPeering"])
def test_connection_refused_fails_at_once(make_client, fake, action):
    """Nothing listens: nothing was sent (never ambiguous), and waiting would not change the answer."""
    port = unused_port()
    endpoint = f"http://127.0.0.1:{port}/api/v1"
    client = make_client(endpoint, max_retries=2)

    with pytest.raises(OscApiError) as info:
        client.call(action, {})
    error = info.value
    assert not isinstance(error, OscAmbiguousWriteError)
    assert client.call_counts == {action: 1} and fake.sleeps == []
    assert f"nothing listens on 127.0.0.1:{port}" in str(error) and "gave up" not in str(error)
    assert "simulator" in error.full_message()
    assert_clean(error)


# -- error parsing ----------------------------------------------------------------


def test_outscale_error_body_is_parsed(server, make_client):
    server.push(osc_error(400, "5065", "InvalidResource", "The Net vpc-99999999 does not exist.", "req-abc-123"))
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call("CreateNetPeering", {"SourceNetId": "vpc-99999999", "AccepterNetId": "vpc-22222222"})
    error = info.value
    text = str(error)
    for fragment in (
        "CreateNetPeering failed",
        "HTTP 400",
        "Code 5065 (InvalidResource)",
        "Details: The Net vpc-99999999 does not exist.",
        "RequestId: req-abc-123",
    ):
        assert fragment in text
    assert error.hint is None  # the client knows nothing about Nets
    assert error.as_dict() == {
        "action": "CreateNetPeering",
        "status_code": 400,
        "code": "5065",
        "type": "InvalidResource",
        "details": "The Net vpc-99999999 does not exist.",
        "request_id": "req-abc-123",
    }
    json.dumps(error.as_dict())  # fit for a module result


def test_html_proxy_page_on_a_write_is_ambiguous(server, make_client):
    page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    server.push(Reply(502, page, content_type="text/html"), ok())
    client = make_client(server)

    with pytest.raises(OscAmbiguousWriteError) as info:
        client.call("CreateNetPeering", {})
    assert info.value.status == 502
    assert info.value.code is None
    assert len(server.received) == 1


def test_html_403_gives_a_short_tag_free_snippet(server, make_client):
    filler = "<p>" + "Request blocked by the web application firewall. " * 20 + "</p>"
    page = (
        f"<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1>{filler}</body></html>"
    )
    server.push(Reply(403, page, content_type="text/html; charset=utf-8"), ok())
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    error = info.value
    assert is_plain_api_error(error)
    assert len(server.received) == 1
    assert error.status == 403
    assert "text/html" in error.reason
    assert "403 Forbidden Forbidden Request blocked" in error.reason
    assert not re.search(r"<[^>]*>", str(error))
    assert len(error.reason) < 300 and error.reason.endswith("...")


def test_empty_error_body(server, make_client):
    server.push(Reply(400, b""), ok())
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call("DeleteNetPeering", {"NetPeeringId": "pcx-12345678"})
    error = info.value
    assert is_plain_api_error(error)
    assert "empty error response" in str(error)
    assert (error.status, error.code) == (400, None)


def test_truncated_json_error_body(server, make_client):
    server.push(Reply(400, '{"Errors":[{"Code":"4104","Type":"InvalidParam', content_type="application/json"), ok())
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call("AcceptNetPeering", {"NetPeeringId": "pcx-12345678"})
    error = info.value
    assert is_plain_api_error(error)
    assert "non-JSON error response (application/json" in str(error)
    assert (error.status, error.code) == (400, None)
    assert len(server.received) == 1


@pytest.mark.parametrize("body", ["<html>maintenance</html>", '{"NetPeerings": [', b"", b"\xff\xfe\x00junk", "[1, 2]"])
def test_ok_status_without_a_json_object_is_retried_for_reads(server, make_client, body):
    server.push(Reply(200, body, content_type="text/html"), ok({"NetPeerings": [PEERING]}))
    client = make_client(server)

    assert client.call(READ, {})["NetPeerings"] == [PEERING]
    assert len(server.received) == 2


def test_ok_status_without_json_on_reads_gives_up(server, make_client):
    server.push(*[Reply(200, "<html>maintenance</html>", content_type="text/html")] * 3)
    client = make_client(server, max_retries=1)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert info.value.status == 200
    assert "not valid JSON" in str(info.value)
    assert "gave up after 2 attempts" in str(info.value)


@pytest.mark.parametrize("body", ["<html>maintenance</html>", '{"NetPeering": {"NetPeeringId"', b""])
def test_ok_status_without_json_on_writes_is_ambiguous(server, make_client, body):
    server.push(Reply(200, body, content_type="text/html"), ok())
    client = make_client(server)

    with pytest.raises(OscAmbiguousWriteError) as info:
        client.call("CreateNetPeering", {})
    assert info.value.status == 200
    assert len(server.received) == 1


def test_redirects_are_not_followed(server, make_client):
    # A redirect would be resent to another path (or turned into a GET), which
    # the signature does not cover: report it instead.
    server.push(Reply(307, b"", headers={"Location": server.url + "/elsewhere/CreateNetPeering"}), ok())
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call("CreateNetPeering", {})
    assert len(server.received) == 1
    assert info.value.status == 307
    assert "/elsewhere/CreateNetPeering" in str(info.value)


# -- secrets -------------------------------------------------------------------


def test_secret_echoed_in_details_is_scrubbed(server, make_client):
    server.push(osc_error(401, "1", "AccessDenied", f"Signature mismatch for secret {SECRET_KEY} (key {ACCESS_KEY})"))
    client = make_client(server)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    error = info.value
    assert_clean(error, server)
    assert "********" in error.details
    assert ACCESS_KEY in error.details  # the access key is not a secret and helps to debug


@pytest.mark.parametrize(
    "action,reply",
    [
        (READ, Reply(502, f"<html><body>upstream said: {SECRET_KEY}</body></html>", content_type="text/html")),
        (READ, Reply(200, f"<html>echo {SECRET_KEY}</html>", content_type="text/html")),
        (READ, Reply(503, f"<html>slow down {SECRET_KEY}</html>", content_type="text/html")),
        ("CreateNetPeering", Reply(502, f"<html>upstream said: {SECRET_KEY}</html>", content_type="text/html")),
        ("CreateNetPeering", Reply(200, f"not json {SECRET_KEY}", content_type="text/plain")),
        ("CreateNetPeering", Reply(403, f"<html>denied {SECRET_KEY}</html>", content_type="text/html")),
        (
            "CreateNetPeering",
            Reply(400, f'{{"Errors":[{{"Code":"1","Details":"{SECRET_KEY}', content_type="application/json"),
        ),
    ],
)
def test_secret_echoed_in_any_body_never_reaches_a_message(server, make_client, action, reply):
    server.push(*[reply] * 3)
    client = make_client(server, max_retries=1)

    with pytest.raises(OscApiError) as info:
        client.call(action, {})
    assert_clean(info.value, server)


@pytest.mark.parametrize("kind", ["details", "html", "read_retried"])
def test_authorization_header_echoed_back_never_reaches_a_message(server, make_client, kind):
    def echo(received):
        header = received.headers["authorization"]
        if kind == "details":
            return osc_error(401, "1", "AccessDenied", f"Bad header: Authorization: {header}")
        if kind == "html":
            return Reply(403, f"<html><pre>Authorization: {header}</pre></html>", content_type="text/html")
        return Reply(502, f"<html><pre>Authorization: {header}</pre></html>", content_type="text/html")

    server.push(echo, echo)
    client = make_client(server, max_retries=1)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert_clean(info.value, server)


def test_settings_repr_never_shows_the_secret(server):
    direct = settings_for(server.endpoint)
    resolved = resolve_settings(
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "endpoint": server.endpoint}, environ={}
    )
    for settings in (direct, resolved):
        assert SECRET_KEY not in repr(settings)
        assert SECRET_KEY not in str(settings)
        assert ACCESS_KEY in repr(settings)


def test_tls_failure_message_has_no_secret(make_client, tls_server):
    client = make_client(tls_server)
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert_clean(info.value)


# -- pagination ---------------------------------------------------------------------


def test_paginate_follows_next_page_token_over_three_pages(server, make_client):
    pages = [[{"NetPeeringId": f"pcx-{n:08d}"} for n in range(start, start + 3)] for start in (0, 3, 6)]
    server.push(
        ok({"NetPeerings": pages[0], "NextPageToken": "tok-1"}),
        osc_error(503, "6", "Throttled"),  # a throttled page is retried with the same token
        ok({"NetPeerings": pages[1], "NextPageToken": "tok-2"}),
        ok({"NetPeerings": pages[2]}),
    )
    client = make_client(server)
    filters = {"Filters": {"NetPeeringIds": ["pcx-00000001"], "StateNames": ["active"]}}

    items = paginate(client, READ, filters, "NetPeerings")
    assert items == pages[0] + pages[1] + pages[2]
    bodies = [item.json for item in server.received]
    assert len(bodies) == 4
    assert [body.get("NextPageToken") for body in bodies] == [None, "tok-1", "tok-1", "tok-2"]
    for body in bodies:
        assert body["ResultsPerPage"] == 1000
        assert body["Filters"] == filters["Filters"]
    assert filters == {
        "Filters": {"NetPeeringIds": ["pcx-00000001"], "StateNames": ["active"]}
    }  # caller's body untouched
    assert client.warnings == []


def test_paginate_fails_on_a_repeated_token(server, make_client):
    # Issue 19, defect 5: a repeated token is an error, not a warning (the listing would be incomplete).
    server.push(
        *[ok({"NetPeerings": [{"NetPeeringId": f"pcx-0000000{n}"}], "NextPageToken": "same"}) for n in range(20)]
    )
    client = make_client(server)

    with pytest.raises(UnexpectedResponse) as info:
        paginate(client, READ, {}, "NetPeerings")
    assert len(server.received) == 2
    assert "repeats a NextPageToken" in str(info.value) and READ in str(info.value)


def test_paginate_fails_on_a_token_cycle(server, make_client):
    tokens = ["a", "b", "a", "b", "a", "b"]
    server.push(
        *[
            ok({"NetPeerings": [{"NetPeeringId": f"pcx-{n:08d}"}], "NextPageToken": token})
            for n, token in enumerate(tokens)
        ]
    )
    client = make_client(server)

    with pytest.raises(UnexpectedResponse):
        paginate(client, READ, {}, "NetPeerings")
    assert len(server.received) == 3


def test_paginate_single_empty_page(server, make_client):
    server.push(ok({"NetPeerings": [], "ResponseContext": {"RequestId": "r"}}))
    client = make_client(server)

    assert paginate(client, READ, None, "NetPeerings") == []
    assert server.received[0].json == {"ResultsPerPage": 1000}


def test_pages_refuse_a_next_page_token_that_is_not_a_string(server, make_client):
    # A malformed answer raises UnexpectedResponse, as everywhere else (the shape of the items is the reader's).
    server.push(ok({"NetPeerings": [], "NextPageToken": 7, "ResponseContext": {"RequestId": "req-page"}}))
    with pytest.raises(UnexpectedResponse) as info:
        list(make_client(server).pages(READ, {}))
    assert "unexpected ReadNetPeerings response: NextPageToken is not a string (a int)" in str(info.value)
    assert "RequestId req-page" in str(info.value)
    assert len(server.received) == 1


# -- signing (graded by Outscale's SDK) -------------------------------------------------------


class FrozenAuthentication(Authentication):
    """The SDK signer, pinned to the X-Osc-Date the server received."""

    def __init__(self, osc_date, **kwargs):
        Authentication.__init__(self, **kwargs)
        self.osc_date = osc_date

    def build_dates(self):
        return self.osc_date, self.osc_date[:8]


def assert_signed_by_sdk_rules(received, host="127.0.0.1"):
    osc_date = received.headers["x-osc-date"]
    # The date is now-ish: within the 5 minutes the API allows.
    sent = datetime.datetime.strptime(osc_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - sent).total_seconds()) < 300
    oracle = FrozenAuthentication(
        osc_date, credentials=Profile(access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION), host=host
    )
    expected = oracle.forge_headers_signed(received.path, received.text)
    assert received.headers["authorization"] == expected["Authorization"]
    assert received.headers["content-type"] == expected["Content-Type"]


def test_every_request_is_signed(server, make_client):
    server.push(
        ok({"NetPeerings": [PEERING], "NextPageToken": "t1"}),
        ok({"NetPeerings": []}),
        osc_error(429, "24", "Throttled"),
        ok({"NetPeering": PEERING}),
        ok(),
        osc_error(400, "4104", "InvalidParameterValue"),
    )
    settings = resolve_settings(
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "region": REGION, "endpoint": server.url}, environ={}
    )  # host-only endpoint gets /api/v1
    client = make_client(server, settings=settings)

    paginate(client, READ, {"Filters": {"TagKeys": ["été", "Name"]}}, "NetPeerings")
    client.call("CreateNetPeering", {"SourceNetId": "vpc-11111111", "AccepterNetId": "vpc-22222222"})
    client.call("CreateTags", {"ResourceIds": ["pcx-12345678"], "Tags": [{"Key": "Name", "Value": "ünïcode ✓"}]})
    with pytest.raises(OscApiError):
        client.call("DeleteNetPeering", {"NetPeeringId": "bad-id"})

    assert server.actions() == [READ, READ, "CreateNetPeering", "CreateNetPeering", "CreateTags", "DeleteNetPeering"]
    for received in server.received:
        assert received.path.startswith("/api/v1/")
        # Host header carries the port; the signature covers the host without it.
        assert received.headers["host"] == f"127.0.0.1:{server.port}"
        assert_signed_by_sdk_rules(received)
        assert received.headers["user-agent"].startswith("outscale.cloud/")


def test_netrc_does_not_replace_the_signature(server, make_client, monkeypatch, tmp_path):
    # Some HTTP clients (requests, curl) turn a ~/.netrc entry for the host into Basic auth: ours must not.
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password hunter2\n")
    monkeypatch.setenv("NETRC", str(netrc))
    server.push(ok())
    client = make_client(server)

    client.call("CreateNetPeering", {})
    assert_signed_by_sdk_rules(server.received[0])


# -- TLS ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_pem(tls_ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("tls") / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return str(path)


def _server_context(tls_ca, require_client_cert=False):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        tls_ca.configure_trust(context)
    return context


@pytest.fixture
def tls_server(tls_ca, monkeypatch):
    # The system bundle, as many machines set it: it must not override our options.
    monkeypatch.setenv(
        "REQUESTS_CA_BUNDLE",
        "/etc/ssl/certs/ca-certificates.crt" if os.path.exists("/etc/ssl/certs/ca-certificates.crt") else __file__,
    )
    with ScriptedServer(tls_context=_server_context(tls_ca)) as srv:
        yield srv


def test_tls_unknown_ca_fails_clearly(tls_server, make_client, fake, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    client = make_client(tls_server)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    error = info.value
    assert is_plain_api_error(error)
    assert "TLS error" in str(error) and "ca_bundle" in error.full_message()
    assert "certificate verify failed" in str(error) and "Max retries" not in str(
        error
    )  # the cause, not an HTTP library's wrapper
    assert tls_server.received == []
    assert client.call_counts == {READ: 1}  # a certificate problem is not retried
    assert fake.sleeps == []


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_from_the_environment_applies_when_the_task_names_none(
    tls_server, make_client, ca_pem, monkeypatch, variable
):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv(variable, ca_pem)
    tls_server.push(ok())
    make_client(tls_server).call(READ, {})
    assert len(tls_server.received) == 1


def test_tls_unknown_ca_fails_with_a_ca_bundle_from_the_environment(tls_server, make_client):
    client = make_client(tls_server)
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert "ca_bundle" in info.value.full_message()


def test_tls_ca_bundle_option_makes_it_pass(tls_server, make_client, ca_pem):
    tls_server.push(ok({"NetPeerings": [PEERING]}), ok({"NetPeering": PEERING}))
    client = make_client(tls_server, ca_bundle=ca_pem)

    assert client.call(READ, {})["NetPeerings"] == [PEERING]
    assert client.call("CreateNetPeering", {})["NetPeering"] == PEERING
    assert tls_server.connections == 1
    for received in tls_server.received:
        assert_signed_by_sdk_rules(received)


def test_tls_ca_bundle_through_resolve_settings(tls_server, make_client, ca_pem):
    tls_server.push(ok())
    settings = resolve_settings(
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "endpoint": tls_server.endpoint, "ca_bundle": ca_pem},
        environ={},
    )
    client = make_client(tls_server, settings=settings)
    client.call("DeleteNetPeering", {"NetPeeringId": "pcx-12345678"})
    assert len(tls_server.received) == 1


def test_tls_validate_certs_false_makes_it_pass(tls_server, make_client):
    tls_server.push(ok({"NetPeerings": []}))
    client = make_client(tls_server, validate_certs=False)

    assert client.call(READ, {}) == {"NetPeerings": []}
    assert len(tls_server.received) == 1


def test_tls_client_certificate(tls_ca, ca_pem, make_client, tmp_path):
    cert = tls_ca.issue_cert("ansible@example.test")
    cert_path, key_path = tmp_path / "client.pem", tmp_path / "client.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    cert.private_key_pem.write_to_path(str(key_path))
    with ScriptedServer(tls_context=_server_context(tls_ca, require_client_cert=True)) as srv:
        srv.push(ok())
        without = make_client(srv, ca_bundle=ca_pem, max_retries=0)
        with pytest.raises(OscApiError):
            without.call(READ, {})
        with_cert = make_client(srv, ca_bundle=ca_pem, x509_client_cert=str(cert_path), x509_client_key=str(key_path))
        with_cert.call(READ, {})
        with_cert.close()
        without.close()
        assert len(srv.received) == 1


# -- connections and timeouts -----------------------------------------------------------------


def test_one_kept_alive_connection_for_many_calls(server, make_client):
    server.push(
        ok({"NetPeerings": [], "NextPageToken": "x"}),
        ok({"NetPeerings": []}),
        osc_error(429, "24", "Throttled"),
        ok({"NetPeering": PEERING}),
        osc_error(409, "9029", "InvalidState"),
        ok(),
    )
    client = make_client(server)

    paginate(client, READ, {}, "NetPeerings")
    client.call("CreateNetPeering", {})
    with pytest.raises(OscApiError):
        client.call("DeleteNetPeering", {"NetPeeringId": "pcx-12345678"})
    client.call("CreateTags", {})

    assert len(server.received) == 6
    assert server.connections == 1
    assert {item.connection for item in server.received} == {1}


def test_every_call_has_a_timeout(server, make_client):
    server.push(ok(), osc_error(503, "6", "Throttled"), ok(), ok({"NetPeerings": []}))
    client = make_client(server, request_timeout=7)
    seen = []
    real_post = client.transport.post

    def spy(*args, **kwargs):  # records, then sends for real
        seen.append((kwargs["connect_timeout"], kwargs["read_timeout"]))
        return real_post(*args, **kwargs)

    client.transport.post = spy
    client.call("CreateNetPeering", {})
    client.call("AcceptNetPeering", {})
    paginate(client, READ, {}, "NetPeerings")

    assert len(seen) == 4
    for timeout in seen:
        connect, read = timeout
        assert 0 < connect <= 7 and read == 7


def test_a_stalled_server_cannot_hang_a_call(server, make_client):
    server.push(stall(30), stall(30))
    client = make_client(server, request_timeout=0.2, max_retries=1)

    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert "no response within 0.2 s" in str(info.value)
    assert len(server.received) == 2


# -- advice for refusals any call can meet -------------------------------------------


def test_unknown_key_or_other_region_names_region_and_endpoint(server, make_client):
    server.push(osc_error(400, "4120", "InvalidParameterValue", ""))
    client = make_client(server)
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    message = info.value.full_message()
    assert f"not known in region {client.settings.region}" in message
    assert client.settings.endpoint in message and "keys are per region" in message


def test_eim_refusal_names_the_permission(server, make_client):
    server.push(osc_error(403, "4", "AccessDenied", "You are not authorized to perform this action."))
    client = make_client(server)
    with pytest.raises(OscApiError) as info:
        client.call("AcceptNetPeering", {"NetPeeringId": "pcx-12345678"})
    assert "api:AcceptNetPeering" in info.value.full_message()


def test_throttling_give_up_advises_fewer_forks(server, make_client):
    server.push(*[osc_error(429, "24", "TooManyRequests") for _attempt in range(5)])
    client = make_client(server, max_retries=1)
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert "fewer forks" in info.value.full_message()


def test_refused_connection_fails_at_once_naming_host_and_port(make_client, fake):
    import socket as socket_module

    with socket_module.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        client = make_client(f"http://127.0.0.1:{port}/api/v1")
        with pytest.raises(OscApiError) as info:
            client.call(READ, {})
    message = info.value.full_message()
    assert f"nothing listens on 127.0.0.1:{port}" in message and "simulator" in message
    assert fake.sleeps == [] and client.call_counts[READ] == 1  # not retried


def test_unresolvable_host_fails_at_once(make_client, fake):
    # .invalid never resolves (RFC 2606); the lookup goes no further than this machine's resolver.
    client = make_client("https://no-such-host.invalid/api/v1")
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert "cannot resolve the host name no-such-host.invalid" in info.value.full_message()
    assert fake.sleeps == []


def test_https_against_plain_http_says_use_http(server, make_client):
    server.push(ok())
    client = make_client(server.endpoint.replace("http://", "https://", 1))
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    message = info.value.full_message()
    assert "plain HTTP, not TLS" in message and "Use http:// instead of https://" in message
    assert "ca_bundle" not in message


# -- kept-alive connections, threads and proxies (the transport on requests) -------------


def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed(server, make_client, fake):
    server.push(ok({"NetPeerings": []}), ok({"NetPeering": PEERING}))
    client = make_client(server)
    client.call(READ, {})
    server.stop_connections()  # what a server's keep-alive timeout does between two calls

    # A write: had the client sent it on the dead connection, its outcome would be unknown.
    assert client.call("CreateNetPeering", {})["NetPeering"] == PEERING
    assert server.actions() == [READ, "CreateNetPeering"]
    assert server.connections == 2 and fake.sleeps == []


def test_connection_close_from_the_server_is_honoured(server, make_client):
    server.push(ok({"NetPeerings": []}, headers={"Connection": "close"}), ok({"NetPeerings": []}))
    client = make_client(server)
    client.call(READ, {})
    client.call(READ, {})
    assert [item.connection for item in server.received] == [1, 2]


def test_each_thread_has_its_own_connection_and_close_ends_them_all(server, make_client):
    import threading

    server.push(*[ok({"NetPeerings": []}) for _call in range(8)])
    client = make_client(server)
    barrier = threading.Barrier(4)

    def work():
        barrier.wait()
        client.call(READ, {})
        client.call(READ, {})

    threads = [threading.Thread(target=work) for _thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(server.received) == 8 and server.connections == 4
    assert server.connections_closed == 0  # kept alive for the task
    client.close()
    assert server.wait_closed(4)


def test_http_proxy_from_the_environment_gets_the_whole_url(server, make_client, monkeypatch):
    # The endpoint's own port has nothing listening: only the proxy can answer.
    endpoint = f"http://127.0.0.1:{unused_port()}/api/v1"
    monkeypatch.setenv("HTTP_PROXY", f"http://user:p%40ss@127.0.0.1:{server.port}")
    server.push(ok({"NetPeerings": []}))
    client = make_client(endpoint)

    assert client.call(READ, {}) == {"NetPeerings": []}
    received = server.received[0]
    assert received.path == f"{endpoint}/{READ}"
    assert received.headers["proxy-authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss
    received.path = received.path.split(str(received.headers["host"]), 1)[1]  # what the signature covers
    assert_signed_by_sdk_rules(received)


def test_no_proxy_bypasses_the_proxy(server, make_client, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{unused_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server.push(ok({"NetPeerings": []}))
    assert make_client(server).call(READ, {}) == {"NetPeerings": []}


def test_https_goes_through_the_proxy_with_connect(tls_server, make_client, ca_pem, monkeypatch):
    tls_server.push(ok({"NetPeerings": []}), ok({"NetPeerings": []}))
    with ConnectProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        client = make_client(tls_server, ca_bundle=ca_pem)
        client.call(READ, {})
        client.call(READ, {})  # on the same tunnel
        client.close()
    assert [line.rsplit(" ", 1)[0] for line, _headers in proxy.requests] == [f"CONNECT 127.0.0.1:{tls_server.port}"]
    assert len(tls_server.received) == 2
    assert_signed_by_sdk_rules(tls_server.received[0])


def test_a_proxy_that_refuses_is_named(make_client, fake, monkeypatch):
    port = unused_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    client = make_client("https://api.eu-west-2.outscale.com/api/v1")  # never contacted: the proxy refuses first
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    message = info.value.full_message()
    assert f"cannot use the proxy http://127.0.0.1:{port} for endpoint" in message and "NO_PROXY" in message
    assert "Connection refused" in message and fake.sleeps == []


def test_unreadable_client_certificate_is_a_clear_tls_error(tls_server, make_client, tmp_path):
    missing = str(tmp_path / "nope.pem")
    client = make_client(tls_server, x509_client_cert=missing, x509_client_key=missing, max_retries=0)
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    assert f"cannot load x509_client_cert {missing}" in str(info.value) and tls_server.received == []
    assert "is PEM" in info.value.full_message()


def test_a_missing_ca_bundle_from_the_environment_is_named(tls_server, make_client, tmp_path, monkeypatch):
    missing = str(tmp_path / "gone.pem")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", missing)
    with pytest.raises(OscApiError) as info:
        make_client(tls_server).call(READ, {})
    assert f"cannot load the CA bundle {missing} (REQUESTS_CA_BUNDLE in the environment)" in str(info.value)


@pytest.mark.parametrize(
    "proxy, problem",
    [
        ("https://127.0.0.1:3128", "Connection refused"),  # requests speaks TLS to an https:// proxy
        ("socks5://127.0.0.1:1080", "Missing dependencies for SOCKS support"),
        # Malformed proxy URLs are refused before any call: test_client_limits.py.
    ],
)
def test_an_unusable_proxy_url_is_named_not_a_traceback(make_client, fake, monkeypatch, proxy, problem):
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    client = make_client("https://api.eu-west-2.outscale.com/api/v1")  # never contacted
    with pytest.raises(OscApiError) as info:
        client.call(READ, {})
    message = info.value.full_message()
    assert problem in message and "cannot use the proxy" in message and "NO_PROXY" in message
    assert fake.sleeps == []


def test_a_proxy_refusing_connect_is_named(tls_server, make_client, ca_pem, monkeypatch):
    answer, problem = b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n", "407"
    with ConnectProxy(answer=answer) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://someone:hunter2@127.0.0.1:{proxy.port}")
        with pytest.raises(OscApiError) as info:
            make_client(tls_server, ca_bundle=ca_pem).call(READ, {})
    message = info.value.full_message()
    assert f"cannot use the proxy http://127.0.0.1:{proxy.port}" in message and problem in message
    assert "hunter2" not in message and tls_server.received == []
    assert proxy.requests[0][1]["Proxy-Authorization"] == "Basic c29tZW9uZTpodW50ZXIy"


@pytest.mark.parametrize("action", [READ, "CreateNetPeering"])
def test_a_garbled_answer_to_connect_counts_as_maybe_sent_and_names_the_proxy(
    tls_server, make_client, ca_pem, monkeypatch, action
):
    # urllib3 cannot tell a garbled answer to CONNECT from a garbled answer of the server after the request:
    # the safe side is "may have been sent" (a read is resent, a write is read back, never resent).
    with ConnectProxy(answer=b"SSH-2.0-OpenSSH_9.6\r\n") as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://someone:hunter2@127.0.0.1:{proxy.port}")
        with pytest.raises(OscApiError) as info:
            make_client(tls_server, ca_bundle=ca_pem, max_retries=1).call(action, {})
    message = info.value.full_message()
    assert f"connection lost before a response (through the proxy http://127.0.0.1:{proxy.port})" in message
    assert "hunter2" not in message and tls_server.received == []
    assert isinstance(info.value, OscAmbiguousWriteError) == (action != READ)
    assert len(proxy.requests) == (2 if action == READ else 1)


def test_no_proxy_networks_bypass_the_proxy(server, make_client, monkeypatch):
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{unused_port()}")  # nothing there: using it would fail
    monkeypatch.setenv("NO_PROXY", "10.0.0.0/8, 127.0.0.0/8")
    server.push(ok({"NetPeerings": []}))
    assert make_client(server).call(READ, {}) == {"NetPeerings": []}


def test_all_proxy_is_used_for_http(server, make_client, monkeypatch):
    endpoint = f"http://127.0.0.1:{unused_port()}/api/v1"
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{server.port}")
    server.push(ok({"NetPeerings": []}))
    make_client(endpoint).call(READ, {})
    assert server.received[0].path == f"{endpoint}/{READ}"


def test_a_proxy_password_echoed_in_an_error_page_is_scrubbed(server, make_client, monkeypatch):
    endpoint = f"http://127.0.0.1:{unused_port()}/api/v1"
    monkeypatch.setenv("HTTP_PROXY", f"http://someone:hunter2@127.0.0.1:{server.port}")
    server.push(
        lambda received: Reply(
            403, "<h1>Denied</h1> you sent " + received.headers["proxy-authorization"], content_type="text/html"
        )
    )
    with pytest.raises(OscApiError) as info:
        make_client(endpoint, max_retries=0).call(READ, {})
    assert "c29tZW9uZTpodW50ZXIy" not in info.value.full_message() and "Basic ********" in str(info.value)

"""Signature checks (OSC4-HMAC-SHA256), judged by the official SDK's signer."""

from __future__ import annotations

import datetime
import json
import time

from osc_sdk_python.credentials import Profile

from simulator.auth import expected_signature, signed_host

from .conftest import NET_A1, A, PinnedAuthentication, api_error, error_code, gateway


def _osc_date(offset_seconds: float = 0.0) -> str:
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _assert_401(response, secret_key: str) -> None:
    assert response.status_code == 401
    body = response.json()
    assert error_code(body) == "1"
    assert body["Errors"][0]["Type"] == "AccessDenied"
    assert body["ResponseContext"]["RequestId"]
    # Neither the secret nor the Authorization header may leak back.
    assert secret_key not in response.text
    assert "OSC4-HMAC-SHA256" not in response.text
    assert "Signature=" not in response.text


def test_known_vector_from_the_facts_sheet():
    signature = expected_signature(
        "SECRETEXAMPLE0123456789012345678901234567",
        "eu-west-2",
        "api.eu-west-2.outscale.com",
        "application/json; charset=utf-8",
        "20240102T030405Z",
        "/api/v1/CreateNetPeering",
        '{"SourceNetId": "vpc-11111111", "AccepterNetId": "vpc-22222222"}',
    )
    assert signature == "7ddabf155c42a9c979172f788042343bc14923d6f25204bad0a3d93476b02237"


def test_signed_host_drops_the_port():
    assert signed_host("127.0.0.1:43125") == "127.0.0.1"
    assert signed_host("api.eu-west-2.outscale.com") == "api.eu-west-2.outscale.com"
    assert signed_host("[::1]:8443") == "[::1]"


def test_sdk_signed_call_succeeds(gw_a):
    assert gw_a.ReadNets()["Nets"]


def test_raw_signed_call_succeeds(raw):
    response = raw.post("ReadNets", {})
    assert response.status_code == 200, response.text


def _assert_4120(response, secret_key: str) -> None:
    # Recorded (stephrobert/pepin refusal_test.go): unknown access key -> 400/4120.
    assert response.status_code == 400
    body = response.json()
    assert (error_code(body), body["Errors"][0]["Type"]) == ("4120", "InvalidParameterValue")
    assert secret_key not in response.text and "Signature=" not in response.text


def test_bad_signature(raw):
    response = raw.post("ReadNets", {}, secret_key="not-the-secret")
    _assert_401(response, raw.secret_key)
    # Recorded (pepin): a wrong signature of an existing key has an empty Details.
    assert response.json()["Errors"][0]["Details"] == ""


def test_signature_over_another_body(raw):
    body = json.dumps({"Filters": {"NetIds": [NET_A1]}})
    headers = raw.headers("ReadNets", body)
    response = raw.session.post(f"{raw.sim.url}/ReadNets", data=b"{}", headers=headers, timeout=10)
    _assert_401(response, raw.secret_key)


def test_unknown_access_key(raw):
    response = raw.post("ReadNets", {}, access_key="AKUNKNOWN00000000000")
    _assert_4120(response, raw.secret_key)


def test_malformed_or_missing_authorization(raw):
    for authorization in (
        "",
        "Basic Zm9vOmJhcg==",
        "OSC4-HMAC-SHA256 Credential=AK, Signature=zz",
        "OSC4-HMAC-SHA256 Credential=AKSIMDEMOACCOUNTA001/20240101/eu-west-2/api/osc4_request, "
        "SignedHeaders=host;x-osc-date, Signature=" + "0" * 64,
    ):
        response = raw.post("ReadNets", {}, headers={"Authorization": authorization})
        _assert_401(response, raw.secret_key)


def test_stale_and_future_dates(raw):
    _assert_401(raw.post("ReadNets", {}, date_iso=_osc_date(-301 - 5)), raw.secret_key)
    _assert_401(raw.post("ReadNets", {}, date_iso=_osc_date(+306)), raw.secret_key)
    assert raw.post("ReadNets", {}, date_iso=_osc_date(-240)).status_code == 200


def test_stale_date_against_the_simulator_signing_clock(sim, raw, gw_a):
    sim.set_signing_skew(600)  # the server's clock is 10 minutes ahead of the client's
    _assert_401(raw.post("ReadNets", {}), raw.secret_key)
    sim.set_signing_skew(0)
    assert gw_a.ReadNets()["Nets"]


def test_advancing_the_lifecycle_clock_keeps_signatures_valid(sim, gw_a):
    sim.advance_clock(8 * 86400)
    assert gw_a.ReadNets()["Nets"]


def test_wrong_region_in_scope(raw):
    # Recorded (stephrobert/feint docs/proxy.md): keys are per region, so a valid key
    # scoped to another region is answered like an unknown key.
    _assert_4120(raw.post("ReadNets", {}, region="us-east-2"), raw.secret_key)


def test_sdk_client_with_wrong_region_is_refused(sim):
    status, body = api_error(gateway(sim, A, region="us-west-1").ReadNets)
    assert status == 400 and error_code(body) == "4120"


def test_scope_date_must_match_x_osc_date(raw):
    date_iso = _osc_date()
    headers = raw.headers("ReadNets", "{}", date_iso=date_iso)
    yesterday = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).strftime("%Y%m%d")
    headers["Authorization"] = headers["Authorization"].replace(f"/{date_iso[:8]}/", f"/{yesterday}/")
    response = raw.session.post(f"{raw.sim.url}/ReadNets", data=b"{}", headers=headers, timeout=10)
    _assert_401(response, raw.secret_key)


def test_signing_the_port_is_wrong(raw):
    # The SDK signs the host without the port; a client that keeps it must be refused.
    _assert_401(raw.post("ReadNets", {}, host=f"127.0.0.1:{raw.sim.port}"), raw.secret_key)


def test_content_type_is_signed_as_sent(raw):
    assert raw.post("ReadNets", {}, content_type="application/json").status_code == 200
    headers = raw.headers("ReadNets", "{}", content_type="application/json")
    headers["Content-Type"] = "application/json; charset=utf-8"
    response = raw.session.post(f"{raw.sim.url}/ReadNets", data=b"{}", headers=headers, timeout=10)
    _assert_401(response, raw.secret_key)


def test_auth_failures_are_logged_without_account(sim, raw):
    raw.post("ReadNets", {}, secret_key="wrong")
    (entry,) = sim.log()
    assert entry["status"] == 401 and entry["code"] == "1" and entry["account_id"] is None
    assert raw.secret_key not in json.dumps(sim.log())


def test_pinned_signer_matches_the_sdk_clock():
    # The test oracle itself: pinning build_dates() changes nothing else in the SDK.
    profile = Profile(access_key="AK", secret_key="SK", region="eu-west-2")
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    pinned = PinnedAuthentication(profile, "127.0.0.1", "application/json; charset=utf-8", now)
    headers = pinned.forge_headers_signed("/api/v1/ReadNets", "{}")
    assert headers["X-Osc-Date"] == now
    assert f"Credential=AK/{now[:8]}/eu-west-2/api/osc4_request" in headers["Authorization"]

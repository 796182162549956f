"""Fixtures of the simulator's own tests.

The client is Outscale's official SDK (osc-sdk-python), plus raw ``requests`` signed by
the SDK's Authentication class for what the SDK refuses to send.
"""

from __future__ import annotations

import json
import os
import sys

import pytest
import requests
from osc_sdk_python.authentication import Authentication
from osc_sdk_python.credentials import Endpoint, Profile
from osc_sdk_python.outscale_gateway import OutscaleGateway

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

# pylint: disable=wrong-import-position
from simulator.pytest_plugin import (  # noqa: E402  (needs TESTS_DIR on sys.path)
    demo_seed,
    osc_simulator,
    osc_simulator_certificates,
    osc_simulator_tls,
)

__all__ = ["demo_seed", "osc_simulator", "osc_simulator_certificates", "osc_simulator_tls"]

A = "111111111111"
B = "222222222222"
NET_A1, NET_A2, NET_B1 = "vpc-a1a1a1a1", "vpc-a2a2a2a2", "vpc-b1b1b1b1"


_SDK_CACHE: dict = {}


class CachedGateway(OutscaleGateway):
    """The SDK gateway, minus re-parsing its YAML resources (seconds) for every instance."""

    def _load_gateway_structure(self, spec):
        if "structure" not in _SDK_CACHE:
            super()._load_gateway_structure(spec)
            _SDK_CACHE["structure"] = (self.gateway_structure, self.api_version, self.endpoint_api_version)
        self.gateway_structure, self.api_version, self.endpoint_api_version = _SDK_CACHE["structure"]

    def _load_errors(self):
        if "errors" not in _SDK_CACHE:
            super()._load_errors()
            _SDK_CACHE["errors"] = self.gateway_errors
        self.gateway_errors = _SDK_CACHE["errors"]


def gateway(sim, account_id: str, **options) -> CachedGateway:
    """An SDK client for one seed account. No retry and no rate limit unless asked."""
    account = next(a for a in sim.accounts if a["account_id"] == account_id)
    options.setdefault("max_retries", 0)
    options.setdefault("limiter_max_requests", 1_000_000)
    options.setdefault("region", sim.region)
    return CachedGateway(
        access_key=account["access_key"], secret_key=account["secret_key"], endpoints=Endpoint(api=sim.url), **options
    )


def api_error(call, *args, **kwargs) -> tuple[int, dict]:
    """Run an SDK call that must fail; return (HTTP status, JSON body)."""
    with pytest.raises(requests.HTTPError) as caught:
        call(*args, **kwargs)
    return caught.value.response.status_code, caught.value.response.json()


def error_code(body: dict) -> str:
    return body["Errors"][0]["Code"]


class PinnedAuthentication(Authentication):
    """SDK signer with a chosen X-Osc-Date."""

    def __init__(self, profile, host, content_type, date_iso):
        super().__init__(profile, host, content_type=content_type)
        self._date_iso = date_iso

    def build_dates(self):
        if self._date_iso is None:
            return super().build_dates()
        return self._date_iso, self._date_iso[:8]


class RawClient:
    """Hand-built, SDK-signed requests, every part of which a test may change."""

    def __init__(self, sim, account_id: str = A, verify=True) -> None:
        self.sim = sim
        account = next(a for a in sim.accounts if a["account_id"] == account_id)
        self.access_key = account["access_key"]
        self.secret_key = account["secret_key"]
        self.session = requests.Session()
        # Passed on every call: a Session.verify would lose to REQUESTS_CA_BUNDLE.
        self.verify = verify

    def headers(
        self,
        action: str,
        body: str,
        *,
        date_iso=None,
        region=None,
        host="127.0.0.1",
        content_type="application/json; charset=utf-8",
        access_key=None,
        secret_key=None,
    ) -> dict:
        profile = Profile(
            access_key=access_key or self.access_key,
            secret_key=secret_key or self.secret_key,
            region=region or self.sim.region,
        )
        signer = PinnedAuthentication(profile, host, content_type, date_iso)
        return signer.forge_headers_signed(f"/api/v1/{action}", body)

    def post(
        self, action: str, payload=None, *, raw_body: str | None = None, headers: dict | None = None, **signing
    ) -> requests.Response:
        body = raw_body if raw_body is not None else json.dumps(payload if payload is not None else {})
        sent = self.headers(action, body, **signing)
        sent.update(headers or {})
        return self.session.post(
            f"{self.sim.url}/{action}", data=body.encode("utf-8"), headers=sent, timeout=10, verify=self.verify
        )


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """No OSC_* or proxy variable from the outside may steer the SDK."""
    for name in list(os.environ):
        if name.startswith("OSC_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def sim(osc_simulator):
    return osc_simulator


@pytest.fixture
def gw_a(sim):
    return gateway(sim, A)


@pytest.fixture
def gw_b(sim):
    return gateway(sim, B)


@pytest.fixture
def raw(sim):
    return RawClient(sim)

"""ReadNetPeerings pagination: ResultsPerPage, opaque NextPageToken, stable order."""

from __future__ import annotations

import base64
import json
import time

import pytest

from simulator import Simulator

from .conftest import A, B, api_error, error_code, gateway


def _all_pages(gw, per_page: int | None, **params) -> list[list[str]]:
    pages, token = [], None
    while True:
        request = dict(params)
        if per_page is not None:
            request["ResultsPerPage"] = per_page
        if token:
            request["NextPageToken"] = token
        response = gw.ReadNetPeerings(**request)
        pages.append([p["NetPeeringId"] for p in response["NetPeerings"]])
        token = response.get("NextPageToken")
        if token is None:
            return pages
        assert len(pages) < 10_000


def test_three_pages_and_more(sim, gw_a):
    created = sim.bulk_peerings(A, 25, state="active")
    pages = _all_pages(gw_a, 10)
    assert [len(page) for page in pages] == [10, 10, 5]
    assert [pcx for page in pages for pcx in page] == created  # creation order, no gap, no repeat


def test_exact_multiple_has_no_empty_last_page(sim, gw_a):
    sim.bulk_peerings(A, 20)
    assert [len(page) for page in _all_pages(gw_a, 10)] == [10, 10]


def test_last_page_has_no_token(sim, gw_a):
    sim.bulk_peerings(A, 3)
    response = gw_a.ReadNetPeerings(ResultsPerPage=3)
    assert "NextPageToken" not in response


def test_default_page_size_is_100(sim, gw_a):
    sim.bulk_peerings(A, 150)
    pages = _all_pages(gw_a, None)
    assert [len(page) for page in pages] == [100, 50]


@pytest.mark.parametrize("size", [0, -1, 1001])
def test_results_per_page_out_of_range(sim, gw_a, size):
    status, body = api_error(gw_a.ReadNetPeerings, ResultsPerPage=size)
    assert (status, error_code(body)) == (400, "4047")


def test_results_per_page_bounds_accepted(sim, gw_a):
    sim.bulk_peerings(A, 1001)
    assert [len(page) for page in _all_pages(gw_a, 1000)] == [1000, 1]
    assert len(gw_a.ReadNetPeerings(ResultsPerPage=1)["NetPeerings"]) == 1


def test_pages_with_filters(sim, gw_a):
    sim.bulk_peerings(A, 7, state="active")
    rejected = sim.bulk_peerings(A, 7, state="rejected")
    pages = _all_pages(gw_a, 3, Filters={"StateNames": ["rejected"]})
    assert [pcx for page in pages for pcx in page] == rejected


def test_order_is_stable_across_changes(sim, gw_a):
    created = sim.bulk_peerings(A, 9)
    first = gw_a.ReadNetPeerings(ResultsPerPage=3)
    # Peerings appearing or ending between pages do not shift what comes next.
    gw_a.DeleteNetPeering(NetPeeringId=created[0])
    late = sim.bulk_peerings(A, 1)
    second = gw_a.ReadNetPeerings(ResultsPerPage=3, NextPageToken=first["NextPageToken"])
    assert [p["NetPeeringId"] for p in second["NetPeerings"]] == created[3:6]
    rest = _all_pages(gw_a, 3, NextPageToken=second["NextPageToken"])
    assert [pcx for page in rest for pcx in page] == created[6:] + late


@pytest.mark.parametrize(
    "token",
    [
        "!!not base64!!",
        base64.b64encode(b"garbage").decode(),
        base64.b64encode(json.dumps({"after": 1, "mac": "0" * 32}).encode()).decode(),
        base64.b64encode(json.dumps({"after": "x"}).encode()).decode(),
    ],
)
def test_invalid_token(sim, gw_a, token):
    sim.bulk_peerings(A, 3)
    status, body = api_error(gw_a.ReadNetPeerings, NextPageToken=token)
    assert (status, error_code(body)) == (400, "4047")


def test_tampered_token(sim, gw_a):
    sim.bulk_peerings(A, 5)
    token = gw_a.ReadNetPeerings(ResultsPerPage=2)["NextPageToken"]
    data = json.loads(base64.b64decode(token))
    data["after"] += 1
    forged = base64.b64encode(json.dumps(data).encode()).decode()
    status, _body = api_error(gw_a.ReadNetPeerings, ResultsPerPage=2, NextPageToken=forged)
    assert status == 400


def test_foreign_tokens(sim, gw_a, gw_b):
    sim.bulk_peerings(A, 5)
    sim.bulk_peerings(B, 5)
    token = gw_a.ReadNetPeerings(ResultsPerPage=2)["NextPageToken"]
    # Another account, other filters, another action, another simulator: all refused.
    assert api_error(gw_b.ReadNetPeerings, ResultsPerPage=2, NextPageToken=token)[0] == 400
    assert (
        api_error(gw_a.ReadNetPeerings, ResultsPerPage=2, NextPageToken=token, Filters={"StateNames": ["active"]})[0]
        == 400
    )
    assert api_error(gw_a.ReadNets, NextPageToken=token)[0] == 400
    with Simulator() as other:
        other.bulk_peerings(A, 5)
        assert api_error(gateway(other, A).ReadNetPeerings, ResultsPerPage=2, NextPageToken=token)[0] == 400
    # The right caller may change the page size between pages.
    assert len(gw_a.ReadNetPeerings(ResultsPerPage=3, NextPageToken=token)["NetPeerings"]) == 3


def test_empty_token_means_first_page(sim, gw_a):
    created = sim.bulk_peerings(A, 2)
    assert [p["NetPeeringId"] for p in gw_a.ReadNetPeerings(NextPageToken="")["NetPeerings"]] == created


def test_read_nets_paginates_too(sim, gw_a):
    for third in range(5):
        gw_a.CreateNet(IpRange=f"172.{16 + third}.0.0/16")
    pages = []
    token = None
    while True:
        request = {"ResultsPerPage": 3, **({"NextPageToken": token} if token else {})}
        response = gw_a.ReadNets(**request)
        pages.append(len(response["Nets"]))
        token = response.get("NextPageToken")
        if not token:
            break
    assert pages == [3, 3, 1]


def test_ten_thousand_peerings(sim, gw_a):
    started = time.monotonic()
    created = sim.bulk_peerings(A, 10_000)
    assert time.monotonic() - started < 5
    pages = _all_pages(gw_a, 1000)
    assert len(pages) == 10
    assert [pcx for page in pages for pcx in page] == created
    assert len(set(created)) == 10_000

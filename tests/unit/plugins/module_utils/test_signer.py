"""Our OSC4-HMAC-SHA256 signer, graded by Outscale's own SDK (osc-sdk-python).

The SDK's Authentication class is the oracle: we freeze its clock and feed both
implementations the same random inputs. Our code never grades itself here.
"""

import datetime
import json
import random
import string

import pytest
from osc_sdk_python.authentication import Authentication
from osc_sdk_python.credentials import Profile

from ansible_collections.outscale.cloud.plugins.module_utils._signer import sign_request

ORACLE_CASES = 600
REGIONS = ["eu-west-2", "us-east-2", "us-west-1", "cloudgouv-eu-west-1", "ap-northeast-1"]
ACTIONS = [
    "CreateNetPeering",
    "AcceptNetPeering",
    "RejectNetPeering",
    "DeleteNetPeering",
    "ReadNetPeerings",
    "CreateTags",
    "DeleteTags",
    "ReadNets",
]
# Dates right at month and year boundaries, where a date stamp bug would show.
BOUNDARY_DATES = [
    datetime.datetime(2023, 12, 31, 23, 59, 59),
    datetime.datetime(2024, 1, 1, 0, 0, 0),
    datetime.datetime(2024, 2, 29, 23, 59, 59),
    datetime.datetime(2024, 3, 1, 0, 0, 0),
    datetime.datetime(2025, 4, 30, 23, 59, 59),
    datetime.datetime(2025, 5, 1, 0, 0, 1),
    datetime.datetime(2026, 12, 31, 23, 59, 58),
    datetime.datetime(2027, 1, 1, 0, 0, 0),
]
NON_ASCII = "éàçøß漢字テスト🚀Ωж "


class FrozenAuthentication(Authentication):
    """The SDK signer with its clock pinned to a given instant."""

    def __init__(self, when, **kwargs):
        super().__init__(**kwargs)
        self.when = when

    def build_dates(self):
        return self.when.strftime("%Y%m%dT%H%M%SZ"), self.when.strftime("%Y%m%d")


def oracle_headers(access_key, secret_key, region, host, path, body, when):
    profile = Profile(access_key=access_key, secret_key=secret_key, region=region)
    return FrozenAuthentication(when, credentials=profile, host=host).forge_headers_signed(path, body)


def random_text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for unused in range(rng.randint(low, high)))


def random_body(rng):
    body = {}
    for unused in range(rng.randint(0, 5)):
        key = random_text(rng, string.ascii_letters, 1, 12)
        kind = rng.random()
        if kind < 0.3:
            body[key] = random_text(rng, string.ascii_letters + NON_ASCII, 0, 30)
        elif kind < 0.5:
            body[key] = rng.randint(-(10**6), 10**6)
        elif kind < 0.7:
            body[key] = [random_text(rng, string.hexdigits + NON_ASCII, 1, 8) for unused in range(rng.randint(0, 3))]
        else:
            body[key] = {"Key": random_text(rng, NON_ASCII + string.digits, 1, 5), "Value": rng.random() < 0.5}
    # Both compact and spaced encodings, ASCII-escaped or raw UTF-8: we sign whatever is sent.
    return json.dumps(body, ensure_ascii=rng.random() < 0.5, separators=rng.choice([(",", ":"), (", ", ": ")]))


def random_case(rng):
    if rng.random() < 0.3:
        when = rng.choice(BOUNDARY_DATES) + datetime.timedelta(seconds=rng.choice([0, 1, -1]))
    else:
        when = datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 10 * 365 * 86400))
    region = rng.choice(REGIONS + [random_text(rng, string.ascii_lowercase, 2, 9) + "-west-" + str(rng.randint(1, 9))])
    host = rng.choice([f"api.{region}.outscale.com", "127.0.0.1", "localhost", "sim.example.test"])
    port = rng.choice([None, None, 443, 8443, rng.randint(1024, 65535)])
    return {
        "access_key": random_text(rng, string.ascii_uppercase + string.digits, 20, 20),
        "secret_key": random_text(rng, string.ascii_letters + string.digits + "/+", 40, 40),
        "region": region,
        "host": host,
        "port": port,
        "scheme": rng.choice(["https", "http"]),
        "path": "/api/v1/" + rng.choice(ACTIONS),
        "body": random_body(rng),
        "when": when.replace(tzinfo=datetime.timezone.utc),
    }


def test_known_vector_from_the_facts_sheet():
    headers = sign_request(
        "POST",
        "https://api.eu-west-2.outscale.com/api/v1/CreateNetPeering",
        '{"SourceNetId": "vpc-11111111", "AccepterNetId": "vpc-22222222"}',
        "AKIAEXAMPLE0123456789",
        "SECRETEXAMPLE0123456789012345678901234567",
        "eu-west-2",
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    )
    assert headers["Authorization"].endswith(
        "Signature=7ddabf155c42a9c979172f788042343bc14923d6f25204bad0a3d93476b02237"
    )
    assert headers["X-Osc-Date"] == "20240102T030405Z"


@pytest.mark.parametrize("seed", [20261125])
def test_signer_matches_the_official_sdk_on_random_inputs(seed):
    rng = random.Random(seed)
    mismatches = []
    for index in range(ORACLE_CASES):
        case = random_case(rng)
        netloc = case["host"] if case["port"] is None else f"{case['host']}:{case['port']}"
        url = f"{case['scheme']}://{netloc}{case['path']}"
        ours = sign_request(
            "POST", url, case["body"], case["access_key"], case["secret_key"], case["region"], case["when"]
        )
        # The SDK is told the host without the port, as the platform specifies.
        theirs = oracle_headers(
            case["access_key"],
            case["secret_key"],
            case["region"],
            case["host"],
            case["path"],
            case["body"],
            case["when"],
        )
        for header in ("Authorization", "X-Osc-Date", "Content-Type"):
            if ours[header] != theirs[header]:
                mismatches.append((index, header, url))
    print(f"signer oracle: {ORACLE_CASES} random cases, {len(mismatches)} mismatches")
    assert mismatches == []


def test_port_is_not_part_of_the_signed_host():
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    with_port = sign_request(
        "POST", "http://127.0.0.1:8080/api/v1/ReadNetPeerings", "{}", "AK", "SK", "eu-west-2", when
    )
    without = sign_request("POST", "http://127.0.0.1/api/v1/ReadNetPeerings", "{}", "AK", "SK", "eu-west-2", when)
    assert with_port["Authorization"] == without["Authorization"]


def test_every_input_changes_the_signature():
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    base = ("POST", "https://api.eu-west-2.outscale.com/api/v1/ReadNetPeerings", "{}", "AK", "SK", "eu-west-2", when)
    variants = [
        (base[0], base[1].replace("Read", "Delete"), *base[2:]),
        (*base[:2], '{"DryRun":true}', *base[3:]),
        (*base[:4], "SK2", *base[5:]),
        (*base[:5], "us-east-2", when),
        (*base[:6], when + datetime.timedelta(seconds=1)),
    ]
    reference = sign_request(*base)["Authorization"]
    for variant in variants:
        assert sign_request(*variant)["Authorization"] != reference

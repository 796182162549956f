# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input matrix: each case is its own ansible-playbook run at -vvv, with one task.

Each must fail with rc != 0 and a message naming the problem (every expected
fragment, case-insensitively), with no Python traceback and no secret anywhere
in stdout or stderr. Every run carries the account's secret key (and, where it
applies, another account's key, a wrong key, or a key inside a config file), so
the secret scan covers what -vvv prints about failing tasks.

The cases run four at a time (one playbook each) before the per-case tests
look at their results. The fast run keeps the cases marked fast.
"""

from __future__ import annotations

import concurrent.futures
import json
import os

import pytest
import trustme
from bench import harness as h
from rel_common import (
    ACCOUNT_B,
    AK_A,
    AK_B,
    FULL,
    REGION,
    SK_A,
    SK_B,
    SK_FILE,
    SK_LEAK,
    SK_WRONG,
    URL_PASSWORD,
    nets,
    sim_clean,
    two_accounts,
)

P = "outscale.cloud.net_peering"
INFO = "outscale.cloud.net_peering_info"

NETS_A = nets("a", 6, 1)  # vpc-a0000000 .. vpc-a0000005, 10.1.0.0/16 .. 10.6.0.0/16
NETS_B = nets("b", 3, 20)  # vpc-b0000000 .. vpc-b0000002, 10.20.0.0/16 ..
A0, A1, A2, A3, A4, A5 = [net[0] for net in NETS_A]
B0, B1, B2 = [net[0] for net in NETS_B]
OVERLAP = h.net_id("a", 0x99)  # 10.1.0.0/24, inside A0's range
B_CREDS = {"access_key": AK_B, "secret_key": SK_B}
PAIR = {"source_net_id": A0, "accepter_net_id": A1}


class Case:
    def __init__(
        self,
        case_id,
        module,
        args,
        expect,
        fast=False,
        conn=None,
        env=None,
        files=None,
        sim="plain",
        no_create=None,
        known_defect=None,
    ):
        self.id, self.module, self.args, self.expect, self.fast = case_id, module, args, expect, fast
        self.conn = conn or {}  # connection option overrides; None drops the option
        self.env = env or {}
        self.files = files or {}  # name -> str, dict (JSON) or DIR
        self.sim = sim  # plain, skew, tls, faulty
        self.no_create = no_create  # (src, dst): no peering of this pair may exist afterwards
        self.known_defect = known_defect  # reason: expected to fail until fixed (strict xfail)


DIR = object()
CONFIG_OK = {"default": {"access_key": AK_A, "secret_key": SK_FILE}, "prod": {"access_key": AK_A, "secret_key": SK_A}}
FROM_FILE = {"access_key": None, "secret_key": None, "config_file": "{case}/config.json"}
# A CA that signed nothing the simulators present.
OTHER_CA_PEM = trustme.CA().cert_pem.bytes().decode()
# Where a shell puts ~root/...: another user's home, never the runner's.
ROOT_CONFIG = os.path.expanduser("~root/osc-reliability-absent.json")
NOT_JSON = f'{{"default": {{"access_key": "{AK_A}", "secret_key": "{SK_FILE}",,}}'

CASES = [
    # -- bad ID formats
    Case("peering-id-too-short", P, {"net_peering_id": "pcx-123"}, ["net_peering_id", "pcx-123"], fast=True),
    Case("peering-id-wrong-prefix", P, {"net_peering_id": "vpc-a1a1a1a1"}, ["net_peering_id", "vpc-a1a1a1a1"]),
    Case("peering-id-upper-case", P, {"net_peering_id": "PCX-12345678"}, ["net_peering_id"]),
    Case(
        "source-net-id-malformed",
        P,
        {"source_net_id": "vpc-zzzz", "accepter_net_id": A1},
        ["source_net_id", "vpc-zzzz"],
        fast=True,
    ),
    Case(
        "accepter-net-id-wrong-prefix",
        P,
        {"source_net_id": A0, "accepter_net_id": "subnet-12345678"},
        ["accepter_net_id", "subnet-12345678"],
    ),
    Case("accepter-owner-id-short", P, dict(PAIR, accepter_owner_id="12345"), ["accepter_owner_id", "12345"]),
    Case("accepter-owner-id-int", P, dict(PAIR, accepter_owner_id=111), ["accepter_owner_id"]),
    Case("info-peering-ids-malformed", INFO, {"net_peering_ids": ["pcx-xyz"]}, ["net_peering_ids", "pcx-xyz"]),
    Case(
        "info-filter-net-id-malformed",
        INFO,
        {"filters": {"source_net_net_ids": "vpc-1"}},
        ["source_net_net_ids", "vpc-1"],
    ),
    Case(
        "info-filter-account-id-malformed",
        INFO,
        {"filters": {"accepter_net_account_ids": ["12"]}},
        ["accepter_net_account_ids"],
    ),
    # -- missing or contradictory options
    Case("nothing-named", P, {}, ["net_peering_id", "source_net_id"], fast=True),
    Case("source-without-accepter", P, {"source_net_id": A0}, ["accepter_net_id"]),
    Case("accepter-without-source", P, {"accepter_net_id": A1}, ["source_net_id"]),
    Case(
        "id-and-pair", P, dict(PAIR, net_peering_id="pcx-12345678"), ["mutually exclusive", "net_peering_id"], fast=True
    ),
    Case(
        "id-and-owner",
        P,
        {"net_peering_id": "pcx-12345678", "accepter_owner_id": ACCOUNT_B},
        ["mutually exclusive", "accepter_owner_id"],
    ),
    Case(
        "same-net-both-sides", P, {"source_net_id": A0, "accepter_net_id": A0}, ["source_net_id", "accepter_net_id", A0]
    ),
    Case(
        "info-ids-twice",
        INFO,
        {"net_peering_ids": ["pcx-12345678"], "filters": {"net_peering_ids": ["pcx-12345678"]}},
        ["net_peering_ids"],
    ),
    Case(
        "cross-account-accept-without-credentials",
        P,
        {"source_net_id": A2, "accepter_net_id": B0, "accepter_owner_id": ACCOUNT_B, "state": "accepted"},
        ["accepter_credentials", ACCOUNT_B, "nothing was created"],
        fast=True,
        no_create=(A2, B0),
    ),
    Case(
        "accepter-credentials-half-pair",
        P,
        {
            "source_net_id": A2,
            "accepter_net_id": B0,
            "accepter_owner_id": ACCOUNT_B,
            "state": "accepted",
            "accepter_credentials": {"access_key": AK_B},
        },
        ["accepter_credentials", "secret_key"],
        no_create=(A2, B0),
    ),
    Case("access-key-without-secret", P, PAIR, ["access_key", "secret_key"], conn={"secret_key": None}),
    Case(
        "no-credentials-anywhere",
        P,
        PAIR,
        ["credentials", "access_key"],
        conn={"access_key": None, "secret_key": None},
        fast=True,
    ),
    Case(
        "env-access-key-without-secret",
        INFO,
        {},
        ["OSC_ACCESS_KEY", "OSC_SECRET_KEY"],
        conn={"access_key": None, "secret_key": None},
        env={"OSC_ACCESS_KEY": AK_A},
    ),
    Case("state-unknown", P, dict(PAIR, state="bogus"), ["state", "bogus"]),
    # -- wrong types and values
    Case("wait-not-bool", P, dict(PAIR, wait="maybe"), ["wait", "maybe"], fast=True),
    Case("wait-timeout-not-int", P, dict(PAIR, wait_timeout="soon"), ["wait_timeout"]),
    Case("wait-timeout-negative", P, dict(PAIR, wait_timeout=-5), ["wait_timeout"]),
    Case("tags-not-dict", P, dict(PAIR, tags="not-a-dict"), ["tags"]),
    Case("tags-empty-key", P, dict(PAIR, tags={"": "x"}), ["tag"]),
    Case("purge-tags-not-bool", P, dict(PAIR, purge_tags="perhaps"), ["purge_tags"]),
    # ansible-core 2.19: a string given to a dict option with no_log suboptions makes the no_log
    # collection raise, and fail_json would echo every parameter unmasked at -vvv. OscAnsibleModule
    # withholds the invocation until validation passes, and names the option.
    Case(
        "accepter-credentials-not-dict",
        P,
        dict(PAIR, accepter_credentials="a string"),
        ["accepter_credentials must be a dictionary"],
        fast=True,
    ),
    Case(
        "accepter-credentials-unknown-key",
        P,
        dict(PAIR, accepter_credentials={"foo": "bar"}),
        ["accepter_credentials", "foo"],
        fast=True,
    ),
    Case("secret-key-wrong-type", P, PAIR, ["secret_key"], conn={"secret_key": [SK_LEAK]}, fast=True),
    Case(
        "accepter-secret-key-wrong-type",
        P,
        {
            "source_net_id": A5,
            "accepter_net_id": B2,
            "accepter_owner_id": ACCOUNT_B,
            "state": "accepted",
            "accepter_credentials": {"access_key": AK_B, "secret_key": {"k": SK_LEAK}},
        },
        # Refused before any call since issue 19 (defect 6), naming the option; it was a 401 from the API.
        ["accepter_credentials", "secret_key", "printable text"],
    ),
    Case("info-filters-not-dict", INFO, {"filters": "notadict"}, ["filters"]),
    Case("info-peering-ids-not-list", INFO, {"net_peering_ids": {"a": "b"}}, ["net_peering_ids"]),
    Case("request-timeout-zero", P, PAIR, ["request_timeout"], conn={"request_timeout": 0}),
    Case("max-retries-negative", P, PAIR, ["max_retries"], conn={"max_retries": -1}),
    Case("unknown-option", P, dict(PAIR, colour="blue"), ["colour"]),
    # -- unknown filter keys and values
    Case("info-filter-unknown-key", INFO, {"filters": {"bogus_key": "x"}}, ["bogus_key", "state_names"], fast=True),
    Case("info-filter-camel-case-key", INFO, {"filters": {"StateNames": ["active"]}}, ["StateNames"]),
    Case("info-filter-unknown-state", INFO, {"filters": {"state_names": ["up"]}}, ["state_names", "up"]),
    Case("info-filter-tag-not-key-value", INFO, {"filters": {"tags": ["noequals"]}}, ["tags", "noequals"]),
    # -- region and endpoint
    Case("region-malformed", P, PAIR, ["region", "Europe West"], conn={"region": "Europe West"}, fast=True),
    # A key unknown in the region (or a key of another region) gets HTTP 400, Code 4120 on the platform
    # (shared/reference/outscale-platform-evidence.md), not 401; the message names the region and access_key.
    Case(
        "region-wrong-for-endpoint", INFO, {}, ["4120", "region us-east-2", "access_key"], conn={"region": "us-east-2"}
    ),
    Case("endpoint-not-a-url", P, PAIR, ["endpoint", "not a url"], conn={"endpoint": "not a url"}, fast=True),
    Case("endpoint-ftp", P, PAIR, ["endpoint", "ftp://"], conn={"endpoint": "ftp://127.0.0.1/api/v1"}),
    Case("endpoint-bad-port", P, PAIR, ["endpoint", "port"], conn={"endpoint": "http://127.0.0.1:99999/api/v1"}),
    Case(
        "endpoint-nothing-listening",
        INFO,
        {},
        ["127.0.0.1:1", "connect"],
        conn={"endpoint": "http://127.0.0.1:1/api/v1", "max_retries": 1},
    ),
    Case(
        "accepter-endpoint-malformed",
        P,
        {
            "source_net_id": A2,
            "accepter_net_id": B0,
            "accepter_owner_id": ACCOUNT_B,
            "state": "accepted",
            "accepter_credentials": dict(B_CREDS, endpoint="http//nowhere"),
        },
        ["accepter_credentials", "endpoint"],
        no_create=(A2, B0),
    ),
    # -- config file and profile
    Case(
        "config-file-missing",
        INFO,
        {},
        ["config_file", "{case}/missing.json", "does not exist"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/missing.json"},
        fast=True,
    ),
    Case(
        "config-file-unreadable",
        INFO,
        {},
        ["config_file", "cannot be read"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/config.json"},
        files={"config.json": DIR},
    ),
    Case(
        "config-file-malformed",
        INFO,
        {},
        ["config_file", "not valid JSON"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/config.json"},
        files={"config.json": NOT_JSON},
        fast=True,
    ),
    Case(
        "config-file-not-an-object",
        INFO,
        {},
        ["config_file", "object"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/config.json"},
        files={"config.json": [CONFIG_OK]},
    ),
    Case(
        "profile-missing",
        INFO,
        {},
        ["profile", "ghost", "default"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/config.json", "profile": "ghost"},
        files={"config.json": CONFIG_OK},
        fast=True,
    ),
    Case(
        "profile-missing-from-env",
        INFO,
        {},
        ["profile", "ghost"],
        conn={"access_key": None, "secret_key": None},
        env={"OSC_PROFILE": "ghost", "OSC_CONFIG_FILE": "{case}/config.json"},
        files={"config.json": CONFIG_OK},
    ),
    Case(
        "profile-without-keys",
        INFO,
        {},
        ["profile", "access_key"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/config.json", "profile": "empty"},
        files={"config.json": {"empty": {"region": REGION}}},
    ),
    Case(
        "profile-not-an-object",
        INFO,
        {},
        ["profile", "odd"],
        conn={"access_key": None, "secret_key": None, "config_file": "{case}/config.json", "profile": "odd"},
        files={"config.json": {"odd": [SK_FILE]}},
    ),
    # -- clock skew, credentials, TLS
    Case("clock-skew-10-minutes", INFO, {}, ["401", "clock"], sim="skew", fast=True),
    Case("wrong-secret-key", INFO, {}, ["401", "secret_key"], conn={"secret_key": SK_WRONG}, fast=True),
    Case("unknown-access-key", INFO, {}, ["4120", "access_key", "region"], conn={"access_key": "AKUNKNOWN00000000001"}),
    Case(
        "accepter-credentials-wrong-secret",
        P,
        {
            "source_net_id": A3,
            "accepter_net_id": B1,
            "accepter_owner_id": ACCOUNT_B,
            "state": "accepted",
            "accepter_credentials": {"access_key": AK_B, "secret_key": SK_WRONG},
        },
        ["accepter_credentials", "401"],
    ),
    Case("tls-unknown-ca", INFO, {}, ["TLS", "ca_bundle"], sim="tls", fast=True),
    Case(
        "tls-ca-bundle-missing-file",
        INFO,
        {},
        ["ca_bundle", "{case}/nope.pem"],
        sim="tls",
        conn={"ca_bundle": "{case}/nope.pem"},
    ),
    Case(
        "tls-ca-bundle-not-a-certificate",
        INFO,
        {},
        ["ca_bundle"],
        sim="tls",
        conn={"ca_bundle": "{case}/junk.pem"},
        files={"junk.pem": "this is not a certificate\n"},
    ),
    Case(
        "tls-client-cert-without-key",
        INFO,
        {},
        ["x509_client_key"],
        sim="tls",
        conn={"ca_bundle": "{tls_ca}", "x509_client_cert": "{case}/client.pem"},
        files={"client.pem": "x\n"},
    ),
    # -- the API refuses, or keeps refusing
    Case(
        "throttled-beyond-retries",
        INFO,
        {},
        ["ReadNetPeerings", "503", "max_retries"],
        sim="faulty",
        conn={"max_retries": 2},
        fast=True,
    ),
    Case(
        "bad-gateway-beyond-retries",
        INFO,
        {},
        ["ReadNetPeerings", "502"],
        sim="faulty",
        conn=dict(B_CREDS, max_retries=1),
    ),
    Case("unknown-net", P, {"source_net_id": A0, "accepter_net_id": "vpc-deadbeef"}, ["vpc-deadbeef"], fast=True),
    Case(
        "unknown-peering-id-accept",
        P,
        {"net_peering_id": "pcx-deadbeef", "state": "accepted"},
        ["pcx-deadbeef", "not found"],
    ),
    Case("overlapping-ranges", P, {"source_net_id": A0, "accepter_net_id": OVERLAP}, ["failed", "overlap"]),
    # -- issue 19: hardening
    # Defect 1: "false", a non-empty string, turned TLS verification off and the task succeeded.
    Case(
        "profile-tls-skip-verify-string-false",
        INFO,
        {},
        ["TLS", "ca_bundle"],
        sim="tls",
        conn=FROM_FILE,
        files={"config.json": {"default": {"access_key": AK_A, "secret_key": SK_A, "tls_skip_verify": "false"}}},
        fast=True,
    ),
    Case(
        "profile-tls-skip-verify-garbage",
        INFO,
        {},
        ["{case}/config.json", "default", "tls_skip_verify"],
        sim="tls",
        conn=FROM_FILE,
        files={"config.json": {"default": {"access_key": AK_A, "secret_key": SK_A, "tls_skip_verify": "nope"}}},
    ),
    # Defect 6: a final newline passed the checks, then broke (and printed) the signed header.
    Case("region-final-newline", P, PAIR, ["region", "not a valid"], conn={"region": REGION + "\n"}, fast=True),
    Case("access-key-crlf", INFO, {}, ["access_key", "control characters"], conn={"access_key": AK_A + "\r\n"}),
    Case(
        "accepter-owner-id-final-newline",
        P,
        {"source_net_id": A4, "accepter_net_id": B2, "accepter_owner_id": ACCOUNT_B + "\n"},
        ["accepter_owner_id"],
        no_create=(A4, B2),
    ),
    Case("source-net-id-final-newline", P, {"source_net_id": A4 + "\n", "accepter_net_id": A5}, ["source_net_id"]),
    Case(
        "profile-secret-key-a-number",
        INFO,
        {},
        ["{case}/config.json", "profile 'default'", "secret_key must be a string"],
        conn=FROM_FILE,
        files={"config.json": {"default": {"access_key": AK_A, "secret_key": 12345}}},
    ),
    Case(
        "profile-endpoint-a-number",
        INFO,
        {},
        ["{case}/config.json", "endpoints.api must be a string"],
        conn=FROM_FILE,
        files={"config.json": {"default": {"access_key": AK_A, "secret_key": SK_FILE, "endpoints": {"api": 443}}}},
    ),
    Case(
        "endpoint-crlf",
        INFO,
        {},
        ["endpoint", "control character", "nothing was sent"],
        conn={"endpoint": "http://127.0.0.1:1/api/v1\r\nX-Injected: 1", "max_retries": 1},
    ),
    Case(
        "endpoint-ipv6-malformed",
        INFO,
        {},
        ["endpoint", "not a valid URL"],
        conn={"endpoint": "http://[::1/api/v1", "max_retries": 1},
    ),
    # Defect 9: with ca_bundle, validate_certs false keeps verification on; the hint says so.
    Case(
        "tls-ca-bundle-wrong-with-validate-certs-false",
        INFO,
        {},
        ["ca_bundle", "verification stays on"],
        sim="tls",
        conn={"ca_bundle": "{case}/other-ca.pem", "validate_certs": False},
        files={"other-ca.pem": OTHER_CA_PEM},
    ),
    # Defect 10: a user:password in endpoint was ignored and its password printed.
    Case(
        "endpoint-with-password",
        INFO,
        {},
        ["endpoint", "user name or password"],
        conn={"endpoint": f"http://user:{URL_PASSWORD}@127.0.0.1:1/api/v1", "max_retries": 1},
        fast=True,
    ),
    # Defect 7: with "#" in the password, "http://user:<head>" was shown; now refused before any call.
    Case(
        "proxy-password-with-hash",
        INFO,
        {},
        ["proxy", "percent-encode", "Nothing was sent"],
        env={"HTTP_PROXY": f"http://user:{URL_PASSWORD}@127.0.0.1:3128"},
        fast=True,
    ),
    Case(
        "config-file-of-another-user",
        INFO,
        {},
        [ROOT_CONFIG, "does not exist"],
        conn={"access_key": None, "secret_key": None},
        env={"OSC_CONFIG_FILE": "~root/osc-reliability-absent.json"},
    ),
    Case(
        "too-many-tags",
        P,
        {"source_net_id": A4, "accepter_net_id": A5, "tags": {f"k{i}": "v" for i in range(51)}},
        ["tags", "at most 50"],
        no_create=(A4, A5),
        fast=True,
    ),
]

SELECTED = [case for case in CASES if FULL or case.fast]


def _substitute(value, mapping):
    if isinstance(value, str):
        for key, replacement in mapping.items():
            value = value.replace(f"{{{key}}}", replacement)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, mapping) for v in value]
    return value


def _run_case(suite, sims, tls_ca, case):
    directory = os.path.join(suite.path, "case-" + case.id)
    os.makedirs(directory)
    mapping = {"case": directory, "tls_ca": tls_ca}
    for name, content in case.files.items():
        path = os.path.join(directory, name)
        if content is DIR:
            os.makedirs(path)
        else:
            with open(path, "w") as handle:
                handle.write(content if isinstance(content, str) else json.dumps(content))
    sim = sims[case.sim]
    conn = {"endpoint": sim.url, "access_key": AK_A, "secret_key": SK_A, "region": REGION}
    for key, value in case.conn.items():
        if value is None:
            conn.pop(key, None)
        else:
            conn[key] = value
    task = {"name": case.id, case.module: _substitute(case.args, mapping)}
    play = h.play([task], defaults={"group/outscale.cloud.all": _substitute(conn, mapping)})
    return suite.run([play], env=_substitute(case.env, mapping), timeout=300, known_defect=bool(case.known_defect))


@pytest.fixture(scope="module")
def case_runs(suite, tmp_path_factory):
    """Run every selected case (4 playbooks at a time) against four simulators; {case id: Run}."""
    seed = two_accounts(NETS_A + [(OVERLAP, "10.1.0.0/24")], NETS_B)
    tls_dir = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    server = authority.issue_cert("127.0.0.1")
    cert, key, ca = str(tls_dir / "server.pem"), str(tls_dir / "server.key"), str(tls_dir / "ca.pem")
    server.cert_chain_pems[0].write_to_path(cert)
    server.private_key_pem.write_to_path(key)
    authority.cert_pem.write_to_path(ca)
    sims = {
        "plain": h.Sim(seed, validate_responses=True),
        "skew": h.Sim(seed),
        "tls": h.Sim(seed, tls=(cert, key)),
        "faulty": h.Sim(seed),
    }
    for sim in sims.values():
        sim.__enter__()
    try:
        # The signature check runs 10 minutes ahead: what a client whose clock is 10 minutes late sees.
        sims["skew"].set_signing_skew(600)
        sims["faulty"].add_fault(action="*", kind="throttle_503", ratio=1.0, account_id="111111111111")
        sims["faulty"].add_fault(action="*", kind="error_502", ratio=1.0, account_id=ACCOUNT_B)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            futures = {case.id: pool.submit(_run_case, suite, sims, ca, case) for case in SELECTED}
            runs = {case_id: future.result() for case_id, future in futures.items()}
        runs["_peerings"] = sims["plain"].peerings()
        runs["_problems"] = sim_clean(sims["plain"])
        yield runs
    finally:
        for sim in sims.values():
            sim.__exit__(None, None, None)


def test_matrix_has_at_least_40_cases():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


def _param(case):
    marks = [pytest.mark.xfail(reason=case.known_defect, strict=True)] if case.known_defect else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in SELECTED])
def test_bad_input_fails_clearly(case, case_runs, suite):
    run = case_runs[case.id]
    directory = os.path.join(suite.path, "case-" + case.id)
    failed = run.failed()
    msg = failed[0]["result"].get("msg", "") if failed else ""
    context = f"rc={run.rc} msg={msg!r}\n{run.tail(15)}"
    assert run.rc != 0, context
    assert len(failed) == 1, context
    for fragment in case.expect:
        fragment = fragment.replace("{case}", directory)
        assert fragment.lower() in msg.lower(), f"message lacks {fragment!r}: {context}"
    assert not run.tracebacks(), context
    # ansible-core 2.19 sets exception to "(traceback unavailable)" on every fail_json.
    assert "Traceback" not in str(failed[0]["result"].get("exception", "")), context
    assert not run.secrets, f"secrets in the output: {run.secrets}"
    assert "EXEC" in run.output or "task path" in run.output.lower(), "the run was not at -vvv"
    if case.no_create:
        pair = frozenset(case.no_create)
        made = [p for p in case_runs["_peerings"] if frozenset((p["source_net_id"], p["accepter_net_id"])) == pair]
        assert not made, f"a peering was created before failing: {made}"


def test_simulator_stayed_consistent(case_runs):
    assert not case_runs["_problems"]

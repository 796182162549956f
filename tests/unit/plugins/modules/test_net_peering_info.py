"""net_peering_info: argument errors (no API call), then real runs of main()
against the simulator over a socket: filters, pagination, API errors."""

import json
import time

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscClient
from ansible_collections.outscale.cloud.plugins.module_utils._credentials import resolve_settings
from ansible_collections.outscale.cloud.plugins.module_utils._peering import FILTER_KEYS
from ansible_collections.outscale.cloud.plugins.modules import net_peering_info


@pytest.fixture
def run_module(capsys):
    """Run main() with module args; return (exit code, result dict)."""

    def run(args, check_mode=False):
        if check_mode:
            args = dict(args, _ansible_check_mode=True)
        capsys.readouterr()
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exc:
                net_peering_info.main()
        return exc.value.code, json.loads(capsys.readouterr().out)

    return run


UNREACHABLE = {
    "access_key": "AKIDTEST",
    "secret_key": "SKTESTSECRET0000",
    "endpoint": "http://127.0.0.1:9/api/v1",
    "max_retries": 0,
}


# -- argument errors: the module fails before any API call ---------------------


class TestArguments:
    def test_unknown_filter_key_lists_valid_keys(self, run_module):
        code, result = run_module(dict(UNREACHABLE, filters={"state": "active"}))
        assert code == 1
        assert "filters: unknown key 'state'" in result["msg"]
        for key in FILTER_KEYS:
            assert key in result["msg"]

    @pytest.mark.parametrize(
        "peering_id", ["pcx-1234", "vpc-12345678", "PCX-12345678", "pcx-1234567g", "", "pcx-12345678\n"]
    )
    def test_malformed_peering_id(self, run_module, peering_id):
        code, result = run_module(dict(UNREACHABLE, net_peering_ids=["pcx-12345678", peering_id]))
        assert code == 1
        assert result["msg"].startswith(f"net_peering_ids: {peering_id!r} is malformed")
        assert "pcx-xxxxxxxx" in result["msg"]

    @pytest.mark.parametrize(
        "key,value,expected",
        [
            ("net_peering_ids", ["pcx-zz"], "pcx-xxxxxxxx"),
            ("source_net_net_ids", "net-12345678", "vpc-xxxxxxxx"),
            ("accepter_net_net_ids", ["vpc-12345678", "vpc-1"], "vpc-xxxxxxxx"),
            ("source_net_account_ids", "1111", "12-digit"),
            ("accepter_net_account_ids", ["22222222222a"], "12-digit"),
            ("source_net_account_ids", ["111111111111\n"], "12-digit"),
            ("source_net_net_ids", ["vpc-12345678\n"], "vpc-xxxxxxxx"),
            ("state_names", ["pending"], "valid states: pending-acceptance, active"),
            ("tags", ["env"], "is not KEY=VALUE"),
            ("tags", "=prod", "is not KEY=VALUE"),
            ("tags", {"env": {"nested": 1}}, "plain value"),
            ("tag_keys", [{"a": 1}], "expected a string or a list of strings"),
        ],
    )
    def test_malformed_filter_values(self, run_module, key, value, expected):
        code, result = run_module(dict(UNREACHABLE, filters={key: value}))
        assert code == 1
        assert result["msg"].startswith(f"filters.{key}")
        assert expected in result["msg"]

    def test_ids_in_both_places(self, run_module):
        code, result = run_module(
            dict(UNREACHABLE, net_peering_ids=["pcx-12345678"], filters={"net_peering_ids": ["pcx-12345678"]})
        )
        assert code == 1
        assert "not both" in result["msg"]

    def test_wrong_option_type(self, run_module):
        code, result = run_module(dict(UNREACHABLE, filters=["state_names"]))
        assert code == 1
        assert "filters" in result["msg"]

    def test_unknown_option(self, run_module):
        code, result = run_module(dict(UNREACHABLE, filter={"state_names": "active"}))
        assert code == 1
        assert "filter" in result["msg"] and "Supported parameters include" in result["msg"]

    def test_no_credentials(self, run_module):
        code, result = run_module({"endpoint": "http://127.0.0.1:9/api/v1"})
        assert code == 1
        assert "No Outscale credentials found" in result["msg"]

    def test_empty_id_list_returns_nothing_without_a_call(self, run_module):
        # The endpoint is unreachable: any call would fail the task.
        code, result = run_module(dict(UNREACHABLE, net_peering_ids=[]))
        assert code == 0
        assert result["net_peerings"] == [] and result["changed"] is False

    def test_unreachable_endpoint_fails_cleanly_and_fast(self, run_module):
        started = time.monotonic()
        code, result = run_module(dict(UNREACHABLE))
        elapsed = time.monotonic() - started
        assert code == 1
        assert result["msg"].startswith("ReadNetPeerings failed: nothing listens on 127.0.0.1:9 (connection refused")
        assert "Is the simulator" in result["msg"] and elapsed < 2, (elapsed, result["msg"])
        assert result["api_error"]["action"] == "ReadNetPeerings"
        assert "SKTESTSECRET0000" not in json.dumps(result)


# -- main() against the simulator (fixtures of simulator.pytest_plugin), over a real socket ----


def creds(sim, index=0):
    account = sim.accounts[index]
    return {
        "access_key": account["access_key"],
        "secret_key": account["secret_key"],
        "endpoint": sim.url,
        "region": sim.region,
    }


def api(sim, index=0):
    """Our client as account ``index``, to arrange the scene."""
    return OscClient(resolve_settings(creds(sim, index), environ={}))


@pytest.fixture
def scene(osc_simulator):
    """A1 -> B1 active (cross-account, tagged env=prod), A1 -> A2 pending (tagged env=dev, team=net), A2 -> B1 rejected."""
    sim = osc_simulator
    a, b = api(sim, 0), api(sim, 1)
    nets = dict(a1=sim.accounts[0]["nets"][0], a2=sim.accounts[0]["nets"][1], b1=sim.accounts[1]["nets"][0])
    ids = {}
    ids["a1b1"] = a.call(
        "CreateNetPeering",
        {
            "SourceNetId": nets["a1"]["net_id"],
            "AccepterNetId": nets["b1"]["net_id"],
            "AccepterOwnerId": sim.accounts[1]["account_id"],
        },
    )["NetPeering"]["NetPeeringId"]
    b.call("AcceptNetPeering", {"NetPeeringId": ids["a1b1"]})
    ids["a1a2"] = a.call(
        "CreateNetPeering", {"SourceNetId": nets["a1"]["net_id"], "AccepterNetId": nets["a2"]["net_id"]}
    )["NetPeering"]["NetPeeringId"]
    ids["a2b1"] = a.call(
        "CreateNetPeering",
        {
            "SourceNetId": nets["a2"]["net_id"],
            "AccepterNetId": nets["b1"]["net_id"],
            "AccepterOwnerId": sim.accounts[1]["account_id"],
        },
    )["NetPeering"]["NetPeeringId"]
    b.call("RejectNetPeering", {"NetPeeringId": ids["a2b1"]})
    a.call("CreateTags", {"ResourceIds": [ids["a1b1"]], "Tags": [{"Key": "env", "Value": "prod"}]})
    a.call(
        "CreateTags",
        {"ResourceIds": [ids["a1a2"]], "Tags": [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "net"}]},
    )
    sim.clear_log()
    return sim, ids, nets


def listed(result):
    return sorted(p["net_peering_id"] for p in result["net_peerings"])


class TestAgainstSimulator:
    def test_lists_everything_in_the_shape_of_net_peering(self, scene, run_module):
        sim, ids, nets = scene
        code, result = run_module(creds(sim))
        assert code == 0 and result["changed"] is False
        assert listed(result) == sorted(ids.values())
        by_id = {p["net_peering_id"]: p for p in result["net_peerings"]}
        assert by_id[ids["a1b1"]] == {
            "net_peering_id": ids["a1b1"],
            "state": {"name": "active", "message": "Active"},
            "source_net": {
                "account_id": "111111111111",
                "ip_range": nets["a1"]["ip_range"],
                "net_id": nets["a1"]["net_id"],
            },
            "accepter_net": {
                "account_id": "222222222222",
                "ip_range": nets["b1"]["ip_range"],
                "net_id": nets["b1"]["net_id"],
            },
            "expiration_date": by_id[ids["a1b1"]]["expiration_date"],
            "tags": {"env": "prod"},
        }
        assert by_id[ids["a1a2"]]["state"]["name"] == "pending-acceptance"
        assert by_id[ids["a1a2"]]["expiration_date"]  # a pending peering expires
        assert by_id[ids["a2b1"]]["state"]["name"] == "rejected"
        assert sim.call_counts() == {"ReadNetPeerings": 1}

    def test_each_filter_key(self, scene, run_module):
        sim, ids, nets = scene
        a1, a2, b1 = nets["a1"], nets["a2"], nets["b1"]
        every = sorted(ids.values())
        all_results = run_module(creds(sim))[1]["net_peerings"]
        pending = [p for p in all_results if p["net_peering_id"] == ids["a1a2"]][0]
        cases = [
            ({"accepter_net_account_ids": "222222222222"}, [ids["a1b1"], ids["a2b1"]]),
            ({"accepter_net_ip_ranges": [a2["ip_range"]]}, [ids["a1a2"]]),
            ({"accepter_net_net_ids": [b1["net_id"]]}, [ids["a1b1"], ids["a2b1"]]),
            ({"expiration_dates": [pending["expiration_date"]]}, [ids["a1a2"]]),
            ({"net_peering_ids": [ids["a1b1"], "pcx-00000000"]}, [ids["a1b1"]]),
            ({"source_net_account_ids": ["111111111111"]}, every),
            ({"source_net_ip_ranges": a1["ip_range"]}, [ids["a1b1"], ids["a1a2"]]),
            ({"source_net_net_ids": [a2["net_id"]]}, [ids["a2b1"]]),
            ({"state_messages": ["Active"]}, [ids["a1b1"]]),
            ({"state_names": ["pending-acceptance", "active"]}, [ids["a1b1"], ids["a1a2"]]),
            ({"tag_keys": ["team"]}, [ids["a1a2"]]),
            ({"tag_values": ["prod", "dev"]}, [ids["a1b1"], ids["a1a2"]]),
            ({"tags": {"env": "prod"}}, [ids["a1b1"]]),
            ({"tags": ["env=dev", "env=prod"]}, [ids["a1b1"], ids["a1a2"]]),
            # keys are ANDed
            ({"source_net_net_ids": [a1["net_id"]], "state_names": "active"}, [ids["a1b1"]]),
            ({"tags": {"env": "prod"}, "state_names": ["pending-acceptance"]}, []),
        ]
        covered = set()
        for filters, expected in cases:
            code, result = run_module(dict(creds(sim), filters=filters))
            assert code == 0, result
            assert listed(result) == sorted(expected), filters
            covered.update(filters)
        assert covered == set(FILTER_KEYS)

    def test_ids_and_filters_together(self, scene, run_module):
        sim, ids, _nets = scene
        code, result = run_module(
            dict(creds(sim), net_peering_ids=[ids["a1b1"], ids["a1a2"]], filters={"state_names": "active"})
        )
        assert code == 0 and listed(result) == [ids["a1b1"]]

    def test_other_account_sees_its_side(self, scene, run_module):
        sim, ids, _nets = scene
        code, result = run_module(creds(sim, 1))
        assert code == 0
        assert listed(result) == sorted([ids["a1b1"], ids["a2b1"]])
        # tags are per account: B set none
        assert all(p["tags"] == {} for p in result["net_peerings"])

    def test_check_mode_reads_the_same(self, scene, run_module):
        sim, ids, _nets = scene
        code, result = run_module(creds(sim), check_mode=True)
        assert code == 0 and result["changed"] is False
        assert listed(result) == sorted(ids.values())
        assert sim.call_counts() == {"ReadNetPeerings": 1}

    def test_follows_every_page(self, osc_simulator, run_module):
        sim = osc_simulator
        sim.bulk_peerings("111111111111", 2500, "active")
        sim.bulk_peerings("111111111111", 1, "pending-acceptance")
        code, result = run_module(creds(sim))
        assert code == 0
        assert len(result["net_peerings"]) == 2501
        assert len(set(listed(result))) == 2501
        assert sim.call_counts("ReadNetPeerings") == 3
        sim.clear_log()
        code, result = run_module(dict(creds(sim), filters={"state_names": "pending-acceptance"}))
        assert len(result["net_peerings"]) == 1 and sim.call_counts("ReadNetPeerings") == 1

    def test_throttling_is_retried(self, scene, run_module):
        sim, ids, _nets = scene
        sim.add_fault(action="ReadNetPeerings", kind="throttle_429", count=2)
        code, result = run_module(dict(creds(sim), retry_max_time=30))
        assert code == 0 and listed(result) == sorted(ids.values())
        assert sim.call_counts("ReadNetPeerings") == 3

    def test_wrong_secret_fails_with_the_api_error(self, osc_simulator, run_module):
        sim = osc_simulator
        code, result = run_module(dict(creds(sim), secret_key="SKwrongWrongWrong000000000000000000000000"))
        assert code == 1
        assert result["msg"].startswith("ReadNetPeerings failed: the API refused the request. HTTP 401")
        assert result["api_error"]["action"] == "ReadNetPeerings" and result["api_error"]["status_code"] == 401
        assert result["api_error"]["request_id"]
        assert "SKwrong" not in json.dumps(result)
        assert result["changed"] is False

"""docs/awx/peering.yml run the way AWX runs a job: through ansible-runner, with the
environment that docs/awx/credential-type-injectors.yml produces for a credential
of the type in docs/awx/credential-type-inputs.yml, against the simulator.

The injector's templates are rendered as AWX renders them (Jinja2, sandboxed, the
credential's inputs as variables; an optional input left out is an empty string).
"""

import json
import os
import sys

import ansible_runner
import jinja2.sandbox
import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX_DOCS = os.path.join(ROOT, "docs", "awx")
VENV_BIN = os.path.dirname(sys.executable)


def load(name):
    with open(os.path.join(AWX_DOCS, name)) as handle:
        return yaml.safe_load(handle)


def credential_inputs(values):
    """The inputs as AWX stores them: validated against the input configuration, defaults filled in."""
    fields = load("credential-type-inputs.yml")
    known = {field["id"]: field for field in fields["fields"]}
    assert set(values) <= set(known), f"unknown inputs: {set(values) - set(known)}"
    missing = [name for name in fields.get("required", []) if not values.get(name)]
    assert not missing, f"required inputs missing: {missing}"
    inputs = {name: field["default"] for name, field in known.items() if "default" in field}
    inputs.update(values)
    return inputs


def injected_env(inputs):
    """The environment variables the injector configuration sets for these inputs."""
    injectors = load("credential-type-injectors.yml")
    assert set(injectors) == {"env"}, "the test renders env injectors only"
    fields = [field["id"] for field in load("credential-type-inputs.yml")["fields"]]
    context = {name: inputs.get(name, "") for name in fields}
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return {name: environment.from_string(template).render(**context) for name, template in injectors["env"].items()}


def test_the_injector_sets_every_connection_variable():
    env = injected_env(credential_inputs({"access_key": "AK", "secret_key": "SK"}))
    assert env == {"OSC_ACCESS_KEY": "AK", "OSC_SECRET_KEY": "SK", "OSC_REGION": "eu-west-2", "OSC_ENDPOINT_API": ""}


@pytest.fixture
def collections_path(tmp_path):
    """ansible_collections/outscale/cloud -> this checkout."""
    base = tmp_path / "collections"
    os.makedirs(str(base / "ansible_collections" / "outscale"))
    os.symlink(ROOT, str(base / "ansible_collections" / "outscale" / "cloud"))
    return str(base)


def test_the_job_runs_as_the_credential_account(osc_simulator, collections_path, tmp_path, monkeypatch):
    sim = osc_simulator
    account = sim.accounts[0]
    inputs = credential_inputs(
        {"access_key": account["access_key"], "secret_key": account["secret_key"], "endpoint": sim.url}
    )
    private = tmp_path / "job"
    (private / "project").mkdir(parents=True)
    with open(os.path.join(AWX_DOCS, "peering.yml")) as source:
        (private / "project" / "peering.yml").write_text(source.read())
    (private / "inventory").mkdir()
    (private / "inventory" / "hosts").write_text(
        f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n"
    )
    for name in [n for n in os.environ if n.startswith(("OSC_", "ANSIBLE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PATH", VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.osc/config.json of the tester's
    envvars = dict(
        injected_env(inputs),
        ANSIBLE_COLLECTIONS_PATH=collections_path,
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
        ANSIBLE_NOCOLOR="1",
        LC_ALL="C.UTF-8",
    )

    result = ansible_runner.run(
        private_data_dir=str(private), playbook="peering.yml", envvars=envvars, quiet=True, timeout=300
    )
    output = result.stdout.read()
    assert (result.status, result.rc) == ("successful", 0), output[-6000:]
    assert result.stats["changed"] == {"localhost": 1}
    assert account["secret_key"] not in output
    # the peering was made by the credential's account, over the injected endpoint
    creates = [call for call in sim.log() if call["action"] == "CreateNetPeering"]
    assert [call["account_id"] for call in creates] == [account["account_id"]]
    events = [
        event
        for event in result.events
        if event.get("event") == "runner_on_ok"
        and event["event_data"].get("task") == "Peer the Nets and accept the peering"
    ]
    peering = events[0]["event_data"]["res"]["net_peering"]
    assert (peering["state"]["name"], peering["source_net"]["net_id"]) == ("active", "vpc-a1a1a1a1")
    assert json.dumps(peering["tags"]) == json.dumps({"managed-by": "awx"})

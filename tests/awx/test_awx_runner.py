"""docs/awx/peering.yml run the way AWX runs a job: through ansible-runner, with what
docs/awx/credential-type-injectors.yml produces for a credential of the type in
docs/awx/credential-type-inputs.yml, against the simulator.

The injector's templates are rendered as AWX renders them (Jinja2, sandboxed, the
credential's inputs as variables; an optional input left out is an empty string;
``tower.filename`` is the path of the file that the ``file`` template gives, which
AWX writes with mode 0600 in the job's private data directory).

ansible-runner records the job's environment in ``artifacts/<id>/command`` (and
the job events and stdout in other artifacts): the secret key must be in none of
them, so every artifact file is read.
"""

import json
import os
import stat
import sys
import tempfile

import ansible_runner
import jinja2.sandbox
import pytest
import yaml

from ansible_collections.outscale.cloud.plugins.module_utils._credentials import resolve_settings

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


def render(template, inputs, filename=""):
    fields = [field["id"] for field in load("credential-type-inputs.yml")["fields"]]
    context = {name: inputs.get(name, "") for name in fields}
    context["tower"] = {"filename": filename}
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return environment.from_string(template).render(**context)


def inject(inputs, private_data_dir):
    """What AWX injects for these inputs: (environment variables, path of the written file or None)."""
    injectors = load("credential-type-injectors.yml")
    assert set(injectors) <= {"env", "file"}, "the test renders env and file injectors only"
    path = None
    if "file" in injectors:
        assert set(injectors["file"]) == {"template"}, "one file, as AWX's tower.filename names one"
        env_dir = os.path.join(private_data_dir, "env")
        os.makedirs(env_dir, exist_ok=True)
        handle, path = tempfile.mkstemp(dir=env_dir)  # mode 0600, as AWX writes it
        with os.fdopen(handle, "w") as written:
            written.write(render(injectors["file"]["template"], inputs))
    env = {name: render(template, inputs, path or "") for name, template in injectors.get("env", {}).items()}
    return env, path


def test_the_secret_goes_to_a_private_profile_file_and_not_to_the_environment(tmp_path):
    secret = 'SK"with\\quotes<and>'
    env, path = inject(credential_inputs({"access_key": "AK", "secret_key": secret}), str(tmp_path))
    assert env == {"OSC_CONFIG_FILE": path, "OSC_PROFILE": "awx"}
    assert not any(secret in value for value in env.values())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        profiles = json.load(handle)
    assert profiles == {
        "awx": {"access_key": "AK", "secret_key": secret, "region": "eu-west-2", "endpoints": {"api": ""}}
    }


def test_the_modules_read_the_injected_profile(tmp_path):
    inputs = credential_inputs(
        {
            "access_key": "AK",
            "secret_key": "SK",
            "region": "cloudgouv-eu-west-1",
            "endpoint": "http://127.0.0.1:9/api/v1",
        }
    )
    env = inject(inputs, str(tmp_path))[0]
    settings = resolve_settings({}, environ=env, home=str(tmp_path))
    assert (settings.access_key, settings.secret_key, settings.region, settings.endpoint) == (
        "AK",
        "SK",
        "cloudgouv-eu-west-1",
        "http://127.0.0.1:9/api/v1",
    )
    # An endpoint left empty is the region's public one.
    env = inject(credential_inputs({"access_key": "AK", "secret_key": "SK"}), str(tmp_path / "other"))[0]
    assert resolve_settings({}, environ=env, home=str(tmp_path)).endpoint == "https://api.eu-west-2.outscale.com/api/v1"


def artifact_files(private_data_dir):
    found = []
    for directory, _subdirectories, names in os.walk(os.path.join(private_data_dir, "artifacts")):
        found += [os.path.join(directory, name) for name in names]
    return found


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
    injected = inject(inputs, str(private))[0]
    envvars = dict(
        injected,
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
    # Nor in any file ansible-runner left: the environment it records (command), job events, stdout, status.
    artifacts = artifact_files(str(private))
    assert any(path.endswith(os.sep + "command") for path in artifacts), artifacts
    assert len(artifacts) > 3, artifacts
    with_secret = []
    for path in artifacts:
        with open(path, "rb") as handle:
            if account["secret_key"].encode() in handle.read():
                with_secret.append(os.path.relpath(path, str(private)))
    assert with_secret == []
    assert account["secret_key"] not in json.dumps(list(result.events))
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

"""Every code block of README.md and docs/**/*.md, run as a reader would run it.

Blocks are found by their fence language:

- ``yaml``: a playbook (a list of plays), run with ansible-playbook against a
  fresh simulator (demo seed);
- ``bash``, ``sh``, ``shell``, ``console`` (the ``$ `` lines), ``python``: run in a
  scratch copy of the repository, with the simulator's ``OSC_*`` exports;
- ``json``: must parse;
- ``text`` and other languages: not run. A block without a language fails: say what it is.

An HTML comment on the line before a block says how else to treat it:

- ``<!-- docs-test: skip (why) -->``: not run; the reason is required and shows in the report;
- ``<!-- docs-test: tasks -->``: a task list, run in a play on localhost;
- ``<!-- docs-test: tasks continued -->``: run after the task blocks before it on the page
  (up to the last ``tasks``), in the same play, to use what they registered;
- ``<!-- docs-test: same-as PATH -->``: YAML or JSON equal (as data) to the file PATH, relative to
  the markdown file.

A YAML block that is not a playbook and has no marker fails, as does any block that fails.

The environment of a run (also in docs/testing-offline.md): the collection built
and installed from this checkout into ``~/.ansible/collections`` of a scratch HOME;
``~/.osc/config.json`` with the profiles ``default`` (demo account A, 111111111111)
and ``partner`` (account B, 222222222222), both pointing at the simulator;
``OSC_ENDPOINT_API`` and ``OSC_REGION`` (the simulator); shell blocks also get
``OSC_ACCESS_KEY`` and ``OSC_SECRET_KEY`` (account A, as ``make sim`` prints them),
and the test venv's bin first on PATH. Playbooks
also get the extra vars ``osc_endpoint``, ``osc_region``, ``osc_sim`` (the control
API, ``.../_sim``), ``vault_osc_access_key`` / ``vault_osc_secret_key`` (account A)
and ``partner_access_key`` / ``partner_secret_key`` (account B).
"""

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

import pytest
import yaml
from simulator import Simulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.dirname(sys.executable)
BLOCK_TIMEOUT = 600

RUN_LANGUAGES = {"yaml", "yml", "bash", "sh", "shell", "console", "python", "json"}
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^`]*)$")
MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<what>.*?)\s*-->\s*$")


class Block:
    def __init__(self, path, line, language, text, marker):
        self.path, self.line, self.language, self.text, self.marker = path, line, language, text, marker

    @property
    def name(self):
        return f"{os.path.relpath(self.path, ROOT)}:{self.line}"


def markdown_files():
    """README.md and every .md under docs/, new pages included."""
    found = [os.path.join(ROOT, "README.md")]
    found += sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True))
    return found


def blocks_of(path):
    """The fenced code blocks of a markdown file, with the marker just before each."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    blocks, index = [], 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, indent = match.group("fence"), len(match.group("indent"))
        start = index
        body = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index][indent:] if lines[index][:indent].strip() == "" else lines[index])
            index += 1
        index += 1
        previous = start - 1
        while previous >= 0 and not lines[previous].strip():
            previous -= 1
        marker = MARKER.match(lines[previous]) if previous >= 0 else None
        language = match.group("info").strip().split(" ")[0].lower()
        blocks.append(
            Block(path, start + 1, language, "\n".join(body) + "\n", marker.group("what") if marker else None)
        )
    return blocks


ALL_BLOCKS = [block for path in markdown_files() for block in blocks_of(path)]


# -- the environment ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def installed_collection(tmp_path_factory):
    """The collection as a user gets it: built into a tarball, installed; returns the collections dir."""
    base = tmp_path_factory.mktemp("docs-collection")
    subprocess.run(
        [os.path.join(VENV_BIN, "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(base), ROOT],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = glob.glob(str(base / "outscale-cloud-*.tar.gz"))[0]
    collections = base / "collections"
    subprocess.run(
        [
            os.path.join(VENV_BIN, "ansible-galaxy"),
            "collection",
            "install",
            "--offline",
            "--force",
            "-p",
            str(collections),
            tarball,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections)),
    )
    return str(collections)


@pytest.fixture
def docs_env(tmp_path, installed_collection):
    """A fresh simulator, a scratch HOME with the collection and a profile file; yields (sim, env, home)."""
    sim = Simulator(validate_responses=True)
    with sim:
        home = tmp_path / "home"
        (home / ".ansible").mkdir(parents=True)
        os.symlink(installed_collection, str(home / ".ansible" / "collections"))
        (home / ".osc").mkdir()
        a, b = sim.accounts[:2]
        profiles = {
            name: {
                "access_key": account["access_key"],
                "secret_key": account["secret_key"],
                "region": sim.region,
                "endpoints": {"api": sim.url},
            }
            for name, account in (("default", a), ("partner", b))
        }
        config = home / ".osc" / "config.json"
        config.write_text(json.dumps(profiles))
        os.chmod(str(config), 0o600)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OSC_", "ANSIBLE_", "PYTHONPATH"))}
        env.update(
            {
                "HOME": str(home),
                "PATH": VENV_BIN + os.pathsep + env.get("PATH", ""),
                "LC_ALL": "C.UTF-8",
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_LOCALHOST_WARNING": "false",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "ANSIBLE_PYTHON_INTERPRETER": sys.executable,  # the one with requests
                "ANSIBLE_ASYNC_DIR": str(home / ".ansible_async"),
                # where the API is, for every block (a task that gives keys reads no profile)
                "OSC_ENDPOINT_API": sim.url,
                "OSC_REGION": sim.region,
            }
        )
        yield sim, env, home
    assert not sim.response_problems + sim.internal_errors


def run_process(command, cwd, env, stdin=None):
    """Run in a new session and kill the whole group afterwards, so `cmd &` leaves nothing behind.

    The output goes to a file, not a pipe: a background process that outlives the
    command (a simulator started with `&`) must not keep the test waiting.
    """
    with tempfile.TemporaryFile("w+") as output_file:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=output_file,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            start_new_session=True,
        )
        try:
            if stdin:
                process.stdin.write(stdin)
                process.stdin.close()
            code = process.wait(timeout=BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            for signum in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(process.pid, signum)
                except ProcessLookupError:
                    break
                if signum == signal.SIGTERM:
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        pass
        output_file.seek(0)
        output = output_file.read()
    if code is None:
        return -1, output + f"\n[timed out after {BLOCK_TIMEOUT} s]"
    return code, output


def scratch_checkout(tmp_path):
    """A copy of the repository's files (as git lists them) to run commands in, with a .venv.

    The .venv and .venv-demo mirror the test virtualenv through symlinks, with their own
    up-to-date stamps, so `make venv` there has nothing to do and can never reinstall the real one.
    """
    work = tmp_path / "work"
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, check=True, stdout=subprocess.PIPE
        )
        .stdout.decode()
        .split("\0")
    )
    for relative in filter(None, listed):
        source = os.path.join(ROOT, relative)
        if os.path.isfile(source):
            target = os.path.join(str(work), relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
    test_venv = os.path.dirname(VENV_BIN)
    # .venv (make venv) and .venv-demo (make demo, make sim): the test venv holds all both need.
    for name, requirements in ((".venv", "requirements-test.txt"), (".venv-demo", "requirements-demo.txt")):
        venv = work / name
        venv.mkdir()
        for entry in os.listdir(test_venv):
            if not entry.startswith(".installed-"):
                os.symlink(os.path.join(test_venv, entry), str(venv / entry))
        checksum = subprocess.run(
            f"cat requirements.txt {requirements} tests/simulator/requirements.txt | cksum",
            shell=True,
            cwd=str(work),
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout.split()[0]
        (venv / (".installed-" + checksum)).touch()  # the Makefile's STAMP / DEMO_STAMP
    return str(work)


# -- turning blocks into runs -------------------------------------------------------------------


def console_script(text):
    """The commands of a console block: `$ ` lines, with their continuation and here-document lines."""
    commands, heredoc, continued = [], None, False
    for line in text.splitlines():
        if heredoc is not None:
            commands.append(line)
            if line.strip() == heredoc:
                heredoc = None
            continue
        if continued:
            commands.append(line)
        elif line.startswith("$ "):
            commands.append(line[2:])
        else:
            continue  # output
        continued = line.endswith("\\")
        here = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if here:
            heredoc = here.group(1)
    return "\n".join(commands) + "\n"


def playbook_vars(sim):
    a, b = sim.accounts[:2]
    return {
        "osc_endpoint": sim.url,
        "osc_region": sim.region,
        "osc_sim": sim.base_url + "/_sim",
        "vault_osc_access_key": a["access_key"],
        "vault_osc_secret_key": a["secret_key"],
        "partner_access_key": b["access_key"],
        "partner_secret_key": b["secret_key"],
    }


def tasks_to_run(block):
    """The tasks of a `tasks` block, preceded by those of the blocks it continues."""
    blocks = [b for b in ALL_BLOCKS if b.path == block.path and b.line <= block.line]
    chain = []
    for earlier in reversed(blocks):
        chain.insert(0, earlier)
        if earlier.marker == "tasks":
            break
    tasks = []
    for part in chain:
        loaded = yaml.safe_load(part.text)
        assert isinstance(loaded, list), f"{part.name}: a tasks block must be a list of tasks"
        tasks += loaded
    return tasks


def is_playbook(data):
    return (
        isinstance(data, list)
        and data
        and all(isinstance(p, dict) and ("hosts" in p or "import_playbook" in p) for p in data)
    )


def run_playbook(block, plays, docs_env, tmp_path):
    sim, env, _home = docs_env
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    extra = tmp_path / "vars.json"
    extra.write_text(json.dumps(playbook_vars(sim)))
    os.chmod(str(extra), 0o600)
    code, output = run_process(
        [os.path.join(VENV_BIN, "ansible-playbook"), str(playbook), "-e", f"@{extra}"], cwd=str(tmp_path), env=env
    )
    assert code == 0, f"{block.name} failed (ansible-playbook exit {code}):\n{output[-6000:]}"
    return output


def check_block(block, docs_env, tmp_path):
    """Run one block; fail with its output if it fails. Returns nothing; skips are pytest skips."""
    marker = block.marker or ""
    if marker.startswith("skip"):
        reason = re.match(r"skip\s*\((.+)\)$", marker)
        assert reason, f"{block.name}: say why: <!-- docs-test: skip (reason) -->"
        pytest.skip(f"{block.name}: {reason.group(1)}")
    if marker.startswith("same-as "):
        other = os.path.join(os.path.dirname(block.path), marker[len("same-as ") :].strip())
        with open(other) as handle:
            assert yaml.safe_load(block.text) == yaml.safe_load(handle), f"{block.name} differs from {other}"
        return
    if marker in ("tasks", "tasks continued"):
        plays = [
            {
                "name": f"docs block {block.name}",
                "hosts": "localhost",
                "connection": "local",
                "gather_facts": False,
                "tasks": tasks_to_run(block),
            }
        ]
        run_playbook(block, plays, docs_env, tmp_path)
        return
    assert not marker, f"{block.name}: unknown marker {marker!r}"
    assert block.language, (
        f"{block.name}: a fenced block without a language; tag it (yaml, bash, console, json, text, ...)"
    )
    if block.language in ("yaml", "yml"):
        data = yaml.safe_load(block.text)
        assert is_playbook(data), (
            f"{block.name}: this YAML block is not a playbook; mark it <!-- docs-test: tasks -->, "
            "same-as FILE, or skip (why)"
        )
        run_playbook(block, data, docs_env, tmp_path)
    elif block.language == "json":
        json.loads(block.text)
    elif block.language in ("bash", "sh", "shell", "console", "python"):
        _sim, env, _home = docs_env
        sim = docs_env[0]
        env = dict(env, OSC_ACCESS_KEY=sim.accounts[0]["access_key"], OSC_SECRET_KEY=sim.accounts[0]["secret_key"])
        work = scratch_checkout(tmp_path)
        if block.language == "python":
            env["PYTHONPATH"] = os.path.join(work, "tests")
            command, script = [sys.executable, "-"], block.text
        else:
            script = console_script(block.text) if block.language == "console" else block.text
            command = ["bash", "-euo", "pipefail", "-s"]
        code, output = run_process(command, cwd=work, env=env, stdin=script)
        assert code == 0, f"{block.name} failed (exit {code}); script:\n{script}\noutput:\n{output[-6000:]}"


def test_blocks_are_found():
    pages = {block.path for block in ALL_BLOCKS}
    assert os.path.join(ROOT, "docs", "getting-started.md") in pages
    assert len(ALL_BLOCKS) > 20


@pytest.mark.parametrize(
    "block",
    [b for b in ALL_BLOCKS if b.marker or b.language in RUN_LANGUAGES or not b.language],
    ids=lambda block: block.name,
)
def test_docs_block(block, request, tmp_path):
    needs_environment = not (block.marker or "").startswith(("skip", "same-as")) and block.language != "json"
    docs_env = request.getfixturevalue("docs_env") if needs_environment else None
    check_block(block, docs_env, tmp_path)


def test_readme_links_work_where_galaxy_renders_it():
    """Galaxy shows README.md outside the repository: every link must be absolute."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        links = re.findall(r"\]\(([^)]+)\)", handle.read())
    relative = [link for link in links if not re.match(r"https?://", link)]
    assert links and not relative, f"relative links in README.md: {relative}"

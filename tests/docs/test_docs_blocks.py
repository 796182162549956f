"""Every code block of README.md and docs/**/*.md, run as a reader would run it: as pasted, in order.

The reader has a clone (a scratch copy of the repository's files), `make sim` running
in another terminal, and its one export pasted: ``OSC_CONFIG_FILE``, the profile file
it wrote (``default``: demo account A, 111111111111; ``partner``: account B,
222222222222; both pointing at the simulator). Here that is one simulator for the
session, with the profile file written by the same code as `make sim`. Pages run in
reading order (README, then the docsite's order), each page's blocks in order against
that simulator; before each page, the documented reset between guides,
``make sim-reset``. Nothing else is given: a block defines what it uses.

Blocks are found by their fence language:

- ``yaml``: a playbook (a list of plays), run twice with ansible-playbook
  ``-i docs/examples/localhost.ini`` (examples are safe to run twice);
- ``bash``, ``sh``, ``shell``, ``console`` (the ``$ `` lines), ``python``: run in the clone;
- ``json``: must parse;
- ``text`` and other languages: not run. A block without a language fails: say what it is.

An HTML comment on the line before a block says how else to treat it:

- ``<!-- docs-test: skip (why) -->``: not run; the reason is required and shows in the report;
- ``<!-- docs-test: tasks -->``: a task list, run (twice) in a play on localhost;
- ``<!-- docs-test: tasks continued -->``: run after the task blocks before it on the page
  (up to the last ``tasks``), in the same play, to use what they registered;
- ``<!-- docs-test: same-as PATH -->``: YAML or JSON equal (as data) to the file PATH, relative to
  the markdown file.

A YAML block that is not a playbook and has no marker fails, as does any block that fails,
and any run that warns "No inventory was parsed".

The environment of a run: the collection built and installed from this checkout into
``~/.ansible/collections`` of a scratch HOME (no ``~/.osc``); ``OSC_CONFIG_FILE``; the
test venv's bin first on PATH. Running one block alone (``-k``) runs it after a reset,
without the blocks before it on its page.
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
from simulator.serve import write_profile_file

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


# The reading order of the guides (as the docsite's); other pages follow, by name.
READING_ORDER = [
    "getting-started",
    "credentials",
    "net_peering",
    "inventory",
    "troubleshooting",
    "testing-offline",
    "awx",
]
INVENTORY = os.path.join("docs", "examples", "localhost.ini")
NO_INVENTORY_WARNINGS = ("No inventory was parsed", "provided hosts list is empty")


def markdown_files():
    """README.md, then every .md under docs/ (new pages included), in reading order."""
    pages = sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True))

    def rank(path):
        name = os.path.splitext(os.path.relpath(path, os.path.join(ROOT, "docs")))[0]
        return (READING_ORDER.index(name) if name in READING_ORDER else len(READING_ORDER), name)

    return [os.path.join(ROOT, "README.md")] + sorted(pages, key=rank)


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


class World:
    """What the reader has: the simulator `make sim` runs, a clone, a HOME, and the environment of their shell."""

    def __init__(self, sim, env, home, work):
        self.sim, self.env, self.home, self.work = sim, env, home, work
        self.page = None  # the page whose blocks ran last


@pytest.fixture(scope="session")
def docs_world(tmp_path_factory, installed_collection):
    """One simulator and one clone for every block; yields a World."""
    base = tmp_path_factory.mktemp("docs-world")
    work = scratch_checkout(base)
    sim = Simulator(validate_responses=True)
    with sim:
        # As `make sim` does: the profile file of both demo accounts, in the clone (git-ignored).
        profile_file = os.path.join(work, ".osc-sim", "config.json")
        write_profile_file(profile_file, sim)
        home = base / "home"
        (home / ".ansible").mkdir(parents=True)
        os.symlink(installed_collection, str(home / ".ansible" / "collections"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OSC_", "ANSIBLE_", "PYTHONPATH"))}
        env.update(
            {
                "HOME": str(home),
                "PATH": VENV_BIN + os.pathsep + env.get("PATH", ""),
                "LC_ALL": "C.UTF-8",
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_LOCALHOST_WARNING": "false",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "ANSIBLE_PYTHON_INTERPRETER": sys.executable,  # the test venv's: ansible-core and requests
                "OSC_CONFIG_FILE": profile_file,  # the one export make sim prints
                # async_status finds jobs under the passwd entry's home, not $HOME: keep both in the scratch HOME
                "ANSIBLE_ASYNC_DIR": str(home / ".ansible_async"),
            }
        )
        yield World(sim, env, home, work)
    assert not sim.response_problems + sim.internal_errors


@pytest.fixture
def docs_env(docs_world):
    """The world, after the documented reset between guides when a new page starts."""
    return docs_world


def start_page(world, block):
    if world.page == block.path:
        return
    code, output = run_process(["make", "--no-print-directory", "sim-reset"], cwd=world.work, env=world.env)
    assert code == 0, f"make sim-reset (before {os.path.relpath(block.path, ROOT)}) failed:\n{output}"
    world.page = block.path


def check_output(block, output):
    for warning in NO_INVENTORY_WARNINGS:
        assert warning not in output, f"{block.name}: ansible warns {warning!r}; give an inventory:\n{output[-3000:]}"


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


def run_playbook(block, plays, world, tmp_path):
    """As the reader runs a playbook pasted into a file of their clone: twice, both runs must pass."""
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    for run in ("first", "second"):
        code, output = run_process(
            [os.path.join(VENV_BIN, "ansible-playbook"), "-i", INVENTORY, str(playbook)], cwd=world.work, env=world.env
        )
        assert code == 0, f"{block.name} failed on its {run} run (ansible-playbook exit {code}):\n{output[-6000:]}"
        check_output(block, output)
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
        env, work = dict(docs_env.env), docs_env.work
        if block.language == "python":
            env["PYTHONPATH"] = os.path.join(work, "tests")
            command, script = [sys.executable, "-"], block.text
        else:
            script = console_script(block.text) if block.language == "console" else block.text
            command = ["bash", "-euo", "pipefail", "-s"]
        code, output = run_process(command, cwd=work, env=env, stdin=script)
        assert code == 0, f"{block.name} failed (exit {code}); script:\n{script}\noutput:\n{output[-6000:]}"
        check_output(block, output)


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
    if docs_env is not None:
        start_page(docs_env, block)
    check_block(block, docs_env, tmp_path)


def test_readme_links_work_where_galaxy_renders_it():
    """Galaxy shows README.md outside the repository: every link must be absolute."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        links = re.findall(r"\]\(([^)]+)\)", handle.read())
    relative = [link for link in links if not re.match(r"https?://", link)]
    assert links and not relative, f"relative links in README.md: {relative}"


def test_tarball_names_follow_galaxy_yml():
    """A guide that names the built tarball names the one `ansible-galaxy collection build` makes now."""
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        version = yaml.safe_load(handle)["version"]
    named = {}
    for path in markdown_files():
        with open(path, encoding="utf-8") as handle:
            for found in re.findall(r"outscale-cloud-(\d+\.\d+\.\d+)\.tar\.gz", handle.read()):
                named.setdefault(found, []).append(os.path.relpath(path, ROOT))
    assert named, "no guide names the tarball any more: drop this test"
    assert set(named) == {version}, f"galaxy.yml says {version}; the guides name {named}"


@pytest.mark.parametrize("page", ["README.md", os.path.join("docs", "getting-started.md")])
def test_module_tables_list_every_module(page):
    modules = sorted(
        os.path.splitext(name)[0]
        for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
        if name.endswith(".py") and not name.startswith("_")
    )
    with open(os.path.join(ROOT, page), encoding="utf-8") as handle:
        rows = re.findall(r"^\| `outscale\.cloud\.(\w+)` \|", handle.read(), re.MULTILINE)
    assert sorted(set(rows) & set(modules)) == modules, f"{page}: the module table lacks {set(modules) - set(rows)}"

# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run real ansible-playbook against the simulator: shared by tests/bench and tests/reliability.

Every playbook runs in a throw-away workspace: its own HOME (so no
~/.osc/config.json or ~/.ansible of the machine leaks in), its own
ansible.cfg, the collection linked as ansible_collections/outscale/cloud on
ANSIBLE_COLLECTIONS_PATH, no OSC_* or ANSIBLE_* variable inherited, and the
osc_recorder callback writing every task result to a JSON file.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(BENCH_DIR)
ROOT = os.path.dirname(TESTS_DIR)
CALLBACK_DIR = os.path.join(BENCH_DIR, "callback_plugins")
LIBRARY_DIR = os.path.join(BENCH_DIR, "library")

if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)  # the simulator package


def venv_python():
    """The interpreter of the venv (the one running us under `make`), for modules too."""
    candidate = os.path.join(ROOT, ".venv", "bin", "python")
    if os.environ.get("OSC_BENCH_PYTHON"):
        return os.environ["OSC_BENCH_PYTHON"]
    if os.path.exists(candidate):
        return candidate
    return sys.executable


PYTHON = venv_python()
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(PYTHON), "ansible-playbook")

TRACEBACK_MARKERS = ("Traceback (most recent call last)", "The full traceback is")


# -- seeds -------------------------------------------------------------------


def account(account_id, access_key, secret_key, nets):
    """A seed account; ``nets`` is a list of (net_id, ip_range)."""
    return {
        "account_id": account_id,
        "access_key": access_key,
        "secret_key": secret_key,
        "nets": [{"net_id": net_id, "ip_range": ip_range} for net_id, ip_range in nets],
    }


def net_id(prefix, index):
    """A valid, readable Net ID: vpc- and 8 hex digits, e.g. net_id('a0', 3) -> vpc-a0000003."""
    return f"vpc-{prefix}{index:0{8 - len(prefix)}x}"


def seed(*accounts, region="eu-west-2"):
    return {"region": region, "accounts": list(accounts)}


# -- simulator ---------------------------------------------------------------


class Sim:
    """The simulator in this process (its HTTP server runs in threads), always stopped."""

    def __init__(self, seed_doc, tls=None, **options):
        from simulator import Simulator  # pylint: disable=import-outside-toplevel

        self.sim = Simulator(seed=seed_doc, tls=tls, **options)
        self.seed = seed_doc

    def __enter__(self):
        self.sim.start()
        return self

    def __exit__(self, *exc):
        self.sim.stop()

    @property
    def url(self):
        return self.sim.url

    @property
    def control_url(self):
        return self.sim.base_url + "/_sim"

    def control(self, method, path, payload=None, timeout=60):
        """Call a /_sim/ endpoint over HTTP (what playbooks do), return its JSON."""
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(
            self.control_url + "/" + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))

    def __getattr__(self, name):
        # add_fault, clear_faults, log, call_counts, reset, bulk_peerings, ...
        return getattr(self.sim, name)

    def peerings(self):
        """Every peering the simulator holds (all accounts, all states), from GET /_sim/state."""
        return self.control("GET", "state")["peerings"]


def live(peering):
    return peering["state"] in ("pending-acceptance", "provisioning", "active")


def duplicates(peerings, live_only=True):
    """Extra peerings per unordered pair of Nets: {frozenset(pair): [ids]} where more than one."""
    pairs = {}
    for peering in peerings:
        if live_only and not live(peering):
            continue
        pair = frozenset((peering["source_net_id"], peering["accepter_net_id"]))
        pairs.setdefault(pair, []).append(peering["peering_id"])
    return {pair: ids for pair, ids in pairs.items() if len(ids) > 1}


# -- ansible-playbook ----------------------------------------------------------


class Run:
    """The outcome of one ansible-playbook run."""

    def __init__(self, argv, rc, stdout, stderr, wall, record, cpu=None):
        self.argv, self.rc, self.stdout, self.stderr, self.wall = argv, rc, stdout, stderr, wall
        # CPU seconds (user+sys) of ansible-playbook and everything it ran (workers, modules);
        # only meaningful when no other run was going on from this process at the same time.
        self.cpu = cpu
        self.record = record or {"records": [], "playbook_seconds": None}
        self.records = self.record["records"]

    @property
    def output(self):
        return self.stdout + "\n" + self.stderr

    def tasks(self, name=None, host=None):
        return [r for r in self.records if (name is None or r["task"] == name) and (host is None or r["host"] == host)]

    def failed(self):
        return [r for r in self.records if r["status"] in ("failed", "unreachable")]

    def tracebacks(self):
        return [marker for marker in TRACEBACK_MARKERS if marker in self.output]

    def find_secrets(self, secrets):
        return sorted({secret for secret in secrets if secret and secret in self.output})

    def tail(self, lines=40):
        return "\n".join(self.output.strip().splitlines()[-lines:])


class Workspace:
    """A temp directory holding HOME, ansible.cfg, the collection link, playbooks and records."""

    def __init__(self, prefix="osc-bench-", root=ROOT):
        """``root``: the collection tree to link (default: this repository)."""
        self.path = tempfile.mkdtemp(prefix=prefix)
        self.home = os.path.join(self.path, "home")
        os.makedirs(self.home)
        collections = os.path.join(self.path, "collections")
        os.makedirs(os.path.join(collections, "ansible_collections", "outscale"))
        os.symlink(root, os.path.join(collections, "ansible_collections", "outscale", "cloud"))
        self.collections = collections
        self.config = os.path.join(self.path, "ansible.cfg")
        with open(self.config, "w") as handle:
            handle.write("[defaults]\n")
        self.counter = 0
        self.lock = threading.Lock()  # runs may be started from several threads

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)

    def write(self, name, content):
        """Write a file (dict/list -> JSON, which YAML reads) and return its path."""
        path = os.path.join(self.path, name)
        with open(path, "w") as handle:
            if isinstance(content, (dict, list)):
                json.dump(content, handle, indent=1)
            else:
                handle.write(content)
        return path

    def env(self, extra=None, recorder_file=None, recorder_sim=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OSC_", "ANSIBLE_"))}
        env.update(
            {
                "HOME": self.home,
                "PATH": os.path.dirname(PYTHON) + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
                "ANSIBLE_CONFIG": self.config,
                "ANSIBLE_COLLECTIONS_PATH": self.collections,
                "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
                "ANSIBLE_CALLBACKS_ENABLED": "osc_recorder",
                "ANSIBLE_LIBRARY": LIBRARY_DIR,
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_RETRY_FILES_ENABLED": "0",
                "ANSIBLE_LOCALHOST_WARNING": "0",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
                "ANSIBLE_LOCAL_TEMP": os.path.join(self.home, ".ansible", "tmp"),
                # The local connection puts module files under the user's passwd home, not $HOME.
                "ANSIBLE_REMOTE_TMP": os.path.join(self.home, ".ansible", "remote-tmp"),
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        if recorder_file:
            env["OSC_RECORDER_FILE"] = recorder_file
        if recorder_sim:
            env["OSC_RECORDER_SIM"] = recorder_sim
        env.update(extra or {})
        return env

    def run(
        self,
        playbook,
        inventory=None,
        forks=1,
        verbosity=0,
        extra_vars=None,
        env=None,
        timeout=600,
        recorder_sim=None,
        python=None,
        args=(),
    ):
        """Run ansible-playbook; ``playbook`` is a list of plays (or a path), ``inventory`` a dict (or None)."""
        with self.lock:
            self.counter += 1
            n = self.counter
        playbook_path = playbook if isinstance(playbook, str) else self.write(f"playbook-{n}.yml", playbook)
        inventory = inventory or {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}
        inventory_path = self.write(f"inventory-{n}.json", inventory)
        record_path = os.path.join(self.path, f"record-{n}.json")
        argv = [
            ANSIBLE_PLAYBOOK,
            "-i",
            inventory_path,
            playbook_path,
            "-f",
            str(forks),
            "-e",
            f"ansible_python_interpreter={python or PYTHON}",
        ]
        if extra_vars:
            argv += ["-e", "@" + self.write(f"extra-{n}.json", extra_vars)]
        if verbosity:
            argv.append("-" + "v" * verbosity)
        argv += list(args)
        started = time.perf_counter()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen(
            argv,
            cwd=self.path,
            env=self.env(env, record_path, recorder_sim),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # our own child's process group only
            stdout, stderr = proc.communicate()
            stderr += f"\n[harness] ansible-playbook killed after {timeout:d} s".encode()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
        record = None
        if os.path.exists(record_path):
            with open(record_path) as handle:
                record = json.load(handle)
        return Run(
            argv,
            proc.returncode,
            stdout.decode("utf-8", "replace"),
            stderr.decode("utf-8", "replace"),
            wall,
            record,
            cpu,
        )


# -- playbook building blocks ----------------------------------------------------


def module_defaults(sim_url, access_key, secret_key, region="eu-west-2", **extra):
    options = dict(endpoint=sim_url, access_key=access_key, secret_key=secret_key, region=region)
    options.update(extra)
    return {"group/outscale.cloud.all": options}


def play(tasks, hosts="localhost", defaults=None, **extra):
    result = {"name": extra.pop("name", "bench"), "hosts": hosts, "gather_facts": False, "tasks": tasks}
    if defaults:
        result["module_defaults"] = defaults
    result.update(extra)
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

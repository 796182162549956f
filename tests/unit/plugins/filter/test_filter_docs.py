"""Each filter is documented in its own Python plugin file, and ansible-doc renders it.

galaxy-importer runs flake8 on every file under plugins/ when asked to (GALAXY_IMPORTER_RUN_FLAKE8),
so a YAML sidecar documentation file there fails its import with E999 (issue 21)."""

import json
import os
import subprocess
import sys

from ansible_collections.outscale.cloud.plugins.filter import peering_graph

FILTERS = ("full_mesh", "hub_and_spoke", "peering_graph")
FILTER_DIR = os.path.dirname(peering_graph.__file__)


def test_the_filter_directory_holds_only_python_plugin_files_named_after_their_filter():
    files = sorted(name for name in os.listdir(FILTER_DIR) if name != "__pycache__")
    assert files == sorted(f"{name}.py" for name in FILTERS)


def test_ansible_doc_renders_each_filter_from_its_plugin_file():
    collections = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(FILTER_DIR))))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1", PAGER="cat")
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "-t", "filter", "--json"]
        + [f"outscale.cloud.{name}" for name in FILTERS],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    docs = json.loads(done.stdout)
    for name in FILTERS:
        entry = docs[f"outscale.cloud.{name}"]
        assert entry["doc"]["name"] == name
        assert entry["doc"]["filename"].endswith(os.path.join("plugins", "filter", f"{name}.py"))
        assert entry["examples"].strip() and entry["return"]["_value"]["description"]

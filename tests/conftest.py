"""Make the collection importable as ansible_collections.outscale.cloud.

The repository root is the collection root, so plain pytest cannot import
``ansible_collections.outscale.cloud...``. We link the tree into a temporary
``ansible_collections/outscale/cloud`` (outside the repository, so nothing walks
into a loop) and put its parent on sys.path. The simulator package lives in
tests/ and is put on sys.path too.
"""

import atexit
import os
import shutil
import sys
import tempfile

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
COLLECTION_ROOT = os.path.dirname(TESTS_DIR)


def _collection_path():
    # Already inside ansible_collections/outscale/cloud (ansible-test copies the tree there).
    parts = COLLECTION_ROOT.split(os.sep)
    if parts[-3:-1] == ["ansible_collections", "outscale"]:
        return os.sep.join(parts[:-3])
    base = tempfile.mkdtemp(prefix="osc-pytest-")
    atexit.register(shutil.rmtree, base, True)
    os.makedirs(os.path.join(base, "ansible_collections", "outscale"))
    os.symlink(COLLECTION_ROOT, os.path.join(base, "ansible_collections", "outscale", "cloud"))
    return base


for path in (_collection_path(), TESTS_DIR):
    if path not in sys.path:
        sys.path.insert(0, path)

pytest_plugins = ["simulator.pytest_plugin"]

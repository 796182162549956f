"""galaxy.yml is the one version source; _version.py mirrors it for the User-Agent (see `make version`)."""

import os
import re

from ansible_collections.outscale.cloud.plugins.module_utils._client import USER_AGENT
from ansible_collections.outscale.cloud.plugins.module_utils._version import COLLECTION_VERSION

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")


def test_version_matches_galaxy_yml():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        galaxy = re.search(r"^version:\s*(\S+)\s*$", handle.read(), re.M).group(1)
    assert COLLECTION_VERSION == galaxy, f"run: make version VERSION={galaxy}"
    assert USER_AGENT.startswith(f"outscale.cloud/{galaxy} ")

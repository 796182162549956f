"""pytest fixtures: ``pytest_plugins = ["simulator.pytest_plugin"]``.

- ``demo_seed``: the demo seed as a dict (a fresh copy per test).
- ``osc_simulator``: a started HTTP Simulator with the demo seed, stopped after the test.
- ``osc_simulator_tls``: the same over HTTPS with a throw-away trustme CA; the yielded
  object forwards attributes to the Simulator and adds ``.simulator`` and ``.ca_file``.

Both simulators check every API response they send against outscale.yaml; a response
that breaks the document, or an internal simulator error, fails the test at teardown.
"""

from __future__ import annotations

import pytest
import trustme

from .server import DEMO_SEED, Simulator
from .store import load_seed


class TlsSimulator:
    """A Simulator served over HTTPS plus the CA bundle that trusts it."""

    def __init__(self, simulator: Simulator, ca_file: str) -> None:
        self.simulator = simulator
        self.ca_file = ca_file

    def __getattr__(self, name):
        return getattr(self.simulator, name)


def _assert_clean(simulator: Simulator) -> None:
    problems = simulator.response_problems + simulator.internal_errors
    assert not problems, "simulator answered outside outscale.yaml or failed internally:\n" + "\n".join(problems)


@pytest.fixture
def demo_seed() -> dict:
    return load_seed(DEMO_SEED)


@pytest.fixture
def osc_simulator(demo_seed):
    simulator = Simulator(seed=demo_seed, validate_responses=True)
    with simulator:
        yield simulator
    _assert_clean(simulator)


@pytest.fixture(scope="session")
def osc_simulator_certificates(tmp_path_factory) -> dict:
    """A trustme CA and a 127.0.0.1 server certificate, as PEM files."""
    directory = tmp_path_factory.mktemp("osc-simulator-tls")
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    paths = {"ca": directory / "ca.pem", "cert": directory / "server.pem", "key": directory / "server.key"}
    authority.cert_pem.write_to_path(str(paths["ca"]))
    certificate.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    for extra in certificate.cert_chain_pems[1:]:
        extra.write_to_path(str(paths["cert"]), append=True)
    certificate.private_key_pem.write_to_path(str(paths["key"]))
    return {name: str(path) for name, path in paths.items()}


@pytest.fixture
def osc_simulator_tls(demo_seed, osc_simulator_certificates):
    certs = osc_simulator_certificates
    simulator = Simulator(seed=demo_seed, tls=(certs["cert"], certs["key"]), validate_responses=True)
    with simulator:
        yield TlsSimulator(simulator, certs["ca"])
    _assert_clean(simulator)

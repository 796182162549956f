# One entry point for users, developers and CI. Every target sets up what it
# needs (the virtualenv in .venv, from the requirement files) by itself.
#
#   make demo         run the main job against the bundled simulator
#   make test         unit + simulator tests, ansible-test sanity, integration
#   make bench        benchmarks (prints one table)
#   make reliability  fault, bad-input and secret-scan suites

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)
PYTEST := $(PY) -m pytest -p no:cacheprovider

.PHONY: venv demo test units sanity integration units-latest lint bench reliability changelog build clean

$(STAMP): requirements.txt requirements-test.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else "Python 3.11 to 3.13 is needed, found %s; set PYTHON=" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

demo: venv
	VENV=$(abspath $(VENV)) tests/utils/demo.sh

test: units sanity lint integration

units: venv
	$(PYTEST) -q tests/unit tests/simulator tests/integration tests/reliability

sanity: venv
	VENV=$(abspath $(VENV)) tests/utils/ansible-test.sh sanity

integration: venv
	VENV=$(abspath $(VENV)) tests/utils/run-integration.sh

# The unit tests again under the newest ansible-core, when a Python 3.12+ is at hand.
units-latest:
	tests/utils/units-latest.sh

lint: venv
	VENV=$(abspath $(VENV)) tests/utils/lint.sh

bench: venv
	$(PY) tests/bench/run.py

# The full suites; `make test` runs their fast subset.
reliability: venv
	OSC_RELIABILITY_FULL=1 $(PYTEST) -q tests/reliability

changelog: venv
	PATH=$(abspath $(VENV))/bin:$$PATH $(VENV)/bin/antsibull-changelog release

build: venv
	$(VENV)/bin/ansible-galaxy collection build --force --output-path build/

clean:
	rm -rf $(VENV) build tests/output .pytest_cache

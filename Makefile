# One entry point for users, developers and CI, in the source repository (the
# installed collection ships no Makefile). Every target sets up what it needs by
# itself: the test virtualenv .venv from requirements-test.txt, the small demo
# virtualenv .venv-demo from requirements-demo.txt (make demo, make sim), or the
# small build virtualenv .venv-build from requirements-build.txt.
#
#   make demo         run the main job against the bundled simulator (its own small .venv-demo)
#   make sim          the simulator in the foreground (demo seed); writes .osc-sim/config.json (profiles
#                     default and partner) and prints the one export that points at it
#   make sim-reset    puts that simulator back to its seed (between guides)
#   make test         unit + simulator + docs tests, sanity, lint, integration; ends on PASSED or FAILED
#   make build        the collection tarball in build/ (needs only ansible-core)
#   make bench        benchmarks (prints one table)
#   make reliability  fault, bad-input and secret-scan suites
#   make format       ruff format + ruff check --fix (the one formatter and linter, ruff.toml)
#   make version VERSION=x.y.z   set the version in galaxy.yml and plugins/module_utils/_version.py
#
# Each stage of `make test` can run alone: make units | sanity | lint | integration
# (| integration-oldest | integration-newest | units-latest | sanity-oldest | sanity-newest
# | sanity-X.Y). It prints one line; its full output is in tests/output/logs/<stage>.log.
# Add V=1 to see it live.
# `make test MATRIX=1` (CI) adds the other ansible-core releases: sanity on every one from
# requires_ansible's oldest to the newest, integration on the oldest and the newest (instead
# of .venv's), units on the newest. JOBS=2 runs two stages at once.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt tests/simulator/requirements.txt | cksum | cut -d' ' -f1)
PYTEST := $(PY) -m pytest -p no:cacheprovider
BUILD_VENV ?= .venv-build
BUILD_STAMP := $(BUILD_VENV)/.installed-$(shell cksum <requirements-build.txt | cut -d' ' -f1)
# make demo and make sim need ansible-core and the simulator, not the test toolchain.
DEMO_VENV ?= .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed-$(shell cat requirements.txt requirements-demo.txt tests/simulator/requirements.txt | cksum | cut -d' ' -f1)
SIM_PORT ?= 0
SIM_SEED ?= tests/simulator/seeds/demo.json
# Git-ignored; removed when the simulator stops.
SIM_PROFILE_FILE ?= .osc-sim/config.json
# The stage wrapper needs only the standard library, so it runs before any venv exists.
STAGE = $(if $(V),,@$(PYTHON) tests/utils/stage.py run $(1) --)
# .venv's ansible-core (requirements-test.txt pins one release).
VENV_CORE := $(shell sed -nE 's/^ansible-core>=([0-9]+\.[0-9]+),.*/\1/p' requirements-test.txt)
# The releases between .venv's and the newest: each gets a sanity stage. sanity-newest
# fails, naming it, when a release is missing here (a new ansible-core came out).
SANITY_BETWEEN := 2.20
SANITY_MATRIX := sanity-oldest $(addprefix sanity-,$(SANITY_BETWEEN)) sanity-newest
# Longest first, so that `make test JOBS=2` keeps both cores busy to the end. A stage on
# another release shares that release's venv with the other stages on it (venv-on.sh).
# With MATRIX, the integration targets run on the oldest and the newest release, not
# again on .venv's (2.19, between them): that keeps CI under 25 minutes on 2 cores with
# the sanity stages added (2.19 still runs real playbooks in units: tests/integration,
# tests/docs, tests/awx). MATRIX_INTEGRATION_VENV=1 adds it back.
# units is the longest stage (it runs every docs block as a playbook): it starts first.
TEST_STAGES := $(if $(MATRIX),units integration-oldest integration-newest $(if $(MATRIX_INTEGRATION_VENV),integration),units integration) \
               sanity $(if $(MATRIX),$(SANITY_MATRIX)) lint $(if $(MATRIX),units-latest)
JOBS ?= 1
# ansible refuses to run under a non-UTF-8 locale; C.UTF-8 exists everywhere.
export LC_ALL ?= C.UTF-8

.PHONY: format version venv demo-venv demo sim sim-reset test units sanity integration integration-oldest integration-newest units-latest \
        sanity-oldest sanity-newest lint bench reliability changelog build clean

CHECK_PYTHON = @$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else "Python 3.11 to 3.13 is needed, found %s; set PYTHON=" % sys.version.split()[0])'

$(STAMP): requirements.txt requirements-test.txt tests/simulator/requirements.txt
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

$(BUILD_STAMP): requirements-build.txt
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-build.txt
	@rm -f $(BUILD_VENV)/.installed-* && touch $@

# Quick to make, for a newcomer's first command: --no-compile (the demo imports a fraction of what
# it installs; Python compiles that on first use), and no pip of its own when $(PYTHON)'s pip can
# install into it (--python, pip 22.3+), which saves copying pip in (ensurepip, about 6 s).
DEMO_PIP_INSTALL = install -q --no-compile --disable-pip-version-check -r requirements-demo.txt
$(DEMO_STAMP): requirements.txt requirements-demo.txt tests/simulator/requirements.txt
	$(CHECK_PYTHON)
	$(PYTHON) -m venv --without-pip $(DEMO_VENV)
	$(PYTHON) -m pip --python $(DEMO_VENV)/bin/python $(DEMO_PIP_INSTALL) 2>/dev/null || \
	    { $(DEMO_VENV)/bin/python -m ensurepip -q && $(DEMO_VENV)/bin/python -m pip $(DEMO_PIP_INSTALL); }
	@rm -f $(DEMO_VENV)/.installed-* && touch $@

demo-venv: $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	VENV=$(abspath $(DEMO_VENV)) tests/utils/demo.sh

# exec: the simulator takes make's shell's PID, so stopping make (which passes SIGTERM
# on to its child) or that PID stops the simulator, never leaving it orphaned.
sim: $(DEMO_STAMP)
	@exec env PYTHONPATH=tests $(DEMO_VENV)/bin/python -m simulator.serve --port $(SIM_PORT) --seed $(SIM_SEED) \
	    --profile-file $(SIM_PROFILE_FILE)

# Back to the seed (no peering, no tag, empty log), between guides; standard library only.
sim-reset:
	@$(PYTHON) tests/utils/sim_reset.py $(SIM_PROFILE_FILE)

test:
	@$(PYTHON) tests/utils/stage.py reset
	@$(MAKE) --no-print-directory -k -j$(JOBS) $(TEST_STAGES); $(PYTHON) tests/utils/stage.py verdict

units: venv
	$(call STAGE,units) $(PYTEST) -q --durations=25 tests/unit tests/simulator tests/integration tests/reliability tests/docs tests/awx

sanity: venv
	$(call STAGE,sanity) env VENV=$(abspath $(VENV)) tests/utils/ansible-test.sh sanity

integration: venv
	$(call STAGE,integration) env VENV=$(abspath $(VENV)) tests/utils/run-integration.sh

# The integration targets on the oldest ansible-core that meta/runtime.yml
# accepts, and on the newest (with a Python 3.12+ if one is found, else skipped).
integration-oldest:
	$(call STAGE,integration-oldest) tests/utils/integration-on.sh oldest

integration-newest:
	$(call STAGE,integration-newest) tests/utils/integration-on.sh newest

# ansible-test sanity on the other releases (.venv's is `sanity`): the oldest, each of
# SANITY_BETWEEN, and the newest (with a Python 3.12+ if one is found, else skipped).
sanity-oldest sanity-newest:
	$(call STAGE,$@) env SANITY_VERSIONS="$(VENV_CORE) $(SANITY_BETWEEN)" tests/utils/sanity-on.sh $(@:sanity-%=%)

# Any release by its number: make sanity-2.20
sanity-%:
	$(call STAGE,$@) tests/utils/sanity-on.sh $*

# The unit tests again under the newest ansible-core, when a Python 3.12+ is at hand.
units-latest:
	$(call STAGE,units-latest) tests/utils/units-latest.sh

lint: venv
	$(call STAGE,lint) env VENV=$(abspath $(VENV)) tests/utils/lint.sh

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# galaxy.yml is the version's source; the modules carry a copy for the User-Agent
# (a unit test fails if they differ).
version:
	@test -n "$(VERSION)" || { echo "usage: make version VERSION=x.y.z" >&2; exit 2; }
	sed -i 's/^version: .*/version: $(VERSION)/' galaxy.yml
	sed -i 's/^COLLECTION_VERSION = .*/COLLECTION_VERSION = "$(VERSION)"/' plugins/module_utils/_version.py

bench: venv
	$(PY) tests/bench/run.py

# The full suites; `make test` runs their fast subset.
reliability: venv
	OSC_RELIABILITY_FULL=1 $(PYTEST) -q tests/reliability

changelog: venv
	PATH=$(abspath $(VENV))/bin:$$PATH $(VENV)/bin/antsibull-changelog release

build: $(BUILD_STAMP)
	$(BUILD_VENV)/bin/ansible-galaxy collection build --force --output-path build/

clean:
	rm -rf $(VENV) $(BUILD_VENV) $(DEMO_VENV) .venv-oldest .venv-latest .venv-latest-units $(addprefix .venv-,$(SANITY_BETWEEN)) \
	       build tests/output .pytest_cache

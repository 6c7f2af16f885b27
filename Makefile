# Build and test pve.cluster.  `make help` lists the targets; `make test` runs everything CI runs.
#
# Needs only Python 3 and make: every target creates what it needs (virtualenvs, the
# ansible_collections/pve/cluster tree) and repeat runs reuse the virtualenvs (stamp files).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# ---------------------------------------------------------------------------------------------
# Configuration (override on the command line: make sanity PYTHON=python3.11 SHARED=/path)

PYTHON ?= python3
NEWEST_PYTHON_VERSION ?= 3.12
ifeq ($(origin PYTHON_NEWEST),undefined)
PYTHON_NEWEST := $(shell scripts/find-python.sh $(NEWEST_PYTHON_VERSION))
endif
SHARED ?= $(CURDIR)/../shared
# ansible-test's pip bootstrap stand-in (in the repository: a plain clone needs nothing from ../shared for it)
PIP_BOOTSTRAP ?= $(CURDIR)/scripts/ansible-test-pip-bootstrap.sh
# shared/pve-api (real PVE samples) for the tests, simulator and benchmarks
export PVE_SHARED_DIR ?= $(abspath $(SHARED))

VENV ?= .venv
VENV_NEWEST ?= .venv-2.21
VENV_TOOLS ?= .venv-tools
# make demo: ansible-core and requests only (requirements/demo.txt), so a first run is quick
VENV_DEMO ?= .venv-demo
REQ_DEMO := requirements/demo.txt
REQ_TOOLS := requirements/tools.txt
REQ := requirements/dev-2.19.txt
REQ_NEWEST := requirements/dev-2.21.txt
CORE := 2.19
CORE_NEWEST := 2.21
# one virtualenv per ansible-core of tests/compat/cores.txt (make compat)
VENV_COMPAT ?= .venv-compat

# BUILD is overridable so that people sharing one work tree do not wipe each other's copy:
# make units BUILD=build-$$USER
BUILD ?= build
COLLECTIONS_ROOT := $(abspath $(BUILD))
# for the e2e suites, benchmarks and demo: their files (reliability.json, bench cache, demo) go here too
export PVE_CLUSTER_BUILD_DIR := $(COLLECTIONS_ROOT)
COLL_DIR := $(COLLECTIONS_ROOT)/ansible_collections/pve/cluster
DIST := $(COLLECTIONS_ROOT)/dist

# Extra arguments, e.g. make sanity SANITY_ARGS='--test pylint', make units UNITS_ARGS='-k client -x'
SANITY_ARGS ?=
UNITS_ARGS ?=
E2E_ARGS ?=
COMPAT_ARGS ?=
INTEGRATION_ARGS ?=
BENCH_ARGS ?=

VENV_ABS := $(abspath $(VENV))
VENV_NEWEST_ABS := $(abspath $(VENV_NEWEST))
VENV_TOOLS_ABS := $(abspath $(VENV_TOOLS))
VENV_DEMO_ABS := $(abspath $(VENV_DEMO))
# pip's local mirror configuration prints one warning per missing directory: hide that noise only
PIP_FILTER := { grep -v -e 'is ignored: it is neither a file nor a directory' || true; }
# Every ansible-test stage gets its own HOME ($(BUILD)/home/STAGE): ansible-test keeps its venvs and
# cache in ~/.ansible/test, and two stages sharing it at the same time break each other.
TEST_HOME = $(COLLECTIONS_ROOT)/home/$@
# Environment for anything that runs ansible: the collection resolves from build/
ANSIBLE_ENV := ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT) ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0

# sanity-cores and compat run on every ansible-core of tests/compat/cores.txt (two at a time each);
# sanity-$(CORE) / sanity-$(CORE_NEWEST) are the one-core shortcuts for developers.
# `make test` runs TEST_JOBS stages at a time, in this order (the longest first; a stage starts when
# one ends), each in its own build directory $(BUILD)/stage/STAGE (scripts/run-stages.sh). A stage of
# TEST_SOLO waits for the running stages to end and runs beside the stages of TEST_LIGHT only (one
# process each): bench-smoke keeps a core to itself while the short checks use the other.
TEST_STAGES := collection-tree compat integration-pve9 integration-pve8 integration-pve7 e2e sanity-cores units \
	samples-contract bench-smoke sanity-pythons galaxy-importer docs-check lint changelog-lint
TEST_JOBS ?= 2
TEST_SOLO := bench-smoke
TEST_LIGHT := sanity-pythons galaxy-importer docs-check lint changelog-lint

.PHONY: help test venv venv-newest venv-tools venv-demo galaxy-importer collection-tree sanity sanity-$(CORE) sanity-$(CORE_NEWEST) sanity-cores \
	sanity-pythons no-sanity-ignores units samples-contract lint docs-check changelog-lint integration \
	compat e2e \
	bench bench-smoke demo clean distclean

help:
	@echo "pve.cluster make targets"
	@echo "  test             everything CI runs (.ci/run), with a summary line per stage"
	@echo "  venv             $(VENV): ansible-core $(CORE) + test tools ($(REQ)), Python from PYTHON=$(PYTHON)"
	@echo "  venv-newest      $(VENV_NEWEST): ansible-core $(CORE_NEWEST) ($(REQ_NEWEST)), Python $(NEWEST_PYTHON_VERSION): $(or $(PYTHON_NEWEST),NOT FOUND)"
	@echo "  collection-tree  copy the checkout to $(COLL_DIR) (fresh each time)"
	@echo "  sanity           = sanity-cores: ansible-test sanity on every ansible-core of tests/compat/cores.txt (no ignore files)"
	@echo "  sanity-$(CORE)      ansible-test sanity on ansible-core $(CORE) only ($(VENV)); sanity-$(CORE_NEWEST): $(CORE_NEWEST) only ($(VENV_NEWEST))"
	@echo "  sanity-pythons   ansible-test compile + import tests on every Python 3.8+ found here"
	@echo "  units            the unit tests (tests/unit, pytest as ansible-test units runs it) without the sample-contract checks"
	@echo "  samples-contract the unit tests marked samples, fed by \$$SHARED/pve-api/samples (not run without them; REQUIRE_SAMPLES=1 fails then)"
	@echo "  lint             ansible-lint --profile production on roles/ and playbooks/"
	@echo "  docs-check       ansible-doc renders every plugin/role, docs lint, galaxy build + install"
	@echo "  changelog-lint   antsibull-changelog lint"
	@echo "  galaxy-importer  build the tarball and run galaxy-importer on it (offline, .ci/galaxy-importer.cfg; tools in $(VENV_TOOLS))"
	@echo "  integration      ansible-test integration --local (tests/integration/targets, against pvesim), once per PVE_PROFILES ($(PVE_PROFILES))"
	@echo "  integration-P    the same for the PVE_PROFILES entry of profile P only (make test runs one stage per profile)"
	@echo "  compat           the built tarball on every ansible-core of tests/compat/cores.txt; ansible-builder create"
	@echo "  e2e              pytest tests/e2e against the collection in build/"
	@echo "  bench            benchmarks/run.py \$$BENCH_ARGS; bench-smoke: --smoke --strict (scenario 1 requests, RSS and the community.proxmox comparison are judged; the rest is indicative at smoke sizes)"
	@echo "  demo             scripts/demo.sh, in $(VENV_DEMO) (ansible-core, cryptography and requests only: $(REQ_DEMO))"
	@echo "  clean            remove build/ and caches; distclean: also the virtualenvs"

# ---------------------------------------------------------------------------------------------
# Virtualenvs

# $(1): venv directory, $(2): requirements file, $(3): the Python that creates the venv when it is missing
define dev_venv
	@if ! $(1)/bin/python -c '' 2>/dev/null; then \
	    echo "== creating $(1) with $(3) ($$($(3) --version 2>&1))"; \
	    rm -rf $(1); $(3) -m venv $(1); \
	fi
	@echo "== installing $(2) into $(1) ($$($(1)/bin/python --version 2>&1))"
	@$(1)/bin/python -m pip install -q -r $(2) 2>&1 | $(PIP_FILTER)
	@$(1)/bin/python -c "import sys, ansible.release as r; print('ansible-core', r.__version__, 'on Python', sys.version.split()[0])"
	@touch $@
endef

venv: $(VENV)/.stamp-dev

$(VENV)/.stamp-dev: $(REQ)
	$(call dev_venv,$(VENV),$(REQ),$(PYTHON))

venv-newest:
ifeq ($(PYTHON_NEWEST),)
	@echo "SKIP: no Python $(NEWEST_PYTHON_VERSION) found (set PYTHON_NEWEST=/path/to/python$(NEWEST_PYTHON_VERSION)): ansible-core $(CORE_NEWEST) checks are not run"
else
	@$(MAKE) $(VENV_NEWEST)/.stamp-dev
endif

$(VENV_NEWEST)/.stamp-dev: $(REQ_NEWEST)
	$(call dev_venv,$(VENV_NEWEST),$(REQ_NEWEST),$(PYTHON_NEWEST))

venv-demo: $(VENV_DEMO)/.stamp-demo

# ansible-core brings what the simulator needs besides (PyYAML, cryptography); no test tools
$(VENV_DEMO)/.stamp-demo: $(REQ_DEMO)
	@$(VENV_DEMO)/bin/python -c '' 2>/dev/null || { echo "== creating $(VENV_DEMO) with $(PYTHON)"; \
	    rm -rf $(VENV_DEMO); $(PYTHON) -m venv $(VENV_DEMO); }
	@echo "== installing $(REQ_DEMO) into $(VENV_DEMO) (ansible-core, cryptography and requests only)"
	@$(VENV_DEMO)/bin/python -m pip install -q -r $(REQ_DEMO) 2>&1 | $(PIP_FILTER)
	@touch $@

venv-tools: $(VENV_TOOLS)/.stamp-tools

$(VENV_TOOLS)/.stamp-tools: $(REQ_TOOLS)
	@if ! $(VENV_TOOLS)/bin/python -c '' 2>/dev/null; then \
	    echo "== creating $(VENV_TOOLS) with $(PYTHON)"; rm -rf $(VENV_TOOLS); $(PYTHON) -m venv $(VENV_TOOLS); \
	fi
	@echo "== installing $(REQ_TOOLS) into $(VENV_TOOLS)"
	@$(VENV_TOOLS)/bin/python -m pip install -q -r $(REQ_TOOLS) 2>&1 | $(PIP_FILTER)
	@touch $@

# ---------------------------------------------------------------------------------------------
# The ansible_collections/pve/cluster tree that ansible-test, ansible-doc and ansible-galaxy use

collection-tree:
	@scripts/collection-tree.sh $(COLL_DIR) $(SHARED)

# ---------------------------------------------------------------------------------------------
# Sanity (ansible-test sanity --local; ansible-test's own test venvs live in $(TEST_HOME)/.ansible/test)

sanity: sanity-cores

no-sanity-ignores:
	@if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then \
	    echo "FAIL: sanity ignore files are not allowed, fix the code instead:" tests/sanity/ignore-*.txt; \
	    exit 1; \
	fi

# $(1): venv directory. ansible-test downloads a pip bootstrap script from a host some networks
# cannot reach; scripts/ansible-test-pip-bootstrap.sh puts a stand-in into ansible-test's cache ($(TEST_HOME)/.ansible/test/cache).
define bootstrap_pip
	@mkdir -p $(TEST_HOME); if [ -f "$(PIP_BOOTSTRAP)" ]; then \
	    HOME=$(TEST_HOME) sh "$(PIP_BOOTSTRAP)" $(1)/bin/python; \
	else \
	    echo "WARNING: PIP_BOOTSTRAP=$(PIP_BOOTSTRAP) not found: ansible-test will download its pip bootstrap itself"; \
	fi
endef

define run_sanity
	$(call bootstrap_pip,$(1))
	@pyver=$$($(1)/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	echo "== ansible-test sanity, ansible-core $$($(1)/bin/python -c 'import ansible; print(ansible.__version__)'), Python $$pyver"; \
	cd $(COLL_DIR) && HOME=$(TEST_HOME) PATH="$(1)/bin:$$PATH" ansible-test sanity --local --python $$pyver --color no $(SANITY_ARGS)
endef

sanity-$(CORE): no-sanity-ignores venv collection-tree
	$(call run_sanity,$(VENV_ABS))

sanity-$(CORE_NEWEST): no-sanity-ignores venv-newest collection-tree
ifeq ($(PYTHON_NEWEST),)
	@echo "SKIP-STAGE: sanity-$(CORE_NEWEST): no Python $(NEWEST_PYTHON_VERSION) found (set PYTHON_NEWEST=...)"
else
	$(call run_sanity,$(VENV_NEWEST_ABS))
endif

# Every ansible-core of tests/compat/cores.txt, SANITY_JOBS at a time, each in its venv of `make compat`
# ($(VENV_COMPAT)/<line>, created here when missing) with its own tree and HOME (scripts/sanity-core.sh).
# The development harness (SANITY_HARNESS: not in the tarball, run only in $(VENV)) is checked on
# $(CORE) only; the other cores check what the tarball ships (tests/unit, tests/pvesim, the targets).
# pylint, most of a core's sanity time, runs on the cores of SANITY_PYLINT_LINES only: one core per
# pylint line that ansible-test pins (3.1, 3.3, 4.0); `cores.py pylint-covered` fails when a core's
# pylint line is pinned by none of them.
SANITY_JOBS ?= 2
SANITY_HARNESS := benchmarks/ scripts/ tests/compat/ tests/e2e/
SANITY_PYLINT_LINES := 2.17 2.19 2.21
sanity-cores: no-sanity-ignores venv
	@$(VENV)/bin/python tests/compat/cores.py list \
	    | SANITY_ARGS="$(SANITY_ARGS)" SANITY_FULL_LINE=$(CORE) SANITY_HARNESS="$(SANITY_HARNESS)" \
	      SANITY_PYLINT_LINES="$(SANITY_PYLINT_LINES)" xargs -P $(SANITY_JOBS) -L 1 scripts/sanity-core.sh $(VENV_ABS)/bin/python \
	        $(COLLECTIONS_ROOT) $(VENV_COMPAT) $(SHARED) $(PIP_BOOTSTRAP)
	@$(VENV)/bin/python tests/compat/cores.py pylint-covered $(VENV_COMPAT) $(SANITY_PYLINT_LINES)

# ansible-test's compile and import tests (ansible-core $(CORE)) on every Python version the code
# must support, as far as interpreters exist here: modules and module_utils run on the managed
# host (Python 3.8-3.13 for ansible-core 2.19, 3.9-3.14 for 2.21), controller plugins on 3.11+.
# `sanity` only covers the venv's Python; this covers the rest. Missing versions print SKIP lines.
sanity-pythons: no-sanity-ignores venv collection-tree
	@rm -rf $(COLLECTIONS_ROOT)/pythons && mkdir -p $(COLLECTIONS_ROOT)/pythons
	@versions=$$($(VENV)/bin/python -c 'from ansible_test._util.target.common.constants import REMOTE_ONLY_PYTHON_VERSIONS as r, CONTROLLER_PYTHON_VERSIONS as c; print(" ".join(r + c))'); \
	echo "ansible-test $$($(VENV)/bin/python -c 'import ansible.release as r; print(r.__version__)') supports Python $$versions"; \
	for v in $$versions; do \
	    p=$$(scripts/find-python.sh $$v); \
	    if [ -n "$$p" ]; then ln -s "$$p" $(COLLECTIONS_ROOT)/pythons/python$$v; echo "Python $$v: $$p"; \
	    else echo "SKIP: compile/import on Python $$v (no interpreter found)"; fi; \
	done
	@pyver=$$($(VENV)/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	rm -f $(COLLECTIONS_ROOT)/pythons/python$$pyver; ln -s $(VENV_ABS)/bin/python $(COLLECTIONS_ROOT)/pythons/python$$pyver
	$(call bootstrap_pip,$(VENV_ABS))
	@cd $(COLL_DIR) && HOME=$(TEST_HOME) PATH="$(COLLECTIONS_ROOT)/pythons:$(VENV_ABS)/bin:$$PATH" \
	    ansible-test sanity --local --test compile --test import --color no $(SANITY_ARGS)

# ---------------------------------------------------------------------------------------------
# Unit tests

# The unit tests run as `ansible-test units --local` runs them: pytest in the collection tree, with
# ansible-test's pytest configuration and its plugin that installs the collection loader (a bare
# PYTHONPATH makes that loader refuse the top-level package `ansible_collections`), UNITS_WORKERS
# pytest-xdist processes. Unlike ansible-test, in one pytest session (not one per context: modules,
# module_utils, controller) and without a fork per test: 23 CPU s instead of 48 for the same 850 tests.
# `ansible-test units --local --python 3.11` in $(COLL_DIR) runs them the other way.
AT_DIR = $(shell $(VENV)/bin/python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))' 2>/dev/null)
UNITS_WORKERS ?= 2
UNITS_PYTEST = PYTHONPATH="$(AT_DIR)/_util/target/pytest/plugins" ANSIBLE_COLLECTIONS_PATH="$$(cd ../../.. && pwd)" \
	ANSIBLE_CONTROLLER_MIN_PYTHON_VERSION=$$($(VENV_ABS)/bin/python -c 'from ansible_test._util.target.common.constants import CONTROLLER_PYTHON_VERSIONS as c; print(c[0])') \
	$(VENV_ABS)/bin/python -m pytest tests/unit -c $(AT_DIR)/_data/pytest/config/default.ini --rootdir . --confcutdir . \
	-p ansible_pytest_collections -p no:cacheprovider --strict-markers -r a -n $(UNITS_WORKERS) $(UNITS_ARGS)

units: venv collection-tree
	@cd $(COLL_DIR) && $(UNITS_PYTEST)

# Sample-contract checks: the unit tests marked `samples` (tests/unit/conftest.py), fed by the real PVE API
# samples in $(SHARED)/pve-api (outside the repository). Run in their own copy of the collection, marked
# with tests/unit/.samples-contract-stage, so `make units` never needs ../shared and both can run at once.
# Without the samples the stage is not run (SKIP-STAGE, with the reason); with REQUIRE_SAMPLES=1 (.ci/run) it fails.
SAMPLES_DIR := $(abspath $(SHARED))/pve-api/samples
SAMPLES_COLL_DIR := $(COLLECTIONS_ROOT)/samples-contract/ansible_collections/pve/cluster
REQUIRE_SAMPLES ?=

samples-contract: venv
	@if [ ! -f "$(SAMPLES_DIR)/INDEX.md" ]; then \
	    if [ -n "$(REQUIRE_SAMPLES)" ]; then \
	        echo "FAIL: samples-contract: no PVE API samples at $(SAMPLES_DIR) and REQUIRE_SAMPLES is set (set SHARED=DIR holding pve-api/samples)"; exit 1; fi; \
	    echo "SKIP-STAGE: samples-contract not run: no PVE API samples at $(SAMPLES_DIR) (set SHARED=DIR holding pve-api/samples)"; exit 0; \
	fi; \
	scripts/collection-tree.sh $(SAMPLES_COLL_DIR) $(SHARED); \
	touch $(SAMPLES_COLL_DIR)/tests/unit/.samples-contract-stage; \
	cd $(SAMPLES_COLL_DIR) && $(UNITS_PYTEST)

# ---------------------------------------------------------------------------------------------
# ansible-lint

lint: venv collection-tree
	@echo "== ansible-lint --profile production roles playbooks"; \
	cd $(COLL_DIR) && PATH="$(VENV_ABS)/bin:$$PATH" $(ANSIBLE_ENV) \
	    ansible-lint --profile production --offline -c .ansible-lint roles playbooks

# ---------------------------------------------------------------------------------------------
# Documentation and packaging

docs-check: venv collection-tree
	@scripts/docs-check.sh "$(VENV_ABS)" "$(COLLECTIONS_ROOT)" "$(COLL_DIR)" "$(DIST)"

# galaxy-importer (what Galaxy runs on an upload) on a freshly built tarball; its verdict is its exit status.
galaxy-importer: venv venv-tools collection-tree
	@rm -rf $(COLLECTIONS_ROOT)/importer && mkdir -p $(COLLECTIONS_ROOT)/importer $(TEST_HOME); \
	cd $(COLL_DIR) && PATH="$(VENV_ABS)/bin:$$PATH" ansible-galaxy collection build --output-path $(COLLECTIONS_ROOT)/importer . && \
	cd $(COLLECTIONS_ROOT)/importer && HOME=$(TEST_HOME) GALAXY_IMPORTER_CONFIG=$(CURDIR)/.ci/galaxy-importer.cfg \
	    PATH="$(VENV_TOOLS_ABS)/bin:$$PATH" $(VENV_TOOLS_ABS)/bin/python -m galaxy_importer.main pve-cluster-*.tar.gz

changelog-lint: venv
	@$(VENV_ABS)/bin/antsibull-changelog lint -v && echo "changelog-lint: fragments OK"

# ---------------------------------------------------------------------------------------------
# Integration targets (tests/integration/targets; setup_pvesim starts the simulator)
# make integration INTEGRATION_ARGS='pve_nextid -v'; PVE_TEST_ARTIFACTS=DIR keeps the inventory and
# playbook outputs there (ansible-test passes no environment through: it goes in as the variable
# pve_test_artifacts of tests/integration/integration_config.yml).
# The targets run once per PVE version profile of PVE_PROFILES (tests/pvesim/README.md "Version profiles"),
# each as pvesim_default_profile of integration_config.yml; make integration PVE_PROFILES=pve8 runs one.
# PROFILE:T1,T2 runs only those targets on it, PROFILE:-T1,-T2 every target but those. pve8 leaves out
# the targets that make only requests whose answers its profile does not change (tests/pvesim/profiles.py
# changes /version, node status and network, /cluster/resources): realms (the identity axis), pve_nextid,
# pve_tasks_info, role_vmid_allocate, inventory_user_files (inventory files as users write them). pve7 runs the targets whose behaviour differs between versions.
# INTEGRATION_ARGS, when set, replaces that list.
PVE_TEST_ARTIFACTS ?=
PVE_PROFILES ?= pve9 pve8:-realms,-pve_nextid,-pve_tasks_info,-role_vmid_allocate,-inventory_user_files,-role_vmid_allocate_hosts,-vmid_race pve7:pve_node_info,pve_cluster_info,inventory_pve

integration: venv collection-tree
	@if [ -n "$(PVE_TEST_ARTIFACTS)" ]; then mkdir -p "$(PVE_TEST_ARTIFACTS)"; fi
	@pyver=$$($(VENV)/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	mkdir -p $(TEST_HOME); failed=""; \
	for entry in $(PVE_PROFILES); do \
	    profile=$${entry%%:*}; targets=""; \
	    case "$$entry" in *:*) targets=$$(echo "$${entry#*:}" | tr , ' ' | sed -E 's/(^| )-/\1--exclude /g');; esac; \
	    args="$(INTEGRATION_ARGS)"; [ -n "$$args" ] || args="$$targets"; \
	    echo "== integration targets on PVE profile $$profile: $${args:-all}"; \
	    { echo "pvesim_default_profile: $$profile"; \
	      if [ -n "$(PVE_TEST_ARTIFACTS)" ]; then echo "pve_test_artifacts: \"$(abspath $(PVE_TEST_ARTIFACTS))/$$profile\""; fi; \
	    } > $(COLL_DIR)/tests/integration/integration_config.yml; \
	    start=$$(date +%s); \
	    (cd $(COLL_DIR) && HOME=$(TEST_HOME) PATH="$(VENV_ABS)/bin:$$PATH" \
	        ansible-test integration --local --python $$pyver --color no $$args) || failed="$$failed $$profile"; \
	    echo "== integration targets on PVE profile $$profile: $$(( $$(date +%s) - start )) s"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED: integration targets on PVE profile(s):$$failed"; exit 1; fi; \
	echo "== integration targets passed on PVE profiles: $(PVE_PROFILES)"

# One profile's entry of PVE_PROFILES (make integration-pve8): `make test` runs each profile as a stage of
# its own, side by side with the others (ansible-test waits on timeouts and slow answers in between).
integration-%:
	@entry="$(filter $* $*:%,$(PVE_PROFILES))"; \
	if [ -z "$$entry" ]; then echo "FAIL: no profile $* in PVE_PROFILES ($(PVE_PROFILES))"; exit 1; fi; \
	$(MAKE) --no-print-directory integration PVE_PROFILES="$$entry"

# ---------------------------------------------------------------------------------------------
# Compatibility: the built tarball, installed with ansible-galaxy, on every ansible-core declared in
# tests/compat/cores.txt (one venv each in $(VENV_COMPAT)/<line>, reused while its stamp matches),
# two cores at a time, against the bundled simulator (tests/compat/run.py says what runs).
# make compat COMPAT_ARGS='--only 2.17,2.21'
COMPAT_JOBS ?= 2

compat: venv collection-tree
	@rm -rf $(COLLECTIONS_ROOT)/compat/dist && mkdir -p $(COLLECTIONS_ROOT)/compat/dist
	@cd $(COLL_DIR) && $(VENV_ABS)/bin/ansible-galaxy collection build --output-path $(COLLECTIONS_ROOT)/compat/dist >/dev/null
	@$(VENV_ABS)/bin/python tests/compat/run.py --tarball $$(ls $(COLLECTIONS_ROOT)/compat/dist/pve-cluster-*.tar.gz) \
	    --workdir $(COLLECTIONS_ROOT)/compat --venvs $(VENV_COMPAT) --tools $(VENV_COMPAT)/tools --jobs $(COMPAT_JOBS) \
	    $(if $(COMPAT_INTEGRATION_ELSEWHERE),--integration-elsewhere $(COMPAT_INTEGRATION_ELSEWHERE)) $(COMPAT_ARGS)

# ---------------------------------------------------------------------------------------------
# End-to-end tests (ansible-playbook / ansible-inventory against a pvesim server)

# E2E_ARGS naming a test path (tests/..., *.py, file::test) runs only that; else the whole of tests/e2e.
# E2E_WORKERS pytest-xdist processes (0 or 1: one process), one test file per worker at a time
# (--dist loadfile: a file's module-scoped simulator and batch runs are made once).
E2E_PATHS = $(if $(filter tests/% %.py %.py::%,$(E2E_ARGS)),,tests/e2e)
E2E_WORKERS ?= 2
E2E_XDIST = $(if $(filter-out 0 1,$(E2E_WORKERS)),-n $(E2E_WORKERS) --dist loadfile)
e2e: venv collection-tree
	@PATH="$(VENV_ABS)/bin:$$PATH" PYTHONPATH="$(CURDIR)/tests" $(ANSIBLE_ENV) \
	    $(VENV_ABS)/bin/python -m pytest $(E2E_PATHS) -p no:cacheprovider $(E2E_XDIST) $(E2E_ARGS)

# ---------------------------------------------------------------------------------------------
# Benchmarks and demo

bench: venv collection-tree
	PATH="$(VENV_ABS)/bin:$$PATH" PYTHONPATH="$(CURDIR)/tests" $(ANSIBLE_ENV) \
	    $(VENV_ABS)/bin/python benchmarks/run.py $(BENCH_ARGS)

# --strict: a missed target fails the stage (smoke: scenario 1's requests, peak RSS and comparison with
# community.proxmox; its wall ratio to the floor and scenarios 2-5 are indicative at smoke sizes)
bench-smoke:
	@$(MAKE) bench BENCH_ARGS='--smoke --strict --output $(COLLECTIONS_ROOT)/bench-smoke.md'

demo: venv-demo collection-tree
	@PATH="$(VENV_DEMO_ABS)/bin:$$PATH" PYTHONPATH="$(CURDIR)/tests" $(ANSIBLE_ENV) bash scripts/demo.sh

# ---------------------------------------------------------------------------------------------
# Everything

# The virtualenvs first (stages running side by side must not create one venv twice). compat leaves
# ansible-test integration on $(CORE) to the integration stage, which runs it in $(VENV) (that core).
test: venv venv-newest venv-tools
	@MAKE="$(MAKE)" LOGDIR="$(COLLECTIONS_ROOT)/logs" JOBS=$(TEST_JOBS) STAGE_BUILD="$(COLLECTIONS_ROOT)/stage" SOLO="$(TEST_SOLO)" \
	    LIGHT="$(TEST_LIGHT)" COMPAT_INTEGRATION_ELSEWHERE=$(CORE) scripts/run-stages.sh $(TEST_STAGES)

clean:
	rm -rf $(BUILD) tests/output .pytest_cache .hypothesis
	find . -path ./.git -prune -o -path './.venv*' -prune -o -type d -name __pycache__ -print0 \
	    | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV) $(VENV_NEWEST) $(VENV_COMPAT) $(VENV_TOOLS) $(VENV_DEMO)

# Build and test pve.cluster. `make help` lists the targets; `make test` runs what CI runs, one part
# after the other. Every part is a thin wrapper around a standard command and prints it first:
# ansible-test sanity / units / integration, antsibull-nox sessions, actionlint.
# Needs Python 3.11 and 3.12 and make: targets create their virtualenvs (reused while their stamp is newer
# than the requirements file) and the ansible_collections/pve/cluster tree under build/.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# The ansible-core matrix of make test: the oldest and newest that meta/runtime.yml declares and the
# default one (.github/workflows/ci.yml runs every core). CORE=2.21 selects one for sanity/units/integration.
CORE ?= 2.19
CORES := 2.17 2.19 2.21
VENV_2.17 := .venv-2.17
VENV_2.19 := .venv
VENV_2.21 := .venv-2.21
# The interpreter of each core: pythonX.Y on PATH when it runs (a pyenv shim may exist and refuse), else pyenv's own
find_python = $(firstword $(foreach p,$(1) $(wildcard $(HOME)/.pyenv/versions/$(subst python,,$(1)).*/bin/$(1)),$(if $(shell $(p) -c 'print(1)' 2>/dev/null),$(p))))
PYTHON_2.17 := $(call find_python,python3.11)
PYTHON_2.19 := $(PYTHON_2.17)
PYTHON_2.21 := $(call find_python,python3.12)
# the oldest requests + urllib3 pair the collection declares (requirements.txt), for the unit suite
VENV_URLLIB3 := .venv-urllib3-1.26
VENV_TOOLS := .venv-tools
# make demo: ansible-core, cryptography and requests only (requirements/demo.txt), so a first run is quick
VENV_DEMO ?= .venv-demo

BUILD ?= build
COLLECTIONS_ROOT := $(abspath $(BUILD))
COLL_DIR := $(COLLECTIONS_ROOT)/ansible_collections/pve/cluster
# ansible-test keeps its venvs and cache in ~/.ansible/test: one HOME per core under build/
TEST_HOME = $(COLLECTIONS_ROOT)/home/$(CORE)
VENV_ABS = $(abspath $(VENV_$(CORE)))
PYVER = $(subst python,,$(notdir $(PYTHON_$(CORE))))

SANITY_ARGS ?=
UNITS_ARGS ?=
# make integration INTEGRATION_ARGS='pve_nextid -v'; PVE_PROFILE: the simulator's PVE version (pve9, pve8, pve7)
INTEGRATION_ARGS ?=
PVE_PROFILE ?= pve9
NOX_SESSIONS ?= lint docs-check extra-checks build-import-check ansible-lint
BENCH_ARGS ?=
PIP_FILTER := { grep -v -e 'is ignored: it is neither a file nor a directory' || true; }
ANSIBLE_ENV := ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT) ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0

.PHONY: help test venvs collection-tree sanity units units-urllib3 integration nox actionlint runner bench demo clean

help:
	@echo "pve.cluster make targets (CORE=$(CORE); one of $(CORES))"
	@echo "  test           everything CI runs, one part after the other"
	@echo "  sanity         ansible-test sanity --local (CORE=2.21 make sanity: on ansible-core 2.21)"
	@echo "  units          ansible-test units --local (UNITS_ARGS='tests/unit/plugins/modules/test_pve_nextid.py')"
	@echo "  units-urllib3  ansible-test units --local on the oldest requests + urllib3 1.26 pair (ansible-core 2.17)"
	@echo "  integration    ansible-test integration --local against the simulator (PVE_PROFILE=$(PVE_PROFILE), INTEGRATION_ARGS='pve_nextid')"
	@echo "  nox            antsibull-nox sessions: $(NOX_SESSIONS)"
	@echo "  actionlint     actionlint on .github/workflows"
	@echo "  runner         the inventory and a playbook through ansible-runner, laid out as AWX does"
	@echo "  bench          benchmarks/run.py \$$BENCH_ARGS (not part of make test)"
	@echo "  demo           scripts/demo.sh, in $(VENV_DEMO) (ansible-core, cryptography and requests only: requirements/demo.txt)"
	@echo "  clean          remove build/; the virtualenvs stay"

# ---------------------------------------------------------------------------------------------
# Virtualenvs: .venv-X from requirements/X.txt

.venv/.stamp-dev: requirements/dev-2.19.txt
.venv-2.17/.stamp-dev: requirements/dev-2.17.txt
.venv-2.21/.stamp-dev: requirements/dev-2.21.txt
.venv-urllib3-1.26/.stamp-dev: requirements/urllib3-1.26.txt
.venv-tools/.stamp-tools: requirements/tools.txt
%/.stamp-dev %/.stamp-tools:
	@py=$(or $(PYTHON_$(patsubst .venv-%,%,$*)),python3.11); [ "$*" != .venv ] || py=$(PYTHON_2.19); \
	if ! $*/bin/python -c '' 2>/dev/null; then echo "== creating $* with $$py"; rm -rf $*; $$py -m venv $*; fi; \
	echo "== pip install -r $< into $*"; $*/bin/python -m pip install -q -r $< 2>&1 | $(PIP_FILTER); touch $@

venvs: $(foreach c,$(CORES),$(VENV_$(c))/.stamp-dev) $(VENV_URLLIB3)/.stamp-dev $(VENV_TOOLS)/.stamp-tools

# ---------------------------------------------------------------------------------------------
# The ansible_collections/pve/cluster tree that ansible-test needs (a fresh copy of the tracked files)

collection-tree:
	@scripts/collection-tree.sh $(COLL_DIR)

# ansible-test fetches a pip bootstrap script from a host this network cannot reach: the one workaround
# (scripts/ansible-test-pip-bootstrap.sh) puts a stand-in into ansible-test's cache.
define ansible_test
	@mkdir -p $(TEST_HOME); HOME=$(TEST_HOME) sh scripts/ansible-test-pip-bootstrap.sh $(VENV_ABS)/bin/python >/dev/null
	@echo "== $@ (ansible-core $(CORE)): ansible-test $(1)"
	@cd $(COLL_DIR) && HOME=$(TEST_HOME) PATH="$(VENV_ABS)/bin:$$PATH" ansible-test $(1)
endef

sanity: $(VENV_$(CORE))/.stamp-dev collection-tree
	@if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then echo "FAIL: no sanity ignore files (fix the code)"; exit 1; fi
	$(call ansible_test,sanity --local --python $(PYVER) --color no $(SANITY_ARGS))

units: $(VENV_$(CORE))/.stamp-dev collection-tree
	$(call ansible_test,units --local --python $(PYVER) --color no --num-workers 2 $(UNITS_ARGS))

# The unit suite with the oldest declared requests + urllib3 1.26 (Debian 12, RHEL 9)
units-urllib3: $(VENV_URLLIB3)/.stamp-dev collection-tree
	@$(MAKE) units CORE=2.17 VENV_2.17=$(VENV_URLLIB3)

integration: $(VENV_$(CORE))/.stamp-dev collection-tree
	@echo "pvesim_default_profile: $(PVE_PROFILE)" > $(COLL_DIR)/tests/integration/integration_config.yml
	$(call ansible_test,integration --local --python $(PYVER) --color no $(INTEGRATION_ARGS))

# antsibull-nox (antsibull-nox.toml) in the collection tree; its sessions install their tools from the package index
nox: $(VENV_TOOLS)/.stamp-tools collection-tree
	@echo "== nox: nox -e $(NOX_SESSIONS)"
	@cd $(COLL_DIR) && PATH="$(abspath $(VENV_TOOLS))/bin:$$PATH" nox --no-color -e $(NOX_SESSIONS)

actionlint: $(VENV_TOOLS)/.stamp-tools
	@echo "== actionlint: actionlint .github/workflows/*.yml"
	@$(VENV_TOOLS)/bin/actionlint -no-color .github/workflows/*.yml

# ansible-runner (the engine of AWX/AAP) on the newest core
runner: $(VENV_2.21)/.stamp-dev $(VENV_TOOLS)/.stamp-tools collection-tree
	@echo "== runner: python tests/runner/test_awx_layout.py (ansible-runner run on ansible-core 2.21)"
	@PATH="$(abspath $(VENV_2.21))/bin:$(abspath $(VENV_TOOLS))/bin:$$PATH" $(ANSIBLE_ENV) \
	    $(VENV_2.21)/bin/python tests/runner/test_awx_layout.py $(COLLECTIONS_ROOT)

# ---------------------------------------------------------------------------------------------
# Everything CI runs, one part after the other (a failed part stops the run)

# the oldest and newest core run the targets whose behaviour differs between cores (the roles, the inventory, the
# README's first five minutes); the default core every target; the pve7 profile what differs between PVE versions
CORE_TARGETS := inventory_pve inventory_user_files role_cluster_facts role_vmid_allocate readme_first_minutes
test: venvs
	@$(MAKE) sanity CORE=2.19
	@$(MAKE) sanity CORE=2.21
	@$(MAKE) units CORE=2.19
	@$(MAKE) units-urllib3
	@$(MAKE) integration CORE=2.19
	@$(MAKE) integration CORE=2.17 INTEGRATION_ARGS='$(CORE_TARGETS)'
	@$(MAKE) integration CORE=2.21 INTEGRATION_ARGS='$(CORE_TARGETS)'
	@$(MAKE) integration PVE_PROFILE=pve7 INTEGRATION_ARGS='pve_node_info pve_cluster_info inventory_pve'
	@$(MAKE) nox
	@$(MAKE) actionlint
	@$(MAKE) runner
	@echo "== make test: every part passed"

# ---------------------------------------------------------------------------------------------
# Benchmarks and demo (outside the gate)

# benchmarks/README.md; build/bench-collections links this checkout (no collection-tree needed)
bench: $(VENV_2.19)/.stamp-dev
	PVE_CLUSTER_BUILD_DIR=$(COLLECTIONS_ROOT) $(VENV_2.19)/bin/python benchmarks/run.py $(BENCH_ARGS)

$(VENV_DEMO)/.stamp-demo: requirements/demo.txt
	@$(VENV_DEMO)/bin/python -c '' 2>/dev/null || { echo "== creating $(VENV_DEMO) with python3"; \
	    rm -rf $(VENV_DEMO); python3 -m venv $(VENV_DEMO); }
	@echo "== installing requirements/demo.txt into $(VENV_DEMO) (ansible-core, cryptography and requests only)"
	@$(VENV_DEMO)/bin/python -m pip install -q -r requirements/demo.txt 2>&1 | $(PIP_FILTER)
	@touch $@

VENV_DEMO_ABS = $(abspath $(VENV_DEMO))
demo: $(VENV_DEMO)/.stamp-demo collection-tree
	@PATH="$(VENV_DEMO_ABS)/bin:$$PATH" PYTHONPATH="$(CURDIR)/tests" PVE_CLUSTER_BUILD_DIR=$(COLLECTIONS_ROOT) $(ANSIBLE_ENV) \
	    bash scripts/demo.sh

clean:
	rm -rf $(BUILD) tests/output .pytest_cache

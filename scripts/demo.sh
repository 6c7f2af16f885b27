#!/usr/bin/env bash
# make demo: show pve.cluster working, end to end.
#
# Without PVE_API_HOST: starts the bundled PVE API simulator (tests/pvesim) on 127.0.0.1 with the demo scenario
# (3 nodes, one offline, a few dozen guests), and stops it at the end. With PVE_API_HOST (+ PVE_API_TOKEN_ID and
# PVE_API_TOKEN_SECRET or PVE_API_USER and PVE_API_PASSWORD, and PVE_CA_PATH or PVE_VALIDATE_CERTS=false): the same
# steps against that cluster. Called by the Makefile with the venv on PATH and ANSIBLE_COLLECTIONS_PATH set to build/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# DEMO_WORK: the tests write elsewhere; PVE_CLUSTER_BUILD_DIR: make demo BUILD=build-x
WORK="${DEMO_WORK:-${PVE_CLUSTER_BUILD_DIR:-$ROOT/build}/demo}"
rm -rf "$WORK" && mkdir -p "$WORK"
SIM_PID=""

# bold headings on a terminal only: a log (make demo > demo.log, CI) gets no escape codes
if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD="" PLAIN=""; fi
say() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }

stop_simulator() {
    if [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; then
        wait "$SIM_PID" 2>/dev/null || true
        echo "(simulator stopped)"
    fi
}
trap stop_simulator EXIT INT TERM

export ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-1}" ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
ANSIBLE_PYTHON_INTERPRETER="$(command -v python)"
export ANSIBLE_PYTHON_INTERPRETER

if [ -n "${PVE_API_HOST:-}" ]; then
    say "Using the PVE cluster at $PVE_API_HOST (PVE_API_HOST is set); no simulator is started"
    if [ -z "${PVE_API_TOKEN_SECRET:-}${PVE_API_PASSWORD:-}" ]; then
        echo "Set PVE_API_TOKEN_ID + PVE_API_TOKEN_SECRET (or PVE_API_USER + PVE_API_PASSWORD) too." >&2
        exit 2
    fi
else
    say "Starting the bundled PVE API simulator (demo scenario: 3 nodes, one offline)"
    PYTHONPATH="$ROOT/tests" python -m pvesim serve --scenario demo --port 0 --state-dir "$WORK/simulator" \
        >"$WORK/simulator.log" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 100); do
        if [ -s "$WORK/simulator/url" ] || ! kill -0 "$SIM_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    [ -s "$WORK/simulator/url" ] || { cat "$WORK/simulator.log" >&2; echo "the simulator did not start" >&2; exit 1; }
    # shellcheck disable=SC1091
    . "$WORK/simulator/env"
    echo "simulator: $PVE_API_HOST (CA: $PVE_CA_PATH)"
fi

say "pve.cluster.pve_version_info (one ad-hoc module call)"
ansible localhost -i localhost, -c local -m pve.cluster.pve_version_info

say "Dynamic inventory: ansible-inventory --graph (one GET /cluster/resources + one GET /cluster/status)"
cat >"$WORK/demo.pve.yml" <<'YAML'
plugin: pve.cluster.pve
# The connection comes from the PVE_* environment variables. The groups are built in: pve_nodes,
# pve_qemu, pve_lxc, pve_<status>, pve_node_<node>, pve_pool_<pool>, pve_tag_<tag>, pve_templates.
YAML
ansible-inventory -i "$WORK/demo.pve.yml" --graph

cd "$WORK"
for playbook in gather_facts allocate_vmid cluster_report; do
    say "ansible-playbook playbooks/$playbook.yml"
    ansible-playbook "$ROOT/playbooks/$playbook.yml"
done

say "Done. What to look at:"
echo "  - the cluster report:   $WORK/reports/pve-cluster-report.html (open it in a browser) and .md"
echo "  - the inventory file:   $WORK/demo.pve.yml (try: ansible-inventory -i $WORK/demo.pve.yml --list)"
echo "  - the playbooks:        $ROOT/playbooks/"
if [ -n "$SIM_PID" ]; then
    echo "  - the simulator's log:  $WORK/simulator.log"
    echo "  Against a real cluster: PVE_API_HOST=pve1.example.com PVE_API_TOKEN_ID='user@pve!name' \\"
    echo "      PVE_API_TOKEN_SECRET=... PVE_CA_PATH=/path/to/pve-root-ca.pem make demo"
fi

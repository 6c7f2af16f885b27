#!/usr/bin/env bash
# ansible-test sanity (--local, no ignore files) on one ansible-core of tests/compat/cores.txt, in
# its own venv (VENV_COMPAT/<line>, shared with `make compat`), collection tree and HOME
# (BUILD/sanity-<line>/...), so that two cores can run side by side. ansible-test keeps the
# virtualenvs of its sanity tests under that HOME (VENV_COMPAT/<line>/home), reused between runs.
#
# Usage: [SANITY_ARGS='--test pylint'] sanity-core.sh DEV_PYTHON BUILD VENV_COMPAT SHARED PIP_BOOTSTRAP VERSION PYTHON_VERSION
set -euo pipefail
dev_python=$1 build=$2 venvs=$3 shared=$4 bootstrap=$5 version=$6 pyver=$7
line=${version%.*}
mkdir -p "$venvs"  # absolute below even on a fresh clone: the commands run from the collection tree
venv=$(cd "$venvs" && pwd)/$line
tree=$build/sanity-$line/ansible_collections/pve/cluster
log=$build/sanity-$line.log
mkdir -p "$build"
start=$(date +%s)
{
    "$dev_python" tests/compat/cores.py venv "$venv" "$version" "$pyver" >/dev/null
    scripts/collection-tree.sh "$tree" "$shared" >/dev/null
    export HOME=$venv/home
    mkdir -p "$HOME"
    if [ -f "$bootstrap" ]; then sh "$bootstrap" "$venv/bin/python"
    else echo "WARNING: $bootstrap not found: ansible-test will download its pip bootstrap itself"; fi
    cd "$tree"
    read -r -a extra <<<"${SANITY_ARGS:-}"
    PATH="$venv/bin:$PATH" ansible-test sanity --local --python "$pyver" --color no "${extra[@]}"
} >"$log" 2>&1 && rc=0 || rc=$?
echo "== sanity ansible-core $version (Python $pyver): $( [ "$rc" -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start ))s"
if [ "$rc" -ne 0 ]; then tail -n 40 "$log"; echo "full log: $log"; fi
exit "$rc"

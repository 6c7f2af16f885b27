#!/usr/bin/env bash
# ansible-test sanity (--local, no ignore files) on one ansible-core of tests/compat/cores.txt, in
# its own venv (VENV_COMPAT/<line>, shared with `make compat`), collection tree and HOME
# (BUILD/sanity-<line>/...), so that two cores can run side by side. ansible-test keeps the
# virtualenvs of its sanity tests under that HOME (VENV_COMPAT/<line>/home), reused between runs.
#
# On a core other than SANITY_FULL_LINE, the paths of SANITY_HARNESS (the development harness, left out
# of the tarball by galaxy.yml's build_ignore and run only in the dev venv) are left out: that core
# checks what the tarball ships, the tests it carries included.
#
# Usage: [SANITY_ARGS='--test pylint'] [SANITY_FULL_LINE=2.19 SANITY_HARNESS='tests/e2e/ ...'] [SANITY_PYLINT_LINES='2.17 2.19']
#        sanity-core.sh DEV_PYTHON BUILD VENV_COMPAT SHARED PIP_BOOTSTRAP VERSION PYTHON_VERSION
set -euo pipefail
dev_python=$1 build=$2 venvs=$3 shared=$4 bootstrap=$5 version=$6 pyver=$7
line=${version%.*}
mkdir -p "$venvs"  # absolute below even on a fresh clone: the commands run from the collection tree
venv=$(cd "$venvs" && pwd)/$line
tree=$build/sanity-$line/ansible_collections/pve/cluster
log=$build/sanity-$line.log
mkdir -p "$build"
read -r -a extra <<<"${SANITY_ARGS:-}"
excluded=()
if [ -n "${SANITY_FULL_LINE:-}" ] && [ "$line" != "$SANITY_FULL_LINE" ]; then
    for path in ${SANITY_HARNESS:-}; do
        # only what the tarball leaves out (galaxy.yml build_ignore) may be left out here
        if ! grep -qxF "  - ${path%/}" galaxy.yml; then
            echo "== sanity ansible-core $version: FAILED: SANITY_HARNESS names $path, which galaxy.yml's build_ignore does not leave out of the tarball"
            exit 1
        fi
        excluded+=("$path"); extra+=(--exclude "$path")
    done
fi
# pylint only on the cores of SANITY_PYLINT_LINES (one per pylint line; `cores.py pylint-covered`
# checks that), unless SANITY_ARGS picks the tests
pylint_note=""
if [ -n "${SANITY_PYLINT_LINES:-}" ] && ! [[ " ${SANITY_PYLINT_LINES} " == *" $line "* ]] \
        && ! [[ " ${SANITY_ARGS:-} " == *" --test "* ]]; then
    extra+=(--skip-test pylint); pylint_note=", pylint on ${SANITY_PYLINT_LINES// /, } only"
fi
start=$(date +%s)
{
    "$dev_python" tests/compat/cores.py venv "$venv" "$version" "$pyver" >/dev/null
    scripts/collection-tree.sh "$tree" "$shared" >/dev/null
    export HOME=$venv/home
    mkdir -p "$HOME"
    if [ -f "$bootstrap" ]; then sh "$bootstrap" "$venv/bin/python"
    else echo "WARNING: $bootstrap not found: ansible-test will download its pip bootstrap itself"; fi
    cd "$tree"
    if [ "${#excluded[@]}" -gt 0 ]; then echo "== ansible-core $version: the shipped content (left out: ${excluded[*]})"; fi
    PATH="$venv/bin:$PATH" ansible-test sanity --local --python "$pyver" --color no "${extra[@]}"
} >"$log" 2>&1 && rc=0 || rc=$?
scope=$( [ "${#excluded[@]}" -gt 0 ] && echo ", the shipped content" || true)$pylint_note
echo "== sanity ansible-core $version (Python $pyver$scope): $( [ "$rc" -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start ))s"
if [ "$rc" -ne 0 ]; then tail -n 40 "$log"; echo "full log: $log"; fi
exit "$rc"

#!/usr/bin/env bash
# Documentation and packaging checks, run by `make docs-check`.
#  1. ansible-doc renders every module, inventory plugin, filter plugin and role of the collection
#     (an author without a GitHub handle, shown as '(!UNKNOWN)', fails)
#  2. antsibull-docs lint-collection-docs --plugin-docs (docs markup, references, option names)
#  3. ansible-galaxy collection build into DIST, check that no workshop file (Makefile, scripts,
#     benchmarks, dev requirements, e2e and compat harnesses, images) is in the tarball, then install the tarball into a
#     temporary directory and render one module's docs from the installed copy.
# Usage: docs-check.sh VENV COLLECTIONS_ROOT COLLECTION_DIR DIST   (absolute paths)
set -euo pipefail

venv=$1
collections_root=$2
coll_dir=$3
dist=$4

export PATH="$venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$collections_root"
export ANSIBLE_NOCOLOR=1
fail=0
rendered=0
outdir="$collections_root/docs-check"
rm -rf "$outdir"
mkdir -p "$outdir"

render() {  # type name
    local out="$outdir/$1-$2.txt"
    if ansible-doc -t "$1" "pve.cluster.$2" >"$out" 2>&1 && [ -s "$out" ] \
        && ! grep -q -e '^\[WARNING\]: .*\(not found\|was not\)' -e 'ERROR' -e '(!UNKNOWN)' "$out"; then
        echo "ok    ansible-doc -t $1 pve.cluster.$2"
        rendered=$((rendered + 1))
    else
        echo "FAIL  ansible-doc -t $1 pve.cluster.$2"
        sed 's/^/      /' "$out" | head -40
        fail=1
    fi
}

shopt -s nullglob
for f in "$coll_dir"/plugins/modules/*.py; do
    name=$(basename "$f" .py)
    [ "$name" = __init__ ] || render module "$name"
done
for f in "$coll_dir"/plugins/inventory/*.py; do
    name=$(basename "$f" .py)
    [ "$name" = __init__ ] || render inventory "$name"
done
for f in "$coll_dir"/plugins/filter/*.py; do
    name=$(basename "$f" .py)
    [ "$name" = __init__ ] || render filter "$name"
done
for d in "$coll_dir"/roles/*/; do
    name=$(basename "$d")
    if [ -f "$d/meta/argument_specs.yml" ] || [ -f "$d/meta/argument_specs.yaml" ]; then
        render role "$name"
    fi
done
if [ "$rendered" -eq 0 ] && [ "$fail" -eq 0 ]; then
    echo "SKIP: ansible-doc: no modules, inventory plugins or roles yet"
fi

echo "== antsibull-docs lint-collection-docs --plugin-docs"
if ! (cd "$coll_dir" && antsibull-docs lint-collection-docs --plugin-docs --skip-rstcheck .); then
    fail=1
fi

echo "== ansible-galaxy collection build / install"
mkdir -p "$dist"
rm -f "$dist"/pve-cluster-*.tar.gz
if (cd "$coll_dir" && ansible-galaxy collection build --force --output-path "$dist" .); then
    tarballs=("$dist"/pve-cluster-*.tar.gz)
    tarball=${tarballs[0]}
    echo "built $tarball ($(tar -tzf "$tarball" | wc -l) entries)"
    # The workshop stays out (galaxy.yml build_ignore): make/CI tooling, benchmarks, dev
    # requirements, the e2e and compat harnesses, images, local state.
    if tar -tzf "$tarball" | grep -E \
        -e '^(Makefile|scripts/|benchmarks/|requirements/|tests/e2e/|tests/compat/|\.ci/|\.ansible-lint|\.gitignore)' \
        -e '(^|/)(\.venv[^/]*|build|\.git|__pycache__|\.pytest_cache|\.hypothesis|tests/output)/' \
        -e '\.(tar\.gz|png|jpe?g|gif)$'; then
        echo "FAIL: the tarball contains files that build_ignore should exclude (listed above)"
        fail=1
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if ANSIBLE_COLLECTIONS_PATH="$tmp" ansible-galaxy collection install --offline -p "$tmp" "$tarball" \
        && [ -f "$tmp/ansible_collections/pve/cluster/MANIFEST.json" ]; then
        echo "ok    installed into $tmp"
        first=""
        for f in "$tmp"/ansible_collections/pve/cluster/plugins/modules/*.py; do
            if [ "$(basename "$f")" != __init__.py ]; then first=$f; break; fi
        done
        if [ -n "$first" ]; then
            name=$(basename "$first" .py)
            if ANSIBLE_COLLECTIONS_PATH="$tmp" ansible-doc -t module "pve.cluster.$name" >/dev/null; then
                echo "ok    ansible-doc pve.cluster.$name from the installed tarball"
            else
                echo "FAIL  ansible-doc pve.cluster.$name from the installed tarball"; fail=1
            fi
        fi
    else
        echo "FAIL: ansible-galaxy collection install of $tarball"
        fail=1
    fi
else
    echo "FAIL: ansible-galaxy collection build"
    fail=1
fi

exit "$fail"

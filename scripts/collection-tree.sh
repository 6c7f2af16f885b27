#!/usr/bin/env bash
# Copy the collection's files into DEST (default build/ansible_collections/pve/cluster), fresh each time, so
# ansible-test / ansible-doc / ansible-galaxy see exactly the collection's files: in a git checkout what git would
# commit (tracked and untracked-but-not-ignored files, so no .venv*, build/ or caches); outside git everything but
# the usual build, venv and cache directories. The copy gets its own `git init`: ansible-test lists content with
# git, walking up from the collection root, and would otherwise find the checkout's repository (build/ ignored).
# Usage: collection-tree.sh [DEST]
set -euo pipefail

dest=${1:-build/ansible_collections/pve/cluster}
case "$dest" in
    */ansible_collections/pve/cluster) ;;
    *) echo "collection-tree: refusing to write to '$dest' (must end in ansible_collections/pve/cluster)" >&2; exit 2 ;;
esac
rm -rf "$dest" && mkdir -p "$dest"

if [ -e .git ] && git rev-parse --git-dir >/dev/null 2>&1; then
    # files deleted in the work tree are skipped
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done \
        | sort -zu | tar --null --no-recursion -T - -cf - | tar -xf - -C "$dest"
else
    tar --exclude=./.git --exclude='./.venv*' --exclude=./build --exclude='./build-*' --exclude=./.ansible \
        --exclude='*/__pycache__' --exclude=./.pytest_cache --exclude=./tests/output -cf - . | tar -xf - -C "$dest"
fi
(cd "$dest" && git init -q && git add -A)
echo "collection-tree: $(cd "$dest" && git ls-files | wc -l) files in $dest"

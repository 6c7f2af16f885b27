#!/usr/bin/env bash
# Copy the collection's files into DEST (default build/ansible_collections/pve/cluster), fresh
# each time, so ansible-test / ansible-doc / ansible-galaxy see exactly the collection's files.
#
# In a git checkout the file list is what git would commit: tracked files plus untracked files
# that .gitignore does not exclude (so .venv*, build/, caches and reports never get copied).
# Outside git, everything except the usual build/venv/cache directories is copied.
#
# The copy gets its own `git init`: ansible-test lists content with git when it finds a .git
# directory, walking up from the collection root; without one it would find the enclosing
# checkout's repository, in which build/ is ignored, and see no files at all.
#
# Usage: collection-tree.sh [DEST]
set -euo pipefail

src=$(pwd)
dest=${1:-build/ansible_collections/pve/cluster}

case "$dest" in
    */ansible_collections/pve/cluster) ;;
    *) echo "collection-tree: refusing to write to '$dest' (must end in ansible_collections/pve/cluster)" >&2; exit 2 ;;
esac

rm -rf "$dest"
mkdir -p "$dest"

if [ -d "$src/.git" ] && git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    # tracked + untracked-but-not-ignored files; skip files deleted in the work tree
    git -C "$src" ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do
              if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
          done \
        | sort -zu \
        | tar --null --no-recursion -T - -cf - \
        | tar -xf - -C "$dest"
else
    tar --exclude=./.git --exclude='./.venv*' --exclude=./build --exclude='./build-*' --exclude=./.ansible --exclude=./reports \
        --exclude='*/__pycache__' --exclude='./.pytest_cache' --exclude='./.hypothesis' \
        --exclude=./tests/output --exclude='./benchmarks/results/*.tmp' \
        -cf - . | tar -xf - -C "$dest"
fi

(
    cd "$dest"
    git init -q
    git add -A
)

count=$(cd "$dest" && git ls-files | wc -l)
echo "collection-tree: $count files in $dest"

#!/bin/sh
# Print the path of a working Python interpreter of version MAJOR.MINOR (e.g. 3.12), or nothing.
# Looks at pythonX.Y on PATH (actually running it: pyenv shims exist on PATH even for versions
# that are not enabled), then at the usual install locations (pyenv, /usr/local, /usr).
# Usage: find-python.sh 3.12
set -u
want=${1:?usage: find-python.sh MAJOR.MINOR}

works() {
    [ -x "$1" ] || return 1
    got=$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || return 1
    [ "$got" = "$want" ]
}

candidates=""
if p=$(command -v "python$want" 2>/dev/null); then
    candidates="$p"
fi
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for p in "$pyenv_root"/versions/"$want"*/bin/python /root/.pyenv/versions/"$want"*/bin/python \
         /usr/local/bin/python"$want" /usr/bin/python"$want"; do
    candidates="$candidates $p"
done

for p in $candidates; do
    if works "$p"; then
        echo "$p"
        exit 0
    fi
done
exit 0

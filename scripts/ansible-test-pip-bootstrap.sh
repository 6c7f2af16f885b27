#!/bin/sh
# ansible-test downloads a pip bootstrap script (get-pip) from ci-files.testing.ansible.com the first
# time it creates a virtualenv for a sanity test; a machine that cannot reach that host fails there
# ("Download failed ... does not have pip available"). This writes a stand-in into ansible-test's
# cache ($HOME/.ansible/test/cache) first: it bootstraps Python's bundled pip (ensurepip) and then
# installs what ansible-test asks for from the package index of this machine's pip configuration.
# It works with or without access to that host, so the Makefile always runs it (PIP_BOOTSTRAP).
#
# Usage: ansible-test-pip-bootstrap.sh [PYTHON]   (PYTHON: the interpreter that has ansible-core; default python3)
set -eu
PY="${1:-python3}"
ver=$("$PY" - <<'PYEOF'
import re, pathlib, ansible_test
src = pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
m = re.search(r"pip=['\"]([0-9.]+)['\"]", src.read_text())
print(m.group(1) if m else "")
PYEOF
)
[ -n "$ver" ] || { echo "could not find ansible-test's pip version" >&2; exit 1; }
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
target="$cache/get_pip_$(echo "$ver" | tr . _).py"
cat > "$target" <<'PYEOF'
"""Stand-in for ansible-test's pip bootstrap script, for machines without access to its download host."""
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
env = dict(os.environ)
env.pop("PIP_CONFIG_FILE", None)  # ansible-test sets it to /dev/null; let pip read the machine's own configuration
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "-q"] + args, env=env))
PYEOF
echo "ansible-test pip $ver bootstrap stand-in: $target"

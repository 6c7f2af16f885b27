# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The declared ansible-core releases (tests/compat/cores.txt) and one virtualenv per release.

    python tests/compat/cores.py list                 # "2.17.14 3.11" lines
    python tests/compat/cores.py venv DIR 2.17.14 3.11 # create/refresh DIR (reused while its stamp matches)
    python tests/compat/cores.py readme               # write the README's "Tested with" row
    python tests/compat/cores.py check                # README, meta/runtime.yml, ee/ agree with cores.txt
    python tests/compat/cores.py pylint-covered DIR 2.17 2.19  # the venvs under DIR: every core's pylint
                                                      # line is pinned by one of the cores named
"""

from __future__ import annotations

import fcntl
import hashlib
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORES_FILE = HERE / "cores.txt"
REQUIREMENTS = ROOT / "requirements" / "compat.txt"
TOOLS = ROOT / "requirements" / "compat-tools.txt"


def cores(path=CORES_FILE):
    """[(ansible-core version, Python version)] in file order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            core, python = line.split()
            rows.append((core, python))
    return rows


def line_of(core):
    """2.17.14 -> 2.17"""
    return ".".join(core.split(".")[:2])


def find_python(version):
    found = subprocess.run([str(ROOT / "scripts" / "find-python.sh"), version], capture_output=True, text=True,
                           check=False).stdout.strip()
    return found or None


def venv(directory, python_version, pip_args):
    """Create or refresh a virtualenv of Python python_version with `pip install pip_args`.

    Reused as long as its stamp (Python, pip arguments, content of the -r files) matches; returns its python."""
    directory = pathlib.Path(directory)
    python = find_python(python_version)
    if python is None:
        raise RuntimeError("no Python %s found here for %s" % (python_version, " ".join(pip_args)))
    files = [pathlib.Path(pip_args[i + 1]) for i, arg in enumerate(pip_args) if arg == "-r"]
    stamp = "python=%s pip=%s files=%s\n" % (python_version, " ".join(pip_args), ",".join(
        hashlib.sha256(path.read_bytes()).hexdigest()[:16] for path in files))
    directory.parent.mkdir(parents=True, exist_ok=True)
    # one creator at a time: `make test` runs sanity-cores and compat side by side, on the same venvs
    with open(directory.parent / (".lock-" + directory.name), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp_file = directory / ".stamp-compat"
        venv_python = directory / "bin" / "python"
        if stamp_file.exists() and stamp_file.read_text() == stamp and venv_python.exists():
            return venv_python
        print("== creating %s: %s on Python %s" % (directory, " ".join(pip_args), python_version), flush=True)
        subprocess.run([python, "-m", "venv", "--clear", str(directory)], check=True)
        pip = subprocess.run([str(venv_python), "-m", "pip", "install", "-q", "--disable-pip-version-check"] + pip_args,
                             capture_output=True, text=True, check=False)
        # pip's local mirror configuration prints one warning per missing directory: hide that noise only
        noise = "is ignored: it is neither a file nor a directory"
        sys.stdout.write("".join(line for line in (pip.stdout + pip.stderr).splitlines(True) if noise not in line))
        if pip.returncode:
            raise RuntimeError("pip install into %s failed (exit %d)" % (directory, pip.returncode))
        stamp_file.write_text(stamp)
        return venv_python


def core_venv(directory, core, python_version):
    """The venv of one ansible-core release: ansible-core==core plus requirements/compat.txt."""
    return venv(directory, python_version, ["ansible-core==%s" % core, "-r", str(REQUIREMENTS)])


def tools_venv(directory):
    """ansible-builder & co. (requirements/compat-tools.txt), on the Python of the newest core."""
    return venv(directory, cores()[-1][1], ["-r", str(TOOLS)])


def tested_row(rows=None):
    """The README's "Tested with" table row, from cores.txt."""
    by_python = {}
    for core, python in rows or cores():
        by_python.setdefault(python, []).append(core)
    return "| Tested with | ansible-core %s |" % "; ".join(
        "%s (Python %s)" % (", ".join(found), python) for python, found in by_python.items())


def disagreements():
    """Where the README, meta/runtime.yml and ee/execution-environment.yml disagree with cores.txt."""
    import yaml  # pylint: disable=import-outside-toplevel

    rows = cores()
    problems = []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if tested_row(rows) not in readme.splitlines():
        problems.append("README.md lacks the line %r (python tests/compat/cores.py readme writes it)" % tested_row(rows))
    lowest = line_of(rows[0][0])
    requires = "| Requires | ansible-core >= %s," % lowest
    if not any(line.startswith(requires) for line in readme.splitlines()):
        problems.append("README.md: the Requires row must start with %r (the oldest core of cores.txt)" % requires)
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    if runtime.get("requires_ansible") != ">=%s.0" % lowest:
        problems.append("meta/runtime.yml: requires_ansible is %r, cores.txt starts at %s"
                        % (runtime.get("requires_ansible"), lowest))
    listed = ["ansible-core==%s" % core for core, _python in rows]
    for dev in sorted((ROOT / "requirements").glob("dev-*.txt")):
        pins = re.findall(r"^ansible-core==\S+", dev.read_text(encoding="utf-8"), re.M)
        if [pin for pin in pins if pin not in listed]:
            problems.append("%s pins %s, which cores.txt does not list" % (dev.relative_to(ROOT), pins))
    ee_file = ROOT / "ee" / "execution-environment.yml"
    if ee_file.exists():
        pin = yaml.safe_load(ee_file.read_text(encoding="utf-8"))["dependencies"]["ansible_core"]["package_pip"]
        if pin not in listed:
            problems.append("ee/execution-environment.yml installs %s, which cores.txt does not list" % pin)
    return problems


def write_readme():
    path = ROOT / "README.md"
    lines = path.read_text(encoding="utf-8").splitlines(True)
    at = [i for i, line in enumerate(lines) if line.startswith("| Tested with |")]
    row = tested_row() + "\n"
    if at:
        lines[at[0]] = row
    else:
        lines.insert(next(i for i, line in enumerate(lines) if line.startswith("| Requires |")) + 1, row)
    path.write_text("".join(lines), encoding="utf-8")


def pylint_line(venvs, line):
    """The pylint line (3.3) that ansible-test pins for the sanity test of the core in venvs/<line>."""
    found = sorted(pathlib.Path(venvs, line).glob(
        "lib/python*/site-packages/ansible_test/_data/requirements/sanity.pylint.txt"))
    if not found:
        return None
    pins = re.findall(r"^pylint==(\d+\.\d+)\.", found[0].read_text(encoding="utf-8"), re.MULTILINE)
    return pins[0] if pins else None


def pylint_uncovered(venvs, checked_lines):
    """Problems: a declared core whose pylint line none of checked_lines (the cores that run pylint) has."""
    lines = [line_of(core) for core, _python in cores()]
    pins = dict((line, pylint_line(venvs, line)) for line in lines)
    problems = ["ansible-core %s: no pylint pin found in %s" % (line, pathlib.Path(venvs, line))
                for line, pin in pins.items() if pin is None]
    covered = set(pins[line] for line in checked_lines if pins.get(line))
    problems += ["ansible-core %s pins pylint %s, which none of the cores that run pylint (%s) checks:"
                 " add %s to SANITY_PYLINT_LINES" % (line, pins[line], " ".join(checked_lines), line)
                 for line in lines if pins[line] and line not in checked_lines and pins[line] not in covered]
    print("pylint lines: %s" % ", ".join(
        "%s %s%s" % (line, pins[line], "" if line in checked_lines else " (not run there)")
        for line in lines))
    return problems


def exit_with(problems):
    """Print each problem as a FAIL line; exit 1 if there is any, else 0."""
    for problem in problems:
        print("FAIL:", problem)
    sys.exit(1 if problems else 0)


def main(argv):
    if argv[:1] == ["list"]:
        for core, python in cores():
            print(core, python)
    elif argv[:1] == ["readme"]:
        write_readme()
    elif argv[:1] == ["check"]:
        exit_with(disagreements())
    elif argv[:1] == ["pylint-covered"] and len(argv) >= 3:
        exit_with(pylint_uncovered(argv[1], argv[2:]))
    elif argv[:1] == ["venv"] and len(argv) == 4:
        print(core_venv(argv[1], argv[2], argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collections trees of make bench (benchmarks/README.md says what each holds); nothing goes into the venv.
What cannot be had is reported as not installed, and the rest runs."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

ANSIBLE, PROXMOXER = "14.5.0", "2.3.0"   # ansible 14.5.0 ships community.proxmox 2.0.0 (a pure-Python wheel for 3.12+)
PREFIX = "ansible_collections/community/proxmox/"
ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("PVE_CLUSTER_BUILD_DIR") or ROOT / "build")   # the Makefile's BUILD
CACHE = BUILD / "bench-cache"
PYDEPS = CACHE / "pydeps"
COLLECTIONS = BUILD / "bench-collections"
COLLECTIONS_MAIN = BUILD / "bench-collections-main"
MAIN_GIT = os.environ.get("COMMUNITY_PROXMOX_GIT") or "/work/.mirror/ansible-collections+community.proxmox/repo"


def _run(*command, **kwargs):
    result = subprocess.run(command, capture_output=True, check=False, **kwargs)
    if result.returncode:
        raise RuntimeError("%s failed: %s" % (" ".join(command[:4]), result.stderr[-400:]))
    return result.stdout


def community():
    """community.proxmox 2.0.0: only its files of the `ansible` wheel (pip download), into build/bench-collections."""
    if not (COLLECTIONS / PREFIX / "MANIFEST.json").exists():
        _run(sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--python-version", "3.12",
             "-d", str(CACHE), "ansible==" + ANSIBLE)
        with zipfile.ZipFile(next(CACHE.glob("ansible-%s-*.whl" % ANSIBLE))) as wheel:
            wheel.extractall(COLLECTIONS, [m for m in wheel.namelist() if m.startswith(PREFIX)])
    return json.loads((COLLECTIONS / PREFIX / "MANIFEST.json").read_text(encoding="utf-8"))["collection_info"]["version"]


def main_branch():
    """community.proxmox main: `git archive` of the snapshot's HEAD into build/bench-collections-main, once per commit."""
    commit, target = _run("git", "--git-dir", MAIN_GIT, "rev-parse", "HEAD", text=True).strip(), COLLECTIONS_MAIN / PREFIX
    if not (target / ".bench-commit").exists() or (target / ".bench-commit").read_text(encoding="utf-8") != commit:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        _run("tar", "-x", "-C", str(target), input=_run("git", "--git-dir", MAIN_GIT, "archive", "--format=tar", commit))
        (target / ".bench-commit").write_text(commit, encoding="utf-8")
    version = [line.split(":", 1)[1].strip() for line in (target / "galaxy.yml").read_text(encoding="utf-8").splitlines()
               if line.startswith("version:")]
    return commit, version[0]


def proxmoxer():
    """proxmoxer, for community.proxmox's modules: pip install --target build/bench-cache/pydeps."""
    if not list(PYDEPS.glob("proxmoxer-%s.dist-info" % PROXMOXER)):
        _run(sys.executable, "-m", "pip", "install", "--no-deps", "--upgrade", "--target", str(PYDEPS), "proxmoxer==" + PROXMOXER)
    return PROXMOXER


class Setup:  # pylint: disable=too-few-public-methods
    """What is installed (None where it is missing); `versions` for the report (or why it is missing)."""

    def __init__(self):
        self.versions = {}
        self.community = self._get("community.proxmox", community)
        self.main = self._get("community.proxmox main", main_branch)   # (commit, galaxy.yml version)
        self.proxmoxer = self._get("proxmoxer", proxmoxer)
        git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             check=False)
        self.versions["pve.cluster commit"] = git.stdout.strip() or "?"

    def _get(self, name, get):
        try:
            value = get()
        except (OSError, RuntimeError, StopIteration, IndexError, KeyError, ValueError, zipfile.BadZipFile) as err:
            self.versions[name] = "not installed (%s)" % (str(err) or type(err).__name__)
            return None
        self.versions[name] = "commit %s (version %s in its galaxy.yml)" % value if isinstance(value, tuple) else value
        return value


def prepare():
    """pve/cluster and bench/floor linked into build/bench-collections, the rest installed (or why not, recorded)."""
    for target, link in ((ROOT, "pve/cluster"), (ROOT / "benchmarks/collections/ansible_collections/bench/floor", "bench/floor")):
        link = COLLECTIONS / "ansible_collections" / link
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    return Setup()

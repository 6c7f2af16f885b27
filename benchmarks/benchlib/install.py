# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bench collections dirs: pve.cluster (this checkout), bench.floor, community.proxmox 2.0.0 from PyPI,
and community.proxmox's main branch from a fetched snapshot.

community.proxmox 2.0.0 is taken from the pinned `ansible` package on PyPI (pip download --no-deps into
build/bench-cache, only ansible_collections/community/proxmox unpacked), proxmoxer (pinned) is
installed with pip --target into build/bench-cache/pydeps for its modules. Nothing is installed into
the venv.

community.proxmox main: `git archive` of the snapshot's HEAD (a bare git directory: COMMUNITY_PROXMOX_GIT, by
default the one the session's `fetch github:ansible-collections/community.proxmox` leaves) into its own tree,
build/bench-collections-main (one collection name cannot be installed twice in one tree); its commit is printed
and written into the report. Without a snapshot it is reported as not installed and the rest runs.
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ANSIBLE_PACKAGE = "ansible==14.5.0"        # ships community.proxmox 2.0.0, the newest release (runs on ansible-core 2.19)
# ansible 14 declares Python >= 3.12; the wheel is pure Python, so a 3.11 venv downloads it for 3.12 (nothing is installed)
WHEEL_PYTHON = "3.12"
PROXMOXER_PACKAGE = "proxmoxer==2.3.0"
COMMUNITY_PREFIX = "ansible_collections/community/proxmox/"

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
# the Makefile passes its BUILD directory (make bench BUILD=build-x); build/ when run without make
BUILD = pathlib.Path(os.environ.get("PVE_CLUSTER_BUILD_DIR") or ROOT / "build")
CACHE = BUILD / "bench-cache"
COLLECTIONS = BUILD / "bench-collections"
PYDEPS = CACHE / "pydeps"
FLOOR_SRC = BENCH / "collections" / "ansible_collections" / "bench" / "floor"
COLLECTIONS_MAIN = BUILD / "bench-collections-main"
MAIN_GIT = os.environ.get("COMMUNITY_PROXMOX_GIT") or "/work/.mirror/ansible-collections+community.proxmox/repo"


class Setup:
    """What is installed; `community_error` says why community.proxmox is missing, if it is."""

    def __init__(self):
        self.collections = COLLECTIONS
        self.pydeps = PYDEPS
        self.community_version = None
        self.community_error = None
        self.collections_main = COLLECTIONS_MAIN
        self.main_commit = None          # community.proxmox main: the snapshot's commit (full hash)
        self.main_version = None         # its galaxy.yml version (2.1.0: the next release)
        self.main_error = None
        self.proxmoxer_version = None
        self.proxmoxer_error = None
        self.commands = []


def _run(_setup, command):
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def _link(target, link):
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        if link.is_symlink() and os.readlink(link) == str(target):
            return
        if link.is_symlink() or link.is_file():
            link.unlink()
        else:
            shutil.rmtree(link)
    try:
        link.symlink_to(target)
    except FileExistsError:   # a concurrent run made it meanwhile
        pass


def _wheel(setup):
    name, version = ANSIBLE_PACKAGE.split("==")
    wheels = sorted(CACHE.glob("%s-%s-*.whl" % (name, version)))
    if wheels:
        return wheels[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    result = _run(setup, [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                          "--python-version", WHEEL_PYTHON, "-d", str(CACHE), ANSIBLE_PACKAGE])
    wheels = sorted(CACHE.glob("%s-%s-*.whl" % (name, version)))
    if not wheels:
        raise RuntimeError("pip download %s failed: %s" % (ANSIBLE_PACKAGE, (result.stderr or result.stdout)[-400:]))
    return wheels[0]


def _unpack_community(setup):
    target = COLLECTIONS / "ansible_collections" / "community" / "proxmox"
    stamp = target / ".bench-stamp"
    if stamp.exists() and stamp.read_text() == ANSIBLE_PACKAGE:
        return target
    wheel = _wheel(setup)
    COLLECTIONS.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(prefix=".unpack-", dir=str(COLLECTIONS)))
    try:
        with zipfile.ZipFile(wheel) as archive:
            members = [m for m in archive.namelist() if m.startswith(COMMUNITY_PREFIX)]
            if not members:
                raise RuntimeError("%s holds no %s" % (wheel.name, COMMUNITY_PREFIX))
            archive.extractall(staging, members)
        (staging / COMMUNITY_PREFIX / ".bench-stamp").write_text(ANSIBLE_PACKAGE)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging / COMMUNITY_PREFIX, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _install_proxmoxer(setup):
    name, version = PROXMOXER_PACKAGE.split("==")
    found = list(PYDEPS.glob("%s-%s.dist-info" % (name, version)))
    if not found:
        if PYDEPS.exists():
            shutil.rmtree(PYDEPS)
        result = _run(setup, [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(PYDEPS),
                              PROXMOXER_PACKAGE])
        if result.returncode != 0:
            raise RuntimeError("pip install %s failed: %s" % (PROXMOXER_PACKAGE, (result.stderr or result.stdout)[-400:]))
    return version


def _git(*args):
    return subprocess.run(["git", "--git-dir", MAIN_GIT] + list(args), capture_output=True, timeout=300, check=False)


def _unpack_main(setup):
    """community.proxmox main from the snapshot at MAIN_GIT -> build/bench-collections-main (once per commit)."""
    if not os.path.isdir(MAIN_GIT):
        raise RuntimeError("no snapshot at %s (fetch github:ansible-collections/community.proxmox, or set "
                           "COMMUNITY_PROXMOX_GIT to a clone's .git)" % MAIN_GIT)
    head = _git("rev-parse", "HEAD")
    commit = head.stdout.decode().strip()
    if head.returncode != 0 or len(commit) != 40:
        raise RuntimeError("git rev-parse HEAD in %s failed: %s" % (MAIN_GIT, head.stderr.decode()[-300:]))
    target = COLLECTIONS_MAIN / "ansible_collections" / "community" / "proxmox"
    stamp = target / ".bench-stamp"
    if not (stamp.exists() and stamp.read_text() == commit):
        archive = _git("archive", "--format=tar", commit)
        if archive.returncode != 0:
            raise RuntimeError("git archive %s failed: %s" % (commit, archive.stderr.decode()[-300:]))
        COLLECTIONS_MAIN.mkdir(parents=True, exist_ok=True)
        staging = pathlib.Path(tempfile.mkdtemp(prefix=".unpack-", dir=str(COLLECTIONS_MAIN)))
        try:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(staging)  # nosec: our own git archive of a fetched snapshot
            (staging / ".bench-stamp").write_text(commit)
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    setup.main_commit = commit
    for line in (target / "galaxy.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("version:"):
            setup.main_version = line.split(":", 1)[1].strip()
    return target


def prepare():
    """Build build/bench-collections; never raises for community.proxmox (recorded instead)."""
    setup = Setup()
    setup.commands.append("community.proxmox: `python -m pip download --no-deps --only-binary :all: --python-version %s "
                          "-d build/bench-cache %s`, then only %s* unzipped into build/bench-collections"
                          % (WHEEL_PYTHON, ANSIBLE_PACKAGE, COMMUNITY_PREFIX))
    setup.commands.append("proxmoxer: `python -m pip install --no-deps --target build/bench-cache/pydeps %s`" % PROXMOXER_PACKAGE)
    root = COLLECTIONS / "ansible_collections"
    _link(ROOT, root / "pve" / "cluster")
    _link(FLOOR_SRC, root / "bench" / "floor")
    try:
        target = _unpack_community(setup)
        manifest = json.loads((target / "MANIFEST.json").read_text())
        setup.community_version = manifest["collection_info"]["version"]
    except (OSError, RuntimeError, ValueError, KeyError, zipfile.BadZipFile, subprocess.SubprocessError) as err:
        setup.community_error = str(err)
    setup.commands.append("community.proxmox main: `git --git-dir %s archive HEAD` (COMMUNITY_PROXMOX_GIT) unpacked into "
                          "build/bench-collections-main/ansible_collections/community/proxmox" % MAIN_GIT)
    try:
        _unpack_main(setup)
    except (OSError, RuntimeError, tarfile.TarError, subprocess.SubprocessError) as err:
        setup.main_error = str(err)
    try:
        setup.proxmoxer_version = _install_proxmoxer(setup)
    except (OSError, RuntimeError, subprocess.SubprocessError) as err:
        setup.proxmoxer_error = str(err)
    return setup

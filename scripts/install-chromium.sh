#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the report browser test
# (tests/unit/playbooks/test_report_browser.py, which skips without it and never installs it itself).
# Run it by hand. Does nothing when /usr/bin/chromium already exists.
# Needs root (or sudo) and a reachable Debian package mirror; exits non-zero when it cannot
# install, and the browser test then skips with the reason.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: apt-get not found: install Debian's chromium package by hand" >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "chromium: not root and no password-less sudo: cannot run apt-get" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version

#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the report browser check (the integration target playbooks'
# files/report_browser.py, which skips without it and never installs it itself). Does nothing when /usr/bin/chromium
# exists. Needs root or password-less sudo and a reachable Debian mirror; exits non-zero when it cannot install (the
# check then skips).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
    exit 0
fi
command -v apt-get >/dev/null || { echo "chromium: apt-get not found: install Debian's chromium by hand" >&2; exit 1; }
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || { echo "chromium: not root and no password-less sudo: cannot run apt-get" >&2; exit 1; }
    sudo="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version

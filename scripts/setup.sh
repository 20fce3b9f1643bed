#!/usr/bin/env bash
# Shared by start.sh and test.sh: make .venv with the pinned packages of one requirements file.
# Usage: scripts/setup.sh requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}

source scripts/system-packages.sh
apt_install "${RUNTIME_SYSTEM_PACKAGES[@]}"

if ! python3 -c "import ensurepip, venv" 2>/dev/null; then apt_install python3-venv; fi
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
stamp=".venv/.installed-$(sha256sum "$requirements" requirements.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  # The project itself (newsdesk, devtools), editable: its pinned dependencies are in already.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi

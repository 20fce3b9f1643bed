#!/usr/bin/env bash
# Quick start 2: install the test tools (Debian packages, npm packages, Python packages) and
# run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh
install_test_system_packages
bash scripts/setup.sh requirements-dev.txt
if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi
# Both cores: every test builds into its own temp folder and picks its own free ports.
exec .venv/bin/python -m pytest -n auto "$@"

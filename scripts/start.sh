#!/usr/bin/env bash
# Quick start 1: set everything up, build the bundled sample site and serve it on
# http://127.0.0.1:8000 (Ctrl+C stops it). Options go to `invoke serve`:
# `bash scripts/start.sh --port 8001`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/invoke serve "$@"

#!/usr/bin/env bash
# The daily publish (docs/dang-tai.md, "Đăng tự động mỗi ngày"): run by the systemd timer
# deploy/dang-tai@.timer, by Windows' Task Scheduler through wsl.exe, or by cron. Never two at
# once (flock); everything it says goes to ~/dang-tai.log; exits non-zero when a target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
exec flock -n /tmp/dang-tai.lock .venv/bin/invoke publish >> "$HOME/dang-tai.log" 2>&1

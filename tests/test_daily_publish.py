"""The daily publish of docs/dang-tai.md runs where the editors' machine is: Debian in WSL,
which has no cron. Its commands are read from the document and run as far as this machine can:
the wsl.conf lines, the systemd units through `systemd-analyze verify`, and the script the
timer and Windows' Task Scheduler start, on a copy of the project."""

from __future__ import annotations

import configparser
import fcntl
import re
import shlex
import subprocess
import sys
from pathlib import Path

from devtools import ROOT
from devtools.project_copy import copy_project, environment

DOC = (ROOT / "docs" / "dang-tai.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## Đăng tự động mỗi ngày"):]
COMMANDS = [line.strip() for block in re.findall(r"```(?:sh)?\n(.*?)```", SECTION, flags=re.S)
            for line in block.splitlines() if line.strip()]


def command(start: str) -> str:
    return next(line for line in COMMANDS if line.startswith(start))


def test_the_wsl_conf_lines_turn_systemd_on():
    printed, _, tee = command("printf").partition(" | ")
    assert tee == "sudo tee -a /etc/wsl.conf"
    written = subprocess.run(["bash", "-c", printed], capture_output=True, text=True,
                             check=True).stdout
    config = configparser.ConfigParser()
    config.read_string(written)
    assert config.getboolean("boot", "systemd")


def test_the_units_the_guide_installs_pass_systemd_analyze_and_fire_at_5_30_in_vietnam(
        tmp_path):
    copied = shlex.split(command("sudo cp"))
    assert copied[-1] == "/etc/systemd/system/"
    units = [ROOT / name for name in copied[2:-1]]
    assert command("sudo systemctl enable --now") == \
        'sudo systemctl enable --now "dang-tai@$USER.timer"'
    # An instance for this machine's user, as "dang-tai@$USER.timer" makes one.
    instances = []
    for unit in units:
        (tmp_path / unit.name).write_bytes(unit.read_bytes())
        instances.append(str(tmp_path / unit.name.replace("@.", "@root.")))
    verified = subprocess.run(["systemd-analyze", "verify", *instances], capture_output=True,
                              text=True)
    assert (verified.returncode, verified.stderr) == (0, "")
    timer = configparser.ConfigParser(interpolation=None)
    timer.read(ROOT / "deploy" / "dang-tai@.timer", encoding="utf-8")
    spec = timer["Timer"]["OnCalendar"]
    next_run = subprocess.run(["systemd-analyze", "calendar", spec], capture_output=True,
                              text=True, check=True, env={"TZ": "UTC"}).stdout
    assert re.search(r"Next elapse: \w+ \d{4}-\d\d-\d\d 22:30:00 UTC", next_run), next_run


def test_the_script_the_timer_and_task_scheduler_start_publishes_once_and_logs(tmp_path):
    home = tmp_path / "home"
    project = copy_project(home / "newsdesk")
    venv = project / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "invoke").symlink_to(Path(sys.executable).with_name("invoke"))
    service = (ROOT / "deploy" / "dang-tai@.service").read_text(encoding="utf-8")
    assert "ExecStart=/bin/bash /home/%i/newsdesk/scripts/dang-tai.sh" in service
    scheduled = command("schtasks")
    assert scheduled.endswith(
        '/TR "wsl.exe -d Debian --cd ~ -- bash newsdesk/scripts/dang-tai.sh"')
    run_in_home = ["bash", "newsdesk/scripts/dang-tai.sh"]  # wsl.exe --cd ~ -- bash …
    env = environment(home)
    # This copy is not set up (sample address and targets): publish refuses, says why in the
    # log, and the script's exit says it failed.
    done = subprocess.run(run_in_home, cwd=home, env=env, capture_output=True, text=True,
                          timeout=600)
    log = (home / "dang-tai.log").read_text(encoding="utf-8")
    assert done.returncode == 1 and done.stdout + done.stderr == ""
    assert "KHÔNG ĐĂNG" in log and "invoke setup-site" in log and "Traceback" not in log
    # A run still going when the next starts: the next one does nothing.
    with open("/tmp/dang-tai.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as the running one holds it
        busy = subprocess.run(run_in_home, cwd=home, env=env, timeout=900)
    assert busy.returncode == 1
    assert (home / "dang-tai.log").read_text(encoding="utf-8") == log

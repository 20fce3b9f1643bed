"""docs/ban-bien-tap.md runs as written: its `sh` commands, in order, in a fresh copy of the
project, then the two accounts it adds log in to the desk it starts."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import urllib.parse
import urllib.request

from desk_fixtures import PASSWORD

from devtools import ROOT
from devtools.project_copy import copy_project, environment
from devtools.sshd import free_port

GUIDE = ROOT / "docs" / "ban-bien-tap.md"
SERVES = "invoke desk"  # runs until Ctrl+C: started, used, then stopped


def guide_commands() -> list[str]:
    blocks = re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", GUIDE.read_text(encoding="utf-8"),
                        flags=re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def log_in(base: str, name: str) -> str:
    """Log in like the browser does (the form's CSRF token, the cookie); the list page."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/dang-nhap", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode({"name": name, "password": PASSWORD, "csrf_token": token})
    return opener.open(base + "/dang-nhap", form.encode(), timeout=30).read().decode()


def test_the_desk_guides_first_steps_run_as_written(tmp_path):
    commands = guide_commands()
    assert commands[-1] == SERVES and any(c.startswith("invoke add-editor") for c in commands)
    home = tmp_path / "home"
    project = copy_project(home / "newsdesk")
    port = free_port()
    env = environment(home, NEWSDESK_DESK_PORT=str(port),
                      NEWSDESK_DESK_HASH_PROFILE="CHEAPEST")
    for command in commands[:-1]:
        done = subprocess.run(["bash", "-c", command], cwd=project, env=env, timeout=300,
                              input=PASSWORD + "\n", capture_output=True, text=True)
        assert done.returncode == 0, (command, done.stderr)
    desk = subprocess.Popen(["bash", "-c", f"exec {SERVES}"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        started = desk.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in started, started + desk.stdout.read()
        base = f"http://127.0.0.1:{port}"
        district = log_in(base, "hung")
        assert "Danh sách bài" in district and "Chờ duyệt" in district
        commune = log_in(base, "lan")
        assert "Mô hình nuôi bò sinh sản" in commune and 'href="/duyet/"' not in commune
        assert "vườn cây ăn trái" not in commune  # Minh Đức's item: not this account's
    finally:
        desk.terminate()
        desk.wait(timeout=30)
    assert (project / "instance" / "desk.sqlite3").is_file()
    status = subprocess.run(["git", "-C", str(project), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    assert "instance" not in status, status

"""The editors' guide runs as written: every command of its `sh` blocks, in order, on a fresh
copy of the project, configured by the first-run helper with scripted answers, published to
the tests' own sshd.

Commands that need Windows, root or the network are listed in NOT_RUN with the reason; no
other command is left out, and each must exit 0. What a person does between two commands
(fill in the placeholders, copy a phone photo, spoil a file by mistake) is done by the
Editor's `before_<task>` methods, and `after_<task>` reads what the command did.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from test_phone_photos import phone_photo

from devtools import ROOT, as_from_a_terminal, site_config
from devtools.project_copy import copy_project, environment
from devtools.sshd import SshServer

GUIDE = ROOT / "docs" / "huong-dan-bien-tap.md"
NOT_RUN = {
    "wsl --install -d Debian": "a Windows PowerShell command (as administrator); this machine "
                               "is the Debian it installs",
    "sudo apt update": "root and the network: scripts/setup.sh and CI install the same packages",
    "sudo apt install -y git python3": "root and the network: scripts/setup.sh and CI install "
                                       "the same packages",
    "git clone ĐỊA-CHỈ-KHO ~/newsdesk": "the office's repository over the network: the test "
                                        "makes its own copy (devtools/project_copy.py)",
    "bash scripts/start.sh": "installs Debian packages with sudo and serves until Ctrl+C; CI "
                             "runs the same scripts/setup.sh through scripts/test.sh",
    "source .venv/bin/activate": "the copy has no .venv of its own: the test puts this "
                                 "virtualenv first on PATH, which is what activate does",
}
ITEM = "content/tan-hung/ho-ngheo-xa-tan-hung-vuon-len-nho-nuoi-bo.md"
BODY = "Anh Điểu Lem ở ấp 3 nuôi hai con bò sinh sản từ vốn vay ưu đãi."
EDIT = "Đến nay đàn bò đã có thêm hai con bê."
PREVIEWED = "http://127.0.0.1:8000/tin-bai/ho-ngheo-xa-tan-hung-vuon-len-nho-nuoi-bo/"


def in_own_network(command: str, cwd: Path, env: dict) -> subprocess.Popen:
    """`command` in a network namespace of its own: its ports are free whatever else runs on
    this machine, and reached through nsenter (served())."""
    return subprocess.Popen(["unshare", "--net", "bash", "-c",
                             f"ip link set lo up && exec {command}"], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=as_from_a_terminal)


FETCH = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())"


def served(server: subprocess.Popen, url: str, text: str, timeout: float = 600) -> bool:
    """Whether `url`, asked inside the server's network namespace, comes to hold `text`;
    False if the server stops or `timeout` passes first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        page = subprocess.run(["nsenter", f"--net=/proc/{server.pid}/ns/net", sys.executable,
                               "-c", FETCH, url], capture_output=True, text=True)
        if text in page.stdout:
            return True
        time.sleep(0.2)
    return False


def guide_commands() -> list[str]:
    """Every command line of the guide's ```sh blocks, in order (comments left out)."""
    blocks = re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", GUIDE.read_text(encoding="utf-8"),
                        flags=re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_the_guide_lists_its_commands_in_sh_blocks_and_every_not_run_one_is_still_there():
    commands = guide_commands()
    assert set(NOT_RUN) <= set(commands), set(NOT_RUN) - set(commands)
    for needed in ("invoke setup-site", "invoke new", "invoke check", "invoke build",
                   "invoke save", "invoke history", "invoke undo", "invoke publish"):
        assert any(c.startswith(needed) for c in commands if c not in NOT_RUN), needed


@pytest.fixture(scope="module")
def server():
    sshd = SshServer.start(Path(tempfile.mkdtemp(prefix="newsdesk-sshd-", dir="/tmp")))
    yield sshd
    sshd.stop()


class Editor:
    """The person at the keyboard: the project copy in ~/newsdesk and their shell."""

    def __init__(self, home: Path, server: SshServer):
        self.home, self.project = home, copy_project(home / "newsdesk")
        self.web = server.directory(f"{home.name}/web")
        self.target = f"web={server.url(self.web)}"
        self.env = environment(home, RSYNC_RSH=server.rsh())
        self.ran: list[str] = []

    def run(self, command: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", command], cwd=self.project, env=self.env,
                              input=stdin, capture_output=True, text=True, timeout=600)

    def preview(self, command: str) -> subprocess.CompletedProcess:
        """`invoke livereload` as an editor uses it: wait for the item's page, save an edit,
        see the edit served, then Ctrl+C. It runs in a network namespace of its own, so its
        port 8000 is free whatever else runs on this machine."""
        server = in_own_network(command, self.project, self.env)
        try:
            assert served(server, PREVIEWED, BODY), "the preview never showed the item"
            text = self.item.read_text(encoding="utf-8")
            self.item.write_text(text.replace(BODY, f"{BODY} {EDIT}"), encoding="utf-8")
            assert served(server, PREVIEWED, EDIT), "the preview never showed the saved edit"
        finally:
            server.send_signal(signal.SIGINT)
            output = server.communicate(timeout=900)[0]
        return subprocess.CompletedProcess(command, server.returncode, output, "")

    @property
    def item(self) -> Path:
        return self.project / ITEM

    # -- what a person does before some commands -----------------------------------------
    def before_check(self) -> None:
        """Run the check on the untouched file first (it must refuse the placeholders), then
        write the item and copy a phone's HEIC photo next to it."""
        if "[CẦN ĐIỀN]" not in self.item.read_text(encoding="utf-8"):
            return
        unfinished = self.run("invoke check")
        assert unfinished.returncode == 1
        assert f"{ITEM}:7: LỖI: Nội dung bài còn chữ [CẦN ĐIỀN]." in unfinished.stdout
        phone_photo(self.item.parent / "IMG_0420.HEIC", size=(2016, 1512))
        lines = self.item.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("ID: ")) + 1
        lines[at:at] = ["Image: IMG_0420.HEIC", "Alt: Anh Điểu Lem cho bò ăn trong chuồng mới"]
        text = "\n".join(lines)
        text = re.sub(r"\[CẦN ĐIỀN\][^\n]*", BODY, text)
        self.item.write_text(text, encoding="utf-8")

    def before_undo(self) -> None:
        self.saved = self.item.read_text(encoding="utf-8")
        self.item.write_text("Title: lỡ tay xóa hết\n", encoding="utf-8")

    def after_undo(self, done) -> None:
        assert self.item.read_text(encoding="utf-8") == self.saved
        assert "lỡ tay xóa hết" in (self.item.parent / (self.item.name + ".bak")).read_text()

    def after_publish(self, done) -> None:
        if "--dry-run" in done.args[-1]:
            assert not (self.web / "current").exists()
            return
        page = self.web / "current/tin-bai/ho-ngheo-xa-tan-hung-vuon-len-nho-nuoi-bo/index.html"
        html = page.read_text(encoding="utf-8")
        assert BODY in html and ".heic" not in html.lower() and ".webp" in html
        assert f'href="{site_config.PUBLIC_URL}/' in html
        contact = (self.web / "current/lien-he/index.html").read_text(encoding="utf-8")
        assert site_config.OFFICE["phone"] in contact

    def answers(self, command: str) -> str:
        """Scripted answers to the first-run helper (the office's real-looking details)."""
        if command != "invoke setup-site":
            return ""
        return "\n".join([site_config.PUBLIC_URL, *site_config.OFFICE.values(), self.target,
                          ""])


def test_every_command_of_the_guide_runs_as_written(tmp_path, server):
    editor = Editor(tmp_path, server)
    not_run = {}
    for command in guide_commands():
        if command in NOT_RUN:
            not_run[command] = NOT_RUN[command]
            continue
        word = command.split()[1] if command.startswith("invoke ") else ""
        getattr(editor, f"before_{word}", lambda: None)()
        if command == "invoke livereload":
            done = editor.preview(command)
        else:
            done = editor.run(command, editor.answers(command))
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr
        getattr(editor, f"after_{word}", lambda done: None)(done)
        editor.ran.append(command)
    print("Not run:", *(f"  {c}: {why}" for c, why in not_run.items()), sep="\n")
    assert not_run.keys() == NOT_RUN.keys()
    assert "invoke publish" in editor.ran and "invoke setup-site" in editor.ran
    saved = editor.run(f"invoke history {ITEM}")
    assert "Tin hộ nghèo Tân Hưng nuôi bò, đã xong" in saved.stdout
    assert (editor.web / "current").is_symlink()


def test_start_sh_passes_its_options_to_invoke_serve(tmp_path):
    """The busy-port message suggests `--port 8001`; the README says start.sh takes it."""
    project = copy_project(tmp_path / "newsdesk")
    # The copy's .venv is this virtualenv, installed already: the stamp says so, as
    # scripts/setup.sh leaves it, so setup.sh has nothing to do.
    venv = project / ".venv" / "bin"
    venv.mkdir(parents=True)
    for program in ("python", "invoke"):
        (venv / program).symlink_to(Path(sys.executable).with_name(program))
    stamp = subprocess.run("sha256sum requirements.txt requirements.txt pyproject.toml | "
                           "sha256sum | cut -c1-16", shell=True, cwd=project,
                           capture_output=True, text=True, check=True).stdout.strip()
    (project / ".venv" / f".installed-{stamp}").touch()
    command = "bash scripts/start.sh --port 8001"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8").replace("\n", " ")
    server = in_own_network(command, project, environment(tmp_path))
    try:
        assert served(server, "http://127.0.0.1:8001/", "<html lang=\"vi\""), \
            server.stdout.read() if server.poll() is not None else "nothing on port 8001"
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=900)[0]
    assert "http://127.0.0.1:8001/" in output

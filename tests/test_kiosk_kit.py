"""The kiosk kit (deploy/kiosk/, docs/ki-ot.md): the guide's commands run as written (the
installing ones with --prefix, since they need root on the kiosk), the systemd units it writes
pass `systemd-analyze verify` (cage and chromium installed: scripts/system-packages.sh), and
its local copy is served by a real nginx on 127.0.0.1."""

from __future__ import annotations

import configparser
import http.client
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SiteMaker

from devtools import ROOT
from devtools.sshd import free_port, wait_for_port

GUIDE = ROOT / "docs" / "ki-ot.md"
SCRIPT = "deploy/kiosk/setup-kiosk.sh"
TRIAL_PREFIX = Path("/tmp/thu-ki-ot")  # as the guide's trial command writes it


def guide_commands() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), flags=re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def run(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)


def verify(prefix: Path) -> subprocess.CompletedProcess:
    units = sorted(str(p) for p in (prefix / "etc" / "systemd" / "system").iterdir())
    return subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8").replace("\\\n", " "))
    return parser


def test_every_command_of_the_guide_is_the_kit_and_runs(tmp_path):
    commands = guide_commands()
    assert commands and all(c.split()[:2] in (["bash", SCRIPT], ["sudo", "bash"]) for c in commands)
    for number, command in enumerate(commands):
        if command.startswith("sudo "):
            # Root on the kiosk itself: the same line, its files under a folder of the test.
            prefix = tmp_path / str(number)
            command = command.removeprefix("sudo ") + f" --prefix {prefix}"
        else:
            prefix = TRIAL_PREFIX
            shutil.rmtree(prefix, ignore_errors=True)
        result = run(command)
        assert result.returncode == 0, (command, result.stderr)
        assert "(--prefix) sẽ chạy: env DEBIAN_FRONTEND=noninteractive apt-get install" in \
            result.stdout
        checked = verify(prefix)
        assert checked.returncode == 0 and not checked.stderr.strip(), (command, checked.stderr)
        url = re.search(r"--url (\S+)", command)
        service = unit(prefix / "etc/systemd/system/hq-kiosk.service")
        start = shlex.split(service["Service"]["ExecStart"])
        assert start[-1] == (url[1] if url else "http://127.0.0.1:8080/kiosk/"), start
        assert "03:00:00 Asia/Ho_Chi_Minh" in (
            prefix / "etc/systemd/system/hq-kiosk-reboot.timer").read_text(encoding="utf-8")
    shutil.rmtree(TRIAL_PREFIX, ignore_errors=True)


def test_the_browser_unit_restarts_on_a_kept_profile_and_the_screen_stays_on(tmp_path):
    result = run(f"bash {SCRIPT} --url https://x.vn/giam-ngheo/kiosk/ --prefix {tmp_path}")
    assert result.returncode == 0, result.stderr
    service = unit(tmp_path / "etc/systemd/system/hq-kiosk.service")["Service"]
    start = shlex.split(service["ExecStart"])
    assert start[:3] == ["/usr/bin/cage", "-d", "--"] and start[3] == "/usr/bin/chromium"
    assert service["Restart"] == "always" and service["User"] == "kiosk"
    assert "--kiosk" in start and "--incognito" not in start
    assert f"--user-data-dir=/var/lib/{service['StateDirectory']}/chromium" in start
    flags = (ROOT / "deploy" / "kiosk" / "chromium-flags").read_text().split()
    assert set(flags) <= set(start)
    login = unit(tmp_path / "etc/systemd/logind.conf.d/hq-kiosk.conf")["Login"]
    assert login["IdleAction"] == "ignore" and login["HandleLidSwitch"] == "ignore"
    assert "pam_systemd.so" in (tmp_path / "etc/pam.d/hq-kiosk").read_text()
    assert not (tmp_path / "etc/nginx").exists()  # no local copy asked for
    assert not (tmp_path / "etc/systemd/system/hq-kiosk-reboot.timer").exists()
    assert verify(tmp_path).returncode == 0


@pytest.mark.parametrize("options, message", [
    ("--url 'https://x.vn/kiosk/;reboot'", "--url phải là địa chỉ http:// hoặc https://"),
    ("--url https://x.vn/kiosk/ --local-copy", "chọn một trong hai: --url hoặc --local-copy."),
    ("--local-copy --port 70000", "--port phải là một số từ 1 đến 65535"),
    ("--local-copy --reboot-at 25:00", "--reboot-at phải là GIỜ:PHÚT"),
    ("--local-copy --user 'Kiốt'", "--user phải là tên tài khoản Linux"),
    ("", "cần --url ĐỊA-CHỈ hoặc --local-copy."),
    ("--local-copy --fast", "không hiểu tùy chọn \"--fast\"."),
])
def test_a_wrong_option_is_refused_in_vietnamese_before_anything_is_written(tmp_path, options,
                                                                             message):
    result = run(f"bash {SCRIPT} {options} --prefix {tmp_path / 'p'}")
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "p").exists()


def test_the_local_copy_is_served_on_127_0_0_1_by_nginx(tmp_path):
    """A published kiosk copy (releases/, current) behind the kit's nginx site."""
    port = free_port()
    prefix = tmp_path / "root"
    result = run(f"bash {SCRIPT} --local-copy --port {port} --prefix {prefix}")
    assert result.returncode == 0, result.stderr
    assert (prefix / "etc/nginx/sites-enabled/hq-kiosk").readlink() == \
        Path("/etc/nginx/sites-available/hq-kiosk")
    maker = SiteMaker(tmp_path / "site")
    maker.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    copy = tmp_path / "srv"
    built = maker.build(copy / "releases" / "1")
    assert built.result.ok, built.result.report.format()
    (copy / "current").symlink_to("releases/1")
    (copy / "current" / ".release-secret").write_text("x")
    site = (prefix / "etc/nginx/sites-available/hq-kiosk").read_text(encoding="utf-8")
    work = tmp_path / "nginx"
    work.mkdir()
    (work / "site.conf").write_text(site.replace("/srv/giam-ngheo", str(copy)))
    temp = "".join(f"{kind}_temp_path {work}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        f"daemon off;\nuser root;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\nevents {{ worker_connections 64; }}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}"
        f"include {work}/site.conf;\n}}\n")
    command = ["nginx", "-p", str(work), "-c", str(work / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, "nginx", work / "error.log", process=server)

        def get(path):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Cache-Control"), response.read()

        status, _, body = get("/kiosk/")
        assert status == 200 and "Bạn ở xã nào?" in body.decode("utf-8")
        assert get("/kiosk/sw.js")[:2] == (200, "no-cache")
        assert get("/.release-secret")[0] == 403
    finally:
        server.terminate()
        server.wait(timeout=10)

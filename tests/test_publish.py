"""`invoke publish` against a real OpenSSH server on loopback with real rsync.

Two targets live on one sshd listening on 127.0.0.1 and 127.0.0.2 ("web" and "kiosk"); every
test gets fresh deployment folders. RSYNC_RSH carries the throwaway key and known_hosts, never
the port: the port comes from each target's URL.
"""

from __future__ import annotations

import getpass
import hashlib
import io
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, ROOT

from devtools import site_config
from devtools.sshd import SshServer, free_port, keygen
from newsdesk.publish import publish as run_publish
from newsdesk.publish import releases as list_releases
from newsdesk.publish import rollback as run_rollback
from newsdesk.publish import lock, targets
from newsdesk.content.numbers import size
from newsdesk.publish.remote import Remote, RemoteFailure
from newsdesk.publish.run import load_settings
from newsdesk.publish.targets import TargetError

PUBLISHCONF = ROOT / "publishconf.py"


@pytest.fixture(scope="module")
def server():
    sshd = SshServer.start(Path(tempfile.mkdtemp(prefix="newsdesk-sshd-", dir="/tmp")))
    yield sshd
    sshd.stop()


class Deployment:
    """Two deployment folders on the test server, and helpers to publish to them and read them."""

    def __init__(self, server: SshServer, site):
        self.server, self.site = server, site
        # Its own post-build cache: the runs of one test must ship the same release for the
        # same content, and a Pagefind run is not byte-for-byte repeatable, so the stored
        # index must not be pruned between them by tests running beside this one.
        self.poststeps = site.content.parent / "poststeps"
        name = secrets.token_hex(4)
        self.web = server.directory(f"{name}/web")
        self.kiosk = server.directory(f"{name}/kiosk")
        self.env = {"RSYNC_RSH": server.rsh(),
                    "PUBLISH_TARGETS": f"web={server.url(self.web)},"
                                       f"kiosk={server.url(self.kiosk, '127.0.0.2')}"}

    def targets(self, **named) -> None:
        self.env["PUBLISH_TARGETS"] = ",".join(f"{name}={url}" for name, url in named.items())

    def publish(self, env: dict | None = None, dry_run: bool = False, **settings):
        """Publish the fixture content; the run gets `.text`, everything it printed."""
        out = io.StringIO()
        overrides = {"PATH": str(self.site.content), "NEWSDESK_TODAY": FIXED_TODAY,
                     "POSTSTEPS_CACHE_DIR": str(self.poststeps), **settings}
        run = run_publish(PUBLISHCONF, overrides, environ=env or self.env, dry_run=dry_run,
                          out=out)
        run.text = out.getvalue()
        return run

    def start_publish(self, **settings) -> subprocess.Popen:
        """`publish` in a process of its own (and its own process group, so that it can be
        killed with its rsync and ssh like a publisher whose machine died)."""
        overrides = {"PATH": str(self.site.content), "NEWSDESK_TODAY": FIXED_TODAY,
                     "POSTSTEPS_CACHE_DIR": str(self.poststeps), **settings}
        return subprocess.Popen(
            [sys.executable, "-c", PUBLISHER, json.dumps(overrides),
             json.dumps(self.env)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True)

    def big_file(self, name: str, length: int) -> None:
        """Random bytes (nothing for rsync to compress) shipped as a static file."""
        path = self.site.content / "tai-lieu" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            for _ in range(0, length, 1 << 20):
                stream.write(os.urandom(min(1 << 20, length - stream.tell())))


PUBLISHER = """
import json, sys
from newsdesk.publish import publish
run = publish(overrides=json.loads(sys.argv[1]), environ=json.loads(sys.argv[2]), out=sys.stdout)
sys.exit(0 if run.ok else 1)
"""


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {seconds} s for {what}")
        time.sleep(0.05)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the publisher, its rsync and its ssh at once (its own process group)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def me() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}"


@pytest.fixture
def deployment(server, site, configured_site) -> Deployment:
    return Deployment(server, site)


def outcome(run, name):
    return next(o for o in run.outcomes if o.target.name == name)


def current(path: Path) -> str:
    """The release id `current` points at (and it must be a relative symlink into releases/)."""
    link = path / "current"
    assert link.is_symlink()
    target = os.readlink(link)
    assert target.startswith("releases/")
    return target.removeprefix("releases/")


def release_ids(path: Path) -> set[str]:
    return {p.name for p in (path / "releases").iterdir()} if (path / "releases").exists() else set()


def snapshot(tree: Path) -> dict[str, str]:
    return {p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file()}


def test_publish_updates_every_target_and_hard_links_what_did_not_change(deployment):
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    first = deployment.publish()
    assert first.ok, first.text
    release = first.release.id
    for folder in (deployment.web, deployment.kiosk):
        assert current(folder) == release
        page = folder / "current/tin-bai/bo/index.html"
        assert "Nuôi bò sinh sản" in page.read_text(encoding="utf-8")
        # The public address of data/site.toml (`invoke setup-site`), not the sample's.
        assert f'href="{site_config.PUBLIC_URL}/' in page.read_text(encoding="utf-8")
        manifest = json.loads((folder / "current/release.json").read_text(encoding="utf-8"))
        shipped = [p for p in (folder / "current").rglob("*") if p.is_file()]
        assert manifest["release"] == release
        assert manifest["files"] == len(shipped) - 1  # all but release.json itself
        assert manifest["bytes"] == sum(p.stat().st_size for p in shipped
                                        if p.name != "release.json")
        assert manifest["built_at"].endswith("+07:00")
        assert len(manifest["commit"]) == 40
    assert "web" in first.text and "kiosk" in first.text and "đã đăng bản mới" in first.text

    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản (đã sửa)")
    second = deployment.publish()
    assert second.ok, second.text
    assert second.release.id != release
    for folder in (deployment.web, deployment.kiosk):
        assert current(folder) == second.release.id
        assert release_ids(folder) == {release, second.release.id}
        old, new = folder / "releases" / release, folder / "releases" / second.release.id
        css = next((new / "theme/css").glob("site.*.css")).relative_to(new)
        assert (old / css).stat().st_ino == (new / css).stat().st_ino
        assert (new / css).stat().st_nlink >= 2
        font = Path("theme/fonts/noto-sans-regular.woff2")
        assert (old / font).stat().st_ino == (new / font).stat().st_ino
        assert (old / "index.html").stat().st_ino != (new / "index.html").stat().st_ino
        assert "(đã sửa)" in (new / "index.html").read_text(encoding="utf-8")
        assert "(đã sửa)" not in (old / "index.html").read_text(encoding="utf-8")
    assert outcome(second, "web").bytes_sent < outcome(first, "web").bytes_sent / 2


def test_identical_content_twice_makes_no_new_release_and_sends_nothing(deployment):
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    first = deployment.publish()
    assert first.ok, first.text
    page = deployment.web / "current/index.html"
    inode = page.stat().st_ino
    again = deployment.publish()
    assert again.ok, again.text
    assert again.release.id == first.release.id
    for name in ("web", "kiosk"):
        assert outcome(again, name).action == "đã ở bản này"
        assert outcome(again, name).bytes_sent == 0
    assert release_ids(deployment.web) == {first.release.id}
    assert page.stat().st_ino == inode


def test_unreachable_target_fails_alone_and_a_rerun_only_does_what_is_behind(deployment, server):
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    closed = free_port()
    deployment.targets(web=server.url(deployment.web),
                       **{"kiosk-tan-hung": server.url(deployment.kiosk, port=closed)})
    run = deployment.publish()
    assert not run.ok
    assert current(deployment.web) == run.release.id
    failed = outcome(run, "kiosk-tan-hung")
    assert failed.failure.kind == "refused"
    assert not (deployment.kiosk / "current").exists()
    assert f'Đích "kiosk-tan-hung" ({server.user}@127.0.0.1:{closed}): máy chủ 127.0.0.1 từ chối ' \
           "kết nối" in run.text
    assert "→ Kiểm tra số cổng trong địa chỉ đích" in run.text
    assert "ĐĂNG CHƯA XONG: lỗi ở 1/2 đích (kiosk-tan-hung)" in run.text

    deployment.targets(web=server.url(deployment.web),
                       **{"kiosk-tan-hung": server.url(deployment.kiosk, "127.0.0.2")})
    again = deployment.publish()
    assert again.ok, again.text
    assert outcome(again, "web").action == "đã ở bản này"
    assert outcome(again, "web").bytes_sent == 0
    assert outcome(again, "kiosk-tan-hung").action == "đã đăng bản mới"
    assert current(deployment.kiosk) == run.release.id


def test_the_command_exits_non_zero_when_a_target_failed(server, configured_site):
    """`invoke publish` itself, on the project's own sample content."""
    web = server.directory(f"{secrets.token_hex(4)}/web")
    env = {**os.environ, "RSYNC_RSH": server.rsh(),
           "PUBLISH_TARGETS": f"web={server.url(web)},tram=ssh://nobody@127.0.0.1:{free_port()}/srv/x"}
    invoke = Path(sys.executable).with_name("invoke")
    done = subprocess.run([str(invoke), "publish"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "tram" in done.stdout and "từ chối kết nối" in done.stdout
    assert (web / "current/index.html").is_file()


def test_a_transfer_killed_midway_leaves_current_serving_the_old_release(deployment, server,
                                                                         tmp_path):
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    deployment.targets(web=server.url(deployment.web))
    first = deployment.publish()
    assert first.ok, first.text
    before = snapshot(deployment.web / "releases" / first.release.id)

    for number in range(12):
        deployment.site.item(f"tin-{number}.md", title=f"Tin mới {number}",
                             body="Nội dung dài. " * 400)
    # The link drops once the transfer has begun on the target (at most 10 s in), like a
    # kiosk on a weak line.
    dying = tmp_path / "dying-ssh"
    started = shlex.quote(str(deployment.web / "releases"))
    dying.write_text("#!/bin/sh\n"
                     'case "$*" in *"rsync --server"*) ( for i in $(seq 100); do '
                     f'ls -d {started}/.incoming-* >/dev/null 2>&1 && break; sleep 0.1; done; '
                     'sleep 0.5; kill -9 $$ ) & ;; esac\n'
                     f'exec {server.rsh()} "$@"\n')
    dying.chmod(0o755)
    broken = deployment.publish({**deployment.env, "RSYNC_RSH": str(dying)},
                                PUBLISH_RSYNC_OPTIONS=["--bwlimit=20"])
    assert not broken.ok
    assert outcome(broken, "web").failure.kind == "interrupted", broken.text
    assert "bị đứt giữa chừng" in broken.text and "vẫn là bản cũ" in broken.text
    assert current(deployment.web) == first.release.id
    assert snapshot(deployment.web / "current") == before
    assert (deployment.web / "releases" / f".incoming-{broken.release.id}").is_dir()

    resumed = deployment.publish()
    assert resumed.ok, resumed.text
    assert resumed.release.id == broken.release.id
    assert current(deployment.web) == resumed.release.id
    assert release_ids(deployment.web) == {first.release.id, resumed.release.id}
    assert (deployment.web / "current/tin-bai/tin-11/index.html").is_file()


# Another process reads the served page in a tight loop while `current` is switched, as a web
# server would: every read must be a whole page, old or new, never missing.
READER = """
import json, sys, pathlib
page, stop = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
seen, errors, reads = set(), [], 0
while not stop.exists():
    try:
        text = page.read_text(encoding="utf-8")
    except OSError as error:
        errors.append(repr(error))
        continue
    reads += 1
    if not text.rstrip().endswith("</html>"):
        errors.append("partial page")
    seen.add("Bản thứ hai" in text)
print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "reads": reads}))
"""


def test_current_is_switched_in_one_step_for_a_reader(deployment, tmp_path):
    deployment.site.item("dong-no/bo.md", title="Bản thứ nhất")
    assert deployment.publish().ok
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(deployment.web / "current/index.html"),
                               str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        deployment.site.item("dong-no/bo.md", title="Bản thứ hai")
        second = deployment.publish()
    finally:
        stop.touch()
        result = json.loads(reader.communicate(timeout=30)[0])
    assert second.ok, second.text
    assert result["errors"] == []
    assert result["seen"] == [False, True] and result["reads"] > 100


def test_rollback_restores_the_previous_release_and_releases_lists_them(deployment):
    deployment.site.item("dong-no/bo.md", title="Bản thứ nhất")
    first = deployment.publish()
    deployment.site.item("dong-no/bo.md", title="Bản thứ hai")
    second = deployment.publish()
    assert first.ok and second.ok

    out = io.StringIO()
    listing = list_releases(PUBLISHCONF, target="web", environ=deployment.env, out=out)
    assert [(r.id, r.current) for r in listing["web"]] == [(second.release.id, True),
                                                           (first.release.id, False)]
    assert "← đang chạy" in out.getvalue() and first.release.id in out.getvalue()

    out = io.StringIO()
    [back] = run_rollback(PUBLISHCONF, target="web", environ=deployment.env, out=out)
    assert back.ok, out.getvalue()
    assert current(deployment.web) == first.release.id
    assert "Bản thứ nhất" in (deployment.web / "current/index.html").read_text(encoding="utf-8")
    assert current(deployment.kiosk) == second.release.id

    [further] = run_rollback(PUBLISHCONF, target="web", environ=deployment.env, out=out)
    assert not further.ok and further.failure.kind == "no-older"
    assert "không còn bản nào cũ hơn" in out.getvalue()

    [forward] = run_rollback(PUBLISHCONF, target="web", to=second.release.id,
                             environ=deployment.env, out=io.StringIO())
    assert forward.ok and current(deployment.web) == second.release.id


def test_only_the_newest_releases_are_kept(deployment, server):
    deployment.targets(web=server.url(deployment.web))
    ids = []
    for version in range(3):
        deployment.site.item("dong-no/bo.md", title=f"Phiên bản {version}")
        run = deployment.publish(PUBLISH_KEEP_RELEASES=2)
        assert run.ok, run.text
        ids.append(run.release.id)
    assert release_ids(deployment.web) == set(ids[1:])
    assert current(deployment.web) == ids[2]


def test_drafts_never_reach_a_target(deployment, server):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Tin đã duyệt")
    deployment.site.item("dong-no/nhap.md", title="Tin còn nháp bí mật", status="draft")
    deployment.site.item("dong-no/hen-gio.md", title="Tin hẹn giờ bí mật", date="2027-01-05 08:00")
    run = deployment.publish()
    assert run.ok, run.text
    shipped = deployment.web / "current"
    assert not (shipped / "ban-nhap").exists()
    everything = "".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in shipped.rglob("*") if p.is_file())
    assert "Tin đã duyệt" in everything
    assert "bí mật" not in everything and "/nhap/" not in everything
    assert "hen-gio" not in everything


@pytest.mark.parametrize("save_as, url, found", [
    ("ban-nhap/{slug}/index.html", "ban-nhap/{slug}/", "thư mục ban-nhap/ (bản nháp) có trong trang"),
    ("{type}/{slug}/index.html", "{type}/{slug}/", "được ghi ra tin-bai/nhap/index.html"),
])
def test_a_settings_mistake_that_would_ship_drafts_is_refused(deployment, server, save_as, url,
                                                              found):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Tin đã duyệt")
    deployment.site.item("dong-no/nhap.md", title="Tin còn nháp", status="draft")
    run = deployment.publish(DRAFT_SAVE_AS=save_as, DRAFT_URL=url)
    assert not run.ok and run.outcomes == []
    assert "KHÔNG ĐĂNG: bản nháp lọt vào trang sẽ đăng" in run.text
    assert found in run.text
    assert list(deployment.web.iterdir()) == []


def test_content_with_errors_deploys_nothing(deployment):
    deployment.site.item("dong-no/bo.md", title="Tin tốt")
    deployment.site.item("dong-no/sai.md", title="Tin sai xã", category="Xã Không Có")
    run = deployment.publish()
    assert not run.ok and run.outcomes == []
    assert "sai.md" in run.text and "LỖI" in run.text
    assert "KHÔNG ĐĂNG" in run.text and "Không máy nào bị thay đổi" in run.text
    assert list(deployment.web.iterdir()) == [] and list(deployment.kiosk.iterdir()) == []


def test_build_leftovers_are_not_shipped(deployment, server):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Tin có tài liệu")
    deployment.site.write("tai-lieu/so-tay.txt", "Sổ tay giảm nghèo.\n")
    deployment.site.write("tai-lieu/so-tay.txt~", "bản lưu của trình soạn thảo\n")
    deployment.site.write("tai-lieu/.DS_Store", "rác\n")
    run = deployment.publish(STATIC_PATHS=["tai-lieu"])
    assert run.ok, run.text
    shipped = deployment.web / "current/tai-lieu"
    assert sorted(p.name for p in shipped.iterdir()) == ["so-tay.txt"]
    assert "Không đăng các tệp thừa: tai-lieu/.DS_Store, tai-lieu/so-tay.txt~" in run.text


def test_dry_run_shows_what_would_change_and_changes_nothing(deployment):
    deployment.site.item("dong-no/bo.md", title="Bản thứ nhất")
    first = deployment.publish()
    deployment.site.item("dong-no/moi.md", title="Tin thêm")
    before = (release_ids(deployment.web), snapshot(deployment.web / "current"))
    run = deployment.publish(dry_run=True)
    assert run.ok, run.text
    changes = outcome(run, "web").changes
    assert any(line.startswith("<f+++++++++") and line.endswith("tin-bai/moi/index.html")
               for line in changes), changes
    assert any(line.startswith("<fc") and line.endswith(" index.html") for line in changes)
    assert not any("release.json" in line for line in changes)
    assert "── web: sẽ đăng bản mới" in run.text and "tin-bai/moi/index.html" in run.text
    assert (release_ids(deployment.web), snapshot(deployment.web / "current")) == before
    assert current(deployment.web) == first.release.id


def _publish_with_shell(deployment, rsh: str):
    return deployment.publish({**deployment.env, "RSYNC_RSH": rsh})


def test_each_failure_says_which_target_what_happened_and_what_to_do(deployment, server,
                                                                     tmp_path):
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    deployment.targets(web=server.url(deployment.web))

    stranger = tmp_path / "stranger_key"
    keygen(stranger)
    run = _publish_with_shell(deployment, server.rsh(key=stranger))
    assert outcome(run, "web").failure.kind == "auth", run.text
    assert "từ chối đăng nhập" in run.text and "authorized_keys" in run.text

    unknown = tmp_path / "empty_known_hosts"
    unknown.write_text("")
    run = _publish_with_shell(deployment, server.rsh(known_hosts=unknown))
    assert outcome(run, "web").failure.kind == "hostkey-unknown", run.text
    assert "chưa biết khóa nhận diện" in run.text and "so dấu vân tay" in run.text

    impostor = tmp_path / "impostor_key"
    impostor_key = " ".join(keygen(impostor).split()[:2])
    changed = tmp_path / "changed_known_hosts"
    changed.write_text(f"[127.0.0.1]:{server.port} {impostor_key}\n")
    run = _publish_with_shell(deployment, server.rsh(known_hosts=changed))
    assert outcome(run, "web").failure.kind == "hostkey-changed", run.text
    assert "đã đổi" in run.text and "ssh-keygen -R 127.0.0.1" in run.text

    locked = server.base / f"root-only-{secrets.token_hex(3)}"
    locked.mkdir(mode=0o755)
    small = server.mount_small_disk(f"{secrets.token_hex(3)}/small", "64k")
    deployment.targets(**{"locked": server.url(locked / "site"), "small": server.url(small)})
    run = deployment.publish()
    assert outcome(run, "locked").failure.kind == "permission", run.text
    assert f"không có quyền ghi vào thư mục {locked / 'site'}" in run.text
    assert outcome(run, "small").failure.kind == "disk-full", run.text
    assert "ổ đĩa trên máy chủ 127.0.0.1 đã đầy" in run.text
    assert not (small / "current").exists()


def test_targets_come_from_the_environment_first_and_keep_their_port():
    settings = {"PUBLISH_TARGETS": {"web": "ssh://deploy@web.example:22/srv/giam-ngheo"}}
    assert [t.name for t in targets.configured(settings, {})] == ["web"]
    env = {"PUBLISH_TARGETS": " web=ssh://u@h.example:2222/srv/a , ssh://k@kiosk-1/srv/b"}
    web, kiosk = targets.configured(settings, env)
    assert (web.name, web.user, web.host, web.port, web.path) == ("web", "u", "h.example", 2222,
                                                                  "/srv/a")
    assert (kiosk.name, kiosk.port, kiosk.path) == ("kiosk-1:/srv/b", None, "/srv/b")
    assert targets.parse_url("ssh://k@kiosk/~/site").path == "site"

    rsh = {"RSYNC_RSH": "ssh -i '/keys/my key' -o StrictHostKeyChecking=yes"}
    assert targets.remote_shell(web, rsh) == ["ssh", "-p", "2222", "-i", "/keys/my key", "-o",
                                              "StrictHostKeyChecking=yes"]
    assert targets.ssh_command(kiosk, {}, "true") == ["ssh", "-o", "BatchMode=yes", "-l", "k",
                                                      "--", "kiosk-1", "true"]
    assert shlex.split(shlex.join(targets.remote_shell(web, rsh)))[4] == "/keys/my key"

    for wrong, words in [("http://web.example/srv", "không đúng dạng"),
                         ("ssh://web.example", "thiếu thư mục"),
                         ("ssh://web.example:99999/srv", "Cổng"),
                         ("ssh://web.example:0/srv", "Cổng"),  # not ssh's default 22
                         ("web=ssh://a/x,web=ssh://b/y", "trùng tên")]:
        with pytest.raises(TargetError, match=words):
            targets.configured(settings, {"PUBLISH_TARGETS": wrong})
    with pytest.raises(TargetError, match="Chưa khai báo nơi đăng"):
        targets.configured({}, {})


@pytest.mark.parametrize("url, words", [
    ("ssh://-oProxyCommand=touch%20%2Ftmp%2Fpwned/srv", "Tên máy \"-oproxycommand="),
    ("ssh://-oProxyCommand=x@web.vn/srv", "Tên người dùng \"-oProxyCommand=x\""),
    ("ssh://%2Doops@web.vn/srv", "Tên người dùng \"-oops\""),
    ("ssh://a;id@web.vn/srv", "Tên người dùng \"a;id\""),
    ("ssh://web_vn$(id)/srv", "Tên máy"),
])
def test_a_host_or_user_ssh_could_read_as_an_option_is_refused_wherever_targets_are_read(
        url, words):
    for settings, environ in (({"PUBLISH_TARGETS": {"web": url}}, {}),  # site.toml, publishconf
                              ({}, {"PUBLISH_TARGETS": f"web={url}"})):
        with pytest.raises(TargetError, match=re.escape(words)):
            targets.configured(settings, environ)
    assert targets.parse_url("ssh://deploy_1@[fe80::1]:2222/srv").host == "fe80::1"


# One publisher at a time per target (newsdesk/publish/lock.py). A publisher made slow with
# --bwlimit keeps the lock long enough for another run to meet it.
SLOW = {"STATIC_PATHS": ["tai-lieu"], "PUBLISH_RSYNC_OPTIONS": ["--bwlimit=250"]}
LOCK_LEFTOVERS = (".publish-lock", ".publish-lock.takeover")


def test_two_publishes_at_once_leave_one_live_release_and_refuse_the_other(deployment,
                                                                           server):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    deployment.big_file("bao-cao.bin", 2_500_000)  # about 10 s at 250 kB/s
    both = [deployment.start_publish(**SLOW) for _ in range(2)]
    texts = [process.communicate(timeout=300)[0] for process in both]
    codes = sorted(process.returncode for process in both)
    assert codes == [0, 1], texts
    done, refused = sorted(texts, key=lambda text: "đích đang bận" in text)
    assert "đã đăng bản mới" in done and "Đã đăng xong trên 1/1 đích." in done
    assert f'Đích "web" ({server.user}@127.0.0.1:{server.port}): đích đang bận: {me()} ' \
           "(đăng trang, bắt đầu lúc " in refused, refused
    assert re.search(r"bắt đầu lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}\) đang giữ khóa", refused)
    assert "ĐĂNG CHƯA XONG: lỗi ở 1/1 đích (web)" in refused
    live = current(deployment.web)
    assert release_ids(deployment.web) == {live}
    shipped = deployment.web / "current"
    manifest = json.loads((shipped / "release.json").read_text(encoding="utf-8"))
    assert manifest["files"] == sum(1 for p in shipped.rglob("*") if p.is_file()) - 1
    assert (shipped / "tai-lieu/bao-cao.bin").read_bytes() == \
        (deployment.site.content / "tai-lieu/bao-cao.bin").read_bytes()
    assert not any((deployment.web / name).exists() for name in LOCK_LEFTOVERS)


def test_a_lock_left_by_a_killed_publisher_is_taken_over_once_stale(deployment, server):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    deployment.big_file("bao-cao.bin", 2_500_000)
    holder = deployment.start_publish(**SLOW)
    wait_for((deployment.web / ".publish-lock/owner").exists, 120, "the lock")
    kill_group(holder)
    assert (deployment.web / ".publish-lock").is_dir()

    # Its heartbeat is seconds old: not stale yet. The other target of the run carries on.
    both = {**deployment.env, "PUBLISH_TARGETS": f"web={server.url(deployment.web)},"
                                                 f"kiosk={server.url(deployment.kiosk)}"}
    blocked = deployment.publish(both, STATIC_PATHS=["tai-lieu"])
    assert outcome(blocked, "web").failure.kind == "busy", blocked.text
    assert f"đích đang bận: {me()} (đăng trang, bắt đầu lúc " in blocked.text
    assert "khóa tự hết hạn sau 180 giây không có tín hiệu" in blocked.text
    assert outcome(blocked, "kiosk").ok and current(deployment.kiosk) == blocked.release.id
    assert "ĐĂNG CHƯA XONG: lỗi ở 1/2 đích (web)" in blocked.text

    lock = deployment.web / ".publish-lock"
    wait_for(lambda: time.time() - lock.stat().st_mtime > 3, 30, "the heartbeat to age")
    taken = deployment.publish(STATIC_PATHS=["tai-lieu"], PUBLISH_LOCK_STALE_AFTER=2)
    assert taken.ok, taken.text
    assert f"Lưu ý (web): đã tiếp quản khóa cũ của {me()} (đăng trang, bắt đầu lúc " \
           in taken.text
    assert "không còn tín hiệu từ" in taken.text
    assert current(deployment.web) == taken.release.id
    assert sorted(p.name for p in deployment.web.iterdir()) == ["current", "releases"]
    assert release_ids(deployment.web) == {taken.release.id}


def test_a_rollback_during_a_publish_is_refused(deployment, server):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Bản thứ nhất")
    first = deployment.publish()
    assert first.ok, first.text
    deployment.site.item("dong-no/bo.md", title="Bản thứ hai")
    deployment.big_file("bao-cao.bin", 2_500_000)
    publisher = deployment.start_publish(**SLOW)
    try:
        wait_for((deployment.web / ".publish-lock/owner").exists, 120, "the lock")
        out = io.StringIO()
        [refused] = run_rollback(PUBLISHCONF, target="web", environ=deployment.env, out=out)
    finally:
        text = publisher.communicate(timeout=300)[0]
    assert not refused.ok and refused.failure.kind == "busy", out.getvalue()
    assert f"đích đang bận: {me()} (đăng trang, bắt đầu lúc " in out.getvalue()
    assert publisher.returncode == 0, text
    assert "Bản thứ hai" in (deployment.web / "current/index.html").read_text(encoding="utf-8")
    assert not (deployment.web / ".publish-lock").exists()


def test_a_real_directory_at_current_is_diagnosed_and_nothing_is_left_behind(deployment,
                                                                             server):
    deployment.targets(web=server.url(deployment.web))
    copied = deployment.web / "current"
    copied.mkdir()
    (copied / "index.html").write_text("bản chép tay", encoding="utf-8")
    deployment.site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    run = deployment.publish()
    failure = outcome(run, "web").failure
    assert failure.kind == "current-not-symlink", run.text
    assert f"{deployment.web}/current trên máy chủ 127.0.0.1 là một thư mục hay tệp thật" \
           in run.text
    assert f"mv {deployment.web}/current {deployment.web}/current.cu" in run.text
    assert sorted(p.name for p in deployment.web.iterdir()) == ["current"]
    assert [p.name for p in copied.iterdir()] == ["index.html"]
    assert (copied / "index.html").read_text(encoding="utf-8") == "bản chép tay"

    out = io.StringIO()
    [back] = run_rollback(PUBLISHCONF, target="web", environ=deployment.env, out=out)
    assert back.failure.kind == "current-not-symlink", out.getvalue()
    assert sorted(p.name for p in deployment.web.iterdir()) == ["current"]


def test_a_transfer_killed_mid_file_resumes_and_the_summary_shows_what_rsync_sent(
        deployment, server, tmp_path):
    deployment.targets(web=server.url(deployment.web))
    deployment.site.item("dong-no/bo.md", title="Video tập huấn")
    length = 60_000_000
    deployment.big_file("tap-huan.bin", length)
    publisher = deployment.start_publish(STATIC_PATHS=["tai-lieu"],
                                         PUBLISH_RSYNC_OPTIONS=["--bwlimit=6000"])
    releases = deployment.web / "releases"

    def received() -> int:  # rsync writes into a hidden temporary file beside the final name
        return sum(p.stat().st_size for p in releases.glob(".incoming-*/tai-lieu/.tap-huan.bin.*"))
    try:
        wait_for(lambda: received() > length // 4, 120, "a quarter of the file")
    finally:
        kill_group(publisher)
    # The receiving rsync on the target keeps what it got under the file's own name (--partial).
    kept = lambda: list(releases.glob(".incoming-*/tai-lieu/tap-huan.bin"))  # noqa: E731
    wait_for(lambda: kept() and not list(releases.glob(".incoming-*/tai-lieu/.tap-huan.bin.*")),
             30, "the partial file")
    partial = kept()[0].stat().st_size
    assert length // 4 < partial < length
    assert not (deployment.web / "current").exists()

    log = tmp_path / "rsync.log"
    wait_for(lambda: time.time() - (deployment.web / ".publish-lock").stat().st_mtime > 2, 30,
             "the killed publisher's lock to go stale")
    resumed = deployment.publish(STATIC_PATHS=["tai-lieu"], PUBLISH_LOCK_STALE_AFTER=1,
                                 PUBLISH_RSYNC_OPTIONS=[f"--log-file={log}"])
    assert resumed.ok, resumed.text
    assert "đã tiếp quản khóa cũ" in resumed.text
    assert (deployment.web / "current/tai-lieu/tap-huan.bin").read_bytes() == \
        (deployment.site.content / "tai-lieu/tap-huan.bin").read_bytes()
    [statistics] = re.findall(r"sent ([\d,.]+) bytes\s+received", log.read_text())
    sent_by_rsync = int(re.sub(r"\D", "", statistics))
    sent = outcome(resumed, "web").bytes_sent
    assert sent == sent_by_rsync
    assert sent < length - partial // 2
    [row] = [line for line in resumed.text.splitlines() if line.startswith("web ")]
    assert f"  {size(sent)}  " in row


def test_four_takers_of_one_stale_lock_leave_exactly_one_holder(deployment, server):
    stale = deployment.web / ".publish-lock"
    stale.mkdir()
    (stale / "token").write_text("0123456789abcdef\n")
    (stale / "owner").write_text(json.dumps({"user": "bientap", "machine": "may-cu", "pid": 1,
                                             "started": "2026-11-30T05:30:00+07:00"}) + "\n")
    for path in (stale, stale / "token", stale / "owner"):
        os.chown(path, server.uid, server.gid)
    os.utime(stale, (time.time() - 600, time.time() - 600))
    settings = {**load_settings(PUBLISHCONF), "PUBLISH_LOCK_STALE_AFTER": 60}
    remote = Remote(targets.parse_url(server.url(deployment.web), "web"), deployment.env,
                    settings)
    others_done, release = [], threading.Event()

    def take(_):
        try:
            with lock.held(remote, lock.PUBLISHING) as lease:
                release.wait(60)
                return ("held", lease.took_over)
        except RemoteFailure as error:
            others_done.append(error.failure.kind)
            if len(others_done) == 3:
                release.set()
            return None

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(take, range(4)))
    # Exactly one holder. It is usually the taker that removed the stale lock; a taker that
    # arrives just after that removal finds no lock and takes it plainly (nothing to take over).
    [(_, took_over)] = [result for result in results if result]
    if took_over is not None:
        assert took_over.describe() == \
            "bientap@may-cu (đăng trang, bắt đầu lúc 05:30 ngày 30/11/2026)"
    assert others_done == ["busy"] * 3
    assert sorted(p.name for p in deployment.web.iterdir()) == []


def test_a_page_holding_a_placeholder_is_refused_by_publish_until_it_is_filled(deployment):
    page = deployment.site.write("pages/lien-he.md", "Title: Liên hệ\nTemplate: contact\n\n"
                                 "Đường dây nóng: [CẦN ĐIỀN] số máy.\n")
    refused = deployment.publish()
    assert not refused.ok and not refused.outcomes
    assert f"{page}:4: LỖI: Nội dung bài còn chữ [CẦN ĐIỀN]." in refused.text
    assert not (deployment.web / "current").exists()
    page.write_text("Title: Liên hệ\nTemplate: contact\n\nĐường dây nóng: 1900 1234.\n",
                    encoding="utf-8")
    filled = deployment.publish()
    assert filled.ok, filled.text
    assert "1900 1234" in (deployment.web / "current/lien-he/index.html").read_text("utf-8")

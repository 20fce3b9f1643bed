"""The publish set (newsdesk/content/publish_set.py): what was saved, and not held back, is
what goes public; a draft never stops anyone's publish.

Publishes go to the tests' real sshd on loopback with real rsync, from a fresh copy of the
project kept in git and configured with `invoke setup-site`, as in the editors' guide.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, ROOT
from PIL import Image

from devtools import site_config
from devtools.project_copy import copy_project, environment
from devtools.sshd import SshServer
from newsdesk.editors import check as content_check
from newsdesk.publish import publish as run_publish

UNSAVED = "Câu này sửa xong nhưng chưa lưu ở Đồng Nơ."
PUBLISHED_ITEM = "content/dong-no/mo-hinh-nuoi-bo-sinh-san.md"


@pytest.fixture(scope="module")
def server():
    sshd = SshServer.start(Path(tempfile.mkdtemp(prefix="newsdesk-sshd-", dir="/tmp")))
    yield sshd
    sshd.stop()


class Office:
    """A fresh copy of the project in git, configured by `invoke setup-site`, publishing to a
    folder of the test's sshd."""

    def __init__(self, home: Path, server: SshServer):
        self.project = copy_project(home / "newsdesk")
        self.web = server.directory(f"{home.name}/web")
        self.env = environment(home, RSYNC_RSH=server.rsh())
        office = site_config.OFFICE
        self.run("invoke setup-site --public-url {} --phone '{}' --email {} --hours '{}' "
                 "--targets web={}".format(site_config.PUBLIC_URL, office["phone"],
                                           office["email"], office["hours"], server.url(self.web)))

    def run(self, command: str, code: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(["bash", "-c", command], cwd=self.project, env=self.env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == code, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr
        return done

    def live_text(self) -> str:
        """Every text file of the live release, joined."""
        live = (self.web / "current").resolve()
        return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in sorted(live.rglob("*")) if p.is_file()
                         and p.suffix in (".html", ".xml", ".json", ".txt", ".js", ".ics"))


def new_draft(office: Office) -> Path:
    """`invoke new` as a writer starts an item, marked draft, left unfinished."""
    office.run('invoke new "Bài nháp chưa xong ở Đồng Nơ" --type tin-bai --commune "Đồng Nơ"')
    path = next((office.project / "content/dong-no").glob("bai-nhap-chua-xong*.md"))
    text = path.read_text(encoding="utf-8")
    assert "[CẦN ĐIỀN]" in text
    path.write_text(text.replace("\n\n", "\nStatus: draft\n\n", 1), encoding="utf-8")
    return path


def test_publish_sends_what_was_saved_and_a_saved_unfinished_draft_never_blocks(tmp_path,
                                                                                 server):
    office = Office(tmp_path, server)
    draft = new_draft(office)
    office.run('invoke save "Bài nháp Đồng Nơ, còn dở"')
    item = office.project / PUBLISHED_ITEM
    text = item.read_text(encoding="utf-8")
    item.write_text(text.rstrip("\n") + f"\n\n{UNSAVED}\n", encoding="utf-8")

    checked = office.run("invoke check")  # the draft's placeholders are notes: exit 0
    assert f"Chưa lưu — không đăng (1 tệp; lưu bằng invoke save \"lời nhắn\"):\n" \
           f"  - {PUBLISHED_ITEM}" in checked.stdout
    assert "GHI CHÚ: Nội dung bài còn chữ [CẦN ĐIỀN]." in checked.stdout

    done = office.run("invoke publish")
    assert "Chưa lưu — không đăng" in done.stdout
    assert f"  - {PUBLISHED_ITEM}" in done.stdout
    assert "commit" not in done.stdout.lower()
    assert f"{draft.relative_to(office.project)}:" in done.stdout  # its notes, for its writer
    live = office.live_text()
    assert "Bài nháp chưa xong" not in live and "[CẦN ĐIỀN]" not in live
    assert not (office.web / "current/ban-nhap").exists()
    assert UNSAVED not in live
    assert "Mô hình nuôi bò sinh sản giúp hộ nghèo" in live  # the saved item itself is live

    office.run('invoke save "Thêm một câu cho tin Đồng Nơ"')
    done = office.run("invoke publish")
    assert "Chưa lưu" not in done.stdout
    assert UNSAVED in office.live_text()


def test_the_same_unfinished_item_without_status_draft_stops_publish_at_its_line(tmp_path,
                                                                                  server):
    office = Office(tmp_path, server)
    office.run('invoke new "Bài chưa xong ở Đồng Nơ" --type tin-bai --commune "Đồng Nơ"')
    office.run('invoke save "Bài chưa xong"')
    path = next((office.project / "content/dong-no").glob("bai-chua-xong*.md"))
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("[CẦN ĐIỀN]"))
    done = office.run("invoke publish", code=1)
    relative = path.relative_to(office.project)
    assert f"{relative}:{line}: LỖI: Nội dung bài còn chữ [CẦN ĐIỀN]." in done.stdout
    assert "KHÔNG ĐĂNG" in done.stdout
    assert not (office.web / "current").exists()


def picture(path: Path, color: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), color).save(path)


def test_nothing_of_a_draft_a_scheduled_or_a_withdrawn_item_is_in_the_release(
        site, configured_site, server):
    """Not in git: the working files are published (one line says so), held-back items
    still leave nothing of theirs (pages, attachments, images and their derivatives, radio
    audio and scripts); a file a published item also uses is published."""
    folder = site.content / "dong-no"
    held_back = {"nhap": {"status": "draft"}, "hen-ngay": {"date": "2027-01-05 08:00"},
                 "da-go": {"status": "withdrawn"}}
    for name, fields in held_back.items():
        picture(folder / f"bia-{name}.jpg", "red")
        (folder / f"tep-{name}.txt").write_text(f"tệp riêng của {name}", encoding="utf-8")
        site.item(f"dong-no/{name}.md", title=f"Bài {name}", image=f"bia-{name}.jpg",
                  alt="Ảnh bìa", body=f"Xem [tệp riêng](tep-{name}.txt) và "
                                      "[tệp chung](tep-chung.txt).\n\n"
                                      f"![Ảnh trong bài](anh-{name}.jpg)", **fields)
        picture(folder / f"anh-{name}.jpg", "blue")
    sound = (ROOT / "content/dong-no/mo-hinh-nuoi-bo-sinh-san.ogg").read_bytes()
    for name, fields in (("am-nhap", {"status": "draft"}), ("am-hen", {"date": "2027-01-05"})):
        held_back[name] = fields
        (folder / f"tep-{name}.ogg").write_bytes(sound)
        site.item(f"dong-no/{name}.md", title=f"Bài {name}", type="truyen-thanh",
                  audio=f"tep-{name}.ogg", **fields)
    (folder / "tep-chung.txt").write_text("tệp chung", encoding="utf-8")
    site.item("dong-no/da-dang.md", title="Bài đã đăng",
              body="Xem [tệp chung](tep-chung.txt) và [bài nháp]({filename}nhap.md).")
    web = server.directory(f"{site.root.name}/web")
    out = io.StringIO()
    run = run_publish(ROOT / "publishconf.py",
                      {"PATH": str(site.content), "NEWSDESK_TODAY": FIXED_TODAY,
                       "POSTSTEPS_CACHE_DIR": str(site.root / "poststeps")},
                      environ={"RSYNC_RSH": server.rsh(),
                               "PUBLISH_TARGETS": f"web={server.url(web)}"}, out=out)
    text = out.getvalue()
    assert run.ok, text
    live = (web / "current").resolve()
    names = [p.relative_to(live).as_posix() for p in live.rglob("*")]
    for name in held_back:
        assert not [n for n in names if f"tep-{name}" in n or f"bia-{name}" in n
                    or f"anh-{name}" in n], names
    assert not [n for n in names for name in held_back if name != "da-go"
                and any(part.startswith(name) for part in n.split("/"))]  # pages, scripts
    assert "dong-no/tep-chung.txt" in names
    assert (live / "tin-bai/da-go/index.html").is_file()  # the withdrawal notice stays
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                           for p in live.rglob("*") if p.suffix in (".html", ".xml", ".json"))
    assert not [name for name in held_back if f"Bài {name}" in everything]
    page = (live / "tin-bai/da-dang/index.html").read_text(encoding="utf-8")
    assert "bài nháp</a>" not in page and "Xem <a" in page  # the shared link stays
    assert ("da-dang.md:5: CẢNH BÁO: Liên kết tới bài chưa đăng (bản nháp): "
            "\"{filename}nhap.md\".") in text
    assert "không có bản đã lưu (kho git): đăng các tệp hiện có" in text


def test_the_publish_set_lists_saved_items_with_their_state_and_the_unsaved_files(tmp_path):
    project = copy_project(tmp_path / "newsdesk")
    folder = project / "content/dong-no"
    (folder / "nhap.md").write_text("Title: Nháp\nDate: 2023-11-20 08:00\nCategory: Đồng Nơ\n"
                                    "Status: draft\n\n[CẦN ĐIỀN]\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "nháp"], check=True)
    (folder / "moi.md").write_text("Title: Mới\n", encoding="utf-8")
    (project / PUBLISHED_ITEM).write_text("Title: hỏng\n", encoding="utf-8")
    (folder / "cu.md.bak").write_text("bản cũ", encoding="utf-8")

    from newsdesk.content import publish_set  # (imported here: the file runs on old code)

    found = publish_set.publish_set(project, project / "pelicanconf.py",
                                    today=dt.date(2026, 11, 26))
    states = {entry.path: entry.state for entry in found.entries}
    assert states["content/dong-no/nhap.md"] == "draft"
    assert "content/dong-no/moi.md" not in states  # not saved: not in the set
    assert states[PUBLISHED_ITEM] == "published"  # as saved, not as spoiled
    assert PUBLISHED_ITEM in found and "content/dong-no/nhap.md" not in found
    assert found.saved.unsaved == (PUBLISHED_ITEM, "content/dong-no/moi.md")
    assert [e.path for e in found.held_back] == ["content/dong-no/nhap.md"]


UNFINISHED_DRAFT = """\
Title: Bài nháp ở Đồng Nơ
Date: 20/11/2026 08:00
Category: Đồng Nơ
Status: draft
Summary: [CẦN ĐIỀN] Một đến hai câu giới thiệu bài.

[CẦN ĐIỀN] Viết nội dung bài ở đây.
"""


def test_a_draft_never_stops_a_build_and_the_preview_shows_it_marked(site):
    site.item("dong-no/da-xong.md", title="Tin đã xong")
    site.write("dong-no/nhap.md", UNFINISHED_DRAFT)
    site.write("dong-no/nhap-sai-xa.md", UNFINISHED_DRAFT.replace("Category: Đồng Nơ",
                                                                  "Category: Xã Không Có"))
    preview = site.build()
    assert preview.result.ok, preview.result.report.format()
    notes = {(Path(p.path).name, p.line, p.severity) for p in preview.result.report.problems}
    assert {("nhap.md", 5, "notice"), ("nhap.md", 7, "notice"),
            ("nhap-sai-xa.md", 3, "notice")} <= notes
    notice = preview.html("ban-nhap/nhap/").select_one(".hq-notice")
    assert notice and "Bản nháp" in notice.get_text()
    assert not preview.exists("ban-nhap/nhap-sai-xa/index.html")  # only notes until fixed
    public = site.build(output=site.root / "public", DRAFT_SAVE_AS="", DRAFT_URL="")
    assert public.result.ok
    assert not list(public.output.resolve().rglob("*nhap*"))
    assert "Bài nháp" not in "".join(p.read_text(encoding="utf-8", errors="replace")
                                     for p in public.output.resolve().rglob("*.html"))


def test_once_its_status_leaves_draft_every_rule_applies_again(site):
    site.item("dong-no/da-xong.md", title="Tin đã xong")
    site.write("dong-no/nhap.md", UNFINISHED_DRAFT.replace("Status: draft\n", ""))
    built = site.build()
    assert not built.result.ok
    errors = {(Path(p.path).name, p.line, p.message) for p in built.result.report.errors}
    assert ("nhap.md", 6, "Nội dung bài còn chữ [CẦN ĐIỀN].") in errors


def test_a_draft_copy_of_a_published_item_sharing_its_id_blocks_nothing(site):
    site.item("dong-no/da-xong.md", title="Tin đã xong", id="tin-dong-no-01")
    site.item("dong-no/sua-lai.md", title="Tin đã xong, đang sửa lại", id="tin-dong-no-01",
              status="draft")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    assert built.exists("ban-nhap/sua-lai/index.html")
    checked = content_check.check(overrides={"PATH": str(site.content),
                                             "NEWSDESK_TODAY": FIXED_TODAY})
    assert checked.ok, checked.report.format()


def test_a_repository_where_content_was_never_saved_publishes_nothing(tmp_path):
    project = copy_project(tmp_path / "newsdesk")
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "rm", "-rq", "--cached", "content"], check=True)
    subprocess.run([*git, "commit", "-qm", "bỏ content"], check=True)
    done = subprocess.run(["bash", "-c", "invoke publish --dry-run"], cwd=project,
                          env=environment(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "KHÔNG ĐĂNG: thư mục content/ chưa được lưu lần nào." in done.stdout
    assert "Chưa lưu — không đăng" in done.stdout

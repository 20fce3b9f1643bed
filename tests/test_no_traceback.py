"""No traceback ever reaches an editor: each mistake that once crashed a task is told in
Vietnamese, says what to do, and the real `invoke` exits non-zero (issue 10)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from devtools import ROOT
from newsdesk.editors import check as content_check
from newsdesk.content import vocabulary
from newsdesk.editors import newitem
from newsdesk.site import preview
from newsdesk.site.build import build

CORPUS = ROOT / "tests" / "malformed" / "content"
TODAY = "2026-11-26"
ITEM = "Title: Tin thử\nDate: 20/11/2026 08:00\nCategory: Đồng Nơ\n"


def invoke(*args: str, env: dict | None = None, wrapper: list[str] | None = None):
    """The real command, as an editor types it; fails the test on any traceback."""
    run = subprocess.run([*(wrapper or []), sys.executable, "-m", "invoke", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, **(env or {})})
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode != 0
    return run.stdout + run.stderr


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    (folder / "pages").mkdir(parents=True)
    return folder


def test_a_date_with_an_impossible_offset_is_told_by_check_its_json_and_the_build(content):
    shutil.copyfile(CORPUS / "ngay-mui-gio-sai.md", content / "tin.md")
    message = ("\"2024-03-01T08:00+99:99\" có múi giờ \"+99:99\" không có thật (giờ lệch phải "
               "nhỏ hơn 24:00).")
    shown = f"{content}/tin.md:2: LỖI: {message}"
    assert shown in invoke("check", "--content", str(content), "--today", TODAY)
    problems = json.loads(invoke("check", "--json", "--content", str(content), "--today", TODAY))
    assert [(p["line"], p["message"]) for p in problems] == [(2, message)]
    assert shown in invoke("build", "--content", str(content), "--today", TODAY,
                           "--output", str(content.parent / "output"))


@pytest.mark.parametrize("task", ["check", "build"])
def test_a_mistyped_today_names_the_option_and_its_format(task, content):
    output = invoke(task, "--content", str(content), "--today", "hôm-qua",
                    *(["--output", str(content.parent / "output")] if task == "build" else []))
    assert ("--today: LỖI: Ngày \"hôm-qua\" của tùy chọn --today (hoặc biến NEWSDESK_TODAY) "
            "không đúng dạng.\n    → Viết ngày dạng YYYY-MM-DD") in output
    assert "quản trị" not in output  # not the editor's cue to call the administrator
    assert not (content.parent / "output").exists()


def test_a_mistyped_today_is_in_the_json_report(content):
    problems = json.loads(invoke("check", "--json", "--content", str(content),
                                 "--today", "31/02/2026"))
    assert [(p["path"], p["severity"]) for p in problems] == [("--today", "error")]


def test_a_malformed_publish_target_names_the_variable_and_the_value():
    output = invoke("publish", "--dry-run", env={"PUBLISH_TARGETS": "web=ssh://[::1/x"})
    assert "Biến môi trường PUBLISH_TARGETS, mục \"web=ssh://[::1/x\"" in output
    assert "ngoặc vuông" in output


def test_the_desk_on_a_busy_port_says_so_and_which_port():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        output = invoke("desk", "--port", str(port),
                        env={"NEWSDESK_DESK_DB": "/tmp/newsdesk-test-busy-port/desk.sqlite3"})
    assert f"Cổng {port} đang bận" in output


def test_desk_settings_and_store_mistakes_are_said_in_vietnamese(tmp_path):
    output = invoke("desk", env={"NEWSDESK_DESK_LOGIN_LIMIT": "năm"})
    assert "Cài đặt NEWSDESK_DESK_LOGIN_LIMIT = \"năm\" viết sai: phải là một số nguyên dương" in (
        output)
    (tmp_path / "tep").write_text("", encoding="utf-8")
    output = invoke("add-editor", "--user", "lan", "--role", "huyen",
                    env={"NEWSDESK_DESK_DB": str(tmp_path / "tep" / "desk.sqlite3")})
    assert "Không mở được tệp dữ liệu của bàn biên tập" in output


def test_a_500_character_title_is_refused_and_writes_nothing():
    before = sorted((ROOT / "content").rglob("*"))
    output = invoke("new", "Hộ nghèo Đồng Nơ thoát nghèo nhờ nuôi bò " * 13)
    assert "Tiêu đề dài 532 ký tự, quá giới hạn 250 ký tự." in output
    assert sorted((ROOT / "content").rglob("*")) == before


def test_a_long_title_gets_a_short_file_name_cut_at_a_word(tmp_path):
    title = ("Huyện Hớn Quản tổng kết chương trình mục tiêu quốc gia giảm nghèo bền vững giai "
             "đoạn 2021–2025 và triển khai kế hoạch hỗ trợ sinh kế cho hộ nghèo, hộ cận nghèo "
             "tại các xã Đồng Nơ, Minh Đức, Tân Hiệp năm 2026")
    path = newitem.create(title, "", "Đồng Nơ", content_root=tmp_path, vocab=vocabulary.load())
    assert len(path.stem) <= newitem.MAX_SLUG_LENGTH
    assert path.stem == ("huyen-hon-quan-tong-ket-chuong-trinh-muc-tieu-quoc-gia-giam-ngheo-"
                         "ben-vung-giai")
    assert f"Title: {title}\n" in path.read_text(encoding="utf-8")


def test_check_fix_reports_a_read_only_file_and_still_fixes_the_others(content):
    locked, free = content / "khoa.md", content / "mo.md"
    for path in (locked, free):  # no ID line: --fix adds one
        path.write_text(ITEM + "\nNội dung.\n", encoding="utf-8")
    # Tests run as root, and chmod does not stop root: a read-only bind mount does (EROFS),
    # in a mount namespace of its own so that nothing outside this command sees it.
    mount = f"mount --bind -o ro {shlex.quote(str(locked))} {shlex.quote(str(locked))}"
    wrapper = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
               f'{mount} && exec "$@"', "sh"]
    output = invoke("check", "--fix", "--content", str(content), "--today", TODAY,
                    wrapper=wrapper)
    assert f"{content}/khoa.md: LỖI: Không sửa được tệp: tệp chỉ cho đọc, không cho ghi." in output
    assert "→ Bỏ thuộc tính chỉ đọc của tệp" in output
    assert f"Đã sửa {content}/mo.md" in output
    assert "ID: " in free.read_text(encoding="utf-8")
    assert locked.read_text(encoding="utf-8") == ITEM + "\nNội dung.\n"
    assert sorted(p.name for p in content.iterdir()) == ["khoa.md", "mo.md", "mo.md.bak", "pages"]


def _oversized(content: Path, megabytes: int) -> Path:
    path = content / "qua-lon.md"
    line = "Hộ nghèo ở xã Đồng Nơ đã vươn lên thoát nghèo nhờ nuôi bò.\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(ITEM + "ID: qua-lon-01\n\n")
        handle.write(line * (megabytes * 1024 * 1024 // len(line.encode()) + 1))
    return path


def test_a_20_mb_markdown_file_is_refused_before_parsing_by_build_and_check(content):
    _oversized(content, 20)
    message = (f"{content}/qua-lon.md:1: LỖI: Tệp quá lớn: 20 MB, giới hạn là 2 MB; "
               "tệp không được đọc.")
    assert message in invoke("check", "--content", str(content), "--today", TODAY)
    assert message in invoke("build", "--content", str(content), "--today", TODAY,
                             "--output", str(content.parent / "output"))


def test_the_size_limit_is_a_setting(content):
    path = _oversized(content, 1)
    overrides = {"PATH": str(content), "NEWSDESK_TODAY": TODAY,
                 "NEWSDESK_MAX_ITEM_BYTES": 512 * 1024}
    checked = content_check.check(overrides=overrides)
    built = build(ROOT / "pelicanconf.py", content.parent / "output", overrides)
    for report in (checked.report, built.report):
        assert [(p.path, p.line, p.message) for p in report.problems] == [
            (str(path), 1, "Tệp quá lớn: 1 MB, giới hạn là 512 kB; tệp không được đọc.")]
    del overrides["NEWSDESK_MAX_ITEM_BYTES"]  # the default, 2 MB, lets it through
    assert content_check.check(overrides=overrides).ok


@pytest.mark.parametrize("section", ["nguon-tin", "media", "chu-de", "video"])
def test_a_page_may_not_take_a_section_of_the_site_as_its_slug(section, content):
    (content / "pages" / "gioi-thieu.md").write_text(
        f"Title: Giới thiệu\nSlug: {section}\n\nNội dung.\n", encoding="utf-8")
    overrides = {"PATH": str(content), "NEWSDESK_TODAY": TODAY}
    checked = content_check.check(overrides=overrides)
    built = build(ROOT / "pelicanconf.py", content.parent / "output", overrides)
    for report in (checked.report, built.report):
        assert [(p.line, p.message) for p in report.problems] == [
            (2, f"Đường dẫn \"{section}\" trùng với một mục của trang web (/{section}/).")]


def test_pages_with_and_without_an_order_line_are_listed_numbered_first(site):
    site.write("pages/lien-he.md", "Title: Liên hệ\n\nNội dung.\n")
    site.write("pages/gioi-thieu.md", "Title: Giới thiệu\nOrder: 2\n\nNội dung.\n")
    site.write("pages/huong-dan.md", "Title: Hướng dẫn\nOrder: 10\n\nNội dung.\n")
    site.item("dong-no/tin.md")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    footer = built.html("index.html").select("footer a[href]")
    titles = [a.get_text(strip=True) for a in footer]
    pages = [t for t in titles if t in ("Liên hệ", "Giới thiệu", "Hướng dẫn")]
    assert pages == ["Giới thiệu", "Hướng dẫn", "Liên hệ"]


# -- a vocabulary of the wrong types (issue 28, item 13): what every task reads it through ----
REAL_VOCABULARY = vocabulary.DEFAULT_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, told", [
    ("[district]\nname", 'district = "x"\n[district-cu]\nname', "khóa district: phải là"),
    ("[[communes]]", "[[xa-cu]]", None),  # then communes = ["a", 5], below
    ('aliases = ["TT Tân Khai", "TT. Tân Khai"]', 'aliases = "TT Tân Khai"', "khóa aliases"),
    ('key = "tin-bai"\n', "", "[[types]] thứ 1: thiếu khóa key"),
    ('slug = "dong-no"', 'slug = "dong-no"\nflags = "abc"', "khóa flags: phải là"),
    ('name = "An Phú"', "name = 5", "khóa name: phải là một dòng chữ"),
    ('key = "tin-bai"', 'key = "pagefind"', "trùng tên thư mục riêng của trang web"),
], ids=["district", "communes", "aliases", "type-key", "flags", "name", "folder"])
def test_a_vocabulary_of_the_wrong_types_is_told_by_build_check_and_report(content, old, new,
                                                                             told):
    from newsdesk.editors import report

    text = REAL_VOCABULARY.replace(old, new, 1 if told else -1)
    if told is None:
        text = text.replace("[district]", 'communes = ["a", 5]\n[district]', 1)
        told = "[[communes]] thứ 2: phải là một khối [[communes]], đang là một số (5)."
    path = content.parent / "vocabulary.toml"
    path.write_text(text, encoding="utf-8")
    (content / "tin.md").write_text(ITEM + "\nNội dung.\n", encoding="utf-8")
    overrides = {"PATH": str(content), "NEWSDESK_TODAY": TODAY, "VOCABULARY_PATH": str(path)}
    built = build(ROOT / "pelicanconf.py", content.parent / "output", overrides)
    checked = content_check.check(overrides=overrides)
    for result in (built, checked):
        assert not result.ok
        assert any(told in p.message and p.line > 0 for p in result.report.errors), \
            result.report.format()
    with pytest.raises(report.ReportError, match=re.escape(told)):
        report.plan_progress(overrides=overrides)
    if "thư mục riêng" not in told:  # the site's folders are known from its settings only
        with pytest.raises(vocabulary.VocabularyError, match=re.escape(told)):
            vocabulary.load(path)  # as `invoke new` reads it


@pytest.mark.parametrize("task", ["serve", "livereload"])
@pytest.mark.parametrize("port", ["abc", "70000", "-1", "0"])
def test_a_port_that_is_no_port_is_told_before_anything_runs(task, port):
    assert (f"Cổng \"{port}\" không dùng được: cổng là một số từ 1 đến 65535, ví dụ --port "
            "8001.") in invoke(task, f"--port={port}")


def test_each_bind_error_is_told_as_what_it_is():
    port = str(preview.free_port())
    assert ("Không có máy nào tên \"khong-co.invalid\" (tùy chọn --host)"
            in invoke("serve", "--host", "khong-co.invalid", "--port", port))
    assert ("Địa chỉ 192.0.2.1 (tùy chọn --host) không phải của máy này"
            in invoke("serve", "--host", "192.0.2.1", "--port", port))
    # Tests run as root, who may listen anywhere: an ordinary user may not below 1024.
    as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    assert "Máy không cho dùng cổng 80: các cổng dưới 1024 chỉ dành cho quản trị hệ thống" in \
        invoke("serve", "--port", "80", wrapper=as_user, env={"HOME": "/tmp"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        assert f"Cổng {busy} đang bận" in invoke("livereload", "--port", str(busy))


TOO_LONG = "/tmp/" + "rat-dai-" * 40


@pytest.mark.parametrize("args", [("build", "--content", TOO_LONG),
                                  ("build", "--output", TOO_LONG),
                                  ("check", "--content", TOO_LONG),
                                  ("report", "--content", TOO_LONG)],
                         ids=lambda args: f"{args[0]} {args[1]}")
def test_a_folder_path_longer_than_the_system_allows_is_told(args):
    assert (f"{args[1]}: đường dẫn \"{TOO_LONG[:50]}…\" dài {len(TOO_LONG)} ký tự, quá mức "
            "máy cho phép. Chọn thư mục có đường dẫn ngắn hơn.") in invoke(*args)


@pytest.mark.parametrize("task", ["history", "undo"])
def test_history_and_undo_tell_a_long_name_a_folder_and_a_file_outside_content_and_data(task):
    assert "dài quá mức máy cho phép" in invoke(task, "content/" + "rat-dai-" * 40 + ".md")
    assert "content là một thư mục: hãy ghi tên một tệp trong đó" in invoke(task, "content")
    assert "tasks.py không nằm trong content/ hay data/" in invoke(task, "tasks.py")


def test_setup_site_refuses_a_target_host_that_ssh_would_read_as_an_option(tmp_path):
    site_file = tmp_path / "site.toml"
    output = invoke("setup-site", "--public-url", "https://giamngheo.honquan.gov.vn",
                    "--phone", "0271 3645 123", "--email", "vhtt@honquan.gov.vn",
                    "--hours", "7:00–17:00",
                    "--targets", "web=ssh://-oProxyCommand=id/srv/giam-ngheo",
                    env={"NEWSDESK_SITE_DATA": str(site_file)})
    assert "Tên máy \"-oproxycommand=id\" trong địa chỉ" in output
    assert not site_file.exists()


def test_a_list_nested_300_deep_is_told_by_check_its_json_report_and_the_build(content):
    shutil.copyfile(CORPUS / "danh-sach-long-300-muc.md", content / "tin.md")
    message = ("Nội dung bài lồng nhau quá sâu (danh sách hoặc trích dẫn lồng quá nhiều mức) "
               "từ dòng này.")
    shown = f"{content}/tin.md:305: LỖI: {message}"
    where = ("--content", str(content), "--today", TODAY)
    assert shown in invoke("check", *where)
    problems = json.loads(invoke("check", "--json", *where))
    assert [(p["line"], p["message"]) for p in problems] == [(305, message)]
    assert shown in invoke("report", *where)
    assert shown in invoke("build", *where, "--output", str(content.parent / "output"))


def test_a_fifo_named_md_in_content_is_told_not_waited_on_by_check_and_the_build(content):
    (content / "tin.md").write_text(ITEM + "\nNội dung.\n", encoding="utf-8")
    os.mkfifo(content / "ong-dan.md")
    shown = (f"{content}/ong-dan.md: LỖI: Đây không phải một tệp văn bản thường (mà là ống dẫn "
             "FIFO, tệp thiết bị hay ổ cắm): tệp không được đọc.")
    where = ("--content", str(content), "--today", TODAY)
    assert shown in invoke("check", *where)
    assert shown in invoke("build", *where, "--output", str(content.parent / "output"))

"""`invoke save`, `invoke history`, `invoke undo` on a real temporary git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from newsdesk.editors import history
from newsdesk.editors.history import HistoryError


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project folder under git with one saved item, the shell standing in it."""
    root = tmp_path / "giam-ngheo"
    (root / "content" / "dong-no").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "content" / "dong-no" / "trao-bo.md").write_text("Title: Trao bò\n\nBản đầu.\n",
                                                             encoding="utf-8")
    (root / "data" / "site.toml").write_text("[site]\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    history.save("Bản đầu tiên", root)
    return root


def item(root: Path) -> Path:
    return root / "content" / "dong-no" / "trao-bo.md"


def test_save_records_content_and_photos_with_the_message_and_history_lists_them(project):
    item(project).write_text("Title: Trao bò\n\nBản hai.\n", encoding="utf-8")
    (project / "content" / "dong-no" / "anh.jpg").write_bytes(b"\xff\xd8 not really")
    (project / "ghi-chu.txt").write_text("ngoài content/ và data/", encoding="utf-8")
    version = history.save("Sửa tin trao bò, thêm ảnh", project)
    shown = subprocess.run(["git", "-C", str(project), "show", "--name-only", "--format=%s",
                            version], capture_output=True, text=True, check=True).stdout
    assert shown.split("\n")[0] == "Sửa tin trao bò, thêm ảnh"
    assert "content/dong-no/anh.jpg" in shown and "content/dong-no/trao-bo.md" in shown
    assert "ghi-chu.txt" not in shown
    versions = history.history("content/dong-no/trao-bo.md", project)
    assert [v.message for v in versions] == ["Sửa tin trao bò, thêm ảnh", "Bản đầu tiên"]
    assert versions[0].id == version and versions[0].when.count("/") == 2


def test_nothing_to_save_is_no_mistake_and_invoke_save_says_so_calmly(project):
    assert history.save("Lưu lại", project) is None
    done = subprocess.run([str(Path(sys.executable).with_name("invoke")), "save", "Lưu lại"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "GIT_DIR": str(project / ".git"),
                               "GIT_WORK_TREE": str(project)})
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("Không có gì mới để lưu: các tệp trong content/ và data/ đều đã "
                           "được lưu.\n")


def test_no_message_is_said_in_vietnamese(project):
    with pytest.raises(HistoryError, match="Thiếu lời nhắn"):
        history.save("  ", project)


def test_undo_brings_back_the_last_save_or_an_older_one_keeping_a_backup(project):
    first = history.history("content/dong-no/trao-bo.md", project)[0].id
    item(project).write_text("Title: Trao bò\n\nBản hai.\n", encoding="utf-8")
    history.save("Bản hai", project)
    item(project).write_text("Title: Trao bò\n\nLỡ tay xóa hết.\n", encoding="utf-8")
    backup = history.undo("content/dong-no/trao-bo.md", root=project)
    assert "Bản hai." in item(project).read_text(encoding="utf-8")
    assert "Lỡ tay xóa hết." in backup.read_text(encoding="utf-8")
    history.undo("content/dong-no/trao-bo.md", to=first, root=project)
    assert "Bản đầu." in item(project).read_text(encoding="utf-8")
    history.save("Quay về bản đầu", project)  # the .bak is never saved
    assert not any(".bak" in line for line in subprocess.run(
        ["git", "-C", str(project), "ls-files"], capture_output=True, text=True).stdout.split())
    item(project).unlink()  # a file deleted by mistake comes back too
    assert history.undo("content/dong-no/trao-bo.md", root=project) is None
    assert item(project).is_file()


def test_unknown_files_versions_and_unchanged_files_are_explained(project):
    with pytest.raises(HistoryError, match="Không có tệp content/dong-no/khong-co.md"):
        history.history("content/dong-no/khong-co.md", project)
    (project / "content" / "moi.md").write_text("Title: Mới\n", encoding="utf-8")
    with pytest.raises(HistoryError, match="chưa được lưu lần nào"):
        history.history("content/moi.md", project)
    with pytest.raises(HistoryError, match="chưa được lưu lần nào nên không có bản cũ"):
        history.undo("content/moi.md", root=project)
    with pytest.raises(HistoryError, match="không có thay đổi nào"):
        history.undo("content/dong-no/trao-bo.md", root=project)
    with pytest.raises(HistoryError, match="Không có bản lưu mã \"abc1234\""):
        history.undo("content/dong-no/trao-bo.md", to="abc1234", root=project)
    with pytest.raises(HistoryError, match="/etc/hostname không nằm trong content/ hay data/"):
        history.history("/etc/hostname", project)


@pytest.mark.parametrize("command", [history.history, history.undo])
def test_history_and_undo_are_for_files_of_content_and_data_only(project, command):
    (project / "tasks.py").write_text("print('mã nguồn')\n", encoding="utf-8")
    history.save("Lưu", project)
    subprocess.run(["git", "-C", str(project), "add", "tasks.py"], check=True)
    subprocess.run(["git", "-C", str(project), "-c", "user.name=a", "-c", "user.email=a@b",
                    "commit", "-qm", "mã nguồn"], check=True)
    with pytest.raises(HistoryError, match="^tasks.py không nằm trong content/ hay data/"):
        command("tasks.py", root=project)
    with pytest.raises(HistoryError, match="^content là một thư mục: hãy ghi tên một tệp"):
        command("content", root=project)
    with pytest.raises(HistoryError, match="dài quá mức máy cho phép"):
        command("content/" + "a" * 300 + ".md", root=project)


def test_history_shows_vietnam_time_whatever_the_machine_s(project, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T23:30:00+00:00")
    item(project).write_text("Title: Trao bò\n\nBản hai.\n", encoding="utf-8")
    history.save("Bản hai", project)
    assert history.history("content/dong-no/trao-bo.md", project)[0].when == "21/11/2026 06:30"


def test_a_folder_that_is_not_a_repository_is_explained(tmp_path):
    (tmp_path / "content").mkdir()
    with pytest.raises(HistoryError, match="chưa là kho lưu lịch sử"):
        history.save("Lưu", tmp_path)


def test_a_machine_without_git_gets_the_install_command_not_a_traceback(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run([str(Path(sys.executable).with_name("invoke")), "save", "Lưu"],
                          cwd=ROOT, env={**os.environ, "PATH": str(empty)},
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 1
    assert "Máy chưa cài git" in done.stderr and "sudo apt install git" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_save_of_named_files_commits_only_them_with_the_author_given(project):
    item(project).write_text("Title: Trao bò\n\nBản của bàn biên tập.\n", encoding="utf-8")
    other = project / "content" / "dong-no" / "dang-viet.md"
    other.write_text("Title: Đang viết dở\n\nChưa xong.\n", encoding="utf-8")
    history.save("Lưu nháp: Trao bò", project, author="Lan <lan@ban-bien-tap>",
                 only=(item(project),))
    shown = subprocess.run(["git", "-C", str(project), "show", "--name-only",
                            "--format=%an|%s"], capture_output=True, text=True,
                           check=True).stdout.split("\n")
    assert shown[0] == "Lan|Lưu nháp: Trao bò"
    assert "content/dong-no/trao-bo.md" in shown and "content/dong-no/dang-viet.md" not in shown
    status = subprocess.run(["git", "-C", str(project), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    assert status == "?? content/dong-no/dang-viet.md\n"


def test_history_shows_vietnam_time_whatever_the_machines_zone_and_diffs_two_versions(
        project, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T01:30:00+0000")
    item(project).write_text("Title: Trao bò\n\nBản hai.\n", encoding="utf-8")
    history.save("Bản hai", project)
    versions = history.history("content/dong-no/trao-bo.md", project)
    assert versions[0].when == "20/11/2026 08:30"
    changes = history.diff("content/dong-no/trao-bo.md", versions[1].id, versions[0].id,
                           project)
    assert "-Bản đầu.\n+Bản hai.\n" in changes
    with pytest.raises(HistoryError, match="không có tệp"):
        history.diff("content/dong-no/trao-bo.md", "0000000", versions[0].id, project)

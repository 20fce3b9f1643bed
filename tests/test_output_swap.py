"""`output/` shows the old site or the new one, whole: never a mix, never nothing.

Builds and interrupts are real: a build in a subprocess killed with SIGKILL or SIGINT, the real
`invoke` CLI, and read-only folders made real for a root test run by dropping root's power to
ignore file modes (`setpriv --bounding-set=-dac_override,...`): chmod alone does not stop root,
and the unprivileged users of this machine cannot run the project's Python (it lives in /root).
"""

import contextlib
import fcntl
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from conftest import FIXED_TODAY, ROOT, SETTINGS
from devtools import as_from_a_terminal

from newsdesk.site import poststep, preview

INVOKE = Path(sys.executable).with_name("invoke")
# Root, stripped of the capabilities that let it write where file modes say no.
AS_PLAIN_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner,-chown"]
KILL_RUNS, INTERRUPT_RUNS, SEED = 8, 3, 20261130


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _listing(folder: Path, *skipped: Path) -> dict[str, bytes | None]:
    """Every path under `folder` (bytes for files), but the `skipped` paths and what they hold."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if any(path == skip or skip in path.parents for skip in skipped):
            continue
        found[path.relative_to(folder).as_posix()] = (
            path.read_bytes() if path.is_file() and not path.is_symlink() else None)
    return found


def _beside(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith("."))


def _left_beside(output: Path) -> list[str]:
    """What is beside `output` but the tree it shows and its lock: a build leaves the tree shown
    before it, which the next build that runs removes (newsdesk.site.old_trees)."""
    return sorted(set(_beside(output)) - {os.readlink(output), f".{output.name}.lock"})


def _items(site, count: int, changed: bool) -> None:
    """`count` items; the changed version edits one, drops one and adds one."""
    for number in range(count):
        body = "Nội dung đã sửa." if changed and number == 0 else f"Nội dung {number}."
        if not (changed and number == 1):
            site.item(f"tin-{number}.md", title=f"Tin số {number}", body=body,
                      communes="Tân Hưng", tags="nhà ở")
    if changed:
        site.item("tin-moi.md", title="Tin mới", category="Tân Hưng")
    else:
        (site.content / "tin-moi.md").unlink(missing_ok=True)


def _old_and_new(site, tmp_path, count=12):
    """Build the old site into old/out and the new one into new/out; the content stays new."""
    ledger = str(tmp_path / "url-history.json")
    _items(site, count, changed=False)
    assert site.build(tmp_path / "old" / "out", URL_HISTORY_PATH=ledger).result.ok
    _items(site, count, changed=True)
    (site.content / "tin-1.md").unlink()
    assert site.build(tmp_path / "new" / "out", URL_HISTORY_PATH=ledger).result.ok
    return tmp_path / "old" / "out", tmp_path / "new" / "out", ledger


def test_failed_build_leaves_the_previous_output_exactly_as_it_was(site):
    site.item("a.md", title="Tin A")
    good = site.build()
    snapshot, shown = _tree(good.output), os.readlink(good.output)
    inodes = {p: p.stat().st_ino for p in good.output.rglob("*")}
    site.item("b.md", title="Tin B", category="Xã Không Có")
    bad = site.build()
    assert not bad.result.ok
    assert _tree(bad.output) == snapshot
    assert os.readlink(bad.output) == shown
    assert {p: p.stat().st_ino for p in bad.output.rglob("*")} == inodes
    assert _beside(bad.output) == sorted([shown, ".output.lock"])  # the failed tree is gone


def test_an_unchanged_build_keeps_the_same_tree_and_every_inode(site):
    site.item("a.md", title="Tin A", communes="Tân Hưng")
    first = site.build()
    shown = os.readlink(first.output)
    files = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in first.output.rglob("*")}
    second = site.build()
    assert second.result.sync.written == [] and second.result.sync.removed == []
    assert second.result.sync.unchanged == len([p for p in files if p.is_file()])
    assert os.readlink(second.output) == shown
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in second.output.rglob("*")} == files
    assert _beside(second.output) == sorted([shown, ".output.lock"])


def test_a_changed_build_links_unchanged_files_and_writes_only_changed_ones(site):
    site.item("a.md", title="Tin A", body="Cũ.")
    site.item("b.md", title="Tin B")
    first = site.build()
    old_tree = first.output.resolve()
    site.item("a.md", title="Tin A", body="Mới.")
    (site.content / "b.md").unlink()
    site.item("c.md", title="Tin C")
    second = site.build()
    sync = second.result.sync
    assert "tin-bai/a/index.html" in sync.written and "tin-bai/c/index.html" in sync.written
    # The search indexes' files are named by their content (plugins/search): they change too.
    removed = [path for path in sync.removed
               if not path.startswith(("pagefind/", "kiosk/pagefind/"))]
    assert removed == ["kiosk/tin-bai/b/index.html", "tin-bai/b/index.html"]  # and its kiosk page
    assert sync.unchanged > 0
    assert len(sync.written) + sync.unchanged == len(_tree(second.output))
    assert _left_beside(second.output) == [old_tree.name]  # removed by the next build:
    shown = os.readlink(second.output)
    site.item("a.md", title="Tin A", body="Mới hơn.")
    third = site.build()
    assert third.result.ok and not old_tree.exists()
    assert _left_beside(third.output) == [shown]


def test_an_unchanged_file_keeps_its_inode_and_mtime_across_a_swap(site):
    site.item("a.md", title="Tin A", body="Cũ.")
    site.item("b.md", title="Tin B", category="Tân Hưng")
    first = site.build()
    b_page = first.output / "tin-bai" / "b" / "index.html"
    before = (b_page.stat().st_ino, b_page.stat().st_mtime_ns)
    shown = os.readlink(first.output)
    site.item("a.md", title="Tin A", body="Mới.")
    second = site.build()
    assert os.readlink(second.output) != shown  # swapped
    assert "tin-bai/a/index.html" in second.result.sync.written
    assert (b_page.stat().st_ino, b_page.stat().st_mtime_ns) == before


def test_an_output_folder_from_an_older_build_becomes_the_link(site, tmp_path):
    site.item("a.md", title="Tin A", body="Cũ.")
    built = site.build(tmp_path / "fresh" / "out")
    output = tmp_path / "site" / "output"
    shutil.copytree(built.output, output, copy_function=shutil.copy2)  # a plain folder
    (output / "khong-con-dung.html").write_text("cũ", encoding="utf-8")
    kept = next(output.rglob("*.woff2"))  # a font: the same bytes in every build
    before = (kept.stat().st_ino, kept.stat().st_mtime_ns)
    site.item("a.md", title="Tin A", body="Mới.")
    result = site.build(output).result
    assert result.ok and output.is_symlink()
    assert "khong-con-dung.html" in result.sync.removed
    assert _tree(output) == _tree(site.build(tmp_path / "fresh2" / "out").output)
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == before
    [older] = _left_beside(output)  # the older build's folder, for the next build to remove
    assert (output.parent / older / "khong-con-dung.html").is_file()
    site.item("a.md", title="Tin A", body="Mới hơn.")
    assert site.build(output).result.ok and not (output.parent / older).exists()


def test_leftover_trees_are_removed_at_the_next_build(site):
    site.item("a.md", title="Tin A")
    first = site.build()
    parent = first.output.parent
    for leftover in (".output-abcd1234", ".build-abcd1234"):
        (parent / leftover / "tin").mkdir(parents=True)
        (parent / leftover / "tin" / "index.html").write_text("dở dang", encoding="utf-8")
    os.symlink(".output-abcd1234", parent / ".output-link0000")
    (parent / ".other-folder").mkdir()
    shown = os.readlink(first.output)
    site.item("a.md", title="Tin A", body="Mới.")
    second = site.build()
    assert second.result.ok
    assert _left_beside(second.output) == sorted([shown, ".other-folder"])


def test_a_build_waits_for_another_build_of_the_same_output_before_cleaning_up(site, tmp_path):
    site.item("a.md", title="Tin A")
    first = site.build()
    lock = os.open(first.output.parent / ".output.lock", os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as a build still running (livereload) holds it
    staging = first.output.parent / ".output-zzzz9999"  # a tree that build is still writing
    (staging / "tin").mkdir(parents=True)
    site.item("b.md", title="Tin B")
    finished = {}
    second = threading.Thread(target=lambda: finished.update(built=site.build()))
    second.start()
    second.join(3)
    assert second.is_alive() and staging.is_dir()  # it waits and deletes nothing meanwhile
    fcntl.flock(lock, fcntl.LOCK_UN)
    os.close(lock)
    second.join(120)
    assert finished["built"].result.ok and not staging.exists()


def test_two_builds_of_one_output_at_the_same_time_both_succeed(site, tmp_path):
    _items(site, 6, changed=False)
    script = ("import sys; from newsdesk.site.build import build; "
              "r = build(sys.argv[1], sys.argv[2], {'PATH': sys.argv[3], "
              "'NEWSDESK_TODAY': sys.argv[4]}); print(r.summary()); sys.exit(0 if r.ok else 1)")
    output = tmp_path / "site" / "output"
    runs = [subprocess.Popen([sys.executable, "-c", script, SETTINGS, output, site.content,
                              FIXED_TODAY], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(run.wait(300), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    assert _tree(output) == _tree(site.build(tmp_path / "fresh" / "out").output)
    assert len(_left_beside(output)) <= 1  # the first one's tree, if the second swapped


KILLABLE_BUILD = """
import logging, sys
from newsdesk.site.build import build
logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
logging.getLogger("newsdesk.site.build").setLevel(logging.DEBUG)
result = build(sys.argv[1], sys.argv[2], {"PATH": sys.argv[3], "NEWSDESK_TODAY": sys.argv[4],
                                          "URL_HISTORY_PATH": sys.argv[5]})
sys.exit(0 if result.ok else 1)
"""


def _start_build(output: Path, content: Path, ledger: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", KILLABLE_BUILD, SETTINGS, output, content,
                             FIXED_TODAY, ledger], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            preexec_fn=as_from_a_terminal)


def _wait_until_staged(build: subprocess.Popen) -> None:
    """Block until the build says its new tree is complete (linking and swap come next)."""
    for line in build.stderr:
        if "complete; linking unchanged files" in line:
            return
    raise AssertionError("the build ended before its swap step")


def test_a_build_killed_at_any_moment_of_the_swap_leaves_the_old_or_the_new_site(site, tmp_path):
    old_out, new_out, ledger = _old_and_new(site, tmp_path)
    old_site, new_site = _tree(old_out), _tree(new_out)
    assert old_site != new_site
    # How long linking takes until the switch, measured once; kills are spread a bit past it.
    trial = tmp_path / "measure"
    shutil.copytree(old_out.parent, trial, symlinks=True)
    shown = os.readlink(trial / "out")
    build = _start_build(trial / "out", site.content, ledger)
    _wait_until_staged(build)
    started = time.monotonic()
    while os.readlink(trial / "out") == shown and build.poll() is None:
        pass
    step = (time.monotonic() - started) * 1.3
    assert build.wait(120) == 0
    assert _tree(trial / "out") == new_site
    chance = random.Random(SEED)
    seen = []
    runs = [(signal.SIGKILL, n % 2 == 1) for n in range(KILL_RUNS)]
    runs += [(signal.SIGINT, n % 2 == 1) for n in range(INTERRUPT_RUNS)]
    for number, (stop, older_folder) in enumerate(runs):
        parent = tmp_path / f"run-{number}"
        shutil.copytree(old_out.parent, parent, symlinks=True)
        if older_folder:  # `out` as a plain folder left by a build before the swap existed
            tree = (parent / "out").resolve()
            (parent / "out").unlink()
            tree.rename(parent / "out")
        outside = _listing(tmp_path, parent)
        build = _start_build(parent / "out", site.content, ledger)
        _wait_until_staged(build)
        time.sleep(chance.uniform(0, step))
        build.send_signal(stop)
        build.wait(120)
        build.stderr.close()
        shown = _tree(parent / "out")
        assert shown in (old_site, new_site), f"run {number}: a mixed site"
        assert _listing(tmp_path, parent) == outside
        seen.append("new" if shown == new_site else "old")
        # The next build tidies whatever the interrupted one left and ends on the new site.
        assert site.build(parent / "out", URL_HISTORY_PATH=ledger).result.ok
        assert _tree(parent / "out") == new_site
        assert len(_left_beside(parent / "out")) <= 1  # the tree it replaced, if it swapped
    print(f"{len(runs)} interrupted builds: {seen.count('old')} old site, "
          f"{seen.count('new')} new site, 0 mixed")


def _invoke(*arguments, cwd: Path, plain_user: bool = False,
            project: Path = ROOT) -> subprocess.CompletedProcess:
    command = [*(AS_PLAIN_USER if plain_user else []), INVOKE, "-r", project, *arguments]
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                         env={**os.environ, "NEWSDESK_TODAY": FIXED_TODAY})
    assert "Traceback" not in run.stdout + run.stderr
    return run


def test_a_read_only_subfolder_of_the_old_site_does_not_break_the_build(site, tmp_path):
    _items(site, 3, changed=False)
    assert _invoke("build", "--content", "content", "--output", "site/out", cwd=tmp_path).returncode == 0
    output = tmp_path / "site" / "out"
    old_tree = output.resolve()
    locked_folder = old_tree / "tin-bai"
    locked_folder.chmod(0o555)
    _items(site, 3, changed=True)
    ledger = tmp_path / "data"  # the URL ledger beside content/ grows with each new item
    outside = _listing(tmp_path, output.parent, ledger)
    try:
        run = _invoke("build", "--content", "content", "--output", "site/out", cwd=tmp_path,
                      plain_user=True)
        assert run.returncode == 0 and "CẢNH BÁO" not in run.stderr, run.stderr
        assert _listing(tmp_path, output.parent, ledger) == outside
        _items(site, 3, changed=False)  # the next build removes the old tree, which refuses
        outside = _listing(tmp_path, output.parent, ledger)
        run = _invoke("build", "--content", "content", "--output", "site/out", cwd=tmp_path,
                      plain_user=True)
        assert run.returncode == 0, run.stderr
        assert f"CẢNH BÁO: Không xóa được bản dựng cũ {old_tree.name}: không có quyền ghi." in run.stderr
        assert "Trang mới đã dựng đầy đủ." in run.stderr
        assert _listing(tmp_path, output.parent, ledger) == outside
        assert _tree(output) == _tree(site.build(tmp_path / "fresh" / "out").output)
    finally:
        locked_folder.chmod(0o755)
    assert site.build(output).result.ok and not old_tree.exists()  # tidied once writable


def test_a_read_only_output_folder_from_an_older_build_is_swapped_out(site, tmp_path):
    site.item("a.md", title="Tin A", body="Cũ.")
    built = site.build(tmp_path / "fresh" / "out")
    output = tmp_path / "site" / "output"
    shutil.copytree(built.output, output)
    output.chmod(0o555)
    site.item("a.md", title="Tin A", body="Mới.")
    try:
        run = _invoke("build", "--content", "content", "--output", "site/output", cwd=tmp_path,
                      plain_user=True)
        assert run.returncode == 0, run.stderr
        assert output.is_symlink() and "Mới." in (output / "tin-bai/a/index.html").read_text()
        site.item("a.md", title="Tin A", body="Mới hơn.")  # the next build removes the folder
        run = _invoke("build", "--content", "content", "--output", "site/output", cwd=tmp_path,
                      plain_user=True)
        assert run.returncode == 0, run.stderr
        assert "CẢNH BÁO: Không xóa được bản dựng cũ" in run.stderr
    finally:
        for leftover in output.parent.glob(".output-*"):
            if not leftover.is_symlink():
                leftover.chmod(0o755)


def test_a_read_only_parent_folder_is_explained_and_the_site_kept(site, tmp_path):
    site.item("a.md", title="Tin A", body="Cũ.")
    output = tmp_path / "site" / "out"
    assert site.build(output).result.ok
    before = _listing(tmp_path)
    site.item("a.md", title="Tin A", body="Mới.")
    output.parent.chmod(0o555)
    try:
        run = _invoke("build", "--content", "content", "--output", "site/out", cwd=tmp_path,
                      plain_user=True)
    finally:
        output.parent.chmod(0o755)
    assert run.returncode == 1
    assert f"Không ghi được vào thư mục {output.parent}: không có quyền ghi." in run.stderr
    assert "Chọn thư mục khác sau --output" in run.stderr
    assert "Dựng trang THẤT BẠI" in run.stderr
    assert {k: v for k, v in _listing(tmp_path).items() if not k.startswith("content")} == {
        k: v for k, v in before.items() if not k.startswith("content")}


def test_an_output_that_names_a_file_is_refused(site, tmp_path):
    site.item("a.md", title="Tin A")
    (tmp_path / "ghi-chu.txt").write_text("giữ nguyên", encoding="utf-8")
    run = _invoke("build", "--content", "content", "--output", "ghi-chu.txt", cwd=tmp_path)
    assert run.returncode == 1
    assert f"{tmp_path / 'ghi-chu.txt'} là một tệp, không phải thư mục kết quả." in run.stderr
    assert "Chọn tên thư mục khác sau --output" in run.stderr
    assert (tmp_path / "ghi-chu.txt").read_text(encoding="utf-8") == "giữ nguyên"


def test_a_missing_content_folder_is_explained_by_build_and_check(tmp_path):
    for task in (["build", "--output", "out"], ["check"]):
        run = _invoke(*task, "--content", "khong-co", cwd=tmp_path)
        assert run.returncode == 1
        assert f"Không có thư mục nội dung {tmp_path / 'khong-co'}." in run.stderr
        assert "Kiểm tra đường dẫn sau --content" in run.stderr
    assert not (tmp_path / "out").exists()


def test_invoke_clean_removes_the_link_and_its_trees(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "output", ".output-*", ".cache", "node_modules", "tests", "bench", "docs",
        "content", "__pycache__", ".pytest_cache"))
    (project / "content" / "pages").mkdir(parents=True)
    (project / "content" / "tin.md").write_text(
        "Title: Tin A\nDate: 20/11/2023\nCategory: Đồng Nơ\n\nA\n", encoding="utf-8")
    run = _invoke("build", cwd=project, project=project)
    assert run.returncode == 0, run.stderr
    assert (project / "output").is_symlink()
    (project / ".output-abcd1234").mkdir()
    run = _invoke("clean", cwd=project, project=project)
    assert run.returncode == 0, run.stderr
    assert not (project / "output").exists() and not list(project.glob(".output-*"))


def test_the_preview_server_follows_the_link_when_a_build_swaps_it(site):
    site.item("a.md", title="Tin A", body="Bản cũ.")
    output = site.build().output
    port = preview.free_port()
    server = preview.make_server(output, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = f"http://127.0.0.1:{port}/tin-bai/a/"
        assert "Bản cũ." in urllib.request.urlopen(page).read().decode()
        site.item("a.md", title="Tin A", body="Bản mới.")
        site.build()
        assert "Bản mới." in urllib.request.urlopen(page).read().decode()
    finally:
        server.shutdown()
        server.server_close()


def test_an_output_that_would_replace_the_content_folder_is_refused(site, tmp_path):
    site.item("a.md", title="Tin A")
    before = _listing(tmp_path)
    for output in ("content", ".", "content/con"):
        run = _invoke("build", "--content", "content", "--output", output, cwd=tmp_path)
        assert run.returncode == 1
        assert "thư mục này chứa, hoặc nằm trong, thư mục nội dung" in run.stderr
        assert "Chọn một thư mục riêng cho --output" in run.stderr
    assert _listing(tmp_path) == before


FOREIGN_FOLDER = "thư mục này đã có tệp và không phải do một lần dựng trang tạo ra"


def test_a_folder_no_build_made_is_never_replaced_by_a_build(site, tmp_path):
    site.item("a.md", title="Tin Đồng Nơ")
    documents = tmp_path / "tai-lieu"
    (documents / "sub").mkdir(parents=True)
    (documents / "bien-ban.docx").write_text("x", encoding="utf-8")
    built = site.build(tmp_path / "fresh" / "out").output
    unmarked = tmp_path / "cu" / "output"  # a build's files, but no marker: not provably ours
    shutil.copytree(built, unmarked)
    (unmarked / ".newsdesk-build").unlink()
    before = _listing(tmp_path)
    for output in ("tai-lieu", "cu/output"):
        run = _invoke("build", "--content", "content", "--output", output, cwd=tmp_path)
        assert run.returncode == 1, run.stderr
        assert f"Không dùng {tmp_path / output} làm thư mục kết quả: {FOREIGN_FOLDER}" in run.stderr
        assert "Chọn một thư mục mới hoặc trống cho --output" in run.stderr
    assert _listing(tmp_path) == before
    assert site.build(tmp_path / "trong").result.ok  # an empty folder is fine


def test_the_project_s_own_folders_are_never_a_build_output(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "output", ".output-*", ".cache", "node_modules", "tests", "bench", "docs",
        "content", "__pycache__", ".pytest_cache"))
    (project / "content" / "pages").mkdir(parents=True)
    (project / "content" / "tin.md").write_text(
        "Title: Tin A\nDate: 20/11/2023\nCategory: Đồng Nơ\n\nA\n", encoding="utf-8")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (project / "output").mkdir()  # someone's folder named output/: clean leaves it too
    (project / "output" / "ghi-chu.txt").write_text("giữ", encoding="utf-8")
    before = _listing(project, project / ".cache")
    for output in ("newsdesk", "data", "theme", ".git", "../project/data"):
        run = _invoke("build", "--output", output, cwd=project, project=project)
        assert run.returncode == 1, run.stderr
        assert FOREIGN_FOLDER in run.stderr
    run = _invoke("clean", cwd=project, project=project)
    assert run.returncode == 1 and FOREIGN_FOLDER in run.stderr
    assert _listing(project, project / ".cache") == before


def test_every_folder_of_the_built_tree_follows_the_umask(site):
    """A web server reading the site as another user needs every folder readable (0755 under
    umask 022), the search index's and the cached steps' folders too."""
    site.item("a.md", title="Tin Đồng Nơ")
    old = os.umask(0o022)
    try:
        for _ in range(2):  # the first build stores the steps' results, the second reuses them
            output = site.build(POSTSTEPS_CACHE_DIR=str(site.root / "cache")).output.resolve()
            folders = [output, *(p for p in output.rglob("*") if p.is_dir())]
            assert any(p.name == "pagefind" for p in folders)
            assert {str(p.relative_to(output)): oct(p.stat().st_mode & 0o777)
                    for p in folders if p.stat().st_mode & 0o777 != 0o755} == {}
            site.item("a.md", title="Tin Đồng Nơ", body="Sửa.")
    finally:
        os.umask(old)


@contextlib.contextmanager
def _small_disk(folder: Path, size: str):
    """A real filesystem of `size` at `folder` (tmpfs; the tests run as root), unmounted after."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", folder], check=True)


def _fill(disk: Path, leave: int) -> None:
    """Fill `disk` up to `leave` bytes of free space."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "day.bin").write_bytes(b"\0" * max(0, free - leave))


def _many_files(tree: Path, out: Path, settings: dict) -> None:
    for number in range(1000):
        (out / f"so-{number}.txt").write_bytes(b"x" * 4096)


def test_a_full_disk_is_said_in_vietnamese_and_the_site_kept(site, tmp_path):
    """Pages that cannot be written (the crash log neither), then a post-build step whose
    files cannot be added: each one message, "ổ đĩa đã đầy", where, and the old site kept."""
    site.item("a.md", title="Tin Đồng Nơ", body="Cũ.")
    many = poststep.PostStep("nhieu-tep", "nhiều tệp", lambda tree, settings: ["1"], _many_files)
    cache = str(tmp_path / "cache")  # another filesystem: the step's files are copied
    with _small_disk(tmp_path / "disk", "3m") as disk:
        output = disk / "output"
        assert site.build(output, POSTSTEPS_CACHE_DIR=cache).result.ok
        before = _tree(output)
        site.item("a.md", title="Tin Đồng Nơ", body="Mới.")
        for leave, steps, doing in ((64 * 1024, [], "ghi trang"),
                                    (1536 * 1024, [many], 'làm bước sau dựng "nhiều tệp"')):
            _fill(disk, leave)
            result = site.build(output, POSTSTEPS_CACHE_DIR=cache, POSTSTEPS=steps).result
            assert not result.ok
            errors = result.report.errors  # the other steps may fail too: each one line
            assert f"Ổ đĩa đã đầy khi {doing}" in [p.message.split(" (")[0] for p in errors]
            assert all(p.message.startswith("Ổ đĩa đã đầy khi ") and f"({output}" in p.message
                       and "Trang cũ được giữ nguyên" in p.hint for p in errors)
            assert len(result.report.format().splitlines()) < 20  # not one line a file
            assert _tree(output) == before
            (disk / "day.bin").unlink()
        _fill(disk, 0)  # a crash log that cannot be written: said, never raised
        assert poststep.write_log(disk / ".build-error.log", "x" * 10**5) == (
            "chép lại thông báo lỗi này")


def test_a_build_larger_than_its_bound_is_refused_and_the_site_kept(site, tmp_path):
    site.item("a.md", title="Tin Đồng Nơ", body="Cũ.")
    output = tmp_path / "out"
    assert site.build(output).result.ok
    before = _tree(output)
    site.item("a.md", title="Tin Đồng Nơ", body="Mới.")
    result = site.build(output, BUILD_MAX_OUTPUT_BYTES=100_000).result
    assert [(p.path, re.sub(r"nặng [0-9,]+ KB", "nặng … KB", p.message))
            for p in result.report.errors] == [
        (str(output), "Trang dựng ra nặng … KB, quá giới hạn 100 KB (thiết lập "
                      "BUILD_MAX_OUTPUT_BYTES).")]
    assert _tree(output) == before

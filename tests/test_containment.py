"""Nothing outside content/ is ever published, and nothing outside output/ is ever written.

Each symlink and "../" case is made here at run time (no symlink is committed under content/),
built for real and checked with `invoke check`'s own function: both refuse it with the same
Vietnamese message, and a listing (paths and bytes) of the temp folder outside output/ is the
same before and after the build.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, ROOT
from PIL import Image

from newsdesk.editors import check as content_check

SECRET = "root:$6$bí-mật-của-máy-dựng"
ITEM = "Title: Tin thử\nDate: 20/11/2023 08:00\nCategory: Đồng Nơ\nID: chua-tep-ngoai\n"
SYMLINK_OUTSIDE = "\"{}\" là liên kết tắt (symlink) trỏ ra ngoài thư mục content/."


def listing(folder: Path, skip: Path) -> dict[str, str]:
    """Every path under `folder` but the output `skip` (its link, its trees and its lock), with
    the hash of its bytes (or its link target)."""
    found = {}
    for here, subfolders, files in os.walk(folder):
        subfolders[:] = [d for d in subfolders if not _is_output(Path(here, d), skip)]
        for name in subfolders + files:
            path = Path(here, name)
            if _is_output(path, skip):
                continue
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "-> " + os.readlink(path)
            elif path.is_file():
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[relative] = "folder"
    return found


def _is_output(path: Path, output: Path) -> bool:
    """The output link, a tree it points at or was built in, or the lock beside it."""
    name = path.name
    return path.parent == output.parent and (
        name == output.name or name.startswith(f".{output.name}-")
        or name == f".{output.name}.lock")


@pytest.fixture
def world(site):
    """Secrets beside content/, as on a build machine: /etc-like folder, files, a config."""
    secret_dir = site.root / "secret-dir"
    secret_dir.mkdir()
    (secret_dir / "shadow").write_text(SECRET, encoding="utf-8")
    (secret_dir / "bai-mat.md").write_text(ITEM.replace("chua-tep-ngoai", "bai-ngoai")
                                           + "\n" + SECRET + "\n", encoding="utf-8")
    Image.new("RGB", (64, 48), "#8a1c1c").save(secret_dir / "anh.png")
    (site.root / "outside").mkdir()
    (site.root / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site.root / "pelicanconf.py").write_text(f"SECRET = {SECRET!r}\n", encoding="utf-8")
    (site.content / "dong-no").mkdir()
    return site


def item_with(site, body: str, extra: str = "") -> None:
    site.write("dong-no/tin.md", ITEM + extra + "\n" + body + "\n")


def folder_symlink(site):
    os.symlink(site.root / "secret-dir", site.content / "dong-no" / "he-thong")
    item_with(site, "[Tệp](he-thong/shadow)")
    return [("dong-no/tin.md", 6, "Liên kết: \"he-thong/shadow\" nằm ngoài thư mục content/."),
            ("dong-no/he-thong", 0, SYMLINK_OUTSIDE.format("dong-no/he-thong"))]


def file_symlink(site):
    os.symlink(site.root / "secret-dir" / "shadow", site.content / "dong-no" / "bao-cao.txt")
    item_with(site, "[Báo cáo](bao-cao.txt)")
    return [("dong-no/tin.md", 6, "Liên kết: \"bao-cao.txt\" nằm ngoài thư mục content/."),
            ("dong-no/bao-cao.txt", 0, SYMLINK_OUTSIDE.format("dong-no/bao-cao.txt"))]


def markdown_symlink(site):
    os.symlink(site.root / "secret-dir" / "bai-mat.md", site.content / "dong-no" / "bai.md")
    return [("dong-no/bai.md", 0, SYMLINK_OUTSIDE.format("dong-no/bai.md"))]


def image_symlink(site):
    os.symlink(site.root / "secret-dir" / "anh.png", site.content / "dong-no" / "anh.png")
    item_with(site, "![Bản đồ](anh.png)", "Image: anh.png\nAlt: Bản đồ\n")
    return [("dong-no/tin.md", 5, "Ảnh bìa: \"anh.png\" nằm ngoài thư mục content/."),
            ("dong-no/tin.md", 8, "Ảnh: \"anh.png\" nằm ngoài thư mục content/."),
            ("dong-no/anh.png", 0, SYMLINK_OUTSIDE.format("dong-no/anh.png"))]


def dangling_symlink(site):
    os.symlink(site.content / "dong-no" / "da-xoa.png", site.content / "dong-no" / "anh.png")
    item_with(site, "Nội dung.", "Image: anh.png\nAlt: Bản đồ\n")
    return [("dong-no/tin.md", 5, "Ảnh bìa: không tìm thấy tệp \"anh.png\"."),
            ("dong-no/anh.png", 0, "\"dong-no/anh.png\" là liên kết tắt (symlink) trỏ tới tệp "
                                   "không có.")]


def dotdot_link(site):
    item_with(site, "[Tài liệu](../../outside/secret.txt)")
    return [("dong-no/tin.md", 6,
             "Liên kết: \"../../outside/secret.txt\" nằm ngoài thư mục content/.")]


def dotdot_static_link(site):
    item_with(site, "[Tài liệu]({static}../../outside/secret.txt)")
    return [("dong-no/tin.md", 6,
             "Liên kết: \"../../outside/secret.txt\" nằm ngoài thư mục content/.")]


def settings_link(site):
    item_with(site, "[Cấu hình](../../pelicanconf.py)")
    return [("dong-no/tin.md", 6, "Liên kết: \"../../pelicanconf.py\" nằm ngoài thư mục content/.")]


CASES = [folder_symlink, file_symlink, markdown_symlink, image_symlink, dangling_symlink,
         dotdot_link, dotdot_static_link, settings_link]


def errors_of(report, content: Path) -> list[tuple]:
    found = []
    for problem in report.errors:
        absolute = Path(os.path.abspath(problem.path))
        assert problem.hint, problem
        found.append((absolute.relative_to(content).as_posix(), problem.line, problem.message))
    return sorted(found)


@pytest.mark.parametrize("make", CASES, ids=[case.__name__ for case in CASES])
@pytest.mark.parametrize("deep", [False, True], ids=["output", "deeper-output"])
def test_a_file_outside_content_is_refused_by_build_and_check_and_nothing_outside_output_changes(
        world, make, deep):
    expected = sorted(make(world))
    output = world.root / "a" / "b" / "output" if deep else world.root / "output"
    output.parent.mkdir(parents=True, exist_ok=True)  # the build stages beside output/
    before = listing(world.root, output)
    built = world.build(output=output)
    assert not built.result.ok
    assert errors_of(built.result.report, world.content) == expected
    assert listing(world.root, output) == before
    checked = content_check.check(overrides={"PATH": str(world.content),
                                             "NEWSDESK_TODAY": FIXED_TODAY})
    assert errors_of(checked.report, world.content) == expected


def test_a_folder_symlink_to_the_machine_publishes_nothing_of_it(world, caplog):
    """The attack of issue 10: content/toan-huyen/he-thong -> a secret folder. Pelican follows
    folder symlinks: it must not even read what lies behind this one."""
    world.item("dong-no/tin-that.md", title="Tin thật")
    good = world.build()
    assert good.result.ok
    (world.content / "toan-huyen").mkdir()
    os.symlink(world.root / "secret-dir", world.content / "toan-huyen" / "he-thong")
    world.write("toan-huyen/tin.md", ITEM + "\n[Tệp hệ thống](he-thong/shadow)\n")
    bad = world.build()
    assert not bad.result.ok
    messages = [p.message for p in bad.result.report.errors]
    assert SYMLINK_OUTSIDE.format("toan-huyen/he-thong") in messages
    assert "Liên kết: \"he-thong/shadow\" nằm ngoài thư mục content/." in messages
    published = [p for p in bad.output.rglob("*")]
    assert published and not [p for p in published if "shadow" in p.name or "he-thong" in p.name]
    assert not [p for p in published if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert "bai-mat.md" not in caplog.text  # Pelican logs each file it could not process


def test_a_file_is_published_only_when_an_item_links_it(site):
    site.write("dong-no/ke-hoach.pdf", "%PDF-1.4 kế hoạch")
    site.write("dong-no/ghi-chu-noi-bo.txt", "ghi chú nội bộ")
    site.item("dong-no/tin.md", body="[Kế hoạch](ke-hoach.pdf)")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    names = {p.name for p in built.output.rglob("*") if p.is_file()}
    assert "ke-hoach.pdf" in names
    assert "ghi-chu-noi-bo.txt" not in names


def test_the_real_check_command_refuses_a_markdown_symlink_without_traceback(world):
    markdown_symlink(world)
    run = subprocess.run([sys.executable, "-m", "invoke", "check", "--content",
                          str(world.content), "--today", FIXED_TODAY],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert (f"{world.content}/dong-no/bai.md: LỖI: "
            + SYMLINK_OUTSIDE.format("dong-no/bai.md")) in run.stdout


def test_check_refuses_the_images_and_media_the_build_refuses_with_the_same_words(site):
    """One rule, not two: `invoke check` calls the pipeline's own validation, with the
    IMAGES_MAX_PIXELS setting (not the default) and the same Vietnamese messages."""
    folder = site.content / "dong-no"
    folder.mkdir()
    Image.new("RGB", (64, 48), "#8a1c1c").save(folder / "gif.png", "GIF")
    Image.new("RGB", (640, 480), "#8a1c1c").save(folder / "cut.jpg", quality=95)
    (folder / "cut.jpg").write_bytes((folder / "cut.jpg").read_bytes()[:3000])
    Image.new("1", (1, 60000)).save(folder / "dai.png")
    Image.new("RGB", (1200, 1000), "#8a1c1c").save(folder / "lon.png")
    (folder / "clip.webm").write_text("chữ", encoding="utf-8")
    (folder / "phu-de.vtt").write_text("00:00.000 --> 00:02.000\nXin chào\n", encoding="utf-8")
    for number, name in enumerate(("gif.png", "cut.jpg", "dai.png", "lon.png")):
        site.item(f"dong-no/anh-{number}.md", body=f"![Ảnh]({name})")
    site.item("dong-no/video.md", type="video", video="clip.webm")
    site.item("dong-no/phu-de.md", type="video", video="https://youtu.be/dQw4w9WgXcQ",
              captions="phu-de.vtt")
    settings = {"IMAGES_MAX_PIXELS": 1_000_000}
    built = site.build(**settings)
    checked = content_check.check(overrides={"PATH": str(site.content),
                                             "NEWSDESK_TODAY": FIXED_TODAY, **settings})
    from_build = errors_of(built.result.report, site.content)
    assert from_build == errors_of(checked.report, site.content)
    messages = [message for _, _, message in from_build]
    assert messages == [
        "Ảnh \"gif.png\" có định dạng GIF, hệ thống chưa nhận định dạng này.",
        "Ảnh \"cut.jpg\" bị cắt cụt hoặc hỏng (có thể tệp chưa tải hay chép xong).",
        "Ảnh \"dai.png\" quá dài hoặc quá hẹp (1×60000 điểm ảnh): ảnh thu nhỏ của nó sẽ dài "
        "quá 16383 điểm ảnh, giới hạn của định dạng WebP.",
        "Ảnh \"lon.png\" quá lớn (1,2 triệu điểm ảnh, giới hạn 1,0 triệu): ảnh lớn như vậy có "
        "thể làm treo máy dựng trang.",
        "Phụ đề: tệp \"phu-de.vtt\" không phải phụ đề WebVTT (dòng đầu của tệp phải là WEBVTT).",
        "Video: tệp \"clip.webm\" không phải video WebM (nội dung tệp không khớp với đuôi .webm).",
    ]

"""A build is all or nothing, reproducible, and lists every editor mistake at once."""

import os
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

from newsdesk.site import preview


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_nfd_file_builds_to_the_same_bytes_as_its_nfc_twin(tmp_path, site):
    text = "Title: Hỗ trợ hộ nghèo Đồng Nơ\nDate: 20/11/2023 08:00\nCategory: Đồng Nơ\n\nNgười dân được hỗ trợ.\n"
    site.write("tin.md", text)
    nfc_site = _tree(site.build(output=tmp_path / "nfc").output)
    site.write("tin.md", unicodedata.normalize("NFD", text))
    nfd_site = _tree(site.build(output=tmp_path / "nfd").output)
    assert nfd_site == nfc_site


def test_two_builds_are_identical_and_an_unchanged_build_rewrites_no_file(site):
    site.item("a.md", title="Tin A", communes="Tân Hưng", tags="nhà ở")
    first = site.build()
    before = {p: p.stat().st_mtime_ns for p in first.output.rglob("*") if p.is_file()}
    second = site.build()
    assert second.result.sync.written == [] and second.result.sync.removed == []
    after = {p: p.stat().st_mtime_ns for p in second.output.rglob("*") if p.is_file()}
    assert after == before


def test_every_problem_is_reported_at_once_with_file_line_and_hint(site):
    site.item("a.md", category="Dong Noo")
    site.item("b.md", type="tin-tuc")
    site.write("c.md", "Date: 20/11/2023\nCategory: Đồng Nơ\n\nKhông có tiêu đề.\n")
    site.item("d.md", date="31/02/2024 08:00")
    site.item("e.md", image="anh/khong-co.jpg", alt="Ảnh")
    result = site.build().result
    assert not result.ok
    messages = {(p.path.split("/")[-1], p.line, p.message, p.hint) for p in result.report.errors}
    assert ("a.md", 3, 'Không có xã / thị trấn "Dong Noo" trong danh sách.',
            'Có phải "Đồng Nơ"? Xem danh sách xã trong data/vocabulary.toml, hoặc ghi "Toàn huyện".') in messages
    assert any(m[0] == "b.md" and m[1] == 4 and 'Loại nội dung "tin-tuc" không có.' == m[2]
               and m[3].startswith('Có phải "tin-bai"?') for m in messages)
    assert any(m[0] == "c.md" and m[2] == "Thiếu Tiêu đề (dòng Title:)." for m in messages)
    assert any(m[0] == "d.md" and m[1] == 2 and "không có thật trên lịch" in m[2] for m in messages)
    assert any(m[0] == "e.md" and m[1] == 4 and m[2] == 'Ảnh bìa: không tìm thấy tệp "anh/khong-co.jpg".'
               for m in messages)
    assert len({m[0] for m in messages}) == 5


def test_two_items_with_the_same_url_are_an_error_not_an_overwrite(site):
    site.item("dong-no/tin.md", title="Tin ở Đồng Nơ")
    site.item("tan-hung/tin.md", title="Tin ở Tân Hưng", category="Tân Hưng")
    result = site.build().result
    assert not result.ok
    assert any('Đường dẫn "tin-bai/tin/index.html" trùng nhau' in p.message
               for p in result.report.errors)


def test_a_moved_item_keeps_its_old_url_as_a_redirect(site):
    site.item("ho-tro.md", title="Hỗ trợ", id="20231120-hotro")
    site.build()
    (site.content / "ho-tro.md").unlink()
    site.item("ho-tro-nha-o.md", title="Hỗ trợ nhà ở", id="20231120-hotro", type="cam-nang")
    built = site.build()
    redirect = built.html("tin-bai/ho-tro/")
    assert redirect.select_one("meta[http-equiv=refresh]")["content"] == "0; url=/cam-nang/ho-tro-nha-o/"
    assert redirect.select_one("main a")["href"] == "/cam-nang/ho-tro-nha-o/"


def test_invoke_build_exits_non_zero_with_vietnamese_report_and_no_traceback(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "x.md").write_text("Title: X\nDate: hôm qua\nCategory: Đồng Nơ\n\nA\n", encoding="utf-8")
    (content / "y.md").write_bytes(b"Title: Ti\xeau \xf0\xd2\nDate: 20/11/2023\nCategory: Dong No\n\nA\n")
    invoke = Path(sys.executable).with_name("invoke")
    run = subprocess.run([invoke, "-r", ROOT, "build", "--content", content,
                          "--output", tmp_path / "out"], capture_output=True, text=True,
                         env={**os.environ, "NEWSDESK_TODAY": "2026-11-26"})
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    assert '"hôm qua" không phải ngày giờ hợp lệ' in run.stderr
    assert "Tệp không phải văn bản UTF-8" in run.stderr
    assert "Dựng trang THẤT BẠI" in run.stderr


def test_a_link_to_an_item_that_does_not_exist_fails_the_build(site):
    site.item("a.md", body="Xem [bài kia]({filename}khong-co.md).")
    result = site.build().result
    assert not result.ok
    # said by the reader, at the file and line, in invoke check's words
    assert [(Path(p.path).name, p.line, p.message) for p in result.report.errors] == [
        ("a.md", 5, 'Liên kết tới bài không có: "{filename}khong-co.md".')]


def test_a_busy_preview_port_is_explained_in_vietnamese(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(preview.PortBusy) as error:
            preview.serve(tmp_path, "127.0.0.1", port)
    assert str(error.value).startswith(f"Cổng {port} đang bận")
    assert f"--port {port + 1}" in str(error.value)

"""One reading of an item (newsdesk.content.item_reader) holds what both the build and
`invoke check` need: text, header lines, body, local files, page or item, publish state, problems."""

from __future__ import annotations

import datetime as dt
import threading

from pelican.settings import read_settings
from PIL import Image

from newsdesk.content import item_reader
from newsdesk.content.item_reader import ReadContext, read_item

from conftest import SETTINGS

TODAY = dt.date(2026, 11, 26)


def context_for(site) -> ReadContext:
    settings = read_settings(str(SETTINGS), override={"PATH": str(site.content)})
    return ReadContext.from_settings(settings, TODAY)


def test_one_reading_holds_text_fields_body_files_and_state(site):
    Image.new("RGB", (40, 30), "#8a1c1c").save(site.content / "anh.png")
    path = site.item("tin.md", title="Ho\u0302\u0323 nghèo", date="27/11/2026 08:00",
                     body="![Ảnh bò](anh.png) [Cổng](https://dichvucong.gov.vn/)")
    reading = read_item(path, context_for(site))
    assert reading.ok, reading.problems
    assert reading.text.startswith("Title: Hộ nghèo\n")  # NFC on the way in
    assert (reading.header.line("title"), reading.header.line("date")) == (1, 2)
    assert (reading.is_page, reading.state) == (False, item_reader.SCHEDULED)
    assert [(f.written, f.path.name, f.line) for f in reading.files] == [("anh.png", "anh.png", 5)]
    assert 'src="{static}anh.png"' in reading.body_html
    assert 'href="https://dichvucong.gov.vn/" rel="noopener"' in reading.body_html


def test_publish_state_is_one_rule_for_status_and_date():
    past, future = (dt.datetime(2026, 11, 26, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=7))),
                    dt.datetime(2026, 11, 27, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    states = [item_reader.publish_state(metadata, TODAY) for metadata in (
        {"date": past}, {"date": future}, {"status": "hidden", "date": past},
        {"status": "withdrawn", "date": past}, {"status": "draft", "date": future}, {})]
    assert states == ["published", "scheduled", "hidden", "withdrawn", "draft", "published"]


def test_a_page_and_a_legacy_encoded_file_are_read_as_check_reads_them(site):
    page = site.write("pages/gioi-thieu.md", "Title: Giới thiệu\n\nNội dung.\n")
    legacy = site.write("cu.md", "Title: Hộ nghèo\nDate: 20/11/2026\nCategory: Đồng Nơ\n\nChữ.\n",
                        encoding="utf-16")
    context = context_for(site)
    assert read_item(page, context).is_page
    reading = read_item(legacy, context)
    assert reading.header.values["title"] == "Hộ nghèo"
    assert [(p.line, p.message) for p in reading.problems] == [
        (1, "Tệp không phải văn bản UTF-8: được lưu bằng bảng mã UTF-16 (Notepad \"Unicode\").")]


def test_nothing_of_one_item_s_markdown_carries_over_to_the_next(site):
    """One Markdown converter serves the whole build (reset before each item): footnotes,
    abbreviations and heading ids of one item never show in another."""
    site.item("a.md", title="Tin A", ID="tin-a", body="## Vốn vay\n\nHỗ trợ NHCSXH.[^1]\n\n"
              "*[NHCSXH]: Ngân hàng Chính sách xã hội\n\n[^1]: Theo Nghị định 78.")
    site.item("b.md", title="Tin B", ID="tin-b", body="## Vốn vay\n\nVay NHCSXH.")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    first, second = built.html("tin-bai/a/"), built.html("tin-bai/b/")
    assert first.select_one("abbr") is not None and first.select_one(".footnote") is not None
    assert second.select_one("abbr") is None and second.select_one(".footnote") is None
    assert first.select_one("main h2")["id"] == second.select_one("main h2")["id"] == "von-vay"


def test_a_body_read_from_the_cache_is_what_reading_anew_gives_until_a_linked_file_changes(
        site, tmp_path):
    """Bodies and image verdicts are kept between runs (newsdesk.content.read_cache): a second
    reading comes from the cache with the same HTML, files and problems; a linked file
    removed, added back broken or the body edited makes the kept entry stale."""
    Image.new("RGB", (40, 30), "#8a1c1c").save(site.content / "anh.png")
    path = site.item("tin.md", body="![](anh.png) [Tệp](thieu.pdf)")

    def reading_of():
        context = context_for(site)
        context.settings["READER_CACHE_DIR"] = str(tmp_path / "cache")
        reading = read_item(path, context)
        return reading.body_html, [(f.written, f.line) for f in reading.files], [
            (p.line, p.message, p.severity) for p in reading.problems]

    first = reading_of()
    assert [m for _, m, _ in first[2]] == ['Ảnh "anh.png" trong bài thiếu mô tả.',
                                           'Liên kết tới tệp không có: "thieu.pdf".']
    entries = sorted((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 2  # the body, and the picture's verdict
    assert reading_of() == first
    body_entry = next(e for e in entries if '"html"' in e.read_text(encoding="utf-8"))
    body_entry.write_text(body_entry.read_text(encoding="utf-8").replace("Tệp</a>", "Kept</a>"),
                          encoding="utf-8")
    assert "Kept</a>" in reading_of()[0]  # served from the cache, not read again

    (site.content / "thieu.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # the missing file added
    assert [m for _, m, _ in reading_of()[2]] == ['Ảnh "anh.png" trong bài thiếu mô tả.']
    (site.content / "anh.png").write_bytes(b"not a picture")  # the picture broken
    assert any(severity == "error" and "anh.png" in message
               for _, message, severity in reading_of()[2])
    path.write_text(path.read_text(encoding="utf-8").replace("![](anh.png)", "Chữ."),
                    encoding="utf-8")
    assert reading_of()[2] == []



# Python-Markdown takes 8 s to minutes on each on an idle machine (issue 28): several times the
# tests' 2 s limit, so that no machine is fast enough to finish one in time.
QUADRATIC_PASTES = {
    "ngoac.md": "[" * 20000, "lien-ket.md": "[a](" * 8000, "the-div.md": "a <div>\n" * 40000,
    "dam-nghieng.md": "**_" * 60000, "ky-tu.md": "&#x10FFFF;" * 120000}
TOO_SLOW = ("Nội dung bài quá phức tạp: chuyển thành trang không xong trong 2 giây (thường do "
            "dán nhầm một dãy dài ký hiệu như [ < & * _).")


def test_a_paste_markdown_is_quadratic_on_is_refused_and_the_build_goes_on(site, tmp_path):
    """Each stopped at the time limit, named with its line; the other items are read and
    every problem is reported."""
    for name, paste in QUADRATIC_PASTES.items():
        site.item(name, title=f"Tin {name}", body=f"Đoạn đầu ở Đồng Nơ.\n\n{paste}\n")
    site.item("tot.md", title="Tin tốt", body="Nội dung [liên kết](https://example.vn/).")
    site.item("loi.md", title="Tin lỗi", category="Không có xã")
    built = site.build(MARKDOWN_TIME_LIMIT=2, RENDER_PROCESSES=2,
                       READER_CACHE_DIR=str(tmp_path / "cache"))
    errors = {(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in built.result.report.errors}
    assert {(name, line) for name, line, message in errors if message == TOO_SLOW} == {
        (name, 7) for name in QUADRATIC_PASTES}
    assert any(e[0] == "loi.md" for e in errors) and not any(e[0] == "tot.md" for e in errors)


def test_the_time_limit_holds_in_a_thread_as_in_the_live_preview(site, tmp_path):
    path = site.item("ngoac.md", body="[" * 20000)
    context = context_for(site)
    context.settings.update(MARKDOWN_TIME_LIMIT=2, READER_CACHE_DIR=str(tmp_path / "cache"))
    readings = []
    reader = threading.Thread(target=lambda: readings.append(read_item(path, context)))
    reader.start()
    reader.join()
    assert [p.message for p in readings[0].problems] == [TOO_SLOW]


def test_a_list_nested_300_deep_is_told_with_its_line_not_a_recursion_error(site, tmp_path):
    nested = "\n".join("    " * level + "- mục" for level in range(300))
    path = site.item("long-nhau.md", body=f"Đoạn đầu.\n\n{nested}\n")
    context = context_for(site)
    context.settings["READER_CACHE_DIR"] = str(tmp_path / "cache")
    assert [(p.line, p.message) for p in read_item(path, context).problems] == [
        (306, "Nội dung bài lồng nhau quá sâu (danh sách hoặc trích dẫn lồng quá nhiều mức) "
              "từ dòng này.")]

"""Handbooks: the Audience line, from the vocabulary."""

from __future__ import annotations


def test_item_page_names_the_handbook_audience(site):
    site.item("toan-huyen/vay-von.md", title="Cẩm nang vay vốn", category="Toàn huyện",
              type="cam-nang", audience="truong-ap", slug="vay-von")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    facts = {d.find("dt").get_text(strip=True): d.find("dd").get_text(strip=True)
             for d in built.html("cam-nang/vay-von/").select(".hq-item__facts > div")}
    assert facts["Dành cho"] == "Trưởng ấp"


def test_unknown_audience_stops_the_build_with_file_and_line(site):
    site.item("toan-huyen/la.md", category="Toàn huyện", type="cam-nang", audience="nong-dan")
    built = site.build()
    assert not built.result.ok
    assert [(p.line, p.message) for p in built.result.report.errors] == [
        (5, "Đối tượng đọc \"nong-dan\" không có trong danh sách.")]

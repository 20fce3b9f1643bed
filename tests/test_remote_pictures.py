"""A picture from another site is never loaded by a reader, however the body names it: a
srcset like a src; a backslash link is read as browsers read it (issue 28)."""

from __future__ import annotations

import re

BODY = """Xem <img srcset="http://tracker.example/track.png 1x" alt="Theo dõi"> nhé.

<picture><source srcset="https://tracker.example/t.webp 1x"><img
src="https://tracker.example/t.png" alt="Ảnh hai"></picture>

[Trang lạ](/\\evil.example)
"""


def test_a_remote_srcset_becomes_a_link_with_a_warning_in_pages_kiosk_and_feeds(site):
    site.item("dong-no/anh.md", title="Ảnh từ trang khác", body=BODY)
    built = site.build()
    assert built.result.ok, built.result.report.format()
    assert sorted((p.line, p.message) for p in built.result.report.warnings) == [
        (5, "Ảnh \"http://tracker.example/track.png\" lấy từ trang web khác nên không được hiện "
            "(trang web đó sẽ biết ai đang đọc bài); đã thay bằng một liên kết."),
        (7, "Ảnh \"https://tracker.example/t.webp\" (trong srcset) lấy từ trang web khác nên "
            "không được dùng (trang web đó sẽ biết ai đang đọc bài); đã bỏ."),
        (8, "Ảnh \"https://tracker.example/t.png\" lấy từ trang web khác nên không được hiện "
            "(trang web đó sẽ biết ai đang đọc bài); đã thay bằng một liên kết.")]
    loads = re.compile(r"(src|srcset)=\\?[\"'][^\"']*tracker\.example")
    written = [path for path in built.output.rglob("*")
               if path.suffix in (".html", ".xml", ".json", ".atom", ".rss")]
    assert any("feed" in path.name or path.suffix == ".xml" for path in written)
    for path in written:
        assert not loads.search(path.read_text(encoding="utf-8")), path
    links = built.html("tin-bai/anh/").select(".hq-prose a")
    assert [(a["href"], a.get("rel")) for a in links] == [
        ("http://tracker.example/track.png", None), ("https://tracker.example/t.png", None),
        ("//evil.example", ["noopener"])]

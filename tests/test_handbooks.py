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


# -- handbooks in chapters -------------------------------------------------------------------
HANDBOOK = "Cẩm nang vay vốn cho hộ nghèo"
KEY = "cam-nang-vay-von-cho-ho-ngheo"


def _chapters(site):
    """Three chapters whose file names run against their Chapter numbers, and a one-file
    handbook with two "##" chapters."""
    common = dict(category="Toàn huyện", type="cam-nang", audience="ho-ngheo",
                  handbook=HANDBOOK)
    site.item("toan-huyen/vay-von/a-ho-so.md", title="Làm hồ sơ vay", chapter=3,
              date="2026-10-03 08:00", id="cn-vay-von-3", body="## Giấy tờ\n\nSổ hộ khẩu.",
              **common)
    site.item("toan-huyen/vay-von/b-ai-duoc-vay.md", title="Ai được vay", chapter=1,
              date="2026-10-01 08:00", id="cn-vay-von-1", summary="Vay vốn ưu đãi, từng bước.",
              body="Hộ nghèo, hộ cận nghèo.", **common)
    site.item("toan-huyen/vay-von/c-vay-bao-nhieu.md", title="Vay được bao nhiêu", chapter=2,
              date="2026-10-02 08:00", id="cn-vay-von-2", body="Tối đa 100 triệu đồng.",
              **common)
    site.item("toan-huyen/truong-ap.md", title="Cẩm nang trưởng ấp", category="Toàn huyện",
              type="cam-nang", audience="truong-ap", slug="cam-nang-truong-ap",
              date="2026-09-01 08:00",
              body="Mở đầu.\n\n## Họp dân\n\nMời cả ấp.\n\n## Báo cáo\n\nHằng tháng.")
    site.item("toan-huyen/tin.md", title="Tin thường", category="Toàn huyện")


def _local(href: str) -> str:
    """"/cam-nang/x/" or "http://…/cam-nang/x/" -> "cam-nang/x/" (SITEURL is "")."""
    return href.split("://", 1)[-1].split("/", 1)[-1] if "://" in href else href.lstrip("/")


def _resolves(built, page: str, href: str) -> bool:
    path, _, anchor = href.partition("#")
    target = built.html(_local(path) if path else page)
    return not anchor or target.find(id=anchor) is not None


def test_handbook_in_chapters_has_contents_in_chapter_order_that_all_resolve(site):
    _chapters(site)
    built = site.build()
    assert built.result.ok, built.result.report.format()
    page = f"cam-nang/{KEY}/"
    toc = built.html(page).select(".hq-toc a")
    assert [a.get_text(strip=True) for a in toc] == [
        "Chương 1. Ai được vay", "Chương 2. Vay được bao nhiêu", "Chương 3. Làm hồ sơ vay"]
    assert [_local(a["href"]) for a in toc] == [
        f"cam-nang/{KEY}/b-ai-duoc-vay/", f"cam-nang/{KEY}/c-vay-bao-nhieu/",
        f"cam-nang/{KEY}/a-ho-so/"]
    for a in toc:
        assert _resolves(built, page, a["href"]), a["href"]
    whole = built.html(f"cam-nang/{KEY}/toan-van/")
    anchors = [a["href"] for a in whole.select(".hq-toc a")]
    assert anchors == ["#chuong-1", "#chuong-2", "#chuong-3"]
    assert all(_resolves(built, f"cam-nang/{KEY}/toan-van/", h) for h in anchors)
    titles = [h.get_text(strip=True) for h in whole.select(".hq-handbook-whole__title")]
    assert titles == ["Chương 1. Ai được vay", "Chương 2. Vay được bao nhiêu",
                      "Chương 3. Làm hồ sơ vay"]
    assert "Tối đa 100 triệu đồng." in whole.get_text()


def test_chapter_pages_link_previous_and_next_chapter(site):
    _chapters(site)
    built = site.build()
    middle = built.html(f"cam-nang/{KEY}/c-vay-bao-nhieu/")
    assert _local(middle.select_one("a[rel=prev]")["href"]) == f"cam-nang/{KEY}/b-ai-duoc-vay/"
    assert _local(middle.select_one("a[rel=next]")["href"]) == f"cam-nang/{KEY}/a-ho-so/"
    assert middle.select_one(".hq-toc [aria-current=page]").get_text(strip=True) == \
        "Chương 2. Vay được bao nhiêu"
    first = built.html(f"cam-nang/{KEY}/b-ai-duoc-vay/")
    assert first.select_one("a[rel=prev]") is None
    assert built.html(f"cam-nang/{KEY}/a-ho-so/").select_one("a[rel=next]") is None


def test_one_file_handbook_contents_are_its_level_two_headings(site):
    _chapters(site)
    built = site.build()
    page = built.html("cam-nang/cam-nang-truong-ap/")
    toc = page.select(".hq-toc a")
    assert [a.get_text(strip=True) for a in toc] == ["Họp dân", "Báo cáo"]
    for a in toc:
        assert a["href"].startswith("#")
        assert _resolves(built, "cam-nang/cam-nang-truong-ap/", a["href"])


def test_handbook_in_chapters_is_one_item_on_the_type_page_and_in_feeds(site):
    import feedparser

    _chapters(site)
    built = site.build()
    titles = [a.get_text(strip=True)
              for a in built.html("cam-nang/").select(".hq-card__title a")]
    assert titles.count(HANDBOOK) == 1
    assert not {"Ai được vay", "Vay được bao nhiêu", "Làm hồ sơ vay"} & set(titles)
    assert sorted(titles) == sorted([HANDBOOK, "Cẩm nang trưởng ấp"])
    for feed in ("nguon-tin/tat-ca.rss.xml", "nguon-tin/tat-ca.atom.xml",
                 "nguon-tin/loai/cam-nang.rss.xml"):
        entries = [e.title for e in feedparser.parse(str(built.output / feed)).entries]
        assert entries.count(HANDBOOK) == 1, (feed, entries)
        assert "Ai được vay" not in entries
    home = [a.get_text(strip=True) for a in built.html("").select("a")]
    assert home.count(HANDBOOK) <= 1 and "Làm hồ sơ vay" not in home


def test_audience_pages_list_their_handbooks(site):
    _chapters(site)
    built = site.build()
    def listed(key):
        return [a.get_text(strip=True)
                for a in built.html(f"danh-cho/{key}/").select(".hq-card__title a")]
    assert listed("ho-ngheo") == [HANDBOOK]
    assert listed("truong-ap") == ["Cẩm nang trưởng ấp"]
    assert listed("can-bo-xa") == []
    assert built.html(f"cam-nang/{KEY}/").select_one(
        ".hq-item__facts a[href$='danh-cho/ho-ngheo/']") is not None


def test_handbook_pdf_is_tagged_vietnamese_with_a_bookmark_per_chapter_and_page_numbers(site):
    from pypdf import PdfReader

    _chapters(site)
    built = site.build()
    assert built.result.ok, built.result.report.format()
    links = [a["href"] for a in built.html(f"cam-nang/{KEY}/").select("a[type='application/pdf']")]
    assert [_local(h) for h in links] == [f"cam-nang/{KEY}/{KEY}.pdf"]
    for pdf, chapters in ((f"cam-nang/{KEY}/{KEY}.pdf",
                           ["Chương 1. Ai được vay", "Chương 2. Vay được bao nhiêu",
                            "Chương 3. Làm hồ sơ vay"]),
                          ("cam-nang/cam-nang-truong-ap/cam-nang-truong-ap.pdf",
                           ["Họp dân", "Báo cáo"])):
        reader = PdfReader(built.output / pdf)
        assert [entry.title for entry in reader.outline] == chapters
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "vi"
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        pages = len(reader.pages)
        assert pages >= 2
        last = reader.pages[-1].extract_text()
        assert f"Trang {pages} / {pages}" in last


def test_chapter_mistakes_stop_the_build_with_file_and_line(site):
    common = dict(category="Toàn huyện", type="cam-nang", handbook="Cẩm nang lỗi")
    site.item("toan-huyen/loi/mot.md", **common, chapter=1, audience="ho-ngheo")
    site.item("toan-huyen/loi/hai.md", **common, chapter=1, audience="ho-ngheo")
    site.item("toan-huyen/loi/ba.md", **common, chapter=3, audience="can-bo-xa")
    site.item("toan-huyen/le.md", category="Toàn huyện", type="cam-nang", chapter=2)
    built = site.build()
    assert not built.result.ok
    found = sorted((p.path.rsplit("/", 1)[-1], p.line, p.message)
                   for p in built.result.report.errors)
    duplicate = "Chương 1 của cẩm nang \"Cẩm nang lỗi\" trùng nhau giữa các tệp: hai.md, mot.md."
    assert found == sorted([
        ("mot.md", 6, duplicate), ("hai.md", 6, duplicate),
        ("ba.md", 7, "Chương 3 của cẩm nang \"Cẩm nang lỗi\" ghi đối tượng đọc \"can-bo-xa\", "
                     "khác chương 1 (\"ho-ngheo\")."),
        ("le.md", 5, "Có dòng Chapter nhưng thiếu dòng Handbook (Tên cẩm nang).")])


def test_chapter_files_of_two_handbooks_may_share_names_in_build_and_check(site):
    from conftest import SETTINGS, FIXED_TODAY
    from newsdesk.editors.check import check

    for folder, name in (("a", "Cẩm nang A"), ("b", "Cẩm nang B")):
        for number in (1, 2):
            site.item(f"toan-huyen/{folder}/chuong-{number}.md", title=f"{name} {number}",
                      category="Toàn huyện", type="cam-nang", handbook=name, chapter=number,
                      id=f"cn-{folder}-{number}")
    site.item("toan-huyen/trung.md", title="Trùng địa chỉ", category="Toàn huyện",
              type="cam-nang", slug="cam-nang-a", id="cn-trung")
    built = site.build()
    checked = check(SETTINGS, {"PATH": str(site.content), "NEWSDESK_TODAY": FIXED_TODAY})
    for report in (built.result.report, checked.report):
        clashes = sorted((p.path.rsplit("/", 2)[-2:][-1], p.message) for p in report.errors)
        assert [name for name, _ in clashes] == ["chuong-1.md", "trung.md"], clashes
        assert all("cam-nang/cam-nang-a/index.html" in message for _, message in clashes)


def test_sitemap_lists_the_handbook_once_and_each_chapter_page(site):
    from xml.etree import ElementTree as ET

    _chapters(site)
    built = site.build(SITEURL="https://example.org")
    assert built.result.ok, built.result.report.format()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(built.output / "sitemap.xml").getroot()
    urls = [u.text for u in root.findall("s:url/s:loc", ns)]
    assert urls.count(f"https://example.org/cam-nang/{KEY}/") == 1
    for slug in ("a-ho-so", "b-ai-duoc-vay", "c-vay-bao-nhieu"):
        assert urls.count(f"https://example.org/cam-nang/{KEY}/{slug}/") == 1
    assert not any(u.endswith("/cam-nang/b-ai-duoc-vay/") for u in urls)


def test_handbook_pdf_for_bulk_printing_runs_chapters_on_and_prints_outside_addresses(site):
    """Two short chapters share a page, a chapter after a "***" line starts a new one, the
    contents stay, and an outside link prints its address after its words."""
    from pypdf import PdfReader

    common = dict(category="Toàn huyện", type="cam-nang", audience="ho-ngheo",
                  handbook="Cẩm nang đi vay")
    site.item("toan-huyen/di-vay/1.md", title="Đăng ký vay", chapter=1, id="cn-di-vay-1",
              body="Hỏi tại [Ngân hàng Chính sách xã hội](https://vbsp.org.vn/vay-von.html) "
                   "ở Đồng Nơ.", **common)
    site.item("toan-huyen/di-vay/2.md", title="Điều kiện vay", chapter=2, id="cn-di-vay-2",
              body="Hộ nghèo được vay.\n\n***", **common)
    site.item("toan-huyen/di-vay/3.md", title="Trả nợ đúng hạn", chapter=3, id="cn-di-vay-3",
              body="Trả lãi hằng tháng.", **common)
    built = site.build()
    assert built.result.ok, built.result.report.format()
    reader = PdfReader(built.output / "cam-nang/cam-nang-di-vay/cam-nang-di-vay.pdf")
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]

    def page_of(words: str) -> int:  # after the first page: the cover and the contents
        return next(number for number, text in enumerate(texts) if number and words in text)

    assert "Mục lục" in texts[0] and "Chương 3. Trả nợ đúng hạn" in texts[0]
    assert page_of("Chương 1. Đăng ký vay") == page_of("Chương 2. Điều kiện vay")
    assert page_of("Chương 3. Trả nợ đúng hạn") == page_of("Chương 2. Điều kiện vay") + 1
    assert "Ngân hàng Chính sách xã hội (https://vbsp.org.vn/vay-von.html)" in " ".join(texts)
    assert "(#chuong" not in " ".join(texts)  # the contents' own links print no address


def test_a_chapter_that_would_start_in_a_pages_bottom_quarter_starts_the_next_page(site):
    from pypdf import PdfReader

    for paragraphs in (28, 38):  # chapter 1 ends near the middle of its page, or near its foot
        common = dict(category="Toàn huyện", type="cam-nang", audience="ho-ngheo",
                      handbook=f"Sổ tay {paragraphs}")
        site.item(f"toan-huyen/s{paragraphs}/1.md", title="Mở đầu", chapter=1,
                  id=f"s{paragraphs}-1", **common,
                  body="\n\n".join(f"Đoạn {n} về vay vốn." for n in range(paragraphs)))
        site.item(f"toan-huyen/s{paragraphs}/2.md", title="Chương sau", chapter=2,
                  id=f"s{paragraphs}-2", body="Nội dung chương hai.", **common)
    built = site.build()
    assert built.result.ok, built.result.report.format()
    for paragraphs, moved in ((28, False), (38, True)):
        reader = PdfReader(built.output / f"cam-nang/so-tay-{paragraphs}/so-tay-{paragraphs}.pdf")
        texts = [page.extract_text() for page in reader.pages]
        last = max(n for n, text in enumerate(texts) if f"Đoạn {paragraphs - 1} " in text)
        chapter = max(n for n, text in enumerate(texts) if "Chương 2. Chương sau" in text)
        assert chapter == last + moved, (paragraphs, last, chapter)

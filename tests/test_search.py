"""Search (issue 17): the Pagefind index of the main site's items, searched in real Chromium
under the public CSP, the no-JavaScript path, and the post-build cache."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import SiteMaker

from devtools import ROOT
from newsdesk.content.text import fold
from pelican.settings import read_settings

CSP = read_settings(str(ROOT / "publishconf.py"))["CONTENT_SECURITY_POLICY"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => (await axe.run(document, {runOnly: {type: 'tag',
  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations.map(v => v.id)"""
PHONE = {"width": 360, "height": 740}


def _write_items(maker: SiteMaker) -> None:
    maker.item("dong-no/dong-no-giam-ngheo.md", title="Đồng Nơ giảm nghèo bền vững", category="Đồng Nơ",
               body="Xã Đồng Nơ hoàn thành mục tiêu giảm nghèo năm nay.")
    maker.item("tan-khai/tan-khai-giam-ngheo.md", title="Tân Khai bàn chuyện giảm nghèo",
               category="Tân Khai", date="2023-11-18 08:00",
               body="Hội nghị về giảm nghèo ở Tân Khai.")
    maker.item("tan-khai/rut.md", title="Tin đã rút về giảm nghèo", category="Tân Khai",
               date="2023-11-17 08:00", status="withdrawn",
               body="Hộ nghèo xyzrutlai giảm nghèo.")
    maker.item("tan-khai/an.md", title="Tin ẩn về giảm nghèo", category="Tân Khai",
               date="2023-11-16 08:00", status="hidden", body="Tin ẩn qwertanan giảm nghèo.")
    # đ is a letter of its own, not d with a mark (issue 31): in titles and bodies.
    maker.item("minh-duc/vay-von.md", title="Hướng dẫn vay vốn ưu đãi", category="Minh Đức",
               date="2023-11-15 08:00",
               body="Hộ cận nghèo ở Minh Đức được vay vốn ưu đãi để mua điện thoại thông minh.")
    maker.item("tan-khai/dien-thoai.md", title="Điện thoại thông minh cho hộ nghèo",
               category="Tân Khai", date="2023-11-14 08:00",
               body="Đoàn viên dạy người dân dùng điện thoại thông minh để đối thoại với xã.")
    maker.item("tan-khai/doi-thoai.md", title="Đối thoại chính sách với người dân",
               category="Tân Khai", date="2023-11-13 08:00",
               body="Buổi đối thoại bàn về khối đại đoàn kết và đất sản xuất.")


@pytest.fixture(scope="module")
def served_search(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    maker = SiteMaker(root)
    _write_items(maker)
    with maker.served(CONTENT_SECURITY_POLICY=CSP) as built:
        yield built.base


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.violations = []
    page.on("console", lambda m: page.violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    yield page
    context.close()


def _search(page, base: str, query: str, **filters) -> list[str]:
    page.goto(base + "tim-kiem/")
    page.fill("#tim-kiem-tu-khoa", query)
    if filters:
        page.click(".hq-search__filters summary")
    for name, value in filters.items():
        page.select_option(f"#tim-kiem-{name}", value)
    page.click(".hq-search button[type=submit]")
    page.wait_for_selector("[data-search-results][data-state=done]")
    return [urlsplit(href).path for href in
            page.eval_on_selector_all("[data-search-list] a", "links => links.map(a => a.href)")]


def test_unaccented_upper_case_and_accented_queries_find_the_same_items(served_search, page):
    found = {query: sorted(_search(page, served_search, query))
             for query in ("giam ngheo", "GIẢM NGHÈO", "giảm nghèo")}
    assert len(found["giảm nghèo"]) == 2, found
    assert found["giam ngheo"] == found["GIẢM NGHÈO"] == found["giảm nghèo"]
    assert page.violations == []


def test_dong_no_finds_dong_no_and_a_result_shows_date_commune_and_type(served_search, page):
    assert any("dong-no" in url for url in _search(page, served_search, "dong no"))
    facts = page.text_content(".hq-search__facts")
    assert "Đồng Nơ" in facts and "2023" in facts


@pytest.mark.parametrize("expected, queries", [
    ("/dong-no-giam-ngheo/", ("dong no", "Đồng Nơ", "ĐỒNG NƠ", "đồng nơ", "Dong No")),
    ("/vay-von/", ("vay von uu dai", "vay vốn ưu đãi", "VAY VỐN ƯU ĐÃI", "vay von uu đai")),
    ("/dien-thoai/", ("dien thoai thong minh", "điện thoại thông minh", "ĐIỆN THOẠI THÔNG MINH")),
    ("/doi-thoai/", ("doi thoai", "đối thoại", "Đối Thoại")),
    ("/doi-thoai/", ("dai doan ket", "đại đoàn kết", "ĐẠI ĐOÀN KẾT")),
])
def test_d_finds_dj_and_every_form_finds_the_same_items_in_the_same_order(served_search, page,
                                                                         expected, queries):
    found = {}
    for query in queries:
        found[query] = _search(page, served_search, query)
        # Every word of the query matched in the first result, the words with đ too.
        marked = page.locator("[data-search-list] li").first.locator("mark").all_text_contents()
        assert set(fold(query).split()) <= {fold(m) for m in marked}, (query, marked)
    first = found[queries[0]]
    assert first[0].endswith(expected), found
    assert all(urls == first for urls in found.values()), found


def test_the_right_item_comes_first_and_its_excerpt_shows_its_dj_with_the_words_marked(
        served_search, page):
    assert _search(page, served_search, "dien thoai thong minh")[0].endswith("/dien-thoai/")
    first = page.locator("[data-search-list] li").first
    assert first.locator("h3").text_content() == "Điện thoại thông minh cho hộ nghèo"
    marked = first.locator(".hq-search__excerpt mark").all_text_contents()
    assert "Điện" in marked and "thông" in marked, marked
    assert "\u0335" not in first.text_content()
    assert _search(page, served_search, "doi thoai")[0].endswith("/doi-thoai/")
    assert _search(page, served_search, "vay von uu dai")[0].endswith("/vay-von/")


def test_a_commune_filter_with_dj_narrows_the_results(served_search, page):
    everywhere = _search(page, served_search, "dien thoai")
    in_minh_duc = _search(page, served_search, "dien thoai", xa="xã Minh Đức")
    assert len(everywhere) == 2 and in_minh_duc == [u for u in everywhere if "vay-von" in u]
    facts = page.text_content(".hq-search__facts")
    assert "Minh Đức" in facts


def test_a_commune_filter_narrows_the_results(served_search, page):
    everywhere = _search(page, served_search, "giam ngheo")
    in_tan_khai = _search(page, served_search, "giam ngheo", xa="thị trấn Tân Khai")
    assert len(in_tan_khai) == 1 < len(everywhere)
    assert "tan-khai" in in_tan_khai[0]


def test_withdrawn_and_hidden_items_are_never_found(served_search, page):
    assert _search(page, served_search, "xyzrutlai") == []
    assert _search(page, served_search, "qwertanan") == []


def test_on_a_phone_enter_in_the_header_box_brings_the_count_and_results_into_view(
        served_search, chromium):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(served_search)
    page.fill("#o-tim-kiem", "dong no")
    page.press("#o-tim-kiem", "Enter")
    page.wait_for_selector("[data-search-results][data-state=done]")
    status = page.locator("[data-search-status]")
    assert status.get_attribute("role") == "status"
    assert status.text_content().startswith("Tìm thấy ")
    assert page.evaluate("document.activeElement.hasAttribute('data-search-status')")
    heading = page.locator("[data-search-list] li h3").first.bounding_box()
    assert 0 <= heading["y"] and heading["y"] + heading["height"] <= PHONE["height"], heading
    assert page.locator("#tim-kiem-xa").is_hidden()  # the filters are folded below the box
    context.close()


def test_axe_finds_no_violation_on_the_results(served_search, chromium):
    context = chromium.new_context(bypass_csp=True, viewport=PHONE)  # axe is injected inline
    page = context.new_page()
    assert _search(page, served_search, "giam ngheo")
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []
    context.close()


def test_without_javascript_the_form_leads_to_communes_types_and_archives(served_search,
                                                                          chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_search)
    page.fill("#o-tim-kiem", "giam ngheo")
    page.click(".hq-header__search button")
    assert urlsplit(page.url).path.endswith("/tim-kiem/")
    links = page.eval_on_selector_all("[data-search-browse] a", "a => a.map(x => x.href)")
    paths = [urlsplit(link).path for link in links]
    assert any(p.endswith("/luu-tru/") for p in paths)
    assert any("/dia-ban/" in p or "tan-khai" in p for p in paths)
    assert page.is_visible("[data-search-nojs]")
    context.close()


def test_the_second_unchanged_build_reuses_the_index(tmp_path):
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    cache = str(tmp_path / "cache")
    first = maker.build(tmp_path / "one", POSTSTEPS_CACHE_DIR=cache)
    second = maker.build(tmp_path / "two", POSTSTEPS_CACHE_DIR=cache)
    assert {o.name: o.reused for o in first.result.poststeps}["search"] is False
    assert {o.name: o.reused for o in second.result.poststeps}["search"] is True
    assert (tmp_path / "two" / "pagefind" / "pagefind-entry.json").is_file()
    maker.item("dong-no/moi.md", title="Tin mới", body="Mới.")
    third = maker.build(tmp_path / "three", POSTSTEPS_CACHE_DIR=cache)
    assert {o.name: o.reused for o in third.result.poststeps}["search"] is False


def test_kiosk_pages_and_list_pages_are_not_indexed(tmp_path):
    from test_kiosk_search import indexed_urls
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    built = maker.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    marked = [p.relative_to(built.output).as_posix() for p in built.output.glob("**/*.html")
              if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    outside_kiosk = [m for m in marked if not m.startswith("kiosk/")]
    assert len(outside_kiosk) == 5, marked
    assert not any(m.startswith("ban-nhap/") for m in marked)
    # The kiosk marks its item pages for its own index; the main index leaves them out.
    assert sorted(m for m in marked if m.startswith("kiosk/")) == [
        "kiosk/" + m for m in sorted(outside_kiosk)]
    assert indexed_urls(built.output / "pagefind") == sorted(
        "/" + m.removesuffix("index.html") for m in outside_kiosk)

"""Search (issue 17): the Pagefind index of the main site's items, searched in real Chromium
under the public CSP, the no-JavaScript path, and the post-build cache."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import SiteMaker

from devtools import ROOT
from pelican.settings import read_settings

CSP = read_settings(str(ROOT / "publishconf.py"))["CONTENT_SECURITY_POLICY"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => (await axe.run(document, {runOnly: {type: 'tag',
  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v => v.id)"""


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


def test_a_commune_filter_narrows_the_results(served_search, page):
    everywhere = _search(page, served_search, "giam ngheo")
    in_tan_khai = _search(page, served_search, "giam ngheo", xa="thị trấn Tân Khai")
    assert len(in_tan_khai) == 1 < len(everywhere)
    assert "tan-khai" in in_tan_khai[0]


def test_withdrawn_and_hidden_items_are_never_found(served_search, page):
    assert _search(page, served_search, "xyzrutlai") == []
    assert _search(page, served_search, "qwertanan") == []


def test_axe_finds_no_violation_on_the_results(served_search, chromium):
    context = chromium.new_context(bypass_csp=True)  # axe is injected inline
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
    assert len(outside_kiosk) == 2, marked
    assert not any(m.startswith("ban-nhap/") for m in marked)
    # The kiosk marks its item pages for its own index; the main index leaves them out.
    assert sorted(m for m in marked if m.startswith("kiosk/")) == [
        "kiosk/" + m for m in sorted(outside_kiosk)]
    assert indexed_urls(built.output / "pagefind") == sorted(
        "/" + m.removesuffix("index.html") for m in outside_kiosk)

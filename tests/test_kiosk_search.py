"""Search on the kiosk (issue 17): a Pagefind index seen from the kiosk's folder (the site's
own when the kiosk mirrors it, issue 16; else one of the kiosk's pages), a large on-screen
keyboard, offline after a first visit, under the public CSP; and "hoà" meeting "hòa" on the
main site and on the kiosk alike. In real Chromium, with touch. Both indexes come in two
shards here (SEARCH_SHARD_PAGES=2, issue 16), merged by the search script."""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SiteMaker, install_kiosk_worker
from test_accessibility import RUN_AXE, WCAG_TAGS, _describe

from devtools import ROOT
from pelican.settings import read_settings

CSP = read_settings(str(ROOT / "publishconf.py"))["CONTENT_SECURITY_POLICY"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PORTRAIT = {"width": 768, "height": 1366}
DONE = "[data-search-results][data-state=done]"
SHARDED = {"SEARCH_SHARD_PAGES": 2}  # three items: "bo" in one shard, the two "hoa" in another


def _write_items(maker: SiteMaker) -> None:
    # "hòa" with the old tone placement in one item, "hoà" with the new one in the other.
    maker.item("dong-no/hoa-giai.md", title="Tổ hòa giải ở Đồng Nơ", category="Đồng Nơ",
               body="Tổ hòa giải cơ sở giúp hộ nghèo vay vốn.")
    maker.item("tan-khai/hoa-nhap.md", title="Người khuyết tật hoà nhập cộng đồng",
               category="Tân Khai", date="2023-11-19 08:00",
               body="Hộ nghèo có người khuyết tật được hỗ trợ hoà nhập.")
    maker.item("tan-khai/bo.md", title="Nuôi bò sinh sản thoát nghèo", category="Tân Khai",
               date="2023-11-18 08:00", body="Mô hình nuôi bò ở Tân Khai.")
    maker.item("tan-khai/rut.md", title="Tin đã rút", category="Tân Khai",
               date="2023-11-17 08:00", status="withdrawn", body="Từ lạ xyzrutlai.")


def indexed_urls(bundle: Path) -> list[str]:
    """The page URLs an index holds (all its shards), read from its fragments (gzip,
    "pagefind_dcd" + JSON)."""
    urls = []
    for fragment in sorted(bundle.glob("**/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        urls.append(json.loads(data[len(b"pagefind_dcd"):])["url"])
    return sorted(urls)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site under /giam-ngheo/ of a local server, with the public CSP."""
    root = tmp_path_factory.mktemp("kiosk-search")
    maker = SiteMaker(root)
    _write_items(maker)
    with maker.served(CONTENT_SECURITY_POLICY=CSP, **SHARDED) as built:
        yield built


@pytest.fixture
def touch(chromium):
    context = chromium.new_context(viewport=PORTRAIT, has_touch=True)
    page = context.new_page()
    page.violations = []
    page.on("console", lambda m: page.violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    yield page
    context.close()


def _found(page) -> list[str]:
    page.wait_for_selector(DONE)
    return page.eval_on_selector_all("[data-search-list] a", "links => links.map(a => a.href)")


def _kiosk_search(page, base: str, query: str) -> list[str]:
    page.goto(base + "kiosk/tim-kiem/?q=" + quote(query))
    return _found(page)


def _site_search(page, base: str, query: str) -> list[str]:
    page.goto(base + "tim-kiem/?q=" + quote(query))
    return _found(page)


def test_a_kiosk_search_returns_only_pages_of_the_kiosk(served, touch):
    for query in ("ngheo", "giam ngheo", "dong no", "nuoi bo"):
        found = _kiosk_search(touch, served.base, query)
        assert found, query
        assert all(url.startswith(served.base + "kiosk/") for url in found), found
    touch.goto(found[0])
    assert touch.locator("body.hq-kiosk").count() == 1
    assert touch.violations == []


def test_the_kiosk_index_holds_the_kiosk_items_and_the_main_index_no_kiosk_page(served):
    kiosk = indexed_urls(served.output / "kiosk" / "pagefind")
    main = indexed_urls(served.output / "pagefind")
    assert kiosk == main == ["/tin-bai/bo/", "/tin-bai/hoa-giai/", "/tin-bai/hoa-nhap/"]
    for bundle in (served.output / "pagefind", served.output / "kiosk" / "pagefind"):
        listed = json.loads((bundle / "phan.json").read_text())
        assert listed["shards"] == ["phan-1/"]
        assert [meta.split(".")[0] for meta in listed["meta"]] == ["pagefind", "phan-1/pagefind"]
        assert all((bundle / meta).is_file() for meta in listed["meta"])
        # Each index chunk with its first and last word, for the script to fetch at once.
        assert sorted(url for _, _, url in listed["chunks"]) == sorted(
            p.relative_to(bundle).as_posix() for p in bundle.glob("**/index/*.pf_index"))
        assert all(first <= last for first, last, _ in listed["chunks"])
        assert indexed_urls(bundle / "phan-1") == ["/tin-bai/hoa-giai/", "/tin-bai/hoa-nhap/"]
    for url in kiosk:  # seen from the kiosk's folder: each one a kiosk page
        assert (served.output / "kiosk" / url.strip("/") / "index.html").is_file()
    assert not any(url.startswith("/kiosk/") for url in main)
    listed = json.loads((served.output / "kiosk" / "pagefind" / "precache.json").read_text())
    on_disk = sorted(p.relative_to(served.output / "kiosk").as_posix()
                     for p in (served.output / "kiosk" / "pagefind").rglob("*")
                     if p.is_file() and p.name != "precache.json")
    assert sorted(listed) == on_disk and "pagefind/pagefind.js" in listed
    for bundle in (served.output / "pagefind", served.output / "kiosk" / "pagefind"):
        # A merged shard runs on the first bundle's script, worker and WebAssembly.
        own = sorted(p.name for p in (bundle / "phan-1").iterdir() if p.is_file())
        assert len(own) == 2 and own[0] == "pagefind-entry.json" and own[1].endswith(".pf_meta")
        folders = {p.name for p in (bundle / "phan-1").iterdir() if p.is_dir()}
        assert {"fragment", "index"} <= folders <= {"filter", "fragment", "index"}
    worker = (served.output / "kiosk" / "sw.js").read_text(encoding="utf-8")
    assert re.search(r'var LISTS = \["pagefind/precache.json"\];', worker)


def test_the_kiosk_home_leads_to_the_search_and_the_keyboard_types_and_finds(served, touch):
    touch.goto(served.base + "kiosk/")
    touch.get_by_role("link", name="Tìm tin bằng bàn phím").tap()
    touch.wait_for_url(served.base + "kiosk/tim-kiem/")
    keyboard = touch.get_by_role("group", name="Bàn phím")
    for letter in "nuoi":
        keyboard.get_by_role("button", name=letter, exact=True).tap()
    keyboard.get_by_role("button", name="Dấu cách").tap()
    for letter in "box":
        keyboard.get_by_role("button", name=letter, exact=True).tap()
    assert touch.input_value("#ki-ot-tu-khoa") == "nuoi box"
    keyboard.get_by_role("button", name="Xóa chữ").tap()
    assert touch.input_value("#ki-ot-tu-khoa") == "nuoi bo"
    keyboard.get_by_role("button", name="Tìm").tap()
    found = _found(touch)
    assert found and found[0] == served.base + "kiosk/tin-bai/bo/"
    assert "nuoi bo" in touch.text_content("[data-search-status]")
    keyboard.get_by_role("button", name="Xóa hết").tap()
    assert touch.input_value("#ki-ot-tu-khoa") == ""
    touch.get_by_role("link", name="Nuôi bò sinh sản thoát nghèo").tap()
    touch.wait_for_url(served.base + "kiosk/tin-bai/bo/")
    assert touch.violations == []


def _tap(keyboard, text: str) -> None:
    for letter in text:
        name = "Dấu cách" if letter == " " else letter
        keyboard.get_by_role("button", name=name, exact=True).tap()


def test_tapping_d_or_dj_finds_the_same_items_as_accented_and_upper_case_queries(served,
                                                                                touch):
    """đ is a letter of its own (issue 31): "dong" finds "Đồng Nơ", and so does the đ key."""
    touch.goto(served.base + "kiosk/tim-kiem/")
    keyboard = touch.get_by_role("group", name="Bàn phím")
    tapped = {}
    for typed in ("to dong no", "to đong no"):
        keyboard.get_by_role("button", name="Xóa hết").tap()
        _tap(keyboard, typed)
        assert touch.input_value("#ki-ot-tu-khoa") == typed
        keyboard.get_by_role("button", name="Tìm").tap()
        touch.wait_for_selector(DONE)
        tapped[typed] = _found(touch)
        first = touch.locator("[data-search-list] li").first
        assert first.locator("h3").text_content() == "Tổ hòa giải ở Đồng Nơ"
        assert "Đồng" in first.locator("mark").all_text_contents()
    assert tapped["to dong no"][0] == served.base + "kiosk/tin-bai/hoa-giai/"
    assert tapped["to dong no"] == tapped["to đong no"]
    for query in ("Tổ Đồng Nơ", "TỔ ĐỒNG NƠ"):
        assert _kiosk_search(touch, served.base, query) == tapped["to dong no"], query
        assert _site_search(touch, served.base, query) == [
            url.replace("/kiosk/", "/") for url in tapped["to dong no"]], query
    assert touch.violations == []


def test_the_keys_are_large_and_the_keyboard_shows_without_a_touch_pointer(served, chromium):
    """Always shown: kiosk touch frames often report themselves as a mouse."""
    context = chromium.new_context(viewport=PORTRAIT)  # pointer: fine
    page = context.new_page()
    page.goto(served.base + "kiosk/tim-kiem/")
    assert not page.evaluate("matchMedia('(pointer: coarse)').matches")
    keys = page.locator("[data-kiosk-keyboard] button")
    assert keys.count() == 27 + 4  # and đ
    sizes = [keys.nth(i).bounding_box() for i in range(keys.count())]
    assert all(box["width"] >= 48 and box["height"] >= 48 for box in sizes), sizes
    assert page.get_attribute("#ki-ot-tu-khoa", "inputmode") == "none"
    assert page.locator("[data-kiosk-keyboard-fallback]").is_hidden()
    context.close()


def test_a_search_finds_the_items_of_every_shard_on_the_site_and_the_kiosk(served, touch):
    asked = []
    touch.on("response", lambda response: asked.append((response.url, response.status)))
    for search, home in ((_site_search, served.base), (_kiosk_search, served.base + "kiosk/")):
        found = sorted(search(touch, served.base, "ngheo"))
        assert found == [home + "tin-bai/" + slug + "/" for slug in ("bo", "hoa-giai", "hoa-nhap")]
        runtime = [url for url, _ in asked if re.search(r"pagefind(-worker)?\.js$|/wasm\.", url)]
        assert sorted(runtime) == sorted(home + "pagefind/" + name for name in (
            "pagefind.js", "wasm.unknown.pagefind"))  # once, not per shard; no worker
        assert any("/pagefind/phan-1/index/" in url for url, _ in asked)
        assert [(url, status) for url, status in asked if status >= 400] == []
        asked.clear()
    assert touch.violations == []


def test_hoa_with_either_tone_placement_finds_the_same_items_on_the_site_and_the_kiosk(
        served, touch):
    for search in (_site_search, _kiosk_search):
        found = {query: sorted(search(touch, served.base, query)) for query in ("hoà", "hòa")}
        assert len(found["hòa"]) == 2, found
        assert found["hoà"] == found["hòa"], found
    assert touch.violations == []


def test_axe_finds_no_violation_on_kiosk_search_results(served, chromium):
    context = chromium.new_context(bypass_csp=True, viewport=PORTRAIT, has_touch=True)  # axe is inline
    page = context.new_page()
    assert _kiosk_search(page, served.base, "giam ngheo")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    context.close()
    assert not violations, "\n".join(_describe(v) for v in violations)


def test_the_second_unchanged_build_runs_neither_indexer(tmp_path):
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    cache = str(tmp_path / "cache")

    def reused(name):
        built = maker.build(tmp_path / name, POSTSTEPS_CACHE_DIR=cache)
        assert built.result.ok, built.result.report.format()
        return {o.name: o.reused for o in built.result.poststeps}

    first, second = reused("one"), reused("two")
    assert (first["search"], first["kiosk-search"]) == (False, False)
    assert (second["search"], second["kiosk-search"]) == (True, True)
    assert (tmp_path / "two" / "kiosk" / "pagefind" / "pagefind-entry.json").is_file()
    maker.item("dong-no/moi.md", title="Tin mới", body="Mới.")
    assert reused("three")["kiosk-search"] is False


def test_an_edited_item_re_indexes_its_shard_only(tmp_path):
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    cache = tmp_path / "cache"
    one = maker.build(tmp_path / "one", POSTSTEPS_CACHE_DIR=str(cache), **SHARDED)
    # Two shards, made once: the kiosk mirrors the site, so both share one index.
    assert len(list((cache / "search-shards").iterdir())) == 2
    for name in ("pagefind-entry.json", "phan-1/pagefind-entry.json"):
        site, kiosk = (one.output / "pagefind" / name), (one.output / "kiosk/pagefind" / name)
        assert site.stat().st_ino == kiosk.stat().st_ino
    maker.item("tan-khai/bo.md", title="Nuôi bò sinh sản thoát nghèo", category="Tân Khai",
               date="2023-11-18 08:00", body="Mô hình nuôi bò ở Tân Khai, sửa lại.")
    two = maker.build(tmp_path / "two", POSTSTEPS_CACHE_DIR=str(cache), **SHARDED)
    assert two.result.ok, two.result.report.format()
    assert len(list((cache / "search-shards").iterdir())) == 3  # "bo"'s shard, once
    for bundle in ("pagefind", "kiosk/pagefind"):
        entry = f"{bundle}/pagefind-entry.json"  # "bo"'s shard: indexed again
        assert (one.output / entry).stat().st_ino != (two.output / entry).stat().st_ino
        entry = f"{bundle}/phan-1/pagefind-entry.json"  # the other: the stored files
        assert (one.output / entry).stat().st_ino == (two.output / entry).stat().st_ino


def test_the_indexes_start_once_the_pages_are_rendered_and_index_the_finished_tree(
        tmp_path, monkeypatch):
    """Both search steps are early (issue 16): they take their keys in a process of their own
    while Pelican finishes, and those keys are the ones the finished tree gives."""
    from newsdesk.site import poststep

    taken = tmp_path / "keys-taken"
    step_key = poststep.step_key

    def noting(step, parts):  # in whichever process takes the key
        key = step_key(step, parts)
        with taken.open("a", encoding="utf-8") as notes:
            notes.write(f"{step.name} {os.getpid()} {key}\n")
        return key

    monkeypatch.setattr(poststep, "step_key", noting)
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    built = maker.build(tmp_path / "out", POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    keys = {name: (int(pid), key) for name, pid, key in
            (line.split() for line in taken.read_text(encoding="utf-8").splitlines())}
    assert sorted(keys) == ["handbooks", "kiosk-search", "leaflets", "search"]
    assert keys["leaflets"][0] == keys["handbooks"][0] == os.getpid()
    assert keys["search"][0] == keys["kiosk-search"][0] != os.getpid()
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    index = sys.modules["search.index"]  # the plugin's module, loaded by the build
    for step in (index.SEARCH_STEP, index.KIOSK_SEARCH_STEP):
        assert keys[step.name][1] == step_key(step, step.inputs(built.output.resolve(), settings))


def test_the_indexes_start_once_every_page_is_written_before_the_feeds(tmp_path, monkeypatch):
    from newsdesk.site import poststep, render_queue

    order = []
    start, later = poststep.EarlySteps.start, render_queue.later

    def starting(self, *args):
        order.append("chỉ mục")
        return start(self, *args)

    def queued(writer, function, *args, **weight):
        return later(writer, lambda *a: order.append("việc") or function(*a), *args, **weight)

    monkeypatch.setattr(poststep.EarlySteps, "start", starting)
    monkeypatch.setattr(render_queue, "later", queued)
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    built = maker.build(tmp_path / "out", POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"),
                        RENDER_PROCESSES=1)
    assert built.result.ok, built.result.report.format()
    assert order[0] == "chỉ mục" and order.count("việc") > 5  # the feeds, the pictures


def test_a_kiosk_laid_out_unlike_the_site_gets_an_index_of_its_own_pages(tmp_path):
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    built = maker.build(tmp_path / "out", POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"),
                        KIOSK_ITEM_URL="kiosk/bai/{slug}/",
                        KIOSK_ITEM_SAVE_AS="kiosk/bai/{slug}/index.html")
    assert built.result.ok, built.result.report.format()
    assert indexed_urls(built.output / "kiosk" / "pagefind") == [
        "/bai/bo/", "/bai/hoa-giai/", "/bai/hoa-nhap/"]
    assert indexed_urls(built.output / "pagefind") == [
        "/tin-bai/bo/", "/tin-bai/hoa-giai/", "/tin-bai/hoa-nhap/"]


def test_after_a_first_visit_kiosk_search_works_with_the_server_stopped(tmp_path, chromium):
    maker = SiteMaker(tmp_path)
    _write_items(maker)
    context = chromium.new_context(viewport=PORTRAIT, has_touch=True)
    page = context.new_page()
    with maker.served(**SHARDED) as built:
        home = built.base + "kiosk/"
        install_kiosk_worker(page, home)
    page.goto(home)
    page.get_by_role("link", name="Tìm tin bằng bàn phím").tap()
    page.wait_for_url(home + "tim-kiem/")
    keyboard = page.get_by_role("group", name="Bàn phím")
    for letter in "hoa":
        keyboard.get_by_role("button", name=letter, exact=True).tap()
    keyboard.get_by_role("button", name="Tìm").tap()
    assert sorted(_found(page)) == [home + "tin-bai/hoa-giai/", home + "tin-bai/hoa-nhap/"]
    keyboard.get_by_role("button", name="Xóa hết").tap()
    for letter in "bo":  # in the other shard
        keyboard.get_by_role("button", name=letter, exact=True).tap()
    keyboard.get_by_role("button", name="Tìm").tap()
    assert _found(page) == [home + "tin-bai/bo/"]
    context.close()


def test_an_empty_kiosk_search_setting_leaves_out_the_page_and_its_button(site):
    site.item("dong-no/a.md", title="Tin A")
    built = site.build(KIOSK_SEARCH_SAVE_AS="", SEARCH_INDEX=False)
    assert built.result.ok, built.result.report.format()
    assert not built.exists("kiosk/tim-kiem/index.html")
    assert built.html("kiosk/").select(".hq-kiosk-find") == []
    assert not built.exists("kiosk/pagefind")


def test_a_tap_on_the_date_line_of_a_result_opens_it(served, touch):
    """The whole result card is one target, its date and commune line too (issue 33)."""
    found = _kiosk_search(touch, served.base, "nuoi bo")
    facts = touch.locator("[data-search-list] .hq-search__facts").first
    box = facts.bounding_box()
    touch.touchscreen.tap(box["x"] + box["width"] - 6, box["y"] + box["height"] - 6)
    touch.wait_for_url(found[0], wait_until="commit")

"""The kiosk edition (plugins/kiosk): public touch screens, commune first, relative links only,
no way out of the kiosk, and big targets, checked in the machine's Chromium with touch."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import install_kiosk_worker
from lxml import etree

from devtools import quality
from newsdesk.content import vocabulary
from plugins.kiosk.links import kiosk_html, relative

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PORTRAITS = [{"width": 1080, "height": 1920}, {"width": 768, "height": 1366}]
MIN_TARGET = 48
URL_ATTRIBUTES = ("href", "src", "poster", "srcset", "action", "data")
VISIBLE_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, audio[controls], video[controls], [tabindex]:not([tabindex="-1"])')]
  .filter(e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                 return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0
                   && !e.closest('[hidden]') && !e.matches('.hq-skip-link'); })
  .map(e => { const r = e.getBoundingClientRect();
              return {w: r.width, h: r.height, what: e.outerHTML.slice(0, 90)}; })"""


def kiosk_pages(sample_site) -> list[Path]:
    return sorted((sample_site.output / "kiosk").rglob("index.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_relative_turns_site_paths_into_links_from_the_page():
    assert relative("media/a.jpg", "kiosk/tin-bai/x/") == "../../../media/a.jpg"
    assert relative("kiosk/", "kiosk/dia-ban/dong-no/") == "../../"
    assert relative("kiosk/dia-ban/dong-no/", "kiosk/") == "dia-ban/dong-no/"
    assert relative("kiosk/", "kiosk/") == "./"


def test_kiosk_html_makes_site_files_relative_and_takes_every_link_out_of_the_kiosk():
    body = ('<p><img src="https://x.vn/gn/media/a.jpg" srcset="/gn/media/a-480.webp 480w, '
            'https://x.vn/gn/media/a-960.webp 960w" alt="Ảnh"> '
            '<a href="https://x.vn/gn/tin-bai/b/#doan-2">bài B</a>, '
            '<a href="https://x.vn/gn/lien-he/">liên hệ</a>, '
            '<a href="/gn/media/a.jpg" download>tải ảnh</a> '
            '<a href="https://dichvucong.gov.vn/">dịch vụ công</a>, <a href="#muc">mục</a></p>')
    result = kiosk_html(body, "kiosk/tin-bai/a/", "https://x.vn/gn", "https://x.vn/gn",
                        {"tin-bai/b/": "kiosk/tin-bai/b/"})
    page = BeautifulSoup(str(result.html), "html.parser")
    image = page.find("img")
    assert image["src"] == "../../../media/a.jpg"
    assert image["srcset"] == "../../../media/a-480.webp 480w, ../../../media/a-960.webp 960w"
    assert [a["href"] for a in page.find_all("a")] == ["../b/#doan-2", "#muc"]
    assert [s.get_text() for s in page.select(".hq-kiosk-outside")] == ["liên hệ", "dịch vụ công"]
    assert result.outside == [("liên hệ", "https://x.vn/gn/lien-he/"),
                              ("dịch vụ công", "https://dichvucong.gov.vn/")]


def test_the_kiosk_home_asks_for_the_commune_and_offers_the_current_units(sample_site):
    home = soup(sample_site.output / "kiosk" / "index.html")
    assert home.h1.get_text(strip=True) == "Bạn ở xã nào?"
    vocab = vocabulary.load(quality.ROOT / "data" / "vocabulary.toml")
    current = vocab.current_communes(dt.date.fromisoformat(quality.SAMPLE_TODAY))
    names = [a.get_text(strip=True) for a in home.select(".hq-kiosk-place")]
    assert names == [c.full_name[:1].upper() + c.full_name[1:] for c in current] + ["Toàn huyện"]
    for link in home.select(".hq-kiosk-place"):
        assert (sample_site.output / "kiosk" / link["href"] / "index.html").is_file(), link


def test_the_kiosk_home_knows_the_merges_on_the_builds_today(tmp_path, site):
    merged = vocabulary.DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'slug = "tan-hung"', 'slug = "tan-hung"\nsuccessor = "tan-khai"\nmerged_on = 2025-07-01')
    path = tmp_path / "vocabulary.toml"
    path.write_text(merged, encoding="utf-8")
    site.item("tin.md", category="Tân Khai", date="2025-08-01 08:00")
    for today, shown in (("2025-06-30", True), ("2025-07-01", False)):
        built = site.build(output=tmp_path / today, today=today, VOCABULARY_PATH=str(path))
        assert built.result.ok, built.result.report.format()
        links = [a["href"] for a in built.html("kiosk/").select(".hq-kiosk-place")]
        assert ("dia-ban/tan-hung/" in links) is shown, (today, links)
        assert "dia-ban/tan-khai/" in links and links[-1] == "dia-ban/toan-huyen/"
        assert built.exists("kiosk/dia-ban/tan-hung/index.html") is shown


def test_a_commune_page_shows_its_items_by_kind_and_the_district_wide_ones(sample_site):
    output = sample_site.output
    for page in (output / "kiosk" / "dia-ban").glob("*/index.html"):
        commune = page.parent.name
        if commune == "toan-huyen":
            continue
        shown = {a["href"] for a in soup(page).select("a.hq-kiosk-card")}
        site_cards = soup(output / "dia-ban" / commune / "index.html").select(".hq-card__title a")
        for link in site_cards:
            kiosk_item = "../../" + urlsplit(link["href"]).path.split("/giam-ngheo/", 1)[1]
            assert kiosk_item in shown, (commune, kiosk_item)
    sections = [h.get_text() for h in soup(output / "kiosk/dia-ban/minh-duc/index.html")("h2")]
    assert "Tin chung của cả huyện" in sections


def test_kiosk_pages_link_only_relative_urls_inside_the_kiosk_and_the_site_files(sample_site):
    failures = []
    for page in kiosk_pages(sample_site):
        for element in soup(page).find_all(True):
            if element.name == "link" and element.get("rel") == ["canonical"]:
                continue  # names the public page; the browser requests nothing
            for name in URL_ATTRIBUTES:
                if (element.get(name) or "").startswith("data:"):
                    continue  # in the page itself (the icon)
                for value in re.split(r",\s*", element.get(name) or ""):
                    url = value.split(" ")[0]
                    if not url:
                        continue
                    if urlsplit(url).scheme or url.startswith("/"):
                        failures.append(f"{page}: {name}={url}")
                        continue
                    target = urlsplit(url).path
                    resolved = Path(os.path.normpath(page.parent / target)) if target else page
                    if element.name == "a" and sample_site.output / "kiosk" not in \
                            [resolved, *resolved.parents]:
                        failures.append(f"{page}: link out of the kiosk: {url}")
                    if target and not (resolved.is_file() or (resolved / "index.html").is_file()):
                        failures.append(f"{page}: missing {url}")
    assert not failures, "\n".join(failures[:20])


def test_kiosk_pages_are_noindex_out_of_the_sitemap_and_use_their_own_stylesheet(sample_site):
    sitemap = (sample_site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/kiosk/" not in sitemap
    for page in kiosk_pages(sample_site):
        html = soup(page)
        assert html.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
        sheets = [link["href"] for link in html.select('link[rel="stylesheet"]')]
        assert len(sheets) == 1 and "/kiosk." in sheets[0], (page, sheets)
        assert not html.find("style") and not html.find(style=True)
        assert all(script.get("src") for script in html("script")), page
    for page in sample_site.html_files():
        if "kiosk" not in page.relative_to(sample_site.output).parts:
            assert "kiosk." not in page.read_text(encoding="utf-8").split("</head>")[0], page


def test_every_item_and_every_outside_link_shows_a_qr_code_of_the_public_address(sample_site):
    public = "https://honquan.binhphuoc.gov.vn/giam-ngheo/"
    items = [p for p in kiosk_pages(sample_site)
             if "hq-page--kiosk-item" in soup(p).body.get("class", [])]
    assert len(items) >= 10
    for page in items:
        html = soup(page)
        codes = [etree.fromstring(str(svg).encode()) for svg in html.select("svg.hq-qr")]
        descs = [c.findtext("{http://www.w3.org/2000/svg}desc") or "" for c in codes]
        kind, slug = page.parent.parent.name, page.parent.name
        assert any(f"{public}{kind}/{slug}/" in d for d in descs), page
        assert len(codes) >= 1 + len(html.select(".hq-kiosk-qrs li")), page
        if html.select_one(".hq-kiosk-item__body .hq-kiosk-outside"):
            assert html.select(".hq-kiosk-qrs li"), page


def test_a_youtube_video_shows_a_qr_code_and_a_local_video_plays_with_captions(sample_site):
    pages = list((sample_site.output / "kiosk" / "video").glob("*/index.html"))
    local = [soup(p) for p in pages if soup(p).select_one("video")]
    assert local, pages
    for html in local:
        assert html.select_one("video track[kind=captions][src]")
    youtube = [soup(p) for p in pages if not soup(p).select_one("video")]
    for html in youtube:
        assert "youtube" in " ".join(d.get_text() for d in html.select("svg.hq-qr desc"))
        assert not html.select("iframe")


@pytest.fixture(scope="module", params=PORTRAITS, ids=["1080x1920", "768x1366"])
def touch_page(request, chromium):
    context = chromium.new_context(viewport=request.param, has_touch=True, is_mobile=False)
    page = context.new_page()
    yield page
    context.close()


def kiosk_urls(sample_site) -> list[str]:
    """Home, one commune with items of several kinds, the search page (its keyboard shown),
    and one item of each kind."""
    pages = kiosk_pages(sample_site)
    chosen = [sample_site.output / "kiosk" / "index.html",
              sample_site.output / "kiosk" / "dia-ban" / "minh-duc" / "index.html",
              sample_site.output / "kiosk" / "tim-kiem" / "index.html"]
    kinds = {}
    for page in pages:
        kind = page.parent.parent.name
        if kind not in ("kiosk", "dia-ban") and page.parent.parent.parent.name == "kiosk":
            kinds.setdefault(kind, page)
    return [sample_site.url_of(p) for p in chosen + list(kinds.values())]


def test_every_visible_target_is_at_least_48_px_and_text_at_least_24_px(sample_site, touch_page):
    failures, media = [], set()
    for url in kiosk_urls(sample_site):
        touch_page.goto(url)
        touch_page.evaluate("document.fonts.ready")
        media.update(touch_page.evaluate("""[...document.querySelectorAll('.hq-kiosk-player')]
            .map(p => p.previousElementSibling.tagName)"""))
        for target in touch_page.evaluate(VISIBLE_TARGETS):
            if target["w"] < MIN_TARGET - 0.5 or target["h"] < MIN_TARGET - 0.5:
                failures.append(f"{url}: {target['w']:.0f}x{target['h']:.0f} {target['what']}")
        size = touch_page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        if size < 24:
            failures.append(f"{url}: body text {size}px")
        for size in touch_page.evaluate("""[...document.querySelectorAll('.hq-kiosk-player__time')]
                .map(e => parseFloat(getComputedStyle(e).fontSize))"""):
            if size < 24:
                failures.append(f"{url}: media time text {size}px")
        widths = touch_page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if widths[0] > widths[1]:
            failures.append(f"{url}: horizontal scroll {widths}")
    assert not failures, "\n".join(failures[:30])
    assert media == {"AUDIO", "VIDEO"}  # the kiosk's own media controls were measured


def test_a_tap_on_the_corner_of_a_card_opens_it(sample_site, touch_page):
    touch_page.goto(sample_site.url_of(sample_site.output / "kiosk" / "dia-ban" / "minh-duc" /
                                       "index.html"))
    card = touch_page.locator("a.hq-kiosk-card").first
    card.scroll_into_view_if_needed()
    href = card.get_attribute("href")
    box = card.bounding_box()
    touch_page.touchscreen.tap(box["x"] + box["width"] - 6, box["y"] + box["height"] - 6)
    touch_page.wait_for_url(re.compile(re.escape(href.rstrip("/").split("/")[-1]) + "/$"),
                            wait_until="commit")
    assert touch_page.locator("h1").inner_text() != ""


def test_the_home_and_back_buttons_stay_on_screen_after_scrolling(sample_site, touch_page):
    touch_page.goto(kiosk_urls(sample_site)[1])
    touch_page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for name in ("Trang đầu", "Quay lại"):
        box = touch_page.get_by_role("link", name=name).bounding_box()
        assert box and 0 <= box["y"] < touch_page.viewport_size["height"], name


def test_landscape_reflows_without_horizontal_scrolling(sample_site, chromium):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, has_touch=True)
    page = context.new_page()
    for url in kiosk_urls(sample_site):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), url
    context.close()


def test_no_kiosk_request_leaves_127_0_0_1_and_the_console_stays_clean(sample_site, chromium):
    context = chromium.new_context(viewport=PORTRAITS[0], has_touch=True)
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for url in kiosk_urls(sample_site):
        page.goto(url, wait_until="networkidle")
        for media in page.locator("audio, video").all():
            media.evaluate("e => e.load()")
        page.wait_for_load_state("networkidle")
    context.close()
    assert hosts == {"127.0.0.1"}, hosts
    assert not errors, errors


def test_every_item_shows_its_qr_code_without_scrolling(sample_site, touch_page):
    failures = []
    for page in kiosk_pages(sample_site):
        if page.parent.parent.parent.name != "kiosk" or page.parent.parent.name == "dia-ban":
            continue
        touch_page.goto(sample_site.url_of(page))
        touch_page.evaluate("document.fonts.ready")
        box = touch_page.locator(".hq-kiosk-take svg.hq-qr").bounding_box()
        height = touch_page.viewport_size["height"]
        if not box or box["y"] < 0 or box["y"] + box["height"] > height:
            failures.append(f"{page.parent.name}: {box}")
    assert not failures, failures


def test_the_text_size_buttons_say_when_they_are_at_their_limit(sample_site, touch_page):
    touch_page.goto(kiosk_urls(sample_site)[0])
    smaller = touch_page.locator("[data-kiosk-text=smaller]")
    larger = touch_page.locator("[data-kiosk-text=larger]")
    assert (smaller.inner_text(), smaller.is_disabled()) == ("Chữ nhỏ nhất", True)
    larger.tap()
    assert (smaller.inner_text(), smaller.is_disabled()) == ("Chữ nhỏ hơn", False)
    larger.tap()
    assert (larger.inner_text(), larger.is_disabled()) == ("Chữ to nhất", True)
    touch_page.reload()  # the size is kept for the visit, and so is the sign
    assert (larger.inner_text(), larger.is_disabled()) == ("Chữ to nhất", True)
    smaller.tap()
    smaller.tap()
    assert (larger.inner_text(), larger.is_disabled()) == ("Chữ to hơn", False)
    assert (smaller.inner_text(), smaller.is_disabled()) == ("Chữ nhỏ nhất", True)


def test_the_text_size_control_makes_text_larger(sample_site, touch_page):
    touch_page.goto(kiosk_urls(sample_site)[0])
    before = touch_page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    touch_page.get_by_role("button", name="Chữ to hơn").tap()
    after = touch_page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    touch_page.get_by_role("button", name="Chữ nhỏ hơn").tap()
    assert after > before >= 24
    assert touch_page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == before


def test_axe_finds_no_violation_on_any_kiosk_template(sample_site, chromium):
    from test_accessibility import RUN_AXE, WCAG_TAGS, _describe
    context = chromium.new_context(bypass_csp=True, viewport=PORTRAITS[1], has_touch=True)
    page = context.new_page()
    report = []
    for url in kiosk_urls(sample_site):
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        if violations:
            report += [url] + [_describe(v) for v in violations]
    context.close()
    assert not report, "\n".join(report)


IDLE_MS, COUNTDOWN_MS = 1000, 2000
SLIDE_MS = 2000  # kiosk.js: half the idle time, at least 2 s


def make_sound(path: Path, seconds: float) -> None:
    """A tone of `seconds` (sox), for a radio item's audio."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(path), "synth", str(seconds),
                    "sine", "440", "gain", "-6"], check=True)


@pytest.fixture(scope="module")
def quick_idle_kiosk(tmp_path_factory):
    """A small site whose kiosk gives up after 1 s without a touch, then counts down 2 s; one
    radio item has 3 s of audio, longer than the idle time."""
    from conftest import SiteMaker
    maker = SiteMaker(tmp_path_factory.mktemp("idle"))
    for number in range(3):
        maker.item(f"tin-{number}.md", title=f"Tin số {number}", category="Đồng Nơ",
                   date=f"2026-11-0{number + 1} 08:00", body="Nội dung. " * 400)
    make_sound(maker.content / "dong-no" / "loa.ogg", 3)
    maker.item("dong-no/loa.md", title="Bản tin loa xã Đồng Nơ", type="truyen-thanh",
               audio="loa.ogg", date="2026-10-01 08:00")
    built = maker.build(KIOSK_IDLE_SECONDS=IDLE_MS / 1000,
                        KIOSK_COUNTDOWN_SECONDS=COUNTDOWN_MS / 1000)
    assert built.result.ok, built.result.report.format()
    with quality.served(built.output) as origin:
        yield origin + "kiosk/"


@pytest.fixture
def touch_context(chromium):
    context = chromium.new_context(viewport=PORTRAITS[1], has_touch=True)
    yield context
    context.close()


@pytest.fixture
def idle_page(touch_context):
    """A kiosk page whose timers fire only when the test runs its clock (Playwright's): the
    idle and countdown times pass exactly when the test says, however busy the machine."""
    start = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.timezone.utc)
    touch_context.clock.install(time=start)
    touch_context.clock.pause_at(start + dt.timedelta(seconds=1))
    return touch_context.new_page()


def test_idle_reset_counts_down_then_returns_home_at_the_top_with_text_size_reset(
        quick_idle_kiosk, idle_page):
    page = idle_page
    page.goto(quick_idle_kiosk + "tin-bai/tin-0/")
    page.get_by_role("button", name="Chữ to hơn").tap()
    page.evaluate("window.scrollTo(0, 2000)")
    dialog = page.locator("[data-kiosk-idle-dialog]")
    page.clock.run_for(IDLE_MS - 1)
    assert dialog.is_hidden()
    page.clock.run_for(1)
    dialog.wait_for(state="visible")
    assert "Màn hình sẽ về trang đầu sau 2 giây" in dialog.inner_text()
    assert page.get_by_role("button", name="Tiếp tục").is_visible()
    assert page.evaluate("document.documentElement.getAttribute('data-kiosk-size')") == "1"
    page.clock.run_for(COUNTDOWN_MS)
    page.wait_for_url(quick_idle_kiosk)
    page.locator("h1").wait_for()
    assert page.locator("h1").inner_text() == "Bạn ở xã nào?"
    assert page.evaluate("[window.scrollY, document.documentElement.hasAttribute('data-kiosk-size')]"
                         ) == [0, False]


def test_continue_keeps_the_reader_on_the_page(quick_idle_kiosk, idle_page):
    page = idle_page
    page.goto(quick_idle_kiosk + "dia-ban/dong-no/")
    page.clock.run_for(IDLE_MS)
    page.locator("[data-kiosk-idle-dialog]").wait_for(state="visible")
    page.get_by_role("button", name="Tiếp tục").tap()
    assert page.locator("[data-kiosk-idle-dialog]").is_hidden()
    page.clock.run_for(IDLE_MS - 1)  # the idle time starts again from the tap
    assert page.locator("[data-kiosk-idle-dialog]").is_hidden()
    assert page.url == quick_idle_kiosk + "dia-ban/dong-no/"


def test_the_idle_home_cycles_the_latest_headlines_until_a_touch(quick_idle_kiosk, idle_page):
    page = idle_page
    page.goto(quick_idle_kiosk)
    show = page.locator("[data-kiosk-attract]")
    page.clock.run_for(IDLE_MS)
    show.wait_for(state="visible")
    first = page.locator("[data-kiosk-slide]:visible").inner_text()
    assert "Tin số 2" in first  # the newest first
    page.clock.run_for(SLIDE_MS)
    assert page.locator("[data-kiosk-slide]:visible").inner_text() != first
    page.touchscreen.tap(300, 300)
    show.wait_for(state="hidden")
    assert page.url == quick_idle_kiosk


def test_playing_audio_keeps_the_kiosk_and_its_end_starts_the_idle_time(quick_idle_kiosk,
                                                                        idle_page):
    page = idle_page
    page.goto(quick_idle_kiosk + "truyen-thanh/loa/")
    page.get_by_role("button", name="Phát").tap()
    page.get_by_role("button", name="Tạm dừng").wait_for()  # the play event has come
    page.clock.run_for(10 * (IDLE_MS + COUNTDOWN_MS))  # far past both, while it plays
    assert page.locator("[data-kiosk-idle-dialog]").is_hidden()
    assert page.url == quick_idle_kiosk + "truyen-thanh/loa/"
    page.get_by_role("button", name="Phát").wait_for(timeout=60_000)  # the end has come
    assert page.evaluate("document.querySelector('audio').ended")
    page.clock.run_for(IDLE_MS)
    page.locator("[data-kiosk-idle-dialog]").wait_for(state="visible")
    page.clock.run_for(COUNTDOWN_MS)
    page.wait_for_url(quick_idle_kiosk)


def test_pausing_audio_starts_the_idle_time_again(quick_idle_kiosk, idle_page):
    page = idle_page
    page.goto(quick_idle_kiosk + "truyen-thanh/loa/")
    page.get_by_role("button", name="Phát").tap()
    page.get_by_role("button", name="Tạm dừng").tap()  # waits for the play event's label
    page.get_by_role("button", name="Phát").wait_for()  # the pause event has come
    page.clock.run_for(IDLE_MS)
    page.locator("[data-kiosk-idle-dialog]").wait_for(state="visible")


def test_on_a_touch_screen_the_main_sites_small_links_are_44_px_and_cards_open_anywhere(
        sample_site, chromium):
    context = chromium.new_context(viewport={"width": 768, "height": 1366}, has_touch=True)
    page = context.new_page()
    item = sample_site.representatives()["item/tin-bai"]
    page.goto(sample_site.url_of(item))
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.hq-breadcrumbs a, .hq-item__facts a, .hq-more, .hq-footer a')]
      .map(e => [e.getBoundingClientRect().height, e.outerHTML.slice(0, 80)])
      .filter(([h]) => h < 44)""")
    assert not small, small
    page.goto(sample_site.url_of(sample_site.output / "dia-ban" / "minh-duc" / "index.html"))
    card = page.locator(".hq-card").first
    href = card.locator("a").get_attribute("href")
    box = card.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] - 4, box["y"] + box["height"] - 4)
    page.wait_for_url(href, wait_until="commit")
    context.close()


def test_after_a_first_visit_the_kiosk_works_with_the_server_stopped(tmp_path, chromium):
    """The service worker saved the kiosk: home -> commune -> item, picture shown, audio
    playable, with nothing listening any more."""
    output = tmp_path / "giam-ngheo"
    context = chromium.new_context(viewport=PORTRAITS[1], has_touch=True)
    page = context.new_page()
    with quality.served(tmp_path) as origin:
        built = quality.build_sample(output, origin + "giam-ngheo")
        assert built.ok, built.report.format()
        notes = [p.message for p in built.report.problems if p.code == "kiosk-precache"]
        assert notes and "Ki-ốt ngoại tuyến: lưu sẵn" in notes[0]
        home = origin + "giam-ngheo/kiosk/"
        install_kiosk_worker(page, home)
    page.goto(home)
    page.get_by_role("link", name="Xã Minh Đức").tap()
    page.wait_for_url(home + "dia-ban/minh-duc/")
    page.locator("a.hq-kiosk-card--truyen-thanh").first.tap()
    page.wait_for_url(re.compile(r"/kiosk/truyen-thanh/"))
    image = page.locator(".hq-kiosk-item__picture img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.hq-kiosk-item__picture img').complete")
    assert page.evaluate("document.querySelector('.hq-kiosk-item__picture img').naturalWidth") > 0
    page.wait_for_function("""() => { const a = document.querySelector('audio');
        if (a.readyState === 0 && !a.dataset.asked) { a.dataset.asked = 1; a.load(); }
        return a.readyState >= 1 && a.duration > 0 && !a.error; }""")
    context.close()


def test_the_precache_stays_within_its_budget_and_the_build_says_what_it_left_out(site):
    site.item("dong-no/a.md", title="Tin A")
    built = site.build(KIOSK_PRECACHE_BUDGET=60_000)
    assert built.result.ok, built.result.report.format()
    worker = (built.output / "kiosk" / "sw.js").read_text(encoding="utf-8")
    urls = json.loads(re.search(r"var URLS = (\[.*\]);", worker)[1])
    saved = sum((built.output / "kiosk" / Path(u if not u.endswith("/") else u + "index.html")
                 ).stat().st_size for u in urls)
    assert 0 < saved <= 60_000 and "./" in urls
    messages = {p.code: p.message for p in built.result.report.problems}
    assert "(giới hạn KIOSK_PRECACHE_BUDGET 60 KB)" in messages["kiosk-precache"]
    assert "không được lưu sẵn vì vượt giới hạn" in messages["kiosk-precache-budget"]


def test_conferences_show_their_time_place_and_participants_and_the_home_the_upcoming(site):
    """Upcoming relative to the build's today (2026-11-26), soonest first; past ones are not
    on the home but keep their facts on their page."""
    for slug, start, place in (("sap-toi", "2026-12-03 08:00", "Hội trường UBND xã Đồng Nơ"),
                               ("hom-nay", "2026-11-26 14:00", "Nhà văn hóa ấp Đồng Tâm"),
                               ("da-qua", "2026-11-02 08:00", "Hội trường huyện")):
        site.item(f"dong-no/{slug}.md", title=f"Hội nghị đối thoại {slug}", type="hoi-nghi",
                  start=start, end=start[:11] + "17:30", location=place,
                  participants="Cán bộ giảm nghèo, trưởng ấp", date="2026-11-01 08:00")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    upcoming = built.html("kiosk/").select("#sap-dien-ra + ul .hq-kiosk-card")
    assert [a["href"] for a in upcoming] == ["hoi-nghi/hom-nay/", "hoi-nghi/sap-toi/"]
    assert "Diễn ra: Thứ Năm, 03/12/2026, 08:00 – 17:30 · Hội trường UBND xã Đồng Nơ" in \
        " ".join(upcoming[1].get_text(" ").split())
    facts = built.html("kiosk/hoi-nghi/da-qua/").select_one(".hq-kiosk-facts")
    assert " ".join(facts.get_text(" ").split()) == (
        "Thời gian Thứ Hai, 02/11/2026, 08:00 – 17:30 Địa điểm Hội trường huyện "
        "Thành phần Cán bộ giảm nghèo, trưởng ấp")

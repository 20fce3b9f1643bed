"""Phones (issue 31), at 360 x 740 in Chromium on the sample site: a header of at most about
120 px whose menu waits behind a button that works without JavaScript; key actions at least
44 px tall; an infographic whose image opens full size and whose text version is shown."""

from __future__ import annotations

from urllib.parse import urlsplit

PHONE = {"width": 360, "height": 740}
HEADER_MAX = 120
# The actions a reader comes for, by the kind of page they are on.
KEY_ACTIONS = {
    "leaflet and handbook downloads": ".hq-item__downloads a",
    "video download": ".hq-video__note a",
    "audio download": ".hq-radio__links a",
    "handbook chapters": ".hq-toc__item a",
    "search page's browse lists": ".hq-search__browse a",
    "full-size picture": ".hq-media__download",
}
HEIGHTS = """selector => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])"""


def test_the_header_is_compact_on_every_template_and_hides_its_menu(sample_site, chromium):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    tall = {}
    for key, path in sample_site.representatives().items():
        page.goto(sample_site.url_of(path))
        if not page.locator(".hq-header").count():  # print copies, kiosk pages
            continue
        height = page.locator(".hq-header").bounding_box()["height"]
        if height > HEADER_MAX or page.locator(".hq-nav").is_visible():
            tall[key] = height
        assert page.locator("#o-tim-kiem").is_visible()
    context.close()
    assert not tall, tall


def test_the_menu_opens_without_javascript_and_leads_on(sample_site, chromium):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()["home"]))
    link = page.get_by_role("link", name="Xã, thị trấn")
    assert not link.is_visible()
    button = page.locator(".hq-menu__button")
    assert button.bounding_box()["height"] >= 44
    button.click()
    assert link.is_visible() and link.bounding_box()["height"] >= 44
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(target)
    context.close()


def test_on_a_wide_screen_the_menu_shows_without_its_button(sample_site, chromium):
    context = chromium.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()["home"]))
    assert page.get_by_role("link", name="Xã, thị trấn").is_visible()
    assert not page.locator(".hq-menu__button").is_visible()
    context.close()


def test_key_actions_are_at_least_44_px_tall_on_a_phone(sample_site, chromium):
    context = chromium.new_context(viewport=PHONE)  # no touch: a phone's width is enough
    page = context.new_page()
    seen, small = set(), []
    for key, path in sample_site.representatives().items():
        page.goto(sample_site.url_of(path))
        for kind, selector in KEY_ACTIONS.items():
            for text, height in page.evaluate(HEIGHTS, selector):
                seen.add(kind)
                if height < 44:
                    small.append(f"{key}: {kind} “{text}” {height:.0f} px")
    context.close()
    assert seen == set(KEY_ACTIONS), set(KEY_ACTIONS) - seen
    assert not small, "\n".join(small)


def test_an_infographic_opens_full_size_and_shows_its_text_on_a_phone(sample_site, chromium):
    context = chromium.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()["item/infographic"]))
    text = page.locator(".hq-infographic__text .hq-prose")
    assert text.is_visible() and text.bounding_box()["height"] > 100
    full = page.locator(".hq-media__download").get_attribute("href")
    page.locator(".hq-infographic__full img").tap()
    page.wait_for_url("**" + urlsplit(full).path)
    assert page.evaluate("document.images[0].naturalWidth") > PHONE["width"] * 2
    context.close()

"""WCAG 2.2 AA in a real browser, on one page of every template of the built sample site.

axe-core (npm, pinned in package-lock.json) runs in the machine's Chromium; keyboard use and
reflow are checked by driving the page like a reader would.

Reflow at 200 % zoom: browser zoom divides the CSS pixels of the window by the zoom factor, so
a 1280 px wide window at 200 % lays the page out in a 640 CSS px viewport (media queries and
all) with 2 device pixels per CSS pixel. We open the page exactly like that (viewport 640 x 400,
device_scale_factor 2). `device_scale_factor` alone changes no layout, and `body.style.zoom`
leaves media queries and the viewport width as they were, so neither would be a 200 % zoom.
320 px is WCAG 1.4.10's own figure (1280 px at 400 %).
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every page template the sample site must show; item types and any new template come on top.
EXPECTED_TEMPLATES = {"home", "commune", "communes", "type", "archives", "month-archive", "tags",
                      "tag", "page", "not-found", "search", "plan-progress"}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\n/g, ' '))}));
}"""
FOCUS_STYLE = """(element) => {
  const style = getComputedStyle(element);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(' | ');
}"""
TAB_STOPS_CHECKED = 4


def _describe(violation: dict) -> str:
    nodes = "\n      ".join(violation["nodes"][:5])
    return f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n      {nodes}"


def test_the_sample_site_shows_every_template(sample_site):
    keys = set(sample_site.representatives())
    assert EXPECTED_TEMPLATES <= keys, EXPECTED_TEMPLATES - keys
    assert len([key for key in keys if key.startswith("item/")]) >= 3, keys


def test_axe_finds_no_wcag_a_or_aa_violation_on_any_template(sample_site, chromium):
    # axe is injected as an inline script, which the page's own CSP rightly refuses.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    report = []
    for key, path in sample_site.representatives().items():
        page.goto(sample_site.url_of(path))
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        if violations:
            report.append(f"{key} ({sample_site.url_of(path)}):")
            report += [_describe(v) for v in violations]
    context.close()
    assert not report, "Lỗi tiếp cận (axe-core):\n" + "\n".join(report)


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(sample_site, browser_page):
    page = browser_page
    failures = []
    for key, path in sample_site.representatives().items():
        page.goto(sample_site.url_of(path))
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        if "hq-skip-link" not in focused:
            failures.append(f"{key}: Tab đầu tiên tới {focused!r}, không phải liên kết bỏ qua")
            continue
        box = page.locator(".hq-skip-link").bounding_box()
        if not box or box["y"] < 0 or box["height"] < 16:
            failures.append(f"{key}: liên kết bỏ qua không hiện ra khi được chọn: {box}")
        page.keyboard.press("Enter")
        target = page.evaluate("document.activeElement.id")
        if target != "noi-dung":
            failures.append(f"{key}: Enter trên liên kết bỏ qua đưa tới #{target!r}")
    assert not failures, "\n".join(failures)


def test_keyboard_focus_is_always_visible(sample_site, browser_page):
    """The skip link and the next tab stops look different when focused than when not."""
    page = browser_page
    failures = []
    for key, path in sample_site.representatives().items():
        page.goto(sample_site.url_of(path))
        for stop in range(TAB_STOPS_CHECKED):
            page.keyboard.press("Tab")
            element = page.evaluate_handle("document.activeElement")
            focused = page.evaluate(FOCUS_STYLE, element)
            label = page.evaluate("(e) => e.outerHTML.slice(0, 80)", element)
            page.evaluate("(e) => e.blur()", element)
            unfocused = page.evaluate(FOCUS_STYLE, element)
            if focused == unfocused:
                failures.append(f"{key}: điểm dừng Tab thứ {stop + 1} không có viền tiêu điểm: "
                                f"{label}")
            page.evaluate("(e) => e.focus()", element)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewport, scale", [({"width": 320, "height": 640}, 1),
                                             ({"width": 640, "height": 400}, 2)],
                         ids=["320px", "1280px-zoom-200"])
def test_pages_reflow_without_horizontal_scrolling(sample_site, chromium, viewport, scale):
    context = chromium.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    failures = []
    for key, path in sample_site.representatives().items():
        page.goto(sample_site.url_of(path))
        page.evaluate("document.fonts.ready")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .slice(0, 3).map(e => e.outerHTML.slice(0, 100))""")
            failures.append(f"{key}: rộng {widths[0]} px > {widths[1]} px; tràn: {wide}")
    context.close()
    assert not failures, "\n".join(failures)

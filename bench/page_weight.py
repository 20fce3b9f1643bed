"""Print what a first visit costs, per page template of the sample site, and check the budgets.

Run: .venv/bin/python bench/page_weight.py   (exit status 1 when a budget fails)

Builds content/ (publishconf.py, fixed today), serves it on 127.0.0.1, opens one page per
template in Chromium as a first-time visitor on a phone and prints the bytes it transferred
(text gzip level 6 as nginx sends it; fonts and images as they are), split into HTML, CSS,
JS, fonts, images and other, and the request count. Method: devtools/page_weight.py.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from devtools import chromium, page_weight, quality


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, quality.served_sample(Path(folder)) as site, \
            sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        weights = page_weight.measure_all(browser, {
            key: site.url_of(path) for key, path in site.representatives().items()})
        search = page_weight.search_cost(browser, site.url_of(site.output / "tim-kiem" / "index.html"), "nghèo")
        kiosk_search = page_weight.search_cost(
            browser, site.url_of(site.output / "kiosk" / "tim-kiem" / "index.html"), "nghèo",
            box="#ki-ot-tu-khoa", submit="[data-kiosk-keyboard] button[type=submit]",
            viewport={"width": 1080, "height": 1920})
        kiosk_index = page_weight.offline_index_size(site.output / "kiosk")
        browser.close()
    print("Bytes a first visit transfers (gzip -6 for text), phone viewport 360x740:")
    print(page_weight.table(weights))
    fonts = sorted((quality.ROOT / "theme" / "static" / "fonts").glob("*.woff2"))
    print("Fonts (Latin + Vietnamese subsets): "
          + ", ".join(f"{f.name} {f.stat().st_size} B" for f in fonts))
    print(f"A first one-word search (\"nghèo\") after the search page: {search} B")
    print(f"The same on the kiosk's search page (its own index): {kiosk_search} B")
    print(f"The kiosk's search index its service worker saves for offline use: "
          f"{kiosk_index[0]} files, {kiosk_index[1]} B ({kiosk_index[2]} B gzip)")
    items = [w for w in weights if w.is_item]
    heaviest = max(items, key=lambda w: w.critical)
    rules = [
        (f"item page HTML+CSS+fonts <= {page_weight.ITEM_BUDGET} B (heaviest: {heaviest.key} "
         f"{heaviest.critical} B)", all(w.critical <= page_weight.ITEM_BUDGET for w in items)),
        (f"first one-word search <= {page_weight.SEARCH_BUDGET} B ({search} B)",
         search <= page_weight.SEARCH_BUDGET),
        ("no render-blocking JavaScript", not any(w.blocking_scripts for w in weights)),
        ("no JavaScript needed to read", not any(w.missing_without_js for w in weights)),
        ("images below the fold are lazy", not any(w.eager_below_fold for w in weights)),
    ]
    print("\nBudgets:")
    for label, ok in rules:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    for w in weights:
        for problem in w.problems():
            print(f"    {w.key}: {problem}")
    return 0 if all(ok for _, ok in rules) else 1


if __name__ == "__main__":
    sys.exit(main())

"""What a first visit to a page costs a reader on a phone, measured in the machine's Chromium.

Method: a fresh browser context (empty cache) with a phone's viewport (360 x 740) opens the
page and waits until the network is idle; every response Playwright reports is counted once
(fonts and images that the page really used, lazy images only if Chromium fetched them).
Bytes are what nginx would send: text types gzip-compressed at level 6 (devtools.quality),
fonts and pictures as they are. Bytes are deterministic, so the budgets may be tests
(tests/test_page_weight.py); bench/page_weight.py prints the table.

Budgets (issue 7): an item page's HTML+CSS+fonts at most 60 KB (61,440 bytes) compressed; no
render-blocking JavaScript; every paragraph readable with JavaScript off; every image that
starts below the first screen is loading="lazy" (but one fetchpriority="high" main picture).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from devtools.quality import gzip_size

CATEGORIES = ("html", "css", "js", "fonts", "images", "other")
_CATEGORY_OF = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts",
                "image": "images"}
_TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
               "image/svg+xml", "application/manifest+json")
PHONE = {"width": 360, "height": 740}
ITEM_BUDGET = 60 * 1024  # HTML + CSS + fonts of an item page, compressed
SEARCH_BUDGET = 150 * 1024  # what a first one-word search adds: JS, WASM, index chunks (issue 17)
# Scripts that stop the page from showing until they have run.
BLOCKING_SCRIPTS = """() => [...document.querySelectorAll('script[src]')]
  .filter(s => !s.async && !s.defer && s.type !== 'module').map(s => s.src)"""
# Images whose top is below the first screen but which would load at once. One picture marked
# fetchpriority="high" is the page's main picture (an item's cover: at the top of the item,
# just under the fold on a phone) and may stay eager: lazy-loading the main picture delays it.
EAGER_BELOW_FOLD = """() => {
  const eager = [...document.images].filter(i => i.loading !== 'lazy'
    && i.getBoundingClientRect().top + window.scrollY >= window.innerHeight);
  const main = eager.filter(i => i.fetchPriority === 'high').slice(0, 1);
  return eager.filter(i => !main.includes(i)).map(i => i.currentSrc || i.src);
}"""
READABLE_TEXTS = """() => [...document.querySelectorAll(
    'main h1, main h2, main h3, main p, main li, main td, main th, main dd')]
  .filter(e => e.offsetParent !== null).map(e => e.innerText.trim()).filter(t => t)"""


@dataclass
class PageWeight:
    key: str
    url: str
    sizes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    requests: int = 0
    blocking_scripts: list[str] = field(default_factory=list)
    eager_below_fold: list[str] = field(default_factory=list)
    missing_without_js: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    @property
    def critical(self) -> int:
        """What must arrive before the text shows in its own font: HTML, CSS, fonts."""
        return self.sizes["html"] + self.sizes["css"] + self.sizes["fonts"]

    @property
    def is_item(self) -> bool:
        return self.key.startswith("item/")

    def problems(self) -> list[str]:
        found = []
        if self.is_item and self.critical > ITEM_BUDGET:
            found.append(f"HTML+CSS+fonts {self.critical} B > {ITEM_BUDGET} B")
        found += [f"render-blocking script {src}" for src in self.blocking_scripts]
        found += [f"image below the fold not lazy: {src}" for src in self.eager_below_fold]
        found += [f"needs JavaScript to show: {text[:60]!r}" for text in self.missing_without_js]
        return found


def _words(text: str) -> str:
    return " ".join(text.split())


def _compressible(response) -> bool:
    return response.headers.get("content-type", "").startswith(_TEXT_TYPES)


def measure_all(browser, pages: dict[str, str]) -> list[PageWeight]:
    """Weigh each page ({template key: URL}); one context without JavaScript serves all."""
    without_js = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        return [measure(browser, key, url, without_js) for key, url in pages.items()]
    finally:
        without_js.close()


def measure(browser, key: str, url: str, without_js_context=None) -> PageWeight:
    """Open `url` as a first-time visitor on a phone and weigh what came over the network."""
    weight = PageWeight(key, url)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    for response in responses:
        category = _CATEGORY_OF.get(response.request.resource_type, "other")
        if response.headers.get("content-type", "").startswith("image/"):
            category = "images"  # e.g. an icon comes as resource type "other"
        body = response.body()
        weight.sizes[category] += gzip_size(body) if _compressible(response) else len(body)
    weight.requests = len(responses)
    weight.blocking_scripts = page.evaluate(BLOCKING_SCRIPTS)
    weight.eager_below_fold = page.evaluate(EAGER_BELOW_FOLD)
    with_js = page.evaluate(READABLE_TEXTS)
    context.close()
    context = without_js_context or browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    without_js = _words(page.locator("main").inner_text())
    page.close()
    if not without_js_context:
        context.close()
    weight.missing_without_js = [text for text in with_js if _words(text) not in without_js]
    return weight


def table(weights: list[PageWeight]) -> str:
    """The figures, one line per template, in bytes."""
    header = f"{'template':<24}" + "".join(f"{c:>8}" for c in CATEGORIES)
    header += f"{'total':>9}{'H+C+F':>8}{'req':>5}"
    lines = [header, "-" * len(header)]
    for w in weights:
        lines.append(f"{w.key:<24}" + "".join(f"{w.sizes[c]:>8}" for c in CATEGORIES)
                     + f"{w.total:>9}{w.critical:>8}{w.requests:>5}")
    return "\n".join(lines)


def search_cost(browser, search_url: str, word: str, box: str = "#tim-kiem-tu-khoa",
                submit: str = ".hq-search button[type=submit]", viewport=None) -> int:
    """Bytes a phone's first one-word search transfers once the search page has loaded:
    Pagefind's script, its WebAssembly and the index chunks (text gzip-compressed). `box`
    and `submit` select the search box and its button (the kiosk's differ)."""
    context = browser.new_context(viewport=viewport or PHONE)
    page = context.new_page()
    page.goto(search_url, wait_until="networkidle")
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.fill(box, word)
    page.click(submit)
    page.wait_for_selector("[data-search-results][data-state=done]")
    page.wait_for_load_state("networkidle")
    total = sum(gzip_size(r.body()) if _compressible(r) else len(r.body()) for r in responses)
    context.close()
    return total


def offline_index_size(kiosk: Path) -> tuple[int, int, int]:
    """(files, bytes, gzip bytes) of the kiosk's search index that its service worker saves
    at install: the files listed in <kiosk>/pagefind/precache.json."""
    listed = json.loads((kiosk / "pagefind" / "precache.json").read_text(encoding="utf-8"))
    bodies = [(kiosk / name).read_bytes() for name in listed]
    return len(bodies), sum(map(len, bodies)), sum(gzip_size(b) for b in bodies)

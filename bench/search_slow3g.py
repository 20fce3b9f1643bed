#!/usr/bin/env python3
"""How soon a phone on Slow 3G sees its first search result (issue 31, plugins/search).

Builds the sample site (content/, as the issue measured it) or, with --items N, bench/
site_speed.py's corpus of N items (kept with --work), serves it on 127.0.0.1 and, in real
Chromium at 360 x 740 with Chrome's "Slow 3G" profile (Network.emulateNetworkConditions over
CDP: 2,000 ms latency, 50 KB/s each way), opens the home page, types a query in the header's search box and presses Enter. From Enter it times
the search page's arrival (its first paint of the form), the first result visible, and every
result listed; and it counts the bytes of the search (the search page, its script, Pagefind's
script, worker, WebAssembly, index and fragments; text gzip-compressed as nginx would send
it; not the home page's CSS and fonts, already in the cache). Each query runs in a fresh
context. `--fast` skips the throttling: bytes only, quickly.

The machine is shared: seconds vary with its load; bytes do not.

Run: .venv/bin/python bench/search_slow3g.py [--items 300] [--queries "dong no,vay von"] [--fast]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from urllib.parse import unquote, urlsplit
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
import site_speed  # noqa: E402  (the corpus and the build settings of the speed bench)

from devtools import chromium, page_weight, quality  # noqa: E402
from newsdesk.site.build import build  # noqa: E402

SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50 * 1024,
           "uploadThroughput": 50 * 1024}
QUERIES = ("dong no", "vay von uu dai", "giảm nghèo")


def _sent_bytes(tree: Path, response) -> int:
    """What nginx would send for a response: its file, gzip-compressed if text."""
    path = tree / unquote(urlsplit(response.url).path).lstrip("/")
    body = (path / "index.html" if path.is_dir() else path).read_bytes()
    return page_weight.gzip_size(body) if page_weight._compressible(response) else len(body)


def _kind(url: str) -> str:
    """What a response is, for the bytes' breakdown."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    for suffix, kind in ((".pf_index", "index"), (".pf_fragment", "fragments"),
                         (".pf_meta", "meta"), (".pf_filter", "filters"), (".pagefind", "wasm"),
                         (".js", "scripts"), (".json", "json")):
        if name.endswith(suffix):
            return kind
    return "page"


def first_search(browser, base: str, tree: Path, query: str, throttled: bool) -> dict:
    """`tree`: the folder served at `base`'s origin."""
    """Seconds from Enter to the search page, the first result and all results; bytes."""
    context = browser.new_context(viewport=page_weight.PHONE)
    page = context.new_page()
    home = set()  # what the home page fetched (its CSS, fonts): in the cache, not counted

    def noted(request):
        home.add(request.url)

    page.on("request", noted)
    page.goto(base, wait_until="networkidle")
    page.remove_listener("request", noted)
    if throttled:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.fill("#o-tim-kiem", query)
    start = time.monotonic()
    page.press("#o-tim-kiem", "Enter")
    page.wait_for_selector("[data-search-form]", timeout=120_000)
    arrived = time.monotonic() - start
    page.wait_for_selector("[data-search-list] li, [data-search-results][data-state=done]",
                           timeout=120_000)
    first = time.monotonic() - start if page.locator("[data-search-list] li").count() else None
    page.wait_for_selector("[data-search-results][data-state=done]", timeout=120_000)
    done = time.monotonic() - start
    page.wait_for_load_state("networkidle")
    parts: dict[str, int] = {}
    for response in {r.url: r for r in responses}.values():  # a URL asked twice comes once
        if response.status == 200 and response.url not in home:
            kind = _kind(response.url)
            parts[kind] = parts.get(kind, 0) + _sent_bytes(tree, response)
    count = page.locator("[data-search-list] li").count()
    context.close()
    return {"page": arrived, "first": first, "done": done, "bytes": sum(parts.values()),
            "parts": parts, "results": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=0,
                        help="a corpus of this many items; 0: the sample site (content/)")
    parser.add_argument("--queries", default=",".join(QUERIES), help="comma-separated")
    parser.add_argument("--fast", action="store_true", help="no throttling: bytes only")
    parser.add_argument("--work", type=Path, help="a folder to keep the corpus and caches in")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as stack:
        if arguments.items:
            tree = _built_corpus(arguments, Path(scratch))
            base = stack.enter_context(quality.served(tree))
        else:
            tree = Path(scratch)
            base = stack.enter_context(quality.served_sample(tree)).base_url
        profile = "no throttling" if arguments.fast else "Slow 3G (2,000 ms, 50 KB/s)"
        print(f"{arguments.items or 'The sample site:'} items; 360 x 740; {profile}; "
              "from Enter in the header box")
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            for query in arguments.queries.split(","):
                got = first_search(browser, base, tree, query, throttled=not arguments.fast)
                print(f"{query!r:>18}: search page {got['page']:5.1f} s, first result "
                      f"{got['first'] or float('nan'):5.1f} s, all {got['results']} "
                      f"{got['done']:5.1f} s, {got['bytes'] / 1000:.0f} KB ("
                      + ", ".join(f"{kind} {size / 1000:.0f}" for kind, size in
                                  sorted(got["parts"].items())) + ")", flush=True)
            browser.close()


def _built_corpus(arguments, scratch: Path) -> Path:
    """bench/site_speed.py's corpus of --items items, built; the output folder."""
    work = (arguments.work or scratch) / str(arguments.items)
    content, cache = work / "content", work / "cache"
    if not (work / "corpus-written").is_file():
        site_speed.write_corpus(content, arguments.items)
        (work / "corpus-written").touch()
    output = scratch / "output"
    result = build(site_speed.SETTINGS, output, {
        "PATH": str(content), "NEWSDESK_TODAY": site_speed.TODAY,
        "IMAGES_CACHE_DIR": str(cache / "images"),
        "POSTSTEPS_CACHE_DIR": str(cache / "poststeps"),
        "READER_CACHE_DIR": str(cache / "items")})
    if not result.ok:
        raise SystemExit(result.report.format())
    return output.resolve()


if __name__ == "__main__":
    main()

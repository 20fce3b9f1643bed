#!/usr/bin/env python3
"""What splitting the search index in shards costs a reader (issue 16, plugins/search/index.py).

Writes bench/site_speed.py's corpus of N items (or takes one kept with --work), builds it once
per shard size (SEARCH_SHARD_PAGES; caches warm after the first), serves each build on
127.0.0.1 and prints, per size, the number of shards and the bytes a phone's first one-word
search transfers after the search page has loaded, for a few words (Pagefind's script, its
WebAssembly, each shard's entry, metadata and index chunks, the results' fragments; text
gzip-compressed; method: devtools/page_weight.search_cost).

Run: .venv/bin/python bench/search_shards.py [--items 1000] [--sizes 100000,800,400]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
import site_speed  # noqa: E402  (the corpus and the build settings of the speed bench)

from devtools import chromium, page_weight, quality  # noqa: E402
from newsdesk.site.build import build  # noqa: E402

WORDS = ("vay", "nghèo", "bò")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--sizes", default="100000,800,400",
                        help="SEARCH_SHARD_PAGES values, comma-separated")
    parser.add_argument("--work", type=Path, help="a folder to keep the corpus and caches in")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = (arguments.work or Path(scratch)) / str(arguments.items)
        content, cache = work / "content", work / "cache"
        if not (work / "corpus-written").is_file():
            site_speed.write_corpus(content, arguments.items)
            (work / "corpus-written").touch()
        print(f"{arguments.items} items; a first search's bytes for: {', '.join(WORDS)}")
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            for size in (int(s) for s in arguments.sizes.split(",")):
                output = Path(scratch) / f"shards-{size}" / "output"
                result = build(site_speed.SETTINGS, output, {
                    "PATH": str(content), "NEWSDESK_TODAY": site_speed.TODAY,
                    "IMAGES_CACHE_DIR": str(cache / "images"),
                    "POSTSTEPS_CACHE_DIR": str(cache / "poststeps"),
                    "READER_CACHE_DIR": str(cache / "items"), "SEARCH_SHARD_PAGES": size})
                if not result.ok:
                    raise SystemExit(result.report.format())
                tree = output.resolve()
                shards = 1 + len(list((tree / "pagefind").glob("phan-*")))
                with quality.served(tree) as base:
                    costs = [page_weight.search_cost(browser, base + "tim-kiem/", word)
                             for word in WORDS]
                print(f"SEARCH_SHARD_PAGES {size:>6}: {shards} shard(s), "
                      + ", ".join(f"{word} {cost / 1000:.0f} KB" for word, cost in
                                  zip(WORDS, costs)), flush=True)
            browser.close()


if __name__ == "__main__":
    main()

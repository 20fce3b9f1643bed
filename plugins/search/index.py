"""The post-build steps `search` and `kiosk-search`: Pagefind's binary (PyPI `pagefind-bin`)
over the built tree, one index each.

- `search`: the main site's marked item pages, seen from the site root, into `pagefind/`.
  The kiosk edition and drafts are left out, even if a template marked them.
- `kiosk-search`: the kiosk edition's marked item pages, seen from the kiosk's folder
  (KIOSK_URL), into `<kiosk>/pagefind/`. Pagefind derives its results' base URL from where
  its bundle is loaded, so a kiosk result is always a page of the kiosk; its files are listed
  in `<kiosk>/pagefind/precache.json` for the kiosk's service worker (KIOSK_PRECACHE_LISTS).
  When the kiosk mirrors the site (its marked pages lie at the same paths under its folder
  as the site's under the root: KIOSK_ITEM_URL is KIOSK_URL + ARTICLE_URL, and no item has a
  translation), the kiosk's index is the site's, hard-linked: its results then lead to the
  same paths under the kiosk's folder, and Pagefind indexes each item once, not twice (half
  of a build's indexing time and of its peak memory). Else the kiosk's own pages are indexed.

Pagefind reads a copy of the pages in which đ/Đ are d/D + U+0335 (text.stroked_d): it folds
that mark as it folds tone marks, so "dong no" finds "Đồng Nơ"; the search script shows the
results with their đ back.

Both steps are `early` (newsdesk/site/poststep.py): they read only item pages, so in a build
they start, in a process of their own, as soon as every page is written, and Pagefind runs
beside the feeds and Pelican's last work.

An index of many pages is split into shards of about SEARCH_SHARD_PAGES pages (a page's shard
is fixed by a hash of its path), each a Pagefind bundle of its own: the first at `pagefind/`,
the others at `pagefind/phan-<n>/`, listed in `pagefind/phan.json` for the search script to
merge (Pagefind's `mergeIndex`), with every shard's metadata file, which the script fetches at
once with the shard's entry rather than one after the other, and every index chunk's first
and last word, so that the script fetches the chunks a query from the page's address needs
at once too. Pagefind holds about 0.25 MB per
page while indexing, so a shard bounds its memory; and each shard is cached by its own pages (their
digests, which the render queue notes as it writes them: no page is read for a key), so an
edited item re-indexes one shard. A merged shard runs on the first bundle's script, worker and
WebAssembly, so its folder keeps only its index. Yet each shard costs a query its own index
chunk (at 1,000 items, two shards made a first search 71-158 KB heavier than one): so
shards stay large, bounded by Pagefind's memory rather than the edit's time.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import cbor2

from newsdesk.content.text import stroked_d
from newsdesk.site.poststep import (DEFAULT_CACHE_DIR, PostStep, PostStepError, add_tree,
                                     kept_part, marked_pages, parts_key, per_run, prune_parts)
from newsdesk.site.render_queue import note_marked

MARKER = b"data-pagefind-body"  # only pages holding it are indexed
MARKER_NOTES = "search-marked"  # the render queue's notes: each marked page's digest
BUNDLE_DIR = "pagefind"  # an index's folder beside the pages it indexes
PRECACHE_LIST = "precache.json"  # in a kiosk bundle: the files a search needs offline
SHARD_LIST = "phan.json"  # in a bundle: its other shards' folders, metadata files and chunks
SHARD_PAGES = 800  # default SEARCH_SHARD_PAGES: Pagefind then stays near 200 MB
SHARD_VERSION = "2"  # bump when a shard's files change for the same pages
# Pagefind's ready-made UIs, not kept: our own script searches.
_NOT_NEEDED = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")
# What a merged shard never loads (Pagefind 1.5: `mergeIndex` inits with load_wasm false, and
# one worker serves every index): left out of the shards' folders and the kiosk's offline list.
_FIRST_BUNDLE_ONLY = shutil.ignore_patterns("pagefind.js", "pagefind-worker.js", "wasm.*")


def add_steps(pelican):
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    steps = list(settings.get("POSTSTEPS") or [])
    wanted = [SEARCH_STEP] + ([KIOSK_SEARCH_STEP] if _kiosk_folder(settings) else [])
    for step in wanted:
        if not any(s.name == step.name for s in steps):
            steps.append(step)
    settings["POSTSTEPS"] = steps
    note_marked(settings, MARKER_NOTES, MARKER)
    if _kiosk_folder(settings):
        lists = list(settings.get("KIOSK_PRECACHE_LISTS") or [])
        entry = f"{BUNDLE_DIR}/{PRECACHE_LIST}"
        settings["KIOSK_PRECACHE_LISTS"] = lists + ([entry] if entry not in lists else [])


def _folder_of(url_pattern: str) -> str:
    """The first folder of a URL setting ("kiosk/", "ban-nhap/{slug}/" -> "kiosk", "ban-nhap");
    "" when the setting is empty or starts with a placeholder."""
    head = (url_pattern or "").split("{")[0].strip("/")
    return head.split("/")[0] if head else ""


def _kiosk_folder(settings: dict) -> str:
    return _folder_of(settings.get("KIOSK_URL", ""))


def _marked(tree: Path, settings: dict, under: str, skip: tuple[str, ...]) -> dict[Path, str]:
    """Marked pages under the tree's folder `under`, except those whose path (relative to it)
    starts with a folder of `skip`, with their digests (found once while the steps run: both
    indexes and their keys ask)."""
    def find() -> dict[Path, str]:
        start = len(str(tree / under)) + 1
        return {Path(path): digest for path, digest
                in marked_pages(tree, settings, MARKER_NOTES, MARKER, under=under).items()
                if path[start:].split("/")[0] not in skip}

    return per_run(("marked", tree, under, skip), find)


@dataclass(frozen=True)
class Pages:
    """What one index covers: the folder its URLs start from, and the pages in it, each with
    the digest of its bytes."""

    root: Path
    pages: dict[Path, str]


def site_pages(tree: Path, settings: dict) -> Pages:
    """The main index: marked item pages outside the kiosk, drafts and any bundle."""
    skip = tuple(f for f in (_kiosk_folder(settings), _folder_of(settings.get("DRAFT_URL", "")),
                             BUNDLE_DIR) if f)
    return Pages(tree, _marked(tree, settings, "", skip))


def kiosk_pages(tree: Path, settings: dict) -> Pages:
    """The kiosk index: the site's pages when the kiosk mirrors them (see the module
    docstring), else the kiosk edition's marked pages, seen from the kiosk's folder."""
    folder = _kiosk_folder(settings)
    root = tree / folder
    own = _marked(tree, settings, folder, (BUNDLE_DIR,)) if root.is_dir() else {}
    site = site_pages(tree, settings)
    if sorted(p.relative_to(root) for p in own) == [p.relative_to(tree) for p in site.pages]:
        return site
    return Pages(root, own)


def _step(name: str, label: str, folder_of, pages_of, precache_list: bool) -> PostStep:
    """A step writing the index of `pages_of(tree, settings)` into the folder
    `folder_of(settings)` of the tree."""

    def inputs(tree: Path, settings: dict):
        yield f"SEARCH_SHARD_PAGES {_shard_size(settings)}"
        found = pages_of(tree, settings)
        yield found.root.relative_to(tree).as_posix()
        yield from (key for _, _, key in _keyed_shards(tree, found, _shard_size(settings)))

    def run(tree: Path, out: Path, settings: dict) -> None:
        found = pages_of(tree, settings)
        if not found.pages:  # nothing published yet: no index (Pagefind refuses an empty one)
            return
        bundle = out / folder_of(settings) / BUNDLE_DIR
        _write_shards(tree, found, bundle, settings)
        if precache_list:
            _write_precache_list(bundle)

    return PostStep(name=name, label=label, inputs=inputs, run=run, version="6", early=True)


def shards(pages: list[Path], root: Path, size: int) -> dict[int, list[Path]]:
    """The pages by shard number: about `size` pages a shard, a page's shard fixed by its path
    (so an added item moves no other page, until the number of shards grows)."""
    count = max(1, -(-len(pages) // max(1, size)))
    found: dict[int, list[Path]] = {}
    for page in pages:
        number = zlib.crc32(page.relative_to(root).as_posix().encode()) % count
        found.setdefault(number, []).append(page)
    return dict(sorted(found.items()))


def _keyed_shards(tree: Path, found: Pages, size: int) -> list[tuple[int, list[Path], str]]:
    """(number, pages, key) of each shard, worked out once for the step's key and its run
    (and for both indexes when the kiosk's is the site's)."""
    return per_run(("shards", tree, found.root, size, tuple(found.pages)), lambda: [
        (number, pages, parts_key(f"search-shard\0{SHARD_VERSION}\0",
                                  _shard_parts(tree, found, pages)))
        for number, pages in shards(found.pages, found.root, size).items()])


def _write_shards(tree: Path, found: Pages, bundle: Path, settings: dict) -> None:
    """Each shard's bundle (from the cache when its pages did not change): the first at
    `bundle`, the others in its subfolders, named in `bundle/phan.json`."""
    kept = Path(settings.get("POSTSTEPS_CACHE_DIR") or DEFAULT_CACHE_DIR) / "search-shards"
    placed, metas, chunks = [], [], []
    for number, pages, key in _keyed_shards(tree, found, _shard_size(settings)):
        stored = kept_part(kept, key, lambda work: _pagefind(found.root, pages, work))
        prefix = f"phan-{number}/" if placed else ""
        add_tree(stored, bundle / prefix, ignore=_FIRST_BUNDLE_ONLY if placed else None)
        placed.append(prefix)
        for meta in sorted(stored.glob("*.pf_meta")):
            metas.append(prefix + meta.name)
            chunks += [[first, last, f"{prefix}index/{name}.pf_index"]
                       for first, last, name in _index_chunks(meta)]
    listed = {"shards": placed[1:], "meta": metas, "chunks": chunks}
    (bundle / SHARD_LIST).write_text(json.dumps(listed) + "\n", encoding="utf-8")
    prune_parts(kept)


def _index_chunks(meta: Path) -> list[list[str]]:
    """The index chunks a Pagefind metadata file lists: [first word, last word, file name]
    (Pagefind 1.5: gzip, "pagefind_dcd", then CBOR [version, pages, chunks, ...])."""
    data = gzip.decompress(meta.read_bytes()).removeprefix(b"pagefind_dcd")
    return [list(chunk) for chunk in cbor2.loads(data)[2]]


def _shard_size(settings: dict) -> int:
    return int(settings.get("SEARCH_SHARD_PAGES") or SHARD_PAGES)


def _shard_parts(tree: Path, found: Pages, pages: list[Path]):
    yield version("pagefind-bin")
    yield found.root.relative_to(tree).as_posix()
    for path in pages:
        yield path.relative_to(found.root).as_posix()
        yield found.pages[path]


def _pagefind(root: Path, pages: list[Path], bundle: Path) -> None:
    """Pagefind over a copy of the pages (seen from `root`) with đ spelled for folding
    (text.stroked_d), beside `bundle`: the built pages stay as they are."""
    from pagefind_bin import get_executable

    with tempfile.TemporaryDirectory(prefix=".site-", dir=bundle.parent) as staged:
        for page in pages:
            copy = Path(staged) / page.relative_to(root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(stroked_d(page.read_text(encoding="utf-8")), encoding="utf-8")
        command = [str(get_executable()), "--site", staged, "--output-path", str(bundle),
                   "--force-language", "vi", "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostStepError(f"Pagefind báo lỗi: {(result.stderr or result.stdout).strip()[-500:]}")
    for ready_made in [p for p in bundle.iterdir() if p.name.startswith(_NOT_NEEDED)]:
        ready_made.unlink()


def _write_precache_list(bundle: Path) -> None:
    """List the bundle's files (script, worker, WebAssembly, every shard's index), as
    URLs relative to the kiosk home, for the service worker to save."""
    files = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    urls = [f"{BUNDLE_DIR}/{name}" for name in files]
    (bundle / PRECACHE_LIST).write_text(json.dumps(urls, indent=0) + "\n", encoding="utf-8")


SEARCH_STEP = _step("search", "chỉ mục tìm kiếm", lambda _: "", site_pages,
                    precache_list=False)
KIOSK_SEARCH_STEP = _step("kiosk-search", "chỉ mục tìm kiếm của ki-ốt", _kiosk_folder,
                          kiosk_pages, precache_list=True)

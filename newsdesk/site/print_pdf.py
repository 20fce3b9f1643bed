"""Print pages rendered by WeasyPrint into PDFs: the one renderer of the leaflets
(plugins/print_products) and the handbooks (plugins/handbooks), for their post-build steps.

A print page is an HTML file of the built tree that carries its marker in its head
(`<meta name="generator-part" content=MARKER>`) and names each PDF to make from it
(`<link rel="alternate" type="application/pdf" data-variant="ua|press" href=…>`), so a step
needs nothing but the built tree. WeasyPrint reads only files under the tree: anything else
(a web address, a file outside) stops the step with a Vietnamese message. `PrintPages(marker,
what)` gives a step its inputs (the pages, every file they use, WeasyPrint's version and
PUBLIC_URL) and its run.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from newsdesk.site.poststep import (DEFAULT_CACHE_DIR, PostStepError, add_tree, built_files,
                                     kept_part, parts_key, prune_parts)

# Post-build steps run side by side (newsdesk.site.poststep): WeasyPrint, not made for
# threads, renders one print product at a time.
_ONE_AT_A_TIME = threading.Lock()

VARIANTS = {"ua": "pdf/ua-1", "press": "pdf/x-4"}


@dataclass(frozen=True)
class PrintPages:
    """The print pages of one kind (found by `marker`) and how a step renders them; `what`
    names one in the step's messages ("tờ rơi", "cẩm nang")."""

    marker: str
    what: str

    def pages(self, tree: Path) -> list[Path]:
        found, marker = [], self.marker.encode()
        for path in built_files(tree, suffix="index.html"):
            if os.path.basename(path) != "index.html":
                continue
            with open(path, "rb") as handle:
                if marker in handle.read(4096):
                    found.append(Path(path))
        return found

    def inputs(self, tree: Path, settings: dict):
        yield from _shared_parts(settings)
        for page in self.pages(tree):
            yield from _page_parts(tree, page)

    def render_all(self, tree: Path, out: Path, settings: dict) -> None:
        """Render each page's PDFs into `out`; a page whose inputs did not change since an
        earlier run takes its PDFs from that run (one leaflet edited: one leaflet rendered)."""
        own = [u for u in (settings.get("SITEURL"), settings.get("PUBLIC_URL")) if u]
        kept = Path(settings.get("POSTSTEPS_CACHE_DIR") or DEFAULT_CACHE_DIR) / "print-pages"
        with _ONE_AT_A_TIME:
            for page in self.pages(tree):
                key = parts_key(f"print-page\0{PAGE_VERSION}\0", [
                    *_shared_parts(settings), *_page_parts(tree, page)])
                stored = kept_part(kept, key,
                                   lambda work: render_page(tree, page, work, own, self.what))
                add_tree(stored, out)
        prune_parts(kept)


PAGE_VERSION = "1"  # bump when render_page changes what it writes


def _shared_parts(settings: dict):
    yield f"weasyprint {version('weasyprint')}"
    yield f"PUBLIC_URL {settings.get('PUBLIC_URL', '')}"
    yield f"SITEURL {settings.get('SITEURL', '')}"


def _page_parts(tree: Path, page: Path):
    yield page.relative_to(tree).as_posix()
    yield page.read_bytes()
    for used in page_files(tree, page):
        yield used.relative_to(tree.resolve()).as_posix()
        yield used.read_bytes()


def page_files(tree: Path, page: Path) -> list[Path]:
    """The local files a print page uses: stylesheets (and their fonts) and pictures."""
    document = lxml_html.parse(str(page)).getroot()
    refs = document.xpath("//link[@rel='stylesheet']/@href | //img/@src")
    files = [_local(tree, page, ref) for ref in refs]
    fonts_dir = tree / "theme" / "fonts"
    fonts = sorted(fonts_dir.glob("*")) if fonts_dir.is_dir() else []
    return [f for f in files if f] + fonts


def _local(tree: Path, page: Path, ref: str) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    return target if target.is_file() and target.is_relative_to(tree.resolve()) else None


def render_page(tree: Path, page: Path, out: Path, own: list[str] = (),
                what: str = "tờ rơi") -> None:
    """Every PDF a print page names, written into `out` at its place in the tree."""
    document = lxml_html.parse(str(page)).getroot()
    weasyprint = _weasyprint()
    fetcher = tree_only_fetcher(tree, own)
    source = weasyprint.HTML(filename=str(page), url_fetcher=fetcher)
    for link in document.xpath("//link[@rel='alternate'][@type='application/pdf']"):
        variant = VARIANTS[link.get("data-variant")]
        target = out / (page.parent / link.get("href")).resolve().relative_to(tree.resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        source.write_pdf(target, pdf_variant=variant, pdf_tags=variant.startswith("pdf/ua"),
                         custom_metadata=True)
        if fetcher.refused:
            raise PostStepError(
                f"{what} {page.parent.relative_to(tree).as_posix()}/ dùng tệp không nằm trong "
                f"trang đã dựng ({fetcher.refused[0]}); tệp PDF chỉ được lấy ảnh, phông chữ "
                "đặt cạnh bài.")


def _weasyprint():
    """WeasyPrint, imported when a page is rendered. Its import turns on Pillow's
    LOAD_TRUNCATED_IMAGES for the whole process, which would let the media step accept a cut
    picture: the setting is put back as it was."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint
    import weasyprint.images  # noqa: F401 (the module that changes the setting)

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def tree_only_fetcher(tree: Path, own: list[str] = ()):
    """A WeasyPrint URL fetcher that reads files under `tree` and refuses everything else."""
    from weasyprint.urls import URLFetcher

    class TreeOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher limited to files under the built tree; everything else refused."""

        def __init__(self, tree: Path, own: list[str] = ()):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.tree = Path(tree).resolve()
            self.own = [u.rstrip("/") + "/" for u in own]  # the site's own addresses: files of the tree
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            path = self._path(url)
            if path is None or not path.is_relative_to(self.tree) or not path.is_file():
                self.refused.append(url)
                raise ValueError(f"refused: {url}")
            return super().fetch(path.as_uri(), headers)

        def _path(self, url: str) -> Path | None:
            for prefix in self.own:
                if url.startswith(prefix):
                    return (self.tree / unquote(urlsplit(url[len(prefix):]).path)).resolve()
            parts = urlsplit(url)
            if parts.scheme != "file":
                return None
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.tree):  # "/anh/x.jpg" (root-relative) is the tree's
                path = (self.tree / unquote(parts.path).lstrip("/")).resolve()
            return path

    return TreeOnlyFetcher(tree, own)

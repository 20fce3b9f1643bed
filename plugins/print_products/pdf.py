"""The post-build step `leaflets`: each print page rendered by WeasyPrint into two PDFs.

The resident's file is PDF/UA-1 (tagged, language from `<html lang="vi">`), the print shop's
PDF/X-4. A print page names its PDFs and its stylesheet in its head
(`<link rel="alternate" type="application/pdf" data-variant=…>`), so the step needs nothing
but the built tree. WeasyPrint reads only files under the tree: anything else (a web address,
a file outside) stops the step with a Vietnamese message. The cache key covers the print
pages, every file they use (stylesheet, fonts, pictures), WeasyPrint's version and
PUBLIC_URL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from importlib.metadata import version

from lxml import html as lxml_html

from newsdesk.site.poststep import PostStep, PostStepError

MARKER = "hq-leaflet-print"  # the print page's <meta name="generator-part"> content
VARIANTS = {"ua": "pdf/ua-1", "press": "pdf/x-4"}


def add_step(pelican):
    if not pelican.settings.get("PRINT_PRODUCTS_PDF", True):
        return
    steps = list(pelican.settings.get("POSTSTEPS") or [])
    if not any(step.name == LEAFLET_STEP.name for step in steps):
        steps.append(LEAFLET_STEP)
    pelican.settings["POSTSTEPS"] = steps


def print_pages(tree: Path) -> list[Path]:
    """The leaflets' print pages of the built tree, found by their marker."""
    found = []
    for path in sorted(tree.glob("**/index.html")):
        with path.open("rb") as handle:
            head = handle.read(4096)
        if MARKER.encode() in head:
            found.append(path)
    return found


def _page_files(tree: Path, page: Path) -> list[Path]:
    """The local files a print page uses: stylesheets (and their fonts) and pictures."""
    document = lxml_html.parse(str(page)).getroot()
    refs = document.xpath("//link[@rel='stylesheet']/@href | //img/@src")
    files = [_local(tree, page, ref) for ref in refs]
    fonts = sorted((tree / "theme" / "fonts").glob("*")) if (tree / "theme" / "fonts").is_dir() else []
    return [f for f in files if f] + fonts


def _local(tree: Path, page: Path, ref: str) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    return target if target.is_file() and target.is_relative_to(tree.resolve()) else None


def step_inputs(tree: Path, settings: dict):
    yield f"weasyprint {version('weasyprint')}"
    yield f"PUBLIC_URL {settings.get('PUBLIC_URL', '')}"
    for page in print_pages(tree):
        yield page.relative_to(tree).as_posix()
        yield page.read_bytes()
        for used in _page_files(tree, page):
            yield used.relative_to(tree.resolve()).as_posix()
            yield used.read_bytes()


def render_leaflets(tree: Path, out: Path, settings: dict) -> None:
    own = [u for u in (settings.get("SITEURL"), settings.get("PUBLIC_URL")) if u]
    for page in print_pages(tree):
        render_page(tree, page, out, own)


def render_page(tree: Path, page: Path, out: Path, own: list[str] = ()) -> None:
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
                f"tờ rơi {page.parent.relative_to(tree).as_posix()}/ dùng tệp không nằm trong "
                f"trang đã dựng ({fetcher.refused[0]}); tệp PDF chỉ được lấy ảnh, phông chữ "
                "đặt cạnh bài.")


def _weasyprint():
    """WeasyPrint, imported when a leaflet is rendered. Its import turns on Pillow's
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


LEAFLET_STEP = PostStep(name="leaflets", label="tệp PDF tờ rơi", inputs=step_inputs,
                        run=render_leaflets, version="1")

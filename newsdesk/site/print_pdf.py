"""Print pages rendered by WeasyPrint into PDFs: the one renderer of the leaflets
(plugins/print_products) and the handbooks (plugins/handbooks), for their post-build steps.

A print page is an HTML file of the built tree that carries its marker in its head
(`<meta name="generator-part" content=MARKER>`) and names each PDF to make from it
(`<link rel="alternate" type="application/pdf" data-variant="ua|press" href=…>`), so a step
needs nothing but the built tree. WeasyPrint reads only files under the tree: anything else
(a web address, a file outside) stops the step with a Vietnamese message. `PrintPages(marker,
what)` gives a step its inputs (the pages, every file they use, WeasyPrint's version,
PUBLIC_URL and the press profile) and its run.

A page may ask to be fitted (`<meta name="hq-fit" content="PAGES: SIZE SIZE …">`, largest
first): it is printed at the largest root font size of the list at which it fits in PAGES
pages (a short leaflet in larger type); none fitting stops the step, naming the source file
(`<meta name="hq-source">`). An element of class `hq-fill` (a flex column that spreads its
parts over the page) is laid out as plain blocks while fitting: WeasyPrint does not split a
flex box across pages, so only blocks show what does not fit.

The resident's file ("ua", PDF/UA-1) is exactly the page's size. The print shop's ("press",
PDF/X-4) adds `data-bleed` mm of bleed with crop marks beyond it (the CSS bleed area holds
both: PRESS_MARKS_MM more), an exact BleedBox around the TrimBox, and an output intent with
the CMYK profile PRINT_PDF_PRESS_PROFILE (an ICC file of a Debian package).
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from newsdesk.site import cores, render_queue
from newsdesk.site.poststep import (DEFAULT_CACHE_DIR, PostStepError, add_tree, kept_part,
                                     marked_pages, parts_key, per_run, prune_parts, store)

# Post-build steps run side by side (newsdesk.site.poststep): WeasyPrint, not made for
# threads, renders one print product at a time in a process.
_ONE_AT_A_TIME = threading.Lock()

VARIANTS = {"ua": "pdf/ua-1", "press": "pdf/x-4"}
# Artifex's CMYK SWOP profile, from Debian's libgs-common (scripts/system-packages.sh).
DEFAULT_PRESS_PROFILE = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
PRESS_MARKS_MM = 7  # room for the crop marks beyond the bleed (WeasyPrint draws them there)
POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class PrintPages:
    """The print pages of one kind (found by `marker`) and how a step renders them; `what`
    names one in the step's messages ("tờ rơi", "cẩm nang")."""

    marker: str
    what: str

    def note(self, settings: dict) -> None:
        """Have the render queue note the print pages as it writes them (at `initialized`):
        the step's key then reads none of them again."""
        render_queue.note_marked(settings, self._notes, self.marker.encode(), within=4096)

    @property
    def _notes(self) -> str:
        return f"print-{self.marker}"

    def pages(self, tree: Path, settings: dict) -> dict[Path, str]:
        """Each print page (an index.html whose head holds the marker): its bytes' digest."""
        return per_run(("print pages", self.marker, tree), lambda: {
            Path(path): digest for path, digest in marked_pages(
                tree, settings, self._notes, self.marker.encode(), within=4096,
                suffix="/index.html").items()})

    def keys(self, tree: Path, settings: dict) -> dict[Path, str]:
        """Each page's key: its own inputs and those every page shares (worked out once for
        the step's key and its run)."""
        def worked_out() -> dict[Path, str]:
            shared = list(_shared_parts(settings))
            return {page: parts_key(f"print-page\0{PAGE_VERSION}\0",
                                    [*shared, *_page_parts(tree, page, digest)])
                    for page, digest in self.pages(tree, settings).items()}

        return per_run(("print keys", self.marker, tree), worked_out)

    def inputs(self, tree: Path, settings: dict):
        for page, key in self.keys(tree, settings).items():
            yield page.relative_to(tree).as_posix()
            yield key

    def render_all(self, tree: Path, out: Path, settings: dict) -> None:
        """Render each page's PDFs into `out`; a page whose inputs did not change since an
        earlier run takes its PDFs from that run (one leaflet edited: one leaflet rendered).
        Pages to render are shared among the cores, each process with its own WeasyPrint."""
        own = [u for u in (settings.get("SITEURL"), settings.get("PUBLIC_URL")) if u]
        kept = Path(settings.get("POSTSTEPS_CACHE_DIR") or DEFAULT_CACHE_DIR) / "print-pages"
        profile = press_profile(settings)
        keys = self.keys(tree, settings)
        missing = [(page, key) for page, key in keys.items() if not (kept / key).is_dir()]
        if len(missing) > 1:
            # Steps run in threads (newsdesk.site.poststep): the pool's processes are spawned
            # where this thread may not fork.
            with ProcessPoolExecutor(min(cores.cores(), len(missing)),
                                     mp_context=cores.pool_context()) as pool:
                jobs = [pool.submit(_store_page, kept / key, tree, page, own, self.what, profile)
                        for page, key in missing]
                faults = []  # every page's fault at once, so the editor fixes them in one go
                try:
                    for job in jobs:
                        try:
                            job.result()
                        except PostStepError as fault:
                            faults += fault.args
                finally:
                    pool.shutdown(cancel_futures=True)
                if faults:
                    raise PostStepError(*faults)
        for page, key in keys.items():  # rendered here: one page, or one pruned meanwhile
            add_tree(kept_part(kept, key, lambda work: render_page(
                tree, page, work, own, self.what, profile)), out)
        prune_parts(kept)


def _store_page(stored: Path, tree: Path, page: Path, *options) -> None:
    store(stored, lambda work: render_page(tree, page, work, *options))


PAGE_VERSION = "2"  # bump when render_page changes what it writes


def press_profile(settings: dict) -> Path:
    """The ICC profile of the print shop's output intent (PRINT_PDF_PRESS_PROFILE)."""
    return Path(settings.get("PRINT_PDF_PRESS_PROFILE") or DEFAULT_PRESS_PROFILE)


def _shared_parts(settings: dict):
    yield f"weasyprint {version('weasyprint')}"
    yield f"PUBLIC_URL {settings.get('PUBLIC_URL', '')}"
    yield f"SITEURL {settings.get('SITEURL', '')}"
    profile = press_profile(settings)
    yield f"press profile {profile}"
    yield profile.read_bytes() if profile.is_file() else b"missing"


def _page_parts(tree: Path, page: Path, digest: str):
    yield page.relative_to(tree).as_posix()
    yield digest
    root = _resolved(tree)
    for used in page_files(tree, page):
        yield used.relative_to(root).as_posix()
        # fonts, stylesheets: hashed once, not for each page
        yield per_run(("digest", used), lambda: parts_key("file\0", [used.read_bytes()]))


def page_files(tree: Path, page: Path) -> list[Path]:
    """The local files a print page uses: stylesheets (and their fonts) and pictures."""
    document = lxml_html.parse(str(page)).getroot()
    refs = document.xpath("//link[@rel='stylesheet']/@href | //img/@src")
    files = [_local(_resolved(tree), page, ref) for ref in refs]
    fonts_dir = tree / "theme" / "fonts"
    fonts = per_run(("fonts", tree), lambda: sorted(fonts_dir.glob("*"))
                    if fonts_dir.is_dir() else [])
    return [f for f in files if f] + fonts


def _resolved(tree: Path) -> Path:
    return per_run(("resolved", tree), tree.resolve)


def _local(root: Path, page: Path, ref: str) -> Path | None:
    """The file of the tree (resolved: `root`) that `ref` names from `page`, if one."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    return target if target.is_file() and target.is_relative_to(root) else None


def render_page(tree: Path, page: Path, out: Path, own: list[str] = (),
                what: str = "tờ rơi", profile: Path = Path(DEFAULT_PRESS_PROFILE)) -> None:
    """Every PDF a print page names, written into `out` at its place in the tree."""
    with _ONE_AT_A_TIME:
        _render_page(tree, page, out, own, what, profile)


def _render_page(tree: Path, page: Path, out: Path, own, what: str, profile: Path) -> None:
    document = lxml_html.parse(str(page)).getroot()
    weasyprint = _weasyprint()
    fetcher = tree_only_fetcher(tree, own)
    source = weasyprint.HTML(filename=str(page), url_fetcher=fetcher)
    fonts = _fonts_of(tree)
    where = page.parent.relative_to(tree).as_posix()
    font_size, laid_out = _fit(weasyprint, source, fonts, document, what, where)
    for link in document.xpath("//link[@rel='alternate'][@type='application/pdf']"):
        variant = VARIANTS[link.get("data-variant")]
        target = out / (page.parent / link.get("href")).resolve().relative_to(tree.resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        if variant == VARIANTS["ua"]:
            (laid_out or source.render(font_config=fonts, **UA_OPTIONS)).write_pdf(
                target, **UA_OPTIONS)
            continue
        bleed = float(link.get("data-bleed") or 0)
        css = f"html {{ font-size: {font_size} }}" if font_size else ""
        if bleed:
            css += f"@page {{ bleed: {bleed + PRESS_MARKS_MM}mm; marks: crop; }}"
        source.write_pdf(target, pdf_variant=variant, custom_metadata=True, font_config=fonts,
                         finisher=_press_finisher(_press_profile(profile, what, where), bleed),
                         stylesheets=[weasyprint.CSS(string=css)] if css else None)
    if fetcher.refused:
        raise PostStepError(
            f"{what} {where}/ dùng tệp không nằm trong trang đã dựng ({fetcher.refused[0]}); "
            "tệp PDF chỉ được lấy ảnh, phông chữ đặt cạnh bài.")


_fonts: tuple[Path, object] | None = None


def _fonts_of(tree: Path):
    """One WeasyPrint font configuration for every page of a tree: its fonts are unpacked
    (WOFF2) and registered once, not at each layout."""
    global _fonts
    if _fonts is None or _fonts[0] != tree:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = (tree, FontConfiguration())
    return _fonts[1]


UA_OPTIONS = {"pdf_variant": VARIANTS["ua"], "pdf_tags": True, "custom_metadata": True}
AS_BLOCKS = ".hq-fill { display: block !important; min-height: 0 !important; }"


def _fit(weasyprint, source, fonts, document, what: str, where: str):
    """(font size, the resident's document) at the largest root font size of the page's
    `hq-fit` list that fits its pages; (None, None) for a page that asks for no fitting.
    A page that fits at one size fits at every smaller one: the largest is tried first (most
    leaflets fit at once), then the rest of the list is searched by halves."""
    fit = document.xpath("//meta[@name='hq-fit']/@content")
    if not fit:
        return None, None
    pages, _, sizes = fit[0].partition(":")
    sizes = sizes.split()
    fills = bool(document.find_class("hq-fill"))

    def laid_out(size: str, as_blocks: bool = fills):
        css = f"html {{ font-size: {size} }}" + (AS_BLOCKS if as_blocks else "")
        return source.render(stylesheets=[weasyprint.CSS(string=css)], font_config=fonts,
                             **UA_OPTIONS)

    low, high, fitting, middle = 0, len(sizes) - 1, None, 0
    while low <= high:
        tried = laid_out(sizes[middle])
        if len(tried.pages) <= int(pages):
            fitting, high = (middle, tried), middle - 1
        else:
            low = middle + 1
        middle = (low + high) // 2
    if fitting is None:
        named = document.xpath("//meta[@name='hq-source']/@content")
        raise PostStepError(
            f"{named[0] if named else where}: {what} dài quá {pages} mặt giấy, kể cả khi in chữ "
            f"nhỏ nhất ({sizes[-1]}). Hãy rút ngắn nội dung hoặc bớt ảnh.")
    size = sizes[fitting[0]]
    return size, laid_out(size, as_blocks=False) if fills else fitting[1]  # spread when filling


def _press_profile(profile: Path, what: str, where: str) -> tuple[bytes, str]:
    """The bytes and name of the print shop's CMYK profile; a missing or unfit file stops
    the step with what to do."""
    from PIL import ImageCms

    try:
        icc = profile.read_bytes()
        read = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile
        if read.xcolor_space.strip() == "CMYK":
            return icc, read.profile_description.strip()
    except (OSError, ImageCms.PyCMSError):
        pass
    raise PostStepError(
        f"{what} {where}/: không đọc được hồ sơ màu CMYK {profile} (PRINT_PDF_PRESS_PROFILE) "
        "cho bản nhà in. Cài gói libgs-common (bash scripts/setup.sh) rồi dựng lại.")


def _press_finisher(profile: tuple[bytes, str], bleed_mm: float):
    """Sets the output intent (GTS_PDFX) with the CMYK profile, and each page's BleedBox
    `bleed_mm` around its TrimBox (WeasyPrint puts it at most 10 pt out, whatever the bleed)."""
    import pydyf

    icc, description = profile

    def finish(document, pdf):
        stream = pydyf.Stream([icc], {"N": 4}, compress=True)
        pdf.add_object(stream)
        name = pydyf.String(description)
        pdf.catalog["OutputIntents"] = pydyf.Array([pydyf.Dictionary({
            "Type": "/OutputIntent", "S": "/GTS_PDFX", "OutputConditionIdentifier": name,
            "OutputCondition": name, "Info": name, "DestOutputProfile": stream.reference})])
        out = bleed_mm * POINTS_PER_MM
        for number in pdf.pages["Kids"][::3]:  # a flat list: number, 0, "R", …
            pdf_page = pdf.objects[number]
            left, top, right, bottom = pdf_page["TrimBox"]
            pdf_page["BleedBox"] = pydyf.Array([left - out, top - out, right + out, bottom + out])

    return finish


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

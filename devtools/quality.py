"""What the quality gates share (tests/test_accessibility.py, tests/test_security.py, ...,
bench/page_weight.py): build the bundled sample site, serve it on 127.0.0.1, find one page per
template, and start the machine's Chromium the way that works offline.

The sample site is built with the public settings (publishconf.py: no drafts, absolute URLs)
but with SITEURL pointing at the local server under the same sub-folder as the real site
(`/giam-ngheo`), so a link that forgets SITEURL is caught as broken.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pelican.settings import read_settings

from devtools import ROOT
from newsdesk.site import build as site_build
from newsdesk.site import preview

PUBLISH_SETTINGS = ROOT / "publishconf.py"
SAMPLE_CONTENT = ROOT / "content"
URL_LEDGER = ROOT / "data" / "url-history.json"
# A fixed "today" so the sample site is the same bytes on every run (page weight is asserted).
SAMPLE_TODAY = "2026-11-26"
# gzip level 6, as the issue asks and deploy/nginx.conf serves.
GZIP_LEVEL = 6

# Scroll past every picture like a reader, and wait for those this loads (lazy ones).
SCROLL_AND_LOAD_IMAGES = """async () => {
  for (const image of document.images) {
    image.scrollIntoView();
    await new Promise(done => requestAnimationFrame(() => done()));
  }
  window.scrollTo(0, document.body.scrollHeight);
  await Promise.all([...document.images].map(image => image.complete ? null : new Promise(
    done => { image.addEventListener('load', done); image.addEventListener('error', done); })));
}"""

_BODY_KIND = re.compile(r'<body\b[^>]*\bclass="[^"]*\bhq-page--([\w-]+)')
_ITEM_TYPE = re.compile(r'<article\b[^>]*\bclass="[^"]*\bhq-item--([\w-]+)')


class _GateRequestHandler(preview.SiteRequestHandler):
    """The preview server's handler, plus the response header by which LinkChecker allows
    itself more than 10 requests a second to a host (its politeness limit)."""

    def end_headers(self):
        self.send_header("LinkChecker", "unthrottled")
        super().end_headers()


def _quiet_error(default, request, client_address) -> None:
    """A browser that closes a page mid-download is no failure of the site."""
    if not isinstance(sys.exc_info()[1], ConnectionError):
        default(request, client_address)


@dataclass
class SampleSite:
    """The built sample site: `output` on disk, `base_url` where the local server has it."""

    output: Path
    base_url: str
    result: site_build.BuildResult
    _representatives: dict[str, Path] = field(default_factory=dict)

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def url_of(self, path: Path) -> str:
        relative = path.relative_to(self.output).as_posix()
        return self.base_url + (relative[: -len("index.html")] if relative.endswith(
            "index.html") else relative)

    def representatives(self) -> dict[str, Path]:
        """One page per template: "home", "commune", "item/tin-bai", ... -> its file."""
        if not self._representatives:
            self._representatives = representative_pages(self.output)
        return self._representatives


def template_key(html: str) -> str | None:
    """The template a page was made with, from `<body class="hq-page hq-page--KIND">`;
    items also by type, since each type may show different parts."""
    kind = _BODY_KIND.search(html)
    if not kind:
        return None
    item = _ITEM_TYPE.search(html) if kind[1] == "item" else None
    return f"{kind[1]}/{item[1]}" if item else kind[1]


def representative_pages(output: Path) -> dict[str, Path]:
    """Every template found in the output, with its shallowest page (page 1 of a listing)."""
    found: dict[str, Path] = {}
    pages = sorted(output.rglob("*.html"), key=lambda p: (len(p.relative_to(output).parts), p))
    for path in pages:
        key = template_key(path.read_text(encoding="utf-8"))
        if key and key not in found:
            found[key] = path
    return dict(sorted(found.items()))


def build_sample(folder: Path, siteurl: str, settings: Path = PUBLISH_SETTINGS,
                 content: Path = SAMPLE_CONTENT) -> site_build.BuildResult:
    """Build content/ into `folder` with the public settings and the given SITEURL.

    The URL ledger (plugins/url_history) is a copy beside `folder`: a gate never writes
    into the repository."""
    ledger = folder.parent / f"{folder.name}-url-history.json"
    if URL_LEDGER.is_file():
        shutil.copyfile(URL_LEDGER, ledger)
    overrides = {"PATH": str(content), "NEWSDESK_TODAY": SAMPLE_TODAY, "SITEURL": siteurl,
                 "URL_HISTORY_PATH": str(ledger)}
    return site_build.build(settings, folder, overrides)


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve `folder` with the preview server on a free port of 127.0.0.1, in a thread;
    yields the origin ("http://127.0.0.1:PORT/"). Files may be written after it starts."""
    server = preview.make_server(folder, "127.0.0.1", 0)
    server.RequestHandlerClass = functools.partial(_GateRequestHandler, directory=str(folder))
    server.handle_error = functools.partial(_quiet_error, server.handle_error)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def served_sample(folder: Path) -> Iterator[SampleSite]:
    """Build the sample site into `folder`/giam-ngheo (the public site's sub-folder) with
    SITEURL on the local server, and serve it."""
    site_folder = urlsplit(read_settings(str(PUBLISH_SETTINGS))["SITEURL"]).path.strip("/")
    with served(folder) as origin:
        base_url = (origin + site_folder).rstrip("/")
        output = folder / site_folder
        result = build_sample(output, base_url)
        if not result.ok:
            raise RuntimeError("The sample site does not build:\n" + result.report.format())
        yield SampleSite(output, base_url + "/", result)



def gzip_size(body: bytes) -> int:
    """Bytes on the wire for a text file the web server compresses."""
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))

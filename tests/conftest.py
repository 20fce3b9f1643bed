"""Shared fixtures: build a small site from inline fixture files into a temp folder."""

from __future__ import annotations

import contextlib
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sample_site import browser_page, chromium, sample_site  # noqa: F401 (quality gates)

from devtools import ROOT, quality
from devtools.site_config import write_site_data
from newsdesk import site_data
from newsdesk.site.build import BuildResult, build

SETTINGS = ROOT / "pelicanconf.py"
FIXED_TODAY = "2026-11-26"


@dataclass
class BuiltSite:
    result: BuildResult
    output: Path
    content: Path
    base: str = ""  # the site's address when served (SiteMaker.served)

    def html(self, relative: str) -> BeautifulSoup:
        """Parse a built page; `relative` like "dia-ban/dong-no/" or "index.html"."""
        path = self.output / relative
        if relative.endswith("/") or not relative:
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def exists(self, relative: str) -> bool:
        return (self.output / relative).exists()


class SiteMaker:
    """Write fixture files under tmp/content and build them with the project's settings."""

    def __init__(self, tmp_path: Path):
        self.root = tmp_path
        self.content = tmp_path / "content"
        (self.content / "pages").mkdir(parents=True, exist_ok=True)

    def write(self, relative: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(textwrap.dedent(text).lstrip().encode(encoding))
        return path

    def item(self, relative: str, title: str = "Tin thử", category: str = "Đồng Nơ",
             date: str = "2023-11-20 08:00", body: str = "Nội dung.", **fields) -> Path:
        """An item with the required fields and any `Field=value` given."""
        lines = [f"Title: {title}", f"Date: {date}", f"Category: {category}"]
        lines += [f"{key.capitalize()}: {value}" for key, value in fields.items()]
        return self.write(relative, "\n".join(lines) + "\n\n" + body + "\n")

    def build(self, output: Path | None = None, today: str = FIXED_TODAY,
              **settings) -> BuiltSite:
        output = output or self.root / "output"
        overrides = {"PATH": str(self.content), "NEWSDESK_TODAY": today, **settings}
        result = build(SETTINGS, output, overrides)
        return BuiltSite(result, output, self.content)

    @contextlib.contextmanager
    def served(self, **settings):
        """Build under /giam-ngheo/ of a local server (post-build cache beside the content)
        and yield the built site, `base` its address; the server stops on leaving."""
        www = self.root / "www"
        with quality.served(www) as origin:
            built = self.build(www / "giam-ngheo", SITEURL=origin + "giam-ngheo",
                               POSTSTEPS_CACHE_DIR=str(self.root / "cache"), **settings)
            assert built.result.ok, built.result.report.format()
            built.base = origin + "giam-ngheo/"
            yield built


def install_kiosk_worker(page, home: str) -> None:
    """Open the kiosk's home and reload once its service worker controls the page."""
    page.goto(home)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")


@pytest.fixture
def site(tmp_path) -> SiteMaker:
    return SiteMaker(tmp_path)


@pytest.fixture
def configured_site(tmp_path_factory, monkeypatch) -> Path:
    """data/site.toml as `invoke setup-site` writes it (public address, office contact,
    targets), named by NEWSDESK_SITE_DATA for this test and the processes it starts."""
    path = write_site_data(tmp_path_factory.mktemp("site-data"))
    monkeypatch.setenv(site_data.ENV, str(path))
    return path

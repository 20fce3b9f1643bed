"""Fixtures of the quality gates: the bundled sample site (content/) built ONCE per session with
the public settings and a fixed today, served on 127.0.0.1, and one Chromium per test module.

Why not one Chromium per session: Playwright's sync API cannot nest, so a session-long
`sync_playwright()` would break every other test module that starts its own (video, preview,
web server tests). A module-scoped browser is closed before the next module starts.

Loaded by conftest.py. Pages are found in the output (devtools.quality.representative_pages),
so templates added later are covered without touching the tests.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from devtools import quality
from devtools.chromium import launch as launch_chromium


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    with quality.served_sample(tmp_path_factory.mktemp("sample")) as site:
        yield site


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh page in its own context (no cache, no cookies), closed after the test."""
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()

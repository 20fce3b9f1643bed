"""The system Chromium, driven by Playwright, as tests, benchmarks and doc scripts launch it.

Never a browser download: Debian's /usr/bin/chromium. Without the networking flags Chromium
keeps trying to reach Google's services.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launch(playwright):
    """A headless system Chromium from a started Playwright (sync API)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

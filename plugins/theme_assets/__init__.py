"""Bundles the theme's component stylesheets into one fingerprinted file per edition.

One request instead of one per component, and a name that changes with the content, so the
web server may cache it for a year. Each edition gets only its own bundle: kiosk or print
styles never ship on every page. Templates link a bundle by name: `THEME_ASSETS["web"]`.
Settings: THEME_ASSETS_CSS_DIR (default: <THEME>/css); THEME_ASSETS_BUNDLES (default:
{"web": ["*.css"]}): bundle name -> file names or globs relative to that folder, joined in
the order given (each glob sorted by name, a file taken once).
"""

from pelican import signals

from .bundle import bundle_css, write_css


def register():
    signals.initialized.connect(bundle_css)
    signals.finalized.connect(write_css)

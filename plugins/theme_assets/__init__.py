"""Bundles the theme's component stylesheets (theme/css/*.css) into one fingerprinted file.

One request instead of one per component, and a name that changes with the content, so the
web server may cache it for a year. Templates link `THEME_ASSETS_CSS`.
Settings: THEME_ASSETS_CSS_DIR (default: <THEME>/css).
"""

from pelican import signals

from .bundle import bundle_css, write_css


def register():
    signals.initialized.connect(bundle_css)
    signals.finalized.connect(write_css)

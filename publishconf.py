"""Settings for the public site: absolute URLs, no drafts. Used by `invoke publish`."""

from pathlib import Path

from pelican.settings import get_settings_from_file

from newsdesk import site_data

# Every preview setting of the pelicanconf.py beside this file; the public differences below.
globals().update(get_settings_from_file(str(Path(__file__).with_name("pelicanconf.py"))))

# The browser may load only our own files (and YouTube's privacy-enhanced player in frames).
# Sent as a header by the web server (deploy/, plus frame-ancestors) and as a <meta> in
# base.html for copies served without our headers (a kiosk's local copy).
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; media-src 'self'; "
                           "frame-src https://www.youtube-nocookie.com; "
                           "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                           "font-src 'self'; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'")

# Every public page is rendered afresh: the page memo (newsdesk/site/render_memo.py) is right
# only while nothing a page shows comes from outside what it hashes.
RENDER_MEMO = False

SITEURL = PUBLIC_URL  # noqa: F821 (from pelicanconf.py, above)
RELATIVE_URLS = False
FEEDS_SITEURL = SITEURL
# Drafts and future-dated items are never written for the public.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""

# Where `invoke publish` sends the site (docs/dang-tai.md): a name and an
# ssh://user@host:port/path address for the web server and each kiosk, from data/site.toml
# (`invoke setup-site`); the sample until then, which publish refuses. Addresses only: SSH keys
# stay in each operator's ~/.ssh. The environment variable PUBLISH_TARGETS replaces this list.
PUBLISH_TARGETS = (site_data.load(SITE_DATA_PATH).targets  # noqa: F821 (pelicanconf.py)
                   or dict(site_data.SAMPLE_TARGETS))
PUBLISH_KEEP_RELEASES = 5

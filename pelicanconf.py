"""Site settings for building and previewing the Hớn Quản poverty-reduction column."""

from pathlib import Path

from newsdesk import site_data
from newsdesk.site import templating

ROOT = Path(__file__).resolve().parent

SITENAME = "Chuyên mục Giảm nghèo – huyện Hớn Quản"
SITESUBTITLE = "Trang Thông tin điện tử huyện Hớn Quản, tỉnh Bình Phước"
PUBLISHER = "Ủy ban nhân dân huyện Hớn Quản"
SITEURL = ""
# The site's own details come from data/site.toml, written by `invoke setup-site` (never edit
# them here): newsdesk/site_data.py. Without it, samples that preview but never publish.
SITE_DATA_PATH = str(site_data.default_path())
site = site_data.load(SITE_DATA_PATH)  # lowercase: not a setting
SITE_DATA_PROBLEM = site.problem
# The public address, also known to preview builds: canonical links and QR codes point here
# (checked by plugins/public_url). publishconf.py serves the site from it (SITEURL).
PUBLIC_URL = site.public_url or site_data.SAMPLE_PUBLIC_URL
RELATIVE_URLS = False
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
PATH = str(ROOT / "content")
OUTPUT_PATH = str(ROOT / "output")
THEME = str(ROOT / "theme")
VOCABULARY_PATH = str(ROOT / "data" / "vocabulary.toml")
# A fixed "today" (YYYY-MM-DD) for reproducible builds; empty: today in Vietnam.
NEWSDESK_TODAY = ""

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["editor_markdown", "content_checks", "section_pages", "theme_assets",
           "url_history", "feeds", "radio", "media", "sitemap", "public_url", "print_products",
           "kiosk", "search", "handbooks", "plan_progress"]

# Items are every Markdown file under content/ except the standalone pages.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
READERS = {"html": None, "htm": None, "rst": None}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
# Seconds one item's Markdown may take (newsdesk/content/markdown_limit.py): a paste on which
# Python-Markdown is quadratic is refused, not left to stall every build.
MARKDOWN_TIME_LIMIT = 10
# Bytes one build may write (newsdesk/site/build.py): more is a runaway item, never published.
BUILD_MAX_OUTPUT_BYTES = 4 * 1024**3

# URLs: see docs/duong-dan.md before changing any of these; a published URL is a promise.
ARTICLE_URL = "{type}/{slug}/"
ARTICLE_SAVE_AS = "{type}/{slug}/index.html"
ARTICLE_LANG_URL = "{type}/{slug}-{lang}/"
ARTICLE_LANG_SAVE_AS = "{type}/{slug}-{lang}/index.html"
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
DRAFT_LANG_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = "chu-de/{slug}/index.html"
TAGS_URL = "chu-de/"
TAGS_SAVE_AS = "chu-de/index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = ""
# Folders the plugins write (their defaults, stated here so that `invoke check`, which runs no
# plugin, knows every first URL segment a page's slug must not take, as the build does).
FEEDS_PATH = "nguon-tin"
IMAGES_OUTPUT_DIR = "media"
# Communes are listed by plugins/section_pages, which knows items in several communes:
# a page per commune ({slug} of data/vocabulary.toml), the commune index, a page per type.
COMMUNE_URL = "dia-ban/{slug}/"
COMMUNE_SAVE_AS = "dia-ban/{slug}/index.html"
COMMUNES_URL = "dia-ban/"
COMMUNES_SAVE_AS = "dia-ban/index.html"
CONTENT_TYPE_URL = "{key}/"
CONTENT_TYPE_SAVE_AS = "{key}/index.html"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# The kiosk edition (plugins/kiosk), relative links only, written with every build.
KIOSK_URL = "kiosk/"
KIOSK_SAVE_AS = "kiosk/index.html"
KIOSK_COMMUNE_URL = "kiosk/dia-ban/{slug}/"
KIOSK_COMMUNE_SAVE_AS = "kiosk/dia-ban/{slug}/index.html"
KIOSK_ITEM_URL = "kiosk/{type}/{slug}/"
KIOSK_ITEM_SAVE_AS = "kiosk/{type}/{slug}/index.html"
# The kiosk's search page, with its on-screen keyboard and its own index of kiosk pages
# (plugins/search, step kiosk-search, in KIOSK_URL + "pagefind/"); docs/duong-dan.md.
KIOSK_SEARCH_URL = "kiosk/tim-kiem/"
KIOSK_SEARCH_SAVE_AS = "kiosk/tim-kiem/index.html"
KIOSK_IDLE_SECONDS = 90  # no touch for this long: the countdown back to the kiosk home starts
KIOSK_PRECACHE_BUDGET = 200_000_000  # bytes kiosk/sw.js saves for offline use (printed)
# Handbooks (plugins/handbooks; {url} is the handbook's URL, ARTICLE_URL with its key as slug):
# a chapter's page, the whole handbook on one page, its print page and PDF, a page per audience.
HANDBOOK_CHAPTER_URL = "{url}{slug}/"
HANDBOOK_CHAPTER_SAVE_AS = "{url}{slug}/index.html"
HANDBOOK_WHOLE_URL = "{url}toan-van/"
HANDBOOK_WHOLE_SAVE_AS = "{url}toan-van/index.html"
HANDBOOK_PRINT_URL = "{url}ban-in/"
HANDBOOK_PRINT_SAVE_AS = "{url}ban-in/index.html"
HANDBOOK_PDF_URL = "{url}{slug}.pdf"
AUDIENCE_URL = "danh-cho/{audience}/"
AUDIENCE_SAVE_AS = "danh-cho/{audience}/index.html"
DIRECT_TEMPLATES = ["index", "archives", "tags", "404", "search"]
# The search page (plugins/search): the header's form submits to it; docs/duong-dan.md.
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = "tim-kiem/index.html"

# A "Tiến độ kế hoạch" page and its CSV table per plan of data/vocabulary.toml
# (plugins/plan_progress); {slug} is the plan's, e.g. "288-kh-ubnd-2023".
PLAN_PROGRESS_URL = "tien-do/{slug}/"
PLAN_PROGRESS_SAVE_AS = "tien-do/{slug}/index.html"
PLAN_PROGRESS_CSV_SAVE_AS = "tien-do/{slug}/tien-do-{slug}.csv"

# Stylesheets: one fingerprinted bundle per edition from theme/css (plugins/theme_assets);
# templates link THEME_ASSETS["web"]. Kiosk or print styles get their own bundle here.
THEME_ASSETS_BUNDLES = {"web": ["*.css"], "leaflet": ["00-fonts.css", "leaflet/*.css"],
                        "kiosk": ["00-fonts.css", "skip-link.css", "kiosk/*.css"],
                        "handbook": ["00-fonts.css", "handbook/*.css"]}

# Steps run on the finished site before output/ is updated (newsdesk/site/poststep.py): a list of
# PostStep, cached by content in POSTSTEPS_CACHE_DIR (default .cache/poststeps).
POSTSTEPS = []

DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {"commune": None, "content_type": None, "tag": None,
                       "period_archives": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
ARTICLE_ORDER_BY = templating.newest_first
HOME_LATEST_ITEMS = 8

# Feeds are written by our own feed plugin (plugins/feeds, feedgen); Pelican's are off.
# Feeds need absolute URLs: the preview server's here, the public address in publishconf.py.
FEEDS_SITEURL = "http://127.0.0.1:8000"
# In every entry id: never change once published (data/site.toml, feeds_id_domain).
FEEDS_ID_DOMAIN = site.feeds_id_domain or site_data.DEFAULT_FEEDS_ID_DOMAIN
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

DEFAULT_DATE = None
WITH_FUTURE_DATES = True  # editor_markdown holds future items back by NEWSDESK_TODAY
SLUGIFY_SOURCE = "basename"
# Pelican's own content cache stays off: bodies are kept by newsdesk/content/read_cache.py
# (READER_CACHE_DIR, default .cache/items), which also knows the files a body links.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# Pages are rendered by this many processes (newsdesk/site/render_queue.py); 0: one per core
# once a site has enough pages to gain by it.
RENDER_PROCESSES = 0
# A page whose context and the items it read are those of an earlier render is linked from
# that render's bytes (newsdesk/site/render_memo.py, kept in RENDER_MEMO_DIR, default
# .cache/pages); RENDER_MEMO = False renders every page.
RENDER_MEMO = True
DELETE_OUTPUT_DIRECTORY = False
OUTPUT_RETENTION = []
TYPOGRIFY = False
SUMMARY_MAX_LENGTH = 40

# No Content-Security-Policy <meta> in preview builds: livereload injects an inline script.
# The public policy is in publishconf.py.
CONTENT_SECURITY_POLICY = ""

# Every value a template prints is escaped; markup meant to pass through is marked safe in one
# place each (newsdesk/site/templating.py's `body_html`, the images plugin's Markup). Pelican's own
# defaults (trim_blocks, lstrip_blocks) are kept. Every build makes its own environments, so
# Jinja need not look at each template file's time again on every page (auto_reload); compiled
# templates are kept between builds (newsdesk/site/templating.py: keep_compiled_templates).
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True,
                     "extensions": [], "auto_reload": False}
JINJA_FILTERS = templating.FILTERS

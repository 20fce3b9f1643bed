"""One build context per build: made from plain inputs, reached one way, rebuilt in workers."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
import re

import pytest
from conftest import FIXED_TODAY, SETTINGS
from pelican import Pelican, signals
from pelican.settings import read_settings

from devtools import ROOT
from newsdesk.editors import check as content_check
from newsdesk.content import dates, site_items
from newsdesk.site.context import CONTEXT_KEY, BuildContext, ContextInputs, context_of
from newsdesk.site.templating import SITEURL_MARK, body_at

RUNTIME = [*sorted((ROOT / "newsdesk").rglob("*.py")), *sorted((ROOT / "plugins").rglob("*.py")),
           ROOT / "tasks.py", ROOT / "pelicanconf.py", ROOT / "publishconf.py"]
# What the runtime must never do: edit the import path, read the machine's date (not
# Vietnam's), read a clock without a time zone, or patch a private Pelican method.
FORBIDDEN = {
    "sys.path.insert": re.compile(r"\bsys\.path\.insert\b"),
    "date.today()": re.compile(r"\bdate\.today\(\s*\)"),
    "a naive datetime.now()": re.compile(r"\bdatetime\.now\(\s*\)"),
    "datetime.utcnow()": re.compile(r"\bdatetime\.utcnow\("),
    "Pelican's private _update_content": re.compile(r"\b_update_content\b"),
}


def _settings(content, **overrides):
    return read_settings(str(SETTINGS), override={"PATH": str(content), **overrides})


def test_runtime_never_edits_sys_path_nor_reads_the_machines_date():
    found = [f"{path.relative_to(ROOT)}:{number}: {name}"
             for path in RUNTIME
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             for name, pattern in FORBIDDEN.items() if pattern.search(line)]
    assert len(RUNTIME) > 40 and found == []


def test_today_is_the_fixed_date_given_else_vietnams_today(monkeypatch, site):
    monkeypatch.delenv(dates.TODAY_ENV, raising=False)
    assert ContextInputs.from_settings(_settings(site.content)).today \
        == dt.datetime.now(dates.TIMEZONE).date()
    given = _settings(site.content, NEWSDESK_TODAY="2026-11-26")
    assert ContextInputs.from_settings(given).today == dt.date(2026, 11, 26)
    monkeypatch.setenv(dates.TODAY_ENV, "2027-01-02")
    assert ContextInputs.from_settings(_settings(site.content)).today == dt.date(2027, 1, 2)


def test_a_worker_process_recreates_the_same_today_and_vocabulary(site):
    settings = _settings(site.content, NEWSDESK_TODAY="2026-11-26",
                         COMMUNE_URL="xa/{slug}/")
    context = BuildContext.from_settings(settings)
    inputs = pickle.loads(pickle.dumps(context.inputs))  # what a worker is handed
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        again = pool.apply(BuildContext.create, (inputs,))
    assert again.today == context.today == dt.date(2026, 11, 26)
    assert again.vocabulary == context.vocabulary
    assert [c.url for c in again.vocabulary.places] == [c.url for c in context.vocabulary.places]
    assert again.vocabulary.communes[0].url.startswith("xa/")
    assert again.report.problems == [] and again.report is not context.report


def test_a_build_keeps_its_state_in_one_context_not_in_pelicans_settings(site):
    site.item("dong-no/bai.md", title="Bài một")
    site.item("dong-no/hen.md", title="Bài hẹn giờ", date="2026-12-24 08:00")
    site.write("pages/gioi-thieu.md", "Title: Giới thiệu\n\nTrang giới thiệu.\n")
    settings = _settings(site.content, NEWSDESK_TODAY=FIXED_TODAY,
                         OUTPUT_PATH=str(site.root / "output"),
                         SITEURL="https://honquan.example.gov.vn/giam-ngheo")
    before = set(settings)
    Pelican(settings).run()
    context = context_of(settings)
    added = {key: settings[key] for key in set(settings) - before}
    assert added.pop(CONTEXT_KEY) is context
    assert all(_plain(value) for value in added.values()), added  # plugins' defaults only
    assert context.today == dt.date(2026, 11, 26) and context.report.errors == []
    assert context.counts == {"items": 1, "pages": 1}
    assert set(context.current_urls.values()) == {"tin-bai/bai/"}
    assert "tin-bai/bai/" in context.sitemap_dates and context.sitemap_hidden == set()
    assert context.media is not None and context.media.rendered
    sitemap = (site.root / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert "giam-ngheo/tin-bai/bai/" in sitemap and "hen" not in sitemap


def _plain(value) -> bool:
    if isinstance(value, (list, tuple, set)):
        return all(map(_plain, value))
    if isinstance(value, dict):
        return all(map(_plain, value.values()))
    return value is None or isinstance(value, (str, int, float, bool))


@pytest.mark.parametrize("today", ["hôm-qua", "31/02/2026"])
def test_a_mistyped_today_stops_the_build_and_the_check_once(site, today):
    site.item("dong-no/bai.md")
    built = site.build(today=today)
    checked = content_check.check(overrides={"PATH": str(site.content), "NEWSDESK_TODAY": today})
    for report in (built.result.report, checked.report):
        assert [p.path for p in report.errors] == ["--today"]


_BUILT: list = []


def _keep_items(generators) -> None:
    _BUILT[:] = site_items.items(generators, pages=True)


def _built_body_item(site, tmp_path, **settings):
    """Build an item with a picture and a {filename} link with Pelican; return that item."""
    from PIL import Image

    (site.content / "tin").mkdir()
    Image.new("RGB", (300, 200), (10, 10, 10)).save(site.content / "tin" / "nho.jpg")
    site.item("tin/bai.md", body="![nhỏ](nho.jpg)\n\nXem [bài kia]({filename}kia.md).")
    site.item("tin/kia.md", title="Bài kia")
    settings = _settings(site.content, NEWSDESK_TODAY=FIXED_TODAY,
                         OUTPUT_PATH=str(tmp_path / "output"),
                         IMAGES_CACHE_DIR=str(tmp_path / "cache"), **settings)
    signals.all_generators_finalized.connect(_keep_items)
    try:
        Pelican(settings).run()
    finally:
        signals.all_generators_finalized.disconnect(_keep_items)
    return next(i for i in _BUILT if i.slug == "bai")


def _assert_body_follows(body: str, prefix: str) -> None:
    assert SITEURL_MARK not in body
    assert re.search(rf'<img [^>]*src="{re.escape(prefix)}media/nho-300\.', body), prefix
    assert f'href="{prefix}tin-bai/kia/"' in body, prefix


def test_a_body_is_rendered_for_the_page_or_the_feed_that_shows_it(site, tmp_path):
    item = _built_body_item(site, tmp_path)
    _assert_body_follows(body_at(item, ""), "/")  # pages: site-relative
    public = "https://honquan.example.gov.vn/gn/"
    _assert_body_follows(body_at(item, public), public)  # feeds: absolute
    page = (tmp_path / "output" / "tin-bai" / "bai" / "index.html").read_text(encoding="utf-8")
    assert 'src="/media/nho-300.' in page and SITEURL_MARK not in page


def test_a_body_is_rendered_with_relative_links_for_an_edition_read_from_disk(site, tmp_path):
    item = _built_body_item(site, tmp_path, RELATIVE_URLS=True)
    _assert_body_follows(body_at(item, "../.."), "../../")
    page = (tmp_path / "output" / "tin-bai" / "bai" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../media/nho-300.' in page and SITEURL_MARK not in page

"""A build with nothing changed skips the work and keeps the output; any change to any input
rebuilds to exactly the bytes of a clean build (newsdesk/site/unchanged.py, issue 16): the
build under test reads through its kept bodies (newsdesk/content/read_cache.py) and compiled
templates (newsdesk/site/templating.py), reads and renders on two processes
(newsdesk/site/render_queue.py), the clean one reads
and compiles everything anew and reads and renders on one."""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
from pathlib import Path

import pytest

from devtools import ROOT
from devtools.site_config import write_site_data
from newsdesk import site_data
from newsdesk.site import build as site_build, pelican_adapter
from newsdesk.site.build import build

SETTINGS = ROOT / "pelicanconf.py"
TODAY = "2026-11-26"


def tree_bytes(tree: Path) -> dict[str, bytes]:
    """Every file of a built tree, by its path inside the tree."""
    tree = Path(os.path.realpath(tree))
    return {path.relative_to(tree).as_posix(): path.read_bytes()
            for path in sorted(tree.rglob("*")) if path.is_file()}


def assert_same_tree(built: Path, clean: Path) -> None:
    ours, theirs = tree_bytes(built), tree_bytes(clean)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


class Sites:
    """One content folder built again and again into one output, and each time afresh."""

    def __init__(self, site, tmp_path: Path):
        self.site, self.tmp = site, tmp_path
        self.output = tmp_path / "incremental" / "output"
        self.overrides = {"SEARCH_INDEX": False}  # a Pagefind run per build: slow, cached alike
        self.today = TODAY
        self.cleans = 0

    def build(self):
        return build(SETTINGS, self.output, self.settings(
            RENDER_PROCESSES=2,
            READER_CACHE_DIR=str(self.tmp / "kept-bodies"),
            TEMPLATE_CACHE_DIR=str(self.tmp / "kept-templates"),
            RENDER_MEMO_DIR=str(self.tmp / "kept-pages")))

    def settings(self, **overrides) -> dict:
        return {"PATH": str(self.site.content), "NEWSDESK_TODAY": self.today, **self.overrides,
                **overrides}

    def assert_as_clean(self):
        """Build incrementally, then afresh into a new output: the trees are byte-identical.
        Returns the incremental build's result."""
        result = self.build()
        assert result.ok, result.report.format()
        assert not result.fast_path
        self.cleans += 1
        clean_output = self.tmp / f"clean-{self.cleans}" / "output"
        clean = build(SETTINGS, clean_output, self.settings(
            RENDER_PROCESSES=1, READER_CACHE_DIR=str(clean_output.with_name("no-kept-bodies")),
            TEMPLATE_CACHE_DIR=str(clean_output.with_name("no-kept-templates")),
            RENDER_MEMO=False))
        assert clean.ok, clean.report.format()
        assert clean.pages_kept == 0
        assert_same_tree(self.output, clean_output)
        return result


@pytest.fixture
def sites(site, tmp_path) -> Sites:
    site.item("dong-no/bo-giong.md", title="Hỗ trợ bò giống", ID="bo-giong",
              body="Hộ nghèo nhận bò giống.\n\n<script>alert(1)</script>")
    site.item("tan-hung/vay-von.md", title="Vay vốn ưu đãi", category="Tân Hưng", ID="vay-von")
    site.item("toan-huyen/hen-gio.md", title="Bài hẹn giờ", category="Toàn huyện",
              date="2026-11-28 08:00", ID="hen-gio")
    return Sites(site, tmp_path)


def test_a_build_with_nothing_changed_rewrites_nothing_and_repeats_the_warnings(sites):
    first = sites.build()
    assert first.ok, first.report.format()
    tree = Path(os.path.realpath(sites.output))
    inodes = {p: p.stat().st_ino for p in tree.rglob("*") if p.is_file()}
    again = sites.build()
    assert again.ok and again.fast_path
    assert again.sync.written == [] and again.sync.removed == []
    assert again.sync.unchanged == len(inodes)
    assert Path(os.path.realpath(sites.output)) == tree
    assert {p: p.stat().st_ino for p in tree.rglob("*") if p.is_file()} == inodes
    warnings = [p.message for p in first.report.warnings]
    assert any("<script>" in message for message in warnings)
    assert [p.message for p in again.report.warnings] == warnings
    assert (again.items, again.pages) == (first.items, first.pages)
    assert "Không có gì thay đổi" in again.summary()


def test_each_change_rebuilds_exactly_what_a_clean_build_writes(sites, tmp_path, monkeypatch):
    site = sites.site
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    vocabulary = tmp_path / "vocabulary.toml"
    shutil.copy(ROOT / "data" / "vocabulary.toml", vocabulary)
    sites.overrides.update(THEME=str(theme), VOCABULARY_PATH=str(vocabulary))
    sites.assert_as_clean()
    site.item("tan-hung/nha-o.md", title="Nhà ở cho hộ nghèo", category="Tân Hưng", ID="nha-o")
    sites.assert_as_clean()  # an item added
    site.item("tan-hung/vay-von.md", title="Vay vốn ưu đãi", category="Tân Hưng", ID="vay-von",
              body="Nội dung đã sửa: hộ nghèo được vay tới 100 triệu đồng.")
    edited = sites.assert_as_clean()  # a body edited: the pages that do not show it are kept
    pages = sum(1 for _ in Path(os.path.realpath(sites.output)).rglob("*.html"))
    assert pages / 2 < edited.pages_kept < pages
    site.item("tan-hung/vay-von.md", title="Vay vốn ưu đãi", category="Tân Hưng", ID="vay-von",
              summary="Tóm tắt mới do biên tập viên viết.")
    sites.assert_as_clean()  # a summary edited: the listings that show it render again
    site.item("dong-no/bo-giong.md", title="Hỗ trợ bò giống sinh sản", ID="bo-giong")
    sites.assert_as_clean()  # an item edited (its neighbours show its title)
    (site.content / "dong-no" / "bo-giong.md").rename(site.content / "dong-no" / "bo-sinh-san.md")
    sites.assert_as_clean()  # an item renamed: its old URL now redirects
    (site.content / "tan-hung" / "vay-von.md").unlink()
    sites.assert_as_clean()  # an item deleted
    text = vocabulary.read_text(encoding="utf-8")
    commune = 'name = "Tân Hưng"\nkind = "xã"'
    assert commune in text
    vocabulary.write_text(text.replace(commune, 'name = "Tân Hưng"\nkind = "thị trấn"'),
                          encoding="utf-8")
    sites.assert_as_clean()  # a commune's data in the vocabulary
    footer = theme / "templates" / "base.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "</body>", "<!-- mẫu đã đổi -->\n</body>"), encoding="utf-8")
    assert sites.assert_as_clean().pages_kept == 0  # a template (compiled again, not taken
    # from the kept ones; no page kept from a render with the old template)
    assert "<!-- mẫu đã đổi -->" in (sites.output / "index.html").read_text(encoding="utf-8")
    sites.overrides["HOME_LATEST_ITEMS"] = 2
    sites.assert_as_clean()  # a setting
    site_file = write_site_data(tmp_path)
    monkeypatch.setenv(site_data.ENV, str(site_file))
    sites.assert_as_clean()  # the site's own details (invoke setup-site)
    details = site_data.load(site_file)
    site_data.write(dataclasses.replace(details, office={**details.office, "phone": "0271 3999 888"}))
    sites.assert_as_clean()  # the same file rewritten: the office's phone on the contact page
    sites.today = "2026-11-29"
    sites.assert_as_clean()  # another day: the item due on the 28th is published now
    assert (Path(os.path.realpath(sites.output)) / "tin-bai" / "hen-gio" / "index.html").is_file()


def test_another_press_profile_in_the_same_place_builds_again(sites, tmp_path):
    """The print shop's ICC profile is a file outside the project (Debian's libgs-common):
    an update of it changes the leaflets' PDFs, so it is an input of the build."""
    from newsdesk.site.print_pdf import DEFAULT_PRESS_PROFILE

    profile = tmp_path / "cmyk.icc"
    shutil.copy(DEFAULT_PRESS_PROFILE, profile)
    sites.overrides["PRINT_PDF_PRESS_PROFILE"] = str(profile)
    assert sites.build().ok
    shutil.copy(Path(DEFAULT_PRESS_PROFILE).with_name("ps_cmyk.icc"), profile)
    again = sites.build()
    assert again.ok and not again.fast_path


def test_a_failed_build_reports_every_error_again_and_leaves_the_output(sites):
    assert sites.build().ok
    tree = Path(os.path.realpath(sites.output))
    before = tree_bytes(sites.output)
    sites.site.item("dong-no/sai-xa.md", category="Tân Hưg", ID="sai-xa")
    sites.site.item("dong-no/sai-ngay.md", date="32/13/2023", ID="sai-ngay")
    for _ in range(2):
        failed = sites.build()
        assert not failed.ok and not failed.fast_path
        assert {Path(p.path).name for p in failed.report.errors} == {"sai-xa.md", "sai-ngay.md"}
        assert Path(os.path.realpath(sites.output)) == tree
        assert tree_bytes(sites.output) == before
    (sites.site.content / "dong-no" / "sai-xa.md").unlink()
    (sites.site.content / "dong-no" / "sai-ngay.md").unlink()
    back = sites.build()
    assert back.ok and back.fast_path  # the inputs of the tree shown again


def test_a_file_changed_by_hand_in_the_output_is_built_again(sites):
    assert sites.build().ok
    page = Path(os.path.realpath(sites.output)) / "tin-bai" / "bo-giong" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"sua tay")
    result = sites.build()
    assert result.ok and not result.fast_path
    assert "tin-bai/bo-giong/index.html" in result.sync.written
    assert (sites.output / "tin-bai" / "bo-giong" / "index.html").read_bytes() == original


def test_clean_forgets_the_last_build(sites):
    assert sites.build().ok
    site_build.clean(sites.output)
    assert not sites.output.exists()
    assert [p.name for p in sites.output.parent.iterdir()] == [".output.lock"]
    result = sites.build()
    assert result.ok and not result.fast_path


def test_the_sample_site_rendered_on_two_processes_is_the_serial_build_byte_for_byte(tmp_path):
    """Every page of the bundled site (web, kiosk, print, handbooks, feeds page, redirects)
    rendered by two processes from one queue, against one process."""
    results = {}
    for processes in (2, 1):
        output = tmp_path / f"processes-{processes}" / "output"
        result = build(SETTINGS, output, {
            "NEWSDESK_TODAY": TODAY, "SEARCH_INDEX": False, "RENDER_PROCESSES": processes,
            "READER_CACHE_DIR": str(output.with_name("kept-bodies"))})
        assert result.ok, result.report.format()
        results[processes] = result
    assert results[1].items == results[2].items > 15
    assert len(tree_bytes(tmp_path / "processes-1" / "output")) > 250
    assert_same_tree(tmp_path / "processes-2" / "output", tmp_path / "processes-1" / "output")


def test_a_render_worker_s_problems_come_back_and_its_failure_stops_the_build(tmp_path):
    """Pages queued as Pelican writes them; the second process renders every second page."""
    from jinja2 import Template
    from pelican.settings import read_settings

    from newsdesk.site import cores, render_queue
    from newsdesk.site.context import context_of

    settings = read_settings(str(SETTINGS), override={
        "NEWSDESK_TODAY": TODAY, "RENDER_PROCESSES": 2, "OUTPUT_PATH": str(tmp_path)})
    report = context_of(settings).report

    def warn(number):
        report.add(f"trang-{number}", 0, f"Cảnh báo từ trang {number}.", severity="warning")
        return ""

    template = Template("{{ warn(number) }}{{ 1 // divisor }} {{ number }}")
    writer = render_queue.QueuingWriter(str(tmp_path), settings=settings)
    for number in range(4):
        writer.write_file(f"trang-{number}/index.html", template, {"warn": warn},
                          number=number, divisor=1)
    writer.render_queued()
    assert (tmp_path / "trang-1" / "index.html").read_text(encoding="utf-8") == "1 1"
    assert sorted(p.message for p in report.problems) == [
        f"Cảnh báo từ trang {number}." for number in range(4)]  # two came from the worker

    writer = render_queue.QueuingWriter(str(tmp_path), settings=settings)
    for number in range(4):
        writer.write_file(f"lai-{number}/index.html", template, {"warn": warn},
                          number=number, divisor=0 if number == 1 else 1)
    with pytest.raises(cores.JobFailed, match="(?s)Traceback.*ZeroDivisionError"):
        writer.render_queued()
    assert (tmp_path / "lai-2" / "index.html").is_file()  # this process's share went on


def test_a_queued_page_keeps_the_context_pelican_gave_it_while_the_shared_one_changes(tmp_path):
    """A queued page holds a base copy of the shared context, shared with other pages, and
    its own values: what it renders is still the context of the moment it was written."""
    from jinja2 import Template
    from pelican.settings import read_settings

    from newsdesk.site import render_queue

    settings = read_settings(str(SETTINGS), override={
        "NEWSDESK_TODAY": TODAY, "RENDER_PROCESSES": 1, "OUTPUT_PATH": str(tmp_path)})
    template = Template("{{ place }} {{ number }} {{ added|default('-') }} "
                        "{{ dropped|default('-') }}")
    shared = {"place": "Đồng Nơ", "dropped": "có"}
    writer = render_queue.QueuingWriter(str(tmp_path), settings=settings)

    def write(number):
        writer.write_file(f"trang-{number}/index.html", template, shared, number=number)

    write(0)
    write(1)
    shared["place"] = "Tân Khai"  # a value changed
    write(2)
    shared["added"] = "mới"  # a key added
    write(3)
    del shared["dropped"]  # a key removed: the next page needs a new base copy
    write(4)
    pages = writer.queue
    assert pages[0].base is pages[1].base and len(pages[1].own) < 5
    writer.render_queued()
    rendered = [(tmp_path / f"trang-{n}" / "index.html").read_text(encoding="utf-8")
                for n in range(5)]
    assert rendered == ["Đồng Nơ 0 - có", "Đồng Nơ 1 - có", "Tân Khai 2 - có",
                        "Tân Khai 3 mới có", "Tân Khai 4 mới -"]


def test_while_the_queue_renders_each_url_is_worked_out_once(tmp_path, monkeypatch):
    """Pelican formats an item's URL again at every `url`; the queue asks it once per item,
    and only while it renders."""
    import datetime

    from jinja2 import Template
    from pelican.contents import Article
    from pelican.settings import read_settings

    from newsdesk.site import render_queue

    settings = read_settings(str(SETTINGS), override={
        "NEWSDESK_TODAY": TODAY, "RENDER_PROCESSES": 1, "OUTPUT_PATH": str(tmp_path)})
    item = Article("", metadata={"title": "Bài", "slug": "bai-mot", "type": "news",
                                 "date": datetime.datetime(2026, 11, 1)}, settings=settings)
    worked_out = []
    expand = Article._expand_settings
    monkeypatch.setattr(Article, "_expand_settings",
                        lambda self, key: worked_out.append(key) or expand(self, key))
    writer = render_queue.QueuingWriter(str(tmp_path), settings=settings)
    for number in range(3):
        writer.write_file(f"trang-{number}/index.html", Template("{{ item.url }} {{ item.url }}"),
                          {"item": item})
    writer.render_queued()
    url = expand(item, "url")
    assert (tmp_path / "trang-2" / "index.html").read_text(encoding="utf-8") == f"{url} {url}"
    assert worked_out == ["url"]
    item.url, item.url
    assert worked_out == ["url", "url", "url"]  # outside the render: Pelican's own way again
    with pelican_adapter.urls_worked_out_once():  # another thread (the preview's) is not memoized
        item.url, item.url
        other = threading.Thread(target=lambda: (item.url, item.url))
        other.start()
        other.join()
    assert worked_out == ["url"] * 6


def test_from_pelican_s_writer_on_each_url_is_worked_out_once_and_never_after(tmp_path,
                                                                                  monkeypatch):
    """Once every generator has made its context, the generators queuing pages, the queue
    and `finalized` share one memo of URLs, which ends with the run."""
    from pelican.contents import Content

    from newsdesk.site import render_queue

    memoized = []
    expand = Content._expand_settings

    def noting(self, key, *rest):
        if pelican_adapter._worked_out.get() is not None:
            memoized.append((id(self), key))
        return expand(self, key, *rest)

    monkeypatch.setattr(Content, "_expand_settings", noting)
    result = build(SETTINGS, tmp_path / "output", {
        "NEWSDESK_TODAY": TODAY, "SEARCH_INDEX": False, "RENDER_PROCESSES": 1, "RENDER_MEMO": False})
    assert result.ok, result.report.format()
    assert len(memoized) > 2 * result.items  # each item's url and save_as, at least
    assert len(memoized) == len(set(memoized))
    assert pelican_adapter._worked_out.get() is None


def test_pages_noted_as_they_render_come_back_from_every_process(tmp_path):
    """A plugin learns from each page it wants as the page is rendered, on either process."""
    from jinja2 import Template
    from pelican.settings import read_settings

    from newsdesk.site import render_queue

    settings = read_settings(str(SETTINGS), override={
        "NEWSDESK_TODAY": TODAY, "RENDER_PROCESSES": 2, "OUTPUT_PATH": str(tmp_path)})
    sizes = render_queue.note_pages(settings, "co-trang", lambda path: path.endswith(".html"),
                                    len)
    writer = render_queue.QueuingWriter(str(tmp_path), settings=settings)
    for number in range(6):
        writer.write_file(f"trang-{number}/index.html", Template("ô" * number), {})
    writer.write_file("khac.txt", Template("không ghi lại"), {})
    writer.render_queued()
    assert sizes.found == {str(tmp_path / f"trang-{number}" / "index.html"): 2 * number
                           for number in range(6)}  # "ô" is two bytes in UTF-8


def test_a_taxonomy_s_articles_answer_in_by_identity_and_stay_fixed():
    """Pelican asks `article in articles` for every article of every tag, category and
    author: newsdesk/site/taxonomy.py answers from a set, as the list answered (by identity)."""
    from newsdesk.site.taxonomy import Articles

    class Item:  # like Pelican's content: no __eq__ of its own
        pass

    one, two, other = Item(), Item(), Item()
    articles = Articles([two, one])
    assert list(articles) == [two, one] and articles == [two, one]
    assert one in articles and two in articles and other not in articles
    assert [a for a in (one, other, two) if a in articles] == [one, two]
    for change in (lambda: articles.append(other), lambda: articles.sort(key=id),
                   lambda: articles.__setitem__(0, other)):
        with pytest.raises(TypeError):
            change()
    assert list(articles) == [two, one]

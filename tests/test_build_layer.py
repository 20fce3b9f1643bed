"""The build layer under the pages (issue 34): a render worker's failure of any kind fails the
render, no queued work is lost, publish builds render every page afresh, and files kept in
caches are never written through a tree that shares them."""

from __future__ import annotations

import os
import stat

import pytest
from jinja2 import Template
from pelican.settings import read_settings

from devtools import ROOT
from newsdesk.site import poststep, render_queue, templating
from newsdesk.site.build import build
from newsdesk.site.context import context_of

SETTINGS = ROOT / "pelicanconf.py"
TODAY = "2026-11-26"


def _writer(tmp_path, processes: int = 2) -> render_queue.QueuingWriter:
    settings = read_settings(str(SETTINGS), override={
        "NEWSDESK_TODAY": TODAY, "RENDER_PROCESSES": processes, "OUTPUT_PATH": str(tmp_path)})
    return render_queue.QueuingWriter(str(tmp_path), settings=settings)


def test_a_worker_whose_answer_cannot_be_pickled_fails_the_render_with_its_message(tmp_path):
    writer = _writer(tmp_path)
    # A plugin's note of each page that cannot go back through a pipe: a function.
    render_queue.note_pages(writer.settings, "hong", lambda path: True, lambda data: lambda: 0)
    for number in range(4):
        writer.write_file(f"trang-{number}/index.html", Template("{{ number }}"), {},
                          number=number)
    with pytest.raises(Exception, match="(?i)pickle"):
        writer.render_queued()


def test_work_queued_after_the_queue_rendered_is_run_not_lost(tmp_path):
    writer = _writer(tmp_path, processes=1)
    writer.write_file("dau/index.html", Template("đầu"), {})
    writer.render_queued()
    done = []
    render_queue.later(writer, done.append, "đã chạy")
    writer.write_file("sau/index.html", Template("đến sau"), {})
    assert done == ["đã chạy"]
    assert (tmp_path / "sau" / "index.html").read_text(encoding="utf-8") == "đến sau"
    writer.render_queued()  # rendering again renders nothing twice
    assert done == ["đã chạy"]


def test_the_steps_take_the_marked_pages_from_the_render_and_read_a_page_written_again(tmp_path):
    writer = _writer(tmp_path)  # two processes: half the notes come back from a worker
    render_queue.note_marked(writer.settings, "dau", b"hq-dau")
    for number in range(100):
        writer.write_file(f"trang-{number}/index.html", Template("{{ mark }} {{ number }}"), {},
                          number=number, mark="hq-dau" if number % 2 else "Đồng Nơ")

    def marked(name: str) -> dict[str, str]:  # nothing is noted under "doc": every page is read
        return poststep.marked_pages(tmp_path, writer.settings, name, b"hq-dau")

    writer.render_queued()
    assert len(context_of(writer.settings).page_notes["dau"].found) == 100
    assert marked("dau") == marked("doc") and len(marked("doc")) == 50
    # Written again once the queue has rendered: what was noted of it no longer stands.
    writer.write_file("trang-0/index.html", Template("hq-dau đã sửa"), {}, override_output=True)
    assert marked("dau") == marked("doc") and len(marked("doc")) == 51


NOTE = {"text": "bản một"}  # what the filter below reads, outside every page's hashed inputs


def _noted_date(value, *args, **kwargs):
    return templating.FILTERS["long_date"](value, *args, **kwargs) + NOTE["text"]


def test_a_publish_build_renders_every_page_afresh(site, tmp_path):
    """A filter reading state outside the page's context (as one reading the build context
    would): the page memo cannot see it change, so the public site must not use the memo."""
    site.item("dong-no/duong.md", title="Đường giao thông Đồng Nơ")
    settings = {"PATH": str(site.content), "NEWSDESK_TODAY": TODAY, "SEARCH_INDEX": False,
                "RENDER_MEMO_DIR": str(tmp_path / "kept-pages"),
                "JINJA_FILTERS": {**templating.FILTERS, "long_date": _noted_date}}
    page = "tin-bai/duong/index.html"
    first = build(ROOT / "publishconf.py", tmp_path / "one", settings)
    assert first.ok, first.report.format()
    assert "bản một" in (tmp_path / "one" / page).read_text(encoding="utf-8")
    NOTE["text"] = "bản hai"
    try:
        second = build(ROOT / "publishconf.py", tmp_path / "two", settings)
    finally:
        NOTE["text"] = "bản một"
    assert second.ok, second.report.format()
    assert "bản hai" in (tmp_path / "two" / page).read_text(encoding="utf-8")
    assert second.pages_kept == 0


def test_files_kept_in_caches_are_read_only(site, tmp_path):
    """A tree shares its files with the page memo, the post-step cache and the image cache
    (hard links): those are read-only, so a later write cannot change a published file."""
    from PIL import Image

    (site.content / "dong-no").mkdir()
    Image.new("RGB", (64, 48), "red").save(site.content / "dong-no" / "anh.jpg")
    site.item("dong-no/a.md", title="Tin A", image="anh.jpg", alt="Ảnh Đồng Nơ")
    site.item("dong-no/b.md", title="Tin B", date="2023-11-21 08:00")
    caches = {"RENDER_MEMO_DIR": tmp_path / "pages", "POSTSTEPS_CACHE_DIR": tmp_path / "steps",
              "IMAGES_CACHE_DIR": tmp_path / "images"}
    for output in ("one", "two"):
        built = site.build(tmp_path / output, **{k: str(v) for k, v in caches.items()})
        assert built.result.ok, built.result.report.format()
    assert built.result.pages_kept > 0
    trees = {os.stat(path).st_ino: path for output in ("one", "two")
             for path in (tmp_path / output).rglob("*") if path.is_file()}
    for folder in caches.values():
        shared = [path for path in folder.rglob("*")
                  if path.is_file() and os.stat(path).st_ino in trees]
        assert shared, folder
        assert [str(path) for path in shared
                if os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)] == []


def test_what_the_adapter_uses_of_pelican_is_there_as_it_expects(tmp_path):
    """Each private name and replaced method of newsdesk/site/pelican_adapter.py, against
    the installed Pelican: a change in an upgrade fails here, not silently in a build."""
    import inspect

    import pelican
    from pelican import Pelican
    from pelican.contents import Article, Content
    from pelican.generators import Generator
    from pelican.writers import Writer

    from newsdesk.site import pelican_adapter

    assert pelican.__version__ == pelican_adapter.PELICAN_VERSION
    assert f"pelican[markdown]=={pelican.__version__}\n" in (ROOT / "requirements.txt").read_text()
    signatures = {
        Pelican._get_writer: "(self)",
        Pelican._get_generator_classes: "(self)",
        Writer._open_w: "(self, filename, encoding, override=False)",
        Generator._update_context: "(self, items)",
        Content.get_url_setting: "(self, key: str) -> str",
    }
    for function, signature in signatures.items():
        assert str(inspect.signature(function)) == signature, function.__qualname__
    run = inspect.getsource(Pelican.run)
    assert "self._get_writer()" in run and "self._get_generator_classes()" in run
    write_file = inspect.getsource(Writer.write_file)
    assert "self._open_w(" in write_file and 'context["localsiteurl"] =' in write_file
    assert "self.get_url_setting(" in inspect.getsource(Content)
    assert "__getattribute__" not in vars(Content)  # so the adapter's can be removed again
    settings = read_settings(str(SETTINGS), override={"NEWSDESK_TODAY": TODAY})
    writer = Writer(str(tmp_path), settings=settings)
    assert writer._written_files == set() and writer._overridden_files == set()
    item = Article("<p>Đồng Nơ</p>", metadata={"title": "Tin"}, settings=settings,
                   context={"localsiteurl": ""})
    assert pelican_adapter.body_of(item) == "<p>Đồng Nơ</p>"
    assert set(pelican_adapter.CONTENT_LINKS) <= set(vars(item))


def _not_pelican_s(module) -> dict[str, list[str]]:
    """Attributes of the module's classes that are functions of another package."""
    found = {}
    for cls in vars(module).values():
        if isinstance(cls, type) and cls.__module__.startswith("pelican"):
            foreign = [name for name, value in vars(cls).items() if callable(value)
                       and (getattr(value, "__module__", None) or "pelican").split(".")[0]
                       not in ("pelican", "functools")]  # functools: total_ordering's
            if foreign:
                found[cls.__qualname__] = foreign
    return found


def test_no_class_attribute_of_pelican_is_left_patched_after_a_build(site, tmp_path):
    import pelican
    from pelican import contents, generators, readers, urlwrappers, writers

    site.item("dong-no/a.md", title="Tin A")
    site.item("dong-no/b.md", title="Tin B", date="2023-11-21 08:00")
    for output in ("one", "two"):  # rendered and recorded, then kept from the memo
        built = site.build(tmp_path / output, SEARCH_INDEX=False, RENDER_PROCESSES=2,
                           RENDER_MEMO_DIR=str(tmp_path / "kept-pages"))
        assert built.result.ok, built.result.report.format()
    for module in (pelican, contents, generators, readers, urlwrappers, writers):
        assert _not_pelican_s(module) == {}, module.__name__


def test_the_cores_are_counted_where_the_system_has_no_affinity(monkeypatch):
    from newsdesk.site import cores

    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # macOS
    assert cores.cores() == os.cpu_count()
    assert render_queue.processes({"RENDER_PROCESSES": 0}, 10_000) >= 1


def test_a_render_in_a_thread_other_than_the_main_one_never_forks(tmp_path):
    """The live preview builds in a thread beside tornado's and the watcher's: a fork there
    would copy the locks they hold. Its queue renders in its own process."""
    import threading

    writer = _writer(tmp_path, processes=2)
    renderers = render_queue.note_pages(writer.settings, "tien-trinh", lambda path: True,
                                        lambda data: os.getpid())
    for number in range(4):
        writer.write_file(f"trang-{number}/index.html", Template("{{ number }}"), {},
                          number=number)
    beside = threading.Thread(target=writer.render_queued)
    beside.start()
    beside.join()
    assert set(renderers.found.values()) == {os.getpid()} and len(renderers.found) == 4

"""Pages kept from earlier renders (newsdesk/site/render_memo.py, issue 16): how a context is
hashed, what a render records, and when stored bytes are used. That a kept page is the page a
render gives, after every kind of change, is tested in test_unchanged_builds.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_unchanged_builds import assert_same_tree
from pelican.contents import Article, Content

from newsdesk.site import pelican_adapter, render_memo
from newsdesk.site.render_memo import Digests, Unhashable


def _article(source: str, title: str = "Tin") -> Article:
    return Article("<p>Nội dung.</p>", metadata={"title": title, "slug": Path(source).stem},
                   source_path=source)


def test_equal_values_hash_alike_and_a_dict_s_order_counts_but_not_a_set_s():
    one, two = Digests({}), Digests({})
    assert one.of({"a": [1, "x"], "b": {3, 4}}) == two.of({"a": [1, "x"], "b": {4, 3}})
    assert one.of({"a": 1, "b": 2}) != two.of({"b": 2, "a": 1})  # a template iterates in order
    assert one.of(["1"]) != one.of([1])


def test_a_content_object_stands_for_itself_by_name_and_its_state_is_hashed_apart():
    first, second = _article("/c/a.md"), _article("/c/a.md", title="Tin khác")
    assert Digests({}).of([first]) == Digests({}).of([second])
    one, two = Digests({}), Digests({})
    assert one.state(first) != two.state(second)
    with pytest.raises(Unhashable):  # two live objects of one name: no page could tell them
        one.of([first, _article("/c/a.md")])


def test_unknown_kinds_and_cycles_are_refused():
    looped: list = []
    looped.append(looped)
    with pytest.raises(Unhashable):
        Digests({}).of(looped)
    with pytest.raises(Unhashable):
        Digests({}).of({"x": object()})


def test_reads_are_recorded_only_while_recording_and_touching():
    item, other = _article("/c/a.md"), _article("/c/b.md")
    touched: set = set()
    with pelican_adapter.reads_recorded():
        with pelican_adapter.touching(touched):
            assert item.title == "Tin"
        assert other.title == "Tin"  # outside `touching`: not this page's read
    assert touched == {item}
    assert "__getattribute__" not in vars(Content)  # Pelican's own attribute access again


def test_a_stored_page_changed_on_disk_is_rendered_again(site, tmp_path):
    site.item("dong-no/a.md", title="Tin A")
    site.item("dong-no/b.md", title="Tin B", date="2023-11-21 08:00")
    memo = tmp_path / "memo"
    settings = {"RENDER_MEMO_DIR": str(memo), "SEARCH_INDEX": False}
    first = site.build(tmp_path / "one", **settings).result
    second = site.build(tmp_path / "two", **settings).result
    assert first.ok and second.ok
    assert first.pages_kept == 0 and second.pages_kept > 0
    page = next(p for p in sorted((memo / "bytes").iterdir()) if "Tin A".encode() in p.read_bytes())
    with open(page, "r+b") as file:  # a built file edited by hand, in place
        file.write("<!-- sửa tay -->".encode())
    third = site.build(tmp_path / "three", **settings).result
    assert third.ok and third.pages_kept == second.pages_kept - 1
    fourth = site.build(tmp_path / "four", **settings).result
    assert fourth.ok and fourth.pages_kept == second.pages_kept
    clean = site.build(tmp_path / "clean", RENDER_MEMO=False, **settings).result
    assert clean.ok and clean.pages_kept == 0
    assert_same_tree(tmp_path / "four", tmp_path / "clean")

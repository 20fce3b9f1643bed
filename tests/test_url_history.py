"""data/url-history.json (the ledger of old addresses, plugins/url_history) is checked when
read: a wrong one stops the build with a Vietnamese message naming the file (issue 28)."""

from __future__ import annotations

import json

import pytest

FILE_SHAPE = ("Sổ đường dẫn cũ không đúng dạng: cả tệp phải là một bảng JSON {\"mã bài\": "
              "[\"địa chỉ cũ/\", ...]}, đang là ")


@pytest.mark.parametrize("ledger, message", [
    ([], FILE_SHAPE + "một danh sách."),
    ("tin-bai/x/", FILE_SHAPE + "một dòng chữ."),
    (None, FILE_SHAPE + "null."),
    ({"dong-no-01": [5]}, "Sổ đường dẫn cũ không đúng dạng: mục \"dong-no-01\" có 5, không phải "
                          "một danh sách địa chỉ dạng [\"tin-bai/ten-bai/\"]."),
    ({"dong-no-01": "tin-bai/cu/"}, "Sổ đường dẫn cũ không đúng dạng: mục \"dong-no-01\" có "
                                    "\"tin-bai/cu/\", không phải một danh sách địa chỉ dạng "
                                    "[\"tin-bai/ten-bai/\"]."),
    ({"dong-no-01": ["../../ngoai/"]}, "Sổ đường dẫn cũ không đúng dạng: mục \"dong-no-01\" có "
                                       "\"../../ngoai/\", không phải một danh sách địa chỉ dạng "
                                       "[\"tin-bai/ten-bai/\"]."),
])
def test_a_wrong_ledger_stops_the_build_naming_the_file(site, tmp_path, ledger, message):
    path = tmp_path / "url-history.json"
    path.write_text(json.dumps(ledger), encoding="utf-8")
    site.item("dong-no/tin.md", id="dong-no-01")
    built = site.build(URL_HISTORY_PATH=str(path))
    assert [(p.path, p.message) for p in built.result.report.errors] == [(str(path), message)]
    assert not built.output.exists()
    assert json.loads(path.read_text(encoding="utf-8")) == ledger  # left as it was


def test_a_good_ledger_still_makes_redirects(site, tmp_path):
    path = tmp_path / "url-history.json"
    path.write_text(json.dumps({"dong-no-01": ["tin-bai/ten-cu/"]}), encoding="utf-8")
    site.item("dong-no/tin.md", id="dong-no-01")
    built = site.build(URL_HISTORY_PATH=str(path))
    assert built.result.ok, built.result.report.format()
    assert built.exists("tin-bai/ten-cu/index.html")

"""The commune registry: one file, one loader, names matched the way editors write them."""

import unicodedata

import pytest

from newsdesk.content import vocabulary
from newsdesk.content.text import slug

REAL = vocabulary.DEFAULT_PATH.read_text(encoding="utf-8")
MERGED = REAL.replace('slug = "tan-hung"',
                      'slug = "tan-hung"\nsuccessor = "tan-khai"\nmerged_on = 2025-07-01')


def test_registry_lists_the_thirteen_units_of_the_district():
    registry = vocabulary.load()
    assert [c.name for c in registry.communes] == [
        "Tân Khai", "An Khương", "An Phú", "Đồng Nơ", "Minh Đức", "Minh Tâm", "Phước An",
        "Tân Hiệp", "Tân Hưng", "Tân Lợi", "Tân Quan", "Thanh An", "Thanh Bình"]
    assert registry.communes[0].kind == "thị trấn"
    assert all(c.kind == "xã" for c in registry.communes[1:])
    assert all(c.slug == slug(c.name) for c in registry.communes)


@pytest.mark.parametrize("spelling", ["dong no", "Dong No", "ĐỒNG NƠ", "Đồng Nơ", "xã Đồng Nơ",
                                      unicodedata.normalize("NFD", "Đồng Nơ"), "dong-no"])
def test_names_match_whatever_the_case_diacritics_or_unicode_form(spelling):
    assert vocabulary.load().find_place(spelling).slug == "dong-no"


def test_slugs_are_ascii():
    assert slug("Đồng Nơ") == "dong-no"
    assert slug("Giảm nghèo đa chiều") == "giam-ngheo-da-chieu"
    assert slug(unicodedata.normalize("NFD", "Hớn Quản")) == "hon-quan"
    assert slug("\u00d0ồng Nơ") == "dong-no"  # the wrong Ð (U+00D0) pasted for Đ


def test_two_registry_names_whose_slugs_collide_are_refused(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL + '\n[[communes]]\nname = "Minh Dục"\nkind = "xã"\n', encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert '"Minh Dục" và "Minh Đức" trùng nhau khi bỏ dấu' in str(error.value)


def test_a_merged_commune_keeps_its_page_which_says_where_it_went(tmp_path, site):
    path = tmp_path / "vocabulary.toml"
    path.write_text(MERGED, encoding="utf-8")
    site.item("cu.md", title="Tin cũ Tân Hưng", category="Tân Hưng", date="2024-05-01 08:00")
    built = site.build(VOCABULARY_PATH=str(path))
    assert built.result.ok, built.result.report.format()
    old = built.html("dia-ban/tan-hung/")
    assert old.select_one(".hq-notice a")["href"] == "/dia-ban/tan-khai/"
    assert [a.get_text() for a in old.select(".hq-card__title a")] == ["Tin cũ Tân Hưng"]
    assert "xã Tân Hưng" in built.html("dia-ban/tan-khai/").select_one(".hq-notice").get_text()
    picker = [a.get_text() for a in built.html("dia-ban/").select(".hq-commune-grid__link")]
    assert "xã Tân Hưng" not in picker and "thị trấn Tân Khai" in picker


def test_an_item_naming_a_commune_merged_before_its_date_gets_a_warning(tmp_path, site):
    path = tmp_path / "vocabulary.toml"
    path.write_text(MERGED, encoding="utf-8")
    site.item("moi.md", category="Tân Hưng", date="2025-08-01 08:00")
    result = site.build(VOCABULARY_PATH=str(path)).result
    assert result.ok
    assert [p.message for p in result.report.warnings] == [
        "xã Tân Hưng đã sáp nhập vào thị trấn Tân Khai từ 01/07/2025, trước ngày của bài."]
    assert result.report.warnings[0].hint == 'Ghi "Tân Khai" thay cho "Tân Hưng".'


# After the 2025 merge a new "xã Tân Hưng" took the name of the old one it absorbed.
SAME_NAME = REAL.replace('slug = "tan-hung"', 'slug = "tan-hung"\nsuccessor = "tan-hung-2025"\n'
                         'merged_on = 2025-07-01') + """
[[communes]]
name = "Tân Hưng"
kind = "xã"
slug = "tan-hung-2025"
established_on = 2025-07-01
"""


def test_a_new_unit_may_take_an_old_units_name_and_the_item_date_says_which(tmp_path, site):
    path = tmp_path / "vocabulary.toml"
    path.write_text(SAME_NAME, encoding="utf-8")
    site.item("cu.md", title="Tin năm 2024", category="tan hung", date="2024-05-01 08:00")
    site.item("moi.md", title="Tin năm 2025", category="Tân Hưng", date="2025-08-01 08:00")
    built = site.build(VOCABULARY_PATH=str(path))
    assert built.result.ok and not built.result.report.warnings, built.result.report.format()
    for unit, titles in (("tan-hung", ["Tin năm 2024"]), ("tan-hung-2025", ["Tin năm 2025"])):
        cards = built.html(f"dia-ban/{unit}/").select("[aria-labelledby=tin-bai] .hq-card__title a")
        assert [a.get_text() for a in cards] == titles
    facts = built.html("dia-ban/tan-hung-2025/").select_one(".hq-facts").get_text(" ", strip=True)
    assert "Thành lập 01/07/2025" in facts
    picker = [a["href"] for a in built.html("dia-ban/").select(".hq-commune-grid__link")]
    assert "/dia-ban/tan-hung-2025/" in picker and "/dia-ban/tan-hung/" not in picker


def test_two_units_sharing_a_name_at_the_same_time_are_refused(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL + '\n[[communes]]\nname = "Tân Hưng"\nkind = "xã"\nslug = "tan-hung-2"\n',
                    encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert '"Tân Hưng" và "Tân Hưng" trùng nhau khi bỏ dấu' in str(error.value)


def test_exactly_one_content_type_must_be_the_default(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL.replace("default = true\n", ""), encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert "cần đúng một loại nội dung mặc định (default = true), đang có 0" in str(error.value)
    assert vocabulary.load().default_type == "tin-bai"


# -- a wrong type is named with its key and line (issue 28, item 13) --------------------------
def _line(needle: str) -> int:
    """The line of the real file where `needle` is first written."""
    return REAL[:REAL.index(needle)].count("\n") + 1


def _refused(tmp_path, text: str, encoding: str = "utf-8") -> list[tuple[int, str]]:
    path = tmp_path / "vocabulary.toml"
    path.write_text(text, encoding=encoding)
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    return error.value.problems


@pytest.mark.parametrize("old, new, line, message", [
    ("[district]\nname", 'district = "x"\n[district-cu]\nname', _line("[district]"),
     'khóa district: phải là một bảng (khối [tên] với các dòng khóa = giá trị), đang là một '
     'dòng chữ ("x").'),
    ('aliases = ["TT Tân Khai", "TT. Tân Khai"]', 'aliases = "TT Tân Khai"',
     _line("aliases = [\"TT"),
     '[[communes]] thứ 1, khóa aliases: phải là một danh sách chữ trong ngoặc vuông, ví dụ '
     '["a", "b"], đang là một dòng chữ ("TT Tân Khai").'),
    ('slug = "dong-no"', 'slug = "dong-no"\nflags = "abc"', _line('slug = "dong-no"') + 1,
     '[[communes]] thứ 4, khóa flags: phải là một danh sách chữ trong ngoặc vuông, ví dụ '
     '["a", "b"], đang là một dòng chữ ("abc").'),
    ('name = "An Phú"', "name = 5", _line('name = "An Phú"'),
     "[[communes]] thứ 3, khóa name: phải là một dòng chữ trong ngoặc kép, đang là một số (5)."),
    ('key = "tin-bai"\n', "", _line('key = "tin-bai"') - 1,
     "[[types]] thứ 1: thiếu khóa key (một dòng chữ trong ngoặc kép)."),
    ('label = "Tiêu đề"', "label = 3", _line('label = "Tiêu đề"'),
     "[fields.title], khóa label: phải là một dòng chữ trong ngoặc kép, đang là một số (3)."),
])
def test_a_value_of_the_wrong_type_is_refused_naming_its_key_and_line(tmp_path, old, new, line,
                                                                      message):
    assert old in REAL
    assert _refused(tmp_path, REAL.replace(old, new, 1)) == [(line, message)]


def test_communes_written_as_a_list_of_names_are_refused_each(tmp_path):
    text = REAL.replace("[[communes]]", "[[xa-cu]]").replace(
        "[district]", 'communes = ["a", 5]\n[district]', 1)
    assert _refused(tmp_path, text) == [
        (_line("[district]"),
         '[[communes]] thứ 1: phải là một khối [[communes]], đang là một dòng chữ ("a").'),
        (_line("[district]"),
         "[[communes]] thứ 2: phải là một khối [[communes]], đang là một số (5).")]


def test_a_wrong_type_is_a_vocabulary_error_of_build_and_check_with_its_line(site, tmp_path):
    from newsdesk.editors import check as content_check

    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL.replace('aliases = ["TT Tân Khai", "TT. Tân Khai"]',
                                 'aliases = "TT Tân Khai"'), encoding="utf-8")
    site.item("a.md")
    overrides = {"PATH": str(site.content), "VOCABULARY_PATH": str(path)}
    for report in (site.build(VOCABULARY_PATH=str(path)).result.report,
                   content_check.check(overrides=overrides).report):
        assert [(p.path, p.line, p.message.split(":")[0]) for p in report.problems] == [
            (str(path), _line("aliases = [\"TT"), "[[communes]] thứ 1, khóa aliases")]


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL, encoding="utf-8-sig")  # what Windows Notepad writes
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert vocabulary.load(path).find_place("dong no").slug == "dong-no"


def test_a_toml_syntax_error_names_its_line(tmp_path):
    [(line, message)] = _refused(tmp_path, REAL.replace("[district]", "[district", 1))
    assert line == _line("[district]") and message.startswith("sai cú pháp TOML (")


@pytest.mark.parametrize("old, new, said", [
    ('key = "tin-bai"', 'key = "pagefind"', 'loại nội dung (key) "pagefind"'),
    ('key = "tin-bai"', 'key = "theme"', 'loại nội dung (key) "theme"'),
    ('slug = "dong-no"', 'slug = "kiosk"', 'slug "kiosk" của xã Đồng Nơ'),
    ('slug = "an-phu"', 'slug = "nguon-tin"', 'slug "nguon-tin" của xã An Phú'),
    ("truong-ap =", "media =", 'đối tượng đọc "media" trong [audiences]'),
])
def test_a_key_taking_a_folder_of_the_site_is_a_vocabulary_error(site, tmp_path, old, new, said):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL.replace(old, new, 1), encoding="utf-8")
    site.item("a.md")
    report = site.build(VOCABULARY_PATH=str(path)).result.report
    assert [p.path for p in report.problems] == [str(path)]
    folder = new.split('"')[1] if '"' in new else "media"
    assert report.problems[0].message.startswith(
        f"{said} trùng tên thư mục riêng của trang web (/{folder}/); hãy đặt tên khác.")
    assert not (site.root / "output").exists()

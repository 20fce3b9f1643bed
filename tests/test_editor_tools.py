"""Editors' promises: `invoke new` makes a file that checks and builds for every type; a
withdrawn item leaves every listing and its address shows a notice; a correction is shown."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from devtools import ROOT
from newsdesk.editors import check as content_check
from newsdesk.content import dates, legacy_encodings, vocabulary
from newsdesk.editors import newitem
from newsdesk.content.items import PLACEHOLDER

VOCAB = vocabulary.load()
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dates.TIMEZONE)


def fill_placeholders(path: Path, vocab: vocabulary.Vocabulary = VOCAB) -> None:
    """Do what an editor does: replace every [CẦN ĐIỀN] with a real value."""
    lines = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if PLACEHOLDER in line and ":" in line.split(PLACEHOLDER)[0]:
            key = line.split(":", 1)[0].lower()
            lines.append(f"{line.split(':', 1)[0]}: {value_for(key, path.parent, vocab)}")
        elif PLACEHOLDER in line:
            lines.append("Nội dung bài viết về giảm nghèo.")
        else:
            lines.append(line)
    path.write_text("\n".join(lines), encoding="utf-8")


def value_for(key: str, folder: Path, vocab: vocabulary.Vocabulary) -> str:
    field = vocab.fields[key]
    if field.kind == "file":
        name = f"{key}.{field.extensions[0] if field.extensions else 'txt'}"
        if name.rsplit(".", 1)[1] in ("jpg", "jpeg", "png", "webp"):
            Image.new("RGB", (40, 30), "#0b4f8a").save(folder / name)
        else:
            (folder / name).write_bytes(b"\0")
        return name
    return {"date": "20/11/2026 08:00", "commune": "Đồng Nơ", "communes": "Tân Hưng",
            "url": "https://example.org/", "list": "giảm nghèo",
            "video": "https://youtu.be/dQw4w9WgXcQ"}.get(field.kind, "Giảm nghèo")


@pytest.mark.parametrize("type_key", list(VOCAB.types))
def test_new_item_checks_and_builds_once_placeholders_are_filled(type_key, site):
    path = newitem.create("Hộ nghèo Tân Hưng vươn lên", type_key, "Tân Hưng",
                          content_root=site.content, vocab=VOCAB, now=NOW)
    assert path == site.content / "tan-hung" / "ho-ngheo-tan-hung-vuon-len.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Hộ nghèo Tân Hưng vươn lên\nDate: 20/11/2026 09:30\n"
                           f"Category: Tân Hưng\nType: {type_key}\nID: 20261120-")
    required, _ = VOCAB.type_fields(type_key)
    for key in required:
        assert f"\n{newitem.field_line(key)}: " in "\n" + text
    unfilled = content_check.check(overrides={"PATH": str(site.content)})
    assert not unfilled.ok  # the body placeholder at least
    fill_placeholders(path)
    checked = content_check.check(overrides={"PATH": str(site.content)})
    assert checked.ok and not checked.report.problems, checked.report.format()
    built = site.build()
    assert built.result.ok, built.result.report.format()
    page = built.html(f"{type_key}/ho-ngheo-tan-hung-vuon-len/")
    assert page.h1.get_text() == "Hộ nghèo Tân Hưng vươn lên"
    assert "Các dòng có thể thêm" not in str(page)  # the hint comment never reaches readers


def test_new_refuses_unknown_type_or_commune_with_a_suggestion_and_never_overwrites(tmp_path):
    with pytest.raises(newitem.NewItemError, match="Có phải \"infographic\""):
        newitem.create("Tin", "infografic", "Tân Hưng", tmp_path, VOCAB, NOW)
    with pytest.raises(newitem.NewItemError, match="Có phải \"Tân Hưng\""):
        newitem.create("Tin", "tin-bai", "Tân Hưg", tmp_path, VOCAB, NOW)
    path = newitem.create("Tin", "tin-bai", "Tân Hưng", tmp_path, VOCAB, NOW)
    path.write_text("đã viết", encoding="utf-8")
    with pytest.raises(newitem.NewItemError, match="không ghi đè"):
        newitem.create("Tin", "tin-bai", "tan hung", tmp_path, VOCAB, NOW)
    assert path.read_text(encoding="utf-8") == "đã viết"


def test_a_title_used_in_another_commune_gets_its_own_address_and_says_whose(site):
    first = newitem.create("Hội nghị giảm nghèo năm 2026", "", "Đồng Nơ", site.content, VOCAB, NOW)
    second = newitem.plan("Hội nghị giảm nghèo năm 2026", "", "Minh Đức", site.content, VOCAB, NOW)
    assert second.path == site.content / "minh-duc" / "hoi-nghi-giam-ngheo-nam-2026-minh-duc.md"
    assert second.note == (
        f"Tiêu đề này đã được dùng ở {first} (cùng địa chỉ /tin-bai/hoi-nghi-giam-ngheo-nam-2026/"
        "), nên bài mới lấy địa chỉ /tin-bai/hoi-nghi-giam-ngheo-nam-2026-minh-duc/ (tệp "
        "hoi-nghi-giam-ngheo-nam-2026-minh-duc.md).")
    third = newitem.plan("Hội nghị giảm nghèo năm 2026", "video", "Minh Đức", site.content,
                         VOCAB, NOW)  # another type: another address, nothing to say
    assert (third.path.name, third.note) == ("hoi-nghi-giam-ngheo-nam-2026.md", "")
    for path in (first, newitem.write(second).path):
        fill_placeholders(path)
    checked = content_check.check(overrides={"PATH": str(site.content)})
    assert checked.ok and not checked.report.problems, checked.report.format()


def test_the_real_new_command_refuses_without_traceback():
    run = subprocess.run([sys.executable, "-m", "invoke", "new", "Tin", "--type", "tin-bai",
                          "--commune", "Đồng Nờ Nờ"], cwd=ROOT, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "Có phải \"Đồng Nơ\"?" in run.stderr


def test_withdrawn_item_leaves_listings_and_its_address_shows_a_notice(site):
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản", body="Nội dung ![Bò](bo.png)",
              image="bia.png", alt="Đàn bò", tags="chăn nuôi")
    Image.new("RGB", (40, 30)).save(site.content / "dong-no" / "bia.png")
    Image.new("RGB", (40, 30)).save(site.content / "dong-no" / "bo.png")
    site.item("dong-no/lua.md", title="Trồng lúa", tags="chăn nuôi")
    before = site.build()
    assert "Nuôi bò sinh sản" in before.html("dia-ban/dong-no/").get_text()
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản", body="Nội dung ![Bò](bo.png)",
              image="bia.png", alt="Đàn bò", tags="chăn nuôi", status="withdrawn",
              modified="25/11/2026 10:00")
    built = site.build(output=before.output)
    assert built.result.ok, built.result.report.format()
    for listing in ("", "dia-ban/dong-no/", "tin-bai/", "chu-de/chan-nuoi/", "luu-tru/"):
        text = built.html(listing).get_text()
        assert "Nuôi bò sinh sản" not in text, listing
        assert "Trồng lúa" in text, listing
    notice = built.html("tin-bai/bo/")
    assert notice.h1.get_text() == "Bài đã được gỡ"
    assert "Bài đã được gỡ khỏi chuyên mục ngày 25/11/2026" in notice.get_text()
    assert "Nuôi bò" not in notice.get_text() and not notice.select("main img")
    assert notice.select_one('meta[name="robots"]')["content"] == "noindex"
    assert notice.select_one("[data-pagefind-ignore]")
    feeds = [p for p in built.output.rglob("*.xml")] + list(built.output.rglob("*.json"))
    for feed in feeds:
        assert "Nuôi bò sinh sản" not in feed.read_text(encoding="utf-8"), feed


def test_correction_note_shows_its_text_and_date(site):
    site.item("tin.md", title="Hỗ trợ bò giống", correction="Số hộ được hỗ trợ là 12, "
              "không phải 21 như bản đăng trước.", corrected="24/11/2026 15:00")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    note = built.html("tin-bai/tin/").select_one(".hq-correction")
    assert note.h2.get_text() == "Đính chính"
    assert "Số hộ được hỗ trợ là 12" in note.get_text()
    assert "Ngày đính chính: Thứ Ba, 24/11/2026, 15:00" in " ".join(note.get_text().split())


def test_correction_without_its_date_fails_the_build_with_a_clear_message(site):
    site.item("tin.md", title="Hỗ trợ bò giống", correction="Số hộ là 12.")
    built = site.build()
    assert not built.result.ok
    assert [p.message for p in built.result.report.errors] == [
        "Có dòng Correction nhưng thiếu dòng Corrected (Ngày đính chính)."]


def test_drafts_and_future_items_are_previewed_but_never_published(site):
    site.item("nhap.md", title="Bản nháp", status="draft")
    site.item("sau.md", title="Hẹn giờ", date="01/12/2026 08:00")
    preview = site.build()
    assert preview.exists("ban-nhap/nhap/index.html") and preview.exists("ban-nhap/sau/index.html")
    public = site.build(output=site.root / "public", DRAFT_SAVE_AS="", DRAFT_URL="")
    assert not list(public.output.rglob("ban-nhap"))
    assert "Hẹn giờ" not in public.html("").get_text()
    later = site.build(output=site.root / "later", today="2026-12-01", DRAFT_SAVE_AS="")
    assert "Hẹn giờ" in later.html("").get_text()


LETTERS = "".join(sorted(legacy_encodings.VIETNAMESE_LETTERS))


@pytest.mark.parametrize("table", ["tcvn3", "vni"])
def test_legacy_tables_turn_every_lowercase_letter_back(table):
    charmap = legacy_encodings.TABLES[table]
    reverse = {}
    for surface, letter in charmap.pairs:
        reverse.setdefault(letter, surface)
    words = "xã hội chủ nghĩa việt nam độc lập tự do hạnh phúc ưu tiên hộ nghèo " \
            "cận nghèo thoát nghèo bền vững đồng bào dân tộc thiểu số"
    pasted = "".join(reverse.get(ch, ch) for ch in words)
    found = legacy_encodings.find_mojibake(pasted)
    assert found and found.encoding == table and found.fixed == words


def test_correct_vietnamese_and_foreign_names_are_never_converted():
    for line in ["Ông Müller – “hộ nghèo” 30°C", LETTERS, "Điểu Lem, S'tiêng, Khmer",
                 unicodedata.normalize("NFC", "Hớn Quản, Bình Phước")]:
        assert legacy_encodings.find_mojibake(line) is None, line


TYPE_WITH_FIELDS = '''
[fields.transcript]
label = "Lời thoại"
kind = "text"
help = "Tóm tắt lời thoại cho người không nghe được."
'''


def test_new_marks_every_required_field_of_a_type_and_check_flags_each(site, tmp_path):
    """With a type that needs files and text (as the media types will), each is marked."""
    source = (ROOT / "data" / "vocabulary.toml").read_text(encoding="utf-8")
    source = source.replace('required = ["video"]\noptional = ["captions", "poster"]',
                            'required = ["video", "poster", "transcript"]\n'
                            'optional = ["captions"]')
    assert 'required = ["video", "poster", "transcript"]' in source
    custom = tmp_path / "vocabulary.toml"
    custom.write_text(source + TYPE_WITH_FIELDS, encoding="utf-8")
    vocab = vocabulary.load(custom)
    path = newitem.create("Video nuôi bò", "video", "Đồng Nơ", site.content, vocab, NOW)
    overrides = {"PATH": str(site.content), "VOCABULARY_PATH": str(custom)}
    found = content_check.check(overrides=overrides).report
    assert sorted(p.message for p in found.errors) == sorted([
        "Chưa điền Video (dòng Video: còn chữ [CẦN ĐIỀN]).",
        "Chưa điền Ảnh đại diện video (dòng Poster: còn chữ [CẦN ĐIỀN]).",
        "Chưa điền Lời thoại (dòng Transcript: còn chữ [CẦN ĐIỀN]).",
        "Nội dung bài còn chữ [CẦN ĐIỀN]."])
    fill_placeholders(path, vocab)
    checked = content_check.check(overrides=overrides)
    assert checked.ok and not checked.report.problems, checked.report.format()
    built = site.build(VOCABULARY_PATH=str(custom))
    assert built.result.ok, built.result.report.format()


def test_links_to_pelican_pages_and_the_web_are_not_files(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "tin.md").write_text(
        "Title: Tin\nDate: 20/11/2026 08:00\nCategory: Đồng Nơ\nID: tin-0001\n\n"
        "[Chủ đề]({tag}chan-nuoi) [web](https://example.org/) [thư](mailto:a@b.vn) "
        "[mục](#muc)\n", encoding="utf-8")
    assert not content_check.check(overrides={"PATH": str(content)}).report.problems


def test_a_withdrawn_standalone_page_also_shows_the_notice(site):
    site.write("pages/lien-he.md", "Title: Liên hệ\nOrder: 2\n\nSố điện thoại.\n")
    assert "Liên hệ" in site.build().html("").select_one("footer").get_text()
    site.write("pages/lien-he.md", "Title: Liên hệ\nStatus: withdrawn\n\nSố điện thoại cũ.\n")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    page = built.html("lien-he/")
    assert page.h1.get_text() == "Bài đã được gỡ"
    assert "Số điện thoại cũ" not in page.get_text()
    assert "Liên hệ" not in built.html("").select_one("footer").get_text()

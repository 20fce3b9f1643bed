"""Feeds the information clusters, kiosks and commune radio pull: valid, stable, complete.

Every feed is read back with a real feed client (feedparser) and checked against the rules of
RSS 2.0 / Atom (RFC 4287) that feedparser does not enforce.
"""

from __future__ import annotations

import email.utils
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import feedparser
import mutagen
import pytest
from feedgen.feed import FeedGenerator
from feeds import render
from lxml import etree
from PIL import Image, ImageDraw

from devtools import ROOT
from newsdesk.content import vocabulary
from newsdesk.site.build import build

BASE = "https://honquan.example.gov.vn/giam-ngheo"
ATOM = "{http://www.w3.org/2005/Atom}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
                    r"Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0700$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$")


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def speech(tmp_path_factory) -> bytes:
    """A short OGG spoken by espeak-ng in Vietnamese, made once per test run."""
    folder = tmp_path_factory.mktemp("speech")
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(folder / "a.wav"),
                    "Bà con chú ý, đây là bản tin giảm nghèo."], check=True)
    subprocess.run(["sox", str(folder / "a.wav"), "-r", "16000", "-c", "1", "-C", "-1",
                    str(folder / "a.ogg"), "gain", "-n", "-1"], check=True)
    return (folder / "a.ogg").read_bytes()


def draw_cover(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (320, 180), "#1d70b8")
    ImageDraw.Draw(image).rectangle((20, 20, 300, 160), outline="white", width=6)
    image.save(path, "JPEG", quality=80)


def sample_site(site, speech: bytes):
    """Items in one commune, several communes, the whole district, a radio piece with audio
    under a Vietnamese file name, and items that must never reach a feed."""
    draw_cover(site.content / "dong-no" / "anh-bia.jpg")
    site.item("dong-no/nuoi-bo.md", title="Nuôi bò sinh sản ở Đồng Nơ", date="2026-11-20 08:00",
              communes="Tân Hưng", type="tin-bai", image="anh-bia.jpg", alt="Đàn bò của hộ nghèo",
              summary="Hộ nghèo Đồng Nơ nuôi bò sinh sản.", author="Phòng Văn hóa",
              modified="2026-11-22 09:30",
              body="Xem [kế hoạch](../toan-huyen/ke-hoach.md).\n\n![Bò](anh-bia.jpg)\n\n"
                   "Liên hệ [trang huyện](https://honquan.binhphuoc.gov.vn/).")
    site.item("toan-huyen/ke-hoach.md", title="Triển khai Kế hoạch 288", category="Toàn huyện",
              date="2026-10-26 15:00", id="20261026-kh288")
    site.item("minh-duc/video.md", title="Video giảm nghèo đa chiều", category="Minh Đức",
              date="2026-11-01 07:00", type="video", video="https://youtu.be/dQw4w9WgXcQ")
    (site.content / "dong-no" / "bản tin số 1.ogg").write_bytes(speech)
    site.item("dong-no/ban-tin.md", title="Bản tin truyền thanh: vay vốn ưu đãi",
              date="2026-11-24 06:00", type="truyen-thanh", audio="bản tin số 1.ogg",
              summary="Hướng dẫn hộ nghèo vay vốn.",
              body="## Điều kiện vay\n\nHộ nghèo được vay **vốn ưu đãi** & lãi suất thấp.\n\n"
                   "- Có hộ khẩu tại xã\n- Có phương án sản xuất\n\n"
                   "| Mức vay | Thời hạn |\n|---|---|\n| 100 triệu | 5 năm |\n")
    site.item("dong-no/ban-tin-chu.md", title="Bản tin chưa có âm thanh",
              date="2026-11-23 06:00", type="truyen-thanh")
    site.item("dong-no/nhap.md", title="TIN NHÁP KHÔNG ĐĂNG", status="draft")
    site.item("dong-no/an.md", title="TIN ẨN KHÔNG LIỆT KÊ", status="hidden")
    site.item("dong-no/sau.md", title="TIN HẸN GIỜ TƯƠNG LAI", date="2026-12-24 08:00")
    built = site.build(FEEDS_SITEURL=BASE)
    assert built.result.ok, built.result.report.format()
    return built


@pytest.fixture
def built(site, speech):
    return sample_site(site, speech)


def feed_files(output: Path) -> dict[str, Path]:
    folder = output / "nguon-tin"
    return {p.relative_to(output).as_posix(): p for p in sorted(folder.rglob("*.xml"))}


def local_path(output: Path, url: str) -> Path:
    assert url.startswith(BASE + "/"), url
    return output / unquote(url[len(BASE) + 1:])


def xml(path: Path):
    return etree.parse(str(path)).getroot()


# -- structure --------------------------------------------------------------------------------
def test_every_feed_is_read_by_a_feed_client_and_follows_rss_or_atom_rules(built):
    files = feed_files(built.output)
    vocab = vocabulary.load()
    assert len(files) == 2 * (1 + len(vocab.places) + len(vocab.types)) + 1  # + podcast
    for name, path in files.items():
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        root = xml(path)
        if name.endswith(".atom.xml"):
            assert parsed.version == "atom10", name
            check_atom(root, name)
        else:
            assert parsed.version == "rss20", name
            check_rss(root, name)


def check_rss(root, name):
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), (name, required)
    assert RFC822.match(channel.findtext("lastBuildDate")), name
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{BASE}/{name}"
    guids = [item.findtext("guid") for item in channel.iter("item")]
    assert len(guids) == len(set(guids)), name
    for item in channel.iter("item"):
        assert item.findtext("title") and item.findtext("description") is not None, name
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.findtext("guid").startswith("tag:honquan.binhphuoc.gov.vn,2023:")
        assert RFC822.match(item.findtext("pubDate")), (name, item.findtext("pubDate"))
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).utcoffset()
        assert item.findtext("link").startswith(BASE + "/")


def check_atom(root, name):
    for required in ("id", "title", "updated"):
        assert (root.findtext(ATOM + required) or "").strip(), (name, required)
    assert RFC3339.match(root.findtext(ATOM + "updated")), name
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/{name}"
    assert root.find(f"{ATOM}author/{ATOM}name").text
    ids = [entry.findtext(ATOM + "id") for entry in root.iter(ATOM + "entry")]
    assert len(ids) == len(set(ids)), name
    for entry in root.iter(ATOM + "entry"):
        for required in ("id", "title", "updated", "published", "content", "summary"):
            assert entry.find(ATOM + required) is not None, (name, required)
        for stamp in ("updated", "published"):
            assert RFC3339.match(entry.findtext(ATOM + stamp)), (name, stamp)
        alternate = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert len(alternate) == 1 and alternate[0].get("type") == "text/html"
        assert all(link.get("rel") for link in entry.findall(ATOM + "link")), name


def entries(built, name):
    return feedparser.parse((built.output / "nguon-tin" / name).read_bytes()).entries


def titles(built, name):
    return [entry.title for entry in entries(built, name)]


# -- what goes where --------------------------------------------------------------------------
def test_an_item_is_in_the_feed_of_every_commune_it_concerns_and_of_its_type(built):
    for name in ("dia-ban/dong-no.rss.xml", "dia-ban/tan-hung.atom.xml"):
        assert "Nuôi bò sinh sản ở Đồng Nơ" in titles(built, name)
    assert titles(built, "dia-ban/toan-huyen.rss.xml") == ["Triển khai Kế hoạch 288"]
    assert titles(built, "dia-ban/minh-duc.atom.xml") == ["Video giảm nghèo đa chiều"]
    assert titles(built, "loai/video.rss.xml") == ["Video giảm nghèo đa chiều"]
    assert titles(built, "dia-ban/an-phu.rss.xml") == []
    assert titles(built, "loai/truyen-thanh.atom.xml") == [
        "Bản tin truyền thanh: vay vốn ưu đãi", "Bản tin chưa có âm thanh"]
    assert titles(built, "podcast.xml") == ["Bản tin truyền thanh: vay vốn ưu đãi"]


def test_drafts_hidden_and_future_items_never_reach_any_feed(built):
    published = (built.output / "tin-bai" / "an" / "index.html").exists()
    assert published, "a hidden item still has its page"
    everything = [p.read_text(encoding="utf-8") for p in feed_files(built.output).values()]
    everything.append((built.output / "nguon-tin" / "feed.json").read_text(encoding="utf-8"))
    for text in everything:
        for title in ("TIN NHÁP", "TIN ẨN", "TIN HẸN GIỜ"):
            assert title not in text


def test_entries_carry_categories_dates_author_and_absolute_content(built):
    entry = next(e for e in entries(built, "tat-ca.atom.xml")
                 if e.title == "Nuôi bò sinh sản ở Đồng Nơ")
    assert [t.label for t in entry.tags] == ["Đồng Nơ", "Tân Hưng", "Tin bài"]
    assert [t.term for t in entry.tags] == ["dong-no", "tan-hung", "tin-bai"]
    assert entry.published == "2026-11-20T08:00:00+07:00"
    assert entry.updated == "2026-11-22T09:30:00+07:00"
    assert entry.author == "Phòng Văn hóa"
    assert entry.summary == "Hộ nghèo Đồng Nơ nuôi bò sinh sản."
    content = entry.content[0].value
    assert re.search(rf'src="{re.escape(BASE)}/media/anh-bia-\d+\.[0-9a-f]{{10}}\.jpg"', content)
    assert f'href="{BASE}/tin-bai/ke-hoach/"' in content
    assert 'href="https://honquan.binhphuoc.gov.vn/"' in content
    assert not re.search(r'(src|href)="(?!https?://)', content)
    rss_item = next(e for e in entries(built, "tat-ca.rss.xml")
                    if e.title == "Nuôi bò sinh sản ở Đồng Nơ")
    assert rss_item.author == "Phòng Văn hóa"  # dc:creator
    assert rss_item.published == "Fri, 20 Nov 2026 08:00:00 +0700"
    assert re.search(rf'src="{re.escape(BASE)}/media/anh-bia-\d+\.[0-9a-f]{{10}}\.jpg"',
                     rss_item.content[0].value)  # the published copy (plugins/media)


def test_feeds_are_absolute_even_when_the_site_url_is_empty(site):
    site.item("tin.md", title="Tin")
    built = site.build(SITEURL="", FEEDS_SITEURL="")
    link = entries(built, "tat-ca.rss.xml")[0].link
    assert link == "http://127.0.0.1:8000/tin-bai/tin/"


def test_public_feeds_use_the_public_address(site):
    site.item("tin.md", title="Tin")
    result = build(ROOT / "publishconf.py", site.root / "public",
                   {"PATH": str(site.content), "NEWSDESK_TODAY": "2026-11-26"})
    assert result.ok, result.report.format()
    parsed = feedparser.parse((site.root / "public/nguon-tin/tat-ca.atom.xml").read_bytes())
    assert parsed.entries[0].link == \
        "https://honquan.binhphuoc.gov.vn/giam-ngheo/tin-bai/tin/"
    assert parsed.feed.links[-1].href == \
        "https://honquan.binhphuoc.gov.vn/giam-ngheo/nguon-tin/tat-ca.atom.xml"


def test_an_edited_title_or_body_keeps_the_entry_id(site):
    site.item("dong-no/ho-tro.md", title="Hỗ trợ nhà ở")
    site.item("dong-no/co-ma.md", title="Tin có mã", id="20261101-abc123")
    before = {e.title: e.id for e in entries(site.build(), "tat-ca.atom.xml")}
    site.item("dong-no/ho-tro.md", title="Hỗ trợ nhà ở cho hộ nghèo (đã sửa)", body="Sửa.")
    site.item("dong-no/co-ma.md", title="Tin có mã (đã sửa)", id="20261101-abc123",
              slug="tin-co-ma-moi")
    after = {e.title: e.id for e in entries(site.build(), "tat-ca.atom.xml")}
    assert after["Hỗ trợ nhà ở cho hộ nghèo (đã sửa)"] == before["Hỗ trợ nhà ở"]
    assert after["Tin có mã (đã sửa)"] == before["Tin có mã"] == \
        "tag:honquan.binhphuoc.gov.vn,2023:giam-ngheo/20261101-abc123"


def test_two_builds_of_the_same_content_give_identical_feeds(site, speech):
    first = sample_site(site, speech)
    second = site.build(output=site.root / "second", FEEDS_SITEURL=BASE)
    produced = [p.relative_to(first.output) for p in (first.output / "nguon-tin").rglob("*")
                if p.is_file()]
    produced += [Path("truyen-thanh/ban-tin/ban-tin.txt")]
    assert len(produced) > 40
    for relative in produced:
        assert (first.output / relative).read_bytes() == (second.output / relative).read_bytes()
    updated = xml(first.output / "nguon-tin" / "tat-ca.atom.xml").findtext(ATOM + "updated")
    assert updated == "2026-11-24T06:00:00+07:00"  # the newest entry, not the build time


def test_entries_are_newest_first_and_limited(site):
    for day in range(1, 8):
        site.item(f"t{day}.md", title=f"Tin ngày {day}", date=f"{day:02d}/11/2026 08:00")
    built = site.build(FEEDS_MAX_ITEMS=3)
    for name in ("tat-ca.rss.xml", "tat-ca.atom.xml", "dia-ban/dong-no.rss.xml"):
        assert titles(built, name) == ["Tin ngày 7", "Tin ngày 6", "Tin ngày 5"], name
    assert len(json.loads((built.output / "nguon-tin/feed.json").read_text())["items"]) == 7


# -- feedgen's faults -------------------------------------------------------------------------
def bare_feedgen():
    generator = FeedGenerator()
    generator.id("tag:example.org,2023:f")
    generator.title("t")
    generator.description("d")
    generator.link(href="https://example.org/page/", rel="alternate")
    generator.link(href="https://example.org/feed.xml", rel="self")
    for number in (1, 2):
        entry = generator.add_entry()
        entry.id(f"tag:example.org,2023:{number}")
        entry.title(f"entry {number}")
        entry.content("x")
        entry.enclosure("https://example.org/a.ogg", None, "audio/ogg")
    return generator


def test_feedgen_rss_channel_link_fault_is_fixed(built):
    raw = etree.fromstring(bare_feedgen().rss_str())
    assert raw.findtext("channel/link") == "https://example.org/feed.xml"  # the fault
    render.fix_rss_channel_link(raw, "https://example.org/page/")
    assert raw.findtext("channel/link") == "https://example.org/page/"
    channel = xml(built.output / "nguon-tin/dia-ban/dong-no.rss.xml").find("channel")
    assert channel.findtext("link") == f"{BASE}/dia-ban/dong-no/"


def test_feedgen_add_entry_prepending_fault_is_avoided(built):
    raw = etree.fromstring(bare_feedgen().atom_str())
    assert [e.findtext(ATOM + "title") for e in raw.iter(ATOM + "entry")] == \
        ["entry 2", "entry 1"]  # the fault: added 1 then 2
    assert titles(built, "tat-ca.rss.xml")[:3] == [
        "Bản tin truyền thanh: vay vốn ưu đãi", "Bản tin chưa có âm thanh",
        "Nuôi bò sinh sản ở Đồng Nơ"]


def test_feedgen_length_none_fault_is_fixed(built):
    raw = etree.fromstring(bare_feedgen().rss_str())
    assert raw.find("channel/item/enclosure").get("length") == "None"  # the fault
    render.fix_unknown_lengths(raw)
    assert raw.find("channel/item/enclosure").get("length") == "0"
    for path in feed_files(built.output).values():
        assert b'length="None"' not in path.read_bytes()


def test_feedgen_atom_enclosure_fault_is_fixed(built):
    raw = etree.fromstring(bare_feedgen().atom_str())
    assert raw.find(f"{ATOM}entry/{ATOM}link").get("rel") is None  # the fault (#135)
    atom = xml(built.output / "nguon-tin/tat-ca.atom.xml")
    radio = next(e for e in atom.iter(ATOM + "entry")
                 if e.findtext(ATOM + "title").startswith("Bản tin truyền thanh"))
    enclosure = radio.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("type") == "audio/ogg"
    assert int(enclosure.get("length")) > 1000
    parsed = next(e for e in entries(built, "tat-ca.atom.xml")
                  if e.title.startswith("Bản tin truyền thanh"))
    assert [(e.type, int(e.length)) for e in parsed.enclosures] == \
        [("audio/ogg", int(enclosure.get("length")))]


# -- media ------------------------------------------------------------------------------------
def test_every_enclosure_points_at_a_built_file_of_the_stated_length(built):
    checked = 0
    for name, path in feed_files(built.output).items():
        for entry in feedparser.parse(path.read_bytes()).entries:
            for enclosure in entry.enclosures:
                target = local_path(built.output, enclosure.href)
                assert target.is_file(), (name, enclosure.href)
                assert target.stat().st_size == int(enclosure.length), name
                checked += 1
            for media in entry.get("media_content", []):
                assert local_path(built.output, media["url"]).stat().st_size == \
                    int(media["filesize"])
    assert checked >= 6


def test_podcast_feed_has_audio_enclosure_duration_and_itunes_tags(built, speech):
    root = xml(built.output / "nguon-tin/podcast.xml")
    channel = root.find("channel")
    assert channel.findtext(ITUNES + "explicit") == "no"
    assert channel.find(ITUNES + "category").get("text")
    assert channel.findtext(ITUNES + "author") == "Ủy ban nhân dân huyện Hớn Quản"
    item = channel.find("item")
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{BASE}/dong-no/b%E1%BA%A3n%20tin%20s%E1%BB%91%201.ogg"
    assert enclosure.get("type") == "audio/ogg"
    assert int(enclosure.get("length")) == len(speech)
    seconds = round(mutagen.File(local_path(built.output, enclosure.get("url"))).info.length)
    assert item.findtext(ITUNES + "duration") == f"0:{seconds // 60:02d}:{seconds % 60:02d}"
    assert seconds >= 1
    parsed = feedparser.parse((built.output / "nguon-tin/podcast.xml").read_bytes())
    assert parsed.entries[0].itunes_duration == item.findtext(ITUNES + "duration")


def test_radio_page_has_player_download_and_script_links(built):
    page = built.html("truyen-thanh/ban-tin/")
    audio = page.select_one("audio.hq-radio__player")
    assert audio.has_attr("controls") and audio["preload"] == "none"
    source = audio.select_one("source")
    assert source["src"] == "/dong-no/b%E1%BA%A3n%20tin%20s%E1%BB%91%201.ogg"
    assert source["type"] == "audio/ogg"
    download = page.select_one(".hq-radio__links a[download]")
    assert download["href"] == source["src"]
    assert built.exists(unquote(source["src"]).lstrip("/"))
    script = page.select_one(".hq-radio__links a[type='text/plain']")
    assert script["href"] == "/truyen-thanh/ban-tin/ban-tin.txt"
    silent = built.html("truyen-thanh/ban-tin-chu/")
    assert not silent.select("audio")
    assert silent.select_one(".hq-radio__links a[type='text/plain']")
    assert not built.html("tin-bai/nuoi-bo/").select(".hq-radio")


def test_radio_script_is_plain_nfc_text_for_text_to_speech(built):
    text = (built.output / "truyen-thanh/ban-tin/ban-tin.txt").read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    assert text.split("\n\n") == [
        "Bản tin truyền thanh: vay vốn ưu đãi", "Điều kiện vay",
        "Hộ nghèo được vay vốn ưu đãi & lãi suất thấp.", "Có hộ khẩu tại xã",
        "Có phương án sản xuất", "Mức vay, Thời hạn", "100 triệu, 5 năm\n"]
    assert not re.search(r"[<>*#|]|&\w+;", text)


def test_radio_script_keeps_a_title_as_typed_angle_brackets_and_all():
    from newsdesk.content.radio_script import script_text

    title = "Tiêu chí <thu nhập bình quân> mới & cách tính ở Đồng Nơ"
    assert script_text(title, "<p>Nội dung.</p>") == f"{title}\n\nNội dung.\n"


@pytest.mark.parametrize("make, expected", [
    (None, "Tệp âm thanh: không tìm thấy tệp \"ban-tin.mp3\""),
    (lambda p: p.write_text("đây không phải âm thanh", encoding="utf-8"),
     "Tệp âm thanh: tệp \"ban-tin.mp3\" không đọc được: tệp hỏng hoặc không phải tệp âm thanh"),
    (lambda p: p.write_bytes(b"OggS" + bytes(range(256)) * 8),
     "Tệp âm thanh: tệp \"ban-tin.mp3\" không"),
], ids=["missing", "text-not-audio", "broken-ogg"])
def test_bad_audio_gives_a_vietnamese_error_naming_the_file(site, make, expected):
    site.item("dong-no/ban-tin.md", title="Bản tin", type="truyen-thanh", audio="ban-tin.mp3")
    if make:
        make(site.content / "dong-no" / "ban-tin.mp3")
    built = site.build()
    assert not built.result.ok
    errors = built.result.report.errors
    assert len(errors) == 1, built.result.report.format()
    assert errors[0].message.startswith(expected), errors[0].message
    assert errors[0].path.endswith("ban-tin.md") and errors[0].line == 5
    assert errors[0].hint


def test_audio_of_a_format_not_accepted_is_refused(site, speech):
    site.item("dong-no/ban-tin.md", title="Bản tin", type="truyen-thanh", audio="ban-tin.wav")
    (site.content / "dong-no" / "ban-tin.wav").write_bytes(speech)
    errors = site.build().result.report.errors
    assert [e.message for e in errors] == ["Tệp âm thanh: tệp \"ban-tin.wav\" không đúng loại."]


# -- open data, the operators' page, autodiscovery -------------------------------------------
def test_json_feed_has_every_item_with_commune_codes_and_types(built):
    document = json.loads((built.output / "nguon-tin/feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{BASE}/nguon-tin/feed.json"
    # A commune name is no key outside its district: the feed says which district it is.
    assert document["_hon_quan"]["district"] == {"name": "Hớn Quản", "kind": "huyện",
                                                 "province": "Bình Phước"}
    assert [i["title"] for i in document["items"]] == titles(built, "tat-ca.rss.xml")
    radio = document["items"][0]
    assert radio["_hon_quan"]["type"] == {"key": "truyen-thanh", "name": "Bài truyền thanh"}
    assert radio["_hon_quan"]["communes"][0]["slug"] == "dong-no"
    assert radio["_hon_quan"]["script_url"] == f"{BASE}/truyen-thanh/ban-tin/ban-tin.txt"
    assert radio["attachments"][0]["mime_type"] == "audio/ogg"
    assert radio["attachments"][0]["duration_in_seconds"] > 0
    cows = next(i for i in document["items"] if i["title"].startswith("Nuôi bò"))
    assert [c["slug"] for c in cows["_hon_quan"]["communes"]] == ["dong-no", "tan-hung"]
    assert cows["image"].startswith(f"{BASE}/media/anh-bia-")  # plugins/media' copy
    assert cows["date_modified"] == "2026-11-22T09:30:00+07:00"
    assert len({i["id"] for i in document["items"]}) == len(document["items"])


def test_opml_and_the_operators_page_list_every_feed(built):
    opml = xml(built.output / "nguon-tin/nguon-tin.opml")
    urls = [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]
    rss = [f"{BASE}/{n}" for n in feed_files(built.output) if not n.endswith(".atom.xml")]
    assert sorted(urls) == sorted(rss)
    page = built.html("nguon-tin/")
    assert page.h1.get_text() == "Nguồn tin RSS"
    shown = {a.get_text() for a in page.select("main a")}
    for name in feed_files(built.output):
        assert f"{BASE}/{name}" in shown, name
    assert f"{BASE}/nguon-tin/feed.json" in shown
    for link in page.select("main a[href^='/nguon-tin/']"):
        assert built.exists(link["href"].lstrip("/")), link["href"]


def test_pages_announce_the_feeds_that_fit_them(built):
    def alternates(relative):
        return [link["href"] for link in built.html(relative).select("head link[rel=alternate]")]

    site_wide = ["/nguon-tin/tat-ca.rss.xml", "/nguon-tin/tat-ca.atom.xml"]
    assert alternates("index.html")[:2] == site_wide
    assert alternates("tin-bai/nuoi-bo/")[:2] == site_wide
    assert "/nguon-tin/dia-ban/dong-no.atom.xml" in alternates("dia-ban/dong-no/")
    assert "/nguon-tin/dia-ban/tan-hung.atom.xml" not in alternates("dia-ban/dong-no/")
    assert "/nguon-tin/loai/video.rss.xml" in alternates("video/")
    assert "/nguon-tin/podcast.xml" in alternates("truyen-thanh/")
    for href in alternates("truyen-thanh/"):
        assert built.exists(href.lstrip("/")), href


def test_audio_file_name_saved_in_nfd_form_is_found(site, speech):
    stored = unicodedata.normalize("NFD", "bản tin.ogg")
    site.item("dong-no/ban-tin.md", title="Bản tin", type="truyen-thanh", audio="bản tin.ogg")
    (site.content / "dong-no" / stored).write_bytes(speech)
    built = site.build(FEEDS_SITEURL=BASE)
    assert built.result.ok, built.result.report.format()
    enclosure = entries(built, "podcast.xml")[0].enclosures[0]
    assert local_path(built.output, enclosure.href).stat().st_size == len(speech)


def test_a_future_radio_item_leaks_no_audio_or_script_on_the_public_site(site, speech):
    site.item("dong-no/sau.md", title="Bản tin tuần sau", type="truyen-thanh",
              date="2026-12-03 06:00", audio="sau.ogg")
    (site.content / "dong-no" / "sau.ogg").write_bytes(speech)
    public = site.build(DRAFT_SAVE_AS="", DRAFT_URL="")
    assert public.result.ok, public.result.report.format()
    assert not list(public.output.rglob("*.ogg")) and not list(public.output.rglob("*.txt"))
    preview = site.build(output=site.root / "preview")
    assert (preview.output / "ban-nhap/sau/sau.txt").is_file()
    assert preview.html("ban-nhap/sau/").select_one(".hq-radio source")


def test_radio_pages_and_the_podcast_follow_the_types_the_vocabulary_marks(site, speech, tmp_path):
    text = (ROOT / "data" / "vocabulary.toml").read_text(encoding="utf-8")
    text = text.replace('optional = ["audio"]\nradio = true\n', 'optional = ["audio"]\n')
    meeting = 'description = "Hội nghị, đối thoại chính sách về giảm nghèo."\nrequired = []\n'
    fields = 'optional = ["start", "end", "location", "participants"]\n'
    assert text.count(meeting + fields) == 1
    text = text.replace(meeting + fields,
                        meeting + 'optional = ["audio"]\nradio = true\n')
    (tmp_path / "vocabulary.toml").write_text(text, encoding="utf-8")
    site.item("dong-no/hoi-nghi.md", title="Đối thoại chính sách", type="hoi-nghi",
              audio="hoi-nghi.ogg", date="2026-11-20 08:00")
    (site.content / "dong-no" / "hoi-nghi.ogg").write_bytes(speech)
    site.item("dong-no/ban-tin.md", title="Bản tin", type="truyen-thanh", date="2026-11-21 08:00")
    built = site.build(VOCABULARY_PATH=str(tmp_path / "vocabulary.toml"), FEEDS_SITEURL=BASE)
    assert built.result.ok, built.result.report.format()
    meeting_page = built.html("hoi-nghi/hoi-nghi/")
    assert meeting_page.select_one(".hq-radio source")["src"] == "/dong-no/hoi-nghi.ogg"
    assert (built.output / "hoi-nghi/hoi-nghi/hoi-nghi.txt").is_file()
    assert not built.html("truyen-thanh/ban-tin/").select(".hq-radio")
    assert not built.exists("truyen-thanh/ban-tin/ban-tin.txt")
    assert titles(built, "podcast.xml") == ["Đối thoại chính sách"]
    podcast = xml(built.output / "nguon-tin/podcast.xml").find("channel")
    assert podcast.findtext("link") == f"{BASE}/hoi-nghi/"
    alternates = [link["href"] for link in built.html("hoi-nghi/").select("link[rel=alternate]")]
    assert "/nguon-tin/podcast.xml" in alternates

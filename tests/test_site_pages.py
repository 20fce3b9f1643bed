"""The site a resident reads: a page per commune, per type, per item, in Vietnamese."""

from PIL import Image

from newsdesk.content import vocabulary


def test_every_registry_commune_has_a_page_even_without_items(site):
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    for place in vocabulary.load().places:
        page = built.html(place.url)
        assert page.html["lang"] == "vi"
        assert place.name in page.h1.get_text()
    empty = built.html("dia-ban/tan-loi/")
    assert "Chưa có tin bài" in empty.select_one(".hq-empty").get_text()


def test_an_item_in_several_communes_is_listed_on_each(site):
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản", communes="Tân Hưng, minh duc")
    built = site.build()
    for slug in ("dong-no", "tan-hung", "minh-duc"):
        page = built.html(f"dia-ban/{slug}/")
        titles = [a.get_text() for a in page.select("[aria-labelledby=tin-bai] .hq-card__title a")]
        assert titles == ["Nuôi bò sinh sản"], slug
    assert not built.html("dia-ban/an-phu/").select("[aria-labelledby=tin-bai] .hq-card")


def test_commune_pages_also_show_the_latest_district_wide_news(site):
    site.item("chung.md", title="Tin chung", category="Toàn huyện")
    built = site.build()
    page = built.html("dia-ban/an-phu/")
    assert page.select_one("#tin-bai").find_next("p").get_text() == "Chưa có tin bài về xã An Phú."
    assert [a.get_text() for a in page.select("#tin-toan-huyen ~ ul a")] == ["Tin chung"]


def test_commune_names_match_whatever_the_case_or_diacritics(site):
    for index, spelling in enumerate(["dong no", "Dong No", "ĐỒNG NƠ", "Đồng Nơ", "xã Đồng Nơ"]):
        site.item(f"t{index}.md", title=f"Tin {index}", category=spelling)
    built = site.build()
    assert built.result.ok, built.result.report.format()
    assert len(built.html("dia-ban/dong-no/").select(".hq-card")) == 5


def test_item_page_shows_vietnamese_date_commune_links_and_type(site):
    site.item("tin.md", title="Hội nghị đối thoại chính sách", date="26/11/2026 08:30",
              type="hoi-nghi", tags="đối thoại, chính sách")
    built = site.build()
    page = built.html("hoi-nghi/tin/")
    time = page.select_one(".hq-item__facts time")
    assert time.get_text() == "Thứ Năm, 26/11/2026, 08:30"
    assert time["datetime"] == "2026-11-26T08:30:00+07:00"
    assert page.select_one(".hq-item__facts a[href='/dia-ban/dong-no/']").get_text() == "xã Đồng Nơ"
    assert [a.get_text() for a in page.select(".hq-breadcrumbs a")] == ["Trang chủ", "Hội nghị chuyên đề"]
    assert page.select_one("meta[property='og:title']")["content"] == "Hội nghị đối thoại chính sách"


def test_commune_and_type_pages_live_where_their_url_settings_say(site):
    site.item("tin.md", title="Nuôi bò sinh sản", type="hoi-nghi")
    built = site.build(COMMUNE_URL="xa/{slug}/", COMMUNE_SAVE_AS="xa/{slug}/index.html",
                       COMMUNES_URL="xa/", COMMUNES_SAVE_AS="xa/index.html",
                       CONTENT_TYPE_URL="loai/{key}/", CONTENT_TYPE_SAVE_AS="loai/{key}/index.html")
    assert built.result.ok, built.result.report.format()
    assert not built.exists("dia-ban") and not built.exists("hoi-nghi/index.html")
    index = built.html("xa/")
    assert index.select_one(".hq-nav__link[aria-current=page]")["href"] == "/xa/"
    assert "/xa/dong-no/" in [a["href"] for a in index.select(".hq-commune-grid__link")]
    commune = built.html("xa/dong-no/")
    assert [a["href"] for a in commune.select(".hq-breadcrumbs a")] == ["/", "/xa/"]
    assert "Nuôi bò sinh sản" in built.html("loai/hoi-nghi/").get_text()
    item = built.html("hoi-nghi/tin/")
    assert item.select_one(".hq-item__facts a[href='/xa/dong-no/']")
    assert item.select_one(".hq-item__type a")["href"] == "/loai/hoi-nghi/"
    assert built.html("404.html").select_one("main a[href='/xa/']")


def test_day_first_dates_are_never_read_month_first(site):
    site.item("a.md", date="05/06/2024")
    built = site.build()
    assert built.html("tin-bai/a/").select_one("time")["datetime"].startswith("2024-06-05")


def test_url_comes_from_file_name_so_a_title_fix_keeps_it(site):
    site.item("ho-tro-nha-o.md", title="Hỗ trợ nhà ở")
    first = site.build()
    assert first.exists("tin-bai/ho-tro-nha-o/index.html")
    site.item("ho-tro-nha-o.md", title="Hỗ trợ nhà ở cho hộ nghèo (đã sửa)")
    second = site.build()
    assert "đã sửa" in second.html("tin-bai/ho-tro-nha-o/").h1.get_text()


def test_type_pages_and_home_list_items_newest_first(site):
    site.item("cu.md", title="Tin cũ", date="2023-11-01 08:00")
    site.item("moi.md", title="Tin mới", date="2023-11-02 08:00")
    built = site.build()
    titles = [a.get_text() for a in built.html("tin-bai/").select(".hq-card__title a")]
    assert titles == ["Tin mới", "Tin cũ"]
    home = [a.get_text() for a in built.html("index.html").select(".hq-card__title a")]
    assert home[:2] == ["Tin mới", "Tin cũ"]


def test_commune_listing_is_paginated(site):
    for day in range(1, 16):
        site.item(f"t{day:02d}.md", title=f"Tin {day}", date=f"{day:02d}/11/2023 08:00")
    built = site.build()
    assert len(built.html("dia-ban/dong-no/").select(".hq-card")) == 12
    second = built.html("dia-ban/dong-no/trang/2/")
    assert [a.get_text() for a in second.select(".hq-card__title a")] == ["Tin 3", "Tin 2", "Tin 1"]


def test_future_items_wait_for_their_date(site):
    site.item("sau.md", title="Tin hẹn giờ", date="2026-12-01 08:00")
    assert not site.build(today="2026-11-26").exists("tin-bai/sau/index.html")
    assert site.build(today="2026-12-01").exists("tin-bai/sau/index.html")


def test_standalone_pages_and_404_are_built_in_vietnamese(site):
    site.write("pages/lien-he.md", "Title: Liên hệ\nSlug: lien-he\nOrder: 2\n\nPhòng Văn hóa và Thông tin.\n")
    site.item("a.md")
    built = site.build()
    assert built.html("lien-he/").h1.get_text() == "Liên hệ"
    assert "Liên hệ" in [a.get_text() for a in built.html("index.html").select(".hq-footer a")]
    not_found = built.html("404.html")
    assert not_found.html["lang"] == "vi"
    assert not_found.h1.get_text() == "Không tìm thấy trang"


def test_shared_links_show_title_summary_and_absolute_image(site):
    (site.content / "anh").mkdir()
    Image.new("RGB", (1200, 630), (138, 28, 28)).save(site.content / "anh/bia.jpg")
    site.item("a.md", title="Vay vốn ưu đãi", summary="Hướng dẫn vay vốn cho hộ nghèo.",
              image="anh/bia.jpg", alt="Ảnh minh họa")
    built = site.build(SITEURL="https://example.gov.vn/giam-ngheo")
    head = built.html("tin-bai/a/").head
    meta = {m.get("property") or m.get("name"): m["content"] for m in head.select("meta[content]")}
    assert meta["og:title"] == "Vay vốn ưu đãi"
    assert meta["og:description"] == meta["description"] == "Hướng dẫn vay vốn cho hộ nghèo."
    assert meta["og:url"] == "https://example.gov.vn/giam-ngheo/tin-bai/a/"
    assert meta["og:image"].startswith("https://example.gov.vn/giam-ngheo/")
    assert meta["og:locale"] == "vi_VN"

"""Conferences: their time and place, the upcoming-first type page and the .ics calendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = "nguon-tin/lich-hoi-nghi.ics"


def _conferences(site):
    site.item("dong-no/doi-thoai.md", title="Đối thoại chính sách giảm nghèo",
              date="2026-11-10 08:00", type="hoi-nghi", id="hn-doi-thoai",
              start="2026-12-05 08:00", end="2026-12-05 11:30",
              location="Hội trường UBND xã Đồng Nơ", participants="Trưởng ấp, hộ nghèo")
    site.item("dong-no/so-ket.md", title="Sơ kết giảm nghèo 6 tháng",
              date="2026-05-02 08:00", type="hoi-nghi", id="hn-so-ket",
              start="2026-06-10 14:00", location="Hội trường huyện")
    site.item("dong-no/tin.md", title="Tin thường")


def _events(built):
    calendar = Calendar.from_ical((built.output / CALENDAR).read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_calendar_holds_each_conference_at_its_instant_and_place(site):
    _conferences(site)
    built = site.build()
    assert built.result.ok
    events = _events(built)
    assert sorted(events) == ["hn-doi-thoai@honquan.binhphuoc.gov.vn",
                              "hn-so-ket@honquan.binhphuoc.gov.vn"]
    talk = events["hn-doi-thoai@honquan.binhphuoc.gov.vn"]
    assert talk.decoded("dtstart") == dt.datetime(2026, 12, 5, 8, 0, tzinfo=VN)
    assert talk.decoded("dtend") == dt.datetime(2026, 12, 5, 11, 30, tzinfo=VN)
    assert str(talk["location"]) == "Hội trường UBND xã Đồng Nơ"
    assert str(talk["summary"]) == "Đối thoại chính sách giảm nghèo"
    assert "Trưởng ấp, hộ nghèo" in str(talk["description"])
    assert talk.decoded("dtstamp") == dt.datetime(2026, 11, 10, 8, 0, tzinfo=VN)
    review = events["hn-so-ket@honquan.binhphuoc.gov.vn"]
    assert review.decoded("dtstart") == dt.datetime(2026, 6, 10, 14, 0, tzinfo=VN)
    assert "dtend" not in review
    assert str(review["location"]) == "Hội trường huyện"


def test_two_builds_give_identical_calendar_bytes(site, tmp_path):
    _conferences(site)
    first = site.build(tmp_path / "a")
    second = site.build(tmp_path / "b")
    assert (first.output / CALENDAR).read_bytes() == (second.output / CALENDAR).read_bytes()


def test_future_start_does_not_hold_the_announcement_back(site):
    site.item("dong-no/sap-toi.md", title="Hội nghị sắp tới", date="2026-11-20 08:00",
              type="hoi-nghi", id="hn-sap-toi", start="2027-01-15 08:00")
    built = site.build()
    assert built.result.ok
    assert "hn-sap-toi@honquan.binhphuoc.gov.vn" in _events(built)


def test_end_before_start_stops_the_build_with_file_and_line(site):
    site.item("dong-no/sai.md", type="hoi-nghi", start="2026-12-05 08:00",
              end="2026-12-04 17:00")
    built = site.build()
    assert not built.result.ok
    messages = [(p.line, p.message) for p in built.result.report.errors]
    assert (6, "Hội nghị kết thúc (04/12/2026 17:00) trước khi bắt đầu "
               "(05/12/2026 08:00).") in messages


def test_calendar_is_linked_from_the_feeds_page(site):
    _conferences(site)
    built = site.build()
    hrefs = [a["href"] for a in built.html("nguon-tin/").select("a[href]")]
    assert any(h.endswith(CALENDAR) for h in hrefs)


def test_calendar_is_linked_from_each_conference_page(site):
    _conferences(site)
    built = site.build()
    hrefs = [a["href"] for dt_, dd in _facts(built, "Sơ kết giảm nghèo 6 tháng")
             for a in dd.select("a[href]")]
    assert any(h.endswith(CALENDAR) for h in hrefs)


def test_type_page_lists_upcoming_conferences_first_and_item_shows_time_and_place(site):
    _conferences(site)
    site.item("dong-no/moi.md", title="Hội nghị mới họp xong", date="2026-11-25 08:00",
              type="hoi-nghi", start="2026-11-24 08:00")
    built = site.build()  # today is 2026-11-26
    titles = [a.get_text(strip=True) for a in built.html("hoi-nghi/").select(".hq-card__title a")]
    assert titles == ["Đối thoại chính sách giảm nghèo", "Hội nghị mới họp xong",
                      "Sơ kết giảm nghèo 6 tháng"]
    calendar_links = [a["href"] for a in built.html("hoi-nghi/").select("main a[href$='.ics']")]
    assert calendar_links and calendar_links[0].endswith(CALENDAR)
    facts = {dt_.get_text(strip=True): dd.get_text(" ", strip=True)
             for dt_, dd in _facts(built, "Đối thoại chính sách giảm nghèo")}
    assert facts["Địa điểm"] == "Hội trường UBND xã Đồng Nơ"
    assert facts["Thành phần"] == "Trưởng ấp, hộ nghèo"
    assert "08:00" in facts["Thời gian"] and "11:30" in facts["Thời gian"]


def _facts(built, title):
    link = next(a for a in built.html("hoi-nghi/").select(".hq-card__title a")
                if a.get_text(strip=True) == title)
    relative = link["href"].split("/", 3)[-1] if "://" in link["href"] else link["href"]
    page = built.html(relative.lstrip("/"))
    return [(d.find("dt"), d.find("dd")) for d in page.select(".hq-item__facts > div")]

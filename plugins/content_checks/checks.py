"""The cross-item checks behind plugins/content_checks."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from newsdesk.content import handbooks, paths, site_items
from newsdesk.site.context import context_of
from newsdesk.content.problems import ERROR, WARNING, AlreadyReported, ContentErrors, Report
from newsdesk.content.unique import Entry, duplicates

# Pelican messages an editor can cause, and what to tell them instead (an error, as in
# `invoke check`: a published link must not lead nowhere).
PELICAN_MESSAGES = {
    "Unable to find": ("Liên kết {{filename}} trỏ tới bài không có: \"{target}\".",
                       "Sửa tên tệp trong liên kết cho đúng với tệp trong content/."),
}


class LogToReport(logging.Handler):
    """Pelican's own warnings and errors become problems in the build's report."""

    def __init__(self, report: Report):
        super().__init__(logging.WARNING)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        # Pelican logs a skipped file from inside its `except` block, without exc_info.
        if isinstance(sys.exc_info()[1], AlreadyReported):
            return
        message = record.getMessage()
        if "Docutils has no localization" in message:
            return
        for start, (text, hint) in PELICAN_MESSAGES.items():
            if message.startswith(start):
                target = record.args[0] if isinstance(record.args, tuple) and record.args else ""
                self.report.add("content", 0, text.format(target=target), hint, ERROR)
                return
        severity = ERROR if record.levelno >= logging.ERROR else WARNING
        self.report.add("pelican", 0, f"Lỗi khi dựng trang: {message}",
                        "Báo cho người quản trị kỹ thuật kèm thông báo này.", severity)


def watch_pelican_log(pelican) -> None:
    """Attach (once per build) the handler that copies Pelican's log into the report."""
    report = context_of(pelican.settings).report
    logger = logging.getLogger("pelican")
    for handler in list(logger.handlers):
        if isinstance(handler, LogToReport):
            logger.removeHandler(handler)
    logger.addHandler(LogToReport(report))


def check_unique(generators) -> None:
    """Two items must not share an identity, a slug in the same place, or an output file;
    two chapters of one handbook, a number or differ in audience."""
    settings = generators[0].settings
    context = context_of(settings)
    report = context.report
    # A draft (shown in previews only) is nobody's rival: a copy being reworked may share
    # its original's ID. Scheduled items, Pelican drafts too, keep every rule.
    everything = [c for c in site_items.items(generators, site_items.WITH_A_PAGE, pages=True,
                                              translations=True)
                  if getattr(c, "status", "") != "draft" or getattr(c, "scheduled", False)]
    items = site_items.items(generators)
    context.counts = {
        "items": len(items), "pages": len(site_items.items(generators, pages=True)) - len(items)}
    entries = [Entry(c.source_path, _relative(c, settings), getattr(c, "uid", ""),
                     getattr(c, "save_as", "")) for c in everything]
    report.extend(duplicates(entries))
    report.extend(handbooks.problems(getattr(c, "handbook_part", None) for c in everything))


def refuse_escaping_symlinks(pelican) -> None:
    """A symlink in content/ that leads out of it (or nowhere) is an error, as in invoke check;
    Pelican (which follows folder symlinks) is told not to walk the folders behind them."""
    settings = pelican.settings
    paths.report_escaping_symlinks(context_of(settings).report, settings["PATH"])
    root = Path(settings["PATH"]).resolve()
    walled_off = [link.path.relative_to(root).as_posix()
                  for link in paths.escaping_symlinks(root) if link.path.is_dir()]
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        settings[key] = [*settings.get(key, []), *walled_off]


def keep_static_files_inside(generator) -> None:
    """Pelican copies every linked file to its path from the output: copy only files that lie
    inside content/ and land inside the output (the reader has already named the item)."""
    report = context_of(generator.settings).report
    kept = []
    for static in generator.staticfiles:
        source = os.path.join(generator.path, static.source_path)
        destination = os.path.join(generator.output_path, static.save_as)
        if (paths.inside_content(source, generator.path)
                and paths.inside_content(destination, generator.output_path)):
            kept.append(static)
        else:
            report.add(generator.settings["PATH"], 0,
                       *paths.outside_message("Tệp được liên kết", static.source_path))
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept


def stop_on_errors(generators) -> None:
    """Stop before any page is written when the content has errors."""
    report = context_of(generators[0].settings).report
    if report.errors:
        raise ContentErrors(report.summary())


def _relative(content, settings) -> str:
    try:
        return str(Path(content.source_path).relative_to(Path(settings["PATH"]).resolve()))
    except ValueError:
        return content.source_path

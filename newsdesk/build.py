"""Build the site aside, then bring the output folder up to date only if nothing failed.

Pelican writes into a fresh staging folder next to the output; when the content has no error,
only files whose bytes changed are copied over and files no longer built are removed. A failed
build leaves the output exactly as it was; an unchanged build rewrites no file.
"""

from __future__ import annotations

import contextlib
import filecmp
import io
import logging
import os
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from newsdesk import poststep, vocabulary
from newsdesk.problems import ContentErrors, Report

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


@dataclass
class SyncStats:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class BuildResult:
    report: Report
    output: Path
    sync: SyncStats | None = None
    items: int = 0
    pages: int = 0
    poststeps: list[poststep.StepOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.report.errors

    def summary(self) -> str:
        if not self.ok:
            return (f"Dựng trang THẤT BẠI: {self.report.summary()} "
                    f"Thư mục {self.output} được giữ nguyên như trước.")
        return (f"Đã dựng {self.items} bài và {self.pages} trang vào {self.output}: "
                f"{len(self.sync.written)} tệp mới hoặc đổi, {len(self.sync.removed)} tệp bỏ, "
                f"{self.sync.unchanged} tệp giữ nguyên."
                + "".join(f"\n{outcome.summary()}" for outcome in self.poststeps))


def build(settings_file: str | Path = ROOT / "pelicanconf.py", output: str | Path | None = None,
          overrides: dict | None = None) -> BuildResult:
    """Build with the given settings into `output` (default: the settings' OUTPUT_PATH)."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    output = Path(output or settings["OUTPUT_PATH"]).resolve()
    report = Report()
    result = BuildResult(report=report, output=output)
    try:
        vocabulary.for_settings(settings)
    except vocabulary.VocabularyError as error:
        for line in str(error).splitlines():
            path, _, message = line.partition(": ")
            report.add(path, 0, message, "Sửa tệp từ vựng rồi dựng lại.")
        return result
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=output.parent))
    try:
        settings.update(OUTPUT_PATH=str(staging), NEWSDESK_REPORT=report,
                        DELETE_OUTPUT_DIRECTORY=False)
        _run_pelican(settings, report, result)
        if result.ok:  # the search index, PDFs: on the finished tree, cached by content
            result.poststeps = poststep.run_steps(staging, settings, report)
        if result.ok:
            result.sync = sync_tree(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _run_pelican(settings: dict, report: Report, result: BuildResult) -> None:
    logging.getLogger("pelican").setLevel(logging.WARNING)
    crash_log = Path(settings["OUTPUT_PATH"]).parent / ".build-error.log"
    crash_log.unlink(missing_ok=True)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's English "Done: ..." line
            Pelican(settings).run()
        counts = settings.get("NEWSDESK_COUNTS", {})
        result.items, result.pages = counts.get("items", 0), counts.get("pages", 0)
    except ContentErrors:
        pass
    except Exception as error:  # anything else is a bug or a broken theme, not an editor's fault
        crash_log.write_text(traceback.format_exc(), encoding="utf-8")
        report.add("pelican", 0, f"Lỗi hệ thống khi dựng trang: {type(error).__name__}: {error}",
                   f"Báo cho người quản trị kỹ thuật, gửi kèm tệp {crash_log.name}.")


def sync_tree(source: Path, target: Path) -> SyncStats:
    """Make `target` hold exactly the files of `source`, touching only what differs."""
    stats = SyncStats()
    target.mkdir(parents=True, exist_ok=True)
    built = set()
    for directory, _, files in os.walk(source):
        for name in files:
            path = Path(directory, name)
            relative = path.relative_to(source)
            built.add(relative)
            destination = target / relative
            if destination.is_file() and filecmp.cmp(path, destination, shallow=False):
                stats.unchanged += 1
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.is_dir():
                shutil.rmtree(destination)
            shutil.copyfile(path, destination)
            stats.written.append(relative.as_posix())
    for directory, _, files in os.walk(target, topdown=False):
        for name in files:
            relative = Path(directory, name).relative_to(target)
            if relative not in built:
                (target / relative).unlink()
                stats.removed.append(relative.as_posix())
        if Path(directory) != target and not any(Path(directory).iterdir()):
            Path(directory).rmdir()
    return stats

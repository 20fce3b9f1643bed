"""Problems found in editors' content, collected across a whole build or check.

Every message is Vietnamese and names the file, the line and what to do; the build lists them
all at once and fails when any is an error.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITY_LABELS = {ERROR: "LỖI", WARNING: "CẢNH BÁO", NOTICE: "GHI CHÚ"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR
    field: str = ""
    code: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {SEVERITY_LABELS[self.severity]}: {self.message}"
        return f"{text}\n    → {self.hint}" if self.hint else text


def display_path(path) -> str:
    """A path as an editor sees it: relative to the folder they work in, when it is inside.
    Symlinks are not followed: a symlink is named as the editor sees it, not by its target."""
    path = Path(path)
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Report:
    """An ordered, de-duplicated list of problems, grouped by file when shown."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path, line: int, message: str, hint: str = "", severity: str = ERROR,
            field: str = "", code: str = "") -> None:
        problem = Problem(display_path(path), line, message, hint, severity, field, code)
        if problem not in self.problems:
            self.problems.append(problem)

    def extend(self, problems) -> None:
        for problem in problems:
            if problem not in self.problems:
                self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def format(self) -> str:
        by_file: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            by_file[problem.path].append(problem)
        blocks = []
        for path in sorted(by_file):
            lines = [f"── {path}"]
            lines += [p.format() for p in sorted(by_file[path], key=lambda p: p.line)]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def summary(self) -> str:
        return (f"{len(self.errors)} lỗi, {len(self.warnings)} cảnh báo "
                f"trong {len({p.path for p in self.problems})} tệp.")

    def to_json(self) -> str:
        return json.dumps([asdict(p) for p in self.problems], ensure_ascii=False, indent=2)


class ContentErrors(Exception):
    """Raised to stop a build early when the report already holds errors."""


class AlreadyReported(Exception):
    """A file whose problems are in the report; the build only needs to skip it."""

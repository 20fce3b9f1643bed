"""`invoke check`: every problem in content/, listed at once, without building the site.

Reads every file with the build's own reader (newsdesk.content.item_reader.read_item:
encoding, header, links, images, media, sanitizer, publish state) and uniqueness rule
(newsdesk.content.unique), so the build and the check report the same problems at the same lines. It adds only what the
build cannot judge and an editor must: text pasted from old Vietnamese encodings, decomposed
Unicode and the look-alike letter Ð (what --fix repairs), a missing ID line, and what looks like personal
data. (Placeholders left by `invoke new` are the reader's, so the build refuses them too.)

`check(fix=True)` rewrites only what it reported as fixable (encoding, NFC, Ð, a missing ID),
keeping the original beside the file as `<name>.bak`.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from pelican.settings import read_settings

from newsdesk import project
from newsdesk.content import (dates, handbooks, legacy_encodings, paths, personal_data,
                              publish_set, unique, vocabulary)
from newsdesk.site.context import BuildContext, ContextInputs
from newsdesk.content.item_reader import (DRAFT, PUBLISHED, SCHEDULED, ItemReading,
                                          ReadContext, read_item,
                                          unix_lines)
from newsdesk.content.items import BIDI_CONTROLS, CONTENT_SUFFIXES, Header, derived_id
from newsdesk.content.problems import ERROR, NOTICE, WARNING, Problem, Report, display_path
from newsdesk.content.text import LOOKALIKES, nfc

# Header lines that hold no prose: no personal data to look for.
NON_PROSE_FIELDS = {"id", "date", "modified", "corrected", "slug", "status", "type", "lang",
                    "image", "template", "order", personal_data.ACCEPT_FIELD}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}


@dataclass
class Fixes:
    """What `--fix` may rewrite in one file: only what the check reported."""

    decoded_from: str = ""
    nfc: bool = False
    lookalikes: bool = False
    lines: dict[int, str] = field(default_factory=dict)  # 0-based line -> repaired text
    add_id: str = ""
    id_after_line: int = 0

    def __bool__(self) -> bool:
        return bool(self.decoded_from or self.nfc or self.lookalikes or self.lines or self.add_id)


@dataclass
class CheckResult:
    report: Report
    files: int = 0
    fixed: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    unsaved: tuple[str, ...] = ()  # publish_set.SavedState.unsaved: what publish leaves out

    @property
    def ok(self) -> bool:
        return not self.report.errors

    def summary(self) -> str:
        if not self.report.problems:
            text = f"Đã kiểm tra {self.files} tệp: không có lỗi nào."
        else:
            verdict = "có lỗi cần sửa" if self.report.errors else "không có lỗi"
            text = f"Đã kiểm tra {self.files} tệp, {verdict}: {self.report.summary()}"
        if self.unsaved:
            text += (f"\nChưa lưu — không đăng ({len(self.unsaved)} tệp; lưu bằng "
                     "invoke save \"lời nhắn\"):\n" + "\n".join(f"  - {name}"
                                                          for name in self.unsaved))
        return text


def check(settings_file: str | Path = project.SETTINGS, overrides: dict | None = None,
          fix: bool = False) -> CheckResult:
    """Check every content file; with `fix`, repair what is fixable and check again."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    try:
        inputs = ContextInputs.from_settings(settings)  # a mistyped --today stops here, once
    except dates.TodayError as error:
        result = CheckResult(Report())
        result.report.add("--today", 0, str(error), dates.TODAY_HINT)
        return result
    result, fixes = _check_all(settings, inputs)
    if fix and fixes:
        unwritable = []
        for path, file_fixes in fixes.items():
            try:
                result.backups.append(apply_fixes(path, file_fixes))
            except OSError as error:
                unwritable.append(_not_fixed(path, error))
                continue
            result.fixed.append(path)
        fixed, backups = result.fixed, result.backups
        result, _ = _check_all(settings, inputs)
        result.fixed, result.backups = fixed, backups
        result.report.extend(unwritable)
    try:
        result.unsaved = publish_set.saved_state(Path(settings["PATH"]).parent).unsaved
    except publish_set.SavedStateError:
        pass  # git answers oddly: the check itself stands
    return result


def check_file(path: str | Path, settings_file: str | Path = project.SETTINGS,
               overrides: dict | None = None) -> list[Problem]:
    """Every problem `invoke check` reports for one file of content/ (the desk asks this
    before a save is sent for review), without reading the others."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    report = Report()
    try:
        inputs = ContextInputs.from_settings(settings)
        context = BuildContext.create(inputs, report).attach(settings).reading
    except (dates.TodayError, vocabulary.VocabularyError) as error:
        report.add(path, 0, str(error), "Báo người quản trị kỹ thuật.")
        return report.problems
    report.extend(_FileCheck(Path(path), context).run().problems)
    return report.problems


def _not_fixed(path: Path, error: OSError) -> Problem:
    """A file --fix could not rewrite (read-only, locked): said once, the others still fixed."""
    reason = ("tệp chỉ cho đọc, không cho ghi" if error.errno in _READ_ONLY
              else f"máy báo lỗi {errno.errorcode.get(error.errno, error.errno)} khi ghi")
    return Problem(display_path(path), 0, f"Không sửa được tệp: {reason}.",
                   "Bỏ thuộc tính chỉ đọc của tệp (hoặc của thư mục chứa nó), đóng phần mềm "
                   "đang mở tệp, rồi chạy lại: invoke check --fix", ERROR)


def _check_all(settings: dict, inputs: ContextInputs) -> tuple[CheckResult, dict[Path, Fixes]]:
    report = Report()
    result = CheckResult(report)
    try:
        build_context = BuildContext.create(inputs, report).attach(settings)
    except vocabulary.VocabularyError as error:
        error.add_to(report, "Sửa tệp từ vựng rồi chạy lại invoke check.")
        return result, {}
    context = build_context.reading
    paths.report_escaping_symlinks(report, context.root)
    entries, all_fixes, parts = [], {}, []
    for path in content_files(context.root):
        result.files += 1
        checked = _FileCheck(path, context).run()
        report.extend(checked.problems)
        if checked.entry:
            entries.append(checked.entry)
        if checked.fixes:
            all_fixes[path] = checked.fixes
        parts.append(checked.part)
    report.extend(unique.duplicates(entries + handbooks.entries(parts, context.settings,
                                                                  context.root)))
    report.extend(handbooks.problems(parts))
    return result, all_fixes


def content_files(root: Path) -> list[Path]:
    """Every Markdown file under content/, hidden folders left out, and what a symlink leads
    to outside content/ too (the symlink itself is reported instead)."""
    found = []
    for folder, subfolders, files in os.walk(root, followlinks=True):  # as Pelican walks
        subfolders[:] = [name for name in subfolders if not name.startswith(".")
                         and paths.inside_content(Path(folder) / name, root)]
        found += [Path(folder) / name for name in files
                  if Path(name).suffix.lower() in CONTENT_SUFFIXES and not name.startswith(".")
                  and paths.inside_content(Path(folder) / name, root)
                  and (Path(folder) / name).exists() and not (Path(folder) / name).is_dir()]
    return sorted(found)


@dataclass
class _Checked:
    problems: list[Problem]
    entry: unique.Entry | None
    fixes: Fixes
    part: handbooks.Part | None = None  # a chapter read without error, as the build keeps it


class _FileCheck:
    """All checks of one file, in the order an editor would fix them."""

    def __init__(self, path: Path, context: ReadContext):
        self.path = path.resolve()
        self.context = context
        self.shown = display_path(self.path)
        self.problems: list[Problem] = []
        self.fixes = Fixes()

    def run(self) -> _Checked:
        reading = read_item(self.path, self.context)
        self.problems.extend(reading.problems)
        if reading.header is None:  # too large, or in no encoding we know
            return _Checked(self.problems, None, self.fixes)
        if not reading.decoded.is_utf8:
            self.fixes.decoded_from = reading.decoded.encoding
        self._check_characters(unix_lines(reading.decoded.text).split("\n"))
        if not reading.is_page and "id" not in reading.header.values:
            self._missing_id(reading.header)
        self._check_prose(reading.header)
        if reading.state == DRAFT:
            # Its problems are notes for its writer (as item_reader's), and it is nobody's
            # rival: no rule across files (a copy being reworked may share an ID).
            self.problems = [replace(p, severity=NOTICE) if p.severity == ERROR else p
                             for p in self.problems]
            return _Checked(self.problems, None, self.fixes)
        part = (handbooks.part_of(reading.path, reading.metadata, reading.header,
                                  published=reading.state == PUBLISHED) if reading.ok else None)
        return _Checked(self.problems, self._entry(reading, part), self.fixes, part)

    # -- characters: what --fix repairs -------------------------------------------------------
    def _check_characters(self, lines: list[str]) -> None:
        """Report legacy paste, NFD and Ð line by line, with the repairs --fix will make."""
        decomposed = [i for i, line in enumerate(lines) if not legacy_encodings.is_nfc(line)]
        lookalike = [i for i, line in enumerate(lines) if "\u00d0" in line or "\u00f0" in line]
        for index, line in enumerate(lines):
            if re.search(f"[{BIDI_CONTROLS}]", line):
                continue  # the reader's error; no legacy encoding makes Vietnamese of it
            found = legacy_encodings.find_mojibake(nfc(line))
            if found:
                self._add(ERROR, index + 1, f"Chữ bị lỗi bảng mã ({found.label}): "
                          f"\"{_excerpt(found.original)}\" phải là \"{_excerpt(found.fixed)}\".",
                          "Chạy: invoke check --fix (sửa dòng này, giữ bản cũ), hoặc gõ lại "
                          "bằng bộ gõ Unicode.")
                self.fixes.lines[index] = found.fixed
        if decomposed:
            first = decomposed[0]
            word = _first_decomposed_word(lines[first])
            self._add(WARNING, first + 1, f"{len(decomposed)} dòng viết chữ Việt bằng dấu rời "
                      f"(Unicode tổ hợp NFD), ví dụ \"{word}\"; chữ trông giống nhưng tìm kiếm "
                      "và sắp xếp sẽ sai.",
                      "Chạy: invoke check --fix (chuyển về Unicode dựng sẵn NFC), hoặc chọn "
                      "bảng mã \"Unicode dựng sẵn\" trong bộ gõ.")
            self.fixes.nfc = True
        if lookalike:
            self._add(ERROR, lookalike[0] + 1, f"{len(lookalike)} dòng dùng chữ \"Ð\" (chữ Eth "
                      "của tiếng Iceland, U+00D0) thay cho chữ \"Đ\" tiếng Việt.",
                      "Chạy: invoke check --fix (đổi Ð thành Đ), hoặc gõ lại chữ Đ bằng bộ gõ "
                      "tiếng Việt.")
            self.fixes.lookalikes = True

    def _missing_id(self, header: Header) -> None:
        relpath = self.path.relative_to(self.context.root).as_posix()
        self._add(NOTICE, 1, "Bài chưa có dòng ID (mã bài cố định, giữ nguyên khi đổi tên tệp).",
                  "Chạy: invoke check --fix (thêm dòng ID đúng với mã bài hiện nay).")
        self.fixes.add_id = derived_id(relpath)
        self.fixes.id_after_line = max(header.lines.values(), default=0)

    # -- prose: personal data -------------------------------------------------
    def _check_prose(self, header: Header) -> None:
        accepted = personal_data.accepted_strings(header.values.get(personal_data.ACCEPT_FIELD))
        prose = [(line, header.values[key]) for key, line in header.lines.items()
                 if key not in NON_PROSE_FIELDS]
        prose += [(header.body_line + i, line) for i, line in enumerate(header.body.split("\n"))]
        for line_number, text in prose:
            for finding in personal_data.find(text, accepted):
                label = personal_data.KIND_LABELS[finding.kind]
                self._add(WARNING, line_number, f"Có vẻ là dữ liệu cá nhân ({label}): "
                          f"\"{finding.text}\". Không đăng thông tin cá nhân của hộ nghèo "
                          "(Nghị định 13/2023/NĐ-CP).",
                          "Xóa hoặc viết chung chung (ví dụ \"hộ ông B., ấp 3\"). Nếu đây không "
                          "phải dữ liệu cá nhân (ví dụ số đường dây nóng), thêm dòng "
                          f"\"Personal-Data-Ok: {finding.text}\" ở đầu tệp.")

    # -- uniqueness ---------------------------------------------------------------------------
    def _entry(self, reading: ItemReading,
               part: handbooks.Part | None = None) -> unique.Entry | None:
        metadata = reading.metadata
        settings = self.context.settings
        unpublished = reading.state in (DRAFT, SCHEDULED)
        when = metadata.get("date")
        if reading.is_page:
            pattern = settings["PAGE_SAVE_AS"] if not unpublished else ""
        elif not metadata.get("type"):
            return None
        elif unpublished:
            pattern = settings["DRAFT_SAVE_AS"]
        elif part and part.published:  # under its handbook's page
            pattern = handbooks.chapter_url(settings, part, save_as=True)
        else:
            pattern = settings["ARTICLE_SAVE_AS"]
        try:
            save_as = pattern.format(slug=metadata["slug"], type=metadata.get("type", ""),
                                     lang=metadata.get("lang", settings["DEFAULT_LANG"]),
                                     date=when or dt.datetime.now(dates.TIMEZONE))
        except (KeyError, IndexError, ValueError):
            save_as = ""
        relpath = self.path.relative_to(self.context.root).as_posix()
        return unique.Entry(str(self.path), relpath, metadata.get("id", ""), save_as)

    def _add(self, severity: str, line: int, message: str, hint: str) -> None:
        self.problems.append(Problem(self.shown, line, message, hint, severity))


def apply_fixes(path: Path, fixes: Fixes) -> Path:
    """Rewrite `path` with only the reported repairs; return where the original was kept."""
    data = path.read_bytes()
    text = legacy_encodings.decode(data).text
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, replacement in fixes.lines.items():
        lines[index] = replacement
    if fixes.add_id:
        lines.insert(fixes.id_after_line, f"ID: {fixes.add_id}")
    text = "\n".join(lines)
    if fixes.nfc or fixes.decoded_from:
        text = nfc(text)
    if fixes.lookalikes:
        text = text.translate(LOOKALIKES)
    backup = _backup_path(path)
    backup.write_bytes(data)
    try:
        path.write_text(text.replace("\n", newline), encoding="utf-8", newline="")
    except OSError:
        backup.unlink()  # nothing was changed: no backup of it either
        raise
    return backup


def _backup_path(path: Path) -> Path:
    backup = path.with_name(path.name + ".bak")
    number = 1
    while backup.exists():
        number += 1
        backup = path.with_name(f"{path.name}.{number}.bak")
    return backup


def _first_decomposed_word(line: str) -> str:
    for word in line.split():
        if not unicodedata.is_normalized("NFC", word):
            return nfc(word)
    return nfc(line.strip())[:20]


def _excerpt(text: str, length: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= length else text[: length - 1] + "…"

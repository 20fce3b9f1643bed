"""`invoke check`: every problem in content/, listed at once, without building the site.

Runs the build's own header checks (newsdesk.items.ItemChecker) and uniqueness rule
(newsdesk.unique), and adds what only a careful reader would see: text pasted from old
Vietnamese encodings, decomposed Unicode, the look-alike letter Ð, raw HTML the sanitizer
will strip, links and images that point nowhere, images too large to publish, placeholders
left by `invoke new`, and what looks like personal data.

`check(fix=True)` rewrites only what it reported as fixable (encoding, NFC, Ð, a missing ID),
keeping the original beside the file as `<name>.bak`.
"""

from __future__ import annotations

import datetime as dt
import errno
import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown import Markdown
from pelican.settings import read_settings

from newsdesk import (dates, images, legacy_encodings, numbers, paths, personal_data, project,
                      sanitize, unique, vocabulary)
from newsdesk.context import BuildContext, ContextInputs, context_of
from newsdesk.items import (CONTENT_SUFFIXES, PLACEHOLDER, Header, ItemChecker, derived_id,
                            media_problem, reserved_slugs, split_header, too_large)
from newsdesk.problems import ERROR, NOTICE, WARNING, Problem, Report, display_path
from newsdesk.text import LOOKALIKES, nfc

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# A phone photo is 2-6 MB; above this the upload is slow and the site will only shrink it.
IMAGE_MAX_BYTES = 10 * 1024 * 1024
# Header lines that hold no prose: no personal data or placeholder text to look for.
NON_PROSE_FIELDS = {"id", "date", "modified", "corrected", "slug", "status", "type", "lang",
                    "image", "template", "order", personal_data.ACCEPT_FIELD}
_LINK = re.compile(r'\b(?P<attr>href|src)="(?P<target>[^"]*)"')
_IMG_ALT = re.compile(r"<img\b[^>]*>")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_PELICAN_LINK = re.compile(r"^\{(?P<kind>filename|static|attach)\}(?P<path>.*)$")


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

    @property
    def ok(self) -> bool:
        return not self.report.errors

    def summary(self) -> str:
        if not self.report.problems:
            return f"Đã kiểm tra {self.files} tệp: không có lỗi nào."
        verdict = "có lỗi cần sửa" if self.report.errors else "không có lỗi"
        return f"Đã kiểm tra {self.files} tệp, {verdict}: {self.report.summary()}"


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
    return result


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
        vocab = BuildContext.create(inputs, report).attach(settings).vocabulary
    except vocabulary.VocabularyError as error:
        for line in str(error).splitlines():
            path, _, message = line.partition(": ")
            report.add(path, 0, message, "Sửa tệp từ vựng rồi chạy lại invoke check.")
        return result, {}
    context = _Context(settings, vocab)
    paths.report_escaping_symlinks(report, context.root)
    entries, all_fixes = [], {}
    for path in content_files(context.root):
        result.files += 1
        checked = _FileCheck(path, context).run()
        report.extend(checked.problems)
        if checked.entry:
            entries.append(checked.entry)
        if checked.fixes:
            all_fixes[path] = checked.fixes
    report.extend(unique.duplicates(entries))
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
                  and (Path(folder) / name).is_file()]
    return sorted(found)


class _Context:
    """What every file's check shares: settings, vocabulary, today, the item checker."""

    def __init__(self, settings: dict, vocab: vocabulary.Vocabulary):
        self.settings = settings
        self.vocabulary = vocab
        self.root = Path(settings["PATH"]).resolve()
        self.today = context_of(settings).today
        self.checker = ItemChecker(vocab, self.root, self.today, reserved_slugs(settings, vocab))
        self.page_roots = [self.root / p for p in settings.get("PAGE_PATHS", ["pages"])]
        self.image_settings = images.ImageSettings.from_settings(settings)

    def is_page(self, path: Path) -> bool:
        return any(path.is_relative_to(r) for r in self.page_roots)


@dataclass
class _Checked:
    problems: list[Problem]
    entry: unique.Entry | None
    fixes: Fixes


class _FileCheck:
    """All checks of one file, in the order an editor would fix them."""

    def __init__(self, path: Path, context: _Context):
        self.path = path.resolve()
        self.context = context
        self.shown = display_path(self.path)
        self.problems: list[Problem] = []
        self.fixes = Fixes()

    def run(self) -> _Checked:
        text = self._decode()
        if text is None:
            return _Checked(self.problems, None, self.fixes)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = self._check_characters(text.split("\n"))
        repaired = nfc("\n".join(lines)).translate(LOOKALIKES)
        header = split_header(repaired)
        is_page = self.context.is_page(self.path)
        item = self.context.checker.check(self.path, header, is_page=is_page)
        self.problems.extend(item.problems)
        if not is_page and "id" not in header.values:
            self._missing_id(header)
        self._check_prose(header)
        self._check_body(header, item.metadata)
        self._check_field_images(header, item.metadata)
        return _Checked(self.problems, self._entry(item, is_page), self.fixes)

    # -- bytes and characters ----------------------------------------------------------------
    def _decode(self) -> str | None:
        oversized = too_large(self.path, self.context.settings)
        if oversized:
            self.problems.append(oversized)
            return None
        data = self.path.read_bytes()
        decoded = legacy_encodings.decode(data)
        if decoded.is_utf8:
            return decoded.text
        line = _first_bad_line(data)
        if decoded.encoding == "unknown":
            self._add(ERROR, line, "Tệp không phải văn bản UTF-8 và không nhận ra bảng mã.",
                      "Mở tệp bằng trình soạn thảo, chọn Lưu thành (Save as) với bảng mã UTF-8.")
            return None
        self._add(ERROR, line, f"Tệp không phải văn bản UTF-8: được lưu bằng bảng mã "
                  f"{decoded.label}.",
                  "Chạy: invoke check --fix (chuyển cả tệp sang Unicode UTF-8, giữ bản cũ "
                  f"trong {self.path.name}.bak).")
        self.fixes.decoded_from = decoded.encoding
        return decoded.text

    def _check_characters(self, lines: list[str]) -> list[str]:
        """Report legacy paste, NFD and Ð line by line; return the lines with those repaired."""
        decomposed = [i for i, line in enumerate(lines) if not legacy_encodings.is_nfc(line)]
        lookalike = [i for i, line in enumerate(lines) if "\u00d0" in line or "\u00f0" in line]
        repaired = list(lines)
        for index, line in enumerate(lines):
            found = legacy_encodings.find_mojibake(nfc(line))
            if found:
                self._add(ERROR, index + 1, f"Chữ bị lỗi bảng mã ({found.label}): "
                          f"\"{_excerpt(found.original)}\" phải là \"{_excerpt(found.fixed)}\".",
                          "Chạy: invoke check --fix (sửa dòng này, giữ bản cũ), hoặc gõ lại "
                          "bằng bộ gõ Unicode.")
                self.fixes.lines[index] = repaired[index] = found.fixed
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
        return repaired

    def _missing_id(self, header: Header) -> None:
        relpath = self.path.relative_to(self.context.root).as_posix()
        self._add(NOTICE, 1, "Bài chưa có dòng ID (mã bài cố định, giữ nguyên khi đổi tên tệp).",
                  "Chạy: invoke check --fix (thêm dòng ID đúng với mã bài hiện nay).")
        self.fixes.add_id = derived_id(relpath)
        self.fixes.id_after_line = max(header.lines.values(), default=0)

    # -- prose: placeholders and personal data -------------------------------------------------
    def _check_prose(self, header: Header) -> None:
        accepted = personal_data.accepted_strings(header.values.get(personal_data.ACCEPT_FIELD))
        prose = [(line, header.values[key]) for key, line in header.lines.items()
                 if key not in NON_PROSE_FIELDS]
        prose += [(header.body_line + i, line) for i, line in enumerate(header.body.split("\n"))]
        for line_number, text in prose:
            if line_number >= header.body_line and PLACEHOLDER in text:
                self._add(ERROR, line_number, f"Nội dung bài còn chữ {PLACEHOLDER}.",
                          f"Thay {PLACEHOLDER} và lời nhắc sau nó bằng nội dung bài viết.")
            for finding in personal_data.find(text, accepted):
                label = personal_data.KIND_LABELS[finding.kind]
                self._add(WARNING, line_number, f"Có vẻ là dữ liệu cá nhân ({label}): "
                          f"\"{finding.text}\". Không đăng thông tin cá nhân của hộ nghèo "
                          "(Nghị định 13/2023/NĐ-CP).",
                          "Xóa hoặc viết chung chung (ví dụ \"hộ ông B., ấp 3\"). Nếu đây không "
                          "phải dữ liệu cá nhân (ví dụ số đường dây nóng), thêm dòng "
                          f"\"Personal-Data-Ok: {finding.text}\" ở đầu tệp.")

    # -- body: HTML, links, images ------------------------------------------------------------
    def _check_body(self, header: Header, metadata: dict) -> None:
        markdown = Markdown(**self.context.settings["MARKDOWN"])
        raw_html = markdown.convert(header.body)
        _, removals = sanitize.clean(raw_html)
        if removals:
            line = header.body_line + _first_line_with(header.body, "<")
            self._add(WARNING, line, "HTML sẽ bị xóa khi dựng trang: "
                      + ", ".join(map(str, removals)) + ".",
                      "Bỏ phần HTML đó khỏi tệp; viết bằng Markdown (xem hướng dẫn biên tập).")
        for match in _LINK.finditer(raw_html):
            self._check_link(header, match["attr"], html.unescape(match["target"]))
        for tag in _IMG_ALT.findall(raw_html):
            if not re.search(r'\balt="[^"]+"', tag):
                src = re.search(r'\bsrc="([^"]*)"', tag)
                target = html.unescape(src.group(1)) if src else ""
                self._add(WARNING, header.body_line + _first_line_with(header.body, target),
                          f"Ảnh \"{target}\" trong bài thiếu mô tả.",
                          "Viết mô tả trong ngoặc vuông: ![Mô tả ngắn nội dung ảnh](ten-anh.jpg).")

    def _check_link(self, header: Header, attr: str, target: str) -> None:
        if not target or _EXTERNAL.match(target):
            return
        line = header.body_line + _first_line_with(header.body, target)
        pelican = _PELICAN_LINK.match(target)
        if target.startswith("{") and not pelican:
            return  # {tag}, {category}, {index}: Pelican's own pages, not files
        path_part = unquote((pelican["path"] if pelican else target).split("#")[0].split("?")[0])
        if pelican or not target.startswith("/"):
            place = (self.context.root / path_part.lstrip("/") if path_part.startswith("/")
                     else self.path.parent / path_part)
            resolved = place.resolve()
        else:
            return  # a site-absolute URL ("/dia-ban/"): not a file of content/
        if paths.inside_content(place, self.context.root) is None:
            label = "Ảnh" if attr == "src" else "Liên kết"
            self._add(ERROR, line, *paths.outside_message(label, path_part))
        elif not resolved.is_file():
            what = "bài" if resolved.suffix.lower() in CONTENT_SUFFIXES else "tệp"
            self._add(ERROR, line, f"Liên kết tới {what} không có: \"{target}\".",
                      "Sửa lại tên tệp cho đúng (cả chữ hoa, chữ thường), hoặc chép tệp vào "
                      "cùng thư mục với bài viết.")
        elif attr == "src" or resolved.suffix.lower() in IMAGE_SUFFIXES:
            self._check_image(resolved, line, target)
        elif problem := media_problem(resolved):
            self._add(ERROR, line, f"Liên kết: tệp \"{path_part}\" {problem[0]}.", problem[1])

    def _check_field_images(self, header: Header, metadata: dict) -> None:
        for key, value in metadata.items():
            field_ = self.context.vocabulary.fields.get(key)
            if field_ and field_.kind == "file" and isinstance(value, str):
                path = self.context.root / value
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    self._check_image(path, header.line(key), header.values.get(key, value))

    def _check_image(self, path: Path, line: int, shown: str) -> None:
        """The pipeline's own rule (newsdesk.images.validate), with its words."""
        fault = images.validate(path, self.context.image_settings)
        if fault:
            self._add(ERROR, line, *images.fault_message(fault, shown))
        elif path.stat().st_size > IMAGE_MAX_BYTES:
            size = path.stat().st_size
            self._add(WARNING, line, f"Ảnh \"{shown}\" quá nặng: {numbers.size(size)}.",
                      "Lưu lại ảnh dạng JPEG chất lượng 85%, hoặc thu nhỏ còn khoảng "
                      "2000 điểm ảnh chiều rộng.")

    # -- uniqueness ---------------------------------------------------------------------------
    def _entry(self, item, is_page: bool) -> unique.Entry | None:
        metadata = item.metadata
        settings = self.context.settings
        status = metadata.get("status", "published")
        when = metadata.get("date")
        if is_page:
            pattern = settings["PAGE_SAVE_AS"] if status != "draft" else ""
        elif not metadata.get("type"):
            return None
        elif status == "draft" or (when and when > dates.end_of(self.context.today)):
            pattern = settings["DRAFT_SAVE_AS"]
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


def _first_bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1
    return 1


def _first_line_with(text: str, needle: str) -> int:
    return next((i for i, line in enumerate(text.split("\n")) if needle and needle in line), 0)


def _first_decomposed_word(line: str) -> str:
    for word in line.split():
        if not unicodedata.is_normalized("NFC", word):
            return nfc(word)
    return nfc(line.strip())[:20]


def _excerpt(text: str, length: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= length else text[: length - 1] + "…"

"""The Markdown reader behind plugins/editor_markdown."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

from markdown import Markdown
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag

from newsdesk import dates, paths, sanitize, vocabulary
from newsdesk.items import (CONTENT_SUFFIXES, ItemChecker, media_problem, reserved_slugs,
                            split_header, too_large)
from newsdesk.markup import lazy_images
from newsdesk.context import context_of
from newsdesk.problems import WARNING, AlreadyReported, Report
from newsdesk.text import nfc, slug

# href/src values that point at another file of content/ (not a URL, an anchor or {static}).
_LOCAL_LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<target>(?![a-z][a-z0-9+.-]*:|/|#|\{)'
                         r'[^"?#]+)(?P<rest>[^"]*)"')
# href/src values an editor marked for Pelican themselves: {static}, {attach}, {filename}.
_MARKED_LINK = re.compile(r'\b(?P<attr>href|src)="\{(?:static|attach|filename)\}'
                          r'(?P<target>[^"?#]+)')


def _wrapped(wrapper_class, name: str, settings):
    """A Pelican Category/Tag/Author whose slug comes from the project's one slug function."""
    wrapper = wrapper_class(name, settings)
    wrapper.slug = slug(name)
    return wrapper


def _first_line_with(text: str, needle: str) -> int:
    """Index of the first line of `text` holding `needle` (0 when none does)."""
    return next((i for i, line in enumerate(text.split("\n")) if needle in line), 0)


class EditorMarkdownReader(BaseReader):
    enabled = True
    file_extensions = [suffix.lstrip(".") for suffix in CONTENT_SUFFIXES]

    def read(self, source_path):
        path = Path(source_path)
        report = context_of(self.settings).report
        if paths.inside_content(path, self.settings["PATH"]) is None:
            # Reached through a symlink out of content/: content_checks reports that symlink.
            raise AlreadyReported(path)
        text = self._text(path, report)
        header = split_header(text)
        vocab = vocabulary.for_settings(self.settings)
        checker = ItemChecker(vocab, self.settings["PATH"],
                              context_of(self.settings).today,
                              reserved_slugs(self.settings, vocab))
        item = checker.check(path, header, is_page=self._is_page(path))
        report.extend(item.problems)
        errors_before = len(report.errors)
        content = self._body_html(path, header, report)
        if not item.ok or len(report.errors) > errors_before:
            raise AlreadyReported(path)
        return content, self._pelican_metadata(item.metadata, checker.today)

    def _text(self, path: Path, report: Report) -> str:
        oversized = too_large(path, self.settings)
        if oversized:
            report.extend([oversized])
            raise AlreadyReported(path)
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            report.add(path, line, "Tệp không phải văn bản UTF-8 (có thể lưu từ phần mềm cũ "
                       "hoặc bảng mã TCVN3/VNI).",
                       "Mở tệp bằng trình soạn thảo, chọn Lưu thành (Save as) với bảng mã UTF-8, "
                       "hoặc chạy: invoke check --fix")
            raise AlreadyReported(path) from None
        return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))

    def _is_page(self, path: Path) -> bool:
        root = Path(self.settings["PATH"]).resolve()
        page_roots = [root / p for p in self.settings.get("PAGE_PATHS", ["pages"])]
        return any(path.resolve().is_relative_to(r) for r in page_roots)

    def _body_html(self, path: Path, header, report: Report) -> str:
        markup, removals = sanitize.clean(Markdown(**self.settings["MARKDOWN"]).convert(header.body))
        if removals:
            report.add(path, header.body_line + _first_line_with(header.body, "<"),
                       "Đã xóa HTML không an toàn khỏi bài: " + ", ".join(map(str, removals)) + ".",
                       "Bỏ phần HTML đó khỏi tệp; viết bằng Markdown (xem hướng dẫn biên tập).",
                       WARNING)
        for match in _MARKED_LINK.finditer(markup):
            self._refuse_outside(path, header, match, report)
        return lazy_images(_LOCAL_LINK.sub(lambda m: self._link(path, header, m, report), markup))

    def _refuse_outside(self, path: Path, header, match: re.Match, report: Report) -> bool:
        """A linked file must lie inside content/ (Pelican would copy it anywhere)."""
        target = html.unescape(unquote(match["target"]))
        root = self.settings["PATH"]
        place = Path(root) / target.lstrip("/") if target.startswith("/") else path.parent / target
        if paths.inside_content(place, root):
            return False
        label = "Ảnh" if match["attr"] == "src" else "Liên kết"
        report.add(path, header.body_line + _first_line_with(header.body, target),
                   *paths.outside_message(label, target))
        return True

    def _link(self, path: Path, header, match: re.Match, report: Report) -> str:
        """Relative links are relative to the Markdown file, as an editor's preview shows."""
        target = html.unescape(unquote(match["target"]))
        resolved = (path.parent / target).resolve()
        line = header.body_line + _first_line_with(header.body, target)
        if self._refuse_outside(path, header, match, report):
            return match[0]
        if not resolved.is_file():
            report.add(path, line, f"Liên kết hoặc ảnh \"{target}\" trỏ tới tệp không có.",
                       "Sửa lại tên tệp, hoặc chép tệp vào cùng thư mục với bài viết.")
            return match[0]
        problem = media_problem(resolved)
        if problem:
            report.add(path, line, f"Liên kết: tệp \"{target}\" {problem[0]}.", problem[1])
            return match[0]
        marker = "{filename}" if resolved.suffix.lower() in CONTENT_SUFFIXES else "{static}"
        return f'{match["attr"]}="{marker}{match["target"]}{match["rest"]}"'

    def _pelican_metadata(self, metadata: dict, today) -> dict:
        """Turn checked metadata into what Pelican's content classes expect."""
        settings = self.settings
        out = dict(metadata)
        if "category" in out:
            place = out["category"]
            out["commune"] = place
            out["communes"] = [place, *out.get("communes", [])]
            out["category"] = _wrapped(Category, place.name, settings)
        if "tags" in out:
            out["tags"] = [_wrapped(Tag, tag, settings) for tag in out["tags"]]
        if "author" in out:
            out["author"] = _wrapped(Author, out["author"], settings)
        out["uid"] = out.pop("id")
        if out.get("status") == "withdrawn":
            # Still written at its URL (Pelican's "hidden": in no listing, feed or kiosk),
            # as a notice-only page: see theme/templates/withdrawn.html.
            out.update(status="hidden", withdrawn=True, template="withdrawn")
        if out.get("date") and out["date"] > dates.end_of(today):
            out["status"] = "draft"
        return out

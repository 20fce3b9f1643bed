"""One reading of an item: every rule about a Markdown file of content/, once.

`read_item(path, context)` decodes the file (naming a legacy Vietnamese encoding when it is
one), checks its size, control characters and header fields (newsdesk.content.items.ItemChecker),
decides page or item and its publish state, turns the body into sanitized HTML in one lxml
pass (local links resolved and checked, images and media judged, rel="noopener" on links to
other sites, lazy images) and collects every problem. The build's reader
(plugins/editor_markdown) adapts the result for Pelican; `invoke check` (newsdesk/editors/check.py)
reads the same value and adds only what an editor alone needs (personal data, legacy-paste
and Unicode repairs for --fix). A `[CẦN ĐIỀN]` placeholder left by `invoke new` is an error
here, so the build refuses it as the check does.

A draft (`Status: draft`) never stops anything: its problems are notes (NOTICE) for its
writer, and `previewable` says whether a preview can still show it (nothing but placeholders
to fill in). Once its status leaves draft, every rule applies again.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
from markdown import Markdown

from newsdesk.content import (dates, legacy_encodings, markdown_limit, numbers, paths,
                              read_cache, sanitize, vocabulary)
from newsdesk.disk_cache import stable
from newsdesk.media import images
from newsdesk.content.items import (CONTENT_SUFFIXES, PLACEHOLDER, UNFINISHED, Header,
                                    ItemChecker, media_problem, reserved_slugs, split_header,
                                    too_large)
from newsdesk.content.problems import ERROR, NOTICE, WARNING, Problem, display_path
from newsdesk.content.text import nfc

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"}
# A phone photo is 2-6 MB; above this the upload is slow and the site will only shrink it.
IMAGE_MAX_BYTES = 10 * 1024 * 1024
# Pelican's own markers for a file of content/ ({tag}, {category}... name pages, not files).
FILE_MARKERS = ("{filename}", "{static}", "{attach}")
# Publish states: Pelican's statuses, plus an item withdrawn and one dated after today.
PUBLISHED, HIDDEN, DRAFT, WITHDRAWN, SCHEDULED = (
    "published", "hidden", "draft", "withdrawn", "scheduled")
UNREADABLE = "unreadable"  # not text in any encoding we know: no state, never published
_URL_SCHEME = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:", "ftp:")


@dataclass
class ReadContext:
    """What reading any item needs: settings, the vocabulary, today and content/."""

    settings: dict
    vocabulary: vocabulary.Vocabulary
    today: dt.date

    @classmethod
    def from_settings(cls, settings: dict, today: dt.date | None = None) -> "ReadContext":
        return cls(settings, vocabulary.for_settings(settings),
                   today or dates.today(settings.get("NEWSDESK_TODAY")))

    @cached_property
    def root(self) -> Path:
        return Path(self.settings["PATH"]).resolve()

    @cached_property
    def checker(self) -> ItemChecker:
        return ItemChecker(self.vocabulary, self.root, self.today,
                           reserved_slugs(self.settings, self.vocabulary))

    @cached_property
    def image_settings(self) -> images.ImageSettings:
        return images.ImageSettings.from_settings(self.settings)

    @cached_property
    def markdown(self) -> Markdown:
        """One converter per run, reset before each item (made anew it costs a tenth of a
        read: its extensions are set up each time)."""
        return Markdown(**self.settings["MARKDOWN"])

    @cached_property
    def cache(self) -> Path:
        return read_cache.folder(self.settings)

    @cached_property
    def body_shaping(self) -> str:
        """What shapes a body's HTML besides its text and file (see read_cache)."""
        return stable([str(self.root), self.own_host, self.settings["MARKDOWN"]])

    @cached_property
    def own_host(self) -> str:
        return urlsplit(self.settings.get("SITEURL", "")).netloc.lower()

    def is_page(self, path: Path) -> bool:
        page_roots = [self.root / p for p in self.settings.get("PAGE_PATHS", ["pages"])]
        return any(Path(path).resolve().is_relative_to(r) for r in page_roots)


@dataclass(frozen=True)
class LocalFile:
    """A file of content/ the item uses, as written and as resolved, with its line."""

    written: str
    path: Path
    line: int


@dataclass
class ItemReading:
    """Everything known about one Markdown file of content/ after reading it once."""

    path: Path
    decoded: legacy_encodings.Decoded | None = None  # as stored, before NFC (for --fix)
    text: str = ""  # NFC, "\n" line ends
    header: Header | None = None
    body_html: str = ""
    files: list[LocalFile] = field(default_factory=list)
    is_page: bool = False
    metadata: dict = field(default_factory=dict)
    state: str = PUBLISHED
    problems: list[Problem] = field(default_factory=list)
    probes: list[Path] = field(default_factory=list)  # names the body's links looked up
    previewable: bool = True  # a draft: whether a preview can show it despite its notes

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    def add(self, line: int, message: str, hint: str, severity: str = ERROR,
            code: str = "") -> None:
        self.problems.append(Problem(display_path(self.path), line, message, hint, severity,
                                     code=code))


def read_item(path: str | Path, context: ReadContext) -> ItemReading:
    """Read one Markdown file of content/ with every rule of the build; never raises on
    content (problems are in the result)."""
    reading = ItemReading(Path(path).resolve())
    text = _decode(reading, context.settings)
    if text is None:
        return reading
    reading.text = text
    reading.header = header = split_header(text)
    reading.is_page = context.is_page(reading.path)
    item = context.checker.check(reading.path, header, is_page=reading.is_page)
    reading.problems.extend(item.problems)
    reading.metadata = item.metadata
    reading.state = publish_state(item.metadata, context.today)
    _check_field_images(reading, context)
    _check_placeholders(reading)
    reading.body_html = _body_html(reading, context)
    _links_to_held_back(reading, context)
    if reading.state == DRAFT:
        draft_notes(reading)
    return reading


def _links_to_held_back(reading: ItemReading, context: ReadContext) -> None:
    """A link to an item that is not published (a draft, scheduled, withdrawn) is a warning;
    a public build keeps its text without the link, which would lead nowhere. After the
    cached body: the target's state changes with the day, not only with its file."""
    from newsdesk.content import publish_set  # it reads items with this module

    held_back = {}
    for used in reading.files:
        if used.path.suffix.lower() in CONTENT_SUFFIXES:
            state = header_state(used.path, context)[0]
            if not publish_set.publishes(state):
                held_back[used.written] = state
                reading.add(used.line, f"Liên kết tới bài chưa đăng "
                            f"({publish_set.STATE_LABELS[state]}): \"{used.written}\".",
                            "Trên trang công khai chữ của liên kết hiện ra không có liên kết. "
                            "Bỏ liên kết, hoặc đăng bài kia trước.", WARNING)
    if held_back and publish_set.public_build(context.settings):
        body = sanitize.parse(reading.body_html)
        for link in list(body.iter("a")):
            href = link.get("href", "")
            if href in held_back or href.removeprefix("{filename}") in held_back:
                link.drop_tag()
        reading.body_html = sanitize.serialize(body)


def header_state(path: Path, context: ReadContext) -> tuple[str, dict]:
    """The publish state and metadata of the item file at `path`, from its header alone
    (quick: no body); UNREADABLE for a file in no encoding we know."""
    decoded = legacy_encodings.decode(path.read_bytes())
    if decoded.encoding == "unknown":
        return UNREADABLE, {}
    header = split_header(nfc(unix_lines(decoded.text)))
    item = context.checker.check(path, header, is_page=context.is_page(path))
    return publish_state(item.metadata, context.today), item.metadata


def draft_notes(reading: ItemReading) -> None:
    """A draft's errors become notes for its writer: a draft never stops a build, a preview
    or a publish. A preview shows it when what is wrong is only text still to write."""
    errors = [p for p in reading.problems if p.severity == ERROR]
    needed = ("title",) if reading.is_page else ("title", "date", "type")
    reading.previewable = (all(p.code == UNFINISHED for p in errors)
                           and all(key in reading.metadata for key in needed))
    if not errors:
        return
    reading.problems = [replace(p, severity=NOTICE) if p.severity == ERROR else p
                        for p in reading.problems]
    shown = ("Xem trước vẫn hiện bài (có dấu Bản nháp)." if reading.previewable
             else "Bài chưa hiện khi xem trước cho tới khi sửa xong các ghi chú này.")
    reading.add(reading.header.line("status"), "Bản nháp còn chỗ cần sửa (các ghi chú của tệp "
                "này): không chặn việc dựng và đăng trang, bài nháp không được đăng. " + shown,
                "Sửa hết rồi mới xóa dòng Status: draft: khi bỏ dòng đó, mọi lỗi lại chặn việc "
                "đăng như mọi bài khác.", NOTICE)


def _check_placeholders(reading: ItemReading) -> None:
    """`invoke new`'s placeholder left in the body: unfinished text never goes public (the
    header's fields are judged by ItemChecker)."""
    header = reading.header
    for index, line in enumerate(header.body.split("\n")):
        if PLACEHOLDER in line:
            reading.add(header.body_line + index, f"Nội dung bài còn chữ {PLACEHOLDER}.",
                        f"Thay {PLACEHOLDER} và lời nhắc sau nó bằng nội dung bài viết.",
                        code=UNFINISHED)


def publish_state(metadata: dict, today: dt.date) -> str:
    """Draft, else scheduled (dated after today: not yet published), else the written status."""
    status = metadata.get("status", PUBLISHED)
    if status == DRAFT:
        return DRAFT
    return SCHEDULED if dates.not_yet(metadata.get("date"), today) else status


# -- bytes ---------------------------------------------------------------------------------
def _decode(reading: ItemReading, settings: dict) -> str | None:
    """The file's text (NFC, "\n" line ends), or None when it cannot be read at all."""
    if not stat.S_ISREG(os.stat(reading.path).st_mode):  # reading a FIFO would wait forever
        reading.add(0, "Đây không phải một tệp văn bản thường (mà là ống dẫn FIFO, tệp thiết bị "
                    "hay ổ cắm): tệp không được đọc.",
                    "Xóa nó khỏi thư mục content/, hoặc thay bằng một tệp .md thật.")
        return None
    oversized = too_large(reading.path, settings)
    if oversized:
        reading.problems.append(oversized)
        return None
    data = reading.path.read_bytes()
    reading.decoded = decoded = legacy_encodings.decode(data)
    if not decoded.is_utf8:
        line = _first_bad_line(data)
        if decoded.encoding == "unknown":
            reading.add(line, "Tệp không phải văn bản UTF-8 và không nhận ra bảng mã.",
                        "Mở tệp bằng trình soạn thảo, chọn Lưu thành (Save as) với bảng mã "
                        "UTF-8.")
            return None
        reading.add(line, f"Tệp không phải văn bản UTF-8: được lưu bằng bảng mã "
                    f"{decoded.label}.",
                    "Chạy: invoke check --fix (chuyển cả tệp sang Unicode UTF-8, giữ bản cũ "
                    f"trong {reading.path.name}.bak).")
    return nfc(unix_lines(decoded.text))


def unix_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1
    return 1


def first_line_with(text: str, needle: str) -> int:
    """Index of the first line of `text` holding `needle` (0 when none does)."""
    return next((i for i, line in enumerate(text.split("\n")) if needle and needle in line), 0)


# -- the body: one lxml pass, kept between runs ----------------------------------------------
def _body_html(reading: ItemReading, context: ReadContext) -> str:
    """The body as sanitized HTML, from the cache when nothing that shapes it changed."""
    header = reading.header
    key = read_cache.body_key(reading.path, header.body, header.body_line, context.body_shaping)
    entry = read_cache.load_body(context.cache, key, context.root)
    if entry is None:
        problems, files = len(reading.problems), len(reading.files)
        html = _convert_body(reading, context)
        if html is None:  # stopped at the time limit: a busy machine's verdict, not kept
            return ""
        entry = read_cache.BodyEntry(
            html, reading.problems[problems:],
            [(f.written, str(f.path), f.line) for f in reading.files[files:]],
            [(str(p), read_cache.file_state(p, context.root)) for p in reading.probes])
        read_cache.store_body(context.cache, key, entry)
        return html
    reading.problems.extend(entry.problems)
    reading.files.extend(LocalFile(written, Path(path), line)
                         for written, path, line in entry.files)
    return entry.html


def _convert_body(reading: ItemReading, context: ReadContext) -> str | None:
    header = reading.header
    try:
        html = markdown_limit.convert(header.body, context.markdown, context.settings)
    except markdown_limit.TooSlow:
        limit = markdown_limit.time_limit(context.settings)
        busiest = max(header.body.split("\n"), key=markdown_limit.risky_marks)
        reading.add(_line_in_body(reading, busiest), f"Nội dung bài quá phức tạp: chuyển thành trang không "
                    f"xong trong {limit:g} giây (thường do dán nhầm một dãy dài ký hiệu như "
                    "[ < & * _).",
                    "Tìm và bỏ dãy ký hiệu lặp lại trong nội dung bài rồi dựng lại; bài này "
                    "không được đăng cho tới khi sửa.")
        return None
    except markdown_limit.TooDeep:
        context.__dict__.pop("markdown", None)  # left half-way: the next item gets a new one
        reading.add(header.body_line + _deepest_line(header.body),
                    "Nội dung bài lồng nhau quá sâu (danh sách hoặc trích dẫn lồng quá nhiều "
                    "mức) từ dòng này.",
                    "Viết danh sách và trích dẫn lồng nhau tối đa vài mức.")
        return ""
    markup, removals = sanitize.clean(html)
    for removal in removals:
        line = _line_in_body(reading, removal.needle) or _line_in_body(reading, "<")
        if removal.as_text:
            reading.add(line, f"Thẻ HTML {removal} không được dùng trong bài: trang hiện nó "
                        "nguyên văn, như chữ.",
                        "Nếu muốn viết đúng chữ đó thì để nguyên; nếu không, bỏ thẻ đó và viết "
                        "bằng Markdown (xem hướng dẫn biên tập).", WARNING)
        else:
            reading.add(line, f"HTML không an toàn bị xóa khỏi bài khi dựng trang: {removal}.",
                        "Bỏ phần HTML đó khỏi tệp; viết bằng Markdown (xem hướng dẫn biên tập).",
                        WARNING)
    if not markup.strip():
        return markup
    body = sanitize.parse(markup)
    _as_browsers_read(reading, body)
    for element in body.iter(lxml.etree.Element):
        if element.tag == "img":
            _image_in_body(reading, element)
        elif element.tag == "a" and is_external(element.get("href", ""), context.own_host):
            rel = element.get("rel", "").split()
            if "noopener" not in rel:
                element.set("rel", " ".join([*rel, "noopener"]))
        for attr in ("href", "src"):
            if element.get(attr) is not None:
                _local_link(reading, context, element, attr)
    return sanitize.serialize(body)


def _as_browsers_read(reading: ItemReading, body) -> None:
    """URLs as a browser reads them: a backslash is a slash ("/\\evil.example" leads to
    //evil.example, another site); a picture from another site in a srcset is no more loaded
    than one in a src (the media plugin makes a remote src a link, with a warning)."""
    for element in body.iter(lxml.etree.Element):
        for attr in ("href", "src", "srcset"):
            if "\\" in element.get(attr, ""):
                element.set(attr, element.get(attr).replace("\\", "/"))
    for element in list(body.iter("img", "source")):
        remote = [url for url in _srcset_urls(element.get("srcset", "")) if _is_remote(url)]
        if not remote:
            continue
        src = element.get("src", "")
        if element.tag == "img" and (not src or _is_remote(src)):
            element.set("src", src or remote[0])  # one rule for every remote picture
        else:
            reading.add(_line_in_body(reading, remote[0]), *_remote_srcset(remote[0]), WARNING)
        if element.tag == "source":  # lxml's parser puts the <img> inside it: keep that
            picture = element.getparent()
            element.drop_tag()
            if picture.tag == "picture" and not picture.findall(".//source"):
                picture.drop_tag()  # its <img> alone, judged as any other
        else:
            element.attrib.pop("srcset")
            element.attrib.pop("sizes", None)


def _remote_srcset(url: str) -> tuple[str, str]:
    return (f"Ảnh \"{url}\" (trong srcset) lấy từ trang web khác nên không được dùng (trang "
            "web đó sẽ biết ai đang đọc bài); đã bỏ.",
            "Tải ảnh về, đặt cạnh tệp bài viết rồi ghi ![mô tả ảnh](ten-anh.jpg).")


def _srcset_urls(srcset: str) -> list[str]:
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.split()]


def _is_remote(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


def _deepest_line(body: str) -> int:
    """Index of the first line indented or quoted the most deeply."""
    depths = [len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" >"))
              for line in body.split("\n")]
    return depths.index(max(depths)) if depths else 0


def is_external(href: str, own_host: str) -> bool:
    """An absolute http(s) or protocol-relative URL to a host other than the site's."""
    lowered = href.strip().lower()
    if not lowered.startswith(("http://", "https://", "//")):
        return False
    return urlsplit(href.strip()).netloc.lower() != own_host


def _image_in_body(reading: ItemReading, element) -> None:
    """Pictures sit below the title and summary: load them only when scrolled to."""
    for name, value in (("loading", "lazy"), ("decoding", "async")):
        if element.get(name) is None:
            element.set(name, value)
    if not element.get("alt"):
        target = element.get("src", "")
        reading.add(_line_in_body(reading, target), f"Ảnh \"{target}\" trong bài thiếu mô tả.",
                    "Viết mô tả trong ngoặc vuông: ![Mô tả ngắn nội dung ảnh](ten-anh.jpg).",
                    WARNING)


def _line_in_body(reading: ItemReading, needle: str) -> int:
    return reading.header.body_line + first_line_with(reading.header.body, needle)


def _local_link(reading: ItemReading, context: ReadContext, element, attr: str) -> None:
    """Check a link or image to a file of content/; mark a relative one for Pelican
    ({filename} or {static}): it is relative to the Markdown file, as an editor's preview shows."""
    value = element.get(attr)
    marker = next((m for m in FILE_MARKERS if value.startswith(m)), "")
    if not value or value.lower().startswith(_URL_SCHEME) or value.startswith(("#", "//")):
        return
    if (value.startswith("{") and not marker) or (value.startswith("/") and not marker):
        return  # {tag}, {index}: Pelican's pages; "/dia-ban/": an address of the site
    written = unquote(value[len(marker):].split("#")[0].split("?")[0])
    if ":" in written.split("/")[0]:
        return  # another scheme (ftp:, sms:): not a file
    line = _line_in_body(reading, value)
    place = (context.root / written.lstrip("/") if written.startswith("/")
             else reading.path.parent / written)
    reading.probes.append(place)
    resolved = paths.inside_resolved(place, context.root)
    if resolved is None:
        label = "Ảnh" if attr == "src" else "Liên kết"
        reading.add(line, *paths.outside_message(label, written))
        return
    if not resolved.is_file():
        what = "bài" if resolved.suffix.lower() in CONTENT_SUFFIXES else "tệp"
        reading.add(line, f"Liên kết tới {what} không có: \"{value}\".",
                    "Sửa lại tên tệp cho đúng (cả chữ hoa, chữ thường), hoặc chép tệp vào "
                    "cùng thư mục với bài viết.")
        return
    if attr == "src" or resolved.suffix.lower() in IMAGE_SUFFIXES:
        problem = check_image(resolved, value, context)
    else:
        problem = media_problem(resolved)
        problem = problem and (f"Liên kết: tệp \"{written}\" {problem[0]}.", problem[1], ERROR)
    if problem:
        reading.add(line, *problem)
        if problem[2] == ERROR:
            return
    reading.files.append(LocalFile(value, resolved, line))
    if not marker:
        pelican_marker = "{filename}" if resolved.suffix.lower() in CONTENT_SUFFIXES else "{static}"
        element.set(attr, pelican_marker + value)


def _check_field_images(reading: ItemReading, context: ReadContext) -> None:
    """Header fields naming an image (Image:, Poster:...): the image pipeline's rule."""
    for key, value in reading.metadata.items():
        field_ = context.vocabulary.fields.get(key)
        if field_ and field_.kind == "file" and isinstance(value, str):
            path = context.root / value
            written = reading.header.values.get(key, value)
            if path.suffix.lower() in IMAGE_SUFFIXES:
                problem = check_image(path, written, context)
                if problem:
                    reading.add(reading.header.line(key), *problem)
            reading.files.append(LocalFile(written, path, reading.header.line(key)))


def check_image(path: Path, shown: str, context: ReadContext) -> tuple[str, str, str] | None:
    """The pipeline's own rule (newsdesk.media.images.validate), with its words; a heavy source is
    only a warning (the site shrinks it)."""
    fault = _image_fault(path, context)
    if fault:
        return (*images.fault_message(fault, shown), ERROR)
    size = path.stat().st_size
    if size > IMAGE_MAX_BYTES:
        return (f"Ảnh \"{shown}\" quá nặng: {numbers.size(size)}.",
                "Lưu lại ảnh dạng JPEG chất lượng 85%, hoặc thu nhỏ còn khoảng "
                "2000 điểm ảnh chiều rộng.", WARNING)
    return None


def _image_fault(path: Path, context: ReadContext) -> images.ImageFault | None:
    """images.validate (a full decode), kept by the file's path, size and mtime."""
    key = read_cache.image_key(path, stable(context.image_settings))
    found, verdict = read_cache.load_image(context.cache, key)
    if found:
        return verdict and images.ImageFault(path, *verdict)
    fault = images.validate(path, context.image_settings)
    read_cache.store_image(context.cache, key, fault and [fault.code, fault.detail])
    return fault

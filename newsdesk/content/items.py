"""The editors' content format: read a Markdown item's header and check it against the vocabulary.

Shared by the build (plugins/editor_markdown) and `invoke check`, so both report the same
problems with the same words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.numbers import format_decimal

from newsdesk.content import dates, paths
from newsdesk.media import audio, video
from newsdesk.content.problems import ERROR, NOTICE, WARNING, Problem, display_path
from newsdesk.content.text import nfc, slug
from newsdesk.content.vocabulary import Commune, Vocabulary, site_folders

_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,63}$")
CONTENT_SUFFIXES = (".md", ".markdown")  # what editors write items in
STATUSES = ("published", "draft", "hidden", "withdrawn")
# What `invoke new` writes where an editor must still fill in a value.
PLACEHOLDER = "[CẦN ĐIỀN]"
# The code of a problem that is only text still to write (a placeholder): a draft with no
# other error still previews.
UNFINISHED = "unfinished"
LIST_SEPARATOR = re.compile(r"[,;]")
# HTML in a header value: a tag (<script, </b) or an event-handler attribute (onerror=).
_HTML_TAG = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
# A picture named by a web address, in Markdown or HTML: a leaflet's PDF may not fetch it.
_REMOTE_PICTURE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^\s)>]+)"
                             r"|<img\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\s\"'>]+)", re.I)
_HTML_HANDLER = re.compile(r"\b(on[a-z]+)\s*=", re.I)
# Markdown files above this size are refused before parsing (a long news item is ~50 kB;
# Python-Markdown needs about a minute and lxml gives up on a 20 MB one).
MAX_ITEM_BYTES_SETTING = "NEWSDESK_MAX_ITEM_BYTES"
MAX_ITEM_BYTES = 2 * 1024 * 1024
# Longest title and summary, most tags: a headline is rarely over 150 characters, a summary is
# one or two sentences; far more is a paste by mistake, and each tag is a page of the site.
MAX_TITLE_LENGTH = 250
MAX_SUMMARY_LENGTH = 600
MAX_TAGS = 20
# The place of a page without an Order line in the list of pages: after every numbered one.
UNORDERED = 10**6
AUDIO_SUFFIXES = (".mp3", ".m4a", ".ogg")
VIDEO_HINT = ("Xuất lại video từ phần mềm dựng phim dưới dạng MP4 hoặc WebM (hoặc lưu phụ đề "
              "dạng WebVTT), chép vào cùng thư mục với bài viết rồi dựng lại.")
AUDIO_HINT = ("Xuất lại tệp từ phần mềm ghi âm dưới dạng MP3, M4A hoặc OGG, "
              "chép vào cùng thư mục với bài viết rồi dựng lại.")


def media_problem(path: Path) -> tuple[str, str] | None:
    """Why an audio, video or captions file cannot be published, judged by its bytes (reason,
    hint), or None; other files are not media and pass."""
    suffix = path.suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        try:
            audio.inspect(path)
        except audio.AudioError as error:
            return str(error), AUDIO_HINT
        return None
    reason = video.file_problem(path)
    return (reason, VIDEO_HINT) if reason else None


@dataclass
class Header:
    """The metadata lines of a Markdown file, each with the line it was written on."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    body: str = ""
    body_line: int = 1

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def split_header(text: str) -> Header:
    """Split `Key: value` lines (Python-Markdown's meta syntax) from the body."""
    header = Header()
    lines = text.split("\n")
    index, key = 0, None
    if lines and lines[0].strip() == "---":
        index = 1
    while index < len(lines):
        line = lines[index]
        if index and line.strip() in ("---", "...") and header.values:
            index += 1
            break
        if not line.strip():
            break
        more = _META_MORE.match(line)
        match = _META.match(line)
        if match:
            key = match["key"].lower()
            if key in header.values:
                header.duplicates.append((key, index + 1))
            else:
                header.values[key] = match["value"].strip()
                header.lines[key] = index + 1
        elif more and key:
            header.values[key] = f"{header.values[key]} {more['value'].strip()}".strip()
        else:
            break
        index += 1
    header.body = "\n".join(lines[index:])
    header.body_line = index + 1
    return header


@dataclass
class Item:
    """What the build needs of one item once its header is checked."""

    metadata: dict
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


class ItemChecker:
    """Check one item's header: types, communes, dates, files; collect every problem."""

    def __init__(self, vocabulary: Vocabulary, content_root: Path, today: dt.date,
                 reserved: frozenset[str] = frozenset()):
        self.vocabulary = vocabulary
        self.content_root = Path(content_root).resolve()
        self.today = today
        self.reserved = reserved  # first URL segments the site uses: not a page's slug

    def check(self, path: Path, header: Header, is_page: bool = False) -> Item:
        """Check an item (or, with is_page, a standalone page) and return its typed metadata."""
        path = Path(path).resolve()
        self._path, self._header, self._problems = path, header, []
        self._on = self._item_day(header)
        values = header.values
        for key, line in header.duplicates:
            self._warn(key, f"Trường {key.capitalize()} được viết hai lần; chỉ dòng đầu được dùng.",
                       "Xóa dòng thừa.", line=line)
        metadata = {"source_relpath": self._relpath(path)}
        if is_page:
            required, allowed = self.vocabulary.page_fields()
        else:
            type_key = metadata["type"] = self._type(values.get("type", ""))
            required, allowed = (self.vocabulary.type_fields(type_key) if type_key
                                 else (self.vocabulary.common_required,
                                       tuple(self.vocabulary.fields)))
        for key in required:
            if not values.get(key, "").strip():
                self._missing(key)
        if metadata.get("type") and not is_page:
            self._check_body(self.vocabulary.types[metadata["type"]])
        self._check_body_characters()
        for key, raw in values.items():
            if control_character(raw):
                self._control_character_problem(key, raw)
            elif key not in allowed:
                self._unknown_field(key, metadata.get("type"))
            elif raw.strip().startswith(PLACEHOLDER):
                self._unfinished(key, f"Chưa điền {self.vocabulary.fields[key].label} "
                            f"(dòng {key.capitalize()}: còn chữ {PLACEHOLDER}).",
                            f"Thay {PLACEHOLDER} và lời nhắc sau nó bằng nội dung thật. "
                            f"{self.vocabulary.fields[key].help}")
            elif raw.strip() and key != "type":  # the type was read first, above
                if self.vocabulary.fields[key].kind != "choice":  # a choice refuses it anyway
                    self._warn_html(key, raw)
                value = self._value(key, raw.strip())
                if value is not None:
                    metadata[key] = value
        self._cross_checks(metadata)
        metadata.setdefault("id", derived_id(metadata["source_relpath"]))
        metadata.setdefault("slug", slug(path.stem))
        if is_page:  # pages are listed by their order; one without it comes last
            metadata.setdefault("order", UNORDERED)
        if is_page and metadata["slug"] in self.reserved:
            self._reserved_slug(metadata["slug"])
        return Item(metadata, self._problems)

    # -- one field at a time -------------------------------------------------------------
    def _warn_html(self, key: str, raw: str) -> None:
        """Templates print every field as text (autoescape): say so when one holds HTML."""
        found = [f"thẻ <{name.lower()}>" for name in _HTML_TAG.findall(raw)]
        found += [f"thuộc tính {name.lower()}=" for name in _HTML_HANDLER.findall(raw)]
        if found:
            self._warn(key, f"{self.vocabulary.fields[key].label} (dòng {key.capitalize()}:) có mã "
                       f"HTML ({', '.join(dict.fromkeys(found))}): trang sẽ hiện đúng từng chữ "
                       "đã gõ, không coi là mã HTML.",
                       "Xóa phần mã HTML khỏi dòng này (các dòng đầu tệp không nhận định dạng); "
                       "muốn in đậm, chèn ảnh... thì viết trong phần nội dung, bằng Markdown.")

    def _value(self, key: str, raw: str):
        kind = self.vocabulary.fields[key].kind
        reader = getattr(self, f"_read_{kind}")
        return reader(key, raw)

    def _read_text(self, key, raw):
        return raw

    def _read_date(self, key, raw):
        try:
            value = dates.parse(raw)
            dates.check_year(value, self.today)
            return value
        except dates.DateError as error:
            self._error(key, str(error), "Sửa lại ngày, ví dụ: 26/11/2023 08:00.")

    def _read_commune(self, key, raw):
        return self._place(key, raw)

    def _read_communes(self, key, raw):
        places = [self._place(key, name.strip()) for name in LIST_SEPARATOR.split(raw)
                  if name.strip()]
        return [p for p in places if p]

    def _read_list(self, key, raw):
        """Names that each get a page (tags): one with no letter or digit would have no URL."""
        names = [t.strip() for t in LIST_SEPARATOR.split(raw) if t.strip()]
        empty = [name for name in names if not slug(name)]
        if empty:
            self._error(key, f"{self.vocabulary.fields[key].label}: \"{empty[0]}\" không có chữ "
                        "hay số nào nên không thành địa chỉ trang được.",
                        "Xóa mục đó hoặc viết bằng chữ; các mục cách nhau bằng dấu phẩy.")
        return [name for name in names if slug(name)]

    def _read_number(self, key, raw):
        if not raw.isascii() or not raw.isdigit():
            self._error(key, f"{self.vocabulary.fields[key].label} \"{raw}\" không phải một số.",
                        "Ghi một số nguyên: 1, 2, 3...")
            return None
        choices = self.vocabulary.fields[key].choices
        if choices and int(raw) not in choices:
            allowed = " hoặc ".join(str(c) for c in choices)
            self._error(key, f"{self.vocabulary.fields[key].label} \"{raw}\" không dùng được.",
                        f"Ghi {allowed}. {self.vocabulary.fields[key].help}")
            return None
        return int(raw)

    def _read_choice(self, key, raw):
        """One of the values the vocabulary lists (Lang:, Template:): they shape the page's
        path or its template, so nothing else may pass."""
        field_ = self.vocabulary.fields[key]
        if raw in field_.choices:
            return raw
        self._error(key, f"{field_.label} \"{raw}\" không dùng được.",
                    "Ghi " + " hoặc ".join(map(str, field_.choices)) + f". {field_.help}")
        return None

    def _read_audience(self, key, raw):
        audiences = self.vocabulary.audiences
        if raw in audiences:
            return raw
        self._error(key, f"{self.vocabulary.fields[key].label} \"{raw}\" không có trong danh sách.",
                    "Ghi một trong: " + ", ".join(f"{k} ({name})" for k, name in audiences.items())
                    + ".")
        return None

    def _read_handbook(self, key, raw):
        """A handbook's name: its key (which files share) is the name's slug."""
        if not slug(raw):
            self._error(key, f"{self.vocabulary.fields[key].label} \"{raw}\" không có chữ hay số "
                        "nào.", self.vocabulary.fields[key].help)
            return None
        return slug(raw)

    def _read_status(self, key, raw):
        status = raw.lower()
        if status not in STATUSES:
            self._error(key, f"Trạng thái \"{raw}\" không hợp lệ.",
                        "Ghi một trong: " + ", ".join(STATUSES) + ".")
            return None
        return status

    def _read_id(self, key, raw):
        if not _ID.match(raw):
            self._error(key, f"Mã bài \"{raw}\" không hợp lệ.",
                        "Mã bài chỉ gồm chữ không dấu, số và dấu gạch ngang (4–64 ký tự); "
                        "tốt nhất hãy để lệnh invoke new tạo mã.")
            return None
        return raw

    def _read_slug(self, key, raw):
        if raw != slug(raw):
            self._error(key, f"Đường dẫn \"{raw}\" có ký tự không được phép.",
                        f"Viết \"{slug(raw)}\" (chữ thường không dấu, số, dấu gạch ngang).")
            return None
        return raw

    def _read_url(self, key, raw):
        if not re.match(r"^https?://\S+$", raw):
            self._error(key, f"\"{raw}\" không phải địa chỉ web.",
                        "Địa chỉ phải bắt đầu bằng https:// hoặc http://.")
            return None
        return raw

    def _read_video(self, key, raw):
        """A YouTube address in any usual form, or a local .mp4/.webm file."""
        if re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
            found = video.youtube(raw)
            if not found:
                self._error(key, f"\"{raw}\" không phải địa chỉ video YouTube.",
                            "Chép địa chỉ từ nút Chia sẻ của YouTube (https://youtu.be/...), "
                            "hoặc ghi tên tệp video .mp4 / .webm đặt cạnh bài viết.")
            return found
        relpath = self._read_file(key, raw)
        if not relpath:
            return None
        captions = (self.content_root / relpath).with_suffix(".vtt")
        problem = media_problem(captions) if captions.is_file() else None
        if problem:  # found and shown beside the video though no header line names it
            self._error(key, f"{self.vocabulary.fields['captions'].label}: tệp "
                        f"\"{captions.name}\" {problem[0]}.", problem[1])
            return None
        return video.Video(file=relpath)

    def _read_file(self, key, raw):
        """A file next to the Markdown file (or `{static}/...`), inside content/."""
        name = raw.replace("{static}", "").replace("{attach}", "").strip()
        target = (self.content_root / name.lstrip("/") if name.startswith("/")
                  else self._path.parent / name).resolve()
        label = self.vocabulary.fields[key].label
        extensions = self.vocabulary.fields[key].extensions
        if paths.inside_resolved(target, self.content_root) is None:
            self._error(key, *paths.outside_message(label, raw))
            return None
        if extensions and target.suffix.lower().lstrip(".") not in extensions:
            self._error(key, f"{label}: tệp \"{raw}\" không đúng loại.",
                        "Dùng tệp có đuôi: " + ", ".join(extensions) + ".")
            return None
        target = _same_name_on_disk(target)
        if not target.is_file():
            self._error(key, f"{label}: không tìm thấy tệp \"{raw}\".",
                        f"Chép tệp vào thư mục {self._relpath(target.parent)}/ "
                        "hoặc sửa lại tên tệp (đúng cả chữ hoa, chữ thường).")
            return None
        problem = media_problem(target) if self.vocabulary.fields[key].kind != "audio" else None
        if problem:  # audio is read once more by _read_audio, for its duration
            self._error(key, f"{label}: tệp \"{raw}\" {problem[0]}.", problem[1])
            return None
        return self._relpath(target)

    def _read_audio(self, key, raw):
        """A file kind (next to the Markdown file) that mutagen must read as MP3, M4A or OGG."""
        relpath = self._read_file(key, raw)
        if relpath is None:
            return None
        try:
            audio.inspect(self.content_root / relpath)
        except audio.AudioError as error:
            self._error(key, f"{self.vocabulary.fields[key].label}: tệp \"{raw}\" {error}.",
                        AUDIO_HINT)
            return None
        return relpath

    # -- helpers ---------------------------------------------------------------------------
    def _type(self, raw: str) -> str | None:
        key = raw.strip().lower() or self.vocabulary.default_type
        if key in self.vocabulary.types:
            return key
        suggestion = self.vocabulary.suggest_type(key)
        hint = (f"Có phải \"{suggestion}\"? " if suggestion else "") + \
            "Các loại: " + ", ".join(self.vocabulary.types) + "."
        self._error("type", f"Loại nội dung \"{raw}\" không có.", hint)
        return None

    def _item_day(self, header: Header):
        """The item's own date (for names two units held in turn), else today."""
        try:
            return dates.parse(header.values.get("date", "")).date()
        except dates.DateError:
            return self.today

    def _place(self, key: str, name: str) -> Commune | None:
        place = self.vocabulary.find_place(name, on=self._on)
        if place:
            return place
        suggestion = self.vocabulary.suggest_place(name)
        hint = (f"Có phải \"{suggestion}\"? " if suggestion else "") + \
            "Xem danh sách xã trong data/vocabulary.toml, hoặc ghi \"Toàn huyện\"."
        self._error(key, f"Không có xã / thị trấn \"{name}\" trong danh sách.", hint)
        return None

    def _check_body(self, ctype) -> None:
        if ctype.body_required and not self._header.body.strip():
            self._error("body", f"{ctype.name} cần phần nội dung bằng chữ ngay sau các dòng đầu tệp.",
                        "Sau một dòng trống, chép toàn bộ chữ trong ảnh (các số liệu, các bước) "
                        "để người khiếm thị, máy đọc và ô tìm kiếm đọc được.",
                        line=self._header.body_line)
        if ctype.printed:
            self._check_local_pictures(ctype)
            if self._header.values.get("fold", "").strip() == "3" and not self._header.body.strip():
                self._error("fold", "Tờ gấp ba cần phần nội dung: mặt trong in nội dung bài qua "
                            "ba cột, không để trống cột nào.",
                            "Sau một dòng trống, viết nội dung tờ rơi (vài đoạn hoặc danh sách); "
                            "tờ chỉ có vài dòng thì bỏ dòng Fold để in một mặt A4.")

    def _check_local_pictures(self, ctype) -> None:
        for index, line in enumerate(self._header.body.split("\n")):
            for match in _REMOTE_PICTURE.finditer(line):
                self._error("body", f"{ctype.name} được in ra PDF nên không lấy ảnh từ địa chỉ web "
                            f"({match[1] or match[2]}).",
                            "Tải ảnh về, đặt tệp cạnh tệp bài viết rồi ghi tên tệp, ví dụ: "
                            "![Mô tả ảnh](anh/ten-anh.jpg).",
                            line=self._header.body_line + index)

    def _check_body_characters(self) -> None:
        """Feeds and pages are XML: a control character in the body would stop the build."""
        for index, line in enumerate(self._header.body.split("\n")):
            found = control_character(line)
            if found:
                self._error("body", f"Nội dung bài có ký tự điều khiển không nhìn thấy "
                            f"(U+{ord(found):04X}).",
                            "Gõ lại dòng này trong trình soạn thảo (ký tự lạ thường do chép từ "
                            "phần mềm khác sang).", line=self._header.body_line + index)
                return

    def _control_character_problem(self, key: str, raw: str) -> None:
        found = control_character(raw)
        self._error(key, f"Dòng {key.capitalize()} có ký tự điều khiển không nhìn thấy "
                    f"(U+{ord(found):04X}).",
                    "Gõ lại dòng này trong trình soạn thảo (ký tự lạ thường do chép từ phần mềm "
                    "khác sang).")

    def _reserved_slug(self, value: str) -> None:
        written = "slug" in self._header.values
        self._error("slug", f"Đường dẫn \"{value}\" trùng với một mục của trang web "
                    f"(/{value}/).",
                    ("Đổi dòng Slug" if written else "Thêm dòng \"Slug: ...\" hoặc đổi tên tệp")
                    + " sang một tên khác: địa chỉ này đã là một mục của trang web.")

    def _missing(self, key: str) -> None:
        field_ = self.vocabulary.fields[key]
        line = self._header.lines.get(key, 1)
        self._error(key, f"Thiếu {field_.label} (dòng {key.capitalize()}:).",
                    f"Thêm dòng \"{key.capitalize()}: ...\" ở đầu tệp. {field_.help}", line=line)

    def _unknown_field(self, key: str, type_key: str | None) -> None:
        if key in self.vocabulary.fields:
            owner = f"loại \"{type_key}\"" if type_key else "trang riêng"
            self._warn(key, f"Trường {key.capitalize()} không dùng cho {owner}; "
                       "giá trị bị bỏ qua.", "Xóa dòng này hoặc đổi Type.")
        elif meant := self.vocabulary.suggest_field(key):  # its value would be lost unseen
            self._error(key, f"Trường \"{key.capitalize()}\" không có trong mẫu bài: có phải "
                        f"\"{meant.capitalize()}\"?",
                        f"Sửa tên trường thành \"{meant.capitalize()}:\" "
                        f"({self.vocabulary.fields[meant].label}).")
        else:
            self._warn(key, f"Trường \"{key}\" không có trong mẫu bài.",
                       "Kiểm tra chính tả tên trường (xem docs/huong-dan-bien-tap.md).")

    def _check_sizes(self, metadata: dict) -> None:
        """A title, a summary or a list of tags so long that it is surely a paste."""
        for key, limit in (("title", MAX_TITLE_LENGTH), ("summary", MAX_SUMMARY_LENGTH)):
            length = len(metadata.get(key) or "")
            if length > limit:
                self._error(key, f"{self.vocabulary.fields[key].label} dài {length} ký tự, quá "
                            f"giới hạn {limit} ký tự.",
                            "Viết ngắn gọn lại; phần chi tiết để trong nội dung bài.")
        tags = metadata.get("tags") or []
        if len(tags) > MAX_TAGS:
            self._error("tags", f"Có {len(tags)} từ khóa, quá giới hạn {MAX_TAGS} từ khóa một "
                        "bài (mỗi từ khóa là một trang của trang web).",
                        "Chỉ giữ vài từ khóa chính, cách nhau bằng dấu phẩy.")

    def _cross_checks(self, metadata: dict) -> None:
        self._check_sizes(metadata)
        if metadata.get("image") and not metadata.get("alt"):
            self._error("alt", "Có ảnh bìa nhưng thiếu mô tả ảnh (Alt).",
                        "Thêm dòng \"Alt: ...\" mô tả ngắn nội dung ảnh cho người khiếm thị.",
                        line=self._header.line("image"))
        for present, absent in (("correction", "corrected"), ("corrected", "correction")):
            if metadata.get(present) and not self._header.values.get(absent):
                self._error(absent, f"Có dòng {present.capitalize()} nhưng thiếu dòng "
                            f"{absent.capitalize()} ({self.vocabulary.fields[absent].label}).",
                            f"Thêm dòng \"{absent.capitalize()}: ...\". "
                            f"{self.vocabulary.fields[absent].help}",
                            line=self._header.line(present))
        self._check_conference_times(metadata)
        self._check_handbook_parts(metadata)
        when = metadata.get("date")
        places = [metadata.get("category"), *metadata.get("communes", [])]
        for place in filter(None, places):
            successor = self.vocabulary.successor_of(place)
            if successor and when and when.date() >= place.merged_on:
                self._warn("category", f"{place.full_name} đã sáp nhập vào {successor.full_name} "
                           f"từ {dates.short_date(place.merged_on)}, trước ngày của bài.",
                           f"Ghi \"{successor.name}\" thay cho \"{place.name}\".")
        if metadata.get("category") and metadata.get("communes"):
            metadata["communes"] = [c for c in dict.fromkeys(metadata["communes"])
                                    if c != metadata["category"]]
        if dates.not_yet(when, self.today):
            self._add(NOTICE, "date", f"Bài hẹn giờ đăng ngày {dates.short_date(when)}; "
                      "chưa được đăng trước ngày đó.",
                      "Không cần làm gì: bài tự lên trang ở lần dựng đầu tiên từ ngày đó. "
                      "Muốn đăng ngay thì sửa Date về hôm nay.")

    def _check_conference_times(self, metadata: dict) -> None:
        start, end = metadata.get("start"), metadata.get("end")
        if start and end and end < start:
            self._error("end", f"Hội nghị kết thúc ({dates.short_date(end)} "
                        f"{dates.time_of_day(end)}) trước khi bắt đầu "
                        f"({dates.short_date(start)} {dates.time_of_day(start)}).",
                        "Sửa lại dòng Start hoặc End: End phải sau Start.")

    def _check_handbook_parts(self, metadata: dict) -> None:
        """A chapter names its handbook and its number, always both."""
        if metadata.get("handbook"):
            metadata["handbook_title"] = self._header.values["handbook"].strip()
        for present, absent in (("chapter", "handbook"), ("handbook", "chapter")):
            if present in metadata and not self._header.values.get(absent, "").strip():
                self._error(absent, f"Có dòng {present.capitalize()} nhưng thiếu dòng "
                            f"{absent.capitalize()} ({self.vocabulary.fields[absent].label}).",
                            f"Thêm dòng \"{absent.capitalize()}: ...\", hoặc xóa dòng "
                            f"{present.capitalize()} nếu cẩm nang chỉ có một tệp. "
                            f"{self.vocabulary.fields[absent].help}",
                            line=self._header.line(present))

    def _relpath(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.content_root).as_posix()
        except ValueError:
            return str(path)

    def _error(self, key, message, hint, line=None):
        self._add(ERROR, key, message, hint, line)

    def _warn(self, key, message, hint, line=None):
        self._add(WARNING, key, message, hint, line)

    def _unfinished(self, key, message, hint):
        self._problems.append(Problem(self._display(), self._header.line(key), message, hint,
                                      ERROR, key, UNFINISHED))

    def _add(self, severity, key, message, hint, line=None):
        line = line or self._header.line(key)
        self._problems.append(Problem(self._display(), line, message, hint, severity, key))

    def _display(self) -> str:
        return display_path(self._path)


def _same_name_on_disk(target: Path) -> Path:
    """The file as stored, when its name is in another Unicode form (macOS saves NFD) than the
    NFC name the editor's header holds once read."""
    if target.is_file() or not target.parent.is_dir():
        return target
    wanted = nfc(target.name)
    return next((p for p in target.parent.iterdir() if nfc(p.name) == wanted), target)


# The bidirectional embeddings, overrides and isolates: they show text in another order than
# it is stored ("U+202E" turns a title around).
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) but the tab, and the
# bidi controls; one regex search instead of a category lookup per character of every body line.
_CONTROL = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def control_character(text: str) -> str:
    """The first control character (NUL, ESC, U+202E...) in `text`, tabs aside; "" when none."""
    found = _CONTROL.search(text)
    return found.group() if found else ""


def reserved_slugs(settings: dict, vocabulary: Vocabulary) -> frozenset[str]:
    """First URL segments the site itself uses (sections, tags, archives, drafts, types):
    a page at `/<slug>/` must not take one."""
    return site_folders(settings) | {*vocabulary.types, vocabulary.district_wide.url.split("/")[0]}


def too_large(path: Path, settings: dict) -> Problem | None:
    """A Markdown file over the size limit, refused before it is read."""
    limit = int(settings.get(MAX_ITEM_BYTES_SETTING) or MAX_ITEM_BYTES)
    size = os.stat(path).st_size
    if size <= limit:
        return None
    return Problem(display_path(path), 1, f"Tệp quá lớn: {_size(size)}, giới hạn là "
                   f"{_size(limit)}; tệp không được đọc.",
                   "Một bài viết chỉ cần vài chục kB: bỏ phần chép thừa, tách thành nhiều bài, "
                   "hoặc đưa bảng số liệu dài vào tệp đính kèm (PDF, XLSX).", ERROR)


def _size(size: int) -> str:
    """A file size the Vietnamese way: "20,5 MB", "1.000 kB"."""
    if size >= 1024 * 1024:
        return format_decimal(size / 1024 / 1024, format="#,##0.#", locale="vi") + " MB"
    return format_decimal(size / 1024, format="#,##0.#", locale="vi") + " kB"


def derived_id(relpath: str) -> str:
    """Identity of an item without an `ID:` line: a hash of its path inside content/."""
    return "f-" + hashlib.sha1(nfc(relpath).encode()).hexdigest()[:12]


def new_id(title: str, when: dt.datetime) -> str:
    """A fresh identity for `invoke new`: the date and a short hash of the title."""
    digest = hashlib.sha1(f"{when.isoformat()} {nfc(title)}".encode()).hexdigest()[:6]
    return f"{when:%Y%m%d}-{digest}"

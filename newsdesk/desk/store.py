"""Items as the desk sees them: the Markdown files of content/, read and written with the
project's own rules, and their state in the desk's workflow.

- `item_path` contains every item id a browser sends (commune folder, then file, in the
  build's slug alphabet; resolved inside content/ as the build resolves files);
- `read`/`compose` turn a file into header values and body and back (one line a value, so a
  form field can never add a header line);
- `write` saves under one lock and commits with the account as author
  (newsdesk.editors.history.save), refusing a save made on an older revision;
- `save_photo` keeps an upload only when the image pipeline would take it;
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, g
from pelican.settings import read_settings

from newsdesk.content import legacy_encodings, paths, vocabulary
from newsdesk.content.item_reader import IMAGE_SUFFIXES, ReadContext, unix_lines
from newsdesk.content.items import split_header
from newsdesk.content.problems import Problem
from newsdesk.content.text import nfc, slug
from newsdesk.editors import check, history
from newsdesk.editors.newitem import field_line
from newsdesk.media import images

ITEM_ID = re.compile(r"[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)+")
DRAFT, SENT, APPROVED, PUBLISHED, RETURNED = "nhap", "cho-duyet", "da-duyet", "da-dang", "tra-lai"
STATES = {DRAFT: "Nháp", SENT: "Chờ duyệt", RETURNED: "Trả lại", APPROVED: "Đã duyệt",
          PUBLISHED: "Đã đăng"}
# Fields the desk fills itself or shows elsewhere (the photo), never as a plain text box.
NOT_IN_FORM = ("title", "date", "category", "type", "id", "slug", "status", "modified", "lang",
               "correction", "corrected", "personal-data-ok", "image", "alt")
PHOTO_FOLDER = "anh"
# Markup in a file that claims to be a photo: an SVG, an HTML page or a polyglot.
MARKUP = re.compile(rb"<\s*(?:svg|html|script|body|iframe|\?xml|!doctype)", re.IGNORECASE)
WRITE_LOCK = threading.Lock()  # one save, review or restore at a time (and one git commit)


class Refused(Exception):
    """What the desk will not do, in Vietnamese, with the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Item:
    id: str
    path: Path
    values: dict[str, str] = field(default_factory=dict)
    body: str = ""
    revision: str = ""

    @property
    def folder_commune(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def is_draft(self) -> bool:
        return self.values.get("status", "").strip().lower() == "draft"


def content() -> Path:
    return current_app.config["DESK_CONTENT"]


def vocab() -> vocabulary.Vocabulary:
    return vocabulary.for_settings(site_settings())


def site_settings() -> dict:
    """The build's settings for the desk's content (read once a request)."""
    if "site_settings" not in g:
        config = current_app.config
        g.site_settings = read_settings(str(config["DESK_SETTINGS"]),
                                        override=dict(config["DESK_OVERRIDES"]))
    return g.site_settings


def item_path(item_id: str) -> Path:
    """The file of `item_id` ("dong-no/trao-bo"), contained in a commune's folder of content/;
    anything else is "no such item", whatever was sent."""
    root = content()
    if not ITEM_ID.fullmatch(item_id or "") or vocab().commune_by_slug(
            item_id.split("/", 1)[0]) is None:
        raise Refused("Không có bài này.", 404)
    path = root / f"{item_id}.md"
    resolved = paths.inside_content(path, root)
    if resolved is None or not resolved.is_file():
        raise Refused("Không có bài này.", 404)
    return path


def item_id_of(path: Path) -> str:
    return path.resolve().relative_to(content().resolve()).with_suffix("").as_posix()


def revision(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:20] if path.is_file() else ""


def read(item_id: str) -> Item:
    path = item_path(item_id)
    text = nfc(unix_lines(legacy_encodings.decode(path.read_bytes()).text))
    header = split_header(text)
    return Item(item_id, path, dict(header.values), header.body.strip("\n"), revision(path))


def compose(values: dict[str, str], body: str) -> str:
    """The file's text: one `Key: value` line a value (line breaks in a value become spaces,
    so no form field can add a header line), a blank line, the body."""
    lines = []
    for key, value in values.items():
        value = " ".join(nfc(str(value)).split())
        if value:
            lines.append(f"{field_line(key)}: {value}")
    return "\n".join(lines) + "\n\n" + nfc(unix_lines(body)).strip("\n") + "\n"


def all_items() -> list[Item]:
    """Every item under a commune's folder (pages are not the desk's), read for the list."""
    root, places = content().resolve(), {place.slug for place in vocab().places}
    found = []
    for path in check.content_files(root):
        item_id = path.relative_to(root).with_suffix("").as_posix()
        if ITEM_ID.fullmatch(item_id) and item_id.split("/", 1)[0] in places:
            try:
                found.append(read(item_id))
            except (Refused, OSError):
                continue
    return found


def last_saver(path: Path) -> str:
    try:
        return history.history(path, current_app.config["DESK_ROOT"])[0].who
    except history.HistoryError:
        return ""


def check_base(item: Item, base: str) -> None:
    """Refuse a save made from an older revision than the file's, naming who saved since."""
    current = revision(item.path)
    if current != base:
        who = last_saver(item.path) if current else ""
        raise Refused(
            f"Chưa lưu: {who or 'một người khác'} vừa lưu bài này trong lúc bạn sửa. Chữ bạn "
            "gõ vẫn còn dưới đây: chép phần của bạn ra, mở lại bài để xem bản mới, rồi "
            "thêm phần của bạn vào.", 409)


def write(item: Item, text: str, base: str, message: str, author: str,
          extra: tuple[Path, ...] = ()) -> None:
    """Write and commit the item, unless someone saved it since `base` (the revision the
    form was made from); the caller holds WRITE_LOCK."""
    check_base(item, base)
    item.path.parent.mkdir(parents=True, exist_ok=True)
    item.path.write_text(text, encoding="utf-8", newline="\n")
    try:
        history.save(message, current_app.config["DESK_ROOT"], author=author,
                     only=(item.path, *extra))
    except history.HistoryError as error:
        raise Refused(str(error), 500) from None


def problems(path: Path) -> list[Problem]:
    """What `invoke check` says of the item as it would be once approved. (A draft's errors
    are only notes to the build, so that a draft never blocks a publish; the desk sends and
    approves only what would pass as published.) Checked as a hidden copy beside it whose
    `Status: draft` line says published: the same lines, the same files around it."""
    config = current_app.config
    lines = path.read_text(encoding="utf-8").split("\n")
    status = split_header("\n".join(lines)).lines.get("status")
    if status:
        lines[status - 1] = "Status: published"
    copy = path.parent / f".#kiem-tra-{secrets.token_hex(8)}.md"
    try:
        copy.write_text("\n".join(lines), encoding="utf-8")
        return check.check_file(copy, config["DESK_SETTINGS"], config["DESK_OVERRIDES"])
    finally:
        copy.unlink(missing_ok=True)


def save_photo(upload, folder: Path) -> Path:
    """Keep an uploaded photo in `folder`/anh/ when the image pipeline would take it; refuse
    a file that is not the photo its name says (an SVG, a web page, a polyglot) by its bytes."""
    name = upload.filename or ""
    suffix = Path(name).suffix.lower()
    shown = Path(name).name or "ảnh"
    if suffix not in IMAGE_SUFFIXES - {".gif"}:
        raise Refused(f"Tệp \"{shown}\" không phải ảnh JPEG, PNG, WebP hay HEIC. Chọn ảnh "
                      "chụp (.jpg) hoặc ảnh .png.")
    stem = slug(Path(name).stem, 60) or "anh"
    target_folder = folder / PHOTO_FOLDER
    if paths.inside_content(target_folder, content()) is None:
        raise Refused("Thư mục ảnh nằm ngoài content/.", 400)
    target_folder.mkdir(parents=True, exist_ok=True)
    staging = target_folder / f".#tai-len-{secrets.token_hex(8)}{suffix}"
    try:
        upload.save(staging)
        data = staging.read_bytes()
        fault = images.validate(staging, ReadContext.from_settings(site_settings())
                                .image_settings)
        if fault is None and MARKUP.search(data):
            fault = images.ImageFault(staging, "not-image")
        if fault:
            message, hint = images.fault_message(fault, shown)
            raise Refused(f"{message} {hint}")
        target = target_folder / f"{stem}{suffix}"
        number = 1
        while target.exists() and target.read_bytes() != data:
            number += 1
            target = target_folder / f"{stem}-{number}{suffix}"
        staging.replace(target)
        return target
    finally:
        staging.unlink(missing_ok=True)

"""`invoke new`: start an item with every field its type needs, in the right folder.

The file goes to content/<commune-slug>/<slug-of-title>.md. Values the command knows (title,
date, commune, type, ID) are filled in; every other required field gets the placeholder
`[CẦN ĐIỀN]` followed by what to write, which `invoke check` and the build report as an error
until it is replaced. Optional fields are listed in an HTML comment at the end of the body
(comments never reach the page: the sanitizer drops them), ready to be moved up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from newsdesk import project
from newsdesk.content import dates, vocabulary
from newsdesk.content.items import MAX_TITLE_LENGTH, PLACEHOLDER, new_id, split_header
from newsdesk.content.problems import display_path
from newsdesk.content.text import nfc, slug

FILLED_BY_COMMAND = ("title", "date", "category", "type", "id")
BODY_PROMPT = f"{PLACEHOLDER} Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống."
# The file name's slug: short enough for any file system (255 bytes) and still readable.
MAX_SLUG_LENGTH = 80


class NewItemError(Exception):
    """The item cannot be created; the message (Vietnamese) says why and what to do."""


@dataclass(frozen=True)
class NewItem:
    path: Path
    text: str
    note: str = ""  # what the editor should know: the address was changed to be unique


SPELLINGS = {"id": "ID"}


def field_line(key: str) -> str:
    """How a field's name is written at the top of a file: `Title`, `ID`, `Personal-Data-Ok`."""
    return SPELLINGS.get(key) or "-".join(part.capitalize() for part in key.split("-"))


def plan(title: str, type_key: str, commune: str, content_root: Path,
         vocab: vocabulary.Vocabulary, now: dt.datetime | None = None) -> NewItem:
    """The file `invoke new` would write; raises NewItemError for a wrong type or commune."""
    title = nfc(" ".join(title.split()))
    if not slug(title):
        raise NewItemError("Tiêu đề trống hoặc không có chữ nào. "
                           "Ví dụ: invoke new \"Hộ nghèo Đồng Nơ thoát nghèo\"")
    if len(title) > MAX_TITLE_LENGTH:
        raise NewItemError(f"Tiêu đề dài {len(title)} ký tự, quá giới hạn {MAX_TITLE_LENGTH} "
                           "ký tự. Viết tiêu đề ngắn gọn (thường dưới 150 ký tự); phần còn lại "
                           "đưa vào nội dung bài.")
    ctype = _type(type_key, vocab)
    now = (now or dt.datetime.now(dates.TIMEZONE)).astimezone(dates.TIMEZONE)
    place = _place(commune, vocab, now.date())
    path = Path(content_root) / place.slug / f"{slug(title, MAX_SLUG_LENGTH)}.md"
    path, note = _unique_address(path, ctype.key, place, Path(content_root), vocab)
    required, allowed = vocab.type_fields(ctype.key)
    known = {"title": title, "date": now.strftime("%d/%m/%Y %H:%M"), "category": place.name,
             "type": ctype.key,  # one title in two communes at once: two identities
             "id": new_id(f"{title} {place.slug}", now)}
    lines = [f"{field_line(key)}: {known[key]}" for key in FILLED_BY_COMMAND]
    lines += [f"{field_line(key)}: {PLACEHOLDER} {vocab.fields[key].help}"
              for key in required if key not in FILLED_BY_COMMAND]
    optional = [key for key in dict.fromkeys(allowed)
                if key not in required and key not in FILLED_BY_COMMAND]
    hints = [f"{field_line(key)}: ({vocab.fields[key].help})" for key in optional]
    text = "\n".join(lines) + "\n\n" + BODY_PROMPT + "\n\n" + _optional_comment(hints)
    return NewItem(path, text, note)


def _unique_address(path: Path, type_key: str, place: vocabulary.Commune, content_root: Path,
                    vocab: vocabulary.Vocabulary) -> tuple[Path, str]:
    """`path`, or a name with the commune's slug added when an item of another folder already
    has this address (ARTICLE_URL: type and slug), with a note naming that item: the build
    would otherwise refuse the two files later."""
    taken = _addresses(content_root, vocab)
    other = taken.get((type_key, path.stem))
    if other is None or other == path:
        return path, ""  # a file of the same name in the same folder: create() refuses it
    stems = (f"{path.stem}-{place.slug}", *(f"{path.stem}-{place.slug}-{n}" for n in range(2, 100)))
    stem = next(s for s in stems if (type_key, s) not in taken and not path.with_stem(s).exists())
    return path.with_stem(stem), (
        f"Tiêu đề này đã được dùng ở {display_path(other)} (cùng địa chỉ /{type_key}/"
        f"{path.stem}/), nên bài mới lấy địa chỉ /{type_key}/{stem}/ (tệp {stem}.md).")


def _addresses(content_root: Path, vocab: vocabulary.Vocabulary) -> dict[tuple[str, str], Path]:
    """(type, slug) of every item under content/, as its header says (Slug:, Type:) or its
    file name; pages have addresses of their own."""
    from newsdesk.editors.check import content_files  # check imports the whole reader

    pages = content_root / "pages"
    found = {}
    for path in content_files(content_root):
        if path.is_relative_to(pages):
            continue
        values = split_header(path.read_text(encoding="utf-8", errors="replace")).values
        key = values.get("type", "").strip().lower() or vocab.default_type
        found.setdefault((key, values.get("slug", "").strip() or slug(path.stem)), path)
    return found


def create(title: str, type_key: str, commune: str, content_root: Path = project.CONTENT,
           vocab: vocabulary.Vocabulary | None = None, now: dt.datetime | None = None) -> Path:
    """Write the new item; never overwrite an existing file."""
    return write(plan(title, type_key, commune, content_root, vocab or vocabulary.load(), now)).path


def write(item: NewItem) -> NewItem:
    """Write a planned item; never overwrite an existing file."""
    item.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with item.path.open("x", encoding="utf-8") as handle:
            handle.write(item.text)
    except FileExistsError:
        raise NewItemError(f"Đã có tệp {display_path(item.path)}: lệnh không ghi đè bài có sẵn. Mở tệp đó để "
                           "sửa, hoặc đặt tiêu đề khác.") from None
    return item


def _type(type_key: str, vocab: vocabulary.Vocabulary) -> vocabulary.ContentType:
    key = (type_key or vocab.default_type).strip().lower()
    if key in vocab.types:
        return vocab.types[key]
    suggestion = vocab.suggest_type(key)
    hint = f" Có phải \"{suggestion}\"?" if suggestion else ""
    raise NewItemError(f"Không có loại nội dung \"{type_key}\".{hint} "
                       "Các loại: " + ", ".join(vocab.types) + ".")


def _place(name: str, vocab: vocabulary.Vocabulary, on: dt.date) -> vocabulary.Commune:
    place = vocab.find_place(name or vocab.district_wide.name, on=on)
    if place:
        return place
    suggestion = vocab.suggest_place(name)
    hint = f" Có phải \"{suggestion}\"?" if suggestion else ""
    raise NewItemError(f"Không có xã / thị trấn \"{name}\" trong danh sách.{hint} "
                       "Các địa bàn: " + ", ".join(p.name for p in vocab.places) + ".")


def _optional_comment(hints: list[str]) -> str:
    return ("<!--\nCác dòng có thể thêm ở đầu tệp (chép lên trên, ngay dưới dòng ID, rồi điền):\n"
            + "\n".join(hints) + "\n-->\n")

"""Two items must not share an identity (`ID:`) or an address: the one rule shared by the
build (plugins/content_checks) and `invoke check`.

Pelican would silently overwrite one page with the other, or crash; two titles whose slugs
collide ("Minh Đức" / "Minh Dục" -> minh-duc) land here as the same address.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from newsdesk.content.problems import ERROR, Problem, display_path


@dataclass(frozen=True)
class Entry:
    """What the rule needs of one item: its file, its identity and the file it is written to."""

    path: str  # absolute source path
    relpath: str  # as an editor names it, relative to content/
    uid: str
    save_as: str


RULES = (
    ("uid", "Mã bài (ID)", "Mỗi bài một mã riêng: xóa dòng ID của bài chép lại, "
                           "rồi chạy invoke check --fix để tạo mã mới."),
    ("save_as", "Đường dẫn", "Đổi tên tệp của một bài, hoặc ghi Slug: khác cho nó."),
)


def duplicates(entries: list[Entry]) -> list[Problem]:
    """One error per file for every identity or address that several files share."""
    problems = []
    for attribute, label, hint in RULES:
        owners: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            value = getattr(entry, attribute)
            if value:
                owners[value].append(entry)
        for value, sharing in owners.items():
            if len(sharing) < 2:
                continue
            names = ", ".join(sorted(e.relpath for e in sharing))
            for entry in sharing:
                problems.append(Problem(display_path(entry.path), 1,
                                        f"{label} \"{value}\" trùng nhau giữa các tệp: {names}.",
                                        hint, ERROR, attribute))
    return problems

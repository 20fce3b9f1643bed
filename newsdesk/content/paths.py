"""One containment rule for every local file an item uses: resolved with symlinks followed,
it must lie inside content/.

The item reader (newsdesk/content/item_reader.py, behind both the build and `invoke check`)
and the media code (plugins/media, newsdesk/media/audio.py and newsdesk/media/video.py through
newsdesk/content/items.py) ask `inside_content()` (or `inside_resolved()`, when they hold
content/ resolved once for the build), and all word a refusal with `outside_message()`, so a
file is refused the same way everywhere.
`escaping_symlinks()` lists the symlinks of content/ that lead out of it (or nowhere), which the
build and `invoke check` both report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

OUTSIDE_HINT = ("Chép tệp vào thư mục content/ (cạnh bài viết) rồi ghi tên tệp; không dùng "
                "\"../\" hay liên kết tắt (symlink) trỏ ra ngoài content/.")
SYMLINK_OUTSIDE = "\"{name}\" là liên kết tắt (symlink) trỏ ra ngoài thư mục content/."
SYMLINK_DANGLING = "\"{name}\" là liên kết tắt (symlink) trỏ tới tệp không có."
SYMLINK_HINT = ("Xóa liên kết tắt này; chép chính tệp (hoặc thư mục) cần đăng vào content/ "
                "nếu bài viết cần nó.")


def inside_content(path: str | Path, content_root: str | Path) -> Path | None:
    """`path` resolved (every symlink followed) when it lies inside content/, else None."""
    return inside_resolved(path, Path(content_root).resolve())


def inside_resolved(path: str | Path, resolved_root: Path) -> Path | None:
    """The same, with content/ already resolved (once per build: ReadContext.root)."""
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return resolved if resolved.is_relative_to(resolved_root) else None


def outside_message(label: str, name: str) -> tuple[str, str]:
    """The one message (and hint) for a file an item names that lies outside content/."""
    return f"{label}: \"{name}\" nằm ngoài thư mục content/.", OUTSIDE_HINT


@dataclass(frozen=True)
class EscapingLink:
    """A symlink inside content/ that leads outside it (or to nothing)."""

    path: Path  # the symlink itself, inside content/
    dangling: bool

    def message(self, content_root: Path) -> tuple[str, str]:
        name = self.path.relative_to(content_root).as_posix()
        template = SYMLINK_DANGLING if self.dangling else SYMLINK_OUTSIDE
        return template.format(name=name), SYMLINK_HINT


def report_escaping_symlinks(report, content_root: str | Path) -> None:
    """Add each escaping symlink to the report, as an error on the link itself."""
    root = Path(content_root).resolve()
    for link in escaping_symlinks(root):
        report.add(link.path, 0, *link.message(root), code="symlink-outside")


def escaping_symlinks(content_root: str | Path) -> list[EscapingLink]:
    """Every symlink under content/ (files, folders, Markdown files) that points outside it or
    nowhere; folders behind such a link are not entered."""
    root = Path(content_root).resolve()
    found = []
    for folder, subfolders, files in os.walk(root):
        for name in sorted(subfolders) + sorted(files):
            path = Path(folder) / name
            if not path.is_symlink():
                continue
            target = inside_content(path, root)
            if target is None or not target.exists():
                found.append(EscapingLink(path, dangling=target is not None))
    return sorted(found, key=lambda link: link.path)


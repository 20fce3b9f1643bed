"""Stylesheet bundling behind plugins/theme_assets."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from newsdesk.site.context import context_of

DEFAULT_BUNDLES = {"web": ["*.css"]}
# The web bundle keeps the file name it has had since the first release.
FILE_STEMS = {"web": "site"}
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s*\n\s*")
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HINT = ("Sửa THEME_ASSETS_BUNDLES trong pelicanconf.py: mỗi gói một tên (chữ thường không dấu), "
        "kèm danh sách tên tệp hoặc mẫu (ví dụ \"kiosk/*.css\") trong thư mục css của giao diện.")


def bundle_files(directory: Path, patterns) -> list[Path]:
    """The files of one bundle: each pattern's matches in name order, each file once."""
    files: dict[Path, None] = {}
    for pattern in patterns:
        for path in sorted(directory.glob(pattern)):
            if path.is_file():
                files.setdefault(path, None)
    return list(files)


def css_text(files) -> str:
    """The files in the order given, comments and indentation removed."""
    parts = []
    for path in files:
        text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        parts.append(_SPACE.sub("\n", text).strip())
    return "\n".join(parts) + "\n"


def bundle_problem(directory: Path, name, patterns) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return f"tên gói {name!r} không hợp lệ"
    if isinstance(patterns, str) or not patterns or not all(isinstance(p, str) for p in patterns):
        return f"gói \"{name}\" cần một danh sách tên tệp hoặc mẫu"
    for pattern in patterns:
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            return f"gói \"{name}\": \"{pattern}\" phải nằm trong {directory}"
        if not any(p.is_file() for p in directory.glob(pattern)):
            return f"gói \"{name}\": không có tệp CSS nào khớp \"{pattern}\" trong {directory}"
    return ""


def bundle_css(pelican) -> None:
    settings = pelican.settings
    directory = Path(settings.get("THEME_ASSETS_CSS_DIR") or Path(settings["THEME"]) / "css")
    bundles = settings.setdefault("THEME_ASSETS_BUNDLES", DEFAULT_BUNDLES)
    paths, texts = {}, {}
    for name, patterns in (bundles.items() if isinstance(bundles, dict) else [(None, None)]):
        problem = bundle_problem(directory, name, patterns)
        if problem:
            context_of(settings).report.add("pelicanconf.py", 0,
                                    f"THEME_ASSETS_BUNDLES không hợp lệ: {problem}.", HINT)
            continue
        text = css_text(bundle_files(directory, patterns))
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        stem = FILE_STEMS.get(name, name)
        paths[name] = f"{settings['THEME_STATIC_DIR']}/css/{stem}.{digest}.css"
        texts[paths[name]] = text
    settings["THEME_ASSETS"] = paths
    settings["THEME_ASSETS_TEXTS"] = texts


def write_css(pelican) -> None:
    for relative, text in pelican.settings["THEME_ASSETS_TEXTS"].items():
        target = Path(pelican.output_path) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

"""Stylesheet bundling behind plugins/theme_assets."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s*\n\s*")


def css_text(directory: Path) -> str:
    """The component files in name order, comments and indentation removed."""
    parts = []
    for path in sorted(directory.glob("*.css")):
        text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        parts.append(_SPACE.sub("\n", text).strip())
    return "\n".join(parts) + "\n"


def bundle_css(pelican) -> None:
    settings = pelican.settings
    directory = Path(settings.get("THEME_ASSETS_CSS_DIR") or Path(settings["THEME"]) / "css")
    text = css_text(directory)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    settings["THEME_ASSETS_CSS"] = f"{settings['THEME_STATIC_DIR']}/css/site.{digest}.css"
    settings["THEME_ASSETS_CSS_TEXT"] = text


def write_css(pelican) -> None:
    target = Path(pelican.output_path) / pelican.settings["THEME_ASSETS_CSS"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(pelican.settings["THEME_ASSETS_CSS_TEXT"], encoding="utf-8")

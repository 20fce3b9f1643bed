"""The post-build step `search`: Pagefind's binary (PyPI `pagefind-bin`) over the built tree."""

from __future__ import annotations

import subprocess
from importlib.metadata import version
from pathlib import Path

from newsdesk.site.poststep import PostStep, PostStepError

MARKER = b"data-pagefind-body"  # only pages holding it are indexed
BUNDLE_DIR = "pagefind"  # the index's folder in the output, fetched by theme/static/js/search.js
EXCLUDED = ("kiosk/", "ban-nhap/")  # never indexed, even if a template marked them


def add_step(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    steps = list(pelican.settings.get("POSTSTEPS") or [])
    if not any(step.name == SEARCH_STEP.name for step in steps):
        steps.append(SEARCH_STEP)
    pelican.settings["POSTSTEPS"] = steps


def indexed_pages(tree: Path) -> list[Path]:
    """The built pages Pagefind indexes: marked item pages outside the kiosk and drafts."""
    found = []
    for path in sorted(tree.glob("**/*.html")):
        relative = path.relative_to(tree).as_posix()
        if relative.startswith(EXCLUDED) or relative.startswith(BUNDLE_DIR + "/"):
            continue
        if MARKER in path.read_bytes():
            found.append(path)
    return found


def step_inputs(tree: Path, settings: dict):
    yield version("pagefind-bin")
    for path in indexed_pages(tree):
        yield path.relative_to(tree).as_posix()
        yield path.read_bytes()


def build_index(tree: Path, out: Path, settings: dict) -> None:
    from pagefind_bin import get_executable

    pages = [p.relative_to(tree).as_posix() for p in indexed_pages(tree)]
    if not pages:  # nothing published yet: no index (Pagefind refuses an empty one)
        return
    glob = "{" + ",".join(pages) + "}"
    command = [str(get_executable()), "--site", str(tree), "--glob", glob,
               "--output-path", str(out / BUNDLE_DIR), "--force-language", "vi", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostStepError(f"Pagefind báo lỗi: {(result.stderr or result.stdout).strip()[-500:]}")


SEARCH_STEP = PostStep(name="search", label="chỉ mục tìm kiếm", inputs=step_inputs,
                       run=build_index, version="1")

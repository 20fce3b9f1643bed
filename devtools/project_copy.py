"""A fresh copy of the project, as an office would get it with `git clone`: the tracked-looking
files only (no .venv, built site, caches or local site data), in a git repository of its own.

Commands run in the copy with this interpreter's virtualenv first on PATH (what
`source .venv/bin/activate` does): invoke loads the copy's tasks.py, which puts the copy first
on sys.path, so the copy's own newsdesk runs on the copy's files.
Used by tests/test_guide_commands.py and scripts/make_screenshots.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from devtools import ROOT

LEFT_OUT = shutil.ignore_patterns(".venv", ".git", "output", ".output-*", ".output.lock",
                                  ".build-*", ".cache", "node_modules", "__pycache__",
                                  ".pytest_cache", "*.egg-info", "site.toml", "*.bak")


def copy_project(destination: Path) -> Path:
    """Copy the project to `destination` and make it a git repository with one commit."""
    shutil.copytree(ROOT, destination, ignore=LEFT_OUT, symlinks=True)
    git = ["git", "-C", str(destination), "-c", "user.name=Newsdesk",
           "-c", "user.email=newsdesk@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "--all"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Bản sao của dự án"], check=True)
    return destination


def environment(home: Path, **extra: str) -> dict[str, str]:
    """The environment of an editor's shell: HOME, the virtualenv first on PATH, no site data
    file named elsewhere, nothing of git's identity (the history commands find their own)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "NEWSDESK_", "PYTEST", "PUBLISH_TARGETS"))}
    env.update(HOME=str(home), PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
               **extra)
    return env

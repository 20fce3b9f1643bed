"""Trees a build no longer shows, removed in a process of their own while the next build runs:
removing some 10,000 files waits on the disk, not on a core, so it costs that build nothing.

`python -P newsdesk/site/old_trees.py PATH...` removes each path and prints, for each that
refused, one JSON line: [path, where it failed, errno, the system's message]. It needs the
standard library only (so it starts in milliseconds, from any folder, the package installed
or not; -P: nothing beside it shadows the standard library).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def remove(path: str | Path) -> tuple[str, OSError] | None:
    """Delete a tree or a link; (where, error) of its first failure, or None."""
    if os.path.islink(path) or not os.path.isdir(path):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return None
    failures = []
    shutil.rmtree(path, onerror=lambda _, where, info: failures.append((where, info[1])))
    return failures[0] if failures else None


class Removal:
    """The removal of `paths`, started at once in another process."""

    def __init__(self, paths: list[Path]):
        self.process = subprocess.Popen(
            [sys.executable, "-P", __file__, *map(str, paths)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8") if paths else None

    def refused(self) -> list[tuple[Path, str, OSError]]:
        """Wait for it to end: (tree, where, error) of each tree that refused."""
        if self.process is None:
            return []
        lines = self.process.communicate()[0].splitlines()
        if self.process.returncode != 0:  # it crashed (said nowhere): the next build tries again
            return []
        return [(Path(path), where, OSError(number, message))
                for path, where, number, message in map(json.loads, lines)]


def main(paths: list[str]) -> None:
    for path in paths:
        failure = remove(path)
        if failure is not None:
            where, error = failure
            print(json.dumps([path, where, getattr(error, "errno", None), str(
                getattr(error, "strerror", None) or error)]), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Run LinkChecker (PyPI `linkchecker`, pinned in requirements-dev.txt) over a served site.

Everything on the local server counts as internal (also links that miss the /giam-ngheo
sub-folder); external URLs are only syntax-checked (no network in CI). Anchors (#fragments)
are checked by its AnchorCheck plugin; img/source srcset candidates are followed by its parser.
A finding is a broken URL (invalid) or a warning (a missing anchor is a warning there).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Warnings that are no fault of the site: robots.txt and other plain text are not parseable.
IGNORED_WARNINGS = ("url-content-type-unparseable",)


@dataclass(frozen=True)
class Finding:
    url: str
    parent: str
    line: str
    problem: str

    def __str__(self) -> str:
        return f"{self.parent} (dòng {self.line}): {self.url} -> {self.problem}"


def config_text(base_url: str) -> str:
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    return "\n".join([
        "[checking]",
        "maxrequestspersecond=1000",  # the gate server sends the header that allows it
        "[filtering]",
        "internlinks=^" + re.escape(origin),
        "ignorewarnings=" + ",".join(IGNORED_WARNINGS),
        "[AnchorCheck]",
        ""])


def check(base_url: str, start_urls: list[str]) -> list[Finding]:
    """Check every start URL and all they link to, recursively; return what is broken."""
    executable = Path(sys.executable).with_name("linkchecker")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "linkcheckerrc"
        config.write_text(config_text(base_url), encoding="utf-8")
        config.chmod(0o644)  # LinkChecker drops to `nobody` when run as root
        Path(folder).chmod(0o755)
        run = subprocess.run([str(executable), "--config", str(config), "--no-status",
                              "--output", "csv", *start_urls],
                             capture_output=True, text=True, timeout=300)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"linkchecker failed ({run.returncode}):\n{run.stderr}")
    return parse_csv(run.stdout)


def parse_csv(text: str) -> list[Finding]:
    # LinkChecker's comment lines start with "# "; a row may start with "#" (a link "#part").
    rows = [line for line in text.splitlines() if line and not line.startswith("# ")]
    findings = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        if row["valid"] != "True" or row["warningstring"]:
            problem = row["result"] if row["valid"] != "True" else row["warningstring"]
            findings.append(Finding(row["url"], row["parentname"], row["line"], problem))
    return findings

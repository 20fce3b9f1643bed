"""Every generated page is valid HTML for the Nu HTML Checker (npm vnu-jar, the machine's Java),
all files in one call (the JVM start dominates)."""

import json
import subprocess
from pathlib import Path

from devtools import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_passes_the_nu_html_checker(sample_site):
    files = sample_site.html_files()
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m['url'].removeprefix('file:')).relative_to(sample_site.output)}:"
              f"{m.get('lastLine', 0)}: {m['message']}  {m.get('extract', '').strip()!r}"
              for m in messages if m["type"] in ("error", "non-document-error")]
    assert len(files) > 20
    assert not errors, f"{len(errors)} lỗi HTML:\n" + "\n".join(errors)
    assert run.returncode == 0, run.stderr

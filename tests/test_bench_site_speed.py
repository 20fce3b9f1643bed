"""The build-speed bench runs as the README gives it, on a small corpus in both mixes: its corpus builds (a
leaflet too long for its sheet once broke it unseen), it prints every row and goal, and an
unchanged rebuild rewrites no file and encodes no image. Its timings are not asserted here."""

import re
import subprocess

import pytest

from devtools import ROOT

QUICK_LOOK = ".venv/bin/python bench/site_speed.py --sizes 20 --runs 1 --preview-runs 1"


@pytest.mark.parametrize("command", [QUICK_LOOK, QUICK_LOOK + " --mix plan"])
def test_the_build_speed_bench_runs_and_prints_its_table_and_goals(command):
    assert f"`{command}`" in (ROOT / "README.md").read_text(encoding="utf-8")
    run = subprocess.run(command.split(), cwd=ROOT, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"20 items written, {'plan' if 'plan' in command else 'even'} mix" in run.stdout
    for row in ("full", "unchanged", "edit", "cold", "peak memory"):
        assert re.search(rf"^{row} +\d", run.stdout, re.M), run.stdout
    goals = re.findall(r"^  (PASS|FAIL)  20: (.*)$", run.stdout, re.M)
    names = ["cold build", "full build, caches kept", "nothing changed", "one item edited",
             "peak memory of the largest process", "an edit visible in the preview"]
    assert len(goals) == len(names) and all(
        text.startswith(name) for (_, text), name in zip(goals, names)), goals
    assert "nothing changed, 0 files rewritten and 0 images encoded" in run.stdout

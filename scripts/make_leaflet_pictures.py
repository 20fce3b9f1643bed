"""Pictures of the sample leaflets' printed sides for docs/huong-dan-bien-tap.md, made from
the project itself: builds the two sample leaflets of content/ (a tri-fold and a portrait
sheet) into a temporary folder and draws each page of the residents' PDF with poppler's
pdftoppm into docs/img/. tests/test_leaflets.py draws them again and compares the pixels, so
a change of the leaflet templates needs a new run.
Run: .venv/bin/python scripts/make_leaflet_pictures.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from devtools import ROOT
from newsdesk.site.build import build

OUT = ROOT / "docs" / "img"
DPI = 40
# picture name -> (the sample's file in content/, its folder in the site, one name per page)
SAMPLES = {
    "to-roi-gap-ba": ("toan-huyen/to-roi-chung-tay-vi-nguoi-ngheo.md",
                      "to-roi/to-roi-chung-tay-vi-nguoi-ngheo", ["mat-ngoai", "mat-trong"]),
    "to-roi-mot-mat": ("an-khuong/to-roi-bao-hiem-y-te.md", "to-roi/to-roi-bao-hiem-y-te",
                       ["mat-truoc"]),
}
USED_FILES = ["toan-huyen/anh/ke-hoach-288.jpg"]  # the tri-fold's cover picture


def build_samples(root: Path):
    """The sample leaflets built into `root`/output (the build's result)."""
    content = root / "content"
    for relative in [*(sample for sample, _, _ in SAMPLES.values()), *USED_FILES]:
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "content" / relative, content / relative)
    return build(ROOT / "pelicanconf.py", root / "output", {
        "PATH": str(content), "NEWSDESK_TODAY": "2026-11-26",
        "POSTSTEPS_CACHE_DIR": str(root / "cache"), "IMAGES_CACHE_DIR": str(root / "images")})


def draw(output: Path, folder: Path) -> list[Path]:
    """Each page of each sample's residents' PDF as a PNG in `folder`."""
    written = []
    for name, (_, where, sides) in SAMPLES.items():
        for number, side in enumerate(sides, start=1):
            target = folder / f"{name}-{side}"
            subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(number), "-l", str(number),
                            "-png", "-singlefile", str(output / where / "to-roi.pdf"),
                            str(target)], check=True)
            written.append(target.with_suffix(".png"))
    return written


def same_picture(a: Path, b: Path) -> bool:
    with Image.open(a) as first, Image.open(b) as second:
        return first.size == second.size and first.tobytes() == second.tobytes()


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        result = build_samples(Path(temp))
        if not result.ok:
            print(result.report.format(), file=sys.stderr)
            return 1
        for path in draw(Path(temp) / "output", OUT):
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

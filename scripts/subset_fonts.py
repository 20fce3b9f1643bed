"""Make the theme's self-hosted fonts: Noto Sans (SIL OFL) cut down to Latin and Vietnamese.

Source: Debian's fonts-noto-core. Run: .venv/bin/python scripts/subset_fonts.py
(needs fonttools and brotli from requirements-dev.txt). The output is committed.
"""

from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/fonts/truetype/noto")
TARGET = Path(__file__).resolve().parent.parent / "theme" / "static" / "fonts"
# Basic Latin, Latin-1 punctuation and letters, and every code point Vietnamese uses
# (the same ranges as Google Fonts' "latin" + "vietnamese" subsets, minus rare symbols).
UNICODES = ("U+0020-007E,U+00A0-00FF,U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,"
            "U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,"
            "U+1EA0-1EF9,U+2013-2014,U+2018-201E,U+2022,U+2026,U+2039-203A,U+20AB,U+20AC,"
            "U+2122,U+2190-2193,U+2192")


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        out = TARGET / f"noto-sans-{weight.lower()}.woff2"
        subset.main([str(SOURCE / f"NotoSans-{weight}.ttf"), f"--unicodes={UNICODES}",
                     "--flavor=woff2", "--layout-features=kern,liga,mark,mkmk,ccmp,locl",
                     "--no-hinting", "--desubroutinize", f"--output-file={out}"])
        print(out.name, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main()

"""The terminal screens of the editors' guide, from real command output.

Runs the guide's commands in a fresh copy of the project (devtools/project_copy.py): the
list of commands, a new item, the check that names its placeholders, a publish refused on the unconfigured copy, the
first-run helper answered at a real terminal (a pty, so typed answers echo as they would),
then save, history and undo. Each transcript is drawn with Pillow in Noto Sans (it draws
every Vietnamese letter well) as a dark terminal window. Used by scripts/make_screenshots.py.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from devtools import site_config
from devtools.project_copy import copy_project, environment

# Noto Sans (fonts-noto-core, also the theme's font): every Vietnamese letter drawn well.
FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
SYMBOL_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # arrows, box lines
SYMBOLS = re.compile(r"([\u2190-\u21ff\u2500-\u257f]+)")
COLUMNS, FONT_SIZE, LINE_HEIGHT, PADDING = 104, 15, 21, 14
MAX_LINES = 36
COLOURS = {"prompt": (134, 239, 172), "error": (252, 165, 165), "hint": (253, 224, 130),
           "text": (229, 231, 235), "background": (24, 24, 27)}
TITLE = "Hộ nghèo xã Tân Hưng vươn lên nhờ nuôi bò"
ITEM = "content/tan-hung/ho-ngheo-xa-tan-hung-vuon-len-nho-nuoi-bo.md"
MESSAGE = "Tin hộ nghèo Tân Hưng nuôi bò, đã xong"


class Shell:
    def __init__(self, project: Path, env: dict[str, str]):
        self.project, self.env = project, env

    def run(self, command: str) -> list[str]:
        """`$ command` and what it printed (stdout and stderr as they came)."""
        done = subprocess.run(["bash", "-c", command], cwd=self.project, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=900)
        return [f"$ {command}", *done.stdout.rstrip("\n").split("\n")]

    def typed(self, command: str, answers: list[str]) -> list[str]:
        """`command` at a real terminal, each answer typed after its question."""
        master, slave = os.openpty()
        process = subprocess.Popen(["bash", "-c", command], cwd=self.project, env=self.env,
                                   stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        output, pending = b"", list(answers)
        while select.select([master], [], [], 120)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closes when the command ends
                break
            if not chunk:
                break
            output += chunk
            if pending and output.endswith(b": "):
                os.write(master, (pending.pop(0) + "\n").encode())
        process.wait(timeout=60)
        os.close(master)
        text = output.decode("utf-8", "replace").replace("\r\n", "\n").rstrip("\n")
        return [f"$ {command}", *text.split("\n")]


def draw(lines: list[str], path: Path) -> None:
    """A terminal window holding `lines` (wrapped; only the last MAX_LINES when longer)."""
    wrapped = [part for line in lines
               for part in (textwrap.wrap(line, COLUMNS, subsequent_indent="    ",
                                          drop_whitespace=False) or [""])]
    if len(wrapped) > MAX_LINES:
        wrapped = ["…", *wrapped[-MAX_LINES + 1:]]
    fonts = (ImageFont.truetype(str(FONT), FONT_SIZE),
             ImageFont.truetype(str(SYMBOL_FONT), FONT_SIZE))
    width = PADDING * 2 + round(max(_length(line, fonts) for line in wrapped))
    image = Image.new("RGB", (width, PADDING * 2 + LINE_HEIGHT * len(wrapped)),
                      COLOURS["background"])
    pen = ImageDraw.Draw(image)
    for index, line in enumerate(wrapped):
        x = PADDING
        for run, font in _runs(line, fonts):
            pen.text((x, PADDING + index * LINE_HEIGHT), run, font=font,
                     fill=COLOURS[_kind(line)])
            x += font.getlength(run)
    image.save(path)


def _runs(line: str, fonts) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """The line in pieces: letters in Noto Sans, arrows and box lines in DejaVu Sans."""
    return [(part, fonts[bool(SYMBOLS.fullmatch(part))]) for part in SYMBOLS.split(line)
            if part]


def _length(line: str, fonts) -> float:
    return sum(font.getlength(run) for run, font in _runs(line, fonts))


def _kind(line: str) -> str:
    if line.startswith("$ "):
        return "prompt"
    if "LỖI" in line or "KHÔNG ĐĂNG" in line or "→" in line and "Ghi lại" in line:
        return "error"
    return "hint" if line.lstrip().startswith("→") or "LƯU Ý" in line else "text"


def make_all(work: Path, out: Path) -> list[str]:
    """Run the commands in a copy under `work`, draw each screen into `out`; their names."""
    shell = Shell(copy_project(work / "newsdesk"), environment(work))
    screens = {"lenh-danh-sach.png": shell.run("invoke --list")}
    screens["lenh-new.png"] = [
        *shell.run(f'invoke new "{TITLE}" --type tin-bai --commune "Tân Hưng"'),
        *shell.run(f"cat {ITEM}")]
    screens["lenh-check-loi.png"] = shell.run("invoke check")
    screens["lenh-publish-tu-choi.png"] = shell.run("invoke publish --dry-run")
    screens["lenh-setup-site.png"] = shell.typed("invoke setup-site", [
        site_config.PUBLIC_URL, site_config.OFFICE["phone"], "không có",
        site_config.OFFICE["email"], site_config.OFFICE["hours"],
        "web=ssh://deploy@honquan.binhphuoc.gov.vn:22/srv/giam-ngheo"])
    item = shell.project / ITEM
    item.write_text(re.sub(r"\[CẦN ĐIỀN\][^\n]*", "Anh Điểu Lem ở ấp 3 nuôi hai con bò.",
                           item.read_text(encoding="utf-8")), encoding="utf-8")
    saved = [*shell.run(f'invoke save "{MESSAGE}"'), *shell.run(f"invoke history {ITEM}")]
    item.write_text("Title: lỡ tay xóa hết\n", encoding="utf-8")
    screens["lenh-luu-lich-su.png"] = [*saved, *shell.run(f"invoke undo {ITEM}")]
    for name, lines in screens.items():
        draw(lines, out / name)
    return list(screens)

"""Tasks for editors and maintainers: `invoke --list` shows them, `invoke --help TASK` explains one.

Each task is a thin call into newsdesk/, where the tests reach the same code.
"""

import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from newsdesk import build as site_build  # noqa: E402
from newsdesk import preview  # noqa: E402

SETTINGS = ROOT / "pelicanconf.py"
OUTPUT = ROOT / "output"


def _build(settings=SETTINGS, output=None, today="", overrides=None):
    overrides = {**({"NEWSDESK_TODAY": today} if today else {}), **(overrides or {})}
    result = site_build.build(settings, output or OUTPUT, overrides)
    if result.report.problems:
        print(result.report.format(), file=sys.stderr)
        print(file=sys.stderr)
    print(result.summary(), file=sys.stderr if not result.ok else sys.stdout)
    if not result.ok:
        raise Exit(code=1)
    return result


@task(help={"today": "Dựng như thể hôm nay là ngày này (YYYY-MM-DD), để kiểm tra bài hẹn giờ.",
            "content": "Thư mục nội dung khác (mặc định: content/).",
            "output": "Thư mục kết quả khác (mặc định: output/)."})
def build(c, today="", content="", output=""):
    """Dựng trang web vào thư mục output/ (build the site into output/)."""
    _build(output=output or None, today=today,
           overrides={"PATH": str(Path(content).resolve())} if content else None)


@task
def clean(c):
    """Xóa thư mục output/ (remove the built site)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task(help={"port": "Cổng (mặc định 8000).", "host": "Địa chỉ (mặc định 127.0.0.1)."})
def serve(c, port=8000, host="127.0.0.1"):
    """Dựng rồi mở trang tại http://127.0.0.1:8000 để xem trước (build, then serve)."""
    _build()
    preview.serve(OUTPUT, host, int(port))

"""Tasks for editors and maintainers: `invoke --list` shows them, `invoke --help TASK` explains one.

Each task is a thin call into newsdesk/, where the tests reach the same code.
"""

import contextlib
import errno
import sys
from pathlib import Path

from invoke import Exit, task

from newsdesk.site import build as site_build
from newsdesk.site import preview
from newsdesk import publish as site_publish
from newsdesk.project import CONTENT, OUTPUT, PUBLISH_SETTINGS, ROOT, SETTINGS


@contextlib.contextmanager
def _told(*errors):
    """Show an editor's mistake (already in Vietnamese) and exit 1, never a traceback."""
    try:
        yield
    except errors as error:
        print(error, file=sys.stderr)
        raise Exit(code=1) from None


def _folder(option: str, value: str) -> str:
    """A folder option, made absolute (a link is kept: `output` is one); a path longer than the
    system allows is told, not raised."""
    try:
        path = Path(value).absolute()
        path.exists()
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        print(f"{option}: đường dẫn \"{value[:50]}…\" dài {len(value)} ký tự, quá mức máy cho "
              "phép. Chọn thư mục có đường dẫn ngắn hơn.", file=sys.stderr)
        raise Exit(code=1) from None
    return str(path)


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
    _build(output=output and _folder("--output", output), today=today,
           overrides={"PATH": _folder("--content", content)} if content else None)


@task
def clean(c):
    """Xóa trang đã dựng: output/ và các bản dựng bên cạnh (remove the built site)."""
    with _told(site_build.OutputError):
        site_build.clean(OUTPUT)


# The ports are text ("8000"), checked by preview.port_number: invoke's own int parsing of
# "--port abc" would end in a traceback.
@task(help={"port": "Cổng (mặc định 8000).", "host": "Địa chỉ (mặc định 127.0.0.1)."})
def serve(c, port="8000", host="127.0.0.1"):
    """Dựng rồi mở trang tại http://127.0.0.1:8000 để xem trước (build, then serve)."""
    with _told(preview.PreviewError):
        port = preview.port_number(port)
        preview.ensure_port_free(host, port)
    _build()
    with _told(preview.PreviewError):
        preview.serve(OUTPUT, host, port)


@task(help={"title": "Tiêu đề bài, trong ngoặc kép.",
            "type": "Loại nội dung: một khóa [[types]] trong data/vocabulary.toml; bỏ trống: "
                    "loại mặc định (tin bài).",
            "commune": "Tên xã / thị trấn, hoặc \"Toàn huyện\" (mặc định)."})
def new(c, title, type="", commune=""):  # noqa: A002 - the option editors type is --type
    """Tạo bài mới với đủ các dòng cần điền (create a new item file with its fields)."""
    from newsdesk.content import vocabulary
    from newsdesk.editors import newitem

    with _told(newitem.NewItemError, vocabulary.VocabularyError):
        item = newitem.write(newitem.plan(title, type, commune, CONTENT, vocabulary.load()))
    print(f"Đã tạo {item.path.relative_to(ROOT)}")
    if item.note:
        print(item.note)
    print("Mở tệp, thay các chỗ [CẦN ĐIỀN], rồi chạy: invoke check")


@task(help={"fix": "Tự sửa lỗi bảng mã, chữ Unicode, chữ Ð và thêm dòng ID (giữ bản cũ .bak).",
            "json": "In kết quả dạng JSON (cho máy đọc).",
            "today": "Kiểm tra như thể hôm nay là ngày này (YYYY-MM-DD).",
            "content": "Thư mục bài khác content/ (dành cho kiểm thử)."})
def check(c, fix=False, json=False, today="", content=""):
    """Kiểm tra mọi bài trong content/ mà không dựng trang (check all content, no build)."""
    from newsdesk.editors import check as content_check
    from newsdesk.content.problems import display_path

    overrides = {"NEWSDESK_TODAY": today} if today else {}
    if content:
        overrides["PATH"] = _folder("--content", content)
        missing = site_build.content_folder_problem(overrides["PATH"])
        if missing:
            print(missing.format(), file=sys.stderr)
            raise Exit(code=1)
    result = content_check.check(SETTINGS, overrides, fix=fix)
    if json:
        print(result.report.to_json())
    else:
        for path, backup in zip(result.fixed, result.backups):
            print(f"Đã sửa {display_path(path)} (bản cũ: {backup.name})")
        if result.report.problems:
            print(result.report.format() + "\n")
        print(result.summary())
    if not result.ok:
        raise Exit(code=1)


@task(help={"plan": "Số kế hoạch trong data/vocabulary.toml, ví dụ 288 (bỏ trống: kế hoạch "
                    "mới nhất).",
            "format": "table (bảng, mặc định), csv (mở bằng Excel) hoặc json (cho máy đọc).",
            "today": "Tính như thể hôm nay là ngày này (YYYY-MM-DD).",
            "content": "Thư mục bài khác content/ (dành cho kiểm thử)."})
def report(c, plan="", format="table", today="", content=""):  # noqa: A002 - the option's name
    """In tiến độ kế hoạch: số bài đã đăng so với chỉ tiêu (a plan's progress, as on its page)."""
    from newsdesk.editors import report as plan_report

    overrides = {"NEWSDESK_TODAY": today} if today else {}
    if content:
        overrides["PATH"] = _folder("--content", content)
    with _told(plan_report.ReportError):
        if content and site_build.content_folder_problem(overrides["PATH"]):
            raise plan_report.ReportError(
                site_build.content_folder_problem(overrides["PATH"]).format())
        sys.stdout.write(plan_report.report_text(SETTINGS, overrides, plan, format))


@task(help={"port": "Cổng (mặc định 8000)."})
def livereload(c, port="8000"):
    """Xem trước, tự tải lại trang khi lưu bài (preview that reloads on save)."""
    from newsdesk.site import live_preview

    with _told(preview.PreviewError):
        live_preview.serve(SETTINGS, OUTPUT, preview.port_number(port))


@task(help={"dry_run": "Chỉ cho xem trên từng đích sẽ thay đổi những tệp nào; không gửi gì.",
            "only": "Chỉ đăng lên các đích này (tên đích, cách nhau bằng dấu phẩy)."})
def publish(c, dry_run=False, only=""):
    """Dựng bản công khai rồi đăng lên máy chủ web và mọi kiosk (build, check, deploy)."""
    run = site_publish.publish(PUBLISH_SETTINGS, only=only, dry_run=dry_run)
    if not run.ok:
        raise Exit(code=1)


@task(help={"public_url": "Địa chỉ công khai, ví dụ https://honquan.binhphuoc.gov.vn/giam-ngheo.",
            "phone": "Số điện thoại của cơ quan.", "email": "Thư điện tử của cơ quan.",
            "hours": "Giờ làm việc của cơ quan.",
            "targets": "Nơi đăng: tên=ssh://người-dùng@máy:cổng/thư-mục, cách nhau bằng dấu phẩy.",
            "id_domain": "Tên miền trong mã nguồn tin (chỉ lần đầu; không bao giờ đổi sau khi "
                         "đã đăng)."})
def setup_site(c, public_url="", phone="", email="", hours="", targets="", id_domain=""):
    """Lần đầu: hỏi địa chỉ trang, liên hệ, nơi đăng; ghi data/site.toml (first-run setup)."""
    from newsdesk.editors import setup_site as first_run

    answers = {"public_url": public_url, "phone": phone, "email": email, "hours": hours,
               "targets": targets, "id_domain": id_domain}
    with _told(first_run.SetupError):
        first_run.setup(answers)


@task(help={"message": "Lời nhắn: đã làm gì, trong ngoặc kép (ví dụ \"Thêm tin trao bò\")."})
def save(c, message):
    """Lưu mọi thay đổi trong content/ và data/ vào lịch sử, kèm lời nhắn (kho git)."""
    from newsdesk.editors import history as saved

    with _told(saved.HistoryError):
        version = saved.save(message)
    if version is None:
        print("Không có gì mới để lưu: các tệp trong content/ và data/ đều đã được lưu.")
    else:
        print(f"Đã lưu, mã bản lưu {version}. Người đăng trang sẽ đăng bản này.")


@task(help={"file": "Tệp bài, ví dụ content/dong-no/trao-bo.md."})
def history(c, file):
    """Các bản đã lưu của một tệp, mới nhất trước (git log)."""
    from newsdesk.editors import history as saved

    with _told(saved.HistoryError):
        versions = saved.history(file)
    print(f"Các bản đã lưu của {file} (mới nhất trước):")
    for version in versions:
        print(f"  {version.id}  {version.when}  {version.who}  {version.message}")
    print(f"Quay về một bản: invoke undo {file} --to {versions[-1].id}")


@task(help={"file": "Tệp bài, ví dụ content/dong-no/trao-bo.md.",
            "to": "Mã bản lưu muốn quay về (xem invoke history); bỏ trống: bản lưu gần nhất."})
def undo(c, file, to=""):
    """Đưa một tệp về bản đã lưu gần nhất, hoặc một bản cũ (giữ bản hiện tại .bak)."""
    from newsdesk.editors import history as saved

    with _told(saved.HistoryError):
        backup = saved.undo(file, to)
    print(f"Đã đưa {file} về bản {to or 'đã lưu gần nhất'}."
          + (f" Bản trước khi hoàn tác: {backup.name}." if backup else "")
          + " Lưu lại bằng: invoke save \"lời nhắn\"")


# Invoke has no optional positional arguments, hence `--target NAME` (`-t NAME`).
@task(help={"target": "Tên đích (bỏ trống: mọi đích).",
            "to": "Mã bản muốn quay về (bỏ trống: bản ngay trước bản đang chạy)."})
def rollback(c, target="", to=""):
    """Quay trang đang chạy về bản trước (switch `current` back to the previous release)."""
    outcomes = site_publish.rollback(PUBLISH_SETTINGS, target=target, to=to)
    if not outcomes or not all(outcome.ok for outcome in outcomes):
        raise Exit(code=1)


@task(help={"target": "Tên đích (bỏ trống: mọi đích)."})
def releases(c, target=""):
    """Liệt kê các bản đã đăng trên từng đích, bản nào đang chạy (list releases per target)."""
    found = site_publish.releases(PUBLISH_SETTINGS, target=target)
    if not found or any(isinstance(listing, site_publish.Failure) for listing in found.values()):
        raise Exit(code=1)


@task(help={"host": "Địa chỉ (mặc định 127.0.0.1; 0.0.0.0: cho cả mạng nội bộ).",
            "port": "Cổng (mặc định 8800)."})
def desk(c, host="", port=0):
    """Mở bàn biên tập: viết, duyệt, đăng bài trên trình duyệt (serve the editing desk)."""
    from newsdesk.desk import DeskSettingError, db, server

    with _told(server.DeskStartError, DeskSettingError, db.StoreError):
        server.serve(host, int(port))


@task(iterable=["commune"],
      help={"user": "Tên đăng nhập.", "role": "xa (cán bộ xã) hoặc huyen (cán bộ huyện).",
            "commune": "Xã của cán bộ xã (tên hoặc mã, ví dụ dong-no); ghi nhiều lần nếu "
                       "nhiều xã."})
def add_editor(c, user, role, commune=None):
    """Thêm tài khoản bàn biên tập; mật khẩu hỏi hoặc đọc từ đầu vào (add a desk account)."""
    import getpass

    from newsdesk.desk import DeskSettingError, accounts, db, settings

    with _told(accounts.AccountError, DeskSettingError, db.StoreError):
        database = settings()["DESK_DATABASE"]
        if sys.stdin.isatty():
            password = getpass.getpass("Mật khẩu: ")
            if getpass.getpass("Gõ lại mật khẩu: ") != password:
                raise accounts.AccountError("Hai lần gõ mật khẩu không khớp. Chạy lại lệnh.")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        account = accounts.add(database, user, role, commune or [], password)
    print(f"Đã thêm tài khoản {account.name} ({accounts.ROLES[account.role]}"
          + (f": {', '.join(account.communes)}" if account.communes else "") + ").")

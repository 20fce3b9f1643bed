"""What went wrong on a target, told in Vietnamese: what happened and what to do.

ssh and rsync only say it in English on stderr (and through exit codes); `classify` reads both
and picks the first matching case, most specific first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    kind: str
    what: str   # what happened, one short clause for the summary table
    todo: str   # what the operator should do
    detail: str = ""  # the tool's own last words, for a technician

    def describe(self, target) -> str:
        text = f"Đích \"{target.name}\" ({target.address}): {self.what}.\n    → {self.todo}"
        return text + (f"\n    (chi tiết: {self.detail})" if self.detail else "")


# (kind, pattern on stderr, what happened, what to do). {host} and {path} are filled in.
_CASES = [
    # Our own remote scripts' words (remote.py): checked first.
    ("current-not-symlink", r"newsdesk: current is not a symlink",
     "{path}/current trên máy chủ {host} là một thư mục hay tệp thật, không phải liên kết tới "
     "một bản đã đăng",
     "Không có gì bị thay đổi trên máy đó. Nhờ người quản trị máy chủ xem {path}/current (có "
     "thể là bản chép tay): đổi tên nó (ví dụ `mv {path}/current {path}/current.cu`) rồi chạy "
     "lại invoke publish; nhớ kiểm tra máy chủ web vẫn phục vụ {path}/current."),
    ("lock-lost", r"newsdesk: publish lock lost",
     "lượt này đã mất khóa đăng trên máy chủ {host} (lâu không có tín hiệu nên một lượt khác đã "
     "tiếp quản), nên không chuyển bản",
     "Trang đang chạy không bị lượt này thay đổi. Chạy lại lệnh khi mạng ổn định."),
    ("hostkey-changed", r"REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed",
     "khóa nhận diện của máy chủ {host} đã đổi so với lần trước",
     "Hỏi người quản trị máy chủ xem máy có được cài lại không. Chỉ khi chắc chắn, xóa dòng cũ "
     "bằng `ssh-keygen -R {host}` rồi kết nối lại một lần bằng tay để nhận khóa mới; nếu không, "
     "đừng đăng: có thể có kẻ mạo danh máy chủ."),
    ("hostkey-unknown", r"Host key verification failed|No \S+ host key is known",
     "máy này chưa biết khóa nhận diện của máy chủ {host}",
     "Chạy `ssh {login}` một lần bằng tay, so dấu vân tay khóa với người quản trị máy chủ rồi "
     "trả lời yes; sau đó chạy lại invoke publish."),
    ("auth", r"Permission denied \((?:publickey|password|keyboard|gssapi|hostbased)"
             r"|Too many authentication failures|Authentication failed",
     "máy chủ {host} từ chối đăng nhập (sai khóa SSH hoặc sai tên người dùng)",
     "Kiểm tra tên người dùng trong địa chỉ đích và khóa SSH của máy này (ssh-add -l); nhờ "
     "người quản trị máy chủ thêm khóa công khai của bạn vào ~/.ssh/authorized_keys."),
    ("not-found", r"Could not resolve hostname|Name or service not known|nodename nor servname",
     "không tìm thấy máy chủ tên {host}",
     "Kiểm tra lại tên máy trong địa chỉ đích và kết nối mạng của máy này."),
    ("refused", r"Connection refused",
     "máy chủ {host} từ chối kết nối (không có dịch vụ SSH ở cổng đó)",
     "Kiểm tra số cổng trong địa chỉ đích và nhờ người quản trị bật dịch vụ SSH trên máy chủ."),
    ("unreachable", r"No route to host|Network is unreachable|Host is unreachable",
     "không tới được máy chủ {host} (mạng không thông)",
     "Kiểm tra máy chủ hoặc kiosk đã bật và có mạng chưa, rồi chạy lại invoke publish: "
     "các đích đã cập nhật sẽ không phải gửi lại."),
    ("timeout", r"timed out|[Tt]imeout|Connection timed out|code 30\)|code 35\)",
     "máy chủ {host} không trả lời kịp (hết thời gian chờ)",
     "Mạng chậm hoặc máy đang tắt. Chạy lại invoke publish sau: phần đã gửi được giữ lại."),
    ("disk-full", r"No space left on device|Disk quota exceeded|\(28\)|\(122\)",
     "ổ đĩa trên máy chủ {host} đã đầy",
     "Nhờ người quản trị giải phóng chỗ trống trên máy chủ (hoặc giảm PUBLISH_KEEP_RELEASES), "
     "rồi chạy lại invoke publish. Trang đang chạy vẫn là bản cũ."),
    ("permission", r"Permission denied|Operation not permitted|Read-only file system",
     "người dùng {user} không có quyền ghi vào thư mục {path} trên máy chủ {host}",
     "Nhờ người quản trị máy chủ tạo thư mục {path} và giao cho người dùng {user} "
     "(chown), rồi chạy lại invoke publish."),
    ("no-rsync", r"rsync: (?:command )?not found|rsync: No such file|code 127",
     "máy chủ {host} chưa cài rsync",
     "Nhờ người quản trị cài gói rsync trên máy chủ (apt-get install rsync)."),
    ("interrupted", r"connection unexpectedly closed|Broken pipe|Connection reset|"
                    r"Connection closed|error in rsync protocol data stream|"
                    r"received SIGINT|code 20\)|killed by signal",
     "đường truyền tới máy chủ {host} bị đứt giữa chừng",
     "Trang đang chạy trên máy đó vẫn là bản cũ, nguyên vẹn. Chạy lại invoke publish khi mạng "
     "ổn định: phần đã gửi không phải gửi lại."),
]


def classify(target, stderr: str, returncode: int | None) -> Failure:
    """The Vietnamese account of a failed ssh/rsync run on `target`."""
    text = stderr or ""
    fill = {"host": target.host, "path": target.path, "user": target.user or "(của bạn)",
            "login": f"-p {target.port} {target.login}" if target.port else target.login}
    detail = _last_words(text)
    for kind, pattern, what, todo in _CASES:
        if re.search(pattern, text):
            return Failure(kind, what.format(**fill), todo.format(**fill), detail)
    if returncode == 255:
        return Failure("ssh", f"không kết nối được tới máy chủ {target.host}",
                       "Thử `ssh` tới máy đó bằng tay để xem lỗi, hoặc báo người quản trị "
                       "kỹ thuật kèm chi tiết bên dưới.", detail)
    return Failure("unknown", f"lỗi không rõ (mã {returncode}) trên máy chủ {target.host}",
                   "Báo người quản trị kỹ thuật, gửi kèm chi tiết bên dưới. Trang đang chạy "
                   "trên máy đó không bị thay đổi.", detail)


def _last_words(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith(("@@@", "Warning: Permanently added"))]
    return " | ".join(lines[-2:])[:300]

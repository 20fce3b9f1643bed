"""Where the site goes: named `ssh://user@host:port/path` targets and the remote shell to reach them.

Targets come from the settings (`PUBLISH_TARGETS = {"web": "ssh://..."}` in publishconf.py);
the environment variable PUBLISH_TARGETS (comma-separated `name=ssh://...` or bare URLs)
replaces that list. The remote shell is RSYNC_RSH when set, split the way rsync splits it,
used both for rsync and for the few commands run on the target; otherwise plain `ssh` in batch
mode (no password prompt can hang a parallel or cron run) with the operator's own SSH config.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from newsdesk.site_data import HOST_NAME

ENV_TARGETS = "PUBLISH_TARGETS"
KIOSK_SCHEME = "kiosk+ssh"  # a kiosk holding its own copy: only the kiosk edition goes there
ENV_RSH = "RSYNC_RSH"
DEFAULT_SHELL = ("ssh", "-o", "BatchMode=yes")
_NAME = re.compile(r"^[\w.:/@-]+$")
# A login name as useradd allows it; never beginning with "-", which ssh would read as an option.
_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}")


class TargetError(ValueError):
    """A target written wrongly; the message is Vietnamese and says how to write it."""


@dataclass(frozen=True)
class Target:
    name: str
    host: str
    path: str
    user: str = ""
    port: int | None = None
    kiosk: bool = False  # `kiosk+ssh://`: gets the kiosk release tree (kiosk pages and their files)

    @property
    def login(self) -> str:
        """`user@host` (an IPv6 host in brackets, as rsync and URLs want it)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.user}@{host}" if self.user else host

    @property
    def address(self) -> str:
        """`user@host:port` as shown to the operator."""
        return f"{self.login}:{self.port}" if self.port else self.login

    @property
    def url(self) -> str:
        path = self.path if self.path.startswith("/") else "/~/" + self.path
        return f"{KIOSK_SCHEME if self.kiosk else 'ssh'}://{self.address}{path}"

    def rsync_location(self, relative: str) -> str:
        """`user@host:path/relative` in rsync's own syntax."""
        return f"{self.login}:{self.path.rstrip('/')}/{relative}"


def parse_url(url: str, name: str = "") -> Target:
    """Read `ssh://user@host:port/path`; `/~/site` means `site` in the user's home folder."""
    url = url.strip()
    example = "ssh://deploy@may-chu.example:22/srv/giam-ngheo"
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, among others
        raise TargetError(f"Địa chỉ đích \"{url}\" không đúng dạng (địa chỉ IPv6 phải nằm "
                          f"trọn trong ngoặc vuông [ ]). Viết như {example}.") from None
    if parts.scheme not in ("ssh", KIOSK_SCHEME) or not parts.hostname:
        raise TargetError(f"Địa chỉ đích \"{url}\" không đúng dạng. Viết như {example}.")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:  # ":0" would silently be ssh's default port 22
        raise TargetError(f"Cổng trong địa chỉ \"{url}\" không phải một số từ 1 đến 65535.")
    if not _is_host(parts.hostname):
        raise TargetError(f"Tên máy \"{parts.hostname}\" trong địa chỉ \"{url}\" không phải tên "
                          "máy hay địa chỉ IP (chỉ chữ không dấu, số, dấu chấm, gạch ngang; "
                          f"không bắt đầu bằng -). Viết như {example}.")
    user = unquote(parts.username or "")
    if parts.username is not None and not _USER.fullmatch(user):
        raise TargetError(f"Tên người dùng \"{user}\" trong địa chỉ \"{url}\" không hợp lệ (chỉ "
                          "chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang; không bắt đầu "
                          f"bằng -). Viết như {example}.")
    path = unquote(parts.path)
    if path.startswith("/~/"):
        path = path[3:]
    if not path.strip("/") or parts.query or parts.fragment:
        raise TargetError(f"Địa chỉ đích \"{url}\" thiếu thư mục trên máy chủ "
                          f"(phần sau dấu / đầu tiên). Viết như {example}.")
    name = name.strip() or f"{parts.hostname}:{path}"
    if not _NAME.match(name):
        raise TargetError(f"Tên đích \"{name}\" chỉ được có chữ không dấu, số, dấu - _ . : /.")
    return Target(name=name, host=parts.hostname, path=path.rstrip("/") or "/",
                  user=user, port=port,
                  kiosk=parts.scheme == KIOSK_SCHEME)


def _is_host(host: str) -> bool:
    """A host name or an IP address: nothing ssh or rsync could read as an option."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return HOST_NAME.fullmatch(host) is not None


def parse_list(text: str) -> list[Target]:
    """`name=ssh://...,ssh://...`: the PUBLISH_TARGETS environment variable."""
    targets = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        bare = re.match(r"^[a-z][a-z0-9+.-]*://", entry)
        name, url = ("", entry) if bare else entry.partition("=")[::2]
        if not url:
            raise TargetError(f"Mục \"{entry}\" trong biến {ENV_TARGETS} không phải "
                              "\"tên=ssh://...\" hay \"ssh://...\".")
        try:
            targets.append(parse_url(url, name))
        except TargetError as error:
            raise TargetError(f"Biến môi trường {ENV_TARGETS}, mục \"{entry}\": {error}") from None
    return targets


def configured(settings: dict, environ: dict) -> list[Target]:
    """The targets to deploy to: the environment's list when given, else the settings'."""
    if environ.get(ENV_TARGETS, "").strip():
        targets = parse_list(environ[ENV_TARGETS])
    else:
        targets = [parse_url(url, name) for name, url in settings.get("PUBLISH_TARGETS", {}).items()]
    if not targets:
        raise TargetError("Chưa khai báo nơi đăng trang: thêm PUBLISH_TARGETS vào publishconf.py "
                          f"hoặc đặt biến môi trường {ENV_TARGETS} (xem docs/dang-tai.md).")
    names = [target.name for target in targets]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise TargetError(f"Hai đích trùng tên: {', '.join(duplicates)}. Đặt cho mỗi đích một tên riêng.")
    return targets


def select(targets: list[Target], names: str) -> list[Target]:
    """Only the targets named (comma-separated); all when `names` is empty."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in {t.name for t in targets}]
    if unknown:
        raise TargetError(f"Không có đích tên {', '.join(unknown)}. Các đích đã khai báo: "
                          f"{', '.join(t.name for t in targets)}.")
    return [t for t in targets if not wanted or t.name in wanted]


def remote_shell(target: Target, environ: dict) -> list[str]:
    """The remote shell command for `target`: RSYNC_RSH or ssh, with the URL's port first.

    OpenSSH keeps the first -p it reads, so the port written in the URL wins over one that
    RSYNC_RSH may carry.
    """
    words = shlex.split(environ.get(ENV_RSH, "")) or list(DEFAULT_SHELL)
    port = ["-p", str(target.port)] if target.port else []
    return [words[0], *port, *words[1:]]


def ssh_command(target: Target, environ: dict, command: str) -> list[str]:
    """Run `command` on the target the way rsync would reach it (`-l user -- host command`);
    `--`: whatever the host, ssh never reads it as an option."""
    user = ["-l", target.user] if target.user else []
    return [*remote_shell(target, environ), *user, "--", target.host, command]

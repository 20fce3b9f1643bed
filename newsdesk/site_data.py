"""The site's own details, in one data file: data/site.toml, written by `invoke setup-site`.

Nobody edits Python to configure the site. The file holds the public address (`PUBLIC_URL`),
the feeds' ID domain (`FEEDS_ID_DOMAIN`, never changed after the first publish), the office's
contact lines (phone, email, hours: laid over `[office]` of data/vocabulary.toml) and the
publish targets (`PUBLISH_TARGETS`). pelicanconf.py, publishconf.py and the vocabulary loader
read it; a missing file leaves the samples, which preview builds accept and `invoke publish`
refuses (`not_ready`). The environment variable NEWSDESK_SITE_DATA names another file (tests).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import tomli_w

from newsdesk import project
from newsdesk.content.text import nfc

ENV = "NEWSDESK_SITE_DATA"
# What a copy of the project holds before `invoke setup-site`: good enough to preview, never
# published. The address is a guess at the district portal's, the target a reserved name.
SAMPLE_PUBLIC_URL = "https://honquan.binhphuoc.gov.vn/giam-ngheo"
SAMPLE_TARGETS = {"web": "ssh://deploy@web.example:22/srv/giam-ngheo"}
DEFAULT_FEEDS_ID_DOMAIN = "honquan.binhphuoc.gov.vn"
# Host names reserved for examples (RFC 2606, RFC 6761): a target there is a sample.
SAMPLE_HOST_SUFFIXES = (".example", ".invalid", ".localhost")
SAMPLE_HOSTS = {"example", "example.com", "example.net", "example.org", "localhost"}
OFFICE_CONTACT = {"phone": "số điện thoại", "email": "thư điện tử", "hours": "giờ làm việc"}
HEADER = """\
# Thông tin riêng của chuyên mục, do lệnh `invoke setup-site` ghi (chạy lại lệnh đó để sửa).
# pelicanconf.py, publishconf.py và khối [office] của data/vocabulary.toml đọc tệp này.
# feeds_id_domain: KHÔNG BAO GIỜ đổi sau lần đăng đầu tiên (mã định danh mọi tin trong nguồn tin).

"""


class SiteDataError(Exception):
    """data/site.toml cannot be read; the message (Vietnamese) says why."""


@dataclass(frozen=True)
class SiteData:
    path: Path
    public_url: str = ""
    feeds_id_domain: str = ""
    office: dict[str, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # why the file could not be read ("" when it could, or is absent)

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def default_path(environ=None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get(ENV) or project.ROOT / "data" / "site.toml")


def load(path: str | Path | None = None) -> SiteData:
    """The site data in `path` (default: default_path()); never raises: a missing file gives
    empty values, an unreadable one empty values and `problem`."""
    path = Path(path) if path else default_path()
    try:
        raw = tomllib.loads(nfc(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return SiteData(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return SiteData(path, problem=f"{path}: không đọc được tệp ({error}). Chạy lại: "
                                      "invoke setup-site")
    site, office, publish = (raw.get(k) if isinstance(raw.get(k), dict) else {}
                             for k in ("site", "office", "publish"))
    targets = publish.get("targets") if isinstance(publish.get("targets"), dict) else {}
    return SiteData(path, public_url=_text(site.get("public_url")),
                    feeds_id_domain=_text(site.get("feeds_id_domain")),
                    office={k: _text(v) for k, v in office.items()},
                    targets={str(k): _text(v) for k, v in targets.items()})


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def write(data: SiteData) -> None:
    """Write `data` to its file (replacing it in one rename), with the explaining header."""
    document = {"site": {"public_url": data.public_url,
                         "feeds_id_domain": data.feeds_id_domain},
                "office": dict(data.office),
                "publish": {"targets": dict(data.targets)}}
    data.path.parent.mkdir(parents=True, exist_ok=True)
    temporary = data.path.with_name(f".{data.path.name}.new")
    temporary.write_text(HEADER + tomli_w.dumps(document), encoding="utf-8")
    temporary.replace(data.path)


def office_overlay(data: SiteData) -> dict[str, str]:
    """The office lines the site data fills in (an empty value leaves the vocabulary's)."""
    return {key: value for key, value in data.office.items() if value}


def is_sample_host(host: str) -> bool:
    host = (host or "").lower().rstrip(".")
    return host in SAMPLE_HOSTS or host.endswith(SAMPLE_HOST_SUFFIXES)


def sample_office_value(value: str) -> bool:
    """Empty, or still a sample to replace: a placeholder, "xxx" digits, an example address."""
    lowered = value.lower()
    return (not value.strip() or "[cần điền]" in lowered or "xxx" in lowered
            or "cập nhật" in lowered or is_sample_host(lowered.rpartition("@")[2])
            and "@" in lowered)


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


# -- the public address: one rule for the build (plugins/public_url) and `invoke setup-site` --
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*", re.I)
_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*")
PUBLIC_URL_HINT = ("Ghi địa chỉ công khai của chuyên mục dạng https://tên-miền/đường-dẫn, không có "
                   "dấu / ở cuối, ví dụ https://honquan.binhphuoc.gov.vn/giam-ngheo; chạy: "
                   "invoke setup-site.")


def is_domain(value) -> bool:
    """A domain name and nothing else (no quote, markup, port or path): feeds_id_domain."""
    return isinstance(value, str) and HOST_NAME.fullmatch(value) is not None


def public_url_problem(value) -> str:
    """Why `value` is not a usable public address, or "" when it is."""
    if not isinstance(value, str) or not value:
        return "chưa ghi địa chỉ công khai"
    if value != value.strip() or any(ch.isspace() for ch in value):
        return "có khoảng trắng"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return "phải bắt đầu bằng https:// hoặc http://"
    if parts.username or parts.password or "@" in parts.netloc:
        return "không được chứa tên người dùng hay mật khẩu"
    try:
        port = parts.port
    except ValueError:
        return "số cổng không hợp lệ"
    host = parts.hostname or ""
    if not HOST_NAME.fullmatch(host) or (port is None and parts.netloc.endswith(":")):
        return "tên miền không hợp lệ"
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return "không được có phần ? hay # ở cuối"
    if value.endswith("/"):
        return "không được có dấu / ở cuối"
    if not _PATH.fullmatch(parts.path):
        return "đường dẫn chỉ được gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới và /"
    return ""

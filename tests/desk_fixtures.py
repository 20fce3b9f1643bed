"""Shared by the desk's tests: a project folder under git with a little content, the desk's
store beside it, three accounts, and a logged-in Flask test client."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

# Argon2's cheapest parameters for the tests' accounts (set before the desk is imported, and
# inherited by the `invoke` and server processes the tests start).
os.environ["NEWSDESK_DESK_HASH_PROFILE"] = "CHEAPEST"

from newsdesk.desk import accounts, create_app  # noqa: E402

PASSWORD = "mật-khẩu-đủ-dài"
ITEM_DONG_NO = """\
Title: Trao bò giống cho hộ nghèo Đồng Nơ
Date: 20/11/2026 08:00
Category: Đồng Nơ
Type: tin-bai
ID: 20261120-trao-bo
Status: draft
Summary: Xã Đồng Nơ trao bò giống cho mười hộ nghèo.

Sáng 20/11, UBND xã Đồng Nơ trao bò giống cho mười hộ nghèo.
"""
ITEM_AN_PHU = ITEM_DONG_NO.replace("Đồng Nơ", "An Phú").replace("trao-bo", "an-phu")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Quản trị",
                           "-c", "user.email=admin@example.invalid", *args],
                          check=True, capture_output=True, text=True).stdout


@dataclass
class Desk:
    root: Path
    database: Path
    app: object

    @property
    def content(self) -> Path:
        return self.root / "content"

    def commits(self) -> int:
        return int(git(self.root, "rev-list", "--count", "HEAD").strip())

    def snapshot(self) -> dict[str, bytes]:
        """Every file of content/ and its bytes: what "nothing was written" compares."""
        return {p.relative_to(self.content).as_posix(): p.read_bytes()
                for p in sorted(self.content.rglob("*")) if p.is_file()}

    def client(self, name: str | None = None):
        client = self.app.test_client()
        if name:
            login(client, name)
        return client


def make_project(root: Path) -> Path:
    (root / "content" / "pages").mkdir(parents=True)
    (root / "content" / "dong-no").mkdir()
    (root / "content" / "an-phu").mkdir()
    (root / "content" / "dong-no" / "trao-bo.md").write_text(ITEM_DONG_NO, encoding="utf-8")
    (root / "content" / "an-phu" / "an-phu.md").write_text(ITEM_AN_PHU, encoding="utf-8")
    (root / "content" / "pages" / "gioi-thieu.md").write_text(textwrap.dedent("""\
        Title: Giới thiệu

        Chuyên mục giảm nghèo huyện Hớn Quản.
        """), encoding="utf-8")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Nội dung đầu")
    return root


@pytest.fixture
def desk(tmp_path) -> Desk:
    root = make_project(tmp_path / "du-an")
    database = tmp_path / "ban" / "desk.sqlite3"
    for name, role, communes in (("Lan", "xa", ["dong-no"]), ("Minh", "xa", ["an-phu"]),
                                 ("Hùng", "huyen", [])):
        accounts.add(database, name, role, communes, PASSWORD)
    app = create_app({"DESK_ROOT": str(root), "DESK_DATABASE": str(database),
                      "DESK_OVERRIDES": {"POSTSTEPS_CACHE_DIR": str(tmp_path / "cache")}})
    return Desk(root, database, app)


def csrf(page: bytes | str) -> str:
    text = page.decode() if isinstance(page, bytes) else page
    return re.search(r'name="csrf_token" value="([^"]+)"', text)[1]


def login(client, name: str, password: str = PASSWORD):
    token = csrf(client.get("/dang-nhap").data)
    return client.post("/dang-nhap", data={"name": name, "password": password,
                                           "csrf_token": token})


def form_of(client, url: str) -> dict:
    """The item form's hidden fields (CSRF token, base revision) as the page gives them."""
    page = client.get(url).data.decode()
    return {"csrf_token": csrf(page),
            "base": re.search(r'name="base" value="([^"]*)"', page)[1]}

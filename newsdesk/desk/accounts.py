"""Accounts of the desk: who may log in, with which role and communes.

Two roles: a commune editor ("xa") writes items of their own communes and sends them for
review; a district editor ("huyen") edits any item, reviews and publishes. Passwords are kept
as Argon2id hashes (argon2-cffi's defaults). `invoke add-editor` calls `add`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from newsdesk.content import vocabulary
from newsdesk.content.text import fold, nfc
from newsdesk.desk import db

COMMUNE, DISTRICT = "xa", "huyen"
ROLES = {COMMUNE: "cán bộ xã", DISTRICT: "cán bộ huyện"}
MIN_PASSWORD = 10
# Argon2id with RFC 9106's low-memory parameters (64 MiB, 3 passes); the tests name the
# cheapest profile, as a login costs over a second on a busy machine. A hash keeps its own
# parameters, so changing the profile never locks anyone out.
HASH_PROFILE_ENV = "NEWSDESK_DESK_HASH_PROFILE"
_PROFILE = os.environ.get(HASH_PROFILE_ENV, "RFC_9106_LOW_MEMORY")
if _PROFILE not in ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"):
    raise ValueError(f"{HASH_PROFILE_ENV}={_PROFILE}: RFC_9106_LOW_MEMORY, RFC_9106_HIGH_MEMORY "
                     "hoặc CHEAPEST (chỉ để kiểm thử).")
HASHER = PasswordHasher.from_parameters(getattr(profiles, _PROFILE))
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = HASHER.hash("không có tài khoản này")


class AccountError(ValueError):
    """An account cannot be added; the message (Vietnamese) says why and what to do."""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    communes: tuple[str, ...]  # slugs; empty for a district editor (every commune)

    @classmethod
    def from_row(cls, row) -> "Account":
        return cls(row["id"], row["name"], row["role"],
                   tuple(filter(None, row["communes"].split(","))))

    @property
    def is_district(self) -> bool:
        return self.role == DISTRICT

    def may_use(self, commune_slug: str) -> bool:
        return self.is_district or commune_slug in self.communes

    @property
    def author(self) -> str:
        """How git records this account as an item's author."""
        from newsdesk.content.text import slug
        return f"{self.name} <{slug(self.name) or 'bien-tap'}@ban-bien-tap>"


def name_key(name: str) -> str:
    return fold(" ".join(nfc(name).split()))


def add(database: Path, name: str, role: str, communes: list[str], password: str,
        vocab: vocabulary.Vocabulary | None = None) -> Account:
    name = " ".join(nfc(name).split())
    if not name:
        raise AccountError("Thiếu tên đăng nhập. Ví dụ: invoke add-editor --user lan --role xa "
                           "--commune dong-no")
    if role not in ROLES:
        raise AccountError(f"Vai trò \"{role}\" không có. Dùng --role xa (cán bộ xã) hoặc "
                           "--role huyen (cán bộ huyện).")
    vocab = vocab or vocabulary.load()
    slugs = []
    for wanted in communes:
        place = vocab.commune_by_slug(wanted.strip()) or vocab.find_place(wanted)
        if place is None:
            suggestion = vocab.suggest_place(wanted)
            hint = f" Có phải \"{suggestion}\"?" if suggestion else ""
            raise AccountError(f"Không có xã / thị trấn \"{wanted}\".{hint} Ghi tên hoặc mã, "
                               "ví dụ --commune dong-no.")
        slugs.append(place.slug)
    if role == COMMUNE and not slugs:
        raise AccountError("Cán bộ xã cần ít nhất một xã: thêm --commune, ví dụ "
                           "--commune dong-no.")
    if role == DISTRICT and slugs:
        raise AccountError("Cán bộ huyện làm việc với mọi xã: bỏ --commune.")
    connection = db.connect(database)
    try:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
        if connection.execute("SELECT 1 FROM account WHERE name_key = ?",
                              (name_key(name),)).fetchone():
            raise AccountError(f"Đã có tài khoản \"{name}\". Chọn tên khác.")
        cursor = connection.execute(
            "INSERT INTO account (name, name_key, role, communes, password, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (name, name_key(name), role, ",".join(dict.fromkeys(slugs)), HASHER.hash(password),
             db.now()))
        connection.execute("INSERT INTO audit (at, who, action, detail) VALUES (?, ?, ?, ?)",
                           (db.now(), "invoke add-editor", "thêm tài khoản",
                            f"{name} ({ROLES[role]})"))
        return Account(cursor.lastrowid, name, role, tuple(slugs))
    finally:
        connection.close()


def verify(connection, name: str, password: str) -> Account | None:
    """The account when the password is right, else None (in the same time either way)."""
    row = connection.execute("SELECT * FROM account WHERE name_key = ?",
                             (name_key(name),)).fetchone()
    try:
        HASHER.verify(row["password"] if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return Account.from_row(row) if row else None

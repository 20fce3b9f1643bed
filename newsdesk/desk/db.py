"""The desk's own store, SQLite (like Flask's tutorial app): accounts, sessions, workflow
states, comments, login failures, the audit log. Made on first start, outside content/.

One connection per request (`get_db`), closed when the request ends.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from pathlib import Path

from flask import current_app, g, request

from newsdesk.content import dates

SCHEMA = """
CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT UNIQUE NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('xa', 'huyen')), communes TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS session (
    id TEXT PRIMARY KEY, account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failure (who TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS workflow (
    item TEXT PRIMARY KEY, state TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comment (
    id INTEGER PRIMARY KEY, item TEXT NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '');
"""


class StoreError(Exception):
    """The store cannot be opened; the message (Vietnamese) names the file."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the store at `path`, made (with its folder) when missing."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(SCHEMA)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"Không mở được tệp dữ liệu của bàn biên tập {path} ({error}). Kiểm "
                         "tra thư mục đó có ghi được không, hoặc đặt NEWSDESK_DESK_DB sang chỗ "
                         "khác (docs/ban-bien-tap.md, mục Cài đặt).") from None
    return connection


def get_db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = connect(current_app.config["DESK_DATABASE"])
    return g.db


def close_db(_error=None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)


def secret_key(path: Path) -> str:
    """The key that signs session cookies: made once, kept in the store, so a restart keeps
    everyone logged in and no one has to write a secret in a file."""
    connection = connect(path)
    try:
        connection.execute("INSERT OR IGNORE INTO setting VALUES ('secret_key', ?)",
                           (secrets.token_hex(32),))
        return connection.execute(
            "SELECT value FROM setting WHERE key = 'secret_key'").fetchone()[0]
    finally:
        connection.close()


def now(hours: float = 0) -> str:
    """Vietnam time (`hours` from now), as stored and shown; such strings sort as times."""
    moment = dt.datetime.now(dates.TIMEZONE) + dt.timedelta(hours=hours)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def audit(action: str, item: str = "", detail: str = "", who: str = "") -> None:
    """Record who did what, when, from where."""
    account = g.get("account")
    get_db().execute(
        "INSERT INTO audit (at, who, action, item, detail, address) VALUES (?, ?, ?, ?, ?, ?)",
        (now(), who or (account.name if account else ""), action, item, detail,
         request.remote_addr or ""))

"""An item's place in the workflow: nháp → chờ duyệt → đã duyệt → đã đăng, or trả lại with
the reviewer's comment. The file stays the truth for what the site shows (`Status: draft`
until approved); the store adds who moved it and when, and the comments."""

from __future__ import annotations

from flask import g

from newsdesk.desk import db
from newsdesk.desk.store import DRAFT, PUBLISHED, Item


def state_of(item: Item) -> str:
    row = db.get_db().execute("SELECT state FROM workflow WHERE item = ?", (item.id,)).fetchone()
    if row:
        return row["state"]
    return DRAFT if item.is_draft else PUBLISHED  # written before the desk, or by the CLI


def states() -> dict[str, str]:
    return {row["item"]: row["state"] for row in db.get_db().execute(
        "SELECT item, state FROM workflow")}


def set_state(item_id: str, state: str) -> None:
    db.get_db().execute("INSERT OR REPLACE INTO workflow VALUES (?, ?, ?, ?)",
                        (item_id, state, g.account.name, db.now()))


def add_comment(item_id: str, body: str) -> None:
    db.get_db().execute("INSERT INTO comment (item, author, body, at) VALUES (?, ?, ?, ?)",
                        (item_id, g.account.name, body, db.now()))


def comments(item_id: str) -> list:
    return db.get_db().execute("SELECT * FROM comment WHERE item = ? ORDER BY id DESC",
                               (item_id,)).fetchall()

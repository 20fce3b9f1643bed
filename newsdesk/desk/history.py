""""Lịch sử": an item's saved versions (git, through newsdesk.editors.history), the changes
between any two, and restoring one as a new save in the account's name."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from newsdesk.desk import db, store
from newsdesk.desk.items import authorize, editable
from newsdesk.desk.store import Refused
from newsdesk.editors import history as saved

bp = Blueprint("history", __name__, url_prefix="/lich-su")
VERSION = re.compile(r"[0-9a-f]{4,40}")


def _versions(item) -> list[saved.Version]:
    try:
        return saved.history(item.path, current_app.config["DESK_ROOT"])
    except saved.HistoryError:
        return []


def _version(value: str, versions) -> str:
    if not VERSION.fullmatch(value or "") or value not in {v.id for v in versions}:
        raise Refused("Không có bản lưu này của bài.", 404)
    return value


@bp.route("/<path:item_id>")
def versions(item_id: str):
    item = store.read(item_id)
    authorize(item)
    found = _versions(item)
    changes, older, newer = None, request.args.get("cu", ""), request.args.get("moi", "")
    if older and newer:
        older, newer = _version(older, found), _version(newer, found)
        try:
            changes = saved.diff(item.path, older, newer, current_app.config["DESK_ROOT"])
        except saved.HistoryError as error:
            raise Refused(str(error)) from None
    return render_template("desk/history.html", item=item, versions=found, changes=changes,
                           older=older, newer=newer)


@bp.route("/<path:item_id>/khoi-phuc", methods=["POST"])
def restore(item_id: str):
    item = store.read(item_id)
    authorize(item)
    editable(item)
    version = _version(request.form.get("ban", ""), _versions(item))
    root = current_app.config["DESK_ROOT"]
    with store.WRITE_LOCK:
        store.check_base(item, request.form.get("base", ""))
        try:
            backup = saved.undo(item.path, version, root)
        except saved.HistoryError as error:
            raise Refused(str(error)) from None
        if backup:
            backup.unlink(missing_ok=True)  # the version replaced is in the history already
        restored = store.read(item_id)
        if not g.account.is_district:  # a commune editor's restore is a draft again
            restored.values["status"] = "draft"
        store.write(restored, store.compose(restored.values, restored.body), restored.revision,
                    f"Khôi phục bản {version}: {restored.values.get('title', item_id)}",
                    g.account.author)
    db.audit("khôi phục bản cũ", item_id, version)
    flash(f"Đã khôi phục bản {version}.")
    return redirect(url_for("items.edit", item_id=item_id))

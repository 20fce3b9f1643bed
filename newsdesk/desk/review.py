"""Review, for district editors: the items waiting ("Chờ duyệt"), approving one (the saved
change that removes `Status: draft`, a git commit in the reviewer's name) or returning it to
its writer with a comment."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from newsdesk.content.problems import ERROR
from newsdesk.desk import db, store, workflow
from newsdesk.desk.auth import district_only
from newsdesk.desk.store import APPROVED, RETURNED, SENT, STATES, Refused

bp = Blueprint("review", __name__, url_prefix="/duyet")


@bp.route("/")
@district_only
def waiting():
    vocab = store.vocab()
    known = workflow.states()
    rows = []
    for item in store.all_items():
        if known.get(item.id) == SENT:
            place = vocab.find_place(item.values.get("category", ""))
            rows.append({"id": item.id, "title": item.values.get("title", item.id),
                         "place": place.name if place else ""})
    return render_template("desk/review.html", rows=rows)


def _waiting_item(item_id: str):
    item = store.read(item_id)
    if workflow.state_of(item) != SENT:
        raise Refused(f"Bài đang ở trạng thái \"{STATES[workflow.state_of(item)]}\", không "
                      "phải \"Chờ duyệt\".", 409)
    return item


@bp.route("/<path:item_id>/duyet", methods=["POST"])
@district_only
def approve(item_id: str):
    with store.WRITE_LOCK:
        item = _waiting_item(item_id)
        errors = [p for p in store.problems(item.path) if p.severity == ERROR]
        if errors:
            raise Refused(f"Chưa duyệt được: bài còn {len(errors)} lỗi. Mở bài, sửa rồi duyệt.")
        values = {key: value for key, value in item.values.items() if key != "status"}
        store.write(item, store.compose(values, item.body), request.form.get("base", ""),
                    f"Duyệt: {item.values.get('title', item.id)}", g.account.author)
        workflow.set_state(item.id, APPROVED)
    db.audit("duyệt", item.id)
    flash("Đã duyệt. Bài sẽ lên trang ở lần bấm \"Đăng\" tới.")
    return redirect(url_for("items.edit", item_id=item.id))


@bp.route("/<path:item_id>/tra-lai", methods=["POST"])
@district_only
def send_back(item_id: str):
    comment = request.form.get("comment", "").strip()
    if not comment:
        raise Refused("Ghi lý do trả lại (cần sửa gì) để người viết biết.")
    with store.WRITE_LOCK:
        item = _waiting_item(item_id)
        workflow.add_comment(item.id, comment)
        workflow.set_state(item.id, RETURNED)
    db.audit("trả lại", item.id, comment[:200])
    flash("Đã trả lại bài cho người viết, kèm lời nhắn.")
    return redirect(url_for("review.waiting"))

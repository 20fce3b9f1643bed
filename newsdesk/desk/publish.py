"""Publishing from the desk, for district editors: "Đăng" runs the project's publish and
shows what each target answered; "Quay về bản trước" runs its rollback.

`publish_site` is the one place the desk starts a publish, so that it can be pointed at the
publish of what was saved and approved in one edit. A second click while a publish runs is
refused at once here, and the targets' own lock (newsdesk.publish.lock) refuses a publish
started elsewhere (the CLI) meanwhile.
"""

from __future__ import annotations

import io
import threading

from flask import Blueprint, current_app, flash, g, render_template

from newsdesk import publish as site_publish
from newsdesk.desk import db, store, workflow
from newsdesk.desk.auth import district_only
from newsdesk.desk.store import APPROVED, PUBLISHED

bp = Blueprint("publish", __name__, url_prefix="/dang")
RUNNING = threading.Lock()
_running_by = {"name": ""}


def publish_site(out) -> site_publish.PublishRun:
    """The project's publish with the desk's settings, printing into `out`."""
    config = current_app.config
    return site_publish.publish(config["DESK_PUBLISH_SETTINGS"], config["DESK_OVERRIDES"],
                                out=out)


def rollback_site(out) -> list:
    config = current_app.config
    return site_publish.rollback(config["DESK_PUBLISH_SETTINGS"],
                                 overrides=config["DESK_OVERRIDES"], out=out)


def _approved() -> list:
    known = workflow.states()
    return [item for item in store.all_items() if known.get(item.id) == APPROVED]


@bp.route("/")
@district_only
def page():
    return render_template("desk/publish.html", approved=_approved(), log=None)


@bp.route("/", methods=["POST"])
@district_only
def start():
    if not RUNNING.acquire(blocking=False):
        db.audit("từ chối: đang đăng")
        return render_template("desk/publish.html", approved=_approved(), log=None, error=(
            f"{_running_by['name'] or 'Một người khác'} đang đăng trang. Chờ lần đăng đó xong "
            "rồi xem kết quả; không cần bấm lại.")), 409
    try:
        _running_by["name"] = g.account.name
        approved = _approved()
        out = io.StringIO()
        run = publish_site(out)
        if run.ok:
            for item in approved:
                workflow.set_state(item.id, PUBLISHED)
        db.audit("đăng" if run.ok else "đăng không thành", detail=run.refusal)
    finally:
        _running_by["name"] = ""
        RUNNING.release()
    if run.ok:
        flash("Đã đăng xong lên mọi nơi.")
    return render_template("desk/publish.html", approved=_approved(), log=out.getvalue(),
                           ok=run.ok, outcomes=run.outcomes), 200 if run.ok else 502


@bp.route("/quay-lai", methods=["POST"])
@district_only
def rollback():
    if not RUNNING.acquire(blocking=False):
        return render_template("desk/publish.html", approved=_approved(), log=None, error=(
            "Đang đăng trang: chờ xong rồi mới quay lại được.")), 409
    try:
        out = io.StringIO()
        outcomes = rollback_site(out)
    finally:
        RUNNING.release()
    ok = bool(outcomes) and all(outcome.ok for outcome in outcomes)
    db.audit("quay về bản trước" if ok else "quay về không thành")
    return render_template("desk/publish.html", approved=_approved(), log=out.getvalue(),
                           ok=ok, outcomes=outcomes, rolled_back=True), 200 if ok else 502

"""Publishing from the desk, for district editors: "Đăng" starts the project's publish in the
background and the page shows its progress, target by target, then each target's result;
"Quay về bản trước" runs the rollback the same way.

`publish_site` is the one place the desk starts a publish (the project's: what was saved,
drafts held back; approval is the saved change that ends a draft). A second click while a run goes on is
refused at once here (one run at a time per desk), and the targets' own lock
(newsdesk.publish.lock) refuses a publish started elsewhere (the CLI) meanwhile.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from newsdesk import publish as site_publish
from newsdesk.desk import db, store, workflow
from newsdesk.desk.auth import district_only
from newsdesk.desk.store import APPROVED, PUBLISHED

bp = Blueprint("publish", __name__, url_prefix="/dang")


def publish_site(config, out) -> site_publish.PublishRun:
    """The project's publish with the desk's settings, printing into `out`."""
    return site_publish.publish(config["DESK_PUBLISH_SETTINGS"], config["DESK_OVERRIDES"],
                                out=out)


def rollback_site(config, out) -> list:
    return site_publish.rollback(config["DESK_PUBLISH_SETTINGS"],
                                 overrides=config["DESK_OVERRIDES"], out=out)


@dataclass
class Run:
    """The desk's current (or last) publish or rollback, as the page shows it."""

    rollback: bool
    by: str
    at: str
    out: io.StringIO = field(default_factory=io.StringIO)
    done: bool = False
    ok: bool = False
    outcomes: list = field(default_factory=list)

    @property
    def log(self) -> str:
        return self.out.getvalue()


def _state() -> dict:
    """This desk's lock (held from the click until the run's end) and its last run."""
    return current_app.extensions.setdefault("desk_publish",
                                             {"lock": threading.Lock(), "run": None})


def _approved() -> list:
    known = workflow.states()
    return [item for item in store.all_items() if known.get(item.id) == APPROVED]


def _page(status: int = 200, error: str = ""):
    return render_template("desk/publish.html", approved=_approved(), run=_state()["run"],
                           error=error), status


@bp.route("/")
@district_only
def page():
    if request.args.get("phan") == "ket-qua":  # the page's script, following a run
        return render_template("desk/publish_run.html", run=_state()["run"])
    return _page()


def _start(rollback: bool):
    state = _state()
    if not state["lock"].acquire(blocking=False):
        running = state["run"]
        db.audit("từ chối: đang đăng")
        return _page(409, f"{running.by if running else 'Một người khác'} đang "
                          f"{'quay về bản trước' if running and running.rollback else 'đăng'} "
                          f"(bắt đầu lúc {running.at if running else ''}). Chờ xong rồi xem "
                          "kết quả dưới đây; không cần bấm lại.")
    run = state["run"] = Run(rollback, g.account.name, db.now())
    approved = [] if rollback else [item.id for item in _approved()]
    config = dict(current_app.config)
    threading.Thread(target=_work, args=(run, config, approved, state["lock"]),
                     daemon=True).start()
    db.audit("bắt đầu quay về bản trước" if rollback else "bắt đầu đăng")
    return redirect(url_for("publish.page"))


def _work(run: Run, config: dict, approved: list[str], lock: threading.Lock) -> None:
    try:
        if run.rollback:
            run.outcomes = rollback_site(config, run.out)
            run.ok = bool(run.outcomes) and all(outcome.ok for outcome in run.outcomes)
        else:
            result = publish_site(config, run.out)
            run.outcomes, run.ok = result.outcomes, result.ok
        connection = db.connect(config["DESK_DATABASE"])
        try:
            if run.ok:
                connection.executemany(
                    "UPDATE workflow SET state = ?, by = ?, at = ? WHERE item = ? AND state = ?",
                    [(PUBLISHED, run.by, db.now(), item, APPROVED) for item in approved])
            what = "quay về bản trước" if run.rollback else "đăng"
            connection.execute("INSERT INTO audit (at, who, action) VALUES (?, ?, ?)",
                               (db.now(), run.by, what + ("" if run.ok else " không thành")))
        finally:
            connection.close()
    except Exception as error:  # noqa: BLE001 - said on the page, never a traceback
        print(f"Lỗi ngoài dự kiến ({type(error).__name__}); báo người quản trị kỹ thuật.",
              file=run.out)
    finally:
        run.done = True
        lock.release()


@bp.route("/", methods=["POST"])
@district_only
def start():
    return _start(rollback=False)


@bp.route("/quay-lai", methods=["POST"])
@district_only
def rollback():
    return _start(rollback=True)

"""Logging in and out, and the rule that every page but the login needs a session.

The session cookie holds only a random id; the session itself is a row of the store, so
logging out (or removing an account) ends it at once, and it ends by itself after
DESK_SESSION_HOURS. Failed logins are counted per name and
per address over DESK_LOGIN_WINDOW seconds; past DESK_LOGIN_LIMIT the login is refused, even
with the right password, until the window has passed.
"""

from __future__ import annotations

import functools
import secrets
import time

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)

from newsdesk.desk import accounts, db

bp = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "static"}


@bp.before_app_request
def load_account() -> None:
    g.account = None
    sid = session.get("sid")
    if sid:
        hours = current_app.config["DESK_SESSION_HOURS"]
        row = db.get_db().execute(
            "SELECT account.* FROM session JOIN account ON account.id = session.account "
            "WHERE session.id = ? AND session.created > ?", (sid, db.now(-hours))).fetchone()
        g.account = accounts.Account.from_row(row) if row else None
    if g.account is None and request.endpoint not in OPEN_ENDPOINTS:
        return redirect(url_for("auth.login"))
    return None


def district_only(view):
    """Reviewing and publishing: district editors only, whatever a form says."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not g.account.is_district:
            db.audit("từ chối: chỉ cán bộ huyện", request.path)
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def _failures(connection, keys: list[str]) -> int:
    since = time.time() - current_app.config["DESK_LOGIN_WINDOW"]
    connection.execute("DELETE FROM login_failure WHERE at < ?", (since,))
    return max(connection.execute("SELECT count(*) FROM login_failure WHERE who = ?",
                                  (key,)).fetchone()[0] for key in keys)


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("desk/login.html")
    name = request.form.get("name", "")
    password = request.form.get("password", "")
    connection = db.get_db()
    keys = [f"ten:{accounts.name_key(name)}", f"dia-chi:{request.remote_addr}"]
    if _failures(connection, keys) >= current_app.config["DESK_LOGIN_LIMIT"]:
        minutes = -(-current_app.config["DESK_LOGIN_WINDOW"] // 60)
        db.audit("đăng nhập bị chặn", detail=name, who=name)
        return render_template("desk/login.html", name=name, error=(
            f"Đã nhập sai quá nhiều lần. Chờ {minutes} phút rồi thử lại, hoặc nhờ cán bộ huyện "
            "đặt lại mật khẩu.")), 429
    account = accounts.verify(connection, name, password)
    if account is None:
        for key in keys:
            connection.execute("INSERT INTO login_failure VALUES (?, ?)", (key, time.time()))
        db.audit("đăng nhập sai", detail=name, who=name)
        return render_template("desk/login.html", name=name, error=(
            "Sai tên đăng nhập hoặc mật khẩu. Kiểm tra bộ gõ (Unikey) và phím Caps Lock.")), 401
    session.clear()  # a new session id and a new CSRF secret on every login
    connection.execute("DELETE FROM session WHERE created < ?",
                       (db.now(-current_app.config["DESK_SESSION_HOURS"]),))
    sid = secrets.token_urlsafe(32)
    connection.execute("INSERT INTO session VALUES (?, ?, ?)", (sid, account.id, db.now()))
    session["sid"] = sid
    g.account = account
    db.audit("đăng nhập")
    return redirect(url_for("items.index"))


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    db.get_db().execute("DELETE FROM session WHERE id = ?", (session.get("sid"),))
    db.audit("đăng xuất")
    session.clear()
    flash("Đã đăng xuất.")
    return redirect(url_for("auth.login"))


@bp.route("/nhat-ky")
@district_only
def audit_log():
    """Who did what, when, from where: the newest 500 entries."""
    rows = db.get_db().execute("SELECT * FROM audit ORDER BY id DESC LIMIT 500").fetchall()
    return render_template("desk/audit.html", rows=rows)

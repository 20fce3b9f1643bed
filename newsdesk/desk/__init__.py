"""The editing desk ("Bàn biên tập"): commune officers write in a browser, the district office
reviews and publishes (docs/ban-bien-tap.md; docs/architecture.md, "The editing desk").

A Flask application over the same item files, checks, history and publish as the CLI: items
stay Markdown files in content/ and every save is a git commit (newsdesk.editors.history).
SQLite (newsdesk.desk.db) keeps what is the desk's own: accounts, sessions, the workflow's
states and comments, login failures and the audit log. One blueprint a concern: auth, items,
review, publish, history. `invoke desk` serves it with waitress (newsdesk.desk.server).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from newsdesk import project

# Every setting, its default and the environment variable that overrides it (tests and the
# office's start script set these; create_app's argument wins over both).
DEFAULTS = {
    "DESK_ROOT": (str(project.ROOT), "NEWSDESK_DESK_ROOT"),  # the git folder holding content/
    "DESK_DATABASE": (str(project.ROOT / "instance" / "desk.sqlite3"), "NEWSDESK_DESK_DB"),
    "DESK_SETTINGS": (str(project.SETTINGS), "NEWSDESK_DESK_SETTINGS"),
    "DESK_PUBLISH_SETTINGS": (str(project.PUBLISH_SETTINGS), "NEWSDESK_DESK_PUBLISH_SETTINGS"),
    "DESK_OVERRIDES": ("{}", "NEWSDESK_DESK_OVERRIDES"),  # JSON: extra build settings
    # "1" behind nginx's HTTPS (deploy/nginx.conf): Secure cookies, X-Forwarded-* trusted
    "DESK_HTTPS": ("", "NEWSDESK_DESK_HTTPS"),
    "DESK_LOGIN_LIMIT": ("5", "NEWSDESK_DESK_LOGIN_LIMIT"),  # failed logins per window
    "DESK_LOGIN_WINDOW": ("900", "NEWSDESK_DESK_LOGIN_WINDOW"),  # seconds
    "DESK_SESSION_HOURS": ("12", "NEWSDESK_DESK_SESSION_HOURS"),  # a login lasts a working day
    "DESK_UPLOAD_MAX_BYTES": (str(20 * 1024 * 1024), "NEWSDESK_DESK_UPLOAD_MAX_BYTES"),
    "DESK_HOST": ("127.0.0.1", "NEWSDESK_DESK_HOST"),  # `invoke desk` without --host
    "DESK_PORT": ("8800", "NEWSDESK_DESK_PORT"),  # `invoke desk` without --port
}


class DeskSettingError(ValueError):
    """A desk setting written wrongly; the message (Vietnamese) names it."""


def settings(given: dict | None = None) -> dict:
    """The desk's settings, each checked: given, else the environment, else the default."""
    given = given or {}
    values = {key: given.get(key, os.environ.get(env, default))
              for key, (default, env) in DEFAULTS.items()}
    def wrong(key: str, what: str) -> DeskSettingError:
        return DeskSettingError(f"Cài đặt {DEFAULTS[key][1]} = \"{values[key]}\" viết sai: "
                                f"phải là {what}. Xem docs/ban-bien-tap.md, mục Cài đặt.")

    try:
        overrides = values["DESK_OVERRIDES"]
        values["DESK_OVERRIDES"] = (json.loads(overrides) if isinstance(overrides, str)
                                    else dict(overrides))
    except (ValueError, TypeError):
        raise wrong("DESK_OVERRIDES", "một bảng JSON, ví dụ {}") from None
    for key in ("DESK_LOGIN_LIMIT", "DESK_LOGIN_WINDOW", "DESK_UPLOAD_MAX_BYTES", "DESK_PORT",
                "DESK_SESSION_HOURS"):
        try:
            number = int(values[key])
        except (ValueError, TypeError):
            number = 0
        if number <= 0:
            raise wrong(key, "một số nguyên dương")
        values[key] = number
    values["DESK_HTTPS"] = str(values["DESK_HTTPS"]).lower() in ("1", "true", "yes")
    for key in ("DESK_ROOT", "DESK_DATABASE", "DESK_SETTINGS", "DESK_PUBLISH_SETTINGS"):
        values[key] = Path(values[key]).resolve()
    values["DESK_CONTENT"] = values["DESK_ROOT"] / "content"
    # The build and the check read the desk's own content folder.
    values["DESK_OVERRIDES"] = {**values["DESK_OVERRIDES"], "PATH": str(values["DESK_CONTENT"])}
    return values


def create_app(given: dict | None = None) -> Flask:
    from newsdesk.desk import auth, db, history, items, publish, review

    app = Flask(__name__)
    app.config.update(settings(given))
    app.config.update(
        SECRET_KEY=db.secret_key(app.config["DESK_DATABASE"]),
        SESSION_COOKIE_NAME="ban_bien_tap",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=app.config["DESK_HTTPS"],
        MAX_CONTENT_LENGTH=app.config["DESK_UPLOAD_MAX_BYTES"],
        WTF_CSRF_SSL_STRICT=app.config["DESK_HTTPS"],
    )
    CSRFProtect(app)
    db.init_app(app)
    for blueprint in (auth.bp, items.bp, review.bp, publish.bp, history.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("desk/error.html", message=(
            "Biểu mẫu đã cũ hoặc không hợp lệ (mã chống giả mạo). Tải lại trang rồi làm lại; "
            "nếu đã đăng nhập lại ở nơi khác, hãy mở lại trang.")), 400

    for code, message in ((403, "Tài khoản của bạn không được làm việc này."),
                          (404, "Không có trang hay bài này."),
                          (413, "Tệp gửi lên quá lớn."),
                          (405, "Không làm được việc này theo cách đó."),
                          (400, "Yêu cầu không hợp lệ.")):
        app.register_error_handler(code, _error_page(code, message))

    @app.errorhandler(Exception)
    def unexpected(error):  # never a traceback on screen; the log keeps it
        if isinstance(error, HTTPException):
            return error
        app.logger.exception("desk error")
        return render_template("desk/error.html", message=(
            "Có lỗi ngoài dự kiến; việc vừa làm chưa xong. Báo người quản trị kỹ thuật.")), 500

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", (
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    return app


def _error_page(code: int, message: str):
    def handler(error):
        text = error.description if (isinstance(error, HTTPException) and error.description
                                     and not error.description.isascii()) else message
        return render_template("desk/error.html", message=text), code
    return handler

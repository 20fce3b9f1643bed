"""`invoke desk`: the desk served by waitress (a production WSGI server that also runs on
Windows), on 127.0.0.1:8800 unless told otherwise; nginx adds HTTPS in front of it
(deploy/nginx.conf)."""

from __future__ import annotations

import errno
import socket

import waitress

from newsdesk.desk import create_app


class DeskStartError(Exception):
    """The desk cannot start; the message (Vietnamese) says why and what to do."""


def serve(host: str = "", port: int = 0, threads: int = 8) -> None:
    """Serve until Ctrl+C; `host` and `port` default to DESK_HOST and DESK_PORT."""
    app = create_app()
    host, port = host or app.config["DESK_HOST"], port or app.config["DESK_PORT"]
    # Behind nginx (deploy/nginx.conf), the browser's address and scheme come from nginx's
    # X-Forwarded-* headers, from nginx alone; otherwise waitress drops those headers.
    behind = ({"trusted_proxy": "127.0.0.1", "trusted_proxy_count": 1,
               "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto x-forwarded-host"}
              if app.config["DESK_HTTPS"] else {})
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads,
                                        ident="ban-bien-tap", **behind)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise DeskStartError(f"Cổng {port} đang bận (bàn biên tập đã chạy, hoặc chương "
                                 "trình khác dùng cổng này). Mở http://"
                                 f"{host}:{port}/ hoặc chạy với --port khác.") from None
        if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
            raise DeskStartError(f"Địa chỉ \"{host}\" không dùng được trên máy này.") from None
        raise
    print(f"Bàn biên tập đang chạy: http://{host}:{port}/ (dừng: Ctrl+C)", flush=True)
    server.run()

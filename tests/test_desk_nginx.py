"""The desk behind deploy/nginx.conf's HTTPS server block: a real nginx in front of the real
`invoke desk`; the session cookie is Secure and the login rate limit counts the client's own
address (from nginx's X-Forwarded-For), not nginx's."""

from __future__ import annotations

import http.client
import os
import re
import ssl
import subprocess
import sys
import urllib.parse

import pytest
from desk_fixtures import PASSWORD, make_project
from test_web_server import Nginx

from devtools import ROOT
from devtools.sshd import free_port

HOST = "ban-bien-tap.honquan.binhphuoc.gov.vn"


@pytest.fixture
def desk_behind_nginx(tmp_path):
    root = make_project(tmp_path / "du-an")
    port = free_port()
    env = {**os.environ, "NEWSDESK_DESK_ROOT": str(root), "NEWSDESK_DESK_HTTPS": "1",
           "NEWSDESK_DESK_DB": str(tmp_path / "ban" / "desk.sqlite3"),
           "NEWSDESK_DESK_PORT": str(port), "NEWSDESK_DESK_LOGIN_LIMIT": "2"}
    added = subprocess.run([sys.executable, "-m", "invoke", "add-editor", "--user", "Lan",
                            "--role", "xa", "--commune", "dong-no"], input=PASSWORD + "\n",
                           env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    desk = subprocess.Popen([sys.executable, "-m", "invoke", "desk"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert "Bàn biên tập đang chạy" in desk.stdout.readline()
    work = tmp_path / "nginx"
    work.mkdir()
    nginx = Nginx(tmp_path / "srv", work, free_port())
    conf = work / "site.conf"
    conf.write_text(conf.read_text(encoding="utf-8").replace("127.0.0.1:8800",
                                                             f"127.0.0.1:{port}"),
                    encoding="utf-8")
    nginx.start()
    yield nginx
    nginx.stop()
    desk.terminate()
    desk.wait(timeout=30)


def https(nginx, method: str, path: str, body: str = "", headers: dict | None = None,
          client: str = "127.0.0.1"):
    connection = http.client.HTTPSConnection("127.0.0.1", nginx.tls_port, timeout=30,
                                             context=ssl._create_unverified_context(),
                                             source_address=(client, 0))
    connection.request(method, path, body=body or None, headers={
        "Host": HOST, **({"Content-Type": "application/x-www-form-urlencoded"} if body else {}),
        **(headers or {})})
    response = connection.getresponse()
    text = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response, text


def test_the_desk_behind_nginx_https_sets_secure_cookies(desk_behind_nginx):
    nginx = desk_behind_nginx
    response, page = https(nginx, "GET", "/dang-nhap")
    assert response.status == 200 and "Tên đăng nhập" in page
    assert response.getheader("Strict-Transport-Security")
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode({"name": "Lan", "password": PASSWORD, "csrf_token": token})
    response, _ = https(nginx, "POST", "/dang-nhap", form, {
        "Cookie": cookie, "Referer": f"https://{HOST}/dang-nhap"})
    assert response.status == 302, response.status
    set_cookie = response.getheader("Set-Cookie")
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie


def wrong_login(nginx, name: str, client: str) -> int:
    response, page = https(nginx, "GET", "/dang-nhap", client=client)
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    wrong = urllib.parse.urlencode({"name": name, "password": "sai", "csrf_token": token})
    response, _ = https(nginx, "POST", "/dang-nhap", wrong, {
        "Cookie": cookie, "Referer": f"https://{HOST}/dang-nhap"}, client=client)
    return response.status


def test_the_login_limit_counts_each_browsers_address_not_nginxs(desk_behind_nginx):
    nginx = desk_behind_nginx
    assert [wrong_login(nginx, "Lan", "127.0.0.2") for _ in range(3)] == [401, 401, 429]
    assert wrong_login(nginx, "Khác", "127.0.0.2") == 429  # this address is blocked
    assert wrong_login(nginx, "Người khác", "127.0.0.3") == 401  # another one is not

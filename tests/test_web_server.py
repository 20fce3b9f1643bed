"""deploy/nginx.conf, run by a real nginx on 127.0.0.1 over a published layout (current -> release)."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import ssl
import subprocess
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, ROOT

from devtools import chromium
from devtools.sshd import free_port, wait_for_port
from newsdesk.site.build import build

CONFIG = ROOT / "deploy" / "nginx.conf"
CSP = ("default-src 'self'; img-src 'self' data:; media-src 'self'; "
       "frame-src https://www.youtube-nocookie.com; script-src 'self' 'wasm-unsafe-eval'; "
       "style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'self'")




CERTIFICATE_DIR = "/etc/letsencrypt/live/honquan.binhphuoc.gov.vn"
# certbot's webroot as docs/dang-tai.md gives it: the folder its `-w` names.
CERTBOT = re.search(r"^\s*(sudo certbot certonly --webroot -w (\S+) .*)$",
                    (ROOT / "docs" / "dang-tai.md").read_text(encoding="utf-8"), re.M)


def throwaway_certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (fullchain.pem, privkey.pem), as certbot names them."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(folder / "privkey.pem"),
                    "-out", str(folder / "fullchain.pem")], check=True, capture_output=True)
    return folder


class Nginx:
    def __init__(self, root: Path, work: Path, port: int, tls_port: int | None = None):
        self.port = port
        self.tls_port = tls_port or free_port()
        self.work = work
        site = CONFIG.read_text(encoding="utf-8")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{self.tls_port} ssl http2;")
        site = site.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
        site = site.replace(CERTIFICATE_DIR, str(throwaway_certificate(work / "tls")))
        site = site.replace("/srv/giam-ngheo", str(root))
        self.webroot = work / "letsencrypt"
        site = site.replace(CERTBOT[2], str(self.webroot))
        (work / "site.conf").write_text(site, encoding="utf-8")
        temp = "".join(f"{kind}_temp_path {work}/{kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.main = work / "nginx.conf"
        self.main.write_text(
            f"daemon off;\nuser root;\nworker_processes 1;\npid {work}/nginx.pid;\n"
            f"error_log {work}/error.log;\nevents {{ worker_connections 64; }}\n"
            f"http {{\ninclude /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n"
            f"access_log off;\n{temp}include {work}/site.conf;\n}}\n")
        self.process = None

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run(["nginx", "-t", "-p", str(self.work), "-c", str(self.main)],
                              capture_output=True, text=True)

    def start(self) -> None:
        self.process = subprocess.Popen(["nginx", "-p", str(self.work), "-c", str(self.main)],
                                        stderr=subprocess.PIPE)
        wait_for_port(self.port, "nginx", self.work / "error.log", process=self.process)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)

    def get(self, path: str, gzip_ok: bool = False, tls: bool = False):
        if tls:  # the throwaway certificate is trusted by nobody: not verified
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.tls_port, timeout=10,
                context=ssl._create_unverified_context())
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response, body.decode("utf-8", errors="replace")


@pytest.fixture
def served(site, tmp_path):
    """A site built with publishconf.py into root/releases/<id>, `current` pointing at it."""
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    site.item("dong-no/to-roi.md", title="Tờ rơi vay vốn", type="to-roi", slug="to-roi-vay-von")
    root, port = tmp_path / "srv", free_port()
    # publishconf.py as is, but its absolute addresses point at this test server.
    result = build(ROOT / "publishconf.py", root / "releases" / "a1",
                   {"PATH": str(site.content), "NEWSDESK_TODAY": FIXED_TODAY,
                    "SITEURL": f"http://127.0.0.1:{port}/giam-ngheo"})
    assert result.ok, result.report.format()
    os.symlink("releases/a1", root / "current")
    work = tmp_path / "nginx"
    work.mkdir()
    nginx = Nginx(root, work, port)
    yield nginx, root
    nginx.stop()


def test_config_passes_nginx_t(served):
    nginx, _ = served
    checked = nginx.check()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_https_serves_the_kiosk_with_the_certificate_named_in_the_config(served):
    nginx, _ = served
    nginx.start()
    response, body = nginx.get("/giam-ngheo/kiosk/", tls=True)
    assert response.status == 200 and "Bạn ở xã nào?" in body
    assert response.getheader("Strict-Transport-Security") == "max-age=15552000"
    assert response.getheader("Content-Security-Policy") == CSP
    worker, script = nginx.get("/giam-ngheo/kiosk/sw.js", tls=True)
    assert worker.status == 200 and "javascript" in worker.getheader("Content-Type")


def test_nginx_t_refuses_a_missing_certificate(served):
    nginx, _ = served
    (nginx.work / "tls" / "fullchain.pem").unlink()
    checked = nginx.check()
    assert checked.returncode != 0 and "fullchain.pem" in checked.stderr


def test_serves_current_with_security_headers_compression_and_cache_lifetimes(served):
    nginx, root = served
    nginx.start()
    home, text = nginx.get("/giam-ngheo/", gzip_ok=True)
    assert home.status == 200
    assert "Nuôi bò sinh sản" in text
    assert home.getheader("Content-Encoding") == "gzip"
    assert home.getheader("Content-Type") == "text/html; charset=utf-8"
    assert home.getheader("Content-Security-Policy") == CSP
    assert "unsafe-inline" not in home.getheader("Content-Security-Policy")
    assert home.getheader("X-Content-Type-Options") == "nosniff"
    assert home.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert home.getheader("Cache-Control") == "public, max-age=300"

    css_path = re.search(r'href="http://[^"]*/giam-ngheo/(theme/css/site\.[0-9a-f]+\.css)"', text)[1]
    css, _ = nginx.get(f"/giam-ngheo/{css_path}", gzip_ok=True)
    assert css.status == 200 and css.getheader("Content-Encoding") == "gzip"
    assert css.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    font, _ = nginx.get("/giam-ngheo/theme/fonts/noto-sans-regular.woff2")
    assert font.getheader("Cache-Control") == "public, max-age=604800"

    missing, body = nginx.get("/giam-ngheo/khong-co-trang-nay/")
    assert missing.status == 404
    assert "Không tìm thấy trang" in body
    assert missing.getheader("Content-Security-Policy") == CSP

    bare, _ = nginx.get("/giam-ngheo")
    assert bare.status == 301 and bare.getheader("Location") == "/giam-ngheo/"
    folder, _ = nginx.get("/giam-ngheo/dia-ban/dong-no")
    assert folder.status == 301 and folder.getheader("Location") == "/giam-ngheo/dia-ban/dong-no/"
    leaflet, _ = nginx.get("/giam-ngheo/to-roi/to-roi-vay-von/to-roi.pdf")
    assert leaflet.status == 200 and leaflet.getheader("Content-Type") == "application/pdf"
    assert leaflet.getheader("Cache-Control") == "public, max-age=86400"
    calendar, body = nginx.get("/giam-ngheo/nguon-tin/lich-hoi-nghi.ics")
    assert calendar.status == 200 and body.startswith("BEGIN:VCALENDAR")
    assert calendar.getheader("Content-Type") == "text/calendar; charset=utf-8"
    assert calendar.getheader("X-Content-Type-Options") == "nosniff"
    table, body = nginx.get("/giam-ngheo/tien-do/288-kh-ubnd-2023/tien-do-288-kh-ubnd-2023.csv")
    assert table.status == 200 and body.startswith('\ufeff"Bảng","Mục",')
    assert table.getheader("Content-Type") == "text/csv; charset=utf-8"
    assert table.getheader("X-Content-Type-Options") == "nosniff"
    (root / "current" / ".hidden").write_text("secret")
    hidden, _ = nginx.get("/giam-ngheo/.hidden")
    assert hidden.status == 404


def test_hidden_files_are_never_served_whatever_they_end_in_nor_release_json(served):
    nginx, root = served
    nginx.start()
    (root / "current" / ".git").mkdir()
    (root / "current" / "release.json").write_text('{"commit": "abc", "commit_dirty": true}')
    for name in (".secret.csv", ".lich.ics", ".git/config", "tien-do/.bang.csv"):
        (root / "current" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "current" / name).write_text("bí mật")
    for name in (".secret.csv", ".lich.ics", ".git/config", "tien-do/.bang.csv",
                 "release.json"):
        response, body = nginx.get(f"/giam-ngheo/{name}")
        assert response.status == 404 and "bí mật" not in body and "commit" not in body, name


def test_certbot_s_challenge_is_served_from_its_webroot_across_publishes(served):
    """certbot --webroot writes <webroot>/.well-known/acme-challenge/<token> and the CA fetches
    http://host/.well-known/acme-challenge/<token>: at issue, and again at every renewal."""
    nginx, root = served
    assert f"root {CERTBOT[2]};" in CONFIG.read_text(encoding="utf-8")
    challenge = nginx.webroot / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    token = "Xk3_9-aQ2rT0vWb5Yz8c1dEf4Gh7iJ6kLmNoPqRsTuV"
    (challenge / token).write_text(f"{token}.khoa-tai-khoan")
    nginx.start()
    for release in ("a1", "b2"):  # a publish switches current: the challenge stays
        if release == "b2":
            (root / "releases" / "b2").mkdir()
            os.symlink("releases/b2", root / "next")
            os.replace(root / "next", root / "current")
        answer, body = nginx.get(f"/.well-known/acme-challenge/{token}")
        assert (answer.status, body) == (200, f"{token}.khoa-tai-khoan")
        assert answer.getheader("Content-Type").startswith("text/plain")
    missing, _ = nginx.get("/.well-known/acme-challenge/khong-co")
    assert missing.status == 404


def test_a_switch_of_current_is_served_at_once(served):
    nginx, root = served
    nginx.start()
    _, before = nginx.get("/giam-ngheo/")
    (root / "releases" / "b2").mkdir()
    (root / "releases" / "b2" / "index.html").write_text("<!doctype html><title>Bản mới</title>")
    os.symlink("releases/b2", root / "next")
    os.replace(root / "next", root / "current")
    _, after = nginx.get("/giam-ngheo/")
    assert "Nuôi bò sinh sản" in before and "Bản mới" in after


# Each page records what the Content-Security-Policy blocked in window.__violations.
COLLECT_CSP_VIOLATIONS = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")


def test_pages_break_no_rule_of_the_security_policy_in_chromium(served):
    from playwright.sync_api import sync_playwright
    nginx, _ = served
    nginx.start()
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page()
            page.add_init_script(COLLECT_CSP_VIOLATIONS)
            failed = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            for path in ("/giam-ngheo/", "/giam-ngheo/tin-bai/bo/", "/giam-ngheo/khong-co/"):
                page.goto(f"http://127.0.0.1:{nginx.port}{path}")
                page.wait_for_load_state("load")
                assert page.evaluate("window.__violations") == [], path
                sheets = page.evaluate("[...document.styleSheets].map(s => s.cssRules.length)")
                assert sheets and all(count > 0 for count in sheets), path
            assert failed == []
        finally:
            browser.close()


def test_search_runs_under_the_served_policy_on_the_site_and_the_kiosk(served):
    """Pagefind's WebAssembly runs in a worker, which takes its policy from the response
    header, not from the page's <meta>: only the real server's header tests it."""
    from playwright.sync_api import sync_playwright
    nginx, _ = served
    nginx.start()
    origin = f"http://127.0.0.1:{nginx.port}/giam-ngheo/"
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page()
            page.add_init_script(COLLECT_CSP_VIOLATIONS)
            for search, found in (("tim-kiem/", "tin-bai/bo/"),
                                  ("kiosk/tim-kiem/", "kiosk/tin-bai/bo/")):
                page.goto(origin + search + "?q=nuoi+bo")
                page.wait_for_selector("[data-search-results][data-state=done]")
                links = page.eval_on_selector_all("[data-search-list] a", "a => a.map(x => x.href)")
                assert links == [origin + found], (search, links)
                assert page.evaluate("window.__violations") == [], search
        finally:
            browser.close()

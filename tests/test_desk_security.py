"""The desk refuses what it must, whatever a browser sends, and writes nothing when it does:
no session, another commune's item, a commune editor approving or publishing, a missing or
stale CSRF token, a path out of content/, a file that is not the photo it claims to be, a
save over someone else's, too many wrong passwords."""

from __future__ import annotations

import html
import io
import os
import re

import pytest
from desk_fixtures import PASSWORD, csrf, desk, form_of, login  # noqa: F401 (fixture)
from PIL import Image

from newsdesk.desk import create_app, db

ITEM = "dong-no/trao-bo"
OTHER = "an-phu/an-phu"


def jpeg(colour: str = "#3a6b35") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def item_form(token: dict, **fields) -> dict:
    return {**token, "title": "Trao bò giống", "type": "tin-bai", "category": "dong-no",
            "body": "Nội dung.", "action": "save", **fields}


def unchanged(desk, before: dict, commits: int) -> None:
    assert desk.snapshot() == before
    assert desk.commits() == commits


def every_url(app) -> list[tuple[str, str]]:
    """(method, url) of every route, filled with a real item id and version."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.login"):
            continue
        url = rule.rule.replace("<path:item_id>", ITEM).replace("<name>",
                                                                "noto-sans-regular.woff2")
        assert "<" not in url, url
        found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_every_route_but_the_login_needs_a_session(desk):
    before, commits = desk.snapshot(), desk.commits()
    client = desk.client()
    token = csrf(client.get("/dang-nhap").data)  # a real token of a session without login
    urls = every_url(desk.app)
    assert len(urls) >= 14, urls
    for method, url in urls:
        answer = client.open(url, method=method, data={
            "csrf_token": token, **item_form({}, action="send"), "comment": "x", "ban": "abc1"})
        assert answer.status_code == 302, (method, url, answer.status_code)
        assert answer.headers["Location"].endswith("/dang-nhap"), (method, url)
    unchanged(desk, before, commits)


def test_a_commune_editor_cannot_read_or_write_another_communes_item(desk):
    client = desk.client("Lan")  # Đồng Nơ only
    token = form_of(client, f"/bai/{ITEM}")
    before, commits = desk.snapshot(), desk.commits()
    for url in (f"/bai/{OTHER}", f"/anh/{OTHER}", f"/lich-su/{OTHER}"):
        assert client.get(url).status_code == 403, url
    forged = [(f"/bai/{OTHER}", item_form(token, category="an-phu")),
              (f"/bai/{ITEM}", item_form(token, category="an-phu")),  # moved to An Phú
              ("/bai/moi", item_form({"csrf_token": token["csrf_token"]}, category="an-phu",
                                     title="Tin giả An Phú")),
              ("/bai/moi", item_form({"csrf_token": token["csrf_token"]},
                                     category="toan-huyen", title="Tin toàn huyện")),
              (f"/lich-su/{OTHER}/khoi-phuc", {**token, "ban": "abcd"})]
    for url, data in forged:
        answer = client.post(url, data=data)
        assert answer.status_code == 403, (url, answer.status_code)
        assert "xã" in answer.data.decode() or "không được" in answer.data.decode()
    unchanged(desk, before, commits)
    with db.connect(desk.database) as connection:
        refusals = connection.execute(
            "SELECT count(*) FROM audit WHERE who = 'Lan' AND action LIKE 'từ chối%'").fetchone()
    assert refusals[0] >= 5


def test_a_commune_editor_cannot_approve_return_or_publish(desk):
    writer = desk.client("Lan")
    writer.post(f"/bai/{ITEM}", data=item_form(form_of(writer, f"/bai/{ITEM}"), action="send"))
    before, commits = desk.snapshot(), desk.commits()
    token = form_of(writer, f"/bai/{ITEM}")
    for url in (f"/duyet/{ITEM}/duyet", f"/duyet/{ITEM}/tra-lai", "/dang/", "/dang/quay-lai"):
        answer = writer.post(url, data={**token, "comment": "tự trả lại"})
        assert answer.status_code == 403, url
        assert "không được làm việc này" in answer.data.decode()
    assert writer.get("/duyet/").status_code == 403
    assert writer.get("/dang/").status_code == 403
    unchanged(desk, before, commits)
    page = writer.get(f"/bai/{ITEM}").data.decode()
    assert "Chờ duyệt" in page and ">Duyệt<" not in page


def test_a_missing_or_stale_csrf_token_is_refused(desk):
    client = desk.client("Lan")
    old = form_of(client, f"/bai/{ITEM}")
    before, commits = desk.snapshot(), desk.commits()
    missing = {key: value for key, value in item_form(old).items() if key != "csrf_token"}
    answer = client.post(f"/bai/{ITEM}", data=missing)
    assert answer.status_code == 400 and "chống giả mạo" in answer.data.decode()
    client.post("/dang-xuat", data={"csrf_token": old["csrf_token"]})
    login(client, "Lan")  # a new session: the old page's token is stale
    answer = client.post(f"/bai/{ITEM}", data=item_form(old, body="Ghi đè."))
    assert answer.status_code == 400 and "chống giả mạo" in answer.data.decode()
    fresh = desk.client()  # nor a token of the page before logging in (a new session then)
    before_login = csrf(fresh.get("/dang-nhap").data)
    login(fresh, "Lan")
    answer = fresh.post(f"/bai/{ITEM}", data=item_form({**old, "csrf_token": before_login}))
    assert answer.status_code == 400
    other = desk.client("Hùng")  # another person's token is no good either
    answer = client.post(f"/bai/{ITEM}", data=item_form(form_of(other, f"/bai/{ITEM}")))
    assert answer.status_code == 400
    unchanged(desk, before, commits)


@pytest.mark.parametrize("item_id", [
    "dong-no/../an-phu/an-phu", "dong-no/%2e%2e/an-phu/an-phu", "..%2f..%2fetc%2fpasswd",
    "dong-no/..%2f..%2f..%2fetc%2fpasswd", "pages/gioi-thieu", "dong-no/Trao-Bo",
    "dong-no/trao-bo.md", "dong-no//trao-bo", "dong-no/lien-ket"])
def test_item_ids_outside_a_communes_files_are_no_item(desk, item_id, tmp_path):
    outside = tmp_path / "ngoai.md"
    outside.write_text("Title: Ngoài\n\nBí mật.\n", encoding="utf-8")
    os.symlink(outside, desk.content / "dong-no" / "lien-ket.md")
    client = desk.client("Hùng")
    token = form_of(client, f"/bai/{ITEM}")
    before, commits = desk.snapshot(), desk.commits()
    assert client.get(f"/bai/{item_id}").status_code in (403, 404)
    answer = client.post(f"/bai/{item_id}", data=item_form(token, body="Ghi đè."))
    assert answer.status_code in (403, 404)
    assert "Bí mật" not in client.get(f"/lich-su/{item_id}").data.decode()
    unchanged(desk, before, commits)
    assert outside.read_text(encoding="utf-8") == "Title: Ngoài\n\nBí mật.\n"


def test_an_upload_name_cannot_leave_the_items_folder(desk):
    client = desk.client("Lan")
    token = form_of(client, f"/bai/{ITEM}")
    answer = client.post(f"/bai/{ITEM}", content_type="multipart/form-data", data=item_form(
        token, alt="Bò giống", photo=(io.BytesIO(jpeg()), "../../../../tmp/thoat.jpg")))
    assert answer.status_code == 302
    photos = sorted(p.relative_to(desk.content).as_posix()
                    for p in desk.content.rglob("*.jpg"))
    assert photos == ["dong-no/anh/thoat.jpg"]
    assert "Image: anh/thoat.jpg" in (desk.content / f"{ITEM}.md").read_text(encoding="utf-8")
    assert not (desk.root.parent / "tmp").exists()
    assert client.get(f"/anh/{ITEM}").data == jpeg()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize("name, data", [
    ("bo.jpg", SVG), ("bo.jpg", HTML), ("bo.png", b"\x89PNG\r\n\x1a\n" + HTML),
    ("bo.jpg", jpeg() + b"<script>alert(1)</script>"), ("bo.svg", SVG), ("bo.html", HTML)])
def test_a_file_that_is_not_the_photo_it_claims_is_refused_by_its_bytes(desk, name, data):
    client = desk.client("Lan")
    token = form_of(client, f"/bai/{ITEM}")
    before, commits = desk.snapshot(), desk.commits()
    answer = client.post(f"/bai/{ITEM}", content_type="multipart/form-data", data=item_form(
        token, alt="Bò", body="Chữ tôi gõ vẫn còn.", photo=(io.BytesIO(data), name)))
    assert answer.status_code == 400
    page = answer.data.decode()
    alert = html.unescape(re.search(r'role="alert">(.*?)</p>', page)[1])
    assert f"\"{name}\"" in alert  # the media checks' own words, naming the file
    assert re.search(r"không phải|định dạng|hỏng", alert), alert
    assert "Chữ tôi gõ vẫn còn." in page
    unchanged(desk, before, commits)


def test_a_photo_needs_its_description(desk):
    client = desk.client("Lan")
    before, commits = desk.snapshot(), desk.commits()
    answer = client.post(f"/bai/{ITEM}", content_type="multipart/form-data", data=item_form(
        form_of(client, f"/bai/{ITEM}"), alt=" ", photo=(io.BytesIO(jpeg()), "bo.jpg")))
    assert answer.status_code == 400 and "Mô tả ảnh" in answer.data.decode()
    unchanged(desk, before, commits)
    client.post(f"/bai/{ITEM}", content_type="multipart/form-data", data=item_form(
        form_of(client, f"/bai/{ITEM}"), alt="Bò", photo=(io.BytesIO(jpeg()), "bo.jpg")))
    before, commits = desk.snapshot(), desk.commits()
    answer = client.post(f"/bai/{ITEM}", data=item_form(form_of(client, f"/bai/{ITEM}"), alt=""))
    assert answer.status_code == 400 and "Mô tả ảnh" in answer.data.decode()  # nor lose it
    unchanged(desk, before, commits)


def test_the_second_of_two_saves_is_refused_naming_the_first_and_keeping_the_text(desk):
    writer, reviewer = desk.client("Lan"), desk.client("Hùng")
    writers_form = form_of(writer, f"/bai/{ITEM}")
    reviewers_form = form_of(reviewer, f"/bai/{ITEM}")
    assert reviewer.post(f"/bai/{ITEM}", data=item_form(
        reviewers_form, body="Bản của cán bộ huyện.")).status_code == 302
    before, commits = desk.snapshot(), desk.commits()
    answer = writer.post(f"/bai/{ITEM}", data=item_form(writers_form, body="Bản của Lan."))
    assert answer.status_code == 409
    page = answer.data.decode()
    assert "Hùng vừa lưu bài này" in page
    assert "Bản của Lan." in page
    unchanged(desk, before, commits)
    assert "Bản của cán bộ huyện." in (desk.content / f"{ITEM}.md").read_text(encoding="utf-8")


def test_a_field_cannot_add_a_header_line(desk):
    client = desk.client("Lan")
    client.post(f"/bai/{ITEM}", data=item_form(form_of(client, f"/bai/{ITEM}"),
                                               title="Tin\nStatus: published\r\nSlug: x",
                                               **{"f-summary": "Một\nStatus: published"}))
    text = (desk.content / f"{ITEM}.md").read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0].splitlines()
    assert "Status: draft" in header
    assert not any(line.startswith(("Status: published", "Slug:")) for line in header), header


def test_logins_are_rate_limited_even_with_the_right_password(desk):
    client = desk.client()
    for _ in range(5):
        assert login(client, "Lan", "sai-mat-khau").status_code == 401
    answer = login(client, "Lan", PASSWORD)
    assert answer.status_code == 429 and "quá nhiều lần" in answer.data.decode()
    assert client.get("/").status_code == 302
    assert login(desk.client(), "lan", PASSWORD).status_code == 429  # the name, folded
    assert login(desk.client(), "Hùng", PASSWORD).status_code == 429  # the same address
    with db.connect(desk.database) as connection:
        actions = [row[0] for row in connection.execute("SELECT action FROM audit")]
    assert actions.count("đăng nhập sai") == 5 and "đăng nhập bị chặn" in actions


def test_a_wrong_window_lets_the_right_password_in_again(desk):
    app = create_app({**desk.app.config, "DESK_LOGIN_WINDOW": "1"})
    client = app.test_client()
    for _ in range(5):
        login(client, "Lan", "sai-mat-khau")
    with db.connect(desk.database) as connection:  # the window passed: the failures are old
        connection.execute("UPDATE login_failure SET at = at - 5")
    assert login(client, "Lan").status_code == 302


def test_session_cookies_are_httponly_strict_and_secure_behind_https(desk):
    answer = login(desk.client(), "Lan")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    secure = create_app({**desk.app.config, "DESK_HTTPS": "1"}).test_client()
    token = csrf(secure.get("/dang-nhap", base_url="https://localhost").data)
    answer = secure.post("/dang-nhap", base_url="https://localhost",
                         headers={"Referer": "https://localhost/dang-nhap"},
                         data={"name": "Lan", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302
    assert "Secure" in answer.headers["Set-Cookie"]


def test_logging_out_ends_the_session_on_the_server(desk):
    client = desk.client("Lan")
    stolen = client.get_cookie("ban_bien_tap").value
    client.post("/dang-xuat", data={"csrf_token": form_of(client, f"/bai/{ITEM}")["csrf_token"]})
    thief = desk.client()
    thief.set_cookie("ban_bien_tap", stolen)
    assert thief.get("/").status_code == 302


def test_a_session_ends_by_itself_after_its_hours(desk):
    client = desk.client("Lan")
    assert client.get("/").status_code == 200
    with db.connect(desk.database) as connection:
        connection.execute("UPDATE session SET created = ?", (db.now(-13),))
    assert client.get("/").status_code == 302


def test_pages_send_a_strict_content_security_policy(desk):
    answer = desk.client("Lan").get(f"/bai/{ITEM}")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["..%2f..%2fpelicanconf.py", "..%2f..%2f..%2fdata%2fsite.toml",
                                  "%2e%2e%2ftemplates%2fbase.html"])
def test_the_site_fonts_route_serves_nothing_but_the_themes_fonts(desk, name):
    client = desk.client("Lan")
    assert client.get("/giao-dien/fonts/noto-sans-regular.woff2").status_code == 200
    assert client.get(f"/giao-dien/fonts/{name}").status_code == 404

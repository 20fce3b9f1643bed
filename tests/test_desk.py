"""The desk's day with Flask's test client: accounts by the real `invoke add-editor`, writing
with the check's problems beside the field, saves as git commits in the writer's name, the
workflow (send, return with a comment, resend, approve), the preview, the history."""

from __future__ import annotations

import html as html_module
import os
import re
import subprocess
import sys

import pytest
from PIL import Image
from desk_fixtures import PASSWORD, desk, form_of, git  # noqa: F401 (fixture)

from devtools import ROOT
from newsdesk.desk import accounts, db

ITEM = "dong-no/trao-bo"
INVOKE = [sys.executable, "-m", "invoke"]


def item_form(token: dict, **fields) -> dict:
    return {**token, "title": "Trao bò giống cho hộ nghèo", "type": "tin-bai",
            "category": "dong-no", "body": "Sáng 20/11, xã trao bò giống.", "action": "save",
            **fields}


def text_of(desk, item_id: str = ITEM) -> str:
    return (desk.content / f"{item_id}.md").read_text(encoding="utf-8")


def test_add_editor_reads_the_password_from_stdin_and_refuses_mistakes_in_vietnamese(tmp_path):
    env = {**os.environ, "NEWSDESK_DESK_DB": str(tmp_path / "ban.sqlite3")}

    def add(*args, password=PASSWORD):
        return subprocess.run([*INVOKE, "add-editor", *args], input=password + "\n", env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=900)

    done = add("--user", "Lan", "--role", "xa", "--commune", "dong-no", "--commune", "An Phú")
    assert done.returncode == 0, done.stderr
    assert "Đã thêm tài khoản Lan (cán bộ xã: dong-no, an-phu)" in done.stdout
    done = add("--user", "lan", "--role", "huyen")  # the name, without case: taken
    assert done.returncode == 1 and "Đã có tài khoản" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    # The other refusals, through the same function the task calls.
    for name, role, communes, password, said in (
            ("Mai", "xa", [], PASSWORD, "ít nhất một xã"),
            ("Mai", "xa", ["dong noo"], PASSWORD, "Có phải \"Đồng Nơ\"?"),
            ("Mai", "tinh", [], PASSWORD, "--role huyen"),
            ("Mai", "huyen", ["dong-no"], PASSWORD, "bỏ --commune"),
            ("Mai", "huyen", [], "ngan", "quá ngắn")):
        with pytest.raises(accounts.AccountError, match=re.escape(said)):
            accounts.add(tmp_path / "ban.sqlite3", name, role, communes, password)
    with db.connect(tmp_path / "ban.sqlite3") as connection:
        rows = connection.execute("SELECT name, role, communes, password FROM account").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [("Lan", "xa", "dong-no,an-phu")]
    assert rows[0][3].startswith("$argon2id$") and PASSWORD not in rows[0][3]


def test_a_new_item_is_a_draft_file_committed_in_the_writers_name(desk):
    client = desk.client("Lan")
    token = {"csrf_token": form_of(client, "/bai/moi")["csrf_token"], "base": ""}
    answer = client.post("/bai/moi", data=item_form(
        token, title="Đồng Nơ trao bò giống đợt 2", **{"f-summary": "Mười hộ nhận bò."}))
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/bai/dong-no/dong-no-trao-bo-giong-dot-2")
    text = text_of(desk, "dong-no/dong-no-trao-bo-giong-dot-2")
    assert text.startswith("Title: Đồng Nơ trao bò giống đợt 2\nDate: ")
    assert "\nCategory: Đồng Nơ\nType: tin-bai\nID: " in text
    assert "\nStatus: draft\n" in text and "Summary: Mười hộ nhận bò." in text
    assert git(desk.root, "log", "-1", "--format=%an|%s") == (
        "Lan|Lưu nháp: Đồng Nơ trao bò giống đợt 2\n")
    assert git(desk.root, "status", "--porcelain") == ""
    listing = client.get("/?trang-thai=nhap").data.decode()
    assert "Đồng Nơ trao bò giống đợt 2" in listing and "Nháp" in listing


def test_the_checks_problems_stand_beside_their_field_and_errors_stop_sending(desk):
    client = desk.client("Lan")
    answer = client.post(f"/bai/{ITEM}", follow_redirects=True, data=item_form(
        form_of(client, f"/bai/{ITEM}"), action="send", body="Dòng một.\n\n[CẦN ĐIỀN] viết",
        **{"f-summary": "Liên hệ chị Hoa 0912345678"}))
    page = answer.data.decode()
    assert "chưa gửi duyệt: bài còn 1 lỗi" in page
    summary = re.search(r'id="f-summary".*?</div>', page, re.S)[0]
    assert "Có vẻ là dữ liệu cá nhân (số điện thoại): &#34;0912345678&#34;" in summary
    body = re.search(r'id="f-body".*?</div>', page, re.S)[0]
    assert "(dòng 3 của nội dung)" in body and "Nội dung bài còn chữ [CẦN ĐIỀN]." in body
    assert 'aria-describedby="goi-y-summary loi-summary"' in page
    assert '<span class="state state-nhap">Nháp</span>' in page
    answer = client.post(f"/bai/{ITEM}", follow_redirects=True, data=item_form(
        form_of(client, f"/bai/{ITEM}"), action="send", **{"f-summary": "Mười hộ nhận bò."}))
    assert "Đã gửi duyệt" in answer.data.decode()


def test_review_returns_with_a_comment_then_approves_as_the_reviewers_commit(desk):
    writer, reviewer = desk.client("Lan"), desk.client("Hùng")
    writer.post(f"/bai/{ITEM}", data=item_form(form_of(writer, f"/bai/{ITEM}"), action="send"))
    waiting = reviewer.get("/duyet/").data.decode()
    assert "Trao bò giống cho hộ nghèo" in waiting
    token = form_of(reviewer, f"/bai/{ITEM}")
    assert reviewer.post(f"/duyet/{ITEM}/tra-lai", data={**token, "comment": " "}
                         ).status_code == 400
    reviewer.post(f"/duyet/{ITEM}/tra-lai", data={**token, "comment": "Thêm số hộ nhận bò."})
    page = writer.get(f"/bai/{ITEM}").data.decode()
    assert "Trả lại" in page and "Thêm số hộ nhận bò." in page and "Lời nhắn của Hùng" in page
    assert reviewer.post(f"/duyet/{ITEM}/duyet", data=form_of(reviewer, f"/bai/{ITEM}")
                         ).status_code == 409  # returned, not waiting
    writer.post(f"/bai/{ITEM}", data=item_form(form_of(writer, f"/bai/{ITEM}"), action="send",
                                               body="Mười hộ nhận bò giống."))
    assert "\nStatus: draft\n" in text_of(desk)
    answer = reviewer.post(f"/duyet/{ITEM}/duyet", data=form_of(reviewer, f"/bai/{ITEM}"),
                           follow_redirects=True)
    assert "Đã duyệt" in answer.data.decode()
    assert "Status:" not in text_of(desk) and "Mười hộ nhận bò giống." in text_of(desk)
    assert git(desk.root, "log", "-3", "--format=%an|%s").splitlines() == [
        "Hùng|Duyệt: Trao bò giống cho hộ nghèo", "Lan|Gửi duyệt: Trao bò giống cho hộ nghèo",
        "Lan|Gửi duyệt: Trao bò giống cho hộ nghèo"]
    # Approved: the writer may no longer change it; the district may.
    answer = writer.post(f"/bai/{ITEM}", data=item_form(form_of(writer, f"/bai/{ITEM}")))
    assert answer.status_code == 403 and "Đã duyệt" in answer.data.decode()
    log = reviewer.get("/nhat-ky").data.decode()
    for who, action in (("Lan", "gửi duyệt"), ("Hùng", "trả lại"), ("Hùng", "duyệt")):
        assert f"<td>{who}</td><td>{action}</td><td>{ITEM}</td>" in log, action
    assert writer.get("/nhat-ky").status_code == 403


def preview_page(html: str) -> str:
    """The page inside the preview's iframe (its srcdoc, unescaped once)."""
    frame = re.search(r'<iframe class="preview-frame" sandbox="allow-same-origin"[^>]*'
                      r'srcdoc="([^"]*)"', html)
    return html_module.unescape(frame[1])


def test_the_preview_is_the_sites_item_page_and_saves_nothing(desk, tmp_path):
    client = desk.client("Lan")
    upload = tmp_path / "bò-đẹp.jpg"
    Image.new("RGB", (600, 400), "#3a6b35").save(upload, "JPEG")
    client.post(f"/bai/{ITEM}", data={**item_form(form_of(client, f"/bai/{ITEM}")),
                                      "alt": "Đàn bò", "photo": (upload.open("rb"), upload.name)})
    before, commits = desk.snapshot(), desk.commits()
    answer = client.post(f"/bai/{ITEM}", data=item_form(
        form_of(client, f"/bai/{ITEM}"), action="preview", title="Đón <b>bò</b> & dê",
        alt="Đàn bò", **{"f-summary": "Xã Đồng Nơ trao bò giống cho mười hộ nghèo.",
                          "f-tags": "Sinh kế"},
        body="Chữ **đậm** và <script>alert(1)</script> [liên kết](https://example.org/)"))
    page = preview_page(answer.data.decode())
    assert '<h1 class="hq-item__title">Đón &lt;b&gt;bò&lt;/b&gt; &amp; dê</h1>' in page
    assert "Thứ Sáu, 20/11/2026, 08:00" in page and ">xã Đồng Nơ</a>" in page  # in Vietnamese
    assert '<a class="hq-tag hq-tag--tin-bai"' in page and "Tin bài" in page
    assert '<p class="hq-item__summary">Xã Đồng Nơ trao bò giống cho mười hộ nghèo.</p>' in page
    assert "<strong>đậm</strong>" in page and "<script>" not in page
    assert 'rel="noopener' in page and ">Sinh kế</a>" in page
    photo = re.search(r'<img src="([^"]+)" alt="Đàn bò"', page)[1]
    assert client.get(photo).headers["Content-Type"] == "image/jpeg"
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]
    assert ".hq-item__title" in client.get(css).data.decode()
    fragment = client.post(f"/bai/{ITEM}", headers={"X-Xem-Truoc": "1"}, data=item_form(
        form_of(client, f"/bai/{ITEM}"), action="preview", body="## Tiêu đề nhỏ")).data.decode()
    assert fragment.startswith("<iframe") and "<h2" in preview_page(fragment)
    assert desk.snapshot() == before and desk.commits() == commits
    other = desk.client("Minh")  # a commune editor of An Phú only
    refused = other.post(f"/bai/{ITEM}", headers={"X-Xem-Truoc": "1"}, data=item_form(
        form_of(other, "/bai/moi"), action="preview", category="an-phu"))
    assert refused.status_code == 403 and "iframe" not in refused.data.decode()


def test_history_lists_versions_in_vietnam_time_diffs_two_and_restores_one(desk):
    client = desk.client("Lan")
    client.post(f"/bai/{ITEM}", data=item_form(form_of(client, f"/bai/{ITEM}"),
                                               body="Bản thứ hai."))
    client.post(f"/bai/{ITEM}", data=item_form(form_of(client, f"/bai/{ITEM}"),
                                               body="Bản thứ ba."))
    ids = git(desk.root, "log", "--format=%h", "--", f"content/{ITEM}.md").split()
    assert len(ids) == 3
    page = client.get(f"/lich-su/{ITEM}?cu={ids[1]}&moi={ids[0]}").data.decode()
    assert "<del>-Bản thứ hai.</del>" in page and "<ins>+Bản thứ ba.</ins>" in page
    assert "Lan" in page and "Quản trị" in page
    token = form_of(client, f"/bai/{ITEM}")
    answer = client.post(f"/lich-su/{ITEM}/khoi-phuc", data={**token, "ban": ids[1]})
    assert answer.status_code == 302
    assert "Bản thứ hai." in text_of(desk) and "\nStatus: draft\n" in text_of(desk)
    assert git(desk.root, "log", "-1", "--format=%an|%s").startswith(f"Lan|Khôi phục bản {ids[1]}")
    assert not list(desk.content.rglob("*.bak"))
    assert client.post(f"/lich-su/{ITEM}/khoi-phuc", data={**token, "ban": "zz; rm"}
                       ).status_code in (404, 409)


def test_the_list_shows_only_the_accounts_communes_and_filters(desk):
    lan = desk.client("Lan").get("/").data.decode()
    assert "Trao bò giống cho hộ nghèo Đồng Nơ" in lan and "An Phú" not in lan
    hung = desk.client("Hùng")
    assert "hộ nghèo An Phú" in hung.get("/").data.decode()
    only = hung.get("/?xa=an-phu").data.decode()
    assert "hộ nghèo An Phú" in only and "hộ nghèo Đồng Nơ" not in only
    assert "Không có bài nào khớp" in hung.get("/?loai=video").data.decode()
    assert "Không có bài nào khớp" in hung.get("/?trang-thai=da-dang").data.decode()


def test_odd_input_gets_a_vietnamese_answer_never_a_traceback(desk):
    client = desk.client("Lan")
    token = form_of(client, f"/bai/{ITEM}")
    for data, status in ((item_form(token, type="khong-co"), 400),
                         (item_form(token, category=""), 403),
                         ({"csrf_token": token["csrf_token"]}, 400)):
        answer = client.post(f"/bai/{ITEM}", data=data)
        assert answer.status_code == status
        assert "Traceback" not in answer.data.decode() and 'lang="vi"' in answer.data.decode()
    answer = client.post("/bai/moi", data=item_form({"csrf_token": token["csrf_token"]},
                                                    title="!!!"))
    assert answer.status_code == 400 and "Tiêu đề trống" in answer.data.decode()
    assert client.get("/khong-co-trang-nay").status_code == 404


def test_a_new_item_never_overwrites_one_of_the_same_name(desk):
    client = desk.client("Lan")
    before, commits = desk.snapshot(), desk.commits()
    answer = client.post("/bai/moi", data=item_form(
        {"csrf_token": form_of(client, "/bai/moi")["csrf_token"]}, title="Trao bò",
        body="Bài khác cùng tên."))
    assert answer.status_code == 409 and "Đã có bài cùng tên tệp (dong-no/trao-bo)" in (
        answer.data.decode())
    assert "Bài khác cùng tên." in answer.data.decode()
    assert desk.snapshot() == before and desk.commits() == commits


def test_a_publish_that_cannot_run_says_why_in_the_page_and_publishes_nothing(desk):
    writer, reviewer = desk.client("Lan"), desk.client("Hùng")
    writer.post(f"/bai/{ITEM}", data=item_form(form_of(writer, f"/bai/{ITEM}"), action="send"))
    reviewer.post(f"/duyet/{ITEM}/duyet", data=form_of(reviewer, f"/bai/{ITEM}"))
    page = reviewer.get("/dang/").data.decode()
    assert "Trao bò giống cho hộ nghèo" in page  # approved, waiting to be published
    answer = reviewer.post("/dang/", data={"csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', page)[1]})
    assert answer.status_code == 302
    result = reviewer.get("/dang/?phan=ket-qua").data.decode()
    while "data-dang-chay" in result:  # until the run ends (the site is not set up here)
        result = reviewer.get("/dang/?phan=ket-qua").data.decode()
    assert "Kết quả lần đăng: chưa thành" in result and "KHÔNG ĐĂNG" in result, result
    assert "invoke setup-site" in result  # the build's own words: the site is not set up
    with db.connect(desk.database) as connection:
        assert connection.execute("SELECT state FROM workflow WHERE item = ?",
                                  (ITEM,)).fetchone()[0] == "da-duyet"
        assert connection.execute("SELECT count(*) FROM audit WHERE action = 'đăng không thành'"
                                  ).fetchone()[0] == 1


def test_the_preview_of_an_item_with_a_wrong_date_still_shows_its_body(desk):
    item = desk.content / f"{ITEM}.md"
    item.write_text(item.read_text(encoding="utf-8").replace("20/11/2026", "31/02/2026"),
                    encoding="utf-8")
    client = desk.client("Lan")
    fragment = client.post(f"/bai/{ITEM}", headers={"X-Xem-Truoc": "1"}, data=item_form(
        form_of(client, f"/bai/{ITEM}"), action="preview", body="Chữ **đậm**.")).data.decode()
    page = preview_page(fragment)
    assert "<strong>đậm</strong>" in page and "hq-item__title" not in page

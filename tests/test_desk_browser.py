"""The desk's whole day in real Chromium against the real server (`invoke desk`, waitress) and
a real publish to the tests' own sshd target:

an admin adds two accounts with `invoke add-editor`; the commune editor writes an item with a
photo, sees a check problem beside its field, fixes it and sends it; the district editor finds
it under "Chờ duyệt", returns it with a comment; the writer fixes and resends; the district
editor approves and publishes, and the item is live on the target with its photo. axe finds
no WCAG 2.2 AA violation on the login, list, item and review pages.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from desk_fixtures import PASSWORD, make_project
from PIL import Image
from playwright.sync_api import expect
from test_accessibility import AXE, RUN_AXE, WCAG_TAGS, _describe

from devtools import ROOT
from devtools.sshd import SshServer, free_port

TITLE = "Đồng Nơ trao bò giống cho hộ nghèo"
SLOW = 600_000  # ms: a publish builds the site and sends it


@pytest.fixture(scope="module")
def server():
    sshd = SshServer.start(Path(tempfile.mkdtemp(prefix="newsdesk-sshd-", dir="/tmp")))
    yield sshd
    sshd.stop()


def invoke(env: dict, *args: str, password: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", *args], input=password + "\n",
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def running_desk(tmp_path, server, configured_site):
    """The project under git, two accounts added by the CLI, `invoke desk` on a free port."""
    root = make_project(tmp_path / "du-an")
    web = server.directory(f"{secrets.token_hex(4)}/web")
    env = {**os.environ, "NEWSDESK_DESK_ROOT": str(root),
           "NEWSDESK_DESK_DB": str(tmp_path / "ban" / "desk.sqlite3"),
           "NEWSDESK_DESK_OVERRIDES": json.dumps({"POSTSTEPS_CACHE_DIR": str(tmp_path / "c")}),
           "RSYNC_RSH": server.rsh(), "PUBLISH_TARGETS": f"web={server.url(web)}"}
    for args in (("--user", "Lan", "--role", "xa", "--commune", "dong-no"),
                 ("--user", "Hùng", "--role", "huyen")):
        done = invoke(env, "add-editor", *args, password=PASSWORD)
        assert done.returncode == 0, done.stderr
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "invoke", "desk", "--port", str(port)],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    started = process.stdout.readline()  # printed once waitress listens
    assert "Bàn biên tập đang chạy" in started, started + process.stdout.read()
    yield f"http://127.0.0.1:{port}", root, web
    process.terminate()
    process.wait(timeout=30)


def axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return [_describe(v) for v in page.evaluate(RUN_AXE, WCAG_TAGS)]


def log_in(page, base: str, name: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Danh sách bài")).to_be_visible()


def photo(path: Path) -> Path:
    Image.new("RGB", (1200, 800), "#3a6b35").save(path, "JPEG", quality=85)
    return path


def drop_photo(page, path: Path) -> None:
    """Drag a photo from the computer onto the form's "Ảnh" box, as a person does."""
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate("""([name, data]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, {type: 'image/jpeg'}));
        const box = document.getElementById('anh-bai');
        for (const type of ['dragover', 'drop'])
            box.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true,
                                                   cancelable: true}));
    }""", [path.name, data])


def test_a_day_at_the_desk_from_writing_to_the_published_item(running_desk, chromium,
                                                              tmp_path):
    base, root, web = running_desk
    violations = {}
    # axe's script is injected inline, which the desk's own CSP rightly refuses.
    writer = chromium.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
    page = writer.new_page()
    page.goto(base + "/bai/dong-no/trao-bo")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    violations["login"] = axe(page)
    log_in(page, base, "Lan")
    violations["list"] = axe(page)

    page.get_by_role("link", name="Viết bài mới").first.click()
    page.get_by_label("Tiêu đề", exact=True).fill(TITLE)
    page.get_by_label("Tóm tắt", exact=True).fill("Liên hệ anh Ba 0912345678 để nhận bò.")
    page.get_by_label("Nội dung", exact=True).fill("Sáng nay xã trao **mười con bò** giống.")
    shown = page.frame_locator("#xem-truoc iframe")  # the live preview: the site's item page
    expect(shown.locator("strong")).to_have_text("mười con bò")
    expect(shown.locator("h1.hq-item__title")).to_have_text(TITLE)
    drop_photo(page, photo(tmp_path / "bo-giong.jpg"))
    expect(page.locator("#anh-moi")).to_have_attribute("alt", "Ảnh vừa chọn: bo-giong.jpg")
    page.get_by_label("Mô tả ảnh").fill("Cán bộ xã trao bò giống cho hộ nghèo")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp.")).to_be_visible()
    expect(page.locator("#loi-summary")).to_contain_text("dữ liệu cá nhân")
    expect(page.get_by_label("Tóm tắt", exact=True)).to_have_attribute("aria-invalid", "true")
    shown = page.locator("#anh-hien-tai")
    expect(shown).to_have_attribute("alt", "Cán bộ xã trao bò giống cho hộ nghèo")
    assert shown.evaluate("image => image.complete && image.naturalWidth") == 1200
    violations["item"] = axe(page)
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_label("Tóm tắt", exact=True).fill("Mười hộ nghèo nhận bò giống.")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi duyệt.")).to_be_visible()
    expect(page.locator("#loi-summary")).to_have_count(0)
    item_url = page.url
    page.get_by_role("link", name="Lịch sử").click()
    expect(page.get_by_role("cell", name="Lan").first).to_be_visible()
    violations["history"] = axe(page)

    reviewer = chromium.new_context(bypass_csp=True)
    review = reviewer.new_page()
    log_in(review, base, "Hùng")
    review.get_by_role("link", name="Chờ duyệt").click()
    violations["review"] = axe(review)
    review.get_by_role("link", name=TITLE).click()
    violations["item (review)"] = axe(review)
    review.get_by_label("Lời nhắn cho người viết").fill("Ghi rõ bò giống loại gì.")
    review.get_by_role("button", name="Trả lại").click()
    expect(review.get_by_text("Đã trả lại bài")).to_be_visible()

    page.goto(item_url)
    expect(page.get_by_text("Ghi rõ bò giống loại gì.")).to_be_visible()
    expect(page.locator(".state")).to_have_text("Trả lại")
    page.get_by_label("Nội dung", exact=True).fill("Sáng nay xã trao **mười con bò** lai Sind.")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi duyệt.")).to_be_visible()

    review.goto(item_url)
    review.get_by_role("button", name="Duyệt", exact=True).click()
    expect(review.get_by_text("Đã duyệt.")).to_be_visible()
    review.get_by_role("link", name="Đăng", exact=True).click()
    expect(review.get_by_role("link", name=TITLE)).to_be_visible()
    review.get_by_role("button", name="Đăng", exact=True).click()
    expect(review.get_by_role("heading", name="Đang đăng…")).to_be_visible()
    # A second click while the build runs (a double click, a colleague): refused, clearly.
    second = review.evaluate("""async () => {
        const form = document.querySelector('form[action$="/dang/"]');
        const answer = await fetch(form.action, {method: 'POST', body: new FormData(form)});
        return [answer.status, await answer.text()];
    }""")
    assert second[0] == 409 and "Hùng đang đăng" in second[1], second[0]
    # The page follows the run by itself (its script asks for the progress).
    expect(review.get_by_role("heading", name="Kết quả lần đăng: thành công")).to_be_visible(
        timeout=SLOW)
    expect(review.get_by_role("cell", name="web")).to_be_visible()

    live = web / "current" / "tin-bai" / "dong-no-trao-bo-giong-cho-ho-ngheo" / "index.html"
    html = live.read_text(encoding="utf-8")
    assert TITLE in html and "lai Sind" in html
    sources = re.findall(r'<img[^>]+src="([^"]+)"[^>]*alt="Cán bộ xã trao bò giống', html)
    sources += re.findall(r'<img[^>]+alt="Cán bộ xã trao bò giống[^>]+src="([^"]+)"', html)
    assert sources, "the photo is not on the published page"
    for source in sources:
        relative = re.sub(r"^(https?://[^/]+)?/(giam-ngheo/)?", "", source)
        assert (web / "current" / relative).is_file(), source
    assert "Status: draft" not in (root / "content/dong-no/dong-no-trao-bo-giong-cho-ho-ngheo.md"
                                   ).read_text(encoding="utf-8")
    writer.close()
    reviewer.close()
    report = [f"{page_name}:\n" + "\n".join(found) for page_name, found in violations.items()
              if found]
    assert not report, "Lỗi tiếp cận (axe-core):\n" + "\n".join(report)


def test_every_action_works_without_javascript(running_desk, chromium):
    base, root, _ = running_desk
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, "Lan")
    page.goto(base + "/bai/dong-no/trao-bo")
    expect(page.get_by_role("toolbar")).to_be_hidden()  # the toolbar needs the script
    page.get_by_label("Chọn ảnh").set_input_files(str(photo(root.parent / "anh.jpg")))
    page.get_by_label("Mô tả ảnh").fill("Bò giống")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_label("Nội dung", exact=True).fill("Chữ **đậm** không cần JavaScript.")
    page.get_by_role("button", name="Xem trước").click()
    shown = page.frame_locator("#xem-truoc iframe")  # the site's item page, its style, photo
    expect(shown.locator("strong")).to_have_text("đậm")
    expect(shown.locator("h1.hq-item__title")).to_have_text(re.compile("^Trao bò giống"))
    expect(shown.locator(".hq-item__facts")).to_contain_text("xã Đồng Nơ")
    expect(shown.locator(".hq-item__title")).to_have_css("font-family",
                                                         re.compile('^"Noto Sans HQ"'))
    expect(shown.get_by_role("img", name="Bò giống")).to_have_js_property("naturalWidth", 1200)
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi duyệt.")).to_be_visible()
    assert "Image: anh/anh.jpg" in (root / "content/dong-no/trao-bo.md").read_text(
        encoding="utf-8")
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, base, "Hùng")
    page.goto(base + "/bai/dong-no/trao-bo")
    page.get_by_label("Lời nhắn cho người viết").fill("Thêm ngày trao bò.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Đã trả lại bài")).to_be_visible()
    page.get_by_role("link", name="Đăng", exact=True).click()
    page.get_by_role("button", name="Quay về bản trước").click()
    result = page.get_by_role("heading", name=re.compile("^Kết quả quay về bản trước"))
    while not result.count():  # without the script, a person reloads to follow the run
        page.goto(base + "/dang/")
    expect(result).to_contain_text("chưa thành")  # nothing was published to go back from
    context.close()

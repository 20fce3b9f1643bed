"""`invoke setup-site` writes the one site data file; an unconfigured copy is never published."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import FIXED_TODAY, ROOT

from devtools import site_config
from newsdesk import site_data
from newsdesk.content import vocabulary
from newsdesk.editors import setup_site
from newsdesk.publish import publish as run_publish

INVOKE = Path(sys.executable).with_name("invoke")
ANSWERS = ["--public-url", "https://giamngheo.honquan.gov.vn", "--phone", "0271 3645 123",
           "--email", "vhtt@honquan.gov.vn", "--hours", "Thứ Hai – Thứ Sáu, 7:00–17:00",
           "--targets", "web=ssh://deploy@10.0.8.2:22/srv/giam-ngheo"]


def setup_command(site_file: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(INVOKE), "setup-site", *args], cwd=ROOT, input=stdin,
                          env={**os.environ, site_data.ENV: str(site_file)},
                          capture_output=True, text=True, timeout=900)


def test_setup_site_writes_one_data_file_that_the_build_and_the_contact_page_read(
        tmp_path, site, monkeypatch):
    site_file = tmp_path / "site.toml"
    done = setup_command(site_file, *ANSWERS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "KHÔNG BAO GIỜ đổi tên miền này sau lần đăng đầu tiên" in done.stdout
    written = tomllib.loads(site_file.read_text(encoding="utf-8"))
    assert written["site"] == {"public_url": "https://giamngheo.honquan.gov.vn",
                               "feeds_id_domain": site_data.DEFAULT_FEEDS_ID_DOMAIN}
    assert written["publish"]["targets"] == {"web": "ssh://deploy@10.0.8.2:22/srv/giam-ngheo"}

    monkeypatch.setenv(site_data.ENV, str(site_file))
    site.write("pages/lien-he.md", "Title: Liên hệ\nTemplate: contact\n\nGọi cho phòng.\n")
    site.item("dong-no/bo.md", title="Nuôi bò")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    contact = built.html("lien-he/").select_one("address.hq-office")
    assert "0271 3645 123" in contact.text and "Thứ Hai – Thứ Sáu, 7:00–17:00" in contact.text
    assert contact.select_one('a[href="mailto:vhtt@honquan.gov.vn"]')
    canonical = built.html("tin-bai/bo/").select_one('link[rel="canonical"]')["href"]
    assert canonical == "https://giamngheo.honquan.gov.vn/tin-bai/bo/"


def test_setup_site_asks_again_for_a_wrong_answer_and_keeps_what_is_written(tmp_path):
    site_file = tmp_path / "site.toml"
    typed = "\n".join(["https://giamngheo.honquan.gov.vn/", "https://giamngheo.honquan.gov.vn",
                       "0271 3645 123", "không có", "vhtt@honquan.gov.vn", "7:00–17:00",
                       "web=ssh://deploy@web.example/srv/x", "web=ssh://deploy@10.0.8.2/srv/x"])
    done = setup_command(site_file, stdin=typed + "\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "không được có dấu / ở cuối. Ghi lại." in done.stdout
    assert "email \"không có\" không phải địa chỉ thư điện tử" in done.stdout
    assert "máy \"web.example\" của đích \"web\" là tên mẫu" in done.stdout
    # Run again: Enter keeps every value already written.
    again = setup_command(site_file, stdin="\n" * 5)
    assert again.returncode == 0, again.stdout + again.stderr
    data = site_data.load(site_file)
    assert data.public_url == "https://giamngheo.honquan.gov.vn"
    assert data.office["email"] == "vhtt@honquan.gov.vn"
    assert data.targets == {"web": "ssh://deploy@10.0.8.2/srv/x"}


def test_a_wrong_option_stops_setup_in_vietnamese_and_writes_nothing(tmp_path):
    site_file = tmp_path / "site.toml"
    args = list(ANSWERS)
    args[args.index("--phone") + 1] = "gọi ông Ba"
    done = setup_command(site_file, *args)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "phone \"gọi ông Ba\" không phải số điện thoại" in done.stderr
    assert not site_file.exists()
    # Without a terminal, a missing answer is named too.
    missing = setup_command(site_file, "--public-url", "https://giamngheo.honquan.gov.vn")
    assert missing.returncode == 1 and "Chưa trả lời: Số điện thoại" in missing.stderr


def test_the_feed_id_domain_is_never_changed_once_written(tmp_path):
    site_file = tmp_path / "site.toml"
    assert setup_command(site_file, *ANSWERS, "--id-domain", "honquan.gov.vn").returncode == 0
    changed = setup_command(site_file, *ANSWERS, "--id-domain", "giamngheo.gov.vn")
    assert changed.returncode == 1 and "không được đổi" in changed.stderr
    assert site_data.load(site_file).feeds_id_domain == "honquan.gov.vn"


def test_an_unconfigured_copy_is_refused_by_publish_dry_run_naming_what_to_configure(
        site, tmp_path, monkeypatch):
    monkeypatch.setenv(site_data.ENV, str(tmp_path / "chua-co" / "site.toml"))
    site.item("dong-no/bo.md", title="Nuôi bò")
    out = io.StringIO()
    run = run_publish(ROOT / "publishconf.py", {"PATH": str(site.content),
                                                "NEWSDESK_TODAY": FIXED_TODAY},
                      environ={}, dry_run=True, out=out)
    text = out.getvalue()
    assert not run.ok and not run.outcomes
    assert "Địa chỉ công khai vẫn là địa chỉ mẫu" in text
    assert "Đích đăng \"web\" vẫn là máy mẫu (web.example)" in text
    assert "Trang Liên hệ chưa có số điện thoại, thư điện tử, giờ làm việc" in text
    assert "invoke setup-site" in text and "KHÔNG ĐĂNG" in text
    # A preview build of the same copy is allowed.
    assert site.build().result.ok


def test_sample_office_values_are_refused_and_real_ones_pass():
    assert setup_site.problem_of("phone", "(0271) 3.xxx")
    assert setup_site.problem_of("email", "ten@example.com")
    assert setup_site.problem_of("hours", "[CẦN ĐIỀN] giờ làm việc")
    assert not setup_site.problem_of("phone", site_config.OFFICE["phone"])
    assert not setup_site.problem_of("public_url", site_config.PUBLIC_URL)


def test_a_feed_id_domain_that_is_not_a_domain_name_stops_the_build(site, tmp_path,
                                                                    monkeypatch):
    site_file = tmp_path / "site.toml"
    assert setup_command(site_file, *ANSWERS).returncode == 0
    written = site_file.read_text(encoding="utf-8")
    site_file.write_text(written.replace(f'"{site_data.DEFAULT_FEEDS_ID_DOMAIN}"',
                                         "'honquan.gov.vn\"><script>x()</script>'"),
                         encoding="utf-8")
    line = next(n for n, text in enumerate(site_file.read_text().splitlines(), 1)
                if text.startswith("feeds_id_domain"))
    monkeypatch.setenv(site_data.ENV, str(site_file))
    site.item("dong-no/bo.md", title="Nuôi bò")
    built = site.build()
    assert not built.result.ok
    assert [(p.path, p.line, p.message) for p in built.result.report.errors] == [
        (str(site_file), line, "feeds_id_domain = 'honquan.gov.vn\"><script>x()</script>' "
                               "không phải một tên miền.")]


def test_an_email_with_markup_after_the_domain_is_refused_by_setup_and_the_vocabulary():
    for wrong in ('vhtt@honquan.gov.vn">', "vhtt@honquan.gov.vn<b>", "vhtt@honquan"):
        assert "không phải địa chỉ thư điện tử" in setup_site.problem_of("email", wrong)
        assert any("không phải địa chỉ thư điện tử" in problem for problem in
                   vocabulary.office_problems({"name": "Phòng VH-TT", "email": wrong}))
    assert not setup_site.problem_of("email", "vhtt.honquan@binhphuoc.gov.vn")

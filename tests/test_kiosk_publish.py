"""A kiosk target (`kiosk+ssh://`) receives the kiosk release tree over the real sshd/rsync:
the kiosk's folder (pages, service worker, search index) and exactly the files its pages link,
as an atomic release, and serves it on
127.0.0.1 like the web server would."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from test_publish import Deployment, current

from devtools import quality
from devtools.sshd import SshServer
from newsdesk.site.kiosk_files import linked_files
from newsdesk.publish import targets


@pytest.fixture(scope="module")
def server():
    sshd = SshServer.start(Path(tempfile.mkdtemp(prefix="newsdesk-sshd-", dir="/tmp")))
    yield sshd
    sshd.stop()


def test_a_kiosk_scheme_marks_a_kiosk_target():
    kiosk = targets.parse_url("kiosk+ssh://kiosk@10.0.8.21:2222/srv/giam-ngheo", "tan-hung")
    web = targets.parse_url("ssh://deploy@web.example/srv/giam-ngheo", "web")
    assert kiosk.kiosk and not web.kiosk
    assert kiosk.url == "kiosk+ssh://kiosk@10.0.8.21:2222/srv/giam-ngheo"


def test_a_kiosk_target_gets_the_kiosk_pages_and_exactly_the_files_they_link(server, site,
                                                                            chromium,
                                                                            configured_site):
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản", body="Xem [dịch vụ công]"
              "(https://dichvucong.gov.vn/).")
    site.item("dong-no/nhap.md", title="Bài nháp", status="draft")
    deployment = Deployment(server, site)
    kiosk_url = server.url(deployment.kiosk, "127.0.0.2").replace("ssh://", "kiosk+ssh://")
    deployment.targets(web=server.url(deployment.web), kiosk=kiosk_url)
    run = deployment.publish()
    assert run.ok, run.text
    assert f"Bản ki-ốt {run.kiosk_release.id}" in run.text
    web, kiosk = (folder / "releases" / current(folder) for folder in
                  (deployment.web, deployment.kiosk))
    assert (web / "dia-ban" / "dong-no" / "index.html").is_file()
    shipped = {p.relative_to(kiosk).as_posix() for p in kiosk.rglob("*") if p.is_file()}
    expected = {p.as_posix() for p, _ in linked_files(web, web / "kiosk")}
    kiosk_folder = {p.relative_to(web).as_posix() for p in (web / "kiosk").rglob("*")
                    if p.is_file()}  # its pages, service worker and search index
    assert shipped == expected | kiosk_folder | {"release.json"}
    assert {"kiosk/sw.js", "kiosk/pagefind/pagefind.js"} <= shipped
    assert "kiosk/index.html" in shipped and not any(s.startswith("dia-ban/") for s in shipped)
    assert not any("nhap" in s for s in shipped)
    with quality.served(kiosk) as origin:
        context = chromium.new_context(has_touch=True)
        page = context.new_page()
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
        page.goto(origin + "kiosk/")
        page.get_by_role("link", name="Xã Đồng Nơ").click()
        page.locator("a.hq-kiosk-card").first.click()
        page.wait_for_url(re.compile(r"/kiosk/tin-bai/"))
        assert page.locator("h1").inner_text() == "Nuôi bò sinh sản"
        context.close()
    assert not failed, failed

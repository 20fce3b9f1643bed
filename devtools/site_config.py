"""A configured site for tests and benchmarks: a data/site.toml with real-looking details.

`invoke publish` refuses the samples a fresh copy holds (newsdesk/publish/readiness.py), so a
test that publishes names this file through NEWSDESK_SITE_DATA, as `invoke setup-site` would
have written it. Targets still come from each test (PUBLISH_TARGETS).
"""

from __future__ import annotations

from pathlib import Path

from newsdesk import site_data

PUBLIC_URL = "https://giamngheo.honquan.binhphuoc.gov.vn"
OFFICE = {"phone": "0271 3645 123", "email": "vhtt@honquan.binhphuoc.gov.vn",
          "hours": "Thứ Hai – Thứ Sáu, 7:00–11:30 và 13:30–17:00"}


def write_site_data(folder: Path, targets: dict[str, str] | None = None) -> Path:
    """Write a configured site.toml into `folder`; return its path."""
    path = Path(folder) / "site.toml"
    site_data.write(site_data.SiteData(
        path, public_url=PUBLIC_URL, feeds_id_domain=site_data.DEFAULT_FEEDS_ID_DOMAIN,
        office=dict(OFFICE),
        targets=targets or {"web": "ssh://deploy@10.0.8.2:22/srv/giam-ngheo"}))
    return path

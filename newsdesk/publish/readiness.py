"""Nothing half-done goes public: what `invoke publish` refuses besides content errors.

The site must be configured (`invoke setup-site`, data/site.toml): a public address that is not
the sample, publish targets that are not sample hosts, the office's phone, email and hours
filled in. Each gap is a Problem in the build's own report, so publish prints one list with
the content's errors (a `[CẦN ĐIỀN]` left in a body is one of those, file and line).
Preview builds never ask this.
"""

from __future__ import annotations

from newsdesk import site_data
from newsdesk.content import vocabulary
from newsdesk.content.problems import Problem, display_path
from newsdesk.publish.targets import Target

HINT = "Chạy: invoke setup-site (hỏi từng thông tin rồi ghi vào data/site.toml)."


def problems(settings: dict, chosen: list[Target]) -> list[Problem]:
    """Every reason the site is not ready to publish to `chosen`, in Vietnamese."""
    data = site_data.load(settings.get("SITE_DATA_PATH"))
    shown = display_path(data.path)
    found = []

    def add(message: str) -> None:
        found.append(Problem(shown, 0, message, HINT))

    if data.problem:
        add(data.problem)
    if settings.get("PUBLIC_URL") == site_data.SAMPLE_PUBLIC_URL and not data.public_url:
        add(f"Địa chỉ công khai vẫn là địa chỉ mẫu ({site_data.SAMPLE_PUBLIC_URL}), chưa được "
            "xác nhận.")
    for target in chosen:
        if site_data.is_sample_host(target.host):
            add(f"Đích đăng \"{target.name}\" vẫn là máy mẫu ({target.host}).")
    office = _office(settings)
    if office is not None:
        missing = [label for key, label in site_data.OFFICE_CONTACT.items()
                   if site_data.sample_office_value(getattr(office, key))]
        if missing:
            add("Trang Liên hệ chưa có " + ", ".join(missing) + " của cơ quan.")
    return found


def _office(settings: dict) -> vocabulary.Office | None:
    try:
        return vocabulary.for_settings(settings).office
    except vocabulary.VocabularyError:
        return None  # the build reports the vocabulary's own problems

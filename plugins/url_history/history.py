"""The URL ledger and redirect pages behind plugins/url_history."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsdesk.content import site_items
from newsdesk.site.context import context_of


def _ledger_path(settings) -> Path | None:
    """The ledger sits in data/ beside the content folder unless URL_HISTORY_PATH says."""
    path = settings.get("URL_HISTORY_PATH", Path(settings["PATH"]).parent / "data" /
                        "url-history.json")
    return Path(path) if path else None


# An item's address as the ledger keeps it: folders of the site, never "..", "/" or a scheme.
_URL = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._~-]*/)+")
_HINT = ("Lấy lại tệp từ bản sao lưu (git) hoặc xóa tệp để bắt đầu sổ mới; tệp do lệnh dựng "
         "trang ghi, không sửa bằng tay.")


def load_ledger(settings) -> dict[str, list[str]]:
    """The ledger: item identity -> every address it had; each wrong entry is an error naming
    the file (the build then stops: a wrong address would become a junk page)."""
    path = _ledger_path(settings)
    if not path or not path.is_file():
        return {}
    report = context_of(settings).report
    try:
        ledger = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report.add(path, 0, "Sổ đường dẫn cũ bị hỏng, không đọc được.", _HINT)
        return {}
    if not isinstance(ledger, dict):
        report.add(path, 0, "Sổ đường dẫn cũ không đúng dạng: cả tệp phải là một bảng JSON "
                   "{\"mã bài\": [\"địa chỉ cũ/\", ...]}, đang là "
                   f"{_JSON_KINDS.get(type(ledger), 'giá trị khác')}.", _HINT)
        return {}
    kept = {}
    for uid, urls in ledger.items():
        wrong = _wrong_in(urls)
        if wrong is None:
            kept[uid] = urls
        else:
            report.add(path, 0, f"Sổ đường dẫn cũ không đúng dạng: mục \"{uid}\" có {wrong}, "
                       "không phải một danh sách địa chỉ dạng [\"tin-bai/ten-bai/\"].", _HINT)
    return kept


def _wrong_in(urls) -> str | None:
    """The first wrong value of one entry, as JSON; None when it is a list of addresses."""
    if not isinstance(urls, list):
        return json.dumps(urls, ensure_ascii=False)[:60]
    return next((json.dumps(url, ensure_ascii=False)[:60] for url in urls
                 if not isinstance(url, str) or not _URL.fullmatch(url)), None)


_JSON_KINDS = {list: "một danh sách", str: "một dòng chữ", type(None): "null", int: "một số",
               float: "một số", bool: "true/false"}


def write_redirects(generator, writer) -> None:
    """For every URL an item used to have, write a page that sends the reader on."""
    settings = generator.settings
    ledger = load_ledger(settings)
    current = {item.uid: item for item in site_items.items(
        generator, [site_items.LISTED, site_items.HIDDEN])}
    context_of(settings).current_urls = {uid: item.url for uid, item in current.items()}
    taken = {item.save_as for item in current.values()}
    template = generator.get_template("redirect")
    for uid, urls in sorted(ledger.items()):
        item = current.get(uid)
        if not item:
            continue
        for old_url in urls:
            save_as = f"{old_url}index.html"
            if old_url != item.url and save_as not in taken:
                taken.add(save_as)
                writer.write_file(save_as, template, generator.context,
                                  relative_urls=settings["RELATIVE_URLS"], target=item,
                                  page_name=old_url)


def record_urls(pelican) -> None:
    """Add this build's item URLs to the ledger (only when the build had no error)."""
    settings = pelican.settings
    path = _ledger_path(settings)
    if not path or context_of(settings).report.errors:
        return
    ledger = load_ledger(settings)
    for uid, url in context_of(settings).current_urls.items():
        urls = ledger.setdefault(uid, [])
        if url not in urls:
            urls.append(url)
    text = json.dumps(ledger, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

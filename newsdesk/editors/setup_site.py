"""`invoke setup-site`: the first-run helper that writes data/site.toml.

It asks (or takes from options) the public address, the office's phone, email and hours, and
the publish targets; checks each with the rule the build or publish applies (the PUBLIC_URL
rule, the vocabulary's [office] rule, the target syntax, no sample host); and writes them to the
one site data file (newsdesk/site_data.py). An answer given as an option and wrong stops the
command; an answer typed wrong is asked again. Enter keeps the value already written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from newsdesk import site_data
from newsdesk.content import vocabulary
from newsdesk.content.problems import display_path
from newsdesk.publish import targets as publish_targets

QUESTIONS = {
    "public_url": "Địa chỉ công khai của chuyên mục "
                  "(ví dụ https://honquan.binhphuoc.gov.vn/giam-ngheo)",
    "phone": "Số điện thoại của cơ quan (ví dụ 0271 3645 123)",
    "email": "Thư điện tử của cơ quan (ví dụ vhtt@honquan.binhphuoc.gov.vn)",
    "hours": "Giờ làm việc (ví dụ Thứ Hai – Thứ Sáu, 7:00–11:30 và 13:30–17:00)",
    "targets": "Nơi đăng: tên=ssh://người-dùng@máy:cổng/thư-mục, nhiều nơi cách nhau bằng dấu phẩy",
}
MAX_TRIES = 5


class SetupError(Exception):
    """An answer cannot be used; the message (Vietnamese) says which and why."""


def id_domain_warning(domain: str) -> str:
    return (f"LƯU Ý: mã định danh mọi tin trong nguồn tin (RSS, Atom) dùng tên miền \"{domain}\" "
            "(feeds_id_domain). KHÔNG BAO GIỜ đổi tên miền này sau lần đăng đầu tiên: đổi nó "
            "thì mọi tin cũ hiện lại như tin mới trong ứng dụng đọc tin, ki-ốt và đài truyền "
            "thanh xã. Đổi địa chỉ công khai sau này không cần đổi nó.")


def setup(answers: dict[str, str | None], ask: Callable[[str], str] = input,
          say: Callable[[str], None] = print, path=None) -> site_data.SiteData:
    """Ask what `answers` lacks (None or ""), check everything, write the file, return it."""
    current = site_data.load(path)
    if current.problem:
        say(f"Tệp cũ không đọc được, sẽ ghi lại: {current.problem}")
    office_name = _office_name()
    existing = {"public_url": current.public_url, **current.office,
                "targets": ",".join(f"{k}={v}" for k, v in current.targets.items())}
    values = {}
    for key, question in QUESTIONS.items():
        values[key] = _answer(key, question, answers.get(key), existing.get(key, ""), ask, say,
                              office_name)
    domain = current.feeds_id_domain or answers.get("id_domain") or \
        site_data.DEFAULT_FEEDS_ID_DOMAIN
    if answers.get("id_domain") and current.feeds_id_domain and \
            answers["id_domain"] != current.feeds_id_domain:
        raise SetupError(f"Tên miền của mã nguồn tin đã là \"{current.feeds_id_domain}\" và không "
                         "được đổi (mọi tin cũ sẽ hiện lại như tin mới). Bỏ tùy chọn "
                         "--id-domain.")
    if site_data.public_url_problem(f"https://{domain}"):
        raise SetupError(f"Tên miền của mã nguồn tin \"{domain}\" không hợp lệ.")
    data = replace(current, public_url=values["public_url"], feeds_id_domain=domain,
                   office={k: values[k] for k in site_data.OFFICE_CONTACT},
                   targets={t.name: t.url for t in _targets(values["targets"])}, problem="")
    site_data.write(data)
    say(f"Đã ghi {display_path(data.path)}.")
    say(id_domain_warning(domain))
    say("Tiếp theo: invoke build để dựng thử, rồi invoke publish --dry-run để xem sẽ đăng gì.")
    return data


def _answer(key, question, given, existing, ask, say, office_name) -> str:
    if given:
        problem = problem_of(key, given.strip(), office_name)
        if problem:
            raise SetupError(f"{question.split(' (')[0]}: {problem}")
        return given.strip()
    for _ in range(MAX_TRIES):
        shown = f" [{existing}]" if existing else ""
        try:
            typed = ask(f"{question}{shown}: ").strip()
        except EOFError:
            raise SetupError(f"Chưa trả lời: {question.split(' (')[0]}. Chạy lại invoke "
                             "setup-site và trả lời từng câu.") from None
        value = typed or existing
        problem = problem_of(key, value, office_name)
        if not problem:
            return value
        say(f"  → {problem} Ghi lại.")
    raise SetupError(f"{question.split(' (')[0]}: chưa có câu trả lời dùng được sau "
                     f"{MAX_TRIES} lần.")


def problem_of(key: str, value: str, office_name: str = "x") -> str:
    """Why `value` cannot be used for `key` (the build's and publish's own rules), or ""."""
    if not value:
        return "chưa ghi."
    if key == "public_url":
        problem = site_data.public_url_problem(value)
        if problem:
            return f"\"{value}\" {problem}."
        if site_data.is_sample_host(site_data.host_of(value)):
            return f"\"{value}\" là địa chỉ mẫu, không phải địa chỉ thật."
        return ""
    if key == "targets":
        try:
            _targets(value)
        except SetupError as error:
            return str(error)
        return ""
    if site_data.sample_office_value(value):
        return f"\"{value}\" là giá trị mẫu, chưa phải thông tin thật."
    problems = vocabulary.office_problems({"name": office_name, key: value})
    return " ".join(p.removeprefix("[office]: ") for p in problems)


def _targets(text: str) -> list[publish_targets.Target]:
    try:
        found = publish_targets.parse_list(text)
    except publish_targets.TargetError as error:
        raise SetupError(str(error)) from None
    if not found:
        raise SetupError("chưa ghi nơi đăng nào.")
    for target in found:
        if site_data.is_sample_host(target.host):
            raise SetupError(f"máy \"{target.host}\" của đích \"{target.name}\" là tên mẫu.")
    return found


def _office_name() -> str:
    try:
        return vocabulary.load().office.name or "x"
    except vocabulary.VocabularyError:
        return "x"

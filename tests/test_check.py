"""`invoke check` finds every mistake of the malformed corpus, with its exact message and line,
and `--fix` repairs only the encoding and Unicode ones, keeping a backup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from devtools import ROOT
from newsdesk.editors import check as content_check
from newsdesk.site.build import build
from newsdesk.content.problems import ERROR

CORPUS = Path(__file__).resolve().parent / "malformed"
CASES = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))["case"]
TODAY = "2026-11-26"


def draw_images(folder: Path) -> None:
    """The images the corpus points at, drawn here (never committed)."""
    Image.new("RGB", (64, 48), "#8a1c1c").save(folder / "anh-bia.png")
    Image.new("RGB", (64, 48), "#8a1c1c").save(folder / "anh-bia.bmp")
    (folder / "anh-hong.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    Image.new("1", (7200, 7200)).save(folder / "anh-qua-lon.png")
    noise = Image.frombytes("RGB", (1900, 1900), os.urandom(1900 * 1900 * 3))
    noise.save(folder / "anh-qua-nang.png", compress_level=0)
    Image.new("RGB", (64, 48), "#8a1c1c").save(folder / "anh-gif-doi-ten.png", "GIF")
    Image.new("RGB", (640, 480), "#8a1c1c").save(folder / "anh-jpeg-cut.jpg", quality=95)
    whole = (folder / "anh-jpeg-cut.jpg").read_bytes()
    (folder / "anh-jpeg-cut.jpg").write_bytes(whole[: len(whole) // 2])
    Image.new("1", (1, 60000)).save(folder / "anh-qua-dai.png")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("corpus") / "content"
    shutil.copytree(CORPUS / "content", content)
    draw_images(content)
    return content


@pytest.fixture(scope="module")
def checked(corpus):
    return content_check.check(overrides={"PATH": str(corpus), "NEWSDESK_TODAY": TODAY})


def problems_by_file(report, content: Path) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for problem in report.problems:
        relative = Path(problem.path).resolve().relative_to(content.resolve()).as_posix()
        found.setdefault(relative, []).append([problem.line, problem.severity, problem.message])
        assert problem.hint, f"{problem} says what is wrong but not what to do"
    return found


def test_corpus_has_at_least_thirty_mistakes():
    assert len(CASES) >= 30
    assert len({case["file"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_mistake_is_reported_with_its_exact_message_and_line(case, checked, corpus):
    found = problems_by_file(checked.report, corpus)
    assert sorted(found.get(case["file"], [])) == sorted(case["problems"])


def test_no_file_outside_the_answer_key_has_problems(checked, corpus):
    assert set(problems_by_file(checked.report, corpus)) <= {c["file"] for c in CASES}
    assert not checked.ok


# What only `invoke check` reports, and why the build cannot or must not: each is an editor's
# repair (--fix) or a judgement for a person, not a rule of publishing. Everything else in the
# corpus the build reports exactly as check does (one reader: newsdesk.content.item_reader).
CHECK_ONLY = {
    "chu-eth.md": "the look-alike letter Ð: a --fix repair; the page shows what was typed",
    "chu-to-hop-nfd.md": "decomposed Unicode: the reader reads it as NFC; --fix rewrites the file",
    "dan-tu-tcvn3.md": "TCVN3 text pasted into a UTF-8 file: a --fix repair of the line",
    "dan-tu-vni.md": "VNI text pasted into a UTF-8 file: a --fix repair of the line",
    "dan-utf8-doc-nham.md": "double-encoded UTF-8: a --fix repair (its control character is "
                            "an error of both)",
    "thieu-ma-bai.md": "no ID line: the build uses the path's ID; --fix writes it down",
    "so-cccd.md": "personal data: a person must judge it (Personal-Data-Ok)",
    "so-dien-thoai.md": "personal data: a person must judge it (Personal-Data-Ok)",
    "so-nha.md": "personal data: a person must judge it (Personal-Data-Ok)",
}


@pytest.fixture(scope="module")
def built_corpus(corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("built-corpus")
    return build(ROOT / "pelicanconf.py", root / "output",
                 {"PATH": str(corpus), "NEWSDESK_TODAY": TODAY,
                  "IMAGES_CACHE_DIR": str(root / "cache")})


def in_corpus(report, content: Path) -> dict[str, list[tuple]]:
    """problems_by_file for the problems of the corpus's files (Pelican's own log aside)."""
    root = content.resolve()
    mine = [p for p in report.problems
            if Path(p.path).resolve().is_relative_to(root) and Path(p.path).resolve() != root]
    return problems_by_file(type("Mine", (), {"problems": mine}), content)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_the_build_reports_the_mistake_as_check_does(case, built_corpus, checked, corpus):
    name = case["file"]
    by_build = sorted(in_corpus(built_corpus.report, corpus).get(name, []))
    by_check = sorted(in_corpus(checked.report, corpus).get(name, []))
    if name in CHECK_ONLY:
        assert set(map(tuple, by_build)) < set(map(tuple, by_check)), CHECK_ONLY[name]
    else:
        assert by_build == by_check


def test_the_build_of_the_corpus_fails_with_every_error_on_its_file(built_corpus, corpus):
    assert not built_corpus.ok
    assert set(CHECK_ONLY) <= {c["file"] for c in CASES}
    elsewhere = [p for p in built_corpus.report.problems if p.severity == ERROR
                 and not Path(p.path).resolve().is_relative_to(corpus.resolve())]
    assert not elsewhere, elsewhere
    assert not any(".build-" in p.message + p.hint for p in built_corpus.report.problems)


def test_the_real_command_lists_everything_grouped_by_file_without_traceback(corpus):
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(corpus), "--today", TODAY],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert f"{corpus}/so-cccd.md:6: CẢNH BÁO: Có vẻ là dữ liệu cá nhân" in run.stdout
    assert f"── {corpus}/xa-sai-ten.md\n{corpus}/xa-sai-ten.md:3: LỖI: Không có xã" in run.stdout
    assert "→ Có phải \"Tân Hưng\"?" in run.stdout


def test_the_real_command_speaks_json_for_machines(corpus):
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--json", "--content", str(corpus),
         "--today", TODAY], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    problems = json.loads(run.stdout)
    unknown_type = [p for p in problems if p["path"].endswith("loai-sai.md")]
    assert unknown_type == [{"path": f"{corpus}/loai-sai.md", "line": 5, "severity": ERROR,
                             "message": "Loại nội dung \"infografic\" không có.",
                             "hint": unknown_type[0]["hint"], "field": "type", "code": ""}]
    assert "Có phải \"infographic\"?" in unknown_type[0]["hint"]


def test_clean_content_exits_zero_even_with_warnings(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "tin.md").write_text(
        "Title: Tin thử\nDate: 20/11/2026 08:00\nCategory: Đồng Nơ\nID: tin-thu-01\n\n"
        "Liên hệ 0912 345 678.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(content)],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "CẢNH BÁO" in run.stdout and "0 lỗi, 1 cảnh báo" in run.stdout


def test_fix_repairs_unicode_and_encoding_cases_only_and_keeps_a_backup(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CORPUS / "content", content)
    draw_images(content)
    before = {p: p.read_bytes() for p in content.rglob("*.md")}
    result = content_check.check(overrides={"PATH": str(content), "NEWSDESK_TODAY": TODAY},
                                 fix=True)
    fixable = {c["file"] for c in CASES if c["fixable"]}
    fixed = {p.relative_to(content).as_posix() for p in result.fixed}
    assert fixed == fixable
    found = problems_by_file(result.report, content)
    for name in fixable:
        assert name not in found, (name, found.get(name))
        path = content / name
        assert path.with_name(path.name + ".bak").read_bytes() == before[path]
        path.read_text(encoding="utf-8")  # now UTF-8
    for path, data in before.items():
        name = path.relative_to(content).as_posix()
        if name not in fixed:
            assert path.read_bytes() == data, name
            assert not path.with_name(path.name + ".bak").exists()
    added = set((content / "thieu-ma-bai.md").read_text(encoding="utf-8").split("\n")) - set(
        before[content / "thieu-ma-bai.md"].decode("utf-8").split("\n"))
    assert len(added) == 1 and added.pop().startswith("ID: f-")
    text = (content / "dan-tu-tcvn3.md").read_text(encoding="utf-8")
    assert "Hộ nghèo ở xã Đồng Nơ đã vươn lên thoát nghèo nhờ nuôi bò." in text
    assert "Title: Đồng Nơ vươn lên" in (content / "chu-eth.md").read_text(encoding="utf-8")


def test_fixed_missing_id_keeps_the_identity_the_build_already_used(tmp_path):
    from newsdesk.content.items import derived_id
    content = tmp_path / "content"
    (content / "dong-no").mkdir(parents=True)
    item = content / "dong-no" / "bo.md"
    item.write_text("Title: Nuôi bò\nDate: 20/11/2026 08:00\nCategory: Đồng Nơ\n\nNội dung.\n",
                    encoding="utf-8")
    content_check.check(overrides={"PATH": str(content)}, fix=True)
    assert f"ID: {derived_id('dong-no/bo.md')}\n" in item.read_text(encoding="utf-8")
    assert (content / "dong-no" / "bo.md.bak").exists()


def test_a_false_alarm_is_accepted_by_a_personal_data_ok_line(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "tin.md").write_text(
        "Title: Đường dây nóng\nDate: 20/11/2026 08:00\nCategory: Toàn huyện\nID: nong-01\n"
        "Personal-Data-Ok: 0271 3888 999\n\nGọi đường dây nóng 0271.3888.999 hoặc "
        "chị Hoa số 0912345678.\n", encoding="utf-8")
    result = content_check.check(overrides={"PATH": str(content)})
    assert [p.message for p in result.report.problems] == [
        "Có vẻ là dữ liệu cá nhân (số điện thoại): \"0912345678\". Không đăng thông tin cá "
        "nhân của hộ nghèo (Nghị định 13/2023/NĐ-CP)."]
    assert result.ok

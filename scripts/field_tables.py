"""Write the field tables of docs/huong-dan-bien-tap.md from data/vocabulary.toml.

The guide's tables sit between two marker comments and are regenerated, never edited by
hand, so they cannot drift from the vocabulary (tests/test_editor_docs.py checks this).
Run: /work/main/.venv/bin/python scripts/field_tables.py
"""

from __future__ import annotations

from devtools import ROOT
from newsdesk.content import vocabulary
from newsdesk.editors.newitem import field_line

GUIDE = ROOT / "docs" / "huong-dan-bien-tap.md"
START = "<!-- BẢNG TRƯỜNG: tạo bởi scripts/field_tables.py, không sửa tay -->"
END = "<!-- HẾT BẢNG TRƯỜNG -->"


def tables(vocab: vocabulary.Vocabulary) -> str:
    common_required = set(vocab.common_required)
    rows = ["| Dòng | Nghĩa | Bắt buộc? | Cách viết |", "|---|---|---|---|"]
    for key in dict.fromkeys(vocab.common_required + vocab.common_optional):
        field = vocab.fields[key]
        need = "Bắt buộc" if key in common_required else "Không bắt buộc"
        rows.append(f"| `{field_line(key)}:` | {field.label} | {need} | {_cell(field.help)} |")
    parts = ["### Các dòng dùng cho mọi loại bài", "", *rows, ""]
    parts += ["### Các dòng riêng của từng loại", "",
              "| Loại (`Type:`) | Tên | Dòng bắt buộc thêm | Dòng không bắt buộc thêm |",
              "|---|---|---|---|"]
    for ctype in vocab.types.values():
        parts.append(f"| `{ctype.key}` | {ctype.name} | {_keys(ctype.required)} | "
                     f"{_keys(ctype.optional)} |")
    extra = [k for t in vocab.types.values() for k in t.allowed]
    if extra:
        parts += ["", "| Dòng | Nghĩa | Cách viết |", "|---|---|---|"]
        for key in dict.fromkeys(extra):
            field = vocab.fields[key]
            parts.append(f"| `{field_line(key)}:` | {field.label} | {_cell(field.help)} |")
    parts += ["", "### Trang riêng (thư mục content/pages/)", "",
              "| Dòng | Nghĩa | Bắt buộc? |", "|---|---|---|"]
    required, allowed = vocab.page_fields()
    for key in allowed:
        need = "Bắt buộc" if key in required else "Không bắt buộc"
        parts.append(f"| `{field_line(key)}:` | {vocab.fields[key].label} | {need} |")
    return "\n".join(parts)


def _keys(keys) -> str:
    return ", ".join(f"`{field_line(k)}:`" for k in keys) or "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(guide_text: str, vocab: vocabulary.Vocabulary) -> str:
    before, _, rest = guide_text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{tables(vocab)}\n{END}{after}"


def main() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    GUIDE.write_text(render(text, vocabulary.load()), encoding="utf-8")
    print(f"Đã cập nhật bảng trường trong {GUIDE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""The editors' guide cannot drift from the vocabulary, and its screenshots exist and are small."""

import re

from PIL import Image

from devtools import ROOT
from newsdesk.content import vocabulary
from newsdesk.editors.newitem import field_line
from scripts import field_tables

GUIDE = ROOT / "docs" / "huong-dan-bien-tap.md"


def test_field_tables_are_generated_from_the_current_vocabulary():
    text = GUIDE.read_text(encoding="utf-8")
    assert field_tables.render(text, vocabulary.load()) == text, \
        "run: python scripts/field_tables.py"


def test_guide_mentions_every_field_and_has_a_complete_example_per_type():
    text = GUIDE.read_text(encoding="utf-8")
    vocab = vocabulary.load()
    for key in vocab.fields:
        assert f"`{field_line(key)}:`" in text, key
    examples = re.findall(r"```\n(Title: .*?)```", text, flags=re.S)
    for ctype in vocab.types.values():
        example = next(e for e in examples if f"\nType: {ctype.key}\n" in e)
        required, _ = vocab.type_fields(ctype.key)
        for key in required:
            assert f"\n{field_line(key)}: " in "\n" + example, (ctype.key, key)


def test_screenshots_exist_and_are_small():
    images = re.findall(r"!\[[^\]]+\]\((img/[^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(images) >= 3
    widths = set()
    for relative in images:
        path = GUIDE.parent / relative
        assert path.stat().st_size < 150_000, relative
        with Image.open(path) as image:
            widths.add(image.width)
    assert 412 in widths and max(widths) >= 1024

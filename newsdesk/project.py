"""The project folder: where the settings, content and data live when a caller names none.

The package is installed editable from its checkout (scripts/setup.sh), so the folder above
it is the project; tasks.py, the tests and the scripts take their defaults from here.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
VOCABULARY = ROOT / "data" / "vocabulary.toml"

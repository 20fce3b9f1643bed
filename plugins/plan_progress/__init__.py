"""Adds a "Tiến độ kế hoạch" page per plan ([[plans]] of data/vocabulary.toml): published
items against the plan's targets by content type, handbook audience, commune and quarter,
each as a static SVG bar chart (made at build time: no script, no inline style) beside a
table of the same figures, and a CSV download of that table (UTF-8 with a BOM, for Excel).

The figures come from newsdesk/content/progress.py's one counting function, which
`invoke report` uses too. Template: plan_progress.html; chart macro: macros/bar-chart.html;
styles: theme/css/progress.css. Context for every page: `plan_progress_pages` (newest plan
first: the home page and the footer link to it).
Settings (pelicanconf.py, docs/duong-dan.md): PLAN_PROGRESS_URL, PLAN_PROGRESS_SAVE_AS,
PLAN_PROGRESS_CSV_SAVE_AS, where `{slug}` is the plan's ("288-kh-ubnd-2023").
"""

from pelican import signals

from .generator import PlanProgressGenerator


def get_generators(pelican):
    return PlanProgressGenerator


def register():
    signals.get_generators.connect(get_generators)

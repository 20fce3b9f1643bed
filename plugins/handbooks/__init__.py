"""Handbooks (`Type: cam-nang`): chapters, a table of contents, audience pages and a PDF.

A handbook is one Markdown file whose `##` headings are its chapters, or several files sharing
a `Handbook:` line, each with a `Chapter:` number (newsdesk/content/handbooks.py: the rule that
lists a handbook in chapters once, as one item at ARTICLE_URL with the handbook's key as slug).
Adds: chapter pages under their handbook's page (HANDBOOK_CHAPTER_URL) with the table of
contents and previous/next links, the handbook's page with its table of contents (template
`handbook.html`), the whole handbook on one page (HANDBOOK_WHOLE_URL, `handbook_whole.html`),
one page per audience of `[audiences]` (AUDIENCE_URL, `audience.html`), and a print page per
handbook (HANDBOOK_PRINT_URL, `handbook_print.html`, bundle `handbook`) that the post-build
step `handbooks` renders with WeasyPrint (newsdesk/site/print_pdf.py, shared with leaflets)
into a tagged PDF/UA-1 file in Vietnamese with one bookmark per chapter and page numbers
(HANDBOOK_PDF_URL). Settings: those URL patterns and their *_SAVE_AS (pelicanconf.py,
docs/duong-dan.md), where `{url}` is the handbook's URL; HANDBOOK_PDF = False leaves the PDF
step out.
"""

from pelican import signals

from newsdesk.content.handbooks import assemble

from .generator import HandbookPagesGenerator, add_settings, add_step


def get_generators(pelican):
    return HandbookPagesGenerator


def register():
    signals.initialized.connect(add_settings)
    signals.initialized.connect(add_step)
    signals.article_generator_pretaxonomy.connect(assemble)
    signals.get_generators.connect(get_generators)

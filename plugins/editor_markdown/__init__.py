"""Reads editors' Markdown: NFC text, Vietnamese dates, communes and types from the vocabulary.

Replaces Pelican's Markdown reader. Every problem in a file is added to the build's report
(newsdesk.content.problems) with its line; a file with an error is left out and fails the build.
Settings: VOCABULARY_PATH (the data file), NEWSDESK_TODAY (a fixed "today", ISO date).
"""

from pelican import signals

from newsdesk.site.context import context_of

from .reader import EditorMarkdownReader


def add_reader(readers):
    for extension in EditorMarkdownReader.file_extensions:
        readers.reader_classes[extension] = EditorMarkdownReader


def start_context(pelican):
    context_of(pelican.settings)


def register():
    signals.initialized.connect(start_context)
    signals.readers_init.connect(add_reader)

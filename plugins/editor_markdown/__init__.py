"""Reads editors' Markdown: NFC text, Vietnamese dates, communes and types from the vocabulary.

Replaces Pelican's Markdown reader. Every problem in a file is added to the build's report
(newsdesk.content.problems) with its line; a file with an error is left out and fails the build.
Settings: VOCABULARY_PATH (the data file), NEWSDESK_TODAY (a fixed "today", ISO date).
The articles are read on two cores when RENDER_PROCESSES allows it (read_ahead.py).
"""

import os

from pelican import signals

from newsdesk.site.context import context_of
from newsdesk.site.render_queue import processes

from .read_ahead import READ_AHEAD_MIN_FILES, ReadAhead
from .reader import EditorMarkdownReader


def add_reader(readers):
    for extension in EditorMarkdownReader.file_extensions:
        readers.reader_classes[extension] = EditorMarkdownReader


def start_context(pelican):
    context_of(pelican.settings)


def start_reading_ahead(generator):
    settings = generator.settings
    # In Pelican's own order (its generate_context lists them again the same way).
    files = list(generator.get_files(settings["ARTICLE_PATHS"],
                                     exclude=settings["ARTICLE_EXCLUDES"]))
    fewest = int(settings.get("READ_AHEAD_MIN_FILES", READ_AHEAD_MIN_FILES))
    if len(files) < fewest or processes(settings, len(files)) < 2:
        return
    paths = [os.path.abspath(os.path.join(generator.path, f)) for f in files]
    context = context_of(settings)
    context.read_ahead = ReadAhead(paths, context.reading, settings["PATH"])


def stop_reading_ahead(generator):
    context = context_of(generator.settings)
    if context.read_ahead:
        context.read_ahead.close()
        context.read_ahead = None


def register():
    signals.initialized.connect(start_context)
    signals.readers_init.connect(add_reader)
    signals.article_generator_init.connect(start_reading_ahead)
    signals.article_generator_finalized.connect(stop_reading_ahead)

"""Checks across all items before anything is written, and turns Pelican's own log errors
into the build's report.

Adds: duplicate identities, slugs and URLs (Pelican would silently overwrite or crash),
symlinks that lead out of content/, linked files copied only from inside content/ to inside
the output, and a stop before writing when the report has errors.
"""

from pelican import signals

from .checks import (check_unique, keep_static_files_inside, refuse_escaping_symlinks,
                     stop_on_errors, watch_pelican_log)


def register():
    signals.initialized.connect(watch_pelican_log)
    signals.initialized.connect(refuse_escaping_symlinks)
    signals.static_generator_finalized.connect(keep_static_files_inside)
    signals.all_generators_finalized.connect(check_unique)
    signals.all_generators_finalized.connect(stop_on_errors)


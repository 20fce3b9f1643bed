"""Every image and video of the content, made light for slow phones and safe for readers.

Images (covers, infographics, video posters, images in bodies) become WebP + JPEG/PNG
derivatives at a few widths with `<picture>`/`srcset`, metadata stripped, cached in
IMAGES_CACHE_DIR and encoded on all cores (newsdesk/media/images.py). Videos become a click-to-play
YouTube facade (nothing loaded from YouTube before the click) or a local `<video>`.
Editors' guide: docs/anh-va-video.md.

Settings (defaults in pipeline.DEFAULTS): IMAGES_CACHE_DIR (.cache/images at the project
root), IMAGES_OUTPUT_DIR ("media"), IMAGES_WIDTHS ((400, 800, 1600)), IMAGES_WEBP_QUALITY,
IMAGES_JPEG_QUALITY, IMAGES_FULL_QUALITY (the printable copy), IMAGES_MAX_PIXELS (the
decompression-bomb limit), IMAGES_WORKERS (0: every core). The settings keep the IMAGES_
prefix: each is about images only (videos have none).
"""

from pelican import signals

from newsdesk.site import body_edit

from .pipeline import collect, collect_pages_and_render, configure, render_again, write


def register():
    signals.initialized.connect(configure)
    signals.article_generator_finalized.connect(collect)
    signals.page_generator_finalized.connect(collect_pages_and_render)
    signals.article_writer_finalized.connect(write)
    body_edit.body_reread.connect(render_again)

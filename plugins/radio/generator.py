"""The generator behind plugins/radio: writes the plain-text script of every radio item."""

from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from newsdesk.content import site_items

from newsdesk.content.radio_script import script_text
from newsdesk.site.templating import body_at


class RadioScriptsGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        # Written here, once every plugin has rewritten the bodies (images, videos).
        for item in site_items.items(self.context, site_items.WITH_A_PAGE):
            files = getattr(item, "radio", None)
            if files:
                path = Path(self.output_path) / files.script_url
                path.parent.mkdir(parents=True, exist_ok=True)
                body = body_at(item, item.get_siteurl())
                path.write_bytes(script_text(item.title, body).encode("utf-8"))

"""Pelican's articles generator, its tag, category and author pages made in linear time.

For each tag (category, author) Pelican lists its articles in date order with
`[a for a in self.dates if a in articles]`: `in` on a list, so every article is compared
with every article of the tag. At 4,000 items that is 0.7 s of the build. Here each of those
lists answers `in` from a set of its articles' ids: the same lists (content has no __eq__ of
its own, so `in` was identity already), in the same order.
"""

from __future__ import annotations

from pelican.generators import ArticlesGenerator

from newsdesk.site import pelican_adapter


class Articles(list):
    """A taxonomy's articles: a list whose `in` is a set lookup."""

    def __init__(self, articles):
        super().__init__(articles)
        self._ids = frozenset(map(id, articles))

    def __contains__(self, article) -> bool:
        return id(article) in self._ids

    def _changed(self, *_, **__):
        raise TypeError("a taxonomy's articles are fixed once Pelican has read them")

    append = extend = insert = remove = pop = clear = __setitem__ = __delitem__ = _changed
    __iadd__ = sort = reverse = _changed


class TaxonomyArticlesGenerator(ArticlesGenerator):
    def generate_context(self):
        super().generate_context()
        self.tags = {tag: Articles(articles) for tag, articles in self.tags.items()}
        self.categories = [(name, Articles(articles)) for name, articles in self.categories]
        self.authors = [(name, Articles(articles)) for name, articles in self.authors]
        pelican_adapter.update_context(self, ("tags", "categories", "authors"))

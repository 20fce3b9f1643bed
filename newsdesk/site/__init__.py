"""Building the site: the staged build, its context and post-build steps, templates' helpers and the preview servers."""

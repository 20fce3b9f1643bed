"""The content model: the vocabulary, an item's fields and rules, text, dates and the problem report."""

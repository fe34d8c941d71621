"""Check: cross-references, quotes against the archive, figures against the quotes."""

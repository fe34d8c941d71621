"""The briefing site generator: a facts registry checked against archived sources, published as a static site."""

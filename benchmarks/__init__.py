"""Measurements of the generator and its site (build speed, page weight, Lighthouse): run by `make bench`
and `make lighthouse`, never shipped in the package and never part of the tests' verdicts."""

# Two commands on a fresh machine:
#   make site   build the site into site/ (creates .venv with pinned dependencies)
#   make test   run the whole test suite
# Others: make check (validate the registry only), make serve (live preview; for a large
# registry: make serve SERVE_FLAGS=--dirty), make bench.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCES ?= ../shared/sources
SERVE_FLAGS ?=
export BRIEFING_SOURCES := $(SOURCES)

.PHONY: site test check serve clean browser bench

site: $(VENV)/.installed
	$(BIN)/briefing build --strict

check: $(VENV)/.installed
	$(BIN)/briefing check --strict

serve: $(VENV)/.installed
	$(BIN)/briefing serve $(SERVE_FLAGS)

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Build-speed benchmark (a few minutes; not part of the tests): see docs/performance.md.
bench: $(VENV)/.installed
	$(BIN)/python -m scripts.bench --update docs/performance.md

# Browser tests drive Debian's Chromium (never a downloaded browser build).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

clean:
	rm -rf site docs/generated .cache $(VENV)

# Two commands on a fresh machine:
#   make site   build the site into site/ (creates .venv with the locked dependencies)
#   make test   run the whole test suite (make test-fast: all but the browser, Zensical and slow tests)
# Others: make check (validate the registry only), make serve (live preview; for a large
# registry: make serve SERVE_FLAGS=--dirty), make bench, make lighthouse (page weight and
# Lighthouse scores), make lock (re-lock the dependencies),
# make clean (generated pages, site and caches), make distclean (everything, .venv too).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The archived sources: BRIEFING_SOURCES=DIR or SOURCES=DIR, else ../shared/sources.
BRIEFING_SOURCES ?= ../shared/sources
SOURCES ?= $(BRIEFING_SOURCES)
export BRIEFING_SOURCES := $(SOURCES)
SERVE_FLAGS ?=
# One stamp per interpreter version: a .venv another Python made is rebuilt, not reused.
PYVERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
INSTALLED := $(VENV)/.installed-$(PYVERSION)
TESTED := $(VENV)/.installed-test-$(PYVERSION)
PIP := $(BIN)/python -m pip install --disable-pip-version-check --no-input

.PHONY: site test test-fast fresh check serve clean distclean browser bench lock lighthouse

site: $(INSTALLED)
	@$(BIN)/briefing build --strict

check: $(INSTALLED)
	@$(BIN)/briefing check --strict

serve: $(INSTALLED)
	@$(BIN)/briefing serve $(SERVE_FLAGS)

# The guard fails a run that changed the checkout, its outputs or the .venv (tests/conftest.py).
# make test-fast: everything but the browser, second-engine and slow tests (the quick loop).
# Both use every core (pytest-xdist: each worker builds the real site and starts its browser once,
# as its session fixtures say; a file with a module fixture runs whole on one worker, which makes
# it once: tests/conftest.py): on 2 cores make test-fast takes 40 % of the time it takes on one.
PYTEST_WORKERS ?= -n auto
test: $(TESTED) browser
	@BRIEFING_GUARD_CHECKOUT=1 $(BIN)/python -m pytest $(PYTEST_WORKERS)

test-fast: $(TESTED)
	@BRIEFING_GUARD_CHECKOUT=1 $(BIN)/python -m pytest $(PYTEST_WORKERS) -m "not browser and not engines and not slow"

# A new user's first run with each supported Python this machine has, in a temporary folder:
# a pristine clone, then make site and make test-fast (FRESH_TARGETS="site test" for the whole suite).
fresh:
	@bash .ci/fresh

$(INSTALLED): requirements-pip.txt requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: Python 3.11 or newer is needed, and '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo 'not found')."; \
	  echo "       Install it, then run: make $(MAKECMDGOALS) PYTHON=python3.11"; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])' 2>/dev/null)" != \
	  "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
	  echo "rebuilding .venv: another Python made it"; rm -rf $(VENV); fi
	@echo "installing the site's dependencies into .venv (log: .venv/install.log)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@{ $(PIP) --require-hashes -r requirements-pip.txt && \
	   $(PIP) --require-hashes -r requirements.txt && \
	   $(PIP) --no-deps --no-build-isolation -e .; } > $(VENV)/install.log 2>&1 || { \
	  tail -n 15 $(VENV)/install.log; echo "error: installing failed; the whole log is in .venv/install.log"; exit 1; }
	@rm -f $(VENV)/.installed-*
	@touch $@

$(TESTED): $(INSTALLED) requirements-test.txt
	@echo "installing the test tools into .venv (log: .venv/install.log)"
	@$(PIP) --require-hashes -r requirements-test.txt >> $(VENV)/install.log 2>&1 || { \
	  tail -n 15 $(VENV)/install.log; echo "error: installing failed; the whole log is in .venv/install.log"; exit 1; }
	@touch $@

# Build speed, the live preview, then search at scale (benchmarks.bench runs benchmarks.search
# last; half an hour; not part of the tests): see docs/performance.md.
bench: $(TESTED) browser
	@$(BIN)/python -m benchmarks.bench --update docs/performance.md

# Page weight and mobile Lighthouse on the built site, served gzip-compressed (a few minutes;
# measured, not tested: see README, Performance). Lighthouse comes from npm, locked in benchmarks/lighthouse/.
lighthouse: $(TESTED) browser
	@test -x benchmarks/lighthouse/node_modules/.bin/lighthouse || \
	  (cd benchmarks/lighthouse && npm ci --no-audit --no-fund --loglevel=error)
	@$(BIN)/briefing build --strict
	@$(BIN)/python -m benchmarks.pageweight site
	@$(BIN)/python -m benchmarks.lighthouse site

# The three requirement sets (the installer pip, the site's, the tests'), locked with every file's
# hash: after changing pyproject.toml, requirements-test.in or requirements-pip.in.
# Existing pins are kept; `make lock LOCK_FLAGS=--upgrade` moves them all.
LOCK_FLAGS ?=
lock:
	@test -x .cache/lock/bin/pip-compile || { $(PYTHON) -m venv .cache/lock && \
	  .cache/lock/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2; }
	@CUSTOM_COMPILE_COMMAND="make lock" .cache/lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links --all-build-deps $(LOCK_FLAGS) \
	  --output-file requirements.txt pyproject.toml
	@CUSTOM_COMPILE_COMMAND="make lock" .cache/lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) \
	  --output-file requirements-test.txt requirements-test.in
	@CUSTOM_COMPILE_COMMAND="make lock" .cache/lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) \
	  --output-file requirements-pip.txt requirements-pip.in
	@cp requirements-pip.txt scripts/briefing/skeleton/requirements-pip.txt  # a new briefing's installer: the same pip
	@echo "locked: requirements-pip.txt (and the skeleton's copy), requirements.txt, requirements-test.txt"

# Browser tests drive Debian's Chromium (never a downloaded browser build): installed here with
# apt, as root or through sudo; where neither is possible, the message says what to install.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "error: the browser tests need Debian's chromium at /usr/bin/chromium, and installing it needs"; \
	       echo "       root or sudo: run 'sudo apt-get install chromium fonts-dejavu-core', then make test again"; \
	       exit 1; fi; \
	  echo "installing Debian's chromium for the browser tests"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

# Generated pages, the site and the caches; .venv stays (make distclean removes it too).
clean:
	rm -rf site build .cache build-artifacts

distclean: clean
	rm -rf $(VENV)

# Set-up, build and test commands. `make serve` and `make test` do all set-up
# themselves: a virtual environment in .venv with the locked packages, and the
# front-end packages in node_modules from package-lock.json.

PYTHON ?= $(shell ./scripts/find_python.sh)
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
# CI also installs PyTorch, the independent reference the tests compare with.
EXTRAS := site,test
ifeq ($(CI),true)
EXTRAS := site,test,reference
endif
comma := ,
INSTALLED := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
NPM_STAMP := node_modules/.package-lock.json

# The sitemap's dates and the feed's build date follow SOURCE_DATE_EPOCH: the time
# of the last commit, so two builds of one commit give identical files. Outside a
# git checkout it stays unset (MkDocs then uses the current time) unless given.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
# The deploy workflow passes a config that inherits mkdocs.yml to set site_url.
MKDOCS_CONFIG ?= mkdocs.yml

.PHONY: help install serve build figures check-figures new-post lint test bench lock clean screenshot

help:
	@echo "make serve          set everything up and serve the site with live reload"
	@echo "make test           set everything up and run every test"
	@echo "make build          build the site strictly into site/"
	@echo "make figures        regenerate figures/ where inputs changed"
	@echo 'make new-post TITLE="..."  scaffold the next part of the series as a draft'
	@echo "make check-figures  fail if the committed figures/ are stale"
	@echo "make bench          time the core against PyTorch (not part of make test)"
	@echo "make screenshot     renew the README's screenshot of part 1 from the built site"
	@echo "make lock           re-pin every package in $(LOCK)"

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "make: no Python 3.12+ found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

.venv: $(VENV)/bin/python

$(INSTALLED): $(VENV)/bin/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e ".[$(EXTRAS)]"
	touch $@

install: $(INSTALLED) $(NPM_STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

figures: $(INSTALLED)
	$(BIN)/python scripts/build_figures.py

# TITLE reaches the script through the environment (make exports command-line
# variables), so quotes in a title cannot break the shell command.
new-post: $(INSTALLED)
	@test -n "$$TITLE" || { echo 'make new-post: give a title: make new-post TITLE="Masks and positions"'; exit 1; }
	$(BIN)/python scripts/new_post.py "$$TITLE"

check-figures: $(INSTALLED)
	$(BIN)/python scripts/build_figures.py --check

serve: install figures
	$(BIN)/mkdocs serve

# mkdocs empties its output folder before writing, and a strict build fails only
# after writing every page: build beside site/ and swap only on success.
build: install check-figures
	if [ ! -d site ] && [ -d .site-old ]; then mv .site-old site; fi
	rm -rf .site-new
	$(BIN)/mkdocs build --strict --config-file $(MKDOCS_CONFIG) --site-dir .site-new
	rm -rf .site-old
	if [ -d site ]; then mv site .site-old; fi
	mv .site-new site
	rm -rf .site-old

lint: $(INSTALLED)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test: install lint check-figures
	$(BIN)/python -m pytest

bench: $(INSTALLED)
	$(BIN)/python scripts/bench_attention.py

# Needs Chromium, as the browser tests do.
screenshot: install
	$(BIN)/python scripts/screenshot.py

# Re-pin every package (PyTorch included) from a fresh environment.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[site,test,reference]"
	.venv-lock/bin/python -m pip freeze --exclude understanding-attention \
		--exclude pip > $(LOCK)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) node_modules site .site-new .site-old

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

.PHONY: help install serve build figures check-figures lint test bench lock clean

help:
	@echo "make serve          set everything up and serve the site with live reload"
	@echo "make test           set everything up and run every test"
	@echo "make build          build the site strictly into site/"
	@echo "make figures        regenerate figures/ where inputs changed"
	@echo "make check-figures  fail if the committed figures/ are stale"
	@echo "make bench          time the core against PyTorch (not part of make test)"
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

check-figures: $(INSTALLED)
	$(BIN)/python scripts/build_figures.py --check

serve: install figures
	$(BIN)/mkdocs serve

# mkdocs empties its output folder before writing, and a strict build fails only
# after writing every page: build beside site/ and swap only on success.
build: install check-figures
	rm -rf .site-new
	$(BIN)/mkdocs build --strict --site-dir .site-new
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

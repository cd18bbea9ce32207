# Paperwork: two set-up commands on a fresh machine with Python 3.11+.
#   make demo   install into .venv, load the sample case, render its letter, open the app
#   make test   install system tools and test dependencies, run the whole test suite
#               (with a throwaway PostgreSQL cluster for the pool server's tests)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOME_DIR ?= ./paperwork-data

.PHONY: demo test install install-test system-deps bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# An editable install leaves the sources where they are; compiling them once keeps
# start-up fast where PYTHONDONTWRITEBYTECODE stops Python from caching bytecode.
COMPILE = $(BIN)/python -m compileall -q paperwork tui letter_templates locales > /dev/null

# -qq: setuptools reports every editable install of a mapped layout (tui/ installs
# as paperwork.tui) with a page of "information only" text; errors still show.
install: $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	$(COMPILE)

install-test: $(BIN)/python
	$(BIN)/python -m pip install -qq -e '.[test]'
	$(COMPILE)

demo: install
	$(BIN)/paperwork --home $(HOME_DIR) demo

system-deps:
	sh tools/system-deps.sh

# The pool server's tests also run against PostgreSQL: a throwaway cluster for the run.
test: system-deps install-test
	sh tools/pg-test-cluster.sh $(BIN)/python -m pytest -n auto -q -p no:cacheprovider

bench: install-test
	$(BIN)/python benchmarks/run.py

# ruff, strict mypy where pyproject's [tool.mypy] says so, and the layering contracts.
lint: install-test
	$(BIN)/python -m ruff check paperwork tui tests tools benchmarks
	$(BIN)/python -m mypy
	$(BIN)/python tools/lint_imports.py

clean:
	rm -rf $(VENV) build *.egg-info

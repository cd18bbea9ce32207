# Paperwork: two set-up commands on a fresh machine with Python 3.11+.
#   make demo   install into .venv, load the sample case, render its letter, open the app
#   make test   install system tools and test dependencies, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOME_DIR ?= ./paperwork-data

.PHONY: demo test install install-test system-deps bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	$(BIN)/paperwork --home $(HOME_DIR) demo

system-deps:
	sh tools/system-deps.sh

test: system-deps install-test
	$(BIN)/python -m pytest -n auto -q -p no:cacheprovider

bench: install-test
	$(BIN)/python benchmarks/run.py

lint: install-test
	$(BIN)/python -m ruff check paperwork tui tests

clean:
	rm -rf $(VENV) build *.egg-info

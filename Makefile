# Kervan — the commands developers and CI share. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The suite runs on this many processes (pytest-xdist), a test file on one of them
# (docs/dev/testing.md). TEST_WORKERS=0: one process, as plain `pytest` runs.
TEST_WORKERS ?= 2
PARALLEL := -n $(TEST_WORKERS) --dist loadfile

.DEFAULT_GOAL := help

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): requirements.lock pyproject.toml
	@echo "Installing Kervan and its locked dependencies into $(VENV)/ (once; about two minutes) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)
	@echo "Installed. Next time this step is skipped."

install: $(STAMP)  ## Create .venv with the locked dependencies and Kervan itself

demo: $(STAMP)  ## Run a demo node (KAZ, SQLite, generated data) on http://127.0.0.1:8000
	$(BIN)/kervan demo $(ARGS)

test: $(STAMP)  ## The whole suite, slow tests included, on TEST_WORKERS processes, as CI does (PostgreSQL half needs KERVAN_TEST_DATABASE_URL)
	$(BIN)/pytest $(PARALLEL) $(ARGS)

test-fast: $(STAMP)  ## The suite without the tests marked slow (and without Chromium): for development
	$(BIN)/pytest $(PARALLEL) -m "not slow and not browser" $(ARGS)

lint: $(STAMP)  ## ruff (lint and format check), mypy, migrations and translations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m kervan.db.check_migrations
	$(BIN)/kervan i18n check

format: $(STAMP)  ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)  ## Run every benchmark (ARGS=--help: options; ARGS=--record: write docs/benchmarks.md)
	$(BIN)/python -m bench $(ARGS)

outdated: $(STAMP)  ## List the pinned dependencies that are behind their current release (run it monthly)
	$(BIN)/python .ci/outdated.py

lock:  ## Re-resolve requirements.lock from pyproject.toml (needs uv: pip install uv)
	uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

.PHONY: help install demo test test-fast lint format bench outdated lock

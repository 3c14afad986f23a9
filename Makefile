# One-word entry points. `make run` and `make test` are the README's two commands.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run serve test prove lint format migrations-check

# Reinstall only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Migrates, loads the article into an empty database only, makes the admin
# login once: a restart never changes an editor's work or password.
run: install
	$(PY) manage.py setup_local
	$(PY) manage.py runserver $(HOST)

# Production: gunicorn against DATABASE_URL, after the checks, migrations and
# collectstatic (scripts/serve, docs/operations.md).
serve: install
	scripts/serve

test: install
	scripts/test

# The production proofs (load, faults), longer than the suite; CI runs both.
prove: install
	scripts/prove

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

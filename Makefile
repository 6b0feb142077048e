# Conventions de modernisation CNSA — the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.DEFAULT_GOAL := help
.PHONY: help run test lint migrate demo worker bench-report bench-totals clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

run: $(STAMP) ## Set up everything (venv, database, demo data) and serve http://127.0.0.1:8000
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) ## Lint, format check, migrations check and the whole suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP) ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(STAMP) ## Apply the migrations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

demo: migrate ## Load (or refresh) the demo data
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo

worker: $(STAMP) ## Start a Celery worker for the PDF reports (needs REDIS_URL)
	@test -n "$$REDIS_URL" || { echo "REDIS_URL manque (ex. : redis://127.0.0.1:6379/0) : sans lui, les rapports sont produits dans le serveur web."; exit 1; }
	DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A config worker -l info --concurrency 1

bench-report: migrate ## Time and peak memory of the PDF report of a generated 100-action convention
	DEBUG=$${DEBUG:-1} $(PY) bench/report.py --actions $${ACTIONS:-100}

bench-totals: migrate ## Time /api/v1/totals/ at 1 000, 10 000 and 100 000 funding lines
	DEBUG=$${DEBUG:-1} $(PY) bench/totals.py --sizes $${SIZES:-1000,10000,100000}

clean: ## Remove the virtual environment and the local SQLite database
	rm -rf $(VENV) db.sqlite3

# Conventions de modernisation CNSA — the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.DEFAULT_GOAL := help
.PHONY: help run serve test lint migrate demo static worker beat backup restore bench-report bench-totals bench-national bench-workspace bench-grid clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

# `make run` serves exactly as production does (gunicorn, DEBUG off, hashed static files), with the
# switches a plain-HTTP address on this machine needs, and a secret key kept in .secret_key.
LOCAL_ENV = DEBUG=0 SECRET_KEY="$$(cat .secret_key)" SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 \
	SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1} \
	SITE_BASE_URL=$${SITE_BASE_URL:-http://$(HOST):$(PORT)}
GUNICORN = $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} \
	--timeout $${GUNICORN_TIMEOUT:-120} --graceful-timeout 30

.secret_key:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	@chmod 600 .secret_key

run: $(STAMP) .secret_key ## Set up everything (venv, database, demo data) and serve http://127.0.0.1:8000 like production
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) $(PY) manage.py load_demo
	@echo "Serveur : http://$(HOST):$(PORT)/ (gunicorn, DEBUG désactivé)"
	$(LOCAL_ENV) $(GUNICORN)

serve: $(STAMP) ## Production server (gunicorn): settings from the environment (SECRET_KEY, DATABASE_URL…)
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY manque : voir .env.example et la section « Mettre en production » du README."; exit 1; }
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(GUNICORN)

test: $(STAMP) ## Lint, format, migrations, import layers and types checks, then the whole suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	DEBUG=1 $(VENV)/bin/mypy
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP) ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(STAMP) ## Apply the migrations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

demo: migrate ## Load (or refresh) the demo data
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo

worker: $(STAMP) ## Start a Celery worker with its beat (needs REDIS_URL)
	@test -n "$$REDIS_URL" || { echo "REDIS_URL manque (ex. : redis://127.0.0.1:6379/0) : sans lui, les rapports sont produits dans le serveur web."; exit 1; }
	DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A config worker -B -s $(VENV)/celerybeat-schedule -l info --concurrency 1

beat: $(STAMP) ## Start the periodic tasks alone (when workers run without -B, as in docker compose)
	@test -n "$$REDIS_URL" || { echo "REDIS_URL manque (ex. : redis://127.0.0.1:6379/0)."; exit 1; }
	DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A config beat -s $(VENV)/celerybeat-schedule -l info

backup: $(STAMP) ## Dated archive of the PostgreSQL database and the private files into backups/
	DEBUG=$${DEBUG:-1} $(PY) manage.py backup --output-dir $${BACKUP_DIR:-backups}

restore: $(STAMP) ## Restore ARCHIVE=backups/conventions-….tar.gz into an empty database
	@test -n "$(ARCHIVE)" || { echo "Usage : make restore ARCHIVE=backups/conventions-AAAAMMJJ-HHMMSS.tar.gz"; exit 1; }
	DEBUG=$${DEBUG:-1} $(PY) manage.py restore "$(ARCHIVE)"

bench-report: migrate ## PDF report of 100, 200, 1 000 actions: time and peak memory, previous vs current layout
	DEBUG=$${DEBUG:-1} $(PY) bench/report.py --sizes $${SIZES:-100,200,1000}

bench-totals: migrate ## Time /api/v1/totals/ at 1 000, 10 000 and 100 000 funding lines
	DEBUG=$${DEBUG:-1} $(PY) bench/totals.py --sizes $${SIZES:-1000,10000,100000}

bench-national: $(STAMP) ## National data set in PostgreSQL (DB bench_national), then wrk against gunicorn
	@command -v wrk >/dev/null || { echo "wrk est requis : apt-get install -y wrk"; exit 1; }
	@test -n "$$DATABASE_URL" || { echo "DATABASE_URL (PostgreSQL) est requis, ex. : postgres://postgres@127.0.0.1:5432/postgres"; exit 1; }
	DEBUG=$${DEBUG:-1} $(PY) bench/national.py --database $${BENCH_DATABASE:-bench_national} $(BENCH_ARGS)

bench-workspace: migrate ## Time the conventions list and the portfolio at 300 conventions, 500 000 funding lines
	DEBUG=$${DEBUG:-1} $(PY) bench/workspace.py --conventions $${CONVENTIONS:-300} --lines $${LINES:-500000}

bench-grid: migrate ## Time the financing plan grid of a generated 100-action convention, and saving all its cells
	DEBUG=$${DEBUG:-1} $(PY) bench/grid.py --actions $${ACTIONS:-100}

clean: ## Remove the virtual environment, the local SQLite database and the built static files
	rm -rf $(VENV) db.sqlite3 staticfiles

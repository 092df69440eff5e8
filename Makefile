# Quick start: `make run` (serve on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: install run serve load test lint format check-deploy clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Everything the quick start needs, idempotent: a second `make run` duplicates nothing.
load: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_fixtures
	DEBUG=$${DEBUG:-true} $(PY) manage.py create_demo_users

# runserver plus a Celery worker with embedded beat (the reminders), stopped together. Without
# REDIS_URL they talk through a broker in a local folder (.celery-broker): no Redis needed.
run: load
	@export DEBUG=$${DEBUG:-true} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$${REDIS_URL:-filesystem://}}; \
	$(VENV)/bin/celery -A otscustoms worker -B --pool=solo --loglevel=INFO & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SCALE ?= small
# The suite runs on one worker per core (pytest-xdist; each worker has its own test database).
TEST_WORKERS ?= auto

.PHONY: run worker test setup bench lint check serve forms-gallery

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[test]"
	touch $@

setup: $(VENV)/.installed
	bash scripts/system-deps.sh

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale $(SCALE)
	@# The worker (reminders, e-mail, checks) runs alongside and stops when runserver stops.
	@$(PY) manage.py qcluster & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The background worker alone (django-q2): jobs, retries and the schedules (README "Background jobs").
worker: setup
	$(PY) manage.py qcluster

test: $(VENV)/.installed
	bash scripts/system-deps.sh --with-browser
	cd tests/browser && npm ci --no-audit --no-fund --silent
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check .
	@# Two sessions: the real-browser tests (Playwright's event loop, live-server threads, flushed
	@# databases) are kept apart from the rest, whose order across workers must not matter.
	$(PY) -m pytest -n $(TEST_WORKERS) --ignore=tests/browser $(PYTEST_ARGS)
	$(PY) -m pytest -n $(TEST_WORKERS) tests/browser $(PYTEST_ARGS)

# Production (DESIGN.md section 6): needs PRODUCTION=1, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
serve: setup
	PY=$(PY) bash scripts/serve.sh

bench: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bench --scale $(SCALE) --json

check: setup
	PRODUCTION=1 SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=hcc.example.vn $(PY) manage.py check --deploy --fail-level WARNING

# Every form with typical and worst-case data as PNG pages in forms-gallery/ (for reviewers; not committed).
forms-gallery: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py forms_gallery --out forms-gallery

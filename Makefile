# Mobilise — `make demo` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTEST_WORKERS ?= 2

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# ---- installation -----------------------------------------------------------------------------
# A brand-new Debian 12 has python3, make and git and nothing else: no pip, no venv module, no Node.js.
# Each stage installs the Debian packages it needs with apt-get (as root, or through sudo) before it
# runs, and the Python tooling is bootstrapped inside the project: Debian's python3-venv gives a small
# virtual environment in .tools holding uv, and uv installs the locked dependencies into .venv.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
# `$(call apt,PACKAGE...)` installs those of the packages that are not installed yet.
apt = missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
  if [ -n "$$missing" ]; then echo "Installing from Debian:$$missing"; \
    $(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing >/dev/null; fi
UV_VERSION := 0.13.8
UV := .tools/bin/uv

$(UV):
	@python3 -c 'import ensurepip, venv' 2>/dev/null || { $(call apt,python3-venv); }
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/mobilise: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python python3.11
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { $(call apt,nodejs npm); }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

mobilise/static/dist/main.css: node_modules/.package-lock.json $(shell find frontend -type f)
	node frontend/build.mjs

mobilise/locale/cy/LC_MESSAGES/django.mo: mobilise/locale/cy/LC_MESSAGES/django.po $(BIN)/mobilise
	$(BIN)/pybabel compile --domain=django --directory=mobilise/locale --locale=cy --use-fuzzy --statistics

install: system-deps $(BIN)/mobilise mobilise/static/dist/main.css mobilise/locale/cy/LC_MESSAGES/django.mo ## Install Python and front-end dependencies from the lock files and build the assets

system-deps: ## Install from Debian what running needs, where missing: Pango and its fonts (WeasyPrint's PDFs)
	@$(call apt,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

system-test-deps: ## Install from Debian what the tests need, where missing: Chromium, PostgreSQL, pdftotext
	@$(call apt,chromium postgresql poppler-utils)

# ---- running ----------------------------------------------------------------------------------
demo: install ## Install, migrate the SQLite database, load the demo data and serve on http://127.0.0.1:$(PORT)
	$(BIN)/mobilise migrate --no-input
	$(BIN)/mobilise demo
	@echo "Mobilise is at http://127.0.0.1:$(PORT)/ — demo sign-ins are in the README. Ctrl+C stops it."
	@# The task worker (e-mails, recalculations) runs beside the web server and stops with it.
	$(BIN)/mobilise db_worker --interval 1 --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/mobilise runserver 127.0.0.1:$(PORT)

worker: install ## Run the background task worker (django-tasks database queue)
	$(BIN)/mobilise db_worker

# ---- checking ---------------------------------------------------------------------------------
lint: install ## Ruff, the architecture contracts and missing migrations
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=mobilise.settings.test $(BIN)/mobilise makemigrations --check --dry-run

test-sqlite: install system-test-deps ## Unit and view tests on SQLite (the racing tests need PostgreSQL: test-postgres runs them)
	$(BIN)/pytest -m "not browser and not postgres_only" -n $(PYTEST_WORKERS) -q

test-postgres: install system-test-deps ## Unit and view tests on a throwaway PostgreSQL server
	scripts/with-postgres.sh $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

test-browser: install system-test-deps ## Browser journeys and accessibility checks in Chromium
	$(BIN)/pytest -m browser -n $(PYTEST_WORKERS) -q

test-production: install system-test-deps ## The README's production steps on a throwaway PostgreSQL: check --deploy, collectstatic, gunicorn, then a crawl as the public and as the demo lead
	scripts/with-postgres.sh scripts/production-check.sh

test: lint test-sqlite test-postgres test-browser test-production ## Every check: lint, SQLite, PostgreSQL, browser and production tests

coverage: install system-test-deps ## Measure which code the SQLite and browser tests run (terminal report and htmlcov/index.html)
	$(BIN)/pytest -m "not postgres_only" -n $(PYTEST_WORKERS) -q --cov --cov-report=term --cov-report=html

messages: install ## Extract translatable text and update the Welsh catalogue
	$(BIN)/pybabel -q extract --mapping=babel.cfg --keywords="_ gettext ngettext:1,2 pgettext:1c,2 gettext_lazy" --output=.tmp-django.pot --project=Mobilise --omit-header .
	$(BIN)/pybabel -q update --domain=django --input-file=.tmp-django.pot --output-dir=mobilise/locale --locale=cy --no-fuzzy-matching
	$(BIN)/python scripts/welsh_glossary.py mobilise/locale/cy/LC_MESSAGES/django.po
	rm -f .tmp-django.pot

clean: ## Remove built assets and the local database
	rm -rf mobilise/static/dist staticfiles db.sqlite3 db.sqlite3-*

.PHONY: help install system-deps system-test-deps demo worker lint test-sqlite test-postgres test-browser test-production test coverage messages clean

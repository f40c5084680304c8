# rwakit developer entry points. `make up` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := test

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ANVIL := node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
# Stamp files make repeated `make install` instant until the dependency lists change.
PY_STAMP := $(VENV)/.rwakit-installed
NODE_STAMP := node_modules/.rwakit-installed
# Each pytest-xdist worker starts its own anvil, so parallel runs are safe.
PYTEST_ARGS ?= -n 2

.PHONY: up test install lint fmt services

up: install
	$(BIN)/rwakit up

test: install services lint
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# npm 11 skips @foundry-rs/anvil's install script; we call the platform binary directly.
$(NODE_STAMP): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	test -x $(ANVIL) || { echo "error: $(ANVIL) missing after npm install" >&2; exit 1; }
	touch $@

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(PY_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Later issues need PostgreSQL and Redis; start them only when they don't answer, and carry on
# (with a note) where the tools are not installed.
services:
	@if command -v pg_isready >/dev/null 2>&1; then \
		pg_isready -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start \
			|| echo "warning: could not start PostgreSQL" >&2; \
	else echo "note: PostgreSQL not installed; skipping"; fi
	@if command -v redis-cli >/dev/null 2>&1; then \
		redis-cli -h 127.0.0.1 ping || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log \
			|| echo "warning: could not start Redis" >&2; \
	else echo "note: Redis not installed; skipping"; fi

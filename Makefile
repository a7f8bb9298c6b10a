# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
# Everything else is set up by them: a pinned uv, a virtualenv synced from uv.lock,
# and (as root) the Debian packages the tests need.

PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: setup run demo test check lint format typecheck imports bench system-deps clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --quiet
	touch $@

setup: $(VENV)/.synced

# The main job: open the East Aleppo demo operation in a fresh embedded ledger,
# print its summary, then serve the live operations API on 127.0.0.1:8000 with
# that operation loaded and a coordinator token printed.
run: setup
	$(BIN)/corridor demo
	$(BIN)/corridor serve --demo --host 127.0.0.1 --port 8000

demo: run

system-deps:
	bash scripts/system-deps

test: setup system-deps check
	$(BIN)/pytest $(PYTEST_ARGS)

check: lint typecheck imports

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

bench: setup system-deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache

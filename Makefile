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
# The simulator's hot modules, compiled with mypyc when sources change
# (scripts/compile-native; pure Python where no C compiler is found).
NATIVE := src/corridor/simulation/engine.py src/corridor/simulation/people.py \
	src/corridor/simulation/deal.py src/corridor/domain/agreement/permit.py

.PHONY: setup run demo test check lint format typecheck imports bench system-deps clean pure

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --quiet
	touch $@

$(VENV)/.native: $(VENV)/.synced $(NATIVE) scripts/compile-native
	bash scripts/compile-native
	touch $@

setup: $(VENV)/.synced $(VENV)/.native

# The main job: open the East Aleppo demo operation in a fresh embedded ledger,
# print its summary, then serve the live operations API and dashboard on 127.0.0.1:8000 with
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

# Back to pure Python for the compiled modules (until the next `make setup`).
pure:
	bash scripts/compile-native --clean
	rm -f $(VENV)/.native

clean: pure
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache

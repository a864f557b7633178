# `make demo` and `make test` work on a fresh machine: they build their own virtualenv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

.PHONY: demo test lint serve bench clean

$(BIN)/incident-comms: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/incident-comms
	$(BIN)/incident-comms demo

test: $(BIN)/incident-comms
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n auto

lint: $(BIN)/incident-comms
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

serve: $(BIN)/incident-comms
	$(BIN)/incident-comms serve

bench: $(BIN)/incident-comms
	$(BIN)/python benchmarks/ack.py
	$(BIN)/python benchmarks/publish.py
	$(BIN)/python benchmarks/checks_eval.py --split holdout

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache

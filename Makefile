# `make demo` and `make test` work on a fresh machine: they build their own virtualenv.
# The demo installs only the app; the test targets add the test extras.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP := $(VENV)/.installed-app
TEST := $(VENV)/.installed-test
TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

.PHONY: demo sandbox test lint serve bench checks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(APP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[demo]"
	touch $@

$(TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(APP) $@

demo: $(APP)
	$(BIN)/incident-comms demo

sandbox: $(APP)  # a Slack-like workspace in the browser: http://127.0.0.1:8765/
	$(BIN)/incident-comms sandbox

test: $(TEST)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n auto --dist worksteal

lint: $(TEST)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

serve: $(APP)
	$(BIN)/incident-comms serve

bench: $(TEST)
	$(BIN)/python benchmarks/ack.py
	$(BIN)/python benchmarks/publish.py
	$(BIN)/python benchmarks/fuzz.py
	$(BIN)/python benchmarks/crashes.py
	$(MAKE) checks

# the draft checks on the drafts they were not tuned on: the blind part, then the kept-aside one
checks: $(TEST)
	$(BIN)/python benchmarks/checks_eval.py --split blind
	$(BIN)/python benchmarks/checks_eval.py --split kept_aside

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache

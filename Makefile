# Two entry points a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup lint clean-output

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Clean the sample documents in raw/ into clean/ (audit trail in clean/cleaner-audit.jsonl).
run: $(STAMP)
	$(BIN)/cleaner clean raw clean

## Run the test suite and the linter.
test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check cleaner tests benchmarks

lint: $(STAMP)
	$(BIN)/ruff check cleaner tests benchmarks

clean-output:
	rm -rf clean

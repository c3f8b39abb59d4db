# phoihop: `make demo` runs the nightly job end to end on the offline replay; `make test` runs ruff, mypy and pytest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest airflow eval bench clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/phoihop demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

airflow: $(STAMP)
	$(BIN)/phoihop standalone

eval: $(STAMP)
	$(BIN)/phoihop eval-extraction
	$(BIN)/phoihop eval --cv 5

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache

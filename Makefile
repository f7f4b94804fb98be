PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/simvision demo --out outputs/demo

test: $(STAMP)
	$(BIN)/ruff check simvision tests bench
	$(BIN)/ruff format --check simvision tests bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix simvision tests bench
	$(BIN)/ruff format simvision tests bench

bench: $(STAMP)
	$(BIN)/python bench/receipts.py

clean:
	rm -rf outputs/demo .pytest_cache

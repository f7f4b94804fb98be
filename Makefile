PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,blender,ray,train]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/simvision demo --out outputs/demo

test: $(STAMP)
	$(BIN)/ruff check simvision tests bench examples
	$(BIN)/ruff format --check simvision tests bench examples
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix simvision tests bench
	$(BIN)/ruff format simvision tests bench

bench: $(STAMP)
	$(BIN)/python bench/receipts.py

# Augment effects vs their closest peers (albumentations, Augraphy), same process, same page. Augraphy needs
# opencv-python (non-headless), which conflicts with ours, so it lives in its own venv with --no-deps.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml
	@test -x $(BENCH_VENV)/bin/python || $(PY) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q -e .
	$(BENCH_VENV)/bin/python -m pip install -q --no-deps augraphy==8.2.6
	$(BENCH_VENV)/bin/python -m pip install -q numba scikit-image scikit-learn requests
	@touch $(BENCH_STAMP)

.PHONY: bench-augment
bench-augment: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python bench/augment.py

clean:
	rm -rf outputs/demo .pytest_cache

.PHONY: bench-blender
bench-blender: $(STAMP)
	$(BIN)/python bench/blender.py

.PHONY: bench-scale
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py

# REAL: a folder of real photographs (not shipped); SYNTH: simvision dataset or image folders (see bench/README.md)
.PHONY: bench-realism
bench-realism: $(if $(and $(REAL),$(SYNTH)),$(STAMP))
	@test -n "$(REAL)" -a -n "$(SYNTH)" || { echo "usage: make bench-realism REAL=dir SYNTH='dir [dir ...]'"; exit 2; }
	$(BIN)/python bench/realism.py $(REAL) $(SYNTH)

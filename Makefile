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

# Ultralytics (the YOLO format's own loader and label check) in its own venv: it needs opencv-python and a torch.
# torchvision is pinned with torch through a constraints file (unpinned, it pulls a newer torch and CUDA packages).
ULTRA_VENV := .venv-tools/ultralytics
ULTRA_STAMP := $(ULTRA_VENV)/.installed

$(ULTRA_STAMP):
	@test -x $(ULTRA_VENV)/bin/python || $(PY) -m venv $(ULTRA_VENV)
	printf 'torch==2.13.0\ntorchvision==0.28.0\nultralytics==8.4.190\n' > $(ULTRA_VENV)/constraints.txt
	$(ULTRA_VENV)/bin/python -m pip install -q --upgrade pip
	$(ULTRA_VENV)/bin/python -m pip install -q -c $(ULTRA_VENV)/constraints.txt torch torchvision ultralytics
	@touch $(ULTRA_STAMP)

.PHONY: tools-ultralytics
tools-ultralytics: $(ULTRA_STAMP)

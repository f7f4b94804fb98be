PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml examples/shelf/pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,blender,ray,train]'
	$(BIN)/python -m pip install -q --no-deps -e examples/shelf
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/simvision demo --out outputs/demo

# Official format tools in their own venvs (built once, reused between runs): the writer tests run them.
TOOLS := tools-cityscapes tools-bdd100k tools-donut tools-ultralytics tools-motmetrics

test: $(STAMP) $(TOOLS)
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

# What a hand, handwriting and a stamp cost on a receipt (same specs, with and without; see bench/README.md).
.PHONY: bench-extras
bench-extras: $(STAMP)
	$(BIN)/python bench/receipt_extras.py --scene scenes/receipt.yaml scenes/receipt_photo.yaml

# Receipts/s against SynthDoG's pages/s on one core. SynthDoG is not shipped: SYNTHDOG is the synthdog folder of a
# checkout of Clova's donut. synthtiger 1.2.1 needs numpy<2 (imgaug 0.4) and Pillow<10 (FreeTypeFont.getsize),
# so it gets its own venv.
SYNTHDOG_VENV := .venv-synthdog
SYNTHDOG_STAMP := $(SYNTHDOG_VENV)/.installed

$(SYNTHDOG_STAMP):
	@test -x $(SYNTHDOG_VENV)/bin/python || $(PY) -m venv $(SYNTHDOG_VENV)
	$(SYNTHDOG_VENV)/bin/python -m pip install -q synthtiger==1.2.1 'numpy<2' 'pillow<10' 'scikit-image<0.25'
	@touch $(SYNTHDOG_STAMP)

.PHONY: bench-synthdog
bench-synthdog: $(STAMP) $(if $(SYNTHDOG),$(SYNTHDOG_STAMP))
	@test -n "$(SYNTHDOG)" || { echo "usage: make bench-synthdog SYNTHDOG=path/to/donut/synthdog"; exit 2; }
	$(BIN)/python bench/synthdog_peer.py $(SYNTHDOG) --python $(SYNTHDOG_VENV)/bin/python \
		--scene scenes/receipt.yaml scenes/receipt_photo.yaml

# Cityscapes' official scripts (csEvalPixelLevelSemanticLabeling, csEvalInstanceLevelSemanticLabeling) for the
# writer tests: cityscapesscripts 2.3.0 needs numpy<2, which conflicts with ours, so it gets its own venv.
CS_VENV := .venv-tools/cityscapes
CS_STAMP := $(CS_VENV)/.installed

$(CS_STAMP):
	@test -x $(CS_VENV)/bin/python || $(PY) -m venv $(CS_VENV)
	$(CS_VENV)/bin/python -m pip install -q --upgrade pip
	$(CS_VENV)/bin/python -m pip install -q cityscapesscripts==2.3.0 numpy==1.26.4
	@touch $(CS_STAMP)

.PHONY: tools-cityscapes
tools-cityscapes: $(CS_STAMP)

# BDD100K's official toolkit (bdd100k.eval.run) for the writer tests: bdd100k 1.0.1 / scalabel 0.3.1 need
# pydantic<2 (they do not pin it), so they get their own venv with it pinned. Their MOT evaluation runs py-motmetrics
# 1.4.0, which still calls np.asfarray: numpy 1.x (and a pandas built for it). The stamp holds the pins, so a venv
# built with older pins is brought up to these ones.
BDD_VENV := .venv-tools/bdd100k
BDD_STAMP := $(BDD_VENV)/.installed
BDD_PINS := bdd100k==1.0.1 scalabel==0.3.1 pydantic==1.10.27 numpy==1.26.4 pandas==2.2.3

.PHONY: tools-bdd100k
tools-bdd100k:
	@test "$$(cat $(BDD_STAMP) 2>/dev/null)" = "$(BDD_PINS)" || { \
		{ test -x $(BDD_VENV)/bin/python || $(PY) -m venv $(BDD_VENV); } && \
		$(BDD_VENV)/bin/python -m pip install -q --upgrade pip && \
		$(BDD_VENV)/bin/python -m pip install -q $(BDD_PINS) && \
		echo "$(BDD_PINS)" > $(BDD_STAMP); }

# donut's own CORD code (json2token / token2json / JSONParseEvaluator) for tests/writers/test_cord_rules.py. Only
# those pure-Python pieces are used, so donut-python goes in without its torch/timm/transformers dependencies.
DONUT_VENV := .venv-tools/donut
DONUT_STAMP := $(DONUT_VENV)/.installed

$(DONUT_STAMP):
	@test -x $(DONUT_VENV)/bin/python || $(PY) -m venv $(DONUT_VENV)
	$(DONUT_VENV)/bin/python -m pip install -q --no-deps donut-python==1.0.9 zss==1.2.0 six==1.17.0 \
		nltk==3.9.1 regex==2026.12.2 click==8.5.1 joblib==1.6.0 tqdm==4.70.1
	@touch $(DONUT_STAMP)

.PHONY: tools-donut
tools-donut: $(DONUT_STAMP)

# REAL: a folder of real photographs (not shipped); SYNTH: simvision dataset or image folders (see bench/README.md)
.PHONY: bench-realism
bench-realism: $(if $(and $(REAL),$(SYNTH)),$(STAMP))
	@test -n "$(REAL)" -a -n "$(SYNTH)" || { echo "usage: make bench-realism REAL=dir SYNTH='dir [dir ...]'"; exit 2; }
	$(BIN)/python bench/realism.py $(REAL) $(SYNTH)

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

# py-motmetrics (MOTChallenge's CLEAR-MOT and IDF1) for tests/clips: its 1.4.0 release still calls np.asfarray, so it
# gets numpy 1.x in its own venv.
MOT_VENV := .venv-tools/motmetrics
MOT_STAMP := $(MOT_VENV)/.installed

$(MOT_STAMP):
	@test -x $(MOT_VENV)/bin/python || $(PY) -m venv $(MOT_VENV)
	$(MOT_VENV)/bin/python -m pip install -q motmetrics==1.4.0 numpy==1.26.4 pandas==2.2.3 scipy==1.13.1 \
		xmltodict==0.14.2
	@touch $(MOT_STAMP)

.PHONY: tools-motmetrics
tools-motmetrics: $(MOT_STAMP)

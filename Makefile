# event-classifier: the one interface for people and CI. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CONFIG ?= configs/default.yaml
MODEL  ?= artifacts/models/latest
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARGS   ?=

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: help install data-check train evaluate export serve test test-model bench fuzz soak clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and pinned: anything unpinned would pull a multi-GB CUDA build
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## create .venv and install everything (pinned by constraints.txt); quick when done

data-check: install ## validate the corpus: schema, labels, duplicates and leakage between splits
	$(PY) -m event_classifier.datacheck --config $(CONFIG)

train: install ## fine-tune, tune thresholds, evaluate, export ONNX and publish [CONFIG=… ARGS="--set k=v"]
	$(PY) -m training.train --config $(CONFIG) $(ARGS)

evaluate: install ## evaluate a model on a corpus-format file: make evaluate DATA=path.jsonl [MODEL=… BACKEND=…]
	@test -n "$(DATA)" || { echo "usage: make evaluate DATA=path.jsonl [MODEL=$(MODEL)]"; exit 2; }
	$(PY) -m training.evaluate --model $(MODEL) --data $(DATA) $(if $(BACKEND),--backend $(BACKEND))

export: install ## export a run to ONNX fp32 + int8 [MODEL=…]
	$(PY) -m training.export --model $(MODEL)

$(MODEL)/event_classifier.json:
	$(MAKE) train

serve: install $(MODEL)/event_classifier.json ## serve the model on HOST:PORT (trains the default model first if none exists)
	EC_MODEL_DIR=$(MODEL) $(PY) -m serving --host $(HOST) --port $(PORT)

test: install data-check ## the test suite: data checks, unit, integration and end-to-end tests (tiny model)
	$(PY) -m pytest -m "not model" $(ARGS)

test-model: install ## behaviour and quality checks on the trained default model [MODEL=…]
	EC_TEST_MODEL=$(MODEL) $(PY) -m pytest -m model $(ARGS)

clean: ## remove the virtualenv and caches (keeps artifacts/)
	rm -rf $(VENV) .pytest_cache build *.egg-info

bench: install $(MODEL)/event_classifier.json ## throughput/latency of the real server vs the naive pipeline and raw engine
	$(PY) -m bench.run --model $(MODEL)

fuzz: install ## schemathesis against the served OpenAPI document, many examples [EXAMPLES=200]
	EC_FUZZ_EXAMPLES=$(or $(EXAMPLES),200) $(PY) -m pytest tests/test_fuzz.py $(ARGS)

soak: install $(MODEL)/event_classifier.json ## mixed valid/invalid load at concurrency 64, memory and overload report
	$(PY) -m bench.soak --model $(MODEL)

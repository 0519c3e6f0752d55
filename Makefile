# newsscope — `make analysis` and `make test` are all a reader needs (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.sha256
NBVAL  := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg -p no:cacheprovider
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
# Own corpus: make analysis CORPUS=path/to/pages [MANIFEST=manifest.csv] [OUT=out/mine]
CORPUS   ?=
MANIFEST ?=
OUT      ?=
export PYTHONHASHSEED := 0

.PHONY: help venv fetch notebooks analysis test unit nbval report bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  own corpus: make analysis CORPUS=path/to/pages MANIFEST=manifest.csv OUT=out/mine"

# The environment is (re)installed only when requirements.txt changes.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@sha256sum requirements.txt pyproject.toml > $(STAMP)

venv: $(STAMP) ## create .venv and install the pinned requirements

fetch: $(STAMP) ## download, verify and extract the built-in corpus into data/raw/newsarticles
	$(PY) -m newsscope fetch-corpus

notebooks: fetch ## execute every numbered notebook in order (written back only when it ran cleanly)
ifeq ($(strip $(CORPUS)$(OUT)),)
	$(PY) -m newsscope run
else
	$(PY) -m newsscope run $(if $(CORPUS),--corpus "$(CORPUS)") $(if $(MANIFEST),--manifest "$(MANIFEST)") $(if $(OUT),--out "$(OUT)")
endif

analysis: notebooks ## set up, fetch the corpus, rerun all notebooks and export figures and results

unit: fetch ## unit tests
	$(PY) -m pytest -q -p no:cacheprovider tests

nbval: fetch ## run the notebooks as tests (nbval, key outputs compared)
	$(if $(NOTEBOOKS),$(PY) -m pytest -q $(NBVAL) $(NOTEBOOKS),@echo "no notebooks yet")

test: unit nbval ## unit tests + nbval over the notebooks

report: $(STAMP) ## render executed notebooks to HTML in report/ (inputs hidden)
	$(PY) -m newsscope report $(if $(OUT),--notebooks "$(OUT)/notebooks" --out "$(OUT)/report",--out report)

# make bench BENCH=scale BENCH_ARGS="--sizes 10000": one benchmark, with its options
BENCH ?= *
bench: fetch ## run the benchmarks and refresh benchmarks/README.md figures (BENCH=scale, BENCH_ARGS=...)
	@for b in benchmarks/bench_$(BENCH).py; do echo "== $$b"; $(PY) $$b $(BENCH_ARGS) || exit 1; done

clean: ## remove caches (data/processed) and build leftovers; keeps .venv and data/raw
	rm -rf data/processed .pytest_cache .hypothesis report
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

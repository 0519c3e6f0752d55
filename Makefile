# newsscope — `make analysis` and `make test` are all a reader needs (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.sha256
NBVAL  := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg -p tests.nbval_plugin -p no:cacheprovider
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

notebooks: fetch ## execute every numbered notebook (a failing one is saved as NN-slug.failed.ipynb; the others still run)
ifeq ($(strip $(CORPUS)$(OUT)),)
	$(PY) -m newsscope run
else
	$(PY) -m newsscope run $(if $(CORPUS),--corpus "$(CORPUS)") $(if $(MANIFEST),--manifest "$(MANIFEST)") $(if $(OUT),--out "$(OUT)")
endif

analysis: notebooks ## set up, fetch the corpus, rerun all notebooks and export figures and results

unit: fetch ## unit tests (the browser test of the report needs chromium)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 \
	  || echo "make unit: NOTE no chromium found: the browser test of the report is SKIPPED (Debian: apt-get install chromium)"
	$(PY) -m pytest -q -rs -p no:cacheprovider tests

# nbval executes the notebooks into a temporary output root (results and figures never overwrite the
# committed ones; the cache is shared), then checks that the rerun's result tables equal the committed ones.
nbval: fetch ## run the notebooks as tests (nbval, key outputs compared; results compared with data/results)
ifeq ($(NOTEBOOKS),)
	@echo "no notebooks yet"
else
	@out=$$(mktemp -d -t newsscope-nbval-XXXXXX); trap 'rm -rf "$$out"' EXIT; \
	echo "nbval: results and figures go to $$out"; \
	NEWSSCOPE_OUT="$$out" NEWSSCOPE_CACHE="$${NEWSSCOPE_CACHE:-$(CURDIR)/data/processed}" \
	  $(PY) -m pytest -q $(NBVAL) $(NOTEBOOKS) || exit 1; \
	bad=0; for f in data/results/*.csv; do \
	  if ! cmp -s "$$f" "$$out/$$f"; then echo "nbval: $$f differs from the rerun:"; \
	    diff -u "$$f" "$$out/$$f" | head -20; bad=1; fi; \
	done; exit $$bad
endif

test: unit nbval ## unit tests + nbval over the notebooks

report: $(STAMP) ## HTML pages of the executed notebooks and a front page, report/index.html (OUT=...: OUT/report)
	$(PY) -m newsscope report $(if $(OUT),--notebooks "$(OUT)/notebooks" --out "$(OUT)/report",$(if $(CORPUS),--corpus "$(CORPUS)"))

# make bench BENCH=scale BENCH_ARGS="--sizes 10000": one benchmark, with its options
BENCH ?= *
bench: fetch ## run the benchmarks and refresh benchmarks/README.md figures (BENCH=scale, BENCH_ARGS=...)
	@for b in benchmarks/bench_$(BENCH).py; do echo "== $$b"; $(PY) $$b $(BENCH_ARGS) || exit 1; done

clean: ## remove caches (data/processed) and build leftovers; keeps .venv and data/raw
	rm -rf data/processed .pytest_cache .hypothesis report
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

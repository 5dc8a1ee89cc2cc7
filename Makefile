# incident — one command from raw evidence to the published site.
# `make` alone prints this help; every public target carries a `## ` comment.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

INCIDENT ?= schulstart-2021
# Tree that holds data/ and build/ (tests point it at a temporary copy).
INCIDENT_HOME ?= $(CURDIR)
# Notebook parameters for a report (empty: the incident descriptor's defaults), e.g.
#   make report INCIDENT=warntag-2020 PLATFORMS='["nina","katwarn"]' DAYS=2020-09-10
PLATFORMS ?=
DAYS ?=
export INCIDENT INCIDENT_HOME

PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Keep Jupyter's and IPython's state inside .venv, never in the user's home.
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(VENV)/etc/jupyter
export JUPYTER_DATA_DIR := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_RUNTIME_DIR := $(CURDIR)/$(VENV)/share/jupyter/runtime
export IPYTHONDIR := $(CURDIR)/$(VENV)/ipython
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/mpl

RAW := $(INCIDENT_HOME)/data/raw/$(INCIDENT)
PROC := $(INCIDENT_HOME)/data/processed/$(INCIDENT)
BUILD := $(INCIDENT_HOME)/build/$(INCIDENT)
RAW_FILES := $(wildcard $(RAW)/*.csv) $(RAW)/datapackage.json $(RAW)/incident.yaml
# What each step reads: a change re-runs only the steps that depend on it.
PROC_SRC := $(wildcard src/incident/*.py src/incident/evidence/* src/incident/timeexpr/*.py src/incident/reconstruct/*.py src/incident/series/*.py)
NB_SRC := $(wildcard src/incident/config.py src/incident/errors.py src/incident/run_notebook.py src/incident/publish/*.py)
SITE_SRC := $(wildcard src/incident/config.py src/incident/errors.py src/incident/publish/*.py src/incident/publish/templates/* src/incident/publish/static/*)
NB_DIR ?= notebooks
NOTEBOOKS := $(sort $(wildcard $(NB_DIR)/[0-9][0-9]-*.ipynb))
EXECUTED := $(patsubst $(NB_DIR)/%.ipynb,$(BUILD)/notebooks/%.ipynb,$(NOTEBOOKS))
MANIFEST := $(PROC)/manifest.json
SITE_INDEX := $(BUILD)/site/index.html
PARAMS := $(BUILD)/.params
PARAM_ARGS := $(if $(strip $(PLATFORMS)),--param 'platforms=$(PLATFORMS)') $(if $(strip $(DAYS)),--param 'days=$(DAYS)')
NODE_STAMP := node_modules/.installed

.PHONY: help venv node report _report test lab bench mutate clean validate site-twice lock FORCE

help: ## Show this help (the default goal)
	@awk 'BEGIN {FS = ":.*## "; printf "Usage: make <target> [INCIDENT=%s]\n\n", "$(INCIDENT)"} \
	  /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@# src/ goes on the path through a .pth file: an editable install without a build backend
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "incident-src.pth").write_text(str(pathlib.Path("src").resolve()) + "\n")'
	$(PY) -m ipykernel install --prefix $(VENV) --name incident --display-name "incident (.venv)" >/dev/null
	@# the kernel's transport warning is noise in every report run; cell errors still reach papermill
	$(PY) -c 'import json, pathlib; k = pathlib.Path("$(VENV)/share/jupyter/kernels/incident/kernel.json"); d = json.loads(k.read_text()); d["argv"] = [a for a in d["argv"] if not a.startswith("--IPKernelApp.log_level")] + ["--IPKernelApp.log_level=ERROR"]; k.write_text(json.dumps(d, indent=1))'
	@touch $@

venv: $(STAMP) ## Create .venv from the exact pins in requirements.lock

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

node: $(NODE_STAMP) ## Install the pinned node packages (Datawrapper's parser, TimelineJS) for the tests

validate: $(STAMP) ## Validate the raw tables and the descriptor of INCIDENT (lists every problem)
	@$(PY) -m incident validate --incident $(INCIDENT)

$(MANIFEST): $(RAW_FILES) $(PROC_SRC) $(STAMP)
	@$(PY) -m incident process --incident $(INCIDENT)

# The notebook parameters of the last report: changed parameters re-run the notebooks.
$(PARAMS): FORCE
	@mkdir -p $(@D); printf '%s\n' '$(PLATFORMS)' '$(DAYS)' > $@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi

# Out-of-date notebooks are queued per notebook (make's own dependency check) and then run one
# after the other in ONE kernel, whose start and imports a report pays once, not per notebook.
QUEUE := $(BUILD)/.queue
NB_STAMP := $(BUILD)/notebooks/.executed
$(BUILD)/notebooks/%.ipynb: $(NB_DIR)/%.ipynb $(MANIFEST) $(NB_SRC) $(PARAMS)
	@mkdir -p $(@D); rm -f $@; echo "$<" >> "$(QUEUE)"

$(NB_STAMP): $(EXECUTED)
	@if [ -s "$(QUEUE)" ]; then $(PY) -m incident notebooks --incident $(INCIDENT) $(PARAM_ARGS) --all \
	  $$(sort -u "$(QUEUE)"); else true; fi; rc=$$?; rm -f "$(QUEUE)"; exit $$rc
	@touch $@

$(SITE_INDEX): $(NB_STAMP) $(SITE_SRC) $(MANIFEST)
	@$(PY) -m incident site --incident $(INCIDENT)

report: $(STAMP) ## Run every notebook from data/raw and build build/INCIDENT/site/index.html
	@mkdir -p $(BUILD)
	@# one report at a time per incident: a second run waits, then finds nothing to do
	@flock $(BUILD)/.report.lock $(MAKE) --no-print-directory _report

# The locked part of `report`; counts the notebooks this run executed (run_notebook appends to .ran).
# Leftovers of a killed run (hidden names with ".partial-", see incident.atomic) are removed first, and said so.
_report:
	@for d in "$(BUILD)" "$(INCIDENT_HOME)/data/processed"; do [ -d "$$d" ] || continue; \
	  find "$$d" -name '.*.partial-*' -prune \
	    -exec sh -c 'echo "  cleaned  $$1 (left over by an interrupted run)" >&2; rm -rf "$$1"' _ {} \; ; done
	@start=$$(date +%s%N); : > "$(BUILD)/.ran"; rm -f "$(QUEUE)"; \
	$(MAKE) --no-print-directory -j2 "$(SITE_INDEX)" || exit $$?; \
	n=$$(wc -l < "$(BUILD)/.ran"); end=$$(date +%s%N); \
	printf 'report: %d notebook(s) run in %d.%01d s; site: %s\n' $$n $$(( (end-start)/1000000000 )) $$(( (end-start)/100000000 % 10 )) "$(SITE_INDEX)"

test: $(STAMP) $(NODE_STAMP) ## Lint, check notebook hygiene, run the whole test suite
	$(PY) -m ruff check src tests bench tools
	$(PY) -m ruff format --check src tests bench tools
	$(PY) tools/check_notebooks.py notebooks
	$(PY) -m pytest -q

lab: $(STAMP) ## Open JupyterLab on notebooks/ (editors' runs write to build/INCIDENT/scratch/)
	$(PY) -m jupyterlab --notebook-dir=notebooks

bench: $(STAMP) ## Print speed and memory figures, measured side by side
	$(PY) bench/run.py

mutate: $(STAMP) ## Mutation testing of reconstruct/ and timeexpr/ (mutmut; MUTANTS='incident.reconstruct.said*' limits it)
	nice $(PY) -m mutmut run $(if $(JOBS),--max-children $(JOBS)) $(MUTANTS)
	$(PY) -m mutmut results

site-twice: $(STAMP) ## Build the site twice from clean and compare checksums
	$(PY) -m incident repro --incident $(INCIDENT)

clean: ## Remove build/ and data/processed/ (keeps .venv)
	rm -rf $(INCIDENT_HOME)/build $(INCIDENT_HOME)/data/processed/*/

lock: $(STAMP) ## Re-pin requirements.lock from .venv and regenerate environment.yml
	$(PY) -m pip freeze --exclude-editable --all | grep -v -E '^(pip|wheel)==' > requirements.lock
	$(PY) tools/lock.py

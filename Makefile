# incident — one command from raw evidence to the published site.
# `make` alone prints this help; every public target carries a `## ` comment.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

INCIDENT ?= schulstart-2021
# Tree that holds data/ and build/ (tests point it at a temporary copy); default: this repository.
ifeq ($(origin INCIDENT_HOME),undefined)
INCIDENT_HOME := $(CURDIR)
endif
# Notebook parameters for a report (empty: the incident descriptor's defaults), e.g.
#   make report INCIDENT=warntag-2020 PLATFORMS='["nina","katwarn"]' DAYS=2020-09-10
PLATFORMS ?=
DAYS ?=
# Extra arguments for JupyterLab, e.g. make lab LAB_ARGS='--port=8899 --no-browser'
LAB_ARGS ?=
# The text `make check-text` checks, e.g. make check-text TEXT='am Montagmorgen gegen acht'
TEXT ?=
NB_DIR ?= notebooks

# ---------------------------------------------------------------- hostile arguments
# Every value a user passes is checked here, by make itself, before any shell step runs.
# `$(value …)` takes the text as typed: a command-line value such as INCIDENT='$(shell …)' is
# never expanded (make would otherwise run it while reading this file). Recipes get the values
# only through the environment ("$$INCIDENT"), never pasted into a command line.
override INCIDENT := $(value INCIDENT)
override INCIDENT_HOME := $(value INCIDENT_HOME)
override PLATFORMS := $(value PLATFORMS)
override DAYS := $(value DAYS)
override LAB_ARGS := $(value LAB_ARGS)
override TEXT := $(value TEXT)
override NB_DIR := $(value NB_DIR)
export INCIDENT INCIDENT_HOME PLATFORMS DAYS

_LOWER := a b c d e f g h i j k l m n o p q r s t u v w x y z
_UPPER := A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
_DIGITS := 0 1 2 3 4 5 6 7 8 9
_COMMA := ,
_HASH := \#
_OPEN := (
_CLOSE := )
# $(call _rest,TEXT,CHARS): what is left of TEXT once every character of CHARS is removed.
_rest = $(if $2,$(call _rest,$(subst $(firstword $2),,$1),$(wordlist 2,$(words $2),$2)),$1)
_fail = $(error $1; nothing was run (see `make help`))
# An incident id: [a-z0-9][a-z0-9-]*, the rule of incident.config.paths.
ifneq ($(words $(INCIDENT)),1)
$(call _fail,INCIDENT must be one incident id such as schulstart-2021)
endif
ifneq ($(call _rest,$(INCIDENT),$(_LOWER) $(_DIGITS) -)$(filter -%,$(INCIDENT)),)
$(call _fail,INCIDENT='$(INCIDENT)' is not an incident id ([a-z0-9][a-z0-9-]*))
endif
# Parameters: platform ids or ISO days, as a JSON list or comma-separated.
_PARAM_CHARS := $(_LOWER) $(_DIGITS) - _ $(_COMMA) [ ] "
ifneq ($(strip $(call _rest,$(PLATFORMS),$(_PARAM_CHARS))),)
$(call _fail,PLATFORMS may hold only platform ids [a-z0-9-] as a JSON list or comma-separated)
endif
ifneq ($(strip $(call _rest,$(DAYS),$(_PARAM_CHARS))),)
$(call _fail,DAYS may hold only ISO days (YYYY-MM-DD) as a JSON list or comma-separated)
endif
ifneq ($(strip $(call _rest,$(LAB_ARGS),$(_LOWER) $(_UPPER) $(_DIGITS) - _ = . / : $(_COMMA) @)),)
$(call _fail,LAB_ARGS may hold only options such as --port=8899 --no-browser (letters$(_COMMA) digits and - _ = . / : $(_COMMA) @))
endif
# TEXT is free German text: it goes to the command through the environment only; a bound on its length.
ifneq ($(word 201,$(TEXT)),)
$(call _fail,TEXT has more than 200 words)
endif
# Folders: absolute (INCIDENT_HOME) and free of what make or a shell would read as syntax.
_PATH_BAD := $$ ` ' " \ * ? [ ] % : ; & | < > $(_HASH) $(_OPEN) $(_CLOSE) { } ! ~
_bad_in = $(strip $(foreach c,$(_PATH_BAD),$(findstring $c,$1)))
ifneq ($(filter /%,$(INCIDENT_HOME)),$(firstword $(INCIDENT_HOME)))
$(call _fail,INCIDENT_HOME must be an absolute path)
endif
ifneq ($(call _bad_in,$(INCIDENT_HOME))$(call _bad_in,$(NB_DIR)),)
$(call _fail,INCIDENT_HOME and NB_DIR may not contain any of $(_PATH_BAD))
endif
ifneq ($(words $(NB_DIR)),1)
$(call _fail,NB_DIR may not contain spaces)
endif
# Files make tracks are named relative to the repository when INCIDENT_HOME is the repository and
# its path holds spaces (make splits names at spaces); another tree must be free of spaces.
HOME_DIR := $(INCIDENT_HOME)/
ifneq ($(words $(INCIDENT_HOME)),1)
ifeq ($(INCIDENT_HOME),$(CURDIR))
HOME_DIR :=
else
_UNTRACKED_GOALS := help clean lab venv node test bench lock site-twice validate check-text
ifneq ($(filter-out $(_UNTRACKED_GOALS),$(MAKECMDGOALS)),)
$(call _fail,INCIDENT_HOME contains spaces: make cannot track files there (use a tree without spaces))
endif
# the goals above track no file of INCIDENT_HOME; this name only keeps the rules below well-formed
HOME_DIR := /nonexistent/incident-home-with-spaces/
endif
endif

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

# What make tracks (file names; see HOME_DIR above) ...
RAW := $(HOME_DIR)data/raw/$(INCIDENT)
PROC := $(HOME_DIR)data/processed/$(INCIDENT)
BUILD := $(HOME_DIR)build/$(INCIDENT)
# ... and the same folders as recipes name them: from the environment, quoted.
SH_RAW := "$$INCIDENT_HOME/data/raw/$$INCIDENT"
SH_PROC := "$$INCIDENT_HOME/data/processed/$$INCIDENT"
SH_BUILD := "$$INCIDENT_HOME/build/$$INCIDENT"
# $(call _plain,FILES): the files whose names hold nothing but letters, digits, - _ and '.'
# (a stray "sources copy.csv" or "x$$(y).csv" is no file of make's, and never a target).
_plain = $(foreach f,$1,$(if $(call _rest,$(notdir $f),$(_LOWER) $(_UPPER) $(_DIGITS) - _ .),,$f))
RAW_FILES := $(call _plain,$(wildcard $(filter %.csv,$(wildcard $(RAW)/*.csv)))) $(RAW)/datapackage.json $(RAW)/incident.yaml
# What each step reads: a change re-runs only the steps that depend on it.
PROC_SRC := $(wildcard src/incident/*.py src/incident/evidence/* src/incident/timeexpr/*.py src/incident/reconstruct/*.py src/incident/series/*.py)
NB_SRC := $(wildcard src/incident/config.py src/incident/errors.py src/incident/run_notebook.py src/incident/publish/*.py)
SITE_SRC := $(wildcard src/incident/config.py src/incident/errors.py src/incident/publish/*.py src/incident/publish/templates/* src/incident/publish/static/*)
NOTEBOOKS := $(sort $(call _plain,$(wildcard $(filter %.ipynb,$(wildcard $(NB_DIR)/[0-9][0-9]-*.ipynb)))))
EXECUTED := $(patsubst $(NB_DIR)/%.ipynb,$(BUILD)/notebooks/%.ipynb,$(NOTEBOOKS))
MANIFEST := $(PROC)/manifest.json
SITE_INDEX := $(BUILD)/site/index.html
PARAMS := $(BUILD)/.params
# Notebook parameters as command-line arguments, built by the shell from the environment.
SH_PARAM_ARGS := $${PLATFORMS:+--param "platforms=$$PLATFORMS"} $${DAYS:+--param "days=$$DAYS"}
NODE_STAMP := node_modules/.installed

.PHONY: help venv node report _report test lab bench mutate clean validate site-twice lock check-text FORCE

help: ## Show this help (the default goal)
	@awk 'BEGIN {FS = ":.*## "; printf "Usage: make <target> [INCIDENT=%s] [VARIABLE=value ...]\n\n", ENVIRON["INCIDENT"]} \
	  /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' Makefile
	@printf '%s\n' '' 'Variables (checked before anything runs):' \
	  '  INCIDENT       incident id, a folder of data/raw/ (python -m incident incidents lists them)' \
	  '  PLATFORMS      platform ids for the notebooks, JSON list or comma-separated (default: the article'"'"'s)' \
	  '  DAYS           ISO days for the notebooks, JSON list or comma-separated (default: the whole window)' \
	  '  LAB_ARGS       extra JupyterLab options for make lab' \
	  '  TEXT           the German text make check-text checks' \
	  '  INCIDENT_HOME  tree holding data/ and build/ (default: this repository)' \
	  '' 'Examples:' \
	  '  make report INCIDENT=warntag-2020 PLATFORMS='"'"'["nina","katwarn"]'"'"' DAYS=2020-09-10' \
	  '  make lab LAB_ARGS='"'"'--port=8899 --no-browser'"'"'' \
	  '  make check-text TEXT='"'"'am Montagmorgen gegen acht'"'"''

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
	@$(PY) -m incident validate --incident "$$INCIDENT"

check-text: export TEXT := $(TEXT)
check-text: $(STAMP) ## Check a German text against INCIDENT's evidence, e.g. TEXT='am Montag gegen acht'
	@[ -n "$$TEXT" ] || { echo "check-text: give the text as TEXT='…'" >&2; exit 2; }
	@$(PY) -m incident check-text --incident "$$INCIDENT" "$$TEXT"

# What each step reads of the descriptor (incident.fingerprint): processing its analysis part;
# a notebook the headlines of the charts it names; the site all of it. A changed chart headline
# re-runs the notebook that draws the chart and the site, not the processing or other notebooks.
DESC := $(BUILD)/.descriptor
DESC_CHECKED := $(BUILD)/.descriptor.checked
$(DESC_CHECKED): $(RAW)/incident.yaml $(NOTEBOOKS) src/incident/fingerprint.py $(STAMP)
	@mkdir -p $(SH_BUILD); $(PY) -m incident.fingerprint --descriptor $(SH_RAW)/incident.yaml \
	  --out $(SH_BUILD)/.descriptor $(NOTEBOOKS) && touch "$@"
# each file is rewritten only when its hash changed; make then compares its time as any input's
$(DESC)/%: $(DESC_CHECKED) ;
# made by a pattern rule, yet never intermediate: make would delete them after each run
.SECONDARY: $(DESC)/process $(DESC)/site $(patsubst $(NB_DIR)/%.ipynb,$(DESC)/nb-%,$(NOTEBOOKS))

# The steps are queued here by make's own dependency check, and run by one process (`incident
# build`, in the site's rule): processing while the notebooks' kernel starts, the notebooks in
# that one kernel (its start and imports paid once), then the site with everything imported.
PROC_QUEUE := $(BUILD)/.queue-process
$(MANIFEST): $(filter-out $(RAW)/incident.yaml,$(RAW_FILES)) $(DESC)/process $(PROC_SRC) $(STAMP)
	@mkdir -p $(SH_BUILD); rm -f "$@"; : > "$(PROC_QUEUE)"

# The notebook parameters of the last report: changed parameters re-run the notebooks.
$(PARAMS): FORCE
	@mkdir -p "$(@D)"; printf '%s\n' "$$PLATFORMS" "$$DAYS" > "$@.new"; \
	if cmp -s "$@.new" "$@"; then rm -f "$@.new"; else mv "$@.new" "$@"; fi

QUEUE := $(BUILD)/.queue
# A notebook whose only newer input is its descriptor hash (a chart headline changed) is queued
# for `--retitle`: the new headline is written into its executed copy without a run when that
# is safe (incident.retitle), else it runs. make itself compares the list of newer inputs.
RETITLE := $(BUILD)/.queue-retitle
_only_headline = $(and $(wildcard $@),$(filter $(DESC)/nb-$*,$?),$(if $(filter-out $(DESC)/nb-$*,$?),,yes))
$(BUILD)/notebooks/%.ipynb: $(NB_DIR)/%.ipynb $(MANIFEST) $(NB_SRC) $(PARAMS) $(DESC)/nb-%
	@mkdir -p "$(@D)"; $(if $(_only_headline),echo "$<" >> "$(RETITLE)",rm -f "$@"; echo "$<" >> "$(QUEUE)")

$(SITE_INDEX): $(EXECUTED) $(SITE_SRC) $(MANIFEST) $(DESC)/site
	@$(PY) -m incident build --incident "$$INCIDENT" $$([ -e "$(PROC_QUEUE)" ] && echo --process) $(SH_PARAM_ARGS) \
	  $$([ -s "$(RETITLE)" ] && sort -u "$(RETITLE)" | sed 's/^/--retitle=/') \
	  $$([ -s "$(QUEUE)" ] && sort -u "$(QUEUE)"); rc=$$?; rm -f "$(QUEUE)" "$(PROC_QUEUE)" "$(RETITLE)"; exit $$rc

report: $(STAMP) ## Run every notebook from data/raw and build build/INCIDENT/site/index.html
	@mkdir -p $(SH_BUILD)
	@# one report at a time per incident: a second run waits, then finds nothing to do
	@flock $(SH_BUILD)/.report.lock $(MAKE) --no-print-directory _report

# The locked part of `report`; counts the notebooks this run executed (`incident build` appends to .ran).
# Leftovers of a killed run (hidden names with ".partial-", see incident.atomic) are removed first, and
# said so: only this incident's own (its build and processed folders, and their staged siblings
# ".<incident>.partial-*"); another incident's run in progress keeps its own.
_report:
	@for d in $(SH_BUILD) $(SH_PROC); do [ -d "$$d" ] || continue; \
	  find "$$d" -name '.*.partial-*' -prune \
	    -exec sh -c 'echo "  cleaned  $$1 (left over by an interrupted run)" >&2; rm -rf "$$1"' _ {} \; ; done
	@for d in "$$INCIDENT_HOME/build" "$$INCIDENT_HOME/data/processed"; do [ -d "$$d" ] || continue; \
	  find "$$d" -mindepth 1 -maxdepth 1 -name ".$$INCIDENT.partial-*" \
	    -exec sh -c 'echo "  cleaned  $$1 (left over by an interrupted run)" >&2; rm -rf "$$1"' _ {} \; ; done
	@start=$$(date +%s%N); mkdir -p $(SH_BUILD); : > $(SH_BUILD)/.ran; rm -f "$(QUEUE)" "$(PROC_QUEUE)" "$(RETITLE)"; \
	$(MAKE) --no-print-directory -j2 "$(SITE_INDEX)" || exit $$?; \
	n=$$(wc -l < $(SH_BUILD)/.ran); end=$$(date +%s%N); \
	printf 'report: %d notebook(s) run in %d.%01d s; site: %s\n' "$$n" $$(( (end-start)/1000000000 )) $$(( (end-start)/100000000 % 10 )) $(SH_BUILD)/site/index.html

test: $(STAMP) $(NODE_STAMP) ## Lint, check notebook hygiene, run the whole test suite
	$(PY) -m ruff check src tests bench tools
	$(PY) -m ruff format --check src tests bench tools
	$(PY) tools/check_notebooks.py notebooks
	$(PY) -m pytest -q

# JupyterLab serves the repository, so notebooks/ and build/INCIDENT/scratch/ (where editors' runs
# write) are both in its file browser; as root (most containers) it needs --allow-root.
lab: export LAB_ARGS := $(LAB_ARGS)
lab: $(STAMP) ## Open JupyterLab on the repository (notebooks/; editors' runs write to build/INCIDENT/scratch/)
	@read -r -a args <<< "$$LAB_ARGS"; \
	if [ "$$(id -u)" = 0 ]; then args=(--allow-root "$${args[@]}"); fi; \
	echo "JupyterLab: notebooks in notebooks/, editors' runs in build/$$INCIDENT/scratch/"; \
	exec $(PY) -m jupyterlab --ServerApp.root_dir="$$PWD" "$${args[@]}"

bench: $(STAMP) ## Print speed and memory figures, measured side by side
	$(PY) bench/run.py

mutate: $(STAMP) ## Mutation testing of reconstruct/ and timeexpr/ (mutmut; MUTANTS='incident.reconstruct.said*' limits it)
	nice $(PY) -m mutmut run $(if $(JOBS),--max-children $(JOBS)) $(MUTANTS)
	$(PY) -m mutmut results

site-twice: $(STAMP) ## Build the site twice from clean and compare checksums
	$(PY) -m incident repro --incident "$$INCIDENT"

clean: ## Remove build/ and data/processed/ (keeps .venv)
	@# every argument quoted, symbolic links removed as links: nothing outside INCIDENT_HOME is touched
	rm -rf -- "$$INCIDENT_HOME/build"
	[ ! -d "$$INCIDENT_HOME/data/processed" ] || find "$$INCIDENT_HOME/data/processed" -mindepth 1 -maxdepth 1 \
	  \( -type d -o -name '.*.partial-*' \) -exec rm -rf -- {} +

lock: $(STAMP) ## Re-pin requirements.lock from .venv and regenerate environment.yml
	$(PY) -m pip freeze --exclude-editable --all | grep -v -E '^(pip|wheel)==' > requirements.lock
	$(PY) tools/lock.py

# Two commands on a fresh machine:
#   make report   set up .venv, write the sample bank, run the suite for every branch into reports/
#   make test     set up .venv and pass every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SAMPLE := data/sample
JOBS   ?= 2
LANG_REPORT ?= zh

.PHONY: report test lab sample bench browser clean help
help:
	@echo "make report | make test | make lab | make sample | make bench | make clean"

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(SAMPLE)/.complete: $(VENV)/.installed
	$(PY) -m analysis sample --out $(SAMPLE)
	touch $@

sample: $(SAMPLE)/.complete

report: $(VENV)/.installed $(SAMPLE)/.complete
	$(PY) -m analysis run --data $(SAMPLE) --all-branches --out reports --jobs $(JOBS) --lang $(LANG_REPORT)
	@echo "Open reports/index.html"

# The briefing tests drive Debian's chromium headless; install it where missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium' for the browser tests"; fi; }

test: $(VENV)/.installed browser
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(PY) -m pytest -n 2 -q

lab: $(VENV)/.installed $(SAMPLE)/.complete
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,lab]'
	$(VENV)/bin/jupyter lab --notebook-dir=. $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) $(SAMPLE) reports

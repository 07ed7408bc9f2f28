# Two commands on a fresh machine (Python 3.11–3.13 and make; pip installs from PyPI):
#   make report   set up .venv, write the sample bank, run the suite for every branch into reports/
#   make test     set up .venv and pass every test (installs nothing outside .venv)
# and for whoever changes the code:
#   make check      ruff (lint + format), mypy on the strictly typed packages, the import contract
#   make test-fast  the unit tests without notebooks, browser or slow ones (about two minutes)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SAMPLE := data/sample
JOBS   ?= 2
LANG_REPORT ?= zh
# the package is this checkout, whatever else the virtualenv may have installed
export PYTHONPATH := $(CURDIR)
TEST_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

.PHONY: report test test-fast check lab sample bench pins lock clean help
help:
	@echo "make report | make test | make test-fast | make check | make lab | make sample | make bench"
	@echo "make pins (environment.yml from pyproject.toml) | make lock (constraints.txt afresh) | make clean"

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13), "Python 3.11 to 3.13 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	touch $@

$(SAMPLE)/.complete: $(VENV)/.installed
	$(PY) -m analysis sample --out $(SAMPLE)
	touch $@

sample: $(SAMPLE)/.complete

report: $(VENV)/.installed $(SAMPLE)/.complete
	$(PY) -m analysis run --data $(SAMPLE) --all-branches --out reports --jobs $(JOBS) --lang $(LANG_REPORT)
	@echo "Open reports/index.html"

# Every step runs; the target fails if any failed.
check: $(VENV)/.installed
	@status=0; \
	for step in "ruff check ." "ruff format --check ." "mypy" "lint-imports --no-cache"; do \
	  echo "== $$step"; $(VENV)/bin/$$step || status=1; \
	done; exit $$status

# The browser tests need /usr/bin/chromium (README: "Browser tests"); without it they skip.
test: $(VENV)/.installed
	$(TEST_ENV) $(PY) -m pytest -n 2 -q

test-fast: $(VENV)/.installed
	$(TEST_ENV) $(PY) -m pytest -n 2 -q -m "not notebook and not browser and not slow"

lab: $(VENV)/.installed $(SAMPLE)/.complete
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,dev,lab]'
	$(PY) -c "from analysis.run.runner import ensure_kernel; print('kernel', ensure_kernel())"
	$(VENV)/bin/jupyter lab --notebook-dir=. $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

pins:
	$(PYTHON) scripts/pins.py write

lock:
	$(PYTHON) scripts/pins.py lock

clean:
	rm -rf $(VENV) $(SAMPLE)
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

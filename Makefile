# The two commands a newcomer needs (see README):
#   make run   - create .venv, install, start the app on the sample data at http://localhost:8501
#                in demo mode (demo users, see docs/security.md); COCKPIT_DEMO=0 make run for real use
#   make test  - create .venv, install, run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Demo mode: the sample data's users with published passwords, and a random cookie key when
# none is set. Serving real data: COCKPIT_DEMO=0 and COCKPIT_COOKIE_KEY (docs/security.md).
COCKPIT_DEMO ?= 1

.PHONY: run test install install-dev sample-data screenshots bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 is needed, found {sys.version.split()[0]} at {sys.executable}"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	COCKPIT_DEMO=$(COCKPIT_DEMO) $(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

sample-data: $(VENV)/.installed
	$(BIN)/python -m lib.sample_data --out sample_data/csv --xlsx sample_data/workbook.xlsx
	$(BIN)/python -m lib.sample_data --out $$(mktemp -d) --xlsx sample_data/broken.xlsx --with-mistakes

clean:
	rm -rf $(VENV) .pytest_cache

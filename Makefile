# Two commands set everything up on a fresh machine: `make docs` and `make test`.
# Both create .venv themselves (re-created when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test test-newest-lark docs lint clean venv gallery bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check flowzap_docs sphinx_ext mkdocs_plugin tests bench tools
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider tests

# The same suite against the newest lark on PyPI, in a second venv (build/venv-newest-lark): lark
# is our one parsing dependency and pyproject.toml sets no upper bound, so CI must see a new
# release break us before users do.  `pip install --upgrade lark` runs every time (a new release
# is picked up by a kept venv); the rest is installed once per pyproject.toml change.
NEWEST := build/venv-newest-lark
NEWEST_STAMP := $(NEWEST)/.installed

$(NEWEST_STAMP): pyproject.toml
	test -x $(NEWEST)/bin/python || $(PYTHON) -m venv $(NEWEST)
	$(NEWEST)/bin/python -m pip install -q --upgrade pip setuptools wheel
	$(NEWEST)/bin/python -m pip install -q -e '.[test]'
	touch $(NEWEST_STAMP)

test-newest-lark: $(NEWEST_STAMP)
	$(NEWEST)/bin/python -m pip install -q --upgrade lark
	$(NEWEST)/bin/python -c "import lark; print('testing against lark', lark.__version__)"
	$(NEWEST)/bin/python -m pytest -n 2 -p no:cacheprovider tests

docs: $(STAMP)
	$(BIN)/python tools/build_docs.py

lint: $(STAMP)
	$(BIN)/ruff check .

gallery: $(STAMP)
	$(BIN)/python tools/gallery.py

clean:
	rm -rf build .pytest_cache

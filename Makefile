# Two commands set everything up on a fresh machine: `make docs` and `make test`.
# Both create .venv themselves (re-created when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test docs lint clean venv gallery bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check flowzap_docs sphinx_ext mkdocs_plugin tests bench tools
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider tests

docs: $(STAMP)
	$(BIN)/python tools/build_docs.py

lint: $(STAMP)
	$(BIN)/ruff check .

gallery: $(STAMP)
	$(BIN)/python tools/gallery.py

clean:
	rm -rf build .pytest_cache

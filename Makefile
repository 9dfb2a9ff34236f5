# Partnership Hub: `make demo` serves the demo site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: demo test lint install serve clean messages

$(BIN)/partnerhub: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (python3.11 not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/partnerhub

demo: install
	DEBUG=$${DEBUG:-1} $(BIN)/partnerhub demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy partnerhub

messages: install
	cd partnerhub && DEBUG=1 ../$(BIN)/partnerhub makemessages -l fr -l es -l ar -l ru -l zh_Hans --no-obsolete --ignore "reference/data/*" && DEBUG=1 ../$(BIN)/partnerhub compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache

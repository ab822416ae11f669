# The two commands a newcomer needs: `make site` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve validate bench schemas messages mutation clean editor editor-screenshots

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

# The browser editor's program (Decap CMS, at /admin/ of a portal with `editor:`) is kept in git
# under generator/prioportal/vendor/, so a checkout builds without npm; every build checks it
# against the digests in vendor/decap-cms.json. To move to another version: change the pin in
# package.json ("editorBundle") and run `make editor`, which fetches that npm tarball, checks its
# digest and copies the prebuilt bundle (scripts/vendor_editor.py says why it is not an npm
# dependency).
EDITOR_BUNDLE := generator/prioportal/vendor/decap-cms/decap-cms.js

editor:  ## fetch the pinned browser editor's program into the package again (needs npm)
	$(PYTHON) scripts/vendor_editor.py

editor-screenshots: $(STAMP)  ## the pictures of the README's guide to the editor, taken by its end-to-end test
	PRIOPORTAL_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_editor_browser.py

site: $(STAMP)  ## validate and build the bundled examples: site/ (bokmål), examples/exempelby/site/ (Swedish) and examples/region-mellanvik/site/ (a region's priority lists)
	$(BIN)/prioportal build
	$(BIN)/prioportal -f examples/exempelby/mkdocs.yml build
	$(BIN)/prioportal -f examples/region-mellanvik/mkdocs.yml build

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
# generator/ (pyproject.toml, [tool.mutmut]). Slow (README, "Mutation testing": an hour and a half or
# more on two shared cores), so not part of `make test`; niced, with MUTATION_CHILDREN mutants at a time, each
# build in one process (PRIOPORTAL_JOBS=1), Hypothesis derandomised (CI=1) so a score is repeatable.
# Prints the score per module and every survivor the README does not explain; fails while one is.
MUTATION_CHILDREN ?= 2
mutation: $(STAMP)  ## mutation testing of the pure core, with its score; e.g. MUTMUT_ARGS="'prioportal.analyses.ranking*'"
	$(BIN)/pip install --quiet -e '.[test,mutation]'
	rm -rf .mutation && mkdir .mutation
	tar --exclude=./.venv --exclude=./node_modules --exclude=./site --exclude=./.git --exclude=./.mutation \
	    --exclude='*/__pycache__' -cf - . | tar -xf - -C .mutation
	ln -s generator .mutation/src
	cd .mutation && CI=1 PRIOPORTAL_JOBS=1 nice -n 10 ../$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) \
	    $(MUTMUT_ARGS) > mutmut-run.log 2>&1 || (tail -c 3000 mutmut-run.log; exit 1)
	cd .mutation && ../$(BIN)/mutmut results --all true | ../$(BIN)/python ../tests/mutation_score.py ../README.md

clean:
	rm -rf site .pytest_cache

-include Makefile.messages

# Signet. `make run` opens the app on the embedded demo backend; `make test`
# runs everything (unit, real keychain, real window). Both install missing
# Debian/Ubuntu packages first (scripts/deps.sh).
GO      ?= go
BIN     ?= bin/signet
GOFLAGS ?=
export CGO_ENABLED := 1

.PHONY: run build test bench package deps-build deps-test clean

run: deps-build
	$(GO) build -o $(BIN) .
	LANG=$${LANG:-en_US.UTF-8} ./$(BIN)

build: deps-build
	$(GO) build -trimpath -o $(BIN) .

test: deps-test
	scripts/test.sh

bench: deps-test
	scripts/bench.sh

package: deps-build
	scripts/package.sh

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

clean:
	rm -rf bin dist artifacts

# Signet. `make run` opens the app on the embedded demo backend; `make test`
# runs everything (unit, real keychain, real window, the Windows build under
# Wine). `make package-windows` builds the Windows zip. All install missing
# Debian/Ubuntu packages first (scripts/deps.sh).
GO      ?= go
BIN     ?= bin/signet
GOFLAGS ?=
export CGO_ENABLED := 1

.PHONY: run build test bench package package-windows deps-build deps-test deps-windows clean

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

# dist/Signet-windows-amd64.zip: Signet.exe (GUI, icon, version) + README.txt,
# cross-compiled with mingw-w64 (installed if missing).
package-windows: deps-windows
	scripts/windows-package.sh

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

deps-windows:
	@scripts/deps.sh windows

clean:
	rm -rf bin dist artifacts

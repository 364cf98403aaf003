# Gawahi: the two commands a fresh Debian 12 machine needs are `make run` and `make test`.
# Every target installs what it is missing first (scripts/bootstrap is idempotent).
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
# The Tauri CLI is not needed: cargo builds the app, which embeds ui/dist.
export TAURI_APP_PATH := $(CURDIR)/src-tauri
export TAURI_FRONTEND_PATH := $(CURDIR)/ui

.PHONY: help bootstrap ui-deps ui ui-test bindings bindings-check build lint unit test bench run

help:
	@echo "make run    build and open the Gawahi app"
	@echo "make test   formatting, lints, UI tests, every Rust test and the app's end-to-end tests (what CI runs)"
	@echo "make bench  benchmarks (release build)"

bootstrap:
	@./scripts/bootstrap

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui-deps: bootstrap ui/node_modules/.package-lock.json

# The UI must be built before cargo builds the app, which embeds ui/dist.
ui: ui-deps
	cd ui && npm run build

ui-test: ui-deps
	cd ui && npm run check && npm test

# Regenerates ui/src/bindings from the Rust types that cross IPC.
bindings: ui
	rm -f ui/src/bindings/*.ts
	$(CARGO) test -p gawahi-app --bin gawahi-app export_bindings

# Fails if the committed bindings differ from what the Rust types generate.
bindings-check: bindings
	@if [ -n "$$(git status --porcelain -- ui/src/bindings)" ]; then \
	  git status --short -- ui/src/bindings; \
	  echo "ui/src/bindings is out of date: run 'make bindings' and commit the result" >&2; exit 1; fi

build: ui
	$(CARGO) build --workspace

lint: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

# The end-to-end tests run the binaries `cargo build` made, and the app's need a display.
unit: build
	$(XVFB) $(CARGO) test --workspace

test: lint ui-test bindings-check unit

bench: ui
	$(CARGO) bench -p gawahi-core --features synth,bench-baseline --bench vault
	$(CARGO) build -p gawahi-app --release --bin gawahi-app --example empty_window --features empty-window
	GAWAHI_TEST_GAWAHI_APP=$(CURDIR)/target/release/gawahi-app $(XVFB) $(CARGO) bench -p gawahi-e2e --bench app

run: ui
	$(CARGO) build -p gawahi-app --release
	./target/release/gawahi-app

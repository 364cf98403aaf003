# Gawahi: the two commands a fresh Debian 12 machine needs are `make run` and `make test`.
# Every target installs what it is missing first (scripts/bootstrap is idempotent).
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
# cargo builds the app, which embeds ui/dist; the Tauri CLI (ui/node_modules, from npm ci) only
# packages what cargo built.
TAURI := $(CURDIR)/ui/node_modules/.bin/tauri
export TAURI_APP_PATH := $(CURDIR)/src-tauri
export TAURI_FRONTEND_PATH := $(CURDIR)/ui

.PHONY: help bootstrap ui-deps ui ui-test bindings bindings-check build lint unit test package package-test bench run \
	torture torture-kill torture-fuzz audit

help:
	@echo "make run      build and open the Gawahi app"
	@echo "make test     formatting, lints, UI tests, every Rust test, the app's end-to-end tests and"
	@echo "              the .deb installed and removed again (what CI runs)"
	@echo "make package  the .deb to install (release build), in target/release/bundle/deb/"
	@echo "make bench    benchmarks (release build)"
	@echo "make torture  the long crash tests: 1000 kill -9 at random moments (make test runs 100)"

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

# Regenerates ui/src/bindings from the Rust types that cross IPC. `--workspace` resolves the
# features `make unit` builds with, so the test binary built here is the one it runs (with `-p`
# the core would be compiled a second time, with fewer features).
bindings: ui
	rm -f ui/src/bindings/*.ts
	$(CARGO) test --workspace --bin gawahi-app export_bindings

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
	@# The core's test hooks (raw SQL, stopping a change part way) must never reach what ships.
	@if $(CARGO) tree -e features -p gawahi-cli -p gawahi-app -i gawahi-core | grep -q 'feature "test-hooks"'; then \
	  echo "the CLI or the app enables gawahi-core's test-hooks feature" >&2; exit 1; fi

# The end-to-end tests run the binaries `cargo build` made, and the app's need a display. The
# app's end-to-end tests run beside the rest (scripts/run-tests says why and how).
unit: build
	CARGO=$(CARGO) ./scripts/run-tests

# The crash tests of `make test` at ten times their length: 1000 kills in all, spread over
# imports, evidence intake, bundle import, passphrase changes and wipes (tests/cli/torture.rs).
# GAWAHI_TORTURE_SEED=N replays the seed a failure printed.
torture-kill: build
	GAWAHI_TORTURE_ROUNDS=1000 $(CARGO) test -p gawahi-e2e --test cli torture:: -- --nocapture

# The package test comes last: it installs the .deb system-wide and removes it again.
test: lint ui-test bindings-check unit package-test

# The long adversarial runs, beyond what `make test` has time for.
torture: torture-kill torture-fuzz audit

# cargo-fuzz's coverage-guided runs of each target in fuzz/ (`make test` runs the same functions
# over the corpus and seeded mutations). cargo-fuzz installs from crates.io (4.5 minutes here)
# and libFuzzer needs a nightly compiler: RUSTC_BOOTSTRAP=1 lets the stable one build it. The
# first build of the instrumented targets (AddressSanitizer, SQLCipher's C included) took 35
# minutes on a shared 2-core machine; later runs reuse it.
# New inputs go to a scratch corpus, never into the committed one; a crash is left in
# fuzz/artifacts/<target>/ and fails the run.
FUZZ_TARGETS := key_header jsonl_import bundle_reader blob_reader
FUZZ_SECONDS ?= 300
torture-fuzz: bootstrap
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked --quiet
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  scratch=$$(mktemp -d) && \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run -O $$t $$scratch corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 || exit 1; \
	  rm -rf $$scratch; \
	done

# cargo-deny's check that no HTTP client is in the dependency tree (deny.toml); `make test` runs
# the same check without cargo-deny (tests/cli/dependencies.rs). Installing it takes minutes.
audit:
	@command -v cargo-deny >/dev/null 2>&1 || $(CARGO) install cargo-deny --locked --quiet
	$(CARGO) deny check bans

# `tauri bundle` packages the binaries cargo has already built (the same ones `make run`, the tests
# and the benchmarks use) rather than `tauri build`, which would compile the app a second time
# with other features. The CLI goes in as /usr/bin/gawahi (bundle.linux.deb.files in
# tauri.conf.json). No binary patching: it rewrites the built app in place for Tauri's updater,
# which Gawahi does not have. No signing: Tauri signs Windows and macOS bundles and updater
# artefacts; a .deb is trusted through the apt repository or checksum it is published with.
BUNDLE := $(TAURI) bundle --bundles deb --no-sign --no-binary-patching --ci

# The .deb people install: the release build (about 9 minutes from clean on 2 cores).
package: ui
	$(CARGO) build --release -p gawahi-app -p gawahi-cli
	rm -rf target/release/bundle/deb
	$(BUNDLE)
	@dpkg-deb -I target/release/bundle/deb/*.deb | sed -n 's/^ \(Package\|Version\|Installed-Size\|Depends\):/  \1:/p'
	@ls -l target/release/bundle/deb/*.deb

# What CI installs and removes: the .deb of the debug build `make test` has just built and tested.
# A release build would add about 9 minutes to CI for the same packaging, install and start-up
# paths; the debug package is bigger (its binaries carry debug info) and takes seconds to make.
package-test: build
	rm -rf target/debug/bundle/deb
	$(BUNDLE) --debug -c '{"bundle": {"linux": {"deb": {"files": {"/usr/bin/gawahi": "../target/debug/gawahi"}}}}}'
	./scripts/package-test target/debug

# Benchmarks run at real-time priority where the machine allows it (root or CAP_SYS_NICE): on a
# shared machine, other work then cannot land in the figures, Gawahi's and its peers' alike (the
# peers are the benchmarks' children and inherit the priority). Everything is built first at normal
# priority; a build at real-time priority would starve the machine.
RT := $(shell chrt -f 10 true 2>/dev/null && echo chrt -f 10)

# The app's part also prints the release package's sizes, hence `package` first.
bench: package
	$(CARGO) bench -p gawahi-core --features synth,bench-baseline --bench vault --no-run
	$(CARGO) bench -p gawahi-e2e --bench bundle --bench app --no-run
	$(CARGO) build -p gawahi-app --release --bin gawahi-app --example empty_window --features empty-window
	@echo "benchmarks run $(if $(RT),at real-time priority ($(RT)),at normal priority (chrt not permitted))"
	$(RT) $(CARGO) bench -p gawahi-core --features synth,bench-baseline --bench vault
	GAWAHI_TEST_GAWAHI=$(CURDIR)/target/release/gawahi $(RT) $(CARGO) bench -p gawahi-e2e --bench bundle
	GAWAHI_TEST_GAWAHI_APP=$(CURDIR)/target/release/gawahi-app $(RT) $(XVFB) $(CARGO) bench -p gawahi-e2e --bench app

run: ui
	$(CARGO) build -p gawahi-app --release
	./target/release/gawahi-app

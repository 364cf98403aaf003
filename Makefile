# Gawahi: the two commands a fresh Debian 12 machine needs are `make run` and `make test`.
# Every target installs what it is missing first (scripts/bootstrap is idempotent).
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo

.PHONY: help bootstrap build test lint unit bench

help:
	@echo "make run    build and open the Gawahi app"
	@echo "make test   formatting, lints and every test (what CI runs)"
	@echo "make bench  the vault's benchmarks (release build)"

bootstrap:
	@./scripts/bootstrap

build: bootstrap
	$(CARGO) build --workspace

lint: bootstrap
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

# The end-to-end tests run the binaries that `cargo build` made, so build first.
unit: build
	$(CARGO) test --workspace

test: lint unit

bench: bootstrap
	$(CARGO) bench -p gawahi-core --features synth,bench-baseline --bench vault

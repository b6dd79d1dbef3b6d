# Deriva build entry points. `make test` and `make run` install what they need and are safe
# to re-run: each install step is skipped when its result is already up to date.

SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := librust-blake3-dev librust-rayon-dev librust-libm-dev b3sum libfuse2 fuse \
                protobuf-compiler pkg-config python3 attr rustc libstd-rust-dev-wasm32 python3-mpmath openssl
NATIVE_SRC := $(wildcard native/src/*.rs) native/Cargo.toml native/.cargo/config.toml native/package.json
NATIVE_LIB := native/deriva.linux-x64-gnu.node
TS_SRC := $(shell find src -name '*.ts' 2>/dev/null)
# The float math for wasm32, built from the same sources as the addon by Debian's rustc (not
# rustup's, which may lack the target) against the libm version native/Cargo.lock pins.
WASM_RUSTC := /usr/bin/rustc --target wasm32-unknown-unknown -C opt-level=3 -C debuginfo=0
LIBM_VERSION = $(shell awk '/^name = "libm"/ { getline; gsub(/"/, "", $$3); print $$3 }' native/Cargo.lock)
LIBM_DIR = /usr/share/cargo/registry/libm-$(LIBM_VERSION)
WASM_DIR := native/target/wasm32
FLOAT_WASM := $(WASM_DIR)/deriva_float.wasm
FLOAT_WASM_SRC := native/wasm/float_wasm.rs native/src/float.rs native/src/exact_sum.rs native/src/stats.rs \
                  native/src/double_double.rs native/src/hyperbolic.rs native/src/atan2.rs
TS_PROTO_OPTS := outputServices=grpc-js,esModuleInterop=true,forceLong=bigint,importSuffix=.js,useOptionals=messages,env=node

.PHONY: help setup apt npm native wasm build run test lint bench proto clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: apt npm native ## install apt packages, npm dependencies, build the native addon

apt: ## install the Debian packages the build and tests use (skipped when present)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if ! command -v cargo >/dev/null; then missing="$$missing cargo rustc"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq $$missing; \
	fi

npm: node_modules/.package-lock.json ## npm ci (skipped when package-lock.json is unchanged)

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

native: $(NATIVE_LIB) ## build the Rust addon

$(NATIVE_LIB): $(NATIVE_SRC) node_modules/.package-lock.json
	cd native && npx napi build --platform --release

wasm: $(FLOAT_WASM) ## build the float math for wasm32 (the tests compare it with the addon)

$(WASM_DIR)/liblibm.rlib: native/Cargo.lock | apt
	@mkdir -p $(WASM_DIR)
	$(WASM_RUSTC) --edition 2018 --crate-type rlib --crate-name libm --cap-lints allow -o $@ $(LIBM_DIR)/src/lib.rs

$(FLOAT_WASM): $(FLOAT_WASM_SRC) $(WASM_DIR)/liblibm.rlib
	$(WASM_RUSTC) --edition 2021 --crate-type cdylib --crate-name deriva_float -D warnings \
	  --extern libm=$(WASM_DIR)/liblibm.rlib -o $@ native/wasm/float_wasm.rs

build: setup dist/.stamp ## compile TypeScript to dist/

dist/.stamp: $(TS_SRC) tsconfig.json tsconfig.build.json
	npx tsc -p tsconfig.build.json
	@touch $@

DERIVA_HOME ?= $(HOME)/.deriva
MOUNT ?= $(DERIVA_HOME)/mnt

run: build ## start the daemon on the default store (~/.deriva; set DERIVA_HOME, MOUNT to change), mounted at ~/.deriva/mnt
	DERIVA_HOME=$(DERIVA_HOME) ./bin/deriva daemon --mount $(MOUNT)

test: build wasm ## run the whole test suite (installs what it needs first)
	npx tap

lint: setup ## strict type check and clippy
	npx tsc --noEmit
	cd native && cargo clippy --release -- -D warnings

bench: build ## run the benchmarks; prints ratios against side-by-side baselines
	node dist/bench/main.js $(SUITES)

proto: node_modules/.package-lock.json ## regenerate src/api/gen from proto/deriva.proto (protoc + ts-proto)
	rm -rf src/api/gen && mkdir -p src/api/gen
	protoc --plugin=protoc-gen-ts_proto=node_modules/.bin/protoc-gen-ts_proto \
	  --ts_proto_out=src/api/gen --ts_proto_opt=$(TS_PROTO_OPTS) -I proto proto/deriva.proto

clean: ## remove build outputs (keeps node_modules)
	rm -rf dist native/target $(NATIVE_LIB)

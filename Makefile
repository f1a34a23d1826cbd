# Talkoo. On a fresh Debian 12 machine, as root:
#   make run    install what is missing, build the release app, serve it on http://127.0.0.1:8080
#   make test   install what is missing, then every check (fmt, clippy, native, browser, end-to-end)
#   make bench  print the performance figures
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
ADDR ?= 127.0.0.1:8080

.PHONY: run test bench build serve-bin feed

run: 
	@scripts/setup.sh build
	@$(MAKE) --no-print-directory build serve-bin
	target/release/talkoo-serve --dir dist --addr $(ADDR)

test:
	@scripts/setup.sh test
	@scripts/test.sh

bench:
	@scripts/setup.sh test
	@$(MAKE) --no-print-directory build serve-bin
	node end2end/bench.mjs

build:
	trunk build --release

# The native tools (server, inbox, feed and issuing tools) are built without
# link-time optimisation: with it their build was the longest step of
# make test on two cores, and they serve files and test data, nothing that
# the bench measures. (scripts/test.sh runs the end-to-end tests with
# their debug builds, which the native tests made.)
serve-bin:
	CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo build --release --locked -q -p talkoo-serve -p talkoo-swgen -p talkoo-feed -p talkoo-inbox

# Rebuilds the bundled demo feed (public/feed) from its sources (feed-src);
# a test fails when the committed feed is out of date.
feed:
	cargo run --release --locked -q -p talkoo-feed -- build feed-src public/feed --key feed-src/demo-publisher/demo-publisher.key
	cargo run --release --locked -q -p talkoo-feed -- validate public/feed

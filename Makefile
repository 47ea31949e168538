# Portico: `make dev` runs the whole platform on this machine, `make test` runs every test.
# Both install what a new machine lacks first. Everything uses the pinned Node from .local/tools.
SHELL := /bin/bash
ROOT := $(CURDIR)
export PATH := $(ROOT)/.local/tools/node/bin:$(ROOT)/node_modules/.bin:$(PATH)

.PHONY: help toolchain install build generate lint infra-up infra-down infra-status delivery-tools browser images setup dev test bench clean

help:
	@echo "make dev          run the whole platform locally with a demo clinic and print where to open it"
	@echo "make test         run every test against the real servers"
	@echo "make setup        install and start everything the tests need, the parts side by side"
	@echo "make infra-up     start Kafka, Keycloak, PostgreSQL, FerretDB, SeaweedFS and Mailpit (infra-down, infra-status)"
	@echo "make images       build every deployable's container image with podman (sizes, build times)"
	@echo "make bench        benchmark the read path: raw find, gRPC, gateway, Home page"
	@echo "make generate     regenerate the protobuf code from proto/"

toolchain:
	@bash deploy/local/install-node.sh

node_modules/.install-stamp: package.json package-lock.json packages/*/package.json services/*/package.json gateway/package.json gateway/web/package.json e2e/package.json | toolchain
	npm ci --no-audit --no-fund
	@touch $@

install: toolchain node_modules/.install-stamp

build: install
	tsc -b
	npm run build --silent -w @portico/web

generate: install
	buf generate

lint: install
	buf lint proto
	eslint .
	prettier --check .

# Node first: Keycloak's start brings the realm up to date with a Node script.
infra-up: toolchain
	@bash deploy/infra/infra.sh up

infra-down:
	@bash deploy/infra/infra.sh down

infra-status:
	@bash deploy/infra/infra.sh status

delivery-tools:
	@bash deploy/delivery/install-tools.sh

browser:
	@bash deploy/local/install-browser.sh

images: toolchain
	@bash deploy/images/build.sh

dev: build infra-up
	@bash deploy/local/dev.sh

# Everything the tests need, the parts side by side: on a new machine most of the setup waits on
# the network (npm, Maven, the Go module proxy, Debian), and the Go and image builds take turns on
# the cores (one after the other on a new two-core machine: servers ~20 min, images ~11, tools ~5).
# -Oline keeps each output line whole; apt-get runs one at a time (deploy/local/apt-get.sh).
setup:
	@$(MAKE) --no-print-directory -j5 -Oline build infra-up delivery-tools browser images

test: setup
	@bash deploy/local/test.sh

bench: build infra-up
	@bash deploy/local/bench.sh

clean:
	rm -rf node_modules packages/*/dist services/*/dist gateway/dist gateway/web/dist packages/*/tsconfig.tsbuildinfo services/*/tsconfig.tsbuildinfo gateway/tsconfig.tsbuildinfo

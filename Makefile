# Jobbtorg API. `make run` starts the server on the embedded SQLite database; `make test` runs
# every test: unit tests, then the HTTP suite on SQLite, then on PostgreSQL.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export TEST_DATABASE_URL
REDOCLY := tools/openapi-lint/node_modules/.bin/redocly
SPECTRAL := tools/openapi-lint/node_modules/.bin/spectral
# For `make run` and `make token` only: development tokens are signed with this shared secret.
DEV_JWT_SECRET ?= jobbtorg-development-secret-do-not-use-in-production
ROLE ?= admin
# `make run DEMO=false` starts without the demo data set.
DEMO ?= true

.PHONY: run demo token build test docs-test test-unit test-sqlite test-postgres test-postgres-if-reachable openapi \
        lint lint-rust lint-deps lint-openapi bench fuzz sdk-test browser-test

# Loads the demo data set into an empty database first (through the operations layer) and
# prints a development token per role.
run:
	$(CARGO) build -p jobbtorg-api
	@if [ "$(DEMO)" = "true" ]; then JWT_HS256_SECRET="$(DEV_JWT_SECRET)" ./target/debug/jobbtorg-api demo; fi
	@echo "Another token in another shell:  make token ROLE=coach ARGS='--jobbtorg jarva --sub coach-jarva-1'"
	JWT_HS256_SECRET="$(DEV_JWT_SECRET)" WEBHOOK_ALLOW_LOOPBACK_HTTP=true ./target/debug/jobbtorg-api serve

demo: run

# A development token for `make run`: make token ROLE=district_officer ARGS='--district rinkeby-kista'
token:
	@$(CARGO) build -q -p jobbtorg-api
	@JWT_HS256_SECRET="$(DEV_JWT_SECRET)" ./target/debug/jobbtorg-api token --role $(ROLE) $(ARGS)

build:
	$(CARGO) build --workspace --all-targets

test: test-unit test-sqlite test-postgres-if-reachable docs-test

# Every ```bash block of docs/*.md against a fresh server.
docs-test:
	DEV_JWT_SECRET="$(DEV_JWT_SECRET)" scripts/docs-examples

test-unit:
	$(CARGO) test --workspace --exclude integration-tests

# The crash test starts the server binary itself, so it is built first.
test-sqlite:
	$(CARGO) build -p jobbtorg-api
	TEST_BACKEND=sqlite $(CARGO) test -p integration-tests

test-postgres:
	$(CARGO) build -p jobbtorg-api
	TEST_BACKEND=postgres $(CARGO) test -p integration-tests

# Outside CI an unreachable PostgreSQL is skipped, loudly; in CI (CI=true) it is a failure.
test-postgres-if-reachable:
	@if scripts/postgres-reachable "$(TEST_DATABASE_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "FAILED: PostgreSQL is not reachable at TEST_DATABASE_URL and CI=true" >&2; exit 1; \
	else \
		echo "SKIPPED: integration tests on PostgreSQL (nothing answers at TEST_DATABASE_URL)" >&2; \
	fi

openapi:
	$(CARGO) run -q -p jobbtorg-api -- openapi > openapi.yaml.tmp
	mv openapi.yaml.tmp openapi.yaml

lint: lint-rust lint-deps lint-openapi

lint-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint-deps:
	scripts/check-layering
	scripts/check-handlers

# Redocly's recommended rules, then Spectral (spectral:oas and the OWASP API Security Top 10
# ruleset, every rule at error) failing on any finding outside the commented ignore list of
# .spectral.yaml.
lint-openapi: $(REDOCLY)
	$(REDOCLY) lint openapi.yaml
	$(SPECTRAL) lint openapi.yaml --fail-severity=hint

$(REDOCLY): tools/openapi-lint/package.json tools/openapi-lint/package-lock.json
	npm ci --prefix tools/openapi-lint --no-audit --no-fund
	touch $@

# Loads the release server (PostgreSQL, then SQLite) with wrk beside a pgbench floor for the same
# SQL; writes bench/RESULTS.md. Needs wrk and pgbench (apt-get install wrk postgresql-client).
bench:
	$(CARGO) build --release -p jobbtorg-api
	python3 bench/run.py

# schemathesis against the running server with every check, for a bounded time (FUZZ_SECONDS).
fuzz:
	scripts/fuzz

# Generated TypeScript and Python clients run the referral loop against a fresh server.
sdk-test:
	scripts/sdk-test

# The system's Chromium against a fresh server: CORS preflights, another origin refused,
# Swagger UI under the /docs CSP (needs /usr/bin/chromium: apt-get install chromium).
browser-test:
	scripts/browser-test

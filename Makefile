# Two commands matter on a fresh machine with only Go: `make run` and `make test`.

GO        ?= go
FUNCTIONS := settings cases intake conversations tokenclaims mailer recurring
# Lambda binaries: provided.al2023 on arm64, static, no RPC shim, stripped.
LAMBDA_ENV   := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_FLAGS := -tags lambda.norpc -trimpath -ldflags='-s -w'

.PHONY: run test e2e bench bench-go bench-volume fuzz lint build clean build-SettingsFunction build-CasesFunction build-IntakeFunction build-ConversationsFunction build-TokenClaimsFunction build-MailerFunction build-RecurringFunction

## run: the local stack on PORT (default 8080) with embedded DynamoDB and a demo tenant
run:
	$(GO) run ./infra/local

## test: every test that needs no browser (the e2e tests are behind the build tag e2e)
test:
	$(GO) test -count=1 ./...

## e2e: what needs a browser: the customer's page in Debian's Chromium (installed when missing) against
## the local stack, built and started on a free port; screenshots of each page in build/e2e/
e2e:
	@[ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || { echo "installing chromium"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
		else sudo apt-get update && sudo apt-get install -y chromium; fi; }
	$(GO) vet -tags e2e ./infra/e2e/
	$(GO) test -count=1 -tags e2e -v ./infra/e2e/

## bench: one report: DynamoDB round trips of every operation of the README's cost table, each function's
## cold first answer under the AWS Lambda Runtime Interface Emulator (installed into build/bench/rie from the
## Go module proxy on the first run, or RIE=path) next to a hello-world and an SDK-only Lambda, its peak
## memory, and the bootstrap sizes; also in build/bench/report.txt. PAIRS cold-start pairs (default 7).
PAIRS ?= 7
bench:
	$(GO) vet -tags bench ./infra/bench/
	$(GO) test -c -tags bench -o build/bench/bench.test ./infra/bench
	cd infra/bench && ../../build/bench/bench.test -test.run '^TestReport$$' -test.timeout 30m -pairs $(PAIRS)

## bench-volume: the local stack (make run, its embedded server) at 1,000 and 10,000 cases: a case GET and list
## pages; also in build/bench/volume.txt. About 90 minutes on 2 cores: the embedded server sorts every key it
## holds at each item written, so seeding 10,000 cases (270,000 items) is what takes the time.
bench-volume:
	$(GO) test -c -tags bench -o build/bench/bench.test ./infra/bench
	cd infra/bench && ../../build/bench/bench.test -test.run '^TestVolume$$' -test.timeout 150m

## bench-go: the go test benchmarks, with DynamoDB round trips per operation reported as roundtrips/op
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: every fuzz target (a func Fuzz... in a _test.go under internal/ or infra/), found anew each run,
## one after another, FUZZTIME each (default 20s); a crasher stops it, written to the package's testdata/fuzz
FUZZTIME ?= 20s
fuzz:
	@grep -rl --include='*_test.go' '^func Fuzz' internal infra | sort | while read -r file; do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$file"); do \
			echo "== $$target ./$$(dirname "$$file") ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) "./$$(dirname "$$file")" || exit 1; \
		done; \
	done

## lint: gofmt, go vet, staticcheck
lint:
	@out="$$(gofmt -l functions internal infra)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## build: one arm64 bootstrap per function under build/<function>/
build:
	@for f in $(FUNCTIONS); do \
		echo "build/$$f/bootstrap"; \
		$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o build/$$f/bootstrap ./functions/$$f || exit 1; \
	done

# sam build (BuildMethod: makefile) calls build-<LogicalId> with ARTIFACTS_DIR set.
build-SettingsFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/settings

build-CasesFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/cases

build-ConversationsFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/conversations

build-IntakeFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/intake

build-TokenClaimsFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/tokenclaims

build-MailerFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/mailer

build-RecurringFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/recurring

clean:
	rm -rf build .aws-sam

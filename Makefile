# Two commands matter on a fresh machine with only Go: `make run` and `make test`.

GO        ?= go
FUNCTIONS := settings cases conversations tokenclaims mailer
# Lambda binaries: provided.al2023 on arm64, static, no RPC shim, stripped.
LAMBDA_ENV   := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_FLAGS := -tags lambda.norpc -trimpath -ldflags='-s -w'

.PHONY: run test bench lint build clean build-SettingsFunction build-CasesFunction build-ConversationsFunction build-TokenClaimsFunction build-MailerFunction

## run: the local stack on PORT (default 8080) with embedded DynamoDB and a demo tenant
run:
	$(GO) run ./infra/local

## test: every test that needs no browser
test:
	$(GO) test -count=1 ./...

## bench: benchmarks, with DynamoDB round trips per operation reported
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

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

build-TokenClaimsFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/tokenclaims

build-MailerFunction:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/mailer

clean:
	rm -rf build .aws-sam

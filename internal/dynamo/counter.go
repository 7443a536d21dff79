package dynamo

import (
	"context"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
)

// Counter counts DynamoDB requests per operation name, through an SDK
// middleware, so tests and benchmarks can assert what an API operation
// costs. It counts the calls the code makes; the SDK's own retries after a
// transient failure are not counted: they are the exception, not the cost.
type Counter struct {
	mu     sync.Mutex
	counts map[string]int
}

// NewCounter returns an empty counter.
func NewCounter() *Counter { return &Counter{counts: map[string]int{}} }

// Register installs the counter on a client's options:
// dynamodb.NewFromConfig(cfg, counter.Register).
func (c *Counter) Register(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("RoundTripCounter",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				c.mu.Lock()
				c.counts[awsmiddleware.GetOperationName(ctx)]++
				c.mu.Unlock()
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	})
}

// Reset sets every count to zero.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]int{}
}

// Total returns the round trips since the last Reset.
func (c *Counter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.counts {
		n += v
	}
	return n
}

// Snapshot returns a copy of the counts.
func (c *Counter) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		m[k] = v
	}
	return m
}

// Expect runs call and reports, through errorf, any difference between the
// requests it made and want (operation name → count): name says which
// operation of the API it was.
func (c *Counter) Expect(errorf func(format string, args ...any), name string, want map[string]int, call func()) {
	c.Reset()
	call()
	got := c.Snapshot()
	total := 0
	for op, n := range want {
		total += n
		if got[op] != n {
			errorf("%s: %d %s, want %d (all: %v)", name, got[op], op, n, got)
		}
	}
	if c.Total() != total {
		errorf("%s: %d round trips, want %d (all: %v)", name, c.Total(), total, got)
	}
}

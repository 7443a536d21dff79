package dynamotest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// Meeting is a DynamoDB client whose next two Queries, once armed (Arm),
// wait for each other: reads made at the same time meet and go on; two
// made one after the other never meet, and the first fails (after two
// seconds). It proves that a cold path reads at once what it can.
type Meeting struct {
	dynamo.Client
	mu      sync.Mutex
	armed   bool
	waiting chan struct{} // closed when the second Query comes
}

// Arm makes the next two Queries wait for each other.
func (m *Meeting) Arm() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.armed = true
}

// Query is the client's, after the meeting when armed.
func (m *Meeting) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	m.mu.Lock()
	switch {
	case !m.armed:
		m.mu.Unlock()
	case m.waiting == nil: // the first: wait for the second
		w := make(chan struct{})
		m.waiting = w
		m.mu.Unlock()
		select {
		case <-w:
		case <-time.After(2 * time.Second):
			return nil, errors.New("dynamotest: no other Query was made at the same time")
		}
	default: // the second
		close(m.waiting)
		m.armed, m.waiting = false, nil
		m.mu.Unlock()
	}
	return m.Client.Query(ctx, in, opts...)
}

package dynamotest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// Meeting is a DynamoDB client whose next two reads (Query or GetItem),
// once armed (Arm), wait for each other: reads made at the same time meet
// and go on; two made one after the other never meet, and the first fails
// (after two seconds). It proves that a cold path reads at once what it
// can.
type Meeting struct {
	dynamo.Client
	mu      sync.Mutex
	armed   bool
	waiting chan struct{} // closed when the second read comes
}

// Arm makes the next two reads wait for each other.
func (m *Meeting) Arm() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.armed = true
}

// Query is the client's, after the meeting when armed.
func (m *Meeting) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if err := m.meet(); err != nil {
		return nil, err
	}
	return m.Client.Query(ctx, in, opts...)
}

// GetItem is the client's, after the meeting when armed.
func (m *Meeting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if err := m.meet(); err != nil {
		return nil, err
	}
	return m.Client.GetItem(ctx, in, opts...)
}

// meet waits, when armed, for the other read of the two.
func (m *Meeting) meet() error {
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
			return errors.New("dynamotest: no other read was made at the same time")
		}
	default: // the second
		close(m.waiting)
		m.armed, m.waiting = false, nil
		m.mu.Unlock()
	}
	return nil
}

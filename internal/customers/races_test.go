package customers_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// interleave is the table's client, except that a hook runs just before
// the next transaction: another request that lands between this one's
// read and its commit.
type interleave struct {
	dynamo.Client
	mu   sync.Mutex
	hook func()
}

func (c *interleave) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.mu.Lock()
	hook := c.hook
	c.hook = nil
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	return c.Client.TransactWriteItems(ctx, in, opts...)
}

// racing returns a handler whose next transaction is preceded by hook.
func racing(h *harness) (http.Handler, *interleave) {
	c := &interleave{Client: h.db.Client}
	return h.handlerFor(customers.NewService(dynamo.Table{Client: c, Name: h.db.Table.Name}, h.clock.Now)), c
}

// TestRaces: writes that land between another write's read and its commit
// are never lost or overridden.
func TestRaces(t *testing.T) {
	t.Run("order created while its customer is deleted", func(t *testing.T) {
		h := newHarness(t)
		cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
		b, c := racing(h)
		var oid string
		c.hook = func() { oid = h.newOrder(t, cid, "SO-RACE").Str("id") }
		r := h.DoWith(b, &agent, "DELETE", "/v1/customers/"+cid, nil, ifMatch(1)...).MustProblem(t, http.StatusConflict)
		if !strings.Contains(r.Detail(), "SO-RACE") {
			t.Errorf("409 does not name the order: %s", r.Detail())
		}
		if got := h.read(t, "/v1/orders/"+oid); got.Str("customerId") != cid {
			t.Errorf("order: %s", got.Raw)
		}
		h.read(t, "/v1/customers/"+cid)
	})
	t.Run("order created while its customer is edited", func(t *testing.T) {
		h := newHarness(t)
		cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
		b, c := racing(h)
		c.hook = func() { h.newOrder(t, cid, "SO-RACE") }
		h.DoWith(b, &agent, "PATCH", "/v1/customers/"+cid, map[string]any{"name": "Kund 2 AB"}, ifMatch(1)...).Must(t, http.StatusOK)
		// The edit did not reset the order count: the customer is still held.
		h.Do(&agent, "DELETE", "/v1/customers/"+cid, nil, ifMatch(2)...).MustProblem(t, http.StatusConflict)
	})
	t.Run("edit with If-Match * after another edit", func(t *testing.T) {
		h := newHarness(t)
		cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
		b, c := racing(h)
		c.hook = func() {
			h.Do(&agent, "PATCH", "/v1/customers/"+cid, map[string]any{"phone": "08-1"}, ifMatch(1)...).Must(t, http.StatusOK)
		}
		got := h.DoWith(b, &agent, "PATCH", "/v1/customers/"+cid, map[string]any{"email": "a@b.se"}, "If-Match", "*").Must(t, http.StatusOK)
		if got.Version() != 3 || got.Str("phone") != "08-1" || got.Str("email") != "a@b.se" {
			t.Errorf("the other edit was lost: %s", got.Raw)
		}
	})
	t.Run("edit with a version another edit just used", func(t *testing.T) {
		h := newHarness(t)
		o := h.newOrder(t, h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id"), "SO-1")
		path := "/v1/orders/" + o.Str("id")
		b, c := racing(h)
		c.hook = func() {
			h.Do(&agent, "PATCH", path, map[string]any{"title": "först"}, ifMatch(1)...).Must(t, http.StatusOK)
		}
		h.DoWith(b, &agent, "PATCH", path, map[string]any{"title": "sist"}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
		if got := h.read(t, path); got.Str("title") != "först" || got.Version() != 2 {
			t.Errorf("order: %s", got.Raw)
		}
	})
	t.Run("customer deleted while an order moves to it", func(t *testing.T) {
		h := newHarness(t)
		c1 := h.newCustomer(t, map[string]any{"name": "Ett"}).Str("id")
		c2 := h.newCustomer(t, map[string]any{"name": "Två"}).Str("id")
		o := h.newOrder(t, c1, "SO-1")
		b, c := racing(h)
		c.hook = func() { h.Do(&agent, "DELETE", "/v1/customers/"+c2, nil, ifMatch(1)...).Must(t, http.StatusNoContent) }
		h.DoWith(b, &agent, "PATCH", "/v1/orders/"+o.Str("id"), map[string]any{"customerId": c2}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "customerId")
		if got := h.read(t, "/v1/orders/"+o.Str("id")); got.Str("customerId") != c1 {
			t.Errorf("order: %s", got.Raw)
		}
	})
}

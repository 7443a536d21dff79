package directory_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/directory"
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
	return h.handlerFor(directory.NewService(dynamo.Table{Client: c, Name: h.db.Table.Name}, h.clock.Now)), c
}

// TestRaces: writes that land between another write's read and its commit
// are never lost or overridden.
func TestRaces(t *testing.T) {
	t.Run("order created while its customer is deleted", func(t *testing.T) {
		h := newHarness(t)
		cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).str("id")
		b, c := racing(h)
		var oid string
		c.hook = func() { oid = h.newOrder(t, cid, "SO-RACE").str("id") }
		r := h.doWith(b, &agent, "DELETE", "/v1/customers/"+cid, nil, ifMatch(1)...).mustProblem(t, http.StatusConflict)
		if !strings.Contains(r.detail(), "SO-RACE") {
			t.Errorf("409 does not name the order: %s", r.detail())
		}
		if got := h.read(t, "/v1/orders/"+oid); got.str("customerId") != cid {
			t.Errorf("order: %s", got.Raw)
		}
		h.read(t, "/v1/customers/"+cid)
	})
	t.Run("order created while its customer is edited", func(t *testing.T) {
		h := newHarness(t)
		cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).str("id")
		b, c := racing(h)
		c.hook = func() { h.newOrder(t, cid, "SO-RACE") }
		h.doWith(b, &agent, "PATCH", "/v1/customers/"+cid, map[string]any{"name": "Kund 2 AB"}, ifMatch(1)...).must(t, http.StatusOK)
		// The edit did not reset the order count: the customer is still held.
		h.do(&agent, "DELETE", "/v1/customers/"+cid, nil, ifMatch(2)...).mustProblem(t, http.StatusConflict)
	})
	t.Run("edit with If-Match * after another edit", func(t *testing.T) {
		h := newHarness(t)
		cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).str("id")
		b, c := racing(h)
		c.hook = func() {
			h.do(&agent, "PATCH", "/v1/customers/"+cid, map[string]any{"phone": "08-1"}, ifMatch(1)...).must(t, http.StatusOK)
		}
		got := h.doWith(b, &agent, "PATCH", "/v1/customers/"+cid, map[string]any{"email": "a@b.se"}, "If-Match", "*").must(t, http.StatusOK)
		if got.version() != 3 || got.str("phone") != "08-1" || got.str("email") != "a@b.se" {
			t.Errorf("the other edit was lost: %s", got.Raw)
		}
	})
	t.Run("edit with a version another edit just used", func(t *testing.T) {
		h := newHarness(t)
		o := h.newOrder(t, h.newCustomer(t, map[string]any{"name": "Kund AB"}).str("id"), "SO-1")
		path := "/v1/orders/" + o.str("id")
		b, c := racing(h)
		c.hook = func() {
			h.do(&agent, "PATCH", path, map[string]any{"title": "först"}, ifMatch(1)...).must(t, http.StatusOK)
		}
		h.doWith(b, &agent, "PATCH", path, map[string]any{"title": "sist"}, ifMatch(1)...).mustProblem(t, http.StatusPreconditionFailed)
		if got := h.read(t, path); got.str("title") != "först" || got.version() != 2 {
			t.Errorf("order: %s", got.Raw)
		}
	})
	t.Run("customer deleted while an order moves to it", func(t *testing.T) {
		h := newHarness(t)
		c1 := h.newCustomer(t, map[string]any{"name": "Ett"}).str("id")
		c2 := h.newCustomer(t, map[string]any{"name": "Två"}).str("id")
		o := h.newOrder(t, c1, "SO-1")
		b, c := racing(h)
		c.hook = func() { h.do(&agent, "DELETE", "/v1/customers/"+c2, nil, ifMatch(1)...).must(t, http.StatusNoContent) }
		h.doWith(b, &agent, "PATCH", "/v1/orders/"+o.str("id"), map[string]any{"customerId": c2}, ifMatch(1)...).mustProblem(t, http.StatusBadRequest, "customerId")
		if got := h.read(t, "/v1/orders/"+o.str("id")); got.str("customerId") != c1 {
			t.Errorf("order: %s", got.Raw)
		}
	})
}

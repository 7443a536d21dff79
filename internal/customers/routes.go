package customers

import (
	"context"
	"net/http"
	"slices"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// defaultLimit is the page size of a list when none is asked for.
const defaultLimit = 50

// serverFields are the body fields the server owns. On create they are
// refused; on update they may be sent back as read (a client that PATCHes
// what it GOT is not punished), and "version" is the precondition.
var serverFields = []string{"id", "createdAt", "updatedAt"}

// Routes returns every route of the customers area (customers and
// orders), the one place they are listed; template.yaml and
// infra/openapi.yaml must match.
func Routes(svc *Service) []httpapi.Route {
	customers := resource[*Customer, CustomerFields]{
		path: "/v1/customers",
		list: func(ctx context.Context, tenant string, p httpapi.Page) ([]*Customer, string, error) {
			return svc.listCustomers(ctx, tenant, p.Limit, p.Cursor)
		},
		create: svc.createCustomer, get: svc.Customer, update: svc.updateCustomer, remove: svc.deleteCustomer,
		idOf: func(c *Customer) string { return c.ID },
	}
	orders := resource[*Order, OrderFields]{
		path: "/v1/orders", filters: []string{"customerId"},
		list: func(ctx context.Context, tenant string, p httpapi.Page) ([]*Order, string, error) {
			return svc.listOrders(ctx, tenant, p.Filters["customerId"], p.Limit, p.Cursor)
		},
		create: svc.createOrder, get: svc.Order, update: svc.updateOrder, remove: svc.deleteOrder,
		idOf: func(o *Order) string { return o.ID },
	}
	return slices.Concat(customers.routes(), orders.routes())
}

// resource wires the five routes of one kind of object to its service
// methods: the HTTP side (roles, bodies, versions, answers) is the same
// for customers and orders.
type resource[T httpapi.Versioned, F any] struct {
	path    string
	filters []string // list query parameters besides limit and cursor
	list    func(ctx context.Context, tenant string, p httpapi.Page) ([]T, string, error)
	create  func(ctx context.Context, tenant string, in *F) (T, error)
	get     func(ctx context.Context, tenant, id string) (T, error)
	update  func(ctx context.Context, tenant, id string, e edit) (T, error)
	remove  func(ctx context.Context, tenant, id string, version int64) error
	idOf    func(T) string
}

func (rs resource[T, F]) routes() []httpapi.Route {
	one := rs.path + "/{id}"
	return []httpapi.Route{
		httpapi.NewRoute("GET", rs.path, staffOnly(rs.serveList)),
		httpapi.NewRoute("POST", rs.path, staffOnly(rs.serveCreate)),
		httpapi.NewRoute("GET", one, staffOnly(rs.serveGet)),
		httpapi.NewRoute("PATCH", one, staffOnly(rs.serveUpdate)),
		httpapi.NewRoute("DELETE", one, staffOnly(rs.serveDelete)),
	}
}

// staffOnly serves h to admins and agents, with their tenant. Portal
// customers get 403 here; what they may see of themselves comes with the
// portal routes.
func staffOnly(h func(w http.ResponseWriter, r *http.Request, tenant string) error) http.Handler {
	return httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
		if err != nil {
			return err
		}
		return h(w, r, p.Tenant)
	})
}

func (rs resource[T, F]) serveList(w http.ResponseWriter, r *http.Request, tenant string) error {
	page, err := httpapi.ReadPage(r, defaultLimit, rs.filters...)
	if err != nil {
		return err
	}
	items, next, err := rs.list(r.Context(), tenant, page)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[T]{Items: items, Next: next})
	return nil
}

// serveCreate reads a create body, refusing server-owned fields.
func (rs resource[T, F]) serveCreate(w http.ResponseWriter, r *http.Request, tenant string) error {
	body, err := httpapi.ReadObject(w, r, false, serverFields)
	if err != nil {
		return err
	}
	in := new(F)
	if err := httpapi.Unmarshal(body.Body, in); err != nil {
		return err
	}
	v, err := rs.create(r.Context(), tenant, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, rs.path+"/"+rs.idOf(v), v)
	return nil
}

func (rs resource[T, F]) serveGet(w http.ResponseWriter, r *http.Request, tenant string) error {
	v, err := rs.get(r.Context(), tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, v)
	return nil
}

func (rs resource[T, F]) serveUpdate(w http.ResponseWriter, r *http.Request, tenant string) error {
	in, version, err := httpapi.ReadUpdate(w, r, serverFields)
	if err != nil {
		return err
	}
	v, err := rs.update(r.Context(), tenant, r.PathValue("id"), edit{patch: in.Body, version: version, echoed: in.Echoed})
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, v)
	return nil
}

func (rs resource[T, F]) serveDelete(w http.ResponseWriter, r *http.Request, tenant string) error {
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	if err := rs.remove(r.Context(), tenant, r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Compile-time checks that the answers carry their version as an ETag.
var (
	_ httpapi.Versioned = (*Customer)(nil)
	_ httpapi.Versioned = (*Order)(nil)
)

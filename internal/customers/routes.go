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
		path: "/v1/customers", list: svc.listCustomers, create: svc.createCustomer, get: svc.Customer,
		update: svc.updateCustomer, remove: svc.deleteCustomer, idOf: func(c *Customer) string { return c.ID },
	}
	orders := resource[*Order, OrderFields]{
		path: "/v1/orders", filters: []string{"customerId"},
		list: func(ctx context.Context, tenant string, p httpapi.Page) (httpapi.List[*Order], error) {
			return svc.listOrders(ctx, tenant, p.Filters["customerId"], p)
		},
		create: svc.createOrder, get: svc.Order, update: svc.updateOrder, remove: svc.deleteOrder,
		idOf: func(o *Order) string { return o.ID },
	}
	return slices.Concat(customers.routes(), orders.routes())
}

// staff is who reads and writes customers and orders: admins and agents. Portal
// customers get 403 here; what they may see of themselves comes with the
// portal routes.
func staff(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Admin, identity.Agent)
}

// decodeCreate reads a create body into v, refusing server-owned fields.
func decodeCreate(w http.ResponseWriter, r *http.Request, v any) error {
	in, err := httpapi.ReadObject(w, r, false, serverFields)
	if err != nil {
		return err
	}
	return httpapi.Unmarshal(in.Body, v)
}

// resource wires the five routes of one kind of object to its operations:
// the HTTP side (roles, bodies, versions, answers) is the same for
// customers and orders.
type resource[T httpapi.Versioned, F any] struct {
	path    string
	filters []string // list query parameters besides limit and cursor
	list    func(ctx context.Context, tenant string, p httpapi.Page) (httpapi.List[T], error)
	create  func(ctx context.Context, tenant string, in *F) (T, error)
	get     func(ctx context.Context, tenant, id string) (T, error)
	update  func(ctx context.Context, tenant, id string, version int64, in httpapi.ObjectRequest) (T, error)
	remove  func(ctx context.Context, tenant, id string, version int64) error
	idOf    func(T) string
}

func (rs resource[T, F]) routes() []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", rs.path, httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := staff(r)
			if err != nil {
				return err
			}
			page, err := httpapi.ReadPage(r, defaultLimit, rs.filters...)
			if err != nil {
				return err
			}
			list, err := rs.list(r.Context(), p.Tenant, page)
			if err != nil {
				return err
			}
			httpapi.Write(w, http.StatusOK, list)
			return nil
		})),
		httpapi.NewRoute("POST", rs.path, httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := staff(r)
			if err != nil {
				return err
			}
			in := new(F)
			if err := decodeCreate(w, r, in); err != nil {
				return err
			}
			v, err := rs.create(r.Context(), p.Tenant, in)
			if err != nil {
				return err
			}
			httpapi.Created(w, rs.path+"/"+rs.idOf(v), v)
			return nil
		})),
		httpapi.NewRoute("GET", rs.path+"/{id}", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := staff(r)
			if err != nil {
				return err
			}
			v, err := rs.get(r.Context(), p.Tenant, r.PathValue("id"))
			if err != nil {
				return err
			}
			httpapi.WriteObject(w, http.StatusOK, v)
			return nil
		})),
		httpapi.NewRoute("PATCH", rs.path+"/{id}", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := staff(r)
			if err != nil {
				return err
			}
			in, version, err := httpapi.ReadUpdate(w, r, serverFields)
			if err != nil {
				return err
			}
			v, err := rs.update(r.Context(), p.Tenant, r.PathValue("id"), version, in)
			if err != nil {
				return err
			}
			httpapi.WriteObject(w, http.StatusOK, v)
			return nil
		})),
		httpapi.NewRoute("DELETE", rs.path+"/{id}", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := staff(r)
			if err != nil {
				return err
			}
			version, err := httpapi.DeleteVersion(r)
			if err != nil {
				return err
			}
			if err := rs.remove(r.Context(), p.Tenant, r.PathValue("id"), version); err != nil {
				return err
			}
			w.WriteHeader(http.StatusNoContent)
			return nil
		})),
	}
}

// Compile-time checks that the answers carry their version as an ETag.
var (
	_ httpapi.Versioned = (*Customer)(nil)
	_ httpapi.Versioned = (*Order)(nil)
)

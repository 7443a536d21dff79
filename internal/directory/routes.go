package directory

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes returns every route of the directory area (customers and
// orders), the one place they are listed; template.yaml and
// infra/openapi.yaml must match.
func Routes(svc *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/customers", svc.handleListCustomers()),
		httpapi.NewRoute("POST", "/v1/customers", svc.handleCreateCustomer()),
		httpapi.NewRoute("GET", "/v1/customers/{id}", svc.handleGetCustomer()),
		httpapi.NewRoute("PATCH", "/v1/customers/{id}", svc.handlePatchCustomer()),
		httpapi.NewRoute("DELETE", "/v1/customers/{id}", svc.handleDeleteCustomer()),
		httpapi.NewRoute("GET", "/v1/orders", svc.handleListOrders()),
		httpapi.NewRoute("POST", "/v1/orders", svc.handleCreateOrder()),
		httpapi.NewRoute("GET", "/v1/orders/{id}", svc.handleGetOrder()),
		httpapi.NewRoute("PATCH", "/v1/orders/{id}", svc.handlePatchOrder()),
		httpapi.NewRoute("DELETE", "/v1/orders/{id}", svc.handleDeleteOrder()),
	}
}

// staff is who reads and writes the directory: admins and agents. Portal
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

// decodePatch reads a merge-patch body and the version it is based on.
func decodePatch(w http.ResponseWriter, r *http.Request) (httpapi.ObjectRequest, int64, error) {
	in, err := httpapi.ReadObject(w, r, true, serverFields)
	if err != nil {
		return in, 0, err
	}
	version, err := httpapi.Version(r, in.Version)
	return in, version, err
}

func (s *Service) handleListCustomers() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		page, err := readPage(r)
		if err != nil {
			return err
		}
		list, err := s.listCustomers(r.Context(), p.Tenant, page)
		if err != nil {
			return err
		}
		httpapi.Write(w, http.StatusOK, list)
		return nil
	}
}

func (s *Service) handleCreateCustomer() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		var in CustomerFields
		if err := decodeCreate(w, r, &in); err != nil {
			return err
		}
		c, err := s.createCustomer(r.Context(), p.Tenant, &in)
		if err != nil {
			return err
		}
		httpapi.Created(w, "/v1/customers/"+c.ID, c)
		return nil
	}
}

func (s *Service) handleGetCustomer() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		c, err := s.Customer(r.Context(), p.Tenant, r.PathValue("id"))
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, c)
		return nil
	}
}

func (s *Service) handlePatchCustomer() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		in, version, err := decodePatch(w, r)
		if err != nil {
			return err
		}
		c, err := s.updateCustomer(r.Context(), p.Tenant, r.PathValue("id"), version, in)
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, c)
		return nil
	}
}

func (s *Service) handleDeleteCustomer() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		version, err := httpapi.DeleteVersion(r)
		if err != nil {
			return err
		}
		if err := s.deleteCustomer(r.Context(), p.Tenant, r.PathValue("id"), version); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Service) handleListOrders() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		page, err := readPage(r, "customerId")
		if err != nil {
			return err
		}
		list, err := s.listOrders(r.Context(), p.Tenant, page.filters["customerId"], page)
		if err != nil {
			return err
		}
		httpapi.Write(w, http.StatusOK, list)
		return nil
	}
}

func (s *Service) handleCreateOrder() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		var in OrderFields
		if err := decodeCreate(w, r, &in); err != nil {
			return err
		}
		o, err := s.createOrder(r.Context(), p.Tenant, &in)
		if err != nil {
			return err
		}
		httpapi.Created(w, "/v1/orders/"+o.ID, o)
		return nil
	}
}

func (s *Service) handleGetOrder() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		o, err := s.Order(r.Context(), p.Tenant, r.PathValue("id"))
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, o)
		return nil
	}
}

func (s *Service) handlePatchOrder() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		in, version, err := decodePatch(w, r)
		if err != nil {
			return err
		}
		o, err := s.updateOrder(r.Context(), p.Tenant, r.PathValue("id"), version, in)
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, o)
		return nil
	}
}

func (s *Service) handleDeleteOrder() httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		version, err := httpapi.DeleteVersion(r)
		if err != nil {
			return err
		}
		if err := s.deleteOrder(r.Context(), p.Tenant, r.PathValue("id"), version); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// Compile-time checks that the answers carry their version as an ETag.
var (
	_ httpapi.Versioned = (*Customer)(nil)
	_ httpapi.Versioned = (*Order)(nil)
)

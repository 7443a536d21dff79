package cases

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes returns every route of the cases area, the one place they are
// listed; template.yaml and infra/openapi.yaml must match (a test checks).
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/cases", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/cases", httpapi.HandlerFunc(s.handleCreate)),
		httpapi.NewRoute("GET", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleGet)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleUpdate)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleDelete)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/customer", httpapi.HandlerFunc(s.handleSwitchCustomer)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/tasks", httpapi.HandlerFunc(s.handleListTasks)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/tasks", httpapi.HandlerFunc(s.handleCreateTask)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleGetTask)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleUpdateTask)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleDeleteTask)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/time-reports", httpapi.HandlerFunc(s.handleListTimeReports)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/time-reports", httpapi.HandlerFunc(s.handleCreateTimeReport)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/time-reports/{reportId}", httpapi.HandlerFunc(s.handleGetTimeReport)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}/time-reports/{reportId}", httpapi.HandlerFunc(s.handleUpdateTimeReport)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}/time-reports/{reportId}", httpapi.HandlerFunc(s.handleDeleteTimeReport)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/events", httpapi.HandlerFunc(s.handleEvents)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/comments", httpapi.HandlerFunc(s.handleComments)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/comments", httpapi.HandlerFunc(s.handleAddComment)),
	}
}

// staff is who works cases: admins and agents. Customers use the portal.
func staff(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Admin, identity.Agent)
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	page, err := s.List(r.Context(), p.Tenant, r.URL.Query())
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, page)
	return nil
}

func (s *Service) handleCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	req, err := httpapi.ReadObject(w, r, false, serverFields)
	if err != nil {
		return err
	}
	var in input
	if err := httpapi.Unmarshal(req.Body, &in); err != nil {
		return err
	}
	c, err := s.Create(r.Context(), p, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+c.ID, c)
	return nil
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	d, err := s.Get(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, d)
	return nil
}

func (s *Service) handleUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	req, err := httpapi.ReadObject(w, r, true, fixedFields)
	if err != nil {
		return err
	}
	version, err := httpapi.Version(r, req.Version)
	if err != nil {
		return err
	}
	c, err := s.Update(r.Context(), p, r.PathValue("id"), req, version)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, c)
	return nil
}

func (s *Service) handleDelete(w http.ResponseWriter, r *http.Request) error {
	p, err := identity.Require(r.Context(), identity.Admin)
	if err != nil {
		return err
	}
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	if err := s.Delete(r.Context(), p, r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// switchInput is the body of POST /v1/cases/{id}/customer.
type switchInput struct {
	CustomerID string `json:"customerId"`
	ContactID  string `json:"contactId,omitempty"`
	Version    *int64 `json:"version,omitempty"`
}

func (s *Service) handleSwitchCustomer(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in switchInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	version, err := httpapi.Version(r, in.Version)
	if err != nil {
		return err
	}
	c, err := s.SwitchCustomer(r.Context(), p, r.PathValue("id"), in.CustomerID, in.ContactID, version)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, c)
	return nil
}

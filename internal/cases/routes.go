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
		httpapi.NewRoute("GET", "/v1/cases/{id}/tasks", listSub(s, tasksOf)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/tasks", httpapi.HandlerFunc(s.handleCreateTask)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/tasks/{taskId}", getSub(s, s.findTask)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleUpdateTask)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleDeleteTask)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/time-reports", listSub(s, reportsOf)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/time-reports", httpapi.HandlerFunc(s.handleCreateTimeReport)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/time-reports/{reportId}", getSub(s, s.findReport)),
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
	lq, err := parseList(r)
	if err != nil {
		return err
	}
	page, err := s.List(r.Context(), p.Tenant, lq)
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
	req, version, err := httpapi.ReadUpdate(w, r, fixedFields)
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

// A case's tasks and time reports are read from its detail partition: one
// Query answers a list, or finds one of them.

func tasksOf(pt *partition) []*Task         { return pt.tasks }
func reportsOf(pt *partition) []*TimeReport { return pt.reports }

// findSub finds the sub-item of the request's case named by the path
// parameter param.
func findSub[T interface{ subID() string }](s *Service, r *http.Request, pick func(*partition) []T, param string, notFound error) (*partition, T, error) {
	var none T
	p, err := staff(r)
	if err != nil {
		return nil, none, err
	}
	pt, err := s.readPartition(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return nil, none, err
	}
	for _, v := range pick(pt) {
		if v.subID() == r.PathValue(param) {
			return pt, v, nil
		}
	}
	return nil, none, notFound
}

func (s *Service) findTask(r *http.Request) (*partition, *Task, error) {
	return findSub(s, r, tasksOf, "taskId", errTaskNotFound)
}

func (s *Service) findReport(r *http.Request) (*partition, *TimeReport, error) {
	return findSub(s, r, reportsOf, "reportId", errReportNotFound)
}

// listSub answers all of a case's tasks or time reports.
func listSub[T any](s *Service, pick func(*partition) []T) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := staff(r)
		if err != nil {
			return err
		}
		pt, err := s.readPartition(r.Context(), p.Tenant, r.PathValue("id"))
		if err != nil {
			return err
		}
		httpapi.Write(w, http.StatusOK, httpapi.List[T]{Items: pick(pt)})
		return nil
	}
}

// getSub answers one task or time report.
func getSub[T httpapi.Versioned](s *Service, find func(*http.Request) (*partition, T, error)) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		_, v, err := find(r)
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, v)
		return nil
	}
}

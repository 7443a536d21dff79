package cases

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes returns every route of the cases area, the one place they are
// listed; template.yaml and infra/openapi.yaml must match (a test checks).
// Each handler reads its request, calls one service method with plain
// values and writes the answer.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/cases", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/cases", httpapi.HandlerFunc(s.handleCreate)),
		httpapi.NewRoute("GET", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleGet)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleUpdate)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleDelete)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/customer", httpapi.HandlerFunc(s.handleSwitchCustomer)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/tasks", httpapi.HandlerFunc(s.handleTasks)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/tasks", httpapi.HandlerFunc(s.handleCreateTask)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleTask)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleUpdateTask)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}/tasks/{taskId}", httpapi.HandlerFunc(s.handleDeleteTask)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/time-reports", httpapi.HandlerFunc(s.handleTimeReports)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/time-reports", httpapi.HandlerFunc(s.handleCreateTimeReport)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/time-reports/{reportId}", httpapi.HandlerFunc(s.handleTimeReport)),
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

// readCreate reads the body of a create strictly into in; readOnly are
// the object's server-owned fields, refused.
func readCreate(w http.ResponseWriter, r *http.Request, readOnly []string, in any) error {
	req, err := httpapi.ReadObject(w, r, false, readOnly)
	if err != nil {
		return err
	}
	return httpapi.Unmarshal(req.Body, in)
}

// readPatch reads the body of a PATCH and the version it is based on;
// readOnly are the object's server-owned fields, which may be sent back.
func readPatch(w http.ResponseWriter, r *http.Request, readOnly []string) (Patch, int64, error) {
	req, version, err := httpapi.ReadUpdate(w, r, readOnly)
	return Patch{Merge: req.Body, Echoed: req.Echoed}, version, err
}

// Cases.

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	page, err := httpapi.ReadPage(r, defaultLimit, listParams()...)
	if err != nil {
		return err
	}
	list, err := s.List(r.Context(), p, page)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, list)
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
	in, err := decodeInput(req.Body)
	if err != nil {
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
	patch, version, err := readPatch(w, r, fixedFields)
	if err != nil {
		return err
	}
	c, err := s.Update(r.Context(), p, r.PathValue("id"), version, patch)
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

// Tasks.

func (s *Service) handleTasks(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	tasks, err := s.Tasks(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*Task]{Items: tasks})
	return nil
}

func (s *Service) handleTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	t, err := s.Task(r.Context(), p.Tenant, r.PathValue("id"), r.PathValue("taskId"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, t)
	return nil
}

func (s *Service) handleCreateTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in taskInput
	if err := readCreate(w, r, taskReadOnly, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	t, err := s.CreateTask(r.Context(), p, caseID, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/tasks/"+t.ID, t)
	return nil
}

func (s *Service) handleUpdateTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	patch, version, err := readPatch(w, r, taskReadOnly)
	if err != nil {
		return err
	}
	t, err := s.UpdateTask(r.Context(), p, r.PathValue("id"), r.PathValue("taskId"), version, patch)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, t)
	return nil
}

func (s *Service) handleDeleteTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	if err := s.DeleteTask(r.Context(), p, r.PathValue("id"), r.PathValue("taskId"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Time reports.

func (s *Service) handleTimeReports(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	reports, err := s.TimeReports(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*TimeReport]{Items: reports})
	return nil
}

func (s *Service) handleTimeReport(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	tr, err := s.TimeReport(r.Context(), p.Tenant, r.PathValue("id"), r.PathValue("reportId"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, tr)
	return nil
}

func (s *Service) handleCreateTimeReport(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in timeInput
	if err := readCreate(w, r, timeReadOnly, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	tr, err := s.CreateTimeReport(r.Context(), p, caseID, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/time-reports/"+tr.ID, tr)
	return nil
}

func (s *Service) handleUpdateTimeReport(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	patch, version, err := readPatch(w, r, timeReadOnly)
	if err != nil {
		return err
	}
	tr, err := s.UpdateTimeReport(r.Context(), p, r.PathValue("id"), r.PathValue("reportId"), version, patch)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, tr)
	return nil
}

func (s *Service) handleDeleteTimeReport(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	if err := s.DeleteTimeReport(r.Context(), p, r.PathValue("id"), r.PathValue("reportId"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// The log and comments.

func (s *Service) handleEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	page, err := httpapi.ReadPage(r, eventsPage)
	if err != nil {
		return err
	}
	events, err := s.Events(r.Context(), p.Tenant, r.PathValue("id"), page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, events)
	return nil
}

func (s *Service) handleComments(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	page, err := httpapi.ReadPage(r, httpapi.MaxPage)
	if err != nil {
		return err
	}
	comments, err := s.Comments(r.Context(), p.Tenant, r.PathValue("id"), page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, comments)
	return nil
}

func (s *Service) handleAddComment(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in commentInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	com, err := s.AddComment(r.Context(), p, caseID, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/comments", com)
	return nil
}

package cases

import (
	"context"
	"net/http"
	"slices"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes returns every route of the cases area, the one place they are
// listed; template.yaml and infra/openapi.yaml must match (a test checks).
// Each handler reads its request, calls one service method with plain
// values and writes the answer.
func Routes(s *Service) []httpapi.Route {
	tasks := workRoutes[*Task, taskInput]{segment: "tasks", param: "taskId", readOnly: taskReadOnly,
		list: s.Tasks, get: s.Task, create: s.CreateTask, update: s.UpdateTask, remove: s.DeleteTask}
	reports := workRoutes[*TimeReport, timeInput]{segment: "time-reports", param: "reportId", readOnly: timeReadOnly,
		list: s.TimeReports, get: s.TimeReport, create: s.CreateTimeReport, update: s.UpdateTimeReport, remove: s.DeleteTimeReport}
	caseRoutes := []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/cases", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/cases", httpapi.HandlerFunc(s.handleCreate)),
		httpapi.NewRoute("GET", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleGet)),
		httpapi.NewRoute("PATCH", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleUpdate)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}", httpapi.HandlerFunc(s.handleDelete)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/customer", httpapi.HandlerFunc(s.handleSwitchCustomer)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/form", httpapi.HandlerFunc(s.handleForm)),
		httpapi.NewRoute("PUT", "/v1/cases/{id}/form", httpapi.HandlerFunc(s.handleSaveForm)),
	}
	logRoutes := []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/cases/{id}/events", httpapi.HandlerFunc(s.handleEvents)),
		httpapi.NewRoute("GET", "/v1/cases/{id}/comments", httpapi.HandlerFunc(s.handleComments)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/comments", httpapi.HandlerFunc(s.handleAddComment)),
	}
	// tasks: /v1/cases/{id}/tasks[/{taskId}], reports:
	// /v1/cases/{id}/time-reports[/{reportId}], five routes each.
	return slices.Concat(caseRoutes, tasks.routes(), reports.routes(), logRoutes)
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

// Tasks and time reports.

// workRoutes are the five routes of one kind of what is worked on a case
// (its tasks, its time reports): the HTTP side (staff only, bodies,
// versions, answers) is the same for every kind.
type workRoutes[T workItem, In any] struct {
	segment  string   // the collection below the case: "tasks"
	param    string   // the item's path parameter: "taskId"
	readOnly []string // the item's server-owned fields
	list     func(ctx context.Context, tenant, caseID string) ([]T, error)
	get      func(ctx context.Context, tenant, caseID, id string) (T, error)
	create   func(ctx context.Context, p identity.Principal, caseID string, in In) (T, error)
	update   func(ctx context.Context, p identity.Principal, caseID, id string, version int64, patch Patch) (T, error)
	remove   func(ctx context.Context, p identity.Principal, caseID, id string, version int64) error
}

func (wr workRoutes[T, In]) routes() []httpapi.Route {
	all := "/v1/cases/{id}/" + wr.segment
	one := all + "/{" + wr.param + "}"
	return []httpapi.Route{
		httpapi.NewRoute("GET", all, httpapi.HandlerFunc(wr.serveList)),
		httpapi.NewRoute("POST", all, httpapi.HandlerFunc(wr.serveCreate)),
		httpapi.NewRoute("GET", one, httpapi.HandlerFunc(wr.serveGet)),
		httpapi.NewRoute("PATCH", one, httpapi.HandlerFunc(wr.serveUpdate)),
		httpapi.NewRoute("DELETE", one, httpapi.HandlerFunc(wr.serveDelete)),
	}
}

func (wr workRoutes[T, In]) serveList(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	items, err := wr.list(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[T]{Items: items})
	return nil
}

func (wr workRoutes[T, In]) serveGet(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	v, err := wr.get(r.Context(), p.Tenant, r.PathValue("id"), r.PathValue(wr.param))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, v)
	return nil
}

func (wr workRoutes[T, In]) serveCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in In
	if err := readCreate(w, r, wr.readOnly, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	v, err := wr.create(r.Context(), p, caseID, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/"+wr.segment+"/"+v.subID(), v)
	return nil
}

func (wr workRoutes[T, In]) serveUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	patch, version, err := readPatch(w, r, wr.readOnly)
	if err != nil {
		return err
	}
	v, err := wr.update(r.Context(), p, r.PathValue("id"), r.PathValue(wr.param), version, patch)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, v)
	return nil
}

func (wr workRoutes[T, In]) serveDelete(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	if err := wr.remove(r.Context(), p, r.PathValue("id"), r.PathValue(wr.param), version); err != nil {
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

package recurring

import (
	"net/http"
	"strconv"
	"time"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/recurrence"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Routes are the routes of recurring cases besides the definitions
// themselves (settings' /v1/settings/recurring-cases[/{id}]): previews
// and the history of runs. The settings function serves them.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/settings/recurring-cases/{id}/preview", httpapi.HandlerFunc(s.handlePreview)),
		httpapi.NewRoute("POST", "/v1/settings/recurring-cases/preview", httpapi.HandlerFunc(s.handleDraft)),
		httpapi.NewRoute("GET", "/v1/settings/recurring-cases/{id}/runs", httpapi.HandlerFunc(s.handleRuns)),
	}
}

// PreviewItem is one occurrence of a preview, with the title its case
// would get.
type PreviewItem struct {
	recurrence.Occurrence
	Title string `json:"title,omitempty"`
}

// defaultPreview is how many occurrences a preview answers by default.
const defaultPreview = 10

// previewCount reads ?count=N (1 to recurrence.MaxPreview); nothing else
// is taken.
func previewCount(r *http.Request) (int, error) {
	n := defaultPreview
	for k, v := range r.URL.Query() {
		if k != "count" || len(v) != 1 {
			return 0, problem.FieldInvalid(k, "is not a parameter of a preview (count is, once)")
		}
		c, err := strconv.Atoi(v[0])
		if err != nil || c < 1 || c > recurrence.MaxPreview {
			return 0, problem.FieldInvalid("count", "must be a whole number from 1 to %d", recurrence.MaxPreview)
		}
		n = c
	}
	return n, nil
}

// preview is the next n occurrences of d from now (or from its start,
// if later), whether or not it is active: what it would make.
func preview(d *settings.RecurringCase, now time.Time, n int) (httpapi.List[PreviewItem], error) {
	sc, err := d.Schedule()
	if err != nil {
		return httpapi.List[PreviewItem]{}, err
	}
	out := httpapi.List[PreviewItem]{Items: []PreviewItem{}}
	for _, t := range sc.Upcoming(now, n) {
		out.Items = append(out.Items, PreviewItem{Occurrence: sc.Show(t), Title: sc.Title(d.Case.Title, t)})
	}
	return out, nil
}

func (s *Service) handlePreview(w http.ResponseWriter, r *http.Request) error {
	p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
	if err != nil {
		return err
	}
	n, err := previewCount(r)
	if err != nil {
		return err
	}
	d, _, err := s.definitions.RecurringCase(r.Context(), p.Tenant, r.PathValue("id"), false)
	if err != nil {
		return err
	}
	out, err := preview(d, s.now(), n)
	if err != nil {
		return problem.Wrap(problem.Internal, err, "")
	}
	httpapi.Write(w, http.StatusOK, out)
	return nil
}

// handleDraft previews a definition that is not saved: the body is a
// definition as it would be created (only its timing and title are
// used; the zone defaults to the tenant's).
func (s *Service) handleDraft(w http.ResponseWriter, r *http.Request) error {
	p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
	if err != nil {
		return err
	}
	n, err := previewCount(r)
	if err != nil {
		return err
	}
	body, err := httpapi.ReadBody(w, r)
	if err != nil {
		return err
	}
	var d settings.RecurringCase
	if err := httpapi.Unmarshal(body, &d); err != nil {
		return err
	}
	if d.TimeZone == "" {
		snap, err := s.definitions.Snapshot(r.Context(), p.Tenant)
		if err != nil {
			return err
		}
		d.TimeZone = snap.General.TimeZone
	}
	var errs problem.Fields
	recurrence.Check(recurrence.Spec{Rule: d.Rule, Start: d.Start, TimeZone: d.TimeZone, Until: d.Until, Count: d.Count}, &errs)
	recurrence.CheckTitle(&errs, "case.title", d.Case.Title)
	if err := errs.Err(); err != nil {
		return err
	}
	out, err := preview(&d, s.now(), n)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, out)
	return nil
}

func (s *Service) handleRuns(w http.ResponseWriter, r *http.Request) error {
	p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
	if err != nil {
		return err
	}
	pg, err := httpapi.ReadPage(r, 25)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, _, err := s.definitions.RecurringCase(r.Context(), p.Tenant, id, false); err != nil {
		// A deleted definition's history is gone from the API with it.
		return err
	}
	runs, next, err := s.Runs(r.Context(), p.Tenant, id, pg.Limit, pg.Cursor)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*Run]{Items: runs, Next: next})
	return nil
}

package cases

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// timeInput is what a client sets on a time report.
type timeInput struct {
	UserID  string         `json:"userId,omitempty"`
	Date    string         `json:"date"`
	Minutes int64          `json:"minutes"`
	Note    string         `json:"note,omitempty"`
	Values  map[string]any `json:"values,omitempty"`
}

var timeReadOnly = []string{"id", "createdAt", "updatedAt"}

var errReportNotFound = problem.New(problem.NotFound, "The case has no such time report.")

// maxMinutes is one report's bound: a day.
const maxMinutes = 24 * 60

// checkTime validates a report: a real user and date, minutes within a
// day, and the values of the case type's report template (its required
// ones present, numbers numbers, dropdown values among the options).
func checkTime(snap *settings.Snapshot, c *Case, in *timeInput, errs *problem.Fields) {
	if _, ok := snap.Users[in.UserID]; !ok {
		errs.Add("userId", "no user has the ID %q", in.UserID)
	}
	if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		errs.Add("date", "must be a date written YYYY-MM-DD")
	}
	if in.Minutes < 1 || in.Minutes > maxMinutes {
		errs.Add("minutes", "must be from 1 to %d", maxMinutes)
	}
	errs.Text("note", in.Note, 0, maxNote)
	if in.Values == nil {
		in.Values = map[string]any{}
	}
	var tpl *settings.ReportTemplate
	if t, ok := snap.CaseTypes[c.TypeID]; ok && t.ReportTemplateID != "" {
		tpl = snap.ReportTemplates[t.ReportTemplateID]
	}
	if tpl == nil {
		if len(in.Values) > 0 {
			errs.Add("values", "the case's type has no report template")
		}
		return
	}
	for k := range in.Values {
		if !slices.ContainsFunc(tpl.Fields, func(f settings.ReportField) bool { return f.Key == k }) {
			errs.Add("values."+k, "is not a value of the report template %q", tpl.Name)
		}
	}
	for _, f := range tpl.Fields {
		v, present := in.Values[f.Key]
		name := "values." + f.Key
		if !present || v == nil {
			delete(in.Values, f.Key)
			if f.Required {
				errs.Add(name, "is required by the report template %q (%s)", tpl.Name, f.Name)
			}
			continue
		}
		checkValue(errs, name, f.Name, f.Kind, f.Options, v)
	}
}

// writeTime stores a report with its event and the change of the case's
// time total. delta is what the total changes by.
func (s *Service) writeTime(r *http.Request, p identity.Principal, caseID string, tr *TimeReport, prev, delta int64, e *Event) error {
	it, err := item(dynamo.CasePK(p.Tenant, caseID), dynamo.TimeSK(tr.ID), kindTime, "time report", tr.Version, tr)
	if err != nil {
		return err
	}
	return s.commitSubItem(r.Context(), p.Tenant, caseID, "time report", addTime(p.Tenant, caseID, delta), versioned(it, prev, "time report"), e)
}

// addTime changes the case's time total by delta; its condition is that
// the case is there.
func addTime(tenant, caseID string, delta int64) dynamo.Write {
	return dynamo.Change(dynamo.Update{Key: caseKey(tenant, caseID), Set: "ADD #total :d",
		Names: map[string]string{"#total": attrTimeTotal}, Values: map[string]types.AttributeValue{":d": dynamo.N(delta)}},
		caseLive(), errCaseNotFound)
}

// reporter is the directory user a principal reports as: the one linked to
// its login, else its own ID.
func reporter(snap *settings.Snapshot, p identity.Principal) string {
	if u, err := snap.UserBySubject(p.User); err == nil {
		return u.ID
	}
	return p.User
}

func (s *Service) handleCreateTimeReport(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	req, err := httpapi.ReadObject(w, r, false, timeReadOnly)
	if err != nil {
		return err
	}
	var in timeInput
	if err := httpapi.Unmarshal(req.Body, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	c, err := s.getCase(r.Context(), p.Tenant, caseID)
	if err != nil {
		return err
	}
	snap, err := s.settings.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	if in.UserID == "" {
		in.UserID = reporter(snap, p)
	}
	var errs problem.Fields
	checkTime(snap, c, &in, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	now := s.stamp()
	tr := &TimeReport{ID: dynamo.NewID(now), Version: 1, CreatedAt: now, UpdatedAt: now, UserID: in.UserID, Date: in.Date,
		Minutes: in.Minutes, Note: in.Note, Values: in.Values}
	e := &Event{ID: dynamo.NewID(now), At: now, By: reporter(snap, p), Type: "time-reported", Subject: tr.ID,
		Changes: []Change{{Field: "minutes", After: tr.Minutes}}}
	if err := s.writeTime(r, p, caseID, tr, 0, tr.Minutes, e); err != nil {
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
	req, version, err := httpapi.ReadUpdate(w, r, timeReadOnly)
	if err != nil {
		return err
	}
	pt, old, err := s.findReport(r)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("time report", old, version, req.Echoed); err != nil {
		return err
	}
	var in timeInput
	if err := httpapi.MergePatch(timeInput{UserID: old.UserID, Date: old.Date, Minutes: old.Minutes, Note: old.Note, Values: old.Values}, req.Body, &in); err != nil {
		return err
	}
	snap, err := s.settings.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	var errs problem.Fields
	checkTime(snap, pt.c, &in, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	now := s.stamp()
	tr := *old
	tr.UserID, tr.Date, tr.Minutes, tr.Note, tr.Values = in.UserID, in.Date, in.Minutes, in.Note, in.Values
	tr.Version, tr.UpdatedAt = old.Version+1, now
	changes := changed(Change{"userId", old.UserID, tr.UserID}, Change{"date", old.Date, tr.Date}, Change{"minutes", old.Minutes, tr.Minutes},
		Change{"note", old.Note, tr.Note}, Change{"values", old.Values, tr.Values})
	e := &Event{ID: dynamo.NewID(now), At: now, By: reporter(snap, p), Type: "time-report-updated", Subject: tr.ID, Changes: changes}
	if err := s.writeTime(r, p, pt.c.ID, &tr, old.Version, tr.Minutes-old.Minutes, e); err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, &tr)
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
	pt, old, err := s.findReport(r)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("time report", old, version, nil); err != nil {
		return err
	}
	now := s.stamp()
	del := versionedDelete(dynamo.Key(dynamo.CasePK(p.Tenant, pt.c.ID), dynamo.TimeSK(old.ID)), old.Version, "time report")
	e := &Event{ID: dynamo.NewID(now), At: now, By: s.who(r.Context(), p), Type: "time-report-deleted", Subject: old.ID,
		Changes: []Change{{Field: "minutes", Before: old.Minutes}}}
	if err := s.commitSubItem(r.Context(), p.Tenant, pt.c.ID, "time report", addTime(p.Tenant, pt.c.ID, -old.Minutes), del, e); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changed keeps the changes whose values differ.
func changed(cs ...Change) []Change {
	var out []Change
	for _, c := range cs {
		if !sameJSON(c.Before, c.After) {
			out = append(out, c)
		}
	}
	return out
}

// sameJSON compares two values as their JSON.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
